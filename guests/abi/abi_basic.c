/*
 * abi_basic: a well-behaved tenant that exercises every host call (500-541, 580-591) along its success paths and the
 * error paths that return an error value rather than fault the request. Driven by AbiGuestTest.
 *
 * One program, many cases: on_recv routes by URL path. Each route reports what the calls returned as "key=value;"
 * pairs, either as the body of a synthetic response (synth 200 text/plain) or, when the request continues, as an
 * "X-Report" header appended to the forwarded request (or to the response in on_deliver/on_synth).
 *
 * Freestanding: no libc (abi_runtime.h has _start and the few helpers).
 */
#include "abi_runtime.h"

static long init_value;   /* set by main(): request VMs see the snapshot's value */
static long init_re = -1; /* a regex compiled in main(): request VMs inherit the handle */
static long counter;      /* incremented per request: always 1, requests never see each other */

/* ---- endings ---------------------------------------------------------------------------------------------------- */
static void finish_synth(void)
{
    sa_synth(200, S("text/plain"), out, out_len);
}

/* Appends the report as "X-Report: ..." to where and decides (name, value). */
static void finish_decision(int where, const char *name, long value)
{
    char line[sizeof(out) + 16];
    sa_size n = 0;
    memcpy(line, "X-Report: ", 10);
    n = 10;
    memcpy(line + n, out, out_len);
    n += out_len;
    sa_field_append(where, line, n);
    if (name) {
        sa_decision(name, strlen(name), value, 0);
    }
}

static long find(int where, const char *name)
{
    return sa_http_find(where, name, strlen(name));
}

/* ---- storage VM functions (run in the storage VM through 507/508) ---------------------------------------------- */
static long storage_total;
static char storage_log[2048];
static sa_size storage_log_len;

__attribute__((used, noinline)) struct sa_pair storage_add(long x)
{
    storage_total += x;
    struct sa_pair r = {storage_total, sa_is_storage()};
    return r;
}

__attribute__((used, noinline)) struct sa_pair storage_append(const char *data, sa_size len)
{
    for (sa_size i = 0; i < len && storage_log_len < sizeof(storage_log) - 1; i++) {
        storage_log[storage_log_len++] = data[i];
    }
    storage_log[storage_log_len++] = '|';
    struct sa_pair r = {(long)storage_log, (long)storage_log_len};
    return r;
}

__attribute__((used, noinline)) struct sa_pair storage_nothing(const char *data, sa_size len)
{
    (void)data;
    (void)len;
    struct sa_pair r = {0, 0};
    return r;
}

/* The 508 trampoline: tramp(func, data, len) ends with STOP and the result in a0/a1. */
__attribute__((used, noreturn)) void storage_tramp(struct sa_pair (*f)(const char *, sa_size), const char *data,
                                                   sa_size len)
{
    struct sa_pair r = f(data, len);
    sa_stop2((const void *)r.a0, (sa_size)r.a1);
}

/* ---- routes ------------------------------------------------------------------------------------------------------ */

