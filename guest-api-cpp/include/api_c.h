/*
 * api_c.h: the riscv-sandbox tenant API for C (and the raw layer under api.h).
 *
 * One ECALL wrapper per host call of docs/abi.md (500-548, 580-591), the STOP instruction that ends forge
 * callbacks and storage trampolines, and the constants (where, field indices, callbacks). Header-only, no libc
 * needed: it works freestanding, with picolibc (rv32 and rv64) and with glibc (rv64, under api.h).
 *
 * Conventions: host call number in a7, arguments in a0..a6, result in a0. Results documented as INVALID
 * (0xFFFFFFFF) arrive as -1 (sign-extended on RV64). Calls that make a decision (api_decision, api_forge,
 * api_synth) stop the hook and never return; they are declared noreturn.
 *
 * Freestanding programs with picolibc also include api_c_runtime.h once (it has _start); see docs/guest-cpp.md.
 */
#ifndef RISCV_SANDBOX_API_C_H
#define RISCV_SANDBOX_API_C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#define API_C_NORETURN [[noreturn]]
#else
#define API_C_NORETURN _Noreturn
#endif

/* ---- constants ------------------------------------------------------------------------------------------------ */

/* HTTP objects (the "where" argument). */
enum api_where { API_REQ = 0, API_REQ_TOP = 1, API_RESP = 2, API_OBJ = 3, API_BEREQ = 4, API_BERESP = 5 };

/* Field indices: 0-4 are the head, header lines start at 6. Indices shift when a line is unset. */
enum api_field {
    API_FIELD_METHOD = 0, API_FIELD_URL = 1, API_FIELD_PROTO = 2, API_FIELD_STATUS = 3, API_FIELD_REASON = 4,
    API_FIELD_FIRST_HEADER = 6
};

/* INVALID: "no such field/handle"; functions below return it as -1. */
#define API_INVALID 0xFFFFFFFFu

/* Callback slots for api_register_callback (509). */
enum api_callback {
    API_ON_RECV = 1, API_ON_HASH = 2, API_ON_SYNTH = 3, API_ON_BACKEND_FETCH = 4, API_ON_BACKEND_RESPONSE = 5,
    API_ON_BACKEND_ERROR = 6, API_ON_DELIVER = 7, API_ON_HIT = 8, API_ON_MISS = 9, API_ON_LIVE_UPDATE = 10,
    API_ON_RESUME_UPDATE = 11
};

/* Host call numbers. */
enum api_syscall {
    API_SYS_FAIL = 500, API_SYS_ASSERT_FAIL = 501, API_SYS_PRINT = 502, API_SYS_LOG = 503, API_SYS_BREAKPOINT = 504,
    API_SYS_SIGNAL = 505, API_SYS_IS_STORAGE = 506, API_SYS_STORAGE_CALL = 507, API_SYS_STORAGE_STRING_CALL = 508,
    API_SYS_REGISTER_CALLBACK = 509, API_SYS_DECISION = 510, API_SYS_SET_BACKEND = 511, API_SYS_FORGE = 512,
    API_SYS_BAN = 513, API_SYS_HASH_DATA = 514, API_SYS_PURGE = 515, API_SYS_SYNTH = 516, API_SYS_CACHEABLE = 517,
    API_SYS_TTL = 518, API_SYS_FOREACH_FIELD = 519, API_SYS_FIELD_RETRIEVE = 521, API_SYS_FIELD_APPEND = 522,
    API_SYS_FIELD_SET = 523, API_SYS_FIELD_COPY = 524, API_SYS_FIELD_UNSET = 525, API_SYS_HTTP_ROLLBACK = 526,
    API_SYS_HTTP_COPY = 527, API_SYS_HTTP_STATUS = 528, API_SYS_HTTP_UNSET_REGEX = 529, API_SYS_HTTP_FIND = 530,
    API_SYS_REGEX_COMPILE = 531, API_SYS_REGEX_MATCH = 532, API_SYS_REGEX_SUBST = 533,
    API_SYS_REGEX_SUBST_FIELD = 534, API_SYS_REGEX_FREE = 535, API_SYS_SHA256 = 536, API_SYS_BASE64_DECODE = 538,
    API_SYS_REGISTER_FUNCTION = 539, API_SYS_BASE64_ENCODE = 540, API_SYS_SET_BACKEND_NAME = 541,
    API_SYS_XML_PARSE = 542, API_SYS_XML_SET_ATTRIBUTE = 543, API_SYS_XML_GET_ATTRIBUTE = 544,
    API_SYS_XML_SERIALIZE = 545, API_SYS_XML_FREE = 546, API_SYS_XML_GET_TEXT = 547, API_SYS_XML_SET_TEXT = 548,
    API_SYS_JSON_VALIDATE = 549, API_SYS_JSON_EXTRACT = 550,
    API_SYS_MALLOC = 580, API_SYS_CALLOC = 581, API_SYS_REALLOC = 582, API_SYS_FREE = 583, API_SYS_MEMINFO = 584,
    API_SYS_MEMCPY = 585, API_SYS_MEMSET = 586, API_SYS_MEMMOVE = 587, API_SYS_MEMCMP = 588, API_SYS_STRLEN = 590,
    API_SYS_STRNCMP = 591
};

