/*
 * sandbox_abi.h: the riscv-sandbox host-call ABI for freestanding C guests (no libc, no headers needed).
 *
 * Host calls 500-541 (the libvmod-riscv system calls) and 580-591 (native heap and memory/string helpers): number in
 * a7, arguments in a0..a6 (fa0 for the TTL), result in a0 (remote calls also return a1..a3). Every wrapper is a raw
 * inline-asm ECALL with no checking on the guest side: the host validates everything, so misbehaving test programs
 * can pass any value they like through the same wrappers.
 *
 * Also here: the STOP instruction (.insn i SYSTEM,0,x0,x0,0x7ff = 0x7ff00073), which ends a forge callback with its
 * response (sa_response) or a storage trampoline with its result (sa_stop2), and the "dyncall" form of host calls
 * 500..539 (custom-2 opcode 0x5B, imm = number - 500, no a7).
 *
 * Works for RV32 (ilp32) and RV64 (lp64, lp64d); sa_ttl needs a double-float ABI (fa0).
 */
#ifndef SANDBOX_ABI_H
#define SANDBOX_ABI_H

typedef unsigned long sa_size;
typedef long sa_ssize;

/* ---- host call numbers ---------------------------------------------------------------------------------------- */
enum {
    SA_FAIL = 500, SA_ASSERT_FAIL = 501, SA_PRINT = 502, SA_LOG = 503, SA_BREAKPOINT = 504, SA_SIGNAL = 505,
    SA_IS_STORAGE = 506, SA_REMOTE_CALL = 507, SA_REMOTE_STRING_CALL = 508, SA_REGISTER_CALLBACK = 509,
    SA_DECISION = 510, SA_SET_BACKEND = 511, SA_BACKEND_DECISION = 512, SA_BAN = 513, SA_HASH_DATA = 514,
    SA_PURGE = 515, SA_SYNTH = 516, SA_CACHEABLE = 517, SA_TTL = 518, SA_FOREACH_FIELD = 519, SA_FIELD_GET = 520,
    SA_FIELD_RETRIEVE = 521, SA_FIELD_APPEND = 522, SA_FIELD_SET = 523, SA_FIELD_COPY = 524, SA_FIELD_UNSET = 525,
    SA_HTTP_ROLLBACK = 526, SA_HTTP_COPY = 527, SA_HTTP_STATUS = 528, SA_HTTP_UNSET_REGEX = 529, SA_HTTP_FIND = 530,
    SA_REGEX_COMPILE = 531, SA_REGEX_MATCH = 532, SA_REGEX_SUBST = 533, SA_REGEX_SUBST_FIELD = 534,
    SA_REGEX_FREE = 535, SA_SHA256 = 536, SA_FIELD_RETRIEVE_STRING = 537, SA_BASE64_DECODE = 538,
    SA_REGISTER_FUNCTION = 539, SA_BASE64_ENCODE = 540, SA_SET_BACKEND_NAME = 541,

    SA_MALLOC = 580, SA_CALLOC = 581, SA_REALLOC = 582, SA_FREE = 583, SA_MEMINFO = 584, SA_MEMCPY = 585,
    SA_MEMSET = 586, SA_MEMMOVE = 587, SA_MEMCMP = 588, SA_STRLEN = 590, SA_STRNCMP = 591,
};

/* ---- where (which HTTP object), field indices, callbacks ------------------------------------------------------ */
enum { HDR_REQ = 0, HDR_REQ_TOP = 1, HDR_RESP = 2, HDR_OBJ = 3, HDR_BEREQ = 4, HDR_BERESP = 5 };
enum { FLD_METHOD = 0, FLD_URL = 1, FLD_PROTO = 2, FLD_STATUS = 3, FLD_REASON = 4, FLD_UNUSED = 5, FLD_FIRST = 6 };
#define SA_INVALID 0xFFFFFFFFu
enum {
    CB_ON_RECV = 1, CB_ON_HASH = 2, CB_ON_SYNTH = 3, CB_ON_BACKEND_FETCH = 4, CB_ON_BACKEND_RESPONSE = 5,
    CB_ON_BACKEND_ERROR = 6, CB_ON_DELIVER = 7, CB_ON_HIT = 8, CB_ON_MISS = 9, CB_ON_LIVE_UPDATE = 10,
    CB_ON_RESUME_UPDATE = 11,
};
/* Bit 31 of regex_subst's size: replace every match. */
#define SA_SUBST_ALL 0x80000000u