/* Request headers: Host: example.com, X-Remove: bye, X-Echo: echo-me */
static void t_headers(void)
{
    char buf[128];
    long idx = sa_field_append(HDR_REQ, S("X-Added: one"));
    kv("append", idx);
    kv("find", sa_http_find(HDR_REQ, S("x-ADDED")));
    kv("find_missing", sa_http_find(HDR_REQ, S("X-Missing")));
    kv("find_prefix", sa_http_find(HDR_REQ, S("X-Add")));
    long n = sa_field_retrieve(HDR_REQ, idx, buf, sizeof(buf));
    kv("retrieve_len", n);
    ks("retrieve", buf, n > 0 ? n : 0);
    kv("retrieve_nul", n > 0 && buf[n] == 0);
    kv("retrieve_size_only", sa_field_retrieve(HDR_REQ, idx, 0, 0));
    kv("retrieve_small", sa_field_retrieve(HDR_REQ, idx, buf, 5));
    buf[12] = '#';
    kv("retrieve_exact", sa_field_retrieve(HDR_REQ, idx, buf, 12));
    kv("retrieve_exact_untouched", buf[12] == '#');
    kv("retrieve_invalid", sa_field_retrieve(HDR_REQ, SA_INVALID, buf, sizeof(buf)));
    kv("retrieve_beyond", sa_field_retrieve(HDR_REQ, 200, buf, sizeof(buf)));
    kv("retrieve_unused", sa_field_retrieve(HDR_REQ, FLD_UNUSED, buf, sizeof(buf)));
    n = sa_field_retrieve(HDR_REQ, FLD_METHOD, buf, sizeof(buf));
    ks("method", buf, n > 0 ? n : 0);
    n = sa_field_retrieve(HDR_REQ, FLD_PROTO, buf, sizeof(buf));
    ks("proto", buf, n > 0 ? n : 0);
    kv("status_field", sa_field_retrieve(HDR_REQ, FLD_STATUS, buf, sizeof(buf)));
    n = sa_field_retrieve(HDR_REQ, FLD_FIRST, buf, sizeof(buf));
    ks("first", buf, n > 0 ? n : 0);

    kv("set", sa_field_set(HDR_REQ, idx, S("X-Added: two")));
    n = sa_field_retrieve(HDR_REQ, idx, buf, sizeof(buf));
    ks("after_set", buf, n > 0 ? n : 0);
    kv("set_invalid", sa_field_set(HDR_REQ, SA_INVALID, S("X-A: b")));
    kv("set_unused", sa_field_set(HDR_REQ, FLD_UNUSED, S("x")));
    kv("set_beyond", sa_field_set(HDR_REQ, 300, S("X-A: b")));

    long r = find(HDR_REQ, "X-Remove");
    kv("remove_at", r);
    kv("unset", sa_field_unset(HDR_REQ, r));
    kv("unset_find", find(HDR_REQ, "X-Remove"));
    kv("unset_invalid", sa_field_unset(HDR_REQ, SA_INVALID));
    kv("unset_beyond", sa_field_unset(HDR_REQ, 500));
    kv("added_moved", find(HDR_REQ, "X-Added"));

    kv("field_get", sa_field_get(HDR_REQ, FLD_FIRST));

    struct sa_std_string str;
    long s_idx = sa_field_append(HDR_REQ, S("X-S: abc"));
    kv("rs_short", sa_field_retrieve_string(HDR_REQ, s_idx, &str));
    kv("rs_short_local", str.ptr == str.u.local);
    ks("rs_short_text", str.ptr, str.len);
    kv("rs_short_nul", str.ptr[str.len] == 0);
    long l_idx = sa_field_append(HDR_REQ, S("X-Long-Header: 0123456789abcdef"));
    kv("rs_long", sa_field_retrieve_string(HDR_REQ, l_idx, &str));
    kv("rs_long_local", str.ptr == str.u.local);
    kv("rs_long_cap", (long)str.u.capacity);
    ks("rs_long_text", str.ptr, str.len);
    kv("rs_invalid", sa_field_retrieve_string(HDR_REQ, 400, &str));

    kv("dyn_append", SA_DYNCALL3(SA_FIELD_APPEND, HDR_REQ, "X-Dyn: 1", 8));
    kv("set_url", sa_field_set(HDR_REQ, FLD_URL, S("/headers?rewritten")));
    kv("set_method", sa_field_set(HDR_REQ, FLD_METHOD, S("PUT")));
    finish_decision(HDR_REQ, "pass", 0);
}

/* Request headers: X-Src: source, X-Dst: dest, X-Gone: bye */
static void t_copy(void)
{
    long src = find(HDR_REQ, "X-Src");
    long dst = find(HDR_REQ, "X-Dst");
    kv("copy", sa_field_copy(HDR_REQ, dst, HDR_REQ, src));
    kv("copy_dst_invalid", sa_field_copy(HDR_REQ, SA_INVALID, HDR_REQ, src));
    long gone = find(HDR_REQ, "X-Gone");
    kv("copy_src_invalid", sa_field_copy(HDR_REQ, gone, HDR_REQ, SA_INVALID));
    kv("gone_after", find(HDR_REQ, "X-Gone"));
    kv("copy_src_missing", sa_field_copy(HDR_REQ, src, HDR_REQ, 300));
    finish_decision(HDR_REQ, "pass", 0);
}

struct fe_ctx {
    int calls;
    long count;
    int where_ok;
    int flags_ok;
    char seen[512];
    sa_size seen_len;
};