/* Bit 31 of api_regex_subst's size: replace every match. */
#define API_SUBST_ALL 0x80000000u

/* A hook: where1/where2 are HTTP objects (-1 if none), arg an empty string. Return 0. */
typedef long (*api_hook)(int where1, int where2, const char *arg);

/* One header line handed to a foreach callback; set deleted = 1 to unset the line after the call. */
struct api_field_entry {
    int32_t where;
    uint32_t index;
    uint8_t deleted;
    uint8_t foreach;
    uint8_t pad_[2];
};
typedef void (*api_foreach_fn)(void *data, struct api_field_entry *entries, size_t count);

/* ---- raw ECALLs ----------------------------------------------------------------------------------------------- */
#define API_C_REG(r, name, v) register long r __asm__(name) = (long)(v)

static inline long api_syscall0(long n)
{
    API_C_REG(a7, "a7", n);
    register long a0 __asm__("a0");
    __asm__ volatile("ecall" : "=r"(a0) : "r"(a7) : "memory");
    return a0;
}

static inline long api_syscall1(long n, long x0)
{
    API_C_REG(a7, "a7", n); API_C_REG(a0, "a0", x0);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

static inline long api_syscall2(long n, long x0, long x1)
{
    API_C_REG(a7, "a7", n); API_C_REG(a0, "a0", x0); API_C_REG(a1, "a1", x1);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a7) : "memory");
    return a0;
}

static inline long api_syscall3(long n, long x0, long x1, long x2)
{
    API_C_REG(a7, "a7", n); API_C_REG(a0, "a0", x0); API_C_REG(a1, "a1", x1); API_C_REG(a2, "a2", x2);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

static inline long api_syscall4(long n, long x0, long x1, long x2, long x3)
{
    API_C_REG(a7, "a7", n); API_C_REG(a0, "a0", x0); API_C_REG(a1, "a1", x1); API_C_REG(a2, "a2", x2);
    API_C_REG(a3, "a3", x3);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a7) : "memory");
    return a0;
}

static inline long api_syscall5(long n, long x0, long x1, long x2, long x3, long x4)
{
    API_C_REG(a7, "a7", n); API_C_REG(a0, "a0", x0); API_C_REG(a1, "a1", x1); API_C_REG(a2, "a2", x2);
    API_C_REG(a3, "a3", x3); API_C_REG(a4, "a4", x4);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a7) : "memory");
    return a0;
}

static inline long api_syscall6(long n, long x0, long x1, long x2, long x3, long x4, long x5)
{
    API_C_REG(a7, "a7", n); API_C_REG(a0, "a0", x0); API_C_REG(a1, "a1", x1); API_C_REG(a2, "a2", x2);
    API_C_REG(a3, "a3", x3); API_C_REG(a4, "a4", x4); API_C_REG(a5, "a5", x5);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7) : "memory");
    return a0;
}

static inline long api_syscall7(long n, long x0, long x1, long x2, long x3, long x4, long x5, long x6)
{
    API_C_REG(a7, "a7", n); API_C_REG(a0, "a0", x0); API_C_REG(a1, "a1", x1); API_C_REG(a2, "a2", x2);
    API_C_REG(a3, "a3", x3); API_C_REG(a4, "a4", x4); API_C_REG(a5, "a5", x5); API_C_REG(a6, "a6", x6);
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a6), "r"(a7) : "memory");
    return a0;
}

/* Host calls that stop the hook are never resumed; if one ever were, trap rather than run on. */
#define API_C_STOPPED() do { __builtin_trap(); } while (0)

