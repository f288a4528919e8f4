/*
 * abi_misbehave: a hostile tenant. Every route breaks the ABI or the machine in one way (endless loops, memory bombs,
 * wild pointers, header injection, bad statuses, oversized lengths, invalid where/index/regex handles, too many
 * regexes, init-only calls from a request, catastrophic regexes, ...). Driven by MisbehavingGuestTest, which checks
 * that each request fails alone, with the right status and message, and that the tenant then still serves "/ok".
 *
 * argv[1] (the tenant's "arguments") selects a misbehaving initialisation instead; see main().
 */
#include "abi_runtime.h"

static long counter;
static char big[20000]; /* 'a' * 20000 after main() */

static long find(int where, const char *name)
{
    return sa_http_find(where, name, strlen(name));
}

static void ok_response(void)
{
    out_reset();
    kv("counter", ++counter);
    sa_synth(200, S("text/plain"), out, out_len);
}

/* ---- storage VM functions ------------------------------------------------------------------------------------- */
static long storage_count;

__attribute__((used, noinline)) long storage_inc(long x)
{
    storage_count += x;
    return storage_count;
}

__attribute__((used, noinline)) long storage_crash(void)
{
    return *WILD_PTR(volatile long *);
}

__attribute__((used, noinline)) long storage_spin(void)
{
    for (;;) {
        __asm__ volatile("");
    }
}

__attribute__((used, noinline)) long storage_nested(void)
{
    return sa_remote_call((void *)storage_inc, 1, 0, 0, 0).a0;
}

__attribute__((used, noinline)) long storage_hash(void)
{
    return sa_hash_data(S("x"));
}

__attribute__((used, noinline)) long storage_exit(void)
{
    sa_exit(9);
}

/* A 508 trampoline that forgets the STOP. */
__attribute__((used, noinline)) long storage_tramp_returns(void *f, const char *data, sa_size len)
{
    (void)f;
    (void)data;
    return (long)len;
}

/* A 508 trampoline whose result is a wild pointer. */
__attribute__((used, noreturn)) void storage_tramp_wild(void *f, const char *data, sa_size len)
{
    (void)f;
    (void)data;
    (void)len;
    sa_stop2(WILD_PTR(const void *), 100);
}

/* ---- nested callbacks ----------------------------------------------------------------------------------------- */
static void fe_spin(void *data, struct sa_field_entry *e, sa_size n)
{
    (void)data;
    (void)e;
    (void)n;
    for (;;) {
        __asm__ volatile("");
    }
}

static void fe_append(void *data, struct sa_field_entry *e, sa_size n)
{
    (void)data;
    (void)e;
    (void)n;
    sa_field_append(HDR_REQ, S("X-During-Foreach: 1"));
}

static void fe_unset(void *data, struct sa_field_entry *e, sa_size n)
{
    (void)data;
    (void)n;
    sa_field_unset(e[0].where, e[0].index);
}

static void fe_recurse(void *data, struct sa_field_entry *e, sa_size n);
static void fe_recurse(void *data, struct sa_field_entry *e, sa_size n)
{
    (void)e;
    (void)n;
    sa_foreach_field(HDR_REQ, fe_recurse, data);
}

static void on_signal_spin(int sig)
{
    (void)sig;
    for (;;) {
        __asm__ volatile("");
    }
}

static long recurse(long depth)
{
    volatile char frame[4096];
    frame[0] = (char)depth;
    if (wild_address == 0) {
        return 0;
    }
    return recurse(depth + 1) + frame[0];
}

/* ---- forge callbacks ------------------------------------------------------------------------------------------- */
__attribute__((used)) void forge_bad(long arg, const char *post, sa_size len)
{
    (void)post;
    (void)len;
    switch (arg) {
    case 1:
        sa_response(42, S("text/plain"), S("bad status"));
    case 2:
        sa_response(1000, S("text/plain"), S("bad status"));
    case 3:
        return; /* no STOP */
    case 4:
        for (;;) {
            __asm__ volatile("");
        }
    case 5:
        sa_response(*WILD_PTR(volatile long *), S("text/plain"), S("x"));
    case 6: {
        char buf[64];
        sa_field_retrieve(HDR_REQ, FLD_URL, buf, sizeof(buf)); /* req is not available in a forge callback */
        sa_response(200, S("text/plain"), S("reached"));
    }
    case 7:
        sa_response(200, S("text/html\r\nX-Evil: 1"), S("x"));
    case 8:
        sa_response(200, S("text/plain"), WILD_PTR(const void *), 10);
    case 9:
        sa_response(200, S("text/plain"), big, 0x7fffffff);
    case 10:
        sa_field_append(HDR_BERESP, S("X-Evil: a\r\nSet-Cookie: x"));
        sa_response(200, S("text/plain"), S("reached"));
    case 11:
        sa_response(200, "text/plain", 300, S("x")); /* content type longer than 256 */
    default:
        sa_response(200, S("text/plain"), S("fine"));
    }
}