/* One entry of the array foreach hands its callback; set deleted to unset the line afterwards. */
struct sa_field_entry {
    int where;
    unsigned index;
    unsigned char deleted;
    unsigned char foreach;
};

/* The libstdc++ std::string layout field_retrieve_string (537) writes. */
struct sa_std_string {
    char *ptr;
    sa_size len;
    union {
        char local[16];
        sa_size capacity;
    } u;
};

/* Two registers (a0, a1) a call hands back. */
struct sa_pair {
    long a0, a1;
};

/* ---- raw ECALLs ------------------------------------------------------------------------------------------------ */
#define SA_REG(r, name, v) register long r __asm__(name) = (long)(v)

static inline long sa_ecall0(long n)
{
    SA_REG(a7, "a7", n);
    register long a0 __asm__("a0");
    __asm__ volatile("ecall" : "=r"(a0) : "r"(a7) : "memory");
    return a0;
}

static inline long sa_ecall1(long n, long x0)
{
    SA_REG(a7, "a7", n); SA_REG(a0, "a0", x0);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

static inline long sa_ecall2(long n, long x0, long x1)
{
    SA_REG(a7, "a7", n); SA_REG(a0, "a0", x0); SA_REG(a1, "a1", x1);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a7) : "memory");
    return a0;
}

static inline long sa_ecall3(long n, long x0, long x1, long x2)
{
    SA_REG(a7, "a7", n); SA_REG(a0, "a0", x0); SA_REG(a1, "a1", x1); SA_REG(a2, "a2", x2);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

static inline long sa_ecall4(long n, long x0, long x1, long x2, long x3)
{
    SA_REG(a7, "a7", n); SA_REG(a0, "a0", x0); SA_REG(a1, "a1", x1); SA_REG(a2, "a2", x2); SA_REG(a3, "a3", x3);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a7) : "memory");
    return a0;
}

static inline long sa_ecall5(long n, long x0, long x1, long x2, long x3, long x4)
{
    SA_REG(a7, "a7", n); SA_REG(a0, "a0", x0); SA_REG(a1, "a1", x1); SA_REG(a2, "a2", x2); SA_REG(a3, "a3", x3);
    SA_REG(a4, "a4", x4);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a7) : "memory");
    return a0;
}

static inline long sa_ecall7(long n, long x0, long x1, long x2, long x3, long x4, long x5, long x6)
{
    SA_REG(a7, "a7", n); SA_REG(a0, "a0", x0); SA_REG(a1, "a1", x1); SA_REG(a2, "a2", x2); SA_REG(a3, "a3", x3);
    SA_REG(a4, "a4", x4); SA_REG(a5, "a5", x5); SA_REG(a6, "a6", x6);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a6), "r"(a7) : "memory");
    return a0;
}

/* The dyncall form (custom-2 opcode, imm = number - 500); host calls 500..539 only. */
#define SA_DYNCALL3(num, x0, x1, x2) __extension__({                                                          \
        SA_REG(a0_, "a0", x0); SA_REG(a1_, "a1", x1); SA_REG(a2_, "a2", x2);                                     \
        __asm__ volatile(".insn i 0x5B, 0, x0, x0, %3" : "+r"(a0_) : "r"(a1_), "r"(a2_), "i"((num) - 500)        \
                         : "memory");                                                                           \
        a0_; })

/* ---- the STOP instruction -------------------------------------------------------------------------------------- */