/* ---- STOP: ends a host -> guest call with the registers as they are --------------------------------------------- */

/* Ends a forge callback with its response: status, content type, body (docs/abi.md "Forge callbacks"). */
API_C_NORETURN static inline void api_forge_response(long status, const char *ctype, size_t ctlen,
                                                     const void *body, size_t blen)
{
    API_C_REG(a0, "a0", status); API_C_REG(a1, "a1", ctype); API_C_REG(a2, "a2", ctlen);
    API_C_REG(a3, "a3", body); API_C_REG(a4, "a4", blen);
    __asm__ volatile(".insn i SYSTEM, 0, x0, x0, 0x7ff" : : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(a4) : "memory");
    __builtin_unreachable();
}

/* Ends a storage string trampoline (508) or on_live_update with a result buffer. */
API_C_NORETURN static inline void api_stop_with_buffer(const void *ptr, size_t len)
{
    API_C_REG(a0, "a0", ptr); API_C_REG(a1, "a1", len);
    __asm__ volatile(".insn i SYSTEM, 0, x0, x0, 0x7ff" : : "r"(a0), "r"(a1) : "memory");
    __builtin_unreachable();
}

/* ---- 500-506: diagnostics --------------------------------------------------------------------------------------- */
API_C_NORETURN static inline void api_fail(const char *msg, size_t len)
{
    api_syscall2(API_SYS_FAIL, (long)msg, (long)len);
    API_C_STOPPED();
}
API_C_NORETURN static inline void api_assert_fail(const char *expr, const char *file, int line, const char *func)
{
    api_syscall4(API_SYS_ASSERT_FAIL, (long)expr, (long)file, line, (long)func);
    API_C_STOPPED();
}
static inline long api_print(const char *text, size_t len) { return api_syscall2(API_SYS_PRINT, (long)text, (long)len); }
static inline long api_log(const char *text, size_t len) { return api_syscall2(API_SYS_LOG, (long)text, (long)len); }
static inline void api_breakpoint(void) { api_syscall0(API_SYS_BREAKPOINT); }
/* handler(11) runs once if a later hook of this VM fails. */
static inline void api_signal(void (*handler)(int)) { api_syscall2(API_SYS_SIGNAL, 11, (long)handler); }
static inline int api_is_storage(void) { return (int)api_syscall0(API_SYS_IS_STORAGE); }

/* EXPECT: fails the request with "file:line: function: assertion 'expr' failed" unless expr holds. */
#define API_EXPECT(expr) \
    ((expr) ? (void)0 : api_assert_fail(#expr, __FILE__, __LINE__, __func__))

/* ---- 507/508: the storage VM ---------------------------------------------------------------------------------- */
struct api_regs4 {
    long a0, a1, a2, a3;
};

/* Calls fn(x0..x3) in the tenant's storage VM; its a0..a3 come back. */
static inline struct api_regs4 api_storage_call(void *fn, long x0, long x1, long x2, long x3)
{
    API_C_REG(a7, "a7", API_SYS_STORAGE_CALL); API_C_REG(a0, "a0", fn); API_C_REG(a1, "a1", x0);
    API_C_REG(a2, "a2", x1); API_C_REG(a3, "a3", x2); API_C_REG(a4, "a4", x3);
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a4), "r"(a7) : "memory");
    struct api_regs4 r = {a0, a1, a2, a3};
    return r;
}

/*
 * Calls tramp(fn, copy_of_data, len) in the storage VM; tramp must end with api_stop_with_buffer(result, len).
 * Returns the result, copied onto this VM's host-managed heap (free it with api_native_free), or NULL when empty.
 */
static inline void *api_storage_string_call(void *tramp, void *fn, const void *data, size_t len, size_t *result_len)
{
    API_C_REG(a7, "a7", API_SYS_STORAGE_STRING_CALL); API_C_REG(a0, "a0", tramp); API_C_REG(a1, "a1", fn);
    API_C_REG(a2, "a2", data); API_C_REG(a3, "a3", len);
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a3), "r"(a7) : "memory");
    if (result_len) {
        *result_len = (size_t)a1;
    }
    return (void *)a0;
}