/* ---- hooks --------------------------------------------------------------------------------------------------- */
#define IS(path) route(u, path)

__attribute__((used)) void on_recv(unsigned long w1, unsigned long w2, const char *empty)
{
    const char *u = read_url(HDR_REQ);
    char buf[256];
    (void)w1;
    (void)w2;
    (void)empty;
    out_reset();
    if (IS("/ok")) {
        ok_response();
    }
    /* the machine */
    else if (IS("/loop")) {
        for (;;) {
            __asm__ volatile("");
        }
    } else if (IS("/loop-hostcalls")) {
        for (;;) {
            sa_is_storage();
        }
    } else if (IS("/membomb")) {
        volatile char *p = sa_malloc(256u << 20);
        for (unsigned long i = 0; p && i < (256u << 20); i += 4096) {
            p[i] = 1;
        }
        ok_response();
    } else if (IS("/membomb-memset")) {
        void *p = sa_malloc(256u << 20);
        sa_memset(p, 1, 256u << 20);
        ok_response();
    } else if (IS("/stack-overflow")) {
        recurse(0);
    } else if (IS("/wild-read")) {
        kv("v", *WILD_PTR(volatile long *));
    } else if (IS("/wild-write")) {
        *WILD_PTR(volatile long *) = 1;
    } else if (IS("/wild-jump")) {
        ((void (*)(void))wild_address)();
    } else if (IS("/write-text")) {
        *(volatile unsigned *)(void *)on_recv = 0; /* code is not writable */
    } else if (IS("/illegal")) {
        __asm__ volatile(".word 0");
    } else if (IS("/exit")) {
        sa_exit(3);
    } else if (IS("/print-multiline")) {
        sa_print(S("first line\n[t-other] forged line\n"));
        sa_log(S("log line\r\n[t-other] forged log line"));
        ok_response();
    } else if (IS("/unknown-syscall")) {
        kv("s777", sa_ecall1(777, 0));
        kv("s589", sa_ecall1(589, 0));
        sa_synth(200, S("text/plain"), out, out_len);
    }
    /* host calls with wild pointers */
    else if (IS("/wild-retrieve-buf")) {
        sa_field_retrieve(HDR_REQ, FLD_URL, WILD_PTR(char *), 100);
    } else if (IS("/wild-append")) {
        sa_field_append(HDR_REQ, WILD_PTR(const char *), 10);
    } else if (IS("/wild-foreach")) {
        sa_foreach_field(HDR_REQ, WILD_PTR(void (*)(void *, struct sa_field_entry *, sa_size)), 0);
    } else if (IS("/wild-sha256-dst")) {
        sa_sha256(S("abc"), WILD_PTR(void *), 32);
    } else if (IS("/wild-assert")) {
        sa_assert_fail(WILD_PTR(const char *), "f", 1, "g");
    } else if (IS("/wild-rstring")) {
        sa_field_retrieve_string(HDR_REQ, FLD_URL, WILD_PTR(struct sa_std_string *));
    }
    /* header injection */
    else if (IS("/inject-crlf")) {
        sa_field_append(HDR_REQ, S("X-A: b\r\nX-Evil: 1"));
    } else if (IS("/inject-lf-set")) {
        sa_field_set(HDR_REQ, (unsigned)find(HDR_REQ, "X-Victim"), S("X-Victim: x\ny"));
    } else if (IS("/inject-name")) {
        sa_field_append(HDR_REQ, S("Bad Name: v"));
    } else if (IS("/inject-nocolon")) {
        sa_field_append(HDR_REQ, S("NoColon"));
    } else if (IS("/inject-empty-name")) {
        sa_field_append(HDR_REQ, S(": v"));
    } else if (IS("/inject-nul")) {
        sa_field_append(HDR_REQ, "X-N: a\0b", 8);
    } else if (IS("/inject-url")) {
        sa_field_set(HDR_REQ, FLD_URL, S("/a b"));
    } else if (IS("/inject-url-crlf")) {
        sa_field_set(HDR_REQ, FLD_URL, S("/a\r\nX-Evil: 1"));
    } else if (IS("/inject-method")) {
        sa_field_set(HDR_REQ, FLD_METHOD, S("GE T"));
    } else if (IS("/inject-proto")) {
        sa_field_set(HDR_REQ, FLD_PROTO, S("HTTP/1.1\r\nX: y"));
    } else if (IS("/inject-set-nocolon")) {
        sa_field_set(HDR_REQ, (unsigned)find(HDR_REQ, "X-Victim"), S("NoColonHere"));
    } else if (IS("/inject-subst-field")) {
        long h = sa_regex_compile(S("Victim"));
        sa_regex_subst_field(h, HDR_REQ, (unsigned)find(HDR_REQ, "X-Victim"), S("V\r\nX-Evil: 1"), 0);
    } else if (IS("/inject-ctype")) {
        sa_synth(200, S("text/html\r\nX-Evil: 1"), S("x"));
    } else if (IS("/inject-ban")) {
        sa_ban(S("req.url ~ a\nb"));
    } else if (IS("/inject-decision")) {
        sa_decision(S("pa\r\nss"), 0, 0);
    } else if (IS("/decision-empty")) {
        sa_decision("", 0, 0, 0);
    } else if (IS("/decision-long")) {
        sa_decision(big, 65, 0, 0);
    } else if (IS("/inject-backend")) {
        sa_set_backend_name(S("bad name"));
    }
    /* statuses */
    else if (IS("/synth-42")) {
        sa_synth(42, S("text/plain"), S("x"));
    } else if (IS("/synth-1000")) {
        sa_synth(1000, S("text/plain"), S("x"));
    } else if (IS("/synth-wrap")) {
        sa_synth(0x100C8, S("text/plain"), S("x")); /* 200 in the low 16 bits */
    } else if (IS("/decision-synth-42")) {
        sa_decision(S("synth"), 42, 0);
    } else if (IS("/decision-synth-1000")) {
        sa_decision(S("synth"), 1000, 0);
    } else if (IS("/status-req")) {
        sa_http_status(HDR_REQ, 200);
    } else if (IS("/forge-wild-func")) {
        sa_backend_decision(0, WILD_PTR(void *), 0, 0);
    } else if (starts_with(u, "/onsynth-")) {
        sa_decision(S("synth"), 200, 0); /* the misbehaviour is in on_synth */
    } else if (IS("/forge")) {
        sa_backend_decision(0, (void *)forge_bad, parse_dec(query(u), 0), 0);
    }
    /* oversized lengths */
    else if (IS("/oversized-print")) {
        sa_print(big, 1ul << 30);
    } else if (IS("/oversized-log")) {
        sa_log(big, 1ul << 30);
    } else if (IS("/oversized-append")) {
        sa_field_append(HDR_REQ, big, sizeof(big));
    } else if (IS("/oversized-negative")) {
        sa_field_append(HDR_REQ, big, (sa_size)-1);
    } else if (IS("/oversized-hash")) {
        sa_hash_data(big, 17ul << 20);
    } else if (IS("/oversized-sha256")) {
        sa_sha256(big, (sa_size)-1, buf, 32);
    } else if (IS("/oversized-ban")) {
        sa_ban(big, 2000);
    } else if (IS("/oversized-find")) {
        sa_http_find(HDR_REQ, big, 9000);
    } else if (IS("/oversized-regex")) {
        sa_regex_compile(big, 5000);
    } else if (IS("/oversized-regex-subject")) {
        char *subject = sa_malloc(2u << 20);
        sa_memset(subject, 'x', 2u << 20);
        sa_regex_match(sa_regex_compile(S("y")), subject, 2u << 20);
    } else if (IS("/oversized-b64")) {
        sa_base64_encode(big, 9ul << 20, buf, sizeof(buf));
    } else if (IS("/oversized-memcpy")) {
        sa_memcpy(buf, big, 1ul << 30);
    } else if (IS("/oversized-memset")) {
        sa_memset(buf, 0, (sa_size)-1);
    } else if (IS("/oversized-memcmp")) {
        sa_memcmp(buf, big, (sa_size)-1);
    } else if (IS("/oversized-fail")) {
        sa_fail(big, sizeof(big));
    } else if (IS("/oversized-decision-synth-body")) {
        sa_synth(200, S("text/plain"), big, 17ul << 20);
    } else if (IS("/oversized-function-name")) {
        sa_register_func(big, 300, (void *)ok_response);
    } else if (IS("/log-flood")) {
        long total = 0;
        for (int i = 0; i < 130; i++) {
            total += sa_log(big, 16000);
        }
        kv("logged", total);
        sa_synth(200, S("text/plain"), out, out_len);
    }
    /* invalid where / index */
    else if (IS("/where-9")) {
        sa_field_retrieve(9, FLD_URL, buf, sizeof(buf));
    } else if (IS("/where-obj")) {
        sa_field_retrieve(HDR_OBJ, FLD_URL, buf, sizeof(buf));
    } else if (IS("/where-negative")) {
        sa_http_find(-1, S("Host"));
    } else if (IS("/where-bereq")) {
        sa_field_append(HDR_BEREQ, S("X-A: b"));
    } else if (IS("/where-resp")) {
        sa_field_retrieve(HDR_RESP, FLD_STATUS, buf, sizeof(buf));
    } else if (IS("/where-rollback")) {
        sa_http_rollback(7);
    } else if (IS("/bad-where")) {
        /* where = 9 for the call named in the query */
        struct sa_std_string str;
        long h = sa_regex_compile(S("x"));
        switch (parse_dec(query(u), 0)) {
        case SA_FOREACH_FIELD: sa_foreach_field(9, fe_append, 0); break;
        case SA_FIELD_RETRIEVE: sa_field_retrieve(9, FLD_URL, buf, sizeof(buf)); break;
        case SA_FIELD_APPEND: sa_field_append(9, S("X-A: b")); break;
        case SA_FIELD_SET: sa_field_set(9, FLD_FIRST, S("X-A: b")); break;
        case SA_FIELD_COPY: sa_field_copy(9, FLD_FIRST, HDR_REQ, FLD_FIRST); break;
        case SA_FIELD_UNSET: sa_field_unset(9, FLD_FIRST); break;
        case SA_HTTP_ROLLBACK: sa_http_rollback(9); break;
        case SA_HTTP_COPY: sa_http_copy(HDR_REQ, FLD_FIRST, 9); break;
        case SA_HTTP_STATUS: sa_http_status(9, 200); break;
        case SA_HTTP_UNSET_REGEX: sa_http_unset_regex(9, h); break;
        case SA_HTTP_FIND: sa_http_find(9, S("Host")); break;
        case SA_REGEX_SUBST_FIELD: sa_regex_subst_field(h, 9, FLD_FIRST, S("y"), 0); break;
        case SA_FIELD_RETRIEVE_STRING: sa_field_retrieve_string(9, FLD_FIRST, &str); break;
        default: break;
        }
        sa_synth(200, S("text/plain"), S("where 9 accepted"));
    } else if (IS("/garbage-args")) {
        /* calls without an error condition: any register contents must be harmless */
        long g = (long)0xdeadbeefcafef00dull;
        kv("breakpoint", sa_ecall7(SA_BREAKPOINT, g, -1, g, g, g, g, g));
        kv("is_storage", sa_ecall7(SA_IS_STORAGE, g, -1, g, g, g, g, g));
        kv("purge", sa_ecall7(SA_PURGE, g, -1, g, g, g, g, g));
        kv("field_get", sa_ecall7(SA_FIELD_GET, g, -1, g, g, g, g, g));
        sa_synth(200, S("text/plain"), out, out_len);
    } else if (IS("/bad-index")) {
        kv("retrieve", sa_field_retrieve(HDR_REQ, 1000, buf, sizeof(buf)));
        kv("retrieve_huge", sa_field_retrieve(HDR_REQ, 0x7fffffff, buf, sizeof(buf)));
        kv("set", sa_field_set(HDR_REQ, 1000, S("X-A: b")));
        kv("unset", sa_field_unset(HDR_REQ, 1000));
        kv("copy", sa_field_copy(HDR_REQ, 1000, HDR_REQ, 1001));
        kv("http_copy", sa_http_copy(HDR_REQ, 1000, HDR_REQ));
        kv("rstring", sa_field_retrieve_string(HDR_REQ, 1000, (struct sa_std_string *)buf));
        sa_synth(200, S("text/plain"), out, out_len);
    } else if (IS("/unset-proto")) {
        sa_field_unset(HDR_REQ, FLD_URL);
    } else if (IS("/set-status-field")) {
        sa_field_set(HDR_REQ, FLD_STATUS, S("200"));
    } else if (IS("/too-many-headers")) {
        long last = 0;
        int n = 0;
        while ((last = sa_field_append(HDR_REQ, S("X-Many: 1"))) >= 0 && n < 1000) {
            n++;
        }
        kv("appended", n);
        kv("last", last);
        sa_synth(200, S("text/plain"), out, out_len);
    }
    /* regex misuse */
    else if (IS("/regex-handle-99")) {
        sa_regex_match(99, S("x"));
    } else if (IS("/regex-handle-unused")) {
        sa_regex_match(15, S("x"));
    } else if (IS("/regex-freed")) {
        long h = sa_regex_compile(S("abc"));
        sa_regex_free(h);
        sa_regex_match(h, S("abc"));
    } else if (IS("/regex-free-99")) {
        sa_regex_free(99);
    } else if (IS("/regex-syntax")) {
        sa_regex_compile(S("(unclosed"));
    } else if (IS("/regex-unset-bad-handle")) {
        sa_http_unset_regex(HDR_REQ, 1234);
    } else if (IS("/regex-subst-bad-handle")) {
        sa_regex_subst(77, S("x"), S("y"), buf, sizeof(buf));
    } else if (IS("/too-many-regexes")) {
        char re[8] = "re-0000";
        for (int i = 0; i < 17; i++) {
            re[5] = (char)('0' + i / 10);
            re[6] = (char)('0' + i % 10);
            kv("h", sa_regex_compile(re, 7));
        }
    } else if (IS("/catastrophic") || IS("/catastrophic-subst") || IS("/catastrophic-unset")) {
        /* java.util.regex memoises (a+)+$ and friends; this one still backtracks exponentially */
        long h = sa_regex_compile(S("(.*a){20}"));
        memset(buf, 'a', 40);
        buf[40] = '!';
        if (IS("/catastrophic")) {
            kv("matched", sa_regex_match(h, buf, 41));
        } else if (IS("/catastrophic-subst")) {
            char dst[128];
            kv("subst", sa_regex_subst(h, buf, 41, S("x"), dst, sizeof(dst)));
        } else {
            sa_field_append(HDR_REQ, S("X-Cat: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"));
            kv("unset", sa_http_unset_regex(HDR_REQ, h));
        }
        sa_synth(200, S("text/plain"), out, out_len);
    } else if (IS("/catastrophic-empty")) {
        sa_regex_compile(S("(|)(|)(|)(|)(|)(|)(|)(|)(|)(|)(|)(|)(|)(|)(|)(|)(|)(|)(|)(|)(?!)"));
    }
    /* init-only calls */
    else if (IS("/register-callback")) {
        sa_register_callback(CB_ON_RECV, (void *)ok_response);
    } else if (IS("/register-func")) {
        sa_register_func(S("evil"), (void *)ok_response);
    }
    /* the native heap */
    else if (IS("/double-free")) {
        void *p = sa_malloc(64);
        sa_free(p);
        sa_free(p);
    } else if (IS("/wild-free")) {
        sa_free((void *)0x1234);
    } else if (IS("/wild-realloc")) {
        sa_realloc(big, 100);
    } else if (IS("/wild-memcpy")) {
        sa_memcpy(WILD_PTR(void *), big, 16);
    } else if (IS("/wild-memmove")) {
        sa_memmove(WILD_PTR(void *), big, 16);
    } else if (IS("/wild-meminfo")) {
        sa_meminfo(WILD_PTR(sa_size *));
    } else if (IS("/wild-strlen")) {
        sa_strlen(WILD_PTR(const char *));
    } else if (IS("/strlen-unterminated")) {
        char *p = sa_malloc(70000);
        sa_memset(p, 'x', 70000);
        sa_strlen(p);
    } else if (IS("/strncmp-long")) {
        char *p = sa_malloc(70000), *q = sa_malloc(70000);
        sa_memset(p, 'x', 70000);
        sa_memset(q, 'x', 70000);
        sa_strncmp(p, q, 100000);
    } else if (IS("/heap-exhaust")) {
        long n = 0;
        while (sa_malloc(1u << 20) != 0 && n < 100000) {
            n++;
        }
        kv("chunks", n);
        sa_synth(200, S("text/plain"), out, out_len);
    }
    /* nested guest calls */
    else if (IS("/foreach-loop")) {
        sa_foreach_field(HDR_REQ, fe_spin, 0);
    } else if (IS("/foreach-append")) {
        sa_foreach_field(HDR_REQ, fe_append, 0);
    } else if (IS("/foreach-unset")) {
        sa_foreach_field(HDR_REQ, fe_unset, 0);
    } else if (IS("/foreach-recursive")) {
        sa_foreach_field(HDR_REQ, fe_recurse, 0);
    } else if (IS("/signal-loop")) {
        sa_signal(11, on_signal_spin);
        *WILD_PTR(volatile long *) = 1;
    }
    /* the storage VM */
    else if (IS("/storage-count")) {
        kv("count", sa_remote_call((void *)storage_inc, 1, 0, 0, 0).a0);
        sa_synth(200, S("text/plain"), out, out_len);
    } else if (IS("/storage-crash")) {
        sa_remote_call((void *)storage_crash, 0, 0, 0, 0);
    } else if (IS("/storage-loop")) {
        sa_remote_call((void *)storage_spin, 0, 0, 0, 0);
    } else if (IS("/storage-nested")) {
        sa_remote_call((void *)storage_nested, 0, 0, 0, 0);
    } else if (IS("/storage-hash")) {
        sa_remote_call((void *)storage_hash, 0, 0, 0, 0);
    } else if (IS("/storage-wild-func")) {
        sa_remote_call(WILD_PTR(void *), 0, 0, 0, 0);
    } else if (IS("/storage-exit")) {
        sa_remote_call((void *)storage_exit, 0, 0, 0, 0);
    } else if (IS("/storage-no-stop")) {
        sa_remote_string_call((void *)storage_tramp_returns, 0, S("abc"));
    } else if (IS("/storage-wild-result")) {
        sa_remote_string_call((void *)storage_tramp_wild, 0, S("abc"));
    } else if (IS("/storage-oversized")) {
        sa_remote_string_call((void *)storage_tramp_wild, 0, big, 17ul << 20);
    }
    /* cache hints misuse */
    else if (IS("/ttl-negative")) {
#ifdef SA_HAVE_TTL
        sa_ttl(1, -1.0);
#else
        sa_fail(S("ttl needs a double-float ABI"));
#endif
    } else if (IS("/ttl-nan")) {
#ifdef SA_HAVE_TTL
        sa_ttl(1, __builtin_nan(""));
#else
        sa_fail(S("ttl needs a double-float ABI"));
#endif
    } else if (IS("/too-many-bans")) {
        for (int i = 0; i < 17; i++) {
            sa_ban(S("req.url ~ x"));
        }
    } else if (IS("/deliver-ok") || starts_with(u, "/deliver-")) {
        /* continue: the misbehaviour is in on_deliver */
    } else {
        sa_fail(S("no such route"));
    }
}