/* Ends a forge callback: the response is status (a0), content type (a1, a2) and body (a3, a4). */
__attribute__((noreturn)) static inline void sa_response(long status, const char *ctype, sa_size ctlen,
                                                         const void *body, sa_size blen)
{
    SA_REG(a0, "a0", status); SA_REG(a1, "a1", ctype); SA_REG(a2, "a2", ctlen); SA_REG(a3, "a3", body);
    SA_REG(a4, "a4", blen);
    __asm__ volatile(".insn i SYSTEM, 0, x0, x0, 0x7ff" : : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(a4) : "memory");
    __builtin_unreachable();
}

/* Ends a storage trampoline (508) or on_live_update with a result (pointer, length) in a0/a1. */
__attribute__((noreturn)) static inline void sa_stop2(const void *ptr, sa_size len)
{
    SA_REG(a0, "a0", ptr); SA_REG(a1, "a1", len);
    __asm__ volatile(".insn i SYSTEM, 0, x0, x0, 0x7ff" : : "r"(a0), "r"(a1) : "memory");
    __builtin_unreachable();
}

/* ---- 500-541 --------------------------------------------------------------------------------------------------- */
static inline long sa_fail(const char *msg, sa_size len) { return sa_ecall2(SA_FAIL, (long)msg, len); }
static inline long sa_assert_fail(const char *expr, const char *file, int line, const char *func)
{
    return sa_ecall4(SA_ASSERT_FAIL, (long)expr, (long)file, line, (long)func);
}
static inline long sa_print(const void *buf, sa_size len) { return sa_ecall2(SA_PRINT, (long)buf, len); }
static inline long sa_log(const void *buf, sa_size len) { return sa_ecall2(SA_LOG, (long)buf, len); }
static inline long sa_breakpoint(void) { return sa_ecall0(SA_BREAKPOINT); }
static inline long sa_signal(int sig, void (*handler)(int)) { return sa_ecall2(SA_SIGNAL, sig, (long)handler); }
static inline long sa_is_storage(void) { return sa_ecall0(SA_IS_STORAGE); }

/* 507: func(x0..x3) in the storage VM; its a0..a3 come back. */
struct sa_quad {
    long a0, a1, a2, a3;
};
static inline struct sa_quad sa_remote_call(void *func, long x0, long x1, long x2, long x3)
{
    SA_REG(a7, "a7", SA_REMOTE_CALL); SA_REG(a0, "a0", func); SA_REG(a1, "a1", x0); SA_REG(a2, "a2", x1);
    SA_REG(a3, "a3", x2); SA_REG(a4, "a4", x3);
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a4), "r"(a7) : "memory");
    struct sa_quad q = {a0, a1, a2, a3};
    return q;
}

/* 508: tramp(func, copy_of_data, len) in the storage VM, ending with sa_stop2(result, len); returns a heap copy. */
static inline struct sa_pair sa_remote_string_call(void *tramp, void *func, const void *data, sa_size len)
{
    SA_REG(a7, "a7", SA_REMOTE_STRING_CALL); SA_REG(a0, "a0", tramp); SA_REG(a1, "a1", func); SA_REG(a2, "a2", data);
    SA_REG(a3, "a3", len);
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a3), "r"(a7) : "memory");
    struct sa_pair p = {a0, a1};
    return p;
}