/* ---- 509/510/539: registration (only while main() initialises) --------------------------------------------- */
static inline void api_register_callback(enum api_callback index, void *fn)
{
    api_syscall2(API_SYS_REGISTER_CALLBACK, (long)index, (long)fn);
}
/* Registers on_recv (may be NULL) and ends main()'s run: the paused program becomes the snapshot. */
API_C_NORETURN static inline void api_wait_for_requests(api_hook on_recv)
{
    api_syscall2(API_SYS_DECISION, (long)on_recv, 0);
    API_C_STOPPED();
}
/* Makes fn callable by name from the host: char *fn(const char *arg, size_t len) returning a C string or NULL. */
static inline void api_register_function(const char *name, size_t len, char *(*fn)(const char *, size_t))
{
    api_syscall3(API_SYS_REGISTER_FUNCTION, (long)name, (long)len, (long)fn);
}

/* ---- 510-518: decisions and cache hints --------------------------------------------------------------------- */
API_C_NORETURN static inline void api_decision(const char *name, size_t len, long status)
{
    api_syscall4(API_SYS_DECISION, (long)name, (long)len, status, 0);
    API_C_STOPPED();
}
/* Chooses upstream 0-255; -1 otherwise. */
static inline long api_set_backend(long index) { return api_syscall1(API_SYS_SET_BACKEND, index); }
/* Chooses an upstream by name (a token). */
static inline void api_set_backend_name(const char *name, size_t len)
{
    api_syscall2(API_SYS_SET_BACKEND_NAME, (long)name, (long)len);
}
/*
 * Forges the response: the host calls tramp(arg, body, body_len) after on_recv, which must end with
 * api_forge_response(). cached != 0 lets the host cache the response.
 */
typedef void (*api_forge_fn)(void *arg, const uint8_t *body, size_t len);
API_C_NORETURN static inline void api_forge(int cached, api_forge_fn tramp, void *arg)
{
    api_syscall4(API_SYS_FORGE, cached, (long)tramp, (long)arg, 0);
    API_C_STOPPED();
}
static inline void api_ban(const char *expr, size_t len) { api_syscall2(API_SYS_BAN, (long)expr, (long)len); }
static inline void api_hash_data(const void *data, size_t len)
{
    api_syscall2(API_SYS_HASH_DATA, (long)data, (long)len);
}
static inline void api_purge(void) { api_syscall0(API_SYS_PURGE); }
/* The response: status, content type, body. on_recv and on_synth only. */
API_C_NORETURN static inline void api_synth(long status, const char *ctype, size_t ctlen, const void *body,
                                            size_t blen)
{
    api_syscall5(API_SYS_SYNTH, status, (long)ctype, (long)ctlen, (long)body, (long)blen);
    API_C_STOPPED();
}
/* set: record whether the response may be cached. Returns the current value (1 until set). */
static inline int api_cacheable(int set, int value) { return (int)api_syscall2(API_SYS_CACHEABLE, set, value); }
#if defined(__riscv_float_abi_double)
/* set: record the TTL in seconds (finite, >= 0). Returns the TTL (0 until set). Double-float ABIs only. */
static inline double api_ttl(int set, double seconds)
{
    API_C_REG(a7, "a7", API_SYS_TTL); API_C_REG(a0, "a0", set);
    register double fa0 __asm__("fa0") = seconds;
    __asm__ volatile("ecall" : "+r"(a0), "+f"(fa0) : "r"(a7) : "memory");
    return fa0;
}
#endif

