/*
 * picotest: a freestanding-style workout for the picolibc targets (rv32 and rv64):
 * 64-bit integer arithmetic (on rv32 that means libgcc's __divdi3/__udivdi3/__moddi3/__muldi3 and
 * multi-word shifts), the M-extension edge cases (division by zero, overflow, mulh*), A-extension atomics,
 * malloc/realloc/free, string functions, qsort, printf with %d %u %x %o %c %s and widths, a little double
 * arithmetic (soft-float on rv32imac/rv64imac, F/D instructions on the imafdc targets).
 * Exits with status 3.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the truncating strncat/snprintf calls below are deliberate */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wstringop-truncation"

/* print a 64-bit value as hex halves so the output never depends on printf's long long support */
static void p64(const char *label, uint64_t v)
{
    printf("%s=%08lx%08lx ", label, (unsigned long)(v >> 32), (unsigned long)(v & 0xffffffffu));
}

static volatile int64_t sv[] = { 0, 1, -1, 7, -7, 1000000007, -123456789012345LL, INT64_MAX, INT64_MIN, 0x100000000LL };
static volatile uint64_t uv[] = { 0, 1, 3, 0xffffffffULL, 0x100000001ULL, 0xfedcba9876543210ULL, UINT64_MAX };

static void wide_arith(void)
{
    printf("== 64-bit arithmetic ==\n");
    for (unsigned i = 0; i < sizeof sv / sizeof sv[0]; i++)
        for (unsigned j = 0; j < sizeof sv / sizeof sv[0]; j++) {
            int64_t a = sv[i], b = sv[j];
            if (b == 0 || (a == INT64_MIN && b == -1))
                continue; /* undefined in C; the M-extension behaviour is tested with asm below */
            if (((i * 7 + j) % 5) != 0)
                continue; /* a sample is enough */
            printf("[%u,%u] ", i, j);
            p64("q", (uint64_t)(a / b));
            p64("r", (uint64_t)(a % b));
            p64("p", (uint64_t)(a * b));
            printf("\n");
        }
    for (unsigned i = 0; i < sizeof uv / sizeof uv[0]; i++) {
        uint64_t a = uv[i], b = uv[(i + 3) % (sizeof uv / sizeof uv[0])];
        printf("u[%u] ", i);
        if (b != 0) {
            p64("q", a / b);
            p64("r", a % b);
        }
        p64("shl13", a << 13);
        p64("shr37", a >> 37);
        p64("sar45", (uint64_t)((int64_t)a >> 45));
        printf("%s\n", a < b ? "lt" : a == b ? "eq" : "gt");
    }
    volatile unsigned sh = 33;
    p64("1<<33", (uint64_t)1 << sh);
    p64("x>>33", uv[5] >> sh);
    printf("\n");
    uint64_t acc = 1;
    for (int i = 1; i <= 20; i++)
        acc *= (uint64_t)i;
    p64("20!", acc);
    printf("20! %% 1000000007 = %lu\n", (unsigned long)(acc % 1000000007u));
}