static inline long sa_register_callback(unsigned idx, void *address)
{
    return sa_ecall2(SA_REGISTER_CALLBACK, (long)idx, (long)address);
}
/* 510 in a request: the decision, value 0 (the status), paused; stops the hook. */
static inline long sa_decision(const char *name, sa_size len, long status, int paused)
{
    return sa_ecall4(SA_DECISION, (long)name, len, status, paused);
}
/* 510 while main() initialises: ends main()'s run (on_recv and the exit address may be 0). */
static inline long sa_wait_for_requests(void *on_recv, void *on_exit)
{
    return sa_ecall2(SA_DECISION, (long)on_recv, (long)on_exit);
}
static inline long sa_set_backend(long idx) { return sa_ecall1(SA_SET_BACKEND, idx); }
/* 512 in a request: forge (func != 0: decision "backend") or compute (func == 0); stops the hook. */
static inline long sa_backend_decision(unsigned caching, void *func, long farg, long farglen)
{
    return sa_ecall4(SA_BACKEND_DECISION, (long)caching, (long)func, farg, farglen);
}
/* 512 inside a forge callback: the "fast response" (registers as for sa_response). */
static inline long sa_backend_response(long status, const char *ctype, sa_size ctlen, const void *body, sa_size blen)
{
    return sa_ecall5(SA_BACKEND_DECISION, status, (long)ctype, ctlen, (long)body, blen);
}
static inline long sa_ban(const char *expr, sa_size len) { return sa_ecall2(SA_BAN, (long)expr, len); }
static inline long sa_hash_data(const void *buf, sa_size len) { return sa_ecall2(SA_HASH_DATA, (long)buf, len); }
static inline long sa_purge(void) { return sa_ecall0(SA_PURGE); }
static inline long sa_synth(long status, const char *ctype, sa_size ctlen, const void *body, sa_size blen)
{
    return sa_ecall5(SA_SYNTH, status, (long)ctype, ctlen, (long)body, blen);
}
static inline long sa_cacheable(int set, int value) { return sa_ecall2(SA_CACHEABLE, set, value); }
#if defined(__riscv_flen) && __riscv_flen >= 64 && defined(__riscv_float_abi_double)
#define SA_HAVE_TTL 1
static inline double sa_ttl(int set, double value)
{
    SA_REG(a7, "a7", SA_TTL); SA_REG(a0, "a0", set);
    register double fa0 __asm__("fa0") = value;
    __asm__ volatile("ecall" : "+r"(a0), "+f"(fa0) : "r"(a7) : "memory");
    return fa0;
}
#endif
static inline long sa_foreach_field(int where, void (*func)(void *, struct sa_field_entry *, sa_size), void *data)
{
    return sa_ecall3(SA_FOREACH_FIELD, where, (long)func, (long)data);
}
static inline long sa_field_get(int where, unsigned idx) { return sa_ecall2(SA_FIELD_GET, where, (long)idx); }
static inline long sa_field_retrieve(int where, unsigned idx, char *buf, sa_size size)
{
    return sa_ecall4(SA_FIELD_RETRIEVE, where, (long)idx, (long)buf, size);
}
static inline long sa_field_append(int where, const char *line, sa_size len)
{
    return sa_ecall3(SA_FIELD_APPEND, where, (long)line, len);
}
static inline long sa_field_set(int where, unsigned idx, const char *text, sa_size len)
{
    return sa_ecall4(SA_FIELD_SET, where, (long)idx, (long)text, len);
}
static inline long sa_field_copy(int where, unsigned idx, int src_where, unsigned src_idx)
{
    return sa_ecall4(SA_FIELD_COPY, where, (long)idx, src_where, (long)src_idx);
}
static inline long sa_field_unset(int where, unsigned idx) { return sa_ecall2(SA_FIELD_UNSET, where, (long)idx); }
static inline long sa_http_rollback(int where) { return sa_ecall1(SA_HTTP_ROLLBACK, where); }
static inline long sa_http_copy(int where, unsigned idx, int dest)
{
    return sa_ecall3(SA_HTTP_COPY, where, (long)idx, dest);
}
/* 528: sets the status; a negative status reads it. */
static inline long sa_http_status(int where, long status) { return sa_ecall2(SA_HTTP_STATUS, where, status); }
static inline long sa_http_unset_regex(int where, unsigned handle)
{
    return sa_ecall2(SA_HTTP_UNSET_REGEX, where, (long)handle);
}
static inline long sa_http_find(int where, const char *name, sa_size len)
{
    return sa_ecall3(SA_HTTP_FIND, where, (long)name, len);
}
static inline long sa_regex_compile(const char *re, sa_size len) { return sa_ecall2(SA_REGEX_COMPILE, (long)re, len); }
static inline long sa_regex_match(unsigned handle, const char *subject, sa_size len)
{
    return sa_ecall3(SA_REGEX_MATCH, (long)handle, (long)subject, len);
}
/* 533: size with SA_SUBST_ALL replaces every match; returns the length or -1 if it does not fit. */
static inline long sa_regex_subst(unsigned handle, const char *subject, sa_size slen, const char *repl, sa_size rlen,
                                  char *dst, unsigned size)
{
    return sa_ecall7(SA_REGEX_SUBST, (long)handle, (long)subject, slen, (long)repl, rlen, (long)dst, (long)size);
}
static inline long sa_regex_subst_field(unsigned handle, int where, unsigned idx, const char *repl, sa_size rlen,
                                        int all)
{
    SA_REG(a7, "a7", SA_REGEX_SUBST_FIELD); SA_REG(a0, "a0", handle); SA_REG(a1, "a1", where); SA_REG(a2, "a2", idx);
    SA_REG(a3, "a3", repl); SA_REG(a4, "a4", rlen); SA_REG(a5, "a5", all);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7) : "memory");
    return a0;
}
static inline long sa_regex_free(unsigned handle) { return sa_ecall1(SA_REGEX_FREE, (long)handle); }
static inline long sa_sha256(const void *data, sa_size len, void *dst, sa_size dstlen)
{
    return sa_ecall4(SA_SHA256, (long)data, len, (long)dst, dstlen);
}
static inline long sa_field_retrieve_string(int where, unsigned idx, struct sa_std_string *out)
{
    return sa_ecall3(SA_FIELD_RETRIEVE_STRING, where, (long)idx, (long)out);
}
static inline long sa_base64_decode(const char *src, sa_size len, void *dst, sa_size size)
{
    return sa_ecall4(SA_BASE64_DECODE, (long)src, len, (long)dst, size);
}
static inline long sa_register_func(const char *name, sa_size len, void *fn)
{
    return sa_ecall3(SA_REGISTER_FUNCTION, (long)name, len, (long)fn);
}
static inline long sa_base64_encode(const void *src, sa_size len, char *dst, sa_size size)
{
    return sa_ecall4(SA_BASE64_ENCODE, (long)src, len, (long)dst, size);
}
static inline long sa_set_backend_name(const char *name, sa_size len)
{
    return sa_ecall2(SA_SET_BACKEND_NAME, (long)name, len);
}