static void fe_cb(void *data, struct sa_field_entry *e, sa_size count)
{
    struct fe_ctx *c = data;
    c->calls++;
    c->count = (long)count;
    for (sa_size i = 0; i < count; i++) {
        char line[256];
        if (e[i].where != HDR_REQ && e[i].where != HDR_RESP) {
            c->where_ok = 0;
        }
        if (!e[i].foreach || e[i].deleted) {
            c->flags_ok = 0;
        }
        long n = sa_field_retrieve(e[i].where, e[i].index, line, sizeof(line));
        for (long k = 0; k < n && line[k] != ':' && c->seen_len < sizeof(c->seen) - 2; k++) {
            c->seen[c->seen_len++] = line[k];
        }
        c->seen[c->seen_len++] = ',';
        if (starts_with(line, "X-Del") || starts_with(line, "X-Internal")) {
            e[i].deleted = 1;
        }
    }
}

/* Request headers: X-Del-1: a, X-Keep: b, X-Del-2: c */
static void t_foreach(int where)
{
    static struct fe_ctx c;
    c.where_ok = 1;
    c.flags_ok = 1;
    kv("foreach", sa_foreach_field(where, fe_cb, &c));
    kv("calls", c.calls);
    kv("count", c.count);
    kv("where_ok", c.where_ok);
    kv("flags_ok", c.flags_ok);
    ks("seen", c.seen, c.seen_len);
}

static void t_regex(void)
{
    char dst[64];
    long h = sa_regex_compile(S("^/re[a-z]+"));
    kv("compile", h);
    kv("compile_same", sa_regex_compile(S("^/re[a-z]+")) == h);
    kv("match_url", sa_regex_match(h, url, strlen(url)));
    kv("match_no", sa_regex_match(h, S("/nope")));
    kv("match_dyn", SA_DYNCALL3(SA_REGEX_MATCH, h, "/regexdyn", 9));
    long w = sa_regex_compile(S("o"));
    long n = sa_regex_subst(w, S("hello world"), S("0"), dst, sizeof(dst));
    kv("subst_len", n);
    ks("subst", dst, n > 0 ? n : 0);
    n = sa_regex_subst(w, S("hello world"), S("0"), dst, sizeof(dst) | SA_SUBST_ALL);
    ks("subst_all", dst, n > 0 ? n : 0);
    kv("subst_small", sa_regex_subst(w, S("hello world"), S("0"), dst, 5));
    kv("subst_nofit", sa_regex_subst(w, S("hello world"), S("0"), dst, 11));
    long g = sa_regex_compile(S("([a-z]+)@([a-z]+)"));
    n = sa_regex_subst(g, S("mail bob@example now"), S("\\2 at \\1"), dst, sizeof(dst));
    ks("subst_groups", dst, n > 0 ? n : 0);

    long fi = sa_field_append(HDR_REQ, S("X-Re: abc abc"));
    long v = sa_regex_compile(S("abc"));
    kv("subst_field", sa_regex_subst_field(v, HDR_REQ, fi, S("xyz"), 0));
    kv("subst_field_all", sa_regex_subst_field(v, HDR_REQ, fi, S("q"), 1));
    kv("subst_field_invalid", sa_regex_subst_field(v, HDR_REQ, SA_INVALID, S("q"), 1));

    sa_field_append(HDR_REQ, S("X-Drop-1: a"));
    sa_field_append(HDR_REQ, S("X-Keep-Re: b"));
    sa_field_append(HDR_REQ, S("X-Drop-2: c"));
    long d = sa_regex_compile(S("^X-Drop-"));
    kv("unset_regex", sa_http_unset_regex(HDR_REQ, d));
    kv("unset_regex_again", sa_http_unset_regex(HDR_REQ, d));
    kv("free", sa_regex_free(d));
    kv("free_again", sa_regex_free(d));
    long again = sa_regex_compile(S("^X-Drop-"));
    kv("recompile_ok", again >= 0);
    kv("init_handle", init_re);
    kv("init_handle_match", sa_regex_match(init_re, S("init-match")));
    finish_decision(HDR_REQ, "pass", 0);
}