/* the M extension defines results for what C leaves undefined */
static void m_extension(void)
{
    printf("== M extension edge cases (xlen %d) ==\n", (int)__riscv_xlen);
    long a = 12345, z = 0, mn = LONG_MIN, m1 = -1, r;
    unsigned long ur;
    __asm__ volatile("div %0, %1, %2" : "=r"(r) : "r"(a), "r"(z));
    printf("div x/0 = %ld\n", r);
    __asm__ volatile("divu %0, %1, %2" : "=r"(ur) : "r"(a), "r"(z));
    printf("divu x/0 = %lx\n", ur);
    __asm__ volatile("rem %0, %1, %2" : "=r"(r) : "r"(a), "r"(z));
    printf("rem x%%0 = %ld\n", r);
    __asm__ volatile("remu %0, %1, %2" : "=r"(ur) : "r"(-a), "r"(z));
    printf("remu -x%%0 = %lx\n", ur);
    __asm__ volatile("div %0, %1, %2" : "=r"(r) : "r"(mn), "r"(m1));
    printf("div MIN/-1 = %lx\n", (unsigned long)r);
    __asm__ volatile("rem %0, %1, %2" : "=r"(r) : "r"(mn), "r"(m1));
    printf("rem MIN%%-1 = %ld\n", r);
    __asm__ volatile("div %0, %1, %2" : "=r"(r) : "r"(-7L), "r"(2L));
    printf("div -7/2 = %ld, ", r);
    __asm__ volatile("rem %0, %1, %2" : "=r"(r) : "r"(-7L), "r"(2L));
    printf("rem -7%%2 = %ld\n", r);
    long big = (long)(~0UL >> 1) - 12;
    __asm__ volatile("mulh %0, %1, %2" : "=r"(r) : "r"(big), "r"(-big));
    printf("mulh = %lx, ", (unsigned long)r);
    __asm__ volatile("mulhu %0, %1, %2" : "=r"(ur) : "r"(-3L), "r"(-5L));
    printf("mulhu = %lx, ", ur);
    __asm__ volatile("mulhsu %0, %1, %2" : "=r"(r) : "r"(-3L), "r"(-5L));
    printf("mulhsu = %lx\n", (unsigned long)r);
#if __riscv_xlen == 64
    __asm__ volatile("divw %0, %1, %2" : "=r"(r) : "r"(0x80000000L), "r"(-1L));
    printf("divw MIN/-1 = %lx, ", (unsigned long)r);
    __asm__ volatile("remuw %0, %1, %2" : "=r"(r) : "r"(0x1234567fffffffffL), "r"(0L));
    printf("remuw x%%0 = %lx, ", (unsigned long)r);
    __asm__ volatile("divuw %0, %1, %2" : "=r"(r) : "r"(0x1234567fffffffffL), "r"(0L));
    printf("divuw x/0 = %lx, ", (unsigned long)r);
    __asm__ volatile("mulw %0, %1, %2" : "=r"(r) : "r"(0x7fffffffL), "r"(3L));
    printf("mulw = %lx\n", (unsigned long)r);
#endif
}