__attribute__((used)) void on_deliver(unsigned long w1, unsigned long w2, const char *empty)
{
    const char *u = read_url(HDR_REQ);
    char buf[64];
    (void)w1;
    (void)w2;
    (void)empty;
    if (IS("/deliver-status-42")) {
        sa_http_status(HDR_RESP, 42);
    } else if (IS("/deliver-status-1000")) {
        sa_http_status(HDR_RESP, 1000);
    } else if (IS("/deliver-synth")) {
        sa_synth(200, S("text/plain"), S("x"));
    } else if (IS("/deliver-bereq")) {
        sa_field_retrieve(HDR_BEREQ, FLD_URL, buf, sizeof(buf));
    } else if (IS("/deliver-inject")) {
        sa_field_append(HDR_RESP, S("Set-Cookie: a=b\r\nX-Evil: 1"));
    } else if (IS("/deliver-reason-crlf")) {
        sa_field_set(HDR_RESP, FLD_REASON, S("OK\r\nX-Evil: 1"));
    } else if (IS("/deliver-loop")) {
        for (;;) {
            __asm__ volatile("");
        }
    } else if (IS("/deliver-hash")) {
        /* allowed: the request's hints are gone by now, but the call must not crash */
        sa_hash_data(S("late"));
    }
}

__attribute__((used)) void on_synth(unsigned long w1, unsigned long w2, const char *empty)
{
    const char *u = read_url(HDR_REQ);
    char buf[64];
    (void)w1;
    (void)w2;
    (void)empty;
    if (IS("/onsynth-status-42")) {
        sa_synth(42, S("text/plain"), S("x"));
    } else if (IS("/onsynth-set-status-1000")) {
        sa_http_status(HDR_RESP, 1000);
    } else if (IS("/onsynth-bereq")) {
        sa_field_retrieve(HDR_BEREQ, FLD_URL, buf, sizeof(buf));
    } else if (IS("/onsynth-inject")) {
        sa_field_append(HDR_RESP, S("X-A: 1\r\nX-Evil: 2"));
    } else if (IS("/onsynth-loop")) {
        for (;;) {
            __asm__ volatile("");
        }
    } else if (IS("/onsynth-register-callback")) {
        sa_register_callback(CB_ON_SYNTH, (void *)ok_response);
    }
}