static void t_hints(void)
{
    kv("ban1", sa_ban(S("req.url ~ /old")));
    kv("ban2", sa_ban(S("obj.http.x-tag == a")));
    kv("purge", sa_purge());
    kv("cacheable_set_false", sa_cacheable(1, 0));
    kv("cacheable_get_false", sa_cacheable(0, 0));
    kv("cacheable_set_true", sa_cacheable(1, 1));
    kv("cacheable_get_true", sa_cacheable(0, 0));
#ifdef SA_HAVE_TTL
    kv("ttl_get0_ms", (long)(sa_ttl(0, 1.0) * 1000));
    kv("ttl_set_ms", (long)(sa_ttl(1, 42.5) * 1000));
    kv("ttl_get_ms", (long)(sa_ttl(0, 0) * 1000));
#endif
    kv("hash1", sa_hash_data(S("abc")));
    kv("hash2", sa_hash_data(S("def")));
    finish_decision(HDR_REQ, "hash", 0);
}

static void t_backend_index(void)
{
    kv("set3", sa_set_backend(3));
    kv("set256", sa_set_backend(256));
    kv("set_neg", sa_set_backend(-1));
    finish_decision(HDR_REQ, "pass", 0);
}

static void t_backend_name(void)
{
    kv("set", sa_set_backend_name(S("origin_2")));
    finish_decision(HDR_REQ, "pass", 0);
}

static void t_print(void)
{
    kv("print", sa_print(S("hello from guest\n")));
    kv("print_empty", sa_print("", 0));
    kv("log", sa_log(S("log line from guest")));
    kv("breakpoint", sa_breakpoint());
    finish_synth();
}

static void t_storage(const char *q)
{
    struct sa_quad r = sa_remote_call((void *)storage_add, parse_dec(q, 0), 0, 0, 0);
    kv("total", r.a0);
    kv("storage_is_storage", r.a1);
    kv("is_storage", sa_is_storage());
    kv("request_total", storage_total);
    finish_synth();
}

static void t_storage_string(const char *q)
{
    struct sa_pair p = sa_remote_string_call((void *)storage_tramp, (void *)storage_append, q, strlen(q));
    kv("len", p.a1);
    ks("result", (const char *)p.a0, p.a1 > 0 ? p.a1 : 0);
    kv("free", p.a0 ? sa_free((void *)p.a0) : -99);
    p = sa_remote_string_call((void *)storage_tramp, (void *)storage_nothing, S("x"));
    kv("empty_ptr", p.a0);
    kv("empty_len", p.a1);
    kv("storage_log_here", (long)storage_log_len);
    finish_synth();
}

static void t_heap(void)
{
    sa_size info0[3], info1[3], info2[3];
    kv("meminfo", sa_meminfo(info0));
    char *p = sa_malloc(100);
    kv("malloc_ok", p != 0);
    kv("malloc_align", ((unsigned long)p & 15) == 0);
    char *m = sa_memset(p, 'x', 100);
    kv("memset_ret", m == p);
    kv("memset", p[0] == 'x' && p[99] == 'x');
    char *q = sa_calloc(10, 10);
    int zero = q != 0;
    for (int i = 0; zero && i < 100; i++) {
        zero = q[i] == 0;
    }
    kv("calloc_zero", zero);
    kv("memcpy_ret", sa_memcpy(q, p, 50) == q);
    kv("memcpy", q[49] == 'x' && q[50] == 0);
    kv("memcmp_eq", sa_memcmp(p, q, 50));
    kv("memcmp_lt", sa_memcmp(q + 40, p + 40, 20) < 0);
    kv("memcmp_gt", sa_memcmp(p + 40, q + 40, 20) > 0);
    kv("memcmp_zero_len", sa_memcmp(p, q, 0));
    char *r = sa_realloc(p, 1000);
    kv("realloc_keeps", r != 0 && r[0] == 'x' && r[99] == 'x');
    sa_meminfo(info1);
    kv("chunks_delta", (long)(info1[2] - info0[2]));
    kv("used_grew", info1[1] > info0[1]);
    kv("free_shrank", info1[0] < info0[0]);
    memcpy(r, "0123456789", 10);
    sa_memmove(r + 2, r, 8);
    ks("memmove_fwd", r, 10);
    memcpy(r, "0123456789", 10);
    sa_memmove(r, r + 2, 8);
    ks("memmove_back", r, 10);
    kv("strlen", (long)sa_strlen("hello"));
    kv("strlen_empty", (long)sa_strlen(""));
    kv("strncmp_prefix", sa_strncmp("abcdef", "abcxyz", 3));
    kv("strncmp_lt", sa_strncmp("abcdef", "abcxyz", 6) < 0);
    kv("strncmp_gt", sa_strncmp("b", "a", 6) > 0);
    kv("strncmp_nul", sa_strncmp("ab", "ab", 10));
    kv("strncmp_zero", sa_strncmp("a", "b", 0));
#if __riscv_xlen == 64
    kv("malloc_huge", (long)sa_malloc((sa_size)1 << 40));
#else
    kv("malloc_huge", (long)sa_malloc(0xF0000000u));
#endif
    kv("calloc_overflow", (long)sa_calloc(~(sa_size)0 / 2, 4));
    kv("realloc_zero", (long)sa_realloc(q, 0));
    kv("free", sa_free(r));
    kv("free_null", sa_free(0));
    sa_meminfo(info2);
    kv("chunks_back", info2[2] == info0[2]);
    void *a = sa_malloc(0), *b = sa_malloc(0);
    kv("malloc_zero_unique", a && b && a != b);
    kv("syscall_589", sa_ecall3(589, 0, 0, 0));
    finish_synth();
}