/* ---- 580-591 --------------------------------------------------------------------------------------------------- */
static inline void *sa_malloc(sa_size n) { return (void *)sa_ecall1(SA_MALLOC, n); }
static inline void *sa_calloc(sa_size n, sa_size size) { return (void *)sa_ecall2(SA_CALLOC, n, size); }
static inline void *sa_realloc(void *p, sa_size n) { return (void *)sa_ecall2(SA_REALLOC, (long)p, n); }
static inline long sa_free(void *p) { return sa_ecall1(SA_FREE, (long)p); }
/* 584: writes {free, used, chunks} (words) to dst. */
static inline long sa_meminfo(sa_size *dst) { return sa_ecall1(SA_MEMINFO, (long)dst); }
static inline void *sa_memcpy(void *d, const void *s, sa_size n) { return (void *)sa_ecall3(SA_MEMCPY, (long)d, (long)s, n); }
static inline void *sa_memset(void *d, int c, sa_size n) { return (void *)sa_ecall3(SA_MEMSET, (long)d, c, n); }
static inline void *sa_memmove(void *d, const void *s, sa_size n)
{
    return (void *)sa_ecall3(SA_MEMMOVE, (long)d, (long)s, n);
}
static inline int sa_memcmp(const void *a, const void *b, sa_size n)
{
    return (int)sa_ecall3(SA_MEMCMP, (long)a, (long)b, n);
}
static inline sa_size sa_strlen(const char *s) { return (sa_size)sa_ecall1(SA_STRLEN, (long)s); }
static inline int sa_strncmp(const char *a, const char *b, sa_size n)
{
    return (int)sa_ecall3(SA_STRNCMP, (long)a, (long)b, n);
}

/* ---- Linux system calls the runtime uses ------------------------------------------------------------------------ */
__attribute__((noreturn)) static inline void sa_exit(int status)
{
    sa_ecall1(94, status); /* exit_group */
    for (;;) {
    }
}

#endif