/* ---- initialisation: argv[1] picks a misbehaviour ---------------------------------------------------------------- */
static void reg(const char *name, void *fn)
{
    sa_register_func(name, strlen(name), fn);
}

static char *f_ok(const char *arg, sa_size len)
{
    (void)arg;
    (void)len;
    return "ok";
}

static char *f_loop(const char *arg, sa_size len)
{
    (void)arg;
    (void)len;
    while (wild_address) {
        __asm__ volatile("");
    }
    return "unreachable";
}

static char *f_wild_result(const char *arg, sa_size len)
{
    (void)arg;
    (void)len;
    return WILD_PTR(char *);
}

static char *f_unterminated(const char *arg, sa_size len)
{
    (void)arg;
    (void)len;
    char *p = sa_malloc(20000);
    sa_memset(p, 'x', 20000);
    return p;
}

static char *f_req(const char *arg, sa_size len)
{
    (void)arg;
    (void)len;
    static char buf[256];
    long n = sa_field_retrieve(HDR_REQ, FLD_URL, buf, sizeof(buf) - 1);
    buf[n < 0 ? 0 : n] = 0;
    return buf;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    memset(big, 'a', sizeof(big));
    sa_register_callback(CB_ON_DELIVER, (void *)on_deliver);
    sa_register_callback(CB_ON_SYNTH, (void *)on_synth);
    reg("ok", (void *)f_ok);
    reg("loop", (void *)f_loop);
    reg("wild_result", (void *)f_wild_result);
    reg("unterminated", (void *)f_unterminated);
    reg("req_url", (void *)f_req);
    if (str_eq(mode, "init-remote-call")) {
        sa_remote_call((void *)storage_inc, 1, 0, 0, 0);
    } else if (str_eq(mode, "init-register-cb-12")) {
        sa_register_callback(12, (void *)on_recv);
    } else if (str_eq(mode, "init-register-func-empty")) {
        sa_register_func("", 0, (void *)f_ok);
    } else if (str_eq(mode, "init-register-func-long")) {
        sa_register_func(big, 257, (void *)f_ok);
    } else if (str_eq(mode, "init-too-many-funcs")) {
        char name[8] = "f-0000";
        for (int i = 0; i < 1100; i++) {
            name[2] = (char)('0' + i / 1000 % 10);
            name[3] = (char)('0' + i / 100 % 10);
            name[4] = (char)('0' + i / 10 % 10);
            name[5] = (char)('0' + i % 10);
            sa_register_func(name, 6, (void *)f_ok);
        }
    } else if (str_eq(mode, "init-hash")) {
        sa_hash_data(S("x"));
    } else if (str_eq(mode, "init-synth")) {
        sa_synth(200, S("text/plain"), S("x"));
    } else if (str_eq(mode, "init-set-backend")) {
        sa_set_backend(1);
    } else if (str_eq(mode, "init-cacheable")) {
        sa_cacheable(1, 1);
    } else if (str_eq(mode, "init-too-many-regexes")) {
        char re[8] = "re-0000";
        for (int i = 0; i < 17; i++) {
            re[5] = (char)('0' + i / 10);
            re[6] = (char)('0' + i % 10);
            sa_regex_compile(re, 7);
        }
    } else if (str_eq(mode, "init-return")) {
        return 5;
    } else if (str_eq(mode, "init-loop")) {
        for (;;) {
            __asm__ volatile("");
        }
    } else if (str_eq(mode, "init-fault")) {
        return (int)*WILD_PTR(volatile long *);
    } else if (str_eq(mode, "init-fail")) {
        sa_fail(S("refusing to start"));
    }
    sa_wait_for_requests((void *)on_recv, 0);
    return 0;
}