static void t_rollback(void)
{
    char before[256], after[256];
    long nb = sa_field_retrieve(HDR_REQ, FLD_URL, before, sizeof(before));
    sa_field_append(HDR_REQ, S("X-Temp: 1"));
    sa_field_set(HDR_REQ, FLD_URL, S("/changed"));
    long r = sa_http_rollback(HDR_REQ);
    long na = sa_field_retrieve(HDR_REQ, FLD_URL, after, sizeof(after));
    int ok = r == 0 && find(HDR_REQ, "X-Temp") == -1 && na == nb && memcmp(before, after, na) == 0
             && find(HDR_REQ, "X-Orig") >= FLD_FIRST;
    sa_decision(S("rolled-back"), ok, 0);
}

/* /append?<percent-encoded header line> */
static void t_append(const char *q)
{
    static char line[9000];
    sa_size n = pct_decode(q, strlen(q), line);
    long idx = sa_field_append(HDR_REQ, line, n);
    sa_decision(S("appended"), idx, 0);
}

static void t_sha256_vectors(void)
{
    unsigned char d[32];
    kv("empty", sa_sha256("", 0, d, 32));
    out_str("empty_hex=");
    out_hex_bytes(d, 32);
    out_str(";");
    kv("abc", sa_sha256(S("abc"), d, sizeof(d)));
    out_str("abc_hex=");
    out_hex_bytes(d, 32);
    out_str(";");
    sa_sha256(S("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), d, 32);
    out_str("two_block_hex=");
    out_hex_bytes(d, 32);
    out_str(";");
    kv("short_dst", sa_sha256(S("abc"), d, 31));
    kv("big_dst", sa_sha256(S("abc"), d, 64));
    finish_synth();
}

static void t_base64(void)
{
    char buf[64];
    long n = sa_base64_encode(S("hello, world"), buf, sizeof(buf));
    kv("enc_len", n);
    ks("enc", buf, n > 0 ? n : 0);
    kv("enc_nul", n > 0 && buf[n] == 0);
    kv("enc_small", sa_base64_encode(S("hello, world"), buf, 4));
    kv("enc_empty", sa_base64_encode("", 0, buf, sizeof(buf)));
    n = sa_base64_decode(S("aGVsbG8sIHdvcmxk"), buf, sizeof(buf));
    kv("dec_len", n);
    ks("dec", buf, n > 0 ? n : 0);
    n = sa_base64_decode(S("-_8"), buf, sizeof(buf));
    kv("dec_url_len", n);
    out_str("dec_url_hex=");
    out_hex_bytes(buf, n > 0 ? n : 0);
    out_str(";");
    kv("dec_invalid", sa_base64_decode(S("!!!!"), buf, sizeof(buf)));
    kv("dec_small", sa_base64_decode(S("aGVsbG8sIHdvcmxk"), buf, 3));
    finish_synth();
}

/* The hook's arguments as the documented C signature sees them: int where1, int where2 (psABI: sign-extended). */
static void t_hookargs(int w1, int w2, const char *empty)
{
    kv("w1", w1);
    kv("w2", w2);
    kv("w2_is_invalid", w2 == (int)SA_INVALID);
    kv("empty_len", (long)strlen(empty));
    kv("init_value", init_value);
    kv("counter", ++counter);
    finish_synth();
}

static void on_signal(int sig)
{
    out_reset();
    out_str("signal handler ran: ");
    out_dec(sig);
    sa_log(out, out_len);
}

/* ---- hooks --------------------------------------------------------------------------------------------------------- */
__attribute__((used)) void forge_cb(long arg, const char *post, sa_size len);

__attribute__((used)) void on_recv(int w1, int w2, const char *empty)
{
    const char *u = read_url(HDR_REQ);
    const char *q = query(u);
    out_reset();
    if (route(u, "/ok")) {
        sa_synth(200, S("text/plain"), S("ok"));
    } else if (route(u, "/hookargs")) {
        t_hookargs(w1, w2, empty);
    } else if (route(u, "/headers")) {
        t_headers();
    } else if (route(u, "/copy")) {
        t_copy();
    } else if (route(u, "/foreach")) {
        t_foreach(HDR_REQ);
        kv("del1_after", find(HDR_REQ, "X-Del-1"));
        kv("keep_after", find(HDR_REQ, "X-Keep"));
        finish_decision(HDR_REQ, "pass", 0);
    } else if (route(u, "/regex")) {
        t_regex();
    } else if (route(u, "/hints")) {
        t_hints();
    } else if (route(u, "/backend/index")) {
        t_backend_index();
    } else if (route(u, "/backend/name")) {
        t_backend_name();
    } else if (route(u, "/print")) {
        t_print();
    } else if (route(u, "/storage")) {
        t_storage(q);
    } else if (route(u, "/storage/string")) {
        t_storage_string(q);
    } else if (route(u, "/heap")) {
        t_heap();
    } else if (route(u, "/rollback")) {
        t_rollback();
    } else if (route(u, "/append")) {
        t_append(q);
    } else if (route(u, "/sha256")) {
        t_sha256_vectors();
    } else if (route(u, "/base64")) {
        t_base64();
    } else if (route(u, "/decision/pass")) {
        sa_decision(S("pass"), 0, 0);
    } else if (route(u, "/decision/custom")) {
        sa_decision(S("my-choice"), 7, 1);
    } else if (route(u, "/decision/synth") || route(u, "/decision/synth-nobody")) {
        sa_decision(S("synth"), 404, 0);
    } else if (route(u, "/synth")) {
        sa_synth(201, S("text/plain; charset=utf-8"), S("created"));
    } else if (route(u, "/synth/status")) {
        sa_synth(parse_dec(q, 0), S("text/plain"), S("status"));
    } else if (route(u, "/synth/empty-type")) {
        sa_synth(204, "", 0, "", 0);
    } else if (route(u, "/forge/hello")) {
        sa_field_append(HDR_REQ, S("X-From-Recv: 1"));
        sa_backend_decision(1, (void *)forge_cb, 1, 0);
    } else if (route(u, "/forge/echo")) {
        sa_backend_decision(0, (void *)forge_cb, 2, 0);
    } else if (route(u, "/forge/fast")) {
        sa_backend_decision(1, (void *)forge_cb, 3, 0);
    } else if (route(u, "/compute")) {
        sa_backend_decision(1, 0, 0x1234, 99);
    } else if (route(u, "/fail")) {
        sa_fail(S("boom"));
    } else if (route(u, "/assert")) {
        sa_assert_fail("x == 1", "abi_basic.c", 42, "on_recv");
    } else if (route(u, "/signal")) {
        kv("signal", sa_signal(11, on_signal));
        *WILD_PTR(volatile int *) = 1; /* fault: the handler runs, the request fails */
    }
    /* anything else (e.g. /deliver...) continues unchanged */
}

__attribute__((used)) void on_synth(unsigned long w1, unsigned long w2, const char *empty)
{
    const char *u = read_url(HDR_REQ);
    (void)empty;
    out_reset();
    kv("w1", (long long)w1);
    kv("w2", (long long)w2);
    kv("status", sa_http_status(HDR_RESP, -1));
    sa_field_append(HDR_RESP, S("X-Synth: yes"));
    kv("http_copy", sa_http_copy(HDR_REQ, find(HDR_REQ, "X-Echo"), HDR_RESP));
    if (route(u, "/decision/synth")) {
        sa_field_append(HDR_RESP, S("Content-Type: text/evil"));
        finish_decision(HDR_RESP, 0, 0);
        sa_synth(404, S("text/html"), S("<h1>not here</h1>"));
    } else {
        kv("set_status", sa_http_status(HDR_RESP, 418));
        finish_decision(HDR_RESP, 0, 0);
    }
}

__attribute__((used)) void on_deliver(unsigned long w1, unsigned long w2, const char *empty)
{
    const char *u = read_url(HDR_REQ);
    (void)empty;
    out_reset();
    kv("w1", (long long)w1);
    kv("w2", (long long)w2);
    if (route(u, "/deliver")) {
        kv("status_get", sa_http_status(HDR_RESP, -1));
        kv("status_set", sa_http_status(HDR_RESP, 418));
        kv("status_after", sa_http_status(HDR_RESP, -1));
        kv("append", sa_field_append(HDR_RESP, S("X-Delivered: yes")));
        long s = find(HDR_RESP, "server");
        kv("unset_server", sa_field_unset(HDR_RESP, s) == s);
        kv("http_copy", sa_http_copy(HDR_REQ, find(HDR_REQ, "X-Echo"), HDR_RESP));
        kv("http_copy_proto", sa_http_copy(HDR_REQ, FLD_URL, HDR_RESP));
        kv("http_copy_missing", sa_http_copy(HDR_REQ, 300, HDR_RESP));
        finish_decision(HDR_RESP, 0, 0);
    } else if (route(u, "/deliver/rollback")) {
        sa_http_status(HDR_RESP, 500);
        sa_field_append(HDR_RESP, S("X-Gone: 1"));
        sa_http_rollback(HDR_RESP);
    } else if (route(u, "/deliver/foreach")) {
        t_foreach(HDR_RESP);
        finish_decision(HDR_RESP, 0, 0);
    } else if (route(u, "/deliver/status")) {
        kv("status", sa_http_status(HDR_RESP, parse_dec(query(u), 0)));
        finish_decision(HDR_RESP, 0, 0);
    } else if (route(u, "/deliver/reason")) {
        kv("set_reason", sa_field_set(HDR_RESP, FLD_REASON, S("Fine Thanks")));
        kv("status_set", sa_http_status(HDR_RESP, 299));
        finish_decision(HDR_RESP, 0, 0);
    }
}

/* The forge callback: (argument, POST body, its length); ends with the STOP response. */
__attribute__((used)) void forge_cb(long arg, const char *post, sa_size len)
{
    char buf[256];
    out_reset();
    if (arg == 1) {
        long n = sa_field_retrieve(HDR_BEREQ, FLD_URL, buf, sizeof(buf));
        ks("url", buf, n > 0 ? n : 0);
        kv("from_recv", find(HDR_BEREQ, "X-From-Recv") >= FLD_FIRST);
        kv("beresp_status", sa_http_status(HDR_BERESP, -1));
        kv("post_len", (long)len);
        sa_field_append(HDR_BERESP, S("X-Forged: 1"));
        sa_field_append(HDR_BERESP, S("Content-Length: 999"));
        sa_response(200, S("text/plain"), out, out_len);
    } else if (arg == 2) {
        kv("len", (long)len);
        out_mem(post, len);
        sa_response(201, S("application/octet-stream"), out, out_len);
    } else if (arg == 3) {
        sa_backend_response(404, S("text/plain"), S("Not found"));
    }
    sa_response(500, S("text/plain"), S("unknown forge argument"));
}

/* ---- functions Java calls by name (register_func) --------------------------------------------------------------- */
static char fbuf[20000];

static char *f_echo(const char *arg, sa_size len)
{
    memcpy(fbuf, arg, len);
    fbuf[len] = 0;
    return fbuf;
}

static char *f_sha256(const char *arg, sa_size len)
{
    unsigned char d[32];
    out_reset();
    if (sa_sha256(arg, len, d, 32) != 32) {
        return "ERR";
    }
    out_hex_bytes(d, 32);
    return out;
}

static char *f_b64enc(const char *arg, sa_size len)
{
    long n = sa_base64_encode(arg, len, fbuf, sizeof(fbuf));
    return n < 0 ? "ERR" : fbuf;
}

static char *f_b64dec(const char *arg, sa_size len)
{
    long n = sa_base64_decode(arg, len, fbuf, sizeof(fbuf) - 1);
    if (n < 0) {
        return "ERR";
    }
    fbuf[n] = 0;
    return fbuf;
}

/* Appends the argument as a header line of the request and returns the line as stored. */
static char *f_append_header(const char *arg, sa_size len)
{
    long idx = sa_field_append(HDR_REQ, arg, len);
    if (idx < 0) {
        return "FULL";
    }
    long n = sa_field_retrieve(HDR_REQ, idx, fbuf, sizeof(fbuf));
    if (n < 0) {
        return "LOST";
    }
    fbuf[n] = 0;
    return fbuf;
}

/* "op where index [text]": one field call with arbitrary numbers; returns its result in decimal. */
static char *f_index_op(const char *arg, sa_size len)
{
    const char *p = arg;
    char op[16];
    int k = 0;
    (void)len;
    while (*p && *p != ' ' && k < 15) {
        op[k++] = *p++;
    }
    op[k] = 0;
    long long where = parse_dec(p + 1, &p);
    long long idx = parse_dec(p + 1, &p);
    const char *text = *p ? p + 1 : "";
    char buf[256];
    long r = -99;
    struct sa_std_string s;
    if (str_eq(op, "retrieve")) {
        r = sa_field_retrieve((int)where, (unsigned)idx, buf, sizeof(buf));
    } else if (str_eq(op, "set")) {
        r = sa_field_set((int)where, (unsigned)idx, text, strlen(text));
    } else if (str_eq(op, "unset")) {
        r = sa_field_unset((int)where, (unsigned)idx);
    } else if (str_eq(op, "copy")) {
        r = sa_field_copy((int)where, (unsigned)idx, (int)where, (unsigned)parse_dec(text, 0));
    } else if (str_eq(op, "httpcopy")) {
        r = sa_http_copy((int)where, (unsigned)idx, (int)parse_dec(text, 0));
    } else if (str_eq(op, "status")) {
        r = sa_http_status((int)where, (long)idx);
    } else if (str_eq(op, "rstring")) {
        r = sa_field_retrieve_string((int)where, (unsigned)idx, &s);
    } else if (str_eq(op, "find")) {
        r = sa_http_find((int)where, text, strlen(text));
    } else if (str_eq(op, "rollback")) {
        r = sa_http_rollback((int)where);
    } else if (str_eq(op, "match")) {
        r = sa_regex_match((unsigned)idx, text, strlen(text));
    } else if (str_eq(op, "free")) {
        r = sa_regex_free((unsigned)idx);
    } else if (str_eq(op, "substfield")) {
        r = sa_regex_subst_field((unsigned)init_re, (int)where, (unsigned)idx, text, strlen(text), 1);
    }
    out_reset();
    out_dec(r);
    return out;
}

static char *f_storage_total(const char *arg, sa_size len)
{
    (void)len;
    struct sa_quad r = sa_remote_call((void *)storage_add, parse_dec(arg, 0), 0, 0, 0);
    out_reset();
    out_dec(r.a0);
    return out;
}

static char *f_is_storage(const char *arg, sa_size len)
{
    (void)arg;
    (void)len;
    out_reset();
    out_dec(sa_is_storage());
    return out;
}

static char *f_null(const char *arg, sa_size len)
{
    (void)arg;
    (void)len;
    return 0;
}

__attribute__((used)) void on_exit_marker(void)
{
}

static void reg(const char *name, void *fn)
{
    sa_register_func(name, strlen(name), fn);
}

int main(int argc, char **argv)
{
    (void)argv;
    init_value = 1233 + argc;
    init_re = sa_regex_compile(S("^init-"));
    sa_register_callback(CB_ON_SYNTH, (void *)on_synth);
    sa_register_callback(CB_ON_DELIVER, (void *)on_deliver);
    reg("echo", (void *)f_echo);
    reg("sha256", (void *)f_sha256);
    reg("b64enc", (void *)f_b64enc);
    reg("b64dec", (void *)f_b64dec);
    reg("append_header", (void *)f_append_header);
    reg("index_op", (void *)f_index_op);
    reg("storage_total", (void *)f_storage_total);
    reg("is_storage", (void *)f_is_storage);
    reg("null", (void *)f_null);
    sa_print(S("abi-basic: initialised\n"));
    sa_wait_for_requests((void *)on_recv, (void *)on_exit_marker);
    return 0;
}