/* ---- 519-530: HTTP objects and fields ------------------------------------------------------------------------ */
/* Calls fn(data, entries, count) once with every header line of where (budget 50 000 instructions). */
static inline long api_foreach_field(int where, api_foreach_fn fn, void *data)
{
    return api_syscall3(API_SYS_FOREACH_FIELD, where, (long)fn, (long)data);
}
/* Copies the field (and a NUL if room remains); length, or -1 if missing/too small. buf 0, size 0: length. */
static inline long api_field_retrieve(int where, unsigned index, char *buf, size_t size)
{
    return api_syscall4(API_SYS_FIELD_RETRIEVE, where, (long)index, (long)buf, (long)size);
}
/* Appends "Name: value"; the new index, or -1 when the object is full. */
static inline long api_field_append(int where, const char *line, size_t len)
{
    return api_syscall3(API_SYS_FIELD_APPEND, where, (long)line, (long)len);
}
/* Replaces field 0-2, 4 or a header line; -1 if missing. */
static inline long api_field_set(int where, unsigned index, const char *text, size_t len)
{
    return api_syscall4(API_SYS_FIELD_SET, where, (long)index, (long)text, (long)len);
}
static inline long api_field_copy(int where, unsigned index, int src_where, unsigned src_index)
{
    return api_syscall4(API_SYS_FIELD_COPY, where, (long)index, src_where, (long)src_index);
}
static inline long api_field_unset(int where, unsigned index)
{
    return api_syscall2(API_SYS_FIELD_UNSET, where, (long)index);
}
static inline void api_http_rollback(int where) { api_syscall1(API_SYS_HTTP_ROLLBACK, where); }
/* Appends a copy of header line index to dest; the new index or -1. */
static inline long api_http_copy(int where, unsigned index, int dest)
{
    return api_syscall3(API_SYS_HTTP_COPY, where, (long)index, dest);
}
/* RESP or BERESP: status >= 0 sets it, negative reads it. */
static inline long api_http_status(int where, long status) { return api_syscall2(API_SYS_HTTP_STATUS, where, status); }
static inline long api_http_unset_regex(int where, int handle)
{
    return api_syscall2(API_SYS_HTTP_UNSET_REGEX, where, handle);
}
/* Index of the first header line with that name (any case), or -1. */
static inline long api_http_find(int where, const char *name, size_t len)
{
    return api_syscall3(API_SYS_HTTP_FIND, where, (long)name, (long)len);
}

/* ---- 531-535: regular expressions (java.util.regex syntax; at most 16 handles per VM) ----------------------- */
static inline int api_regex_compile(const char *pattern, size_t len)
{
    return (int)api_syscall2(API_SYS_REGEX_COMPILE, (long)pattern, (long)len);
}
static inline int api_regex_match(int handle, const char *subject, size_t len)
{
    return (int)api_syscall3(API_SYS_REGEX_MATCH, handle, (long)subject, (long)len);
}
/* Writes the result and a NUL into dst; length or -1 if it does not fit. size | API_SUBST_ALL: every match. */
static inline long api_regex_subst(int handle, const char *subject, size_t slen, const char *repl, size_t rlen,
                                   char *dst, uint32_t size)
{
    return api_syscall7(API_SYS_REGEX_SUBST, handle, (long)subject, (long)slen, (long)repl, (long)rlen, (long)dst,
                        (long)size);
}
static inline long api_regex_subst_field(int handle, int where, unsigned index, const char *repl, size_t rlen,
                                         int all)
{
    return api_syscall6(API_SYS_REGEX_SUBST_FIELD, handle, where, (long)index, (long)repl, (long)rlen, all);
}
static inline long api_regex_free(int handle) { return api_syscall1(API_SYS_REGEX_FREE, handle); }

/* ---- 536/538/540: digests and base64 ------------------------------------------------------------------------ */
/* Writes the 32-byte SHA-256 of data into dst (size >= 32); returns 32, or 0 if dst is too small. */
static inline long api_sha256(const void *data, size_t len, void *dst, size_t size)
{
    return api_syscall4(API_SYS_SHA256, (long)data, (long)len, (long)dst, (long)size);
}
static inline long api_base64_decode(const char *text, size_t len, void *dst, size_t size)
{
    return api_syscall4(API_SYS_BASE64_DECODE, (long)text, (long)len, (long)dst, (long)size);
}
static inline long api_base64_encode(const void *data, size_t len, char *dst, size_t size)
{
    return api_syscall4(API_SYS_BASE64_ENCODE, (long)data, (long)len, (long)dst, (long)size);
}

/* ---- 549/550: JSON on the host (Jackson, streaming): far cheaper than parsing in the guest ------------------- */
/* 1 if the text is one well-formed JSON value, else 0. */
static inline long api_json_validate(const char *text, size_t len)
{
    return api_syscall2(API_SYS_JSON_VALIDATE, (long)text, (long)len);
}
/* The value at a JSON Pointer ("/a/0/b"): a string unquoted, anything else as compact JSON, NUL-terminated if room
   remains. Returns its length, or -1 (malformed, absent, bad pointer, too small); dst NULL with size 0: length only. */
static inline long api_json_extract(const char *text, size_t len, const char *pointer, size_t plen, char *dst,
                                    size_t size)
{
    return api_syscall6(API_SYS_JSON_EXTRACT, (long)text, (long)len, (long)pointer, (long)plen, (long)dst,
                        (long)size);
}

