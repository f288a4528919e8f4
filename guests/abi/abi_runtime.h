/*
 * abi_runtime.h: the tiny freestanding runtime of the ABI test guests (include once, from the program's only .c file).
 *
 *  - _start: sets gp, takes argc/argv from the Linux initial stack and calls main(argc, argv); exit_group(main()).
 *  - memcpy/memset/memmove/memcmp/strlen: byte loops the compiler may emit calls to (built with
 *    -fno-tree-loop-distribute-patterns so these loops are not turned back into calls to themselves).
 *  - small string helpers and a report buffer ("key=value;" pairs) that routes hand back to the Java tests.
 */
#ifndef ABI_RUNTIME_H
#define ABI_RUNTIME_H

#include "sandbox_abi.h"

#if __riscv_xlen == 64
#define SA_LOADW "ld"
#define SA_WORD "8"
#else
#define SA_LOADW "lw"
#define SA_WORD "4"
#endif

__asm__(".section .text._start, \"ax\", @progbits\n"
        ".globl _start\n"
        ".type _start, @function\n"
        "_start:\n"
        ".option push\n"
        ".option norelax\n"
        "  la gp, __global_pointer$\n"
        ".option pop\n"
        "  " SA_LOADW " a0, 0(sp)\n"
        "  addi a1, sp, " SA_WORD "\n"
        "  andi sp, sp, -16\n"
        "  call main\n"
        "  li a7, 94\n"
        "  ecall\n"
        "1: j 1b\n"
        ".size _start, . - _start\n"
        ".text\n");

int main(int argc, char **argv);

/* ---- what the compiler may call ------------------------------------------------------------------------------ */
__attribute__((used)) void *memcpy(void *d, const void *s, sa_size n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    while (n--) {
        *dp++ = *sp++;
    }
    return d;
}

__attribute__((used)) void *memset(void *d, int c, sa_size n)
{
    unsigned char *dp = d;
    while (n--) {
        *dp++ = (unsigned char)c;
    }
    return d;
}

__attribute__((used)) void *memmove(void *d, const void *s, sa_size n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp < sp) {
        while (n--) {
            *dp++ = *sp++;
        }
    } else {
        while (n--) {
            dp[n] = sp[n];
        }
    }
    return d;
}

__attribute__((used)) int memcmp(const void *a, const void *b, sa_size n)
{
    const unsigned char *x = a, *y = b;
    for (sa_size i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] - y[i];
        }
    }
    return 0;
}

__attribute__((used)) sa_size strlen(const char *s)
{
    sa_size n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

#define RT static __attribute__((unused))

/* ---- string helpers ------------------------------------------------------------------------------------------- */
#define S(lit) (lit), (sizeof(lit) - 1) /* a string literal as (pointer, length) */

RT int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

RT int starts_with(const char *s, const char *prefix)
{
    while (*prefix) {
        if (*s++ != *prefix++) {
            return 0;
        }
    }
    return 1;
}

RT int mem_eq(const void *a, sa_size alen, const char *b)
{
    return alen == strlen(b) && memcmp(a, b, alen) == 0;
}

/* An address nothing is mapped at (the compiler cannot see that it is constant). */
static volatile unsigned long wild_address = 16;
#define WILD_PTR(type) ((type)wild_address)

/* ---- the report: "key=value;" pairs --------------------------------------------------------------------------- */
static char out[16384];
static sa_size out_len;

RT void out_mem(const void *p, sa_size n)
{
    const char *c = p;
    for (sa_size i = 0; i < n && out_len < sizeof(out) - 1; i++) {
        out[out_len++] = c[i];
    }
    out[out_len] = 0;
}

RT void out_str(const char *s)
{
    out_mem(s, strlen(s));
}

RT void out_dec(long long v)
{
    char tmp[24];
    int n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) {
        tmp[n++] = '-';
    }
    while (n) {
        out_mem(&tmp[--n], 1);
    }
}

RT void out_hex_bytes(const void *p, sa_size n)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *b = p;
    for (sa_size i = 0; i < n; i++) {
        char two[2] = {digits[b[i] >> 4], digits[b[i] & 15]};
        out_mem(two, 2);
    }
}

/* key=number; */
RT void kv(const char *key, long long v)
{
    out_str(key);
    out_str("=");
    out_dec(v);
    out_str(";");
}

/* key=text; */
RT void ks(const char *key, const void *text, sa_size len)
{
    out_str(key);
    out_str("=");
    out_mem(text, len);
    out_str(";");
}

RT void out_reset(void)
{
    out_len = 0;
    out[0] = 0;
}

/* Parses a decimal (optionally negative) number; *end points past it. */
RT long long parse_dec(const char *s, const char **end)
{
    int neg = 0;
    long long v = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s++ - '0');
    }
    if (end) {
        *end = s;
    }
    return neg ? -v : v;
}

RT int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                                                                          : -1;
}

/* Decodes %XX escapes (and nothing else); returns the decoded length. */
RT sa_size pct_decode(const char *s, sa_size n, char *dst)
{
    sa_size o = 0;
    for (sa_size i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            dst[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            dst[o++] = s[i];
        }
    }
    return o;
}

/* The request URL (field 1 of where), NUL-terminated; "" if it cannot be read. */
static char url[2048];
static const char *read_url(int where)
{
    long n = sa_field_retrieve(where, FLD_URL, url, sizeof(url));
    if (n < 0) {
        url[0] = 0;
    }
    return url;
}

/* Whether the URL path (up to '?') is exactly path. */
RT int route(const char *u, const char *path)
{
    while (*path && *u == *path) {
        u++;
        path++;
    }
    return *path == 0 && (*u == 0 || *u == '?');
}

/* The query string after '?', or "". */
static const char *query(const char *u)
{
    while (*u && *u != '?') {
        u++;
    }
    return *u ? u + 1 : u;
}

#endif