static void atomics(void)
{
    printf("== atomics ==\n");
    static volatile int counter = 5;
    static volatile long word = 100;
    int old = __atomic_fetch_add(&counter, 10, __ATOMIC_SEQ_CST);
    int old2 = __atomic_fetch_xor(&counter, 0xff, __ATOMIC_RELAXED);
    int old3 = __atomic_fetch_and(&counter, 0x3c, __ATOMIC_ACQUIRE);
    int old4 = __atomic_fetch_or(&counter, 0x100, __ATOMIC_RELEASE);
    int old5 = __atomic_exchange_n(&counter, -42, __ATOMIC_ACQ_REL);
    printf("fetch_add %d, fetch_xor %d, fetch_and %d, fetch_or %d, exchange %d, now %d\n", old, old2, old3, old4, old5,
           counter);
    long expected = 100;
    int ok1 = __atomic_compare_exchange_n(&word, &expected, 200L, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    long expected2 = 100;
    int ok2 = __atomic_compare_exchange_n(&word, &expected2, 300L, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("cas 100->200 %d, cas 100->300 %d (saw %ld), word %ld\n", ok1, ok2, expected2, word);
    int mx = 3, mn = 3;
    __asm__ volatile("amomax.w %0, %2, (%1)" : "=r"(old) : "r"(&mx), "r"(-9) : "memory");
    __asm__ volatile("amominu.w %0, %2, (%1)" : "=r"(old2) : "r"(&mn), "r"(-9) : "memory");
    printf("amomax.w(3,-9) -> %d, amominu.w(3,-9) -> %d\n", mx, mn);
}

struct node {
    struct node *next;
    int value;
    char text[20];
};

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void heap_and_strings(void)
{
    printf("== malloc ==\n");
    struct node *head = NULL;
    for (int i = 0; i < 500; i++) {
        struct node *n = malloc(sizeof *n);
        if (n == NULL) {
            printf("malloc failed at %d\n", i);
            return;
        }
        n->value = i * i % 977;
        snprintf(n->text, sizeof n->text, "node-%d", i);
        n->next = head;
        head = n;
    }
    long sum = 0;
    int count = 0;
    while (head != NULL) {
        struct node *next = head->next;
        sum += head->value + (long)strlen(head->text);
        count++;
        free(head);
        head = next;
    }
    printf("list of %d nodes, sum %ld\n", count, sum);
    int *arr = NULL;
    size_t cap = 0;
    for (int i = 0; i < 3000; i++) {
        if ((size_t)i == cap) {
            cap = cap ? cap * 2 : 4;
            int *grown = realloc(arr, cap * sizeof *arr);
            if (grown == NULL) {
                printf("realloc failed\n");
                free(arr);
                return;
            }
            arr = grown;
        }
        arr[i] = (i * 7919) % 3001;
    }
    qsort(arr, 3000, sizeof *arr, cmp_int);
    printf("realloc'd to %u ints, sorted: %d %d %d ... %d\n", (unsigned)cap, arr[0], arr[1], arr[2], arr[2999]);
    free(arr);
    char *big = malloc(1 << 20);
    printf("malloc 1 MiB %s\n", big != NULL ? "ok" : "failed");
    if (big != NULL) {
        memset(big, 'x', 1 << 20);
        big[(1 << 20) - 1] = 0;
        printf("strlen %u\n", (unsigned)strlen(big));
        free(big);
    }

    printf("== strings ==\n");
    char buf[64];
    strcpy(buf, "Hello");
    strcat(buf, ", ");
    strncat(buf, "RISC-V world!!!", 12);
    printf("[%s] len %u\n", buf, (unsigned)strlen(buf));
    printf("strcmp %d %d %d, strncmp %d, memcmp %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0,
           strcmp("same", "same"), strncmp("prefix-1", "prefix-2", 7), memcmp("\x01\x02", "\x01\x03", 2) < 0);
    printf("strchr %s, strrchr %s, strstr %s\n", strchr(buf, 'R'), strrchr(buf, 'o'), strstr(buf, "world"));
    char ov[] = "0123456789";
    memmove(ov + 2, ov, 6);
    printf("memmove overlap: %s\n", ov);
    memmove(ov, ov + 3, 5);
    printf("memmove back: %s\n", ov);
    char *end;
    printf("strtol: %ld %ld %ld, strtoul 0x%lx, atoi %d\n", strtol("  -1234xyz", &end, 10), strtol("777", NULL, 8),
           strtol("zz", NULL, 36), strtoul("DEADBEEF", NULL, 16), atoi("2147483647"));
    printf("rest after strtol: \"%s\"\n", end);
    char out[80];
    int n = snprintf(out, sizeof out, "%5d|%-5d|%05u|%x|%X|%o|%c|%s|%.3s|%%", 42, -7, 99u, 0xbeefu, 0xcafeu, 8u, 'Z', "str", "truncate");
    printf("snprintf -> %d: %s\n", n, out);
    n = snprintf(out, 8, "%s", "this does not fit");
    printf("snprintf truncated -> %d: %s\n", n, out);
}

static void doubles(void)
{
    printf("== double ==\n");
    volatile double a = 1.0, b = 3.0;
    double third = a / b;
    double acc = 0;
    for (int i = 1; i <= 100; i++)
        acc += 1.0 / ((double)i * (double)i);
    printf("1/3*1e9 = %ld, sum 1/i^2 *1e9 = %ld, (int)-2.7 = %d\n", (long)(third * 1e9), (long)(acc * 1e9),
           (int)(-2.7 * a));
}

int main(int argc, char **argv)
{
    printf("picotest rv%d %s, argc %d, argv[0] %s\n", (int)__riscv_xlen,
#ifdef __riscv_flen
           "hard-float",
#else
           "soft-float",
#endif
           argc, argv[0]);
    wide_arith();
    m_extension();
    atomics();
    heap_and_strings();
    doubles();
    printf("exiting with 3\n");
    return 3;
}