/* ---- 542-548: XML documents (handles per VM, at most 4 documents) ------------------------------------------- */
/* A handle >= 0, or -1 if the document is not well-formed or has a DOCTYPE. */
static inline int api_xml_parse(const char *text, size_t len)
{
    return (int)api_syscall2(API_SYS_XML_PARSE, (long)text, (long)len);
}
/* Number of elements changed; -1 for an invalid XPath. */
static inline long api_xml_set_attribute(int doc, const char *xpath, size_t xlen, const char *name, size_t nlen,
                                         const char *value, size_t vlen)
{
    return api_syscall7(API_SYS_XML_SET_ATTRIBUTE, doc, (long)xpath, (long)xlen, (long)name, (long)nlen, (long)value,
                        (long)vlen);
}
/* Length of the first match's attribute; -1 if none or dst is too small. */
static inline long api_xml_get_attribute(int doc, const char *xpath, size_t xlen, const char *name, size_t nlen,
                                         char *dst, size_t size)
{
    return api_syscall7(API_SYS_XML_GET_ATTRIBUTE, doc, (long)xpath, (long)xlen, (long)name, (long)nlen, (long)dst,
                        (long)size);
}
/* Length of the serialised document; dst 0 with size 0 returns the length only; -1 if dst is too small. */
static inline long api_xml_serialize(int doc, char *dst, size_t size)
{
    return api_syscall3(API_SYS_XML_SERIALIZE, doc, (long)dst, (long)size);
}
static inline long api_xml_free(int doc) { return api_syscall1(API_SYS_XML_FREE, doc); }
/* Length of the first match's text; -1 if none or dst is too small. */
static inline long api_xml_get_text(int doc, const char *xpath, size_t xlen, char *dst, size_t size)
{
    return api_syscall5(API_SYS_XML_GET_TEXT, doc, (long)xpath, (long)xlen, (long)dst, (long)size);
}
/* Number of elements changed; -1 for an invalid XPath. */
static inline long api_xml_set_text(int doc, const char *xpath, size_t xlen, const char *text, size_t tlen)
{
    return api_syscall5(API_SYS_XML_SET_TEXT, doc, (long)xpath, (long)xlen, (long)text, (long)tlen);
}

/* ---- 580-591: the host-managed heap and memory helpers (each call costs about 2000 instructions) ----------- */
static inline void *api_native_malloc(size_t size) { return (void *)api_syscall1(API_SYS_MALLOC, (long)size); }
static inline void *api_native_calloc(size_t n, size_t size)
{
    return (void *)api_syscall2(API_SYS_CALLOC, (long)n, (long)size);
}
static inline void *api_native_realloc(void *p, size_t size)
{
    return (void *)api_syscall2(API_SYS_REALLOC, (long)p, (long)size);
}
static inline void api_native_free(void *p) { api_syscall1(API_SYS_FREE, (long)p); }
/* {free, used, chunks} of the host-managed heap. */
struct api_meminfo {
    long free_bytes, used_bytes, chunks;
};
static inline void api_native_meminfo(struct api_meminfo *info) { api_syscall1(API_SYS_MEMINFO, (long)info); }
static inline void *api_native_memcpy(void *d, const void *s, size_t n)
{
    return (void *)api_syscall3(API_SYS_MEMCPY, (long)d, (long)s, (long)n);
}
static inline void *api_native_memset(void *d, int c, size_t n)
{
    return (void *)api_syscall3(API_SYS_MEMSET, (long)d, c, (long)n);
}
static inline void *api_native_memmove(void *d, const void *s, size_t n)
{
    return (void *)api_syscall3(API_SYS_MEMMOVE, (long)d, (long)s, (long)n);
}
static inline int api_native_memcmp(const void *a, const void *b, size_t n)
{
    return (int)api_syscall3(API_SYS_MEMCMP, (long)a, (long)b, (long)n);
}
static inline size_t api_native_strlen(const char *s) { return (size_t)api_syscall1(API_SYS_STRLEN, (long)s); }
static inline int api_native_strncmp(const char *a, const char *b, size_t n)
{
    return (int)api_syscall3(API_SYS_STRNCMP, (long)a, (long)b, (long)n);
}

/* ---- conveniences for C ---------------------------------------------------------------------------------------- */
/* A string literal as (pointer, length). */
#define API_STR(lit) (lit), (sizeof(lit) - 1)

#ifdef __cplusplus
}
#endif
#endif
