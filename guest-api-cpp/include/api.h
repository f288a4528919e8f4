/*
 * api.h: the riscv-sandbox C++ tenant SDK (header-only; namespace api, also usable as `namespace varnish = api;`).
 *
 *     #include <api.h>
 *     static void on_recv(api::Request req) {
 *         req.append("X-Hello: url=" + req.url());
 *         forge(api::Cached, [] (auto bereq, auto beresp) {
 *             return api::response{200, "text/plain", "hello"};
 *         });
 *     }
 *     int main() { api::wait_for_requests(on_recv); }
 *
 * The contract with the host is docs/abi.md; the reference of this API is docs/guest-cpp.md. Build tenants with
 * guest-api-cpp/bin/tenant-c++ (rv64, glibc, static, C++20, exceptions on). nlohmann::json is included unless
 * API_NO_JSON is defined. Hooks run in a fresh copy of the program paused in wait_for_requests(): every global
 * set up by main() is there, and nothing a request changes survives it.
 */
#ifndef RISCV_SANDBOX_API_H
#define RISCV_SANDBOX_API_H

#include <api_c.h>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>
#if __cpp_exceptions
#include <exception>
#endif

#ifndef API_NO_JSON
#include <nlohmann/json.hpp>
#endif

namespace api {

/** The SDK's version (also printed by tenant-c++ --version). */
inline constexpr const char *SDK_VERSION = "1.0.0";

// ---------------------------------------------------------------------------------------------------------------
// Constants

/** HTTP objects ("where"). REQ and REQ_TOP are the same object; OBJ is not supported by the host. */
enum Where : int { REQ = API_REQ, REQ_TOP = API_REQ_TOP, RESP = API_RESP, OBJ = API_OBJ, BEREQ = API_BEREQ,
                   BERESP = API_BERESP };

/** Whether the host may cache a forged response. */
enum Cache : int { Uncached = 0, NotCached = 0, Cached = 1 };

/** Field indices of an HTTP object; header lines start at FIELD_FIRST_HEADER. */
enum Field : unsigned { FIELD_METHOD = API_FIELD_METHOD, FIELD_URL = API_FIELD_URL, FIELD_PROTO = API_FIELD_PROTO,
                        FIELD_STATUS = API_FIELD_STATUS, FIELD_REASON = API_FIELD_REASON,
                        FIELD_FIRST_HEADER = API_FIELD_FIRST_HEADER };

/** "No such field": the index of a HeaderField that was not found. */
inline constexpr unsigned INVALID = API_INVALID;

class Regex;
class HTTP;

// ---------------------------------------------------------------------------------------------------------------
// Text output and failures

namespace detail {
template <class> inline constexpr bool dependent_false = false;

/** Appends one print() argument: strings, characters, bools, numbers, pointers, or anything with to_string(). */
template <class T>
void append_text(std::string &out, const T &v)
{
    if constexpr (std::is_same_v<T, bool>) {
        out.append(v ? "true" : "false");
    } else if constexpr (std::is_same_v<T, char>) {
        out.push_back(v);
    } else if constexpr (std::is_arithmetic_v<T>) {
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        out.append(buf, r.ptr);
    } else if constexpr (std::is_convertible_v<const T &, std::string_view>) {
        out.append(std::string_view(v));
    } else if constexpr (std::is_pointer_v<T>) {
        char buf[2 + 2 * sizeof(void *)] = {'0', 'x'};
        auto r = std::to_chars(buf + 2, buf + sizeof buf, reinterpret_cast<std::uintptr_t>(v), 16);
        out.append(buf, r.ptr);
    } else {
        out.append(v.to_string());
    }
}

template <class... Args>
std::string concat(const Args &...args)
{
    std::string s;
    (append_text(s, args), ...);
    return s;
}
} // namespace detail

/** Concatenates the arguments (strings, numbers, bools, HeaderFields...) and logs them (host call 502). */
template <class... Args>
long print(const Args &...args)
{
    std::string s = detail::concat(args...);
    return api_print(s.data(), s.size());
}

/** Same as print, through the log call (503). */
template <class... Args>
long log(const Args &...args)
{
    std::string s = detail::concat(args...);
    return api_log(s.data(), s.size());
}

/** Fails the current hook: the request ends with 503 (500 in a forge callback), the message goes to the log. */
[[noreturn]] inline void fail(std::string_view message)
{
    api_fail(message.data(), message.size());
}

namespace detail {
#if __cpp_exceptions
/** Runs a hook body; an exception escaping it fails the request with its what() (hooks cannot unwind to the host). */
template <class F>
void guarded(const char *hook, F &&body) noexcept
{
    try {
        body();
    } catch (const std::exception &e) {
        fail(concat(hook, ": uncaught exception: ", e.what()));
    } catch (...) {
        fail(concat(hook, ": uncaught exception"));
    }
}
#else
template <class F>
void guarded(const char *, F &&body) noexcept
{
    body();
}
#endif
} // namespace detail

// ---------------------------------------------------------------------------------------------------------------
// Header fields and HTTP objects

/**
 * One field of an HTTP object: an index into REQ, RESP, BEREQ or BERESP. Header lines read as "Name: value".
 * A field that was not found has index INVALID and converts to false; reading it gives "", writing it does nothing.
 * Indices shift when lines are unset or rolled back: do not keep a HeaderField across those.
 */
class HeaderField {
public:
    constexpr HeaderField() noexcept = default;
    constexpr HeaderField(int where, unsigned index) noexcept : where_(where), index_(index) {}

    constexpr int where() const noexcept { return where_; }
    constexpr unsigned index() const noexcept { return index_; }
    constexpr bool is_valid() const noexcept { return index_ != INVALID; }
    constexpr explicit operator bool() const noexcept { return is_valid(); }

    /** The whole field: "Name: value" for header lines, the URL for FIELD_URL... "" if it does not exist. */
    std::string to_string() const
    {
        if (!is_valid()) {
            return {};
        }
        char buf[512];
        long n = api_field_retrieve(where_, index_, buf, sizeof buf);
        if (n >= 0) {
            return std::string(buf, static_cast<size_t>(n));
        }
        n = api_field_retrieve(where_, index_, nullptr, 0); // too long for buf: ask for the length
        if (n < 0) {
            return {};
        }
        std::string s(static_cast<size_t>(n) + 1, '\0');
        n = api_field_retrieve(where_, index_, s.data(), s.size());
        s.resize(n < 0 ? 0 : static_cast<size_t>(n));
        return s;
    }

    /** A header line's name (before the colon); "" for the head fields. */
    std::string name() const
    {
        if (index_ < FIELD_FIRST_HEADER) {
            return {};
        }
        std::string s = to_string();
        size_t colon = s.find(':');
        s.resize(colon == std::string::npos ? s.size() : colon);
        return s;
    }

    /** A header line's value (after the colon and blanks); the whole field for the head fields. */
    std::string value() const
    {
        std::string s = to_string();
        if (index_ < FIELD_FIRST_HEADER) {
            return s;
        }
        size_t p = s.find(':');
        if (p == std::string::npos) {
            return {};
        }
        p++;
        while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) {
            p++;
        }
        return s.substr(p);
    }

    /** Replaces the whole field ("Name: value" for a header line). Returns the length, or -1 if it does not exist. */
    long set(std::string_view text)
    {
        return is_valid() ? api_field_set(where_, index_, text.data(), text.size()) : -1;
    }

    /** Copies another field over this one (a missing source unsets this line). */
    long set(const HeaderField &source)
    {
        return is_valid() ? api_field_copy(where_, index_, source.where_, source.index_) : -1;
    }

    /** Keeps a header line's name and replaces its value. */
    long set_value(std::string_view value)
    {
        if (index_ < FIELD_FIRST_HEADER) {
            return set(value);
        }
        std::string line = name();
        line.append(": ").append(value);
        return set(line);
    }

    /** Removes the header line (inside foreach: after the foreach call). The field becomes invalid. */
    void unset()
    {
        if (deleted_) {
            *deleted_ = 1;
        } else if (is_valid()) {
            api_field_unset(where_, index_);
        }
        index_ = INVALID;
    }

    /** Appends a copy of this header line to another object; returns the copy. */
    HeaderField append_to(int destination) const
    {
        long i = is_valid() ? api_http_copy(where_, index_, destination) : -1;
        return HeaderField(destination, static_cast<unsigned>(i));
    }
    inline HeaderField append_to(const HTTP &destination) const;

    /** Regex replacement over the whole line, written back. Returns the new length, or -1 if it does not exist. */
    inline long regsub(const Regex &re, std::string_view replacement, bool all = false);

private:
    friend class HTTP;
    int where_ = -1;
    unsigned index_ = INVALID;
    std::uint8_t *deleted_ = nullptr; // set inside foreach: unset() marks the entry instead
};

/** An HTTP object (REQ, RESP, BEREQ, BERESP): its fields and header lines. */
class HTTP {
public:
    constexpr explicit HTTP(int where) noexcept : where_(where) {}
    constexpr int where() const noexcept { return where_; }

    /** Field by index (FIELD_URL, or FIELD_FIRST_HEADER + n). */
    HeaderField field(unsigned index) const { return HeaderField(where_, index); }

    /** The first header line with that name, ignoring case; invalid if there is none. */
    HeaderField find(std::string_view name) const
    {
        long i = api_http_find(where_, name.data(), name.size());
        return HeaderField(where_, static_cast<unsigned>(i));
    }
    HeaderField operator[](std::string_view name) const { return find(name); }
    bool contains(std::string_view name) const { return find(name).is_valid(); }

    /** Appends a header line "Name: value" (an invalid line fails the request); invalid if the object is full. */
    HeaderField append(std::string_view line)
    {
        long i = api_field_append(where_, line.data(), line.size());
        return HeaderField(where_, static_cast<unsigned>(i));
    }
    HeaderField append(const HeaderField &line) { return line.append_to(where_); }
    HTTP &operator+=(std::string_view line)
    {
        append(line);
        return *this;
    }

    /** Sets header `name` to `value`: replaces the first line with that name, or appends one. */
    HeaderField set(std::string_view name, std::string_view value)
    {
        std::string line(name);
        line.append(": ").append(value);
        HeaderField f = find(name);
        if (f) {
            f.set(line);
            return f;
        }
        return append(line);
    }

    /** Removes every header line with that name; returns how many. */
    std::size_t unset(std::string_view name)
    {
        std::size_t n = 0;
        for (HeaderField f = find(name); f; f = find(name)) {
            f.unset();
            n++;
        }
        return n;
    }

    /** Removes every header line whose whole text matches the regex; returns how many. */
    inline std::size_t unset(const Regex &re);

    /** The protocol, e.g. "HTTP/1.1". */
    std::string proto() const { return field(FIELD_PROTO).to_string(); }
    long set_proto(std::string_view proto) { return field(FIELD_PROTO).set(proto); }

    /** Undoes this request's changes to the object. */
    void rollback() { api_http_rollback(where_); }

    /**
     * Calls fn(HeaderField&) for every header line (budget 50 000 instructions; adding or removing lines inside
     * faults, but field.unset() marks the line and it is removed after the call). Returns the number of lines.
     */
    template <class F>
    std::size_t foreach(F &&fn)
    {
        using Fn = std::remove_reference_t<F>;
        api_foreach_fn thunk = [](void *data, api_field_entry *entries, std::size_t count) {
            Fn &f = *static_cast<Fn *>(data);
            detail::guarded("foreach", [&] {
                for (std::size_t i = 0; i < count; i++) {
                    HeaderField h(entries[i].where, entries[i].index);
                    h.deleted_ = &entries[i].deleted;
                    f(h);
                }
            });
        };
        long n = api_foreach_field(where_, thunk, const_cast<void *>(static_cast<const void *>(&fn)));
        return n < 0 ? 0 : static_cast<std::size_t>(n);
    }

protected:
    int where_;
};

/** A request: the client request (REQ) in hooks, the request a forge callback answers (BEREQ) there. */
class Request : public HTTP {
public:
    constexpr explicit Request(int where = REQ) noexcept : HTTP(where) {}

    std::string method() const { return field(FIELD_METHOD).to_string(); }
    long set_method(std::string_view method) { return field(FIELD_METHOD).set(method); }
    /** The request target, e.g. "/path?query". */
    std::string url() const { return field(FIELD_URL).to_string(); }
    long set_url(std::string_view url) { return field(FIELD_URL).set(url); }
};

/** A response: RESP in on_synth and on_deliver, BERESP in a forge callback. */
class Response : public HTTP {
public:
    constexpr explicit Response(int where = RESP) noexcept : HTTP(where) {}

    int status() const { return static_cast<int>(api_http_status(where_, -1)); }
    /** Sets the status (100-999; anything else fails the request). */
    void set_status(int status) { api_http_status(where_, status); }
    std::string reason() const { return field(FIELD_REASON).to_string(); }
    long set_reason(std::string_view reason) { return field(FIELD_REASON).set(reason); }
};

inline HeaderField HeaderField::append_to(const HTTP &destination) const
{
    return append_to(destination.where());
}

// ---------------------------------------------------------------------------------------------------------------
// Regular expressions (java.util.regex syntax, evaluated by the host)

namespace detail {
inline std::uint8_t regex_refs[16]; // handles are shared by equal patterns: count owners before freeing
} // namespace detail

/**
 * A compiled pattern. An invalid pattern, or more than 16 patterns in a VM, fails the request. Compile patterns in
 * main() (e.g. as globals) so that requests inherit them; equal patterns share a handle, which is freed when its
 * last Regex is destroyed.
 */
class Regex {
public:
    explicit Regex(std::string_view pattern) : handle_(api_regex_compile(pattern.data(), pattern.size())) { ref(1); }
    Regex(const Regex &o) noexcept : handle_(o.handle_) { ref(1); }
    Regex(Regex &&o) noexcept : handle_(std::exchange(o.handle_, -1)) {}
    Regex &operator=(Regex o) noexcept
    {
        std::swap(handle_, o.handle_);
        return *this;
    }
    ~Regex() { release(); }

    int index() const noexcept { return handle_; }
    bool good() const noexcept { return handle_ >= 0; }

    /** Whether the pattern occurs anywhere in the subject (at most 1 MiB). */
    bool match(std::string_view subject) const
    {
        return good() && api_regex_match(handle_, subject.data(), subject.size()) == 1;
    }

    /** The subject with the first (or every) match replaced; \0..\9 in the replacement insert groups. */
    std::string replace(std::string_view subject, std::string_view replacement, bool all = false) const
    {
        if (!good()) {
            return std::string(subject);
        }
        std::size_t size = subject.size() + 2 * replacement.size() + 64;
        for (;;) {
            std::string out(size, '\0');
            long n = api_regex_subst(handle_, subject.data(), subject.size(), replacement.data(), replacement.size(),
                                     out.data(), static_cast<std::uint32_t>(size) | (all ? API_SUBST_ALL : 0u));
            if (n >= 0) {
                out.resize(static_cast<std::size_t>(n));
                return out;
            }
            if (size >= (std::size_t(1) << 30)) {
                fail("Regex::replace: result too large");
            }
            size *= 4;
        }
    }

    /** Replaces in a whole header line, written back; the new length or -1 if the field does not exist. */
    long replace(const HeaderField &field, std::string_view replacement, bool all = false) const
    {
        if (!good() || !field) {
            return -1;
        }
        return api_regex_subst_field(handle_, field.where(), field.index(), replacement.data(), replacement.size(),
                                     all ? 1 : 0);
    }

private:
    void ref(int delta) const noexcept
    {
        if (handle_ >= 0 && handle_ < 16) {
            detail::regex_refs[handle_] = static_cast<std::uint8_t>(detail::regex_refs[handle_] + delta);
        }
    }
    void release() noexcept
    {
        if (handle_ >= 0 && handle_ < 16) {
            ref(-1);
            if (detail::regex_refs[handle_] == 0) {
                api_regex_free(handle_);
            }
        }
        handle_ = -1;
    }
    int handle_;
};

inline long HeaderField::regsub(const Regex &re, std::string_view replacement, bool all)
{
    return re.replace(*this, replacement, all);
}

inline std::size_t HTTP::unset(const Regex &re)
{
    long n = re.good() ? api_http_unset_regex(where_, re.index()) : 0;
    return n < 0 ? 0 : static_cast<std::size_t>(n);
}

// ---------------------------------------------------------------------------------------------------------------
// Decisions, synthetic responses, cache hints

/** Records a decision ("pass", "hash", "synth", any name of 1-64 bytes) and ends the hook. */
[[noreturn]] inline void decision(std::string_view name, int status = 403)
{
    api_decision(name.data(), name.size(), status);
}

/** decision("pass", 0): the request goes on, uncached, with the edits made so far. */
[[noreturn]] inline void pass()
{
    decision("pass", 0);
}

/** Answers with this response (on_recv and on_synth only) and ends the hook. */
[[noreturn]] inline void synth(int status, std::string_view content_type, std::string_view body)
{
    api_synth(status, content_type.data(), content_type.size(), body.data(), body.size());
}

/** decision("synth", status): on_synth (if set) builds the response; without it the response has no body. */
[[noreturn]] inline void synth(int status)
{
    decision("synth", status);
}

/** Chooses upstream number 0-255 (reported as "0".."255"); false for other numbers. */
inline bool set_backend(int index)
{
    return api_set_backend(index) == 0;
}

/** Chooses an upstream by name (an HTTP token, at most 256 bytes). */
inline void set_backend(std::string_view name)
{
    api_set_backend_name(name.data(), name.size());
}

/** Adds a ban expression to the cache hints (at most 1 KiB, 16 per request). */
inline void ban(std::string_view expression)
{
    api_ban(expression.data(), expression.size());
}

/** Asks the host to purge the current object. */
inline void purge()
{
    api_purge();
}

/** Records whether the response may be cached. */
inline void set_cacheable(bool cacheable)
{
    api_cacheable(1, cacheable ? 1 : 0);
}
inline bool cacheable()
{
    return api_cacheable(0, 0) != 0;
}

#if defined(__riscv_float_abi_double)
/** Records the TTL in seconds (finite, >= 0). */
inline void set_ttl(double seconds)
{
    api_ttl(1, seconds);
}
inline double ttl()
{
    return api_ttl(0, 0.0);
}
#endif

/** Adds data to the request's SHA-256 cache key. */
inline void hash_data(std::string_view data)
{
    api_hash_data(data.data(), data.size());
}
inline void hash_data(const HeaderField &field)
{
    hash_data(field.value());
}

// ---------------------------------------------------------------------------------------------------------------
// Forged responses

/**
 * What a forge callback returns: status (100-999), content type (at most 256 bytes, "" for none) and body. The body
 * may be a std::string (moved), anything convertible to std::string_view, or a byte container (vector<uint8_t>,
 * array, span...). The response keeps its own copy.
 */
struct response {
    int status;
    std::string content_type;
    std::string body;

    explicit response(int code, std::string_view type = {}) : status(code), content_type(type) {}

    template <class Body>
    response(int code, std::string_view type, Body &&content) : status(code), content_type(type)
    {
        using B = std::remove_cv_t<std::remove_reference_t<Body>>;
        if constexpr (std::is_same_v<B, std::string>) {
            body = std::forward<Body>(content);
        } else if constexpr (std::is_convertible_v<const B &, std::string_view>) {
            body.assign(std::string_view(content));
        } else {
            static_assert(sizeof(*std::data(content)) == 1, "api::response: the body must be text or bytes");
            body.assign(reinterpret_cast<const char *>(std::data(content)), std::size(content));
        }
    }
};

namespace detail {
template <class D>
response run_forge(D &f, const std::uint8_t *body, std::size_t len)
{
    Request bereq(BEREQ);
    Response beresp(BERESP);
    if constexpr (std::is_invocable_r_v<response, D &, Request, Response, const std::uint8_t *, std::size_t>) {
        return f(bereq, beresp, body, len);
    } else if constexpr (std::is_invocable_r_v<response, D &, Request, Response, std::string_view>) {
        return f(bereq, beresp, std::string_view(reinterpret_cast<const char *>(body), len));
    } else if constexpr (std::is_invocable_r_v<response, D &, Request, Response>) {
        return f(bereq, beresp);
    } else if constexpr (std::is_invocable_r_v<response, D &>) {
        return f();
    } else {
        static_assert(dependent_false<D>,
                      "forge: the callback must take (bereq, beresp), (bereq, beresp, const uint8_t* body, size_t "
                      "size), (bereq, beresp, std::string_view body) or (), and return api::response");
    }
}

template <class D>
inline constexpr bool stateless = std::is_empty_v<D> && std::is_default_constructible_v<D>;

/** The function the host calls for a forge: trampoline(argument, body, body_len); it ends with STOP. */
template <class D>
[[noreturn]] void forge_trampoline(void *arg, const std::uint8_t *body, std::size_t len)
{
    std::optional<response> r;
    guarded("forge", [&] {
        if constexpr (stateless<D>) {
            D f{};
            r.emplace(run_forge(f, body, len));
        } else if constexpr (std::is_pointer_v<D>) {
            D f = reinterpret_cast<D>(arg);
            r.emplace(run_forge(f, body, len));
        } else {
            r.emplace(run_forge(*static_cast<D *>(arg), body, len));
        }
    });
    api_forge_response(r->status, r->content_type.data(), r->content_type.size(), r->body.data(), r->body.size());
}
} // namespace detail

/**
 * Answers the request with a response made by `fn`, which runs after on_recv ends (this call ends it) and gets the
 * request as on_recv left it (bereq) and an empty 200 response whose header lines it may add (beresp); with the
 * (bereq, beresp, body, size) form also the request body. Lambdas may capture by value (the closure is copied to
 * the heap), never by reference: on_recv's stack is gone when fn runs. `cache` tells the host whether it may cache
 * the response.
 */
template <class F>
[[noreturn]] void forge(Cache cache, F &&fn)
{
    using D = std::decay_t<F>;
    void *arg = nullptr;
    if constexpr (detail::stateless<D>) {
        (void)fn;
    } else if constexpr (std::is_pointer_v<D>) {
        arg = reinterpret_cast<void *>(fn);
    } else {
        arg = new D(std::forward<F>(fn));
    }
    api_forge(cache, &detail::forge_trampoline<D>, arg);
}

// ---------------------------------------------------------------------------------------------------------------
// Hooks

using RecvHook = void (*)(Request req);
using ResponseHook = void (*)(Request req, Response resp);

namespace detail {
inline RecvHook on_recv_hook;
inline ResponseHook on_synth_hook;
inline ResponseHook on_deliver_hook;
inline std::string (*on_live_update_hook)();
inline void (*on_resume_update_hook)(std::string_view state);
inline std::string live_update_state;

inline long on_recv_thunk(int where, int, const char *)
{
    guarded("on_recv", [&] { on_recv_hook(Request(where)); });
    return 0;
}
inline long on_synth_thunk(int req, int resp, const char *)
{
    guarded("on_synth", [&] { on_synth_hook(Request(req), Response(resp)); });
    return 0;
}
inline long on_deliver_thunk(int req, int resp, const char *)
{
    guarded("on_deliver", [&] { on_deliver_hook(Request(req), Response(resp)); });
    return 0;
}
[[noreturn]] inline void on_live_update_thunk()
{
    guarded("on_live_update", [&] { live_update_state = on_live_update_hook(); });
    api_stop_with_buffer(live_update_state.data(), live_update_state.size());
}
inline long on_resume_update_thunk(const char *data, std::size_t len)
{
    guarded("on_resume_update", [&] { on_resume_update_hook(std::string_view(data, len)); });
    return 0;
}
} // namespace detail

/**
 * Registers on_recv and ends main()'s run: the program, paused here, is the snapshot every request starts from.
 * Call it last in main(); it does not return.
 */
[[noreturn]] inline void wait_for_requests(RecvHook on_recv)
{
    detail::on_recv_hook = on_recv;
    api_wait_for_requests(on_recv ? &detail::on_recv_thunk : nullptr);
}

/** Without on_recv: requests continue unchanged (other hooks still run). */
[[noreturn]] inline void wait_for_requests()
{
    api_wait_for_requests(nullptr);
}

/** on_synth(req, resp): runs after on_recv decided synth(status); may edit resp or call synth(). In main() only. */
inline void set_on_synth(ResponseHook fn)
{
    detail::on_synth_hook = fn;
    api_register_callback(API_ON_SYNTH, fn ? reinterpret_cast<void *>(&detail::on_synth_thunk) : nullptr);
}

/** on_deliver(req, resp): edits the response head (status, reason, headers) before it is sent. In main() only. */
inline void set_on_deliver(ResponseHook fn)
{
    detail::on_deliver_hook = fn;
    api_register_callback(API_ON_DELIVER, fn ? reinterpret_cast<void *>(&detail::on_deliver_thunk) : nullptr);
}

/** Live update, old program: returns the storage VM's state to hand over. In main() only. */
inline void set_on_live_update(std::string (*fn)())
{
    detail::on_live_update_hook = fn;
    api_register_callback(API_ON_LIVE_UPDATE, fn ? reinterpret_cast<void *>(&detail::on_live_update_thunk) : nullptr);
}

/** Live update, new program: receives the old storage VM's state in the new storage VM. In main() only. */
inline void set_on_resume_update(void (*fn)(std::string_view state))
{
    detail::on_resume_update_hook = fn;
    api_register_callback(API_ON_RESUME_UPDATE,
                          fn ? reinterpret_cast<void *>(&detail::on_resume_update_thunk) : nullptr);
}

/** handler(11) runs once (60 000 instructions) if a later hook of this VM fails. */
inline void set_failure_handler(void (*handler)(int))
{
    api_signal(handler);
}

// ---------------------------------------------------------------------------------------------------------------
// Functions callable by name from the host (TenantVm.call)

/** A named function: gets the argument, returns the result (at most 16 KiB; it ends at the first NUL). */
using Function = std::function<std::string(std::string_view argument)>;

#ifndef API_MAX_FUNCTIONS
#define API_MAX_FUNCTIONS 64
#endif

namespace detail {
struct NamedFunction {
    std::string name;
    Function fn;
};
inline NamedFunction functions[API_MAX_FUNCTIONS];
inline std::string function_result; // stays valid until the next call, when the host has copied it

template <std::size_t N>
char *function_thunk(const char *arg, std::size_t len)
{
    guarded(functions[N].name.c_str(), [&] { function_result = functions[N].fn(std::string_view(arg, len)); });
    return function_result.data();
}

template <std::size_t... N>
constexpr std::array<char *(*)(const char *, std::size_t), sizeof...(N)> make_function_thunks(
    std::index_sequence<N...>)
{
    return {&function_thunk<N>...};
}
inline std::size_t function_count;
} // namespace detail

/** Makes fn callable by name (1-256 bytes) from the host. In main() only; at most API_MAX_FUNCTIONS. */
inline void register_function(std::string_view name, Function fn)
{
    static constexpr auto thunks = detail::make_function_thunks(std::make_index_sequence<API_MAX_FUNCTIONS>());
    if (detail::function_count == API_MAX_FUNCTIONS) {
        fail("register_function: more than API_MAX_FUNCTIONS functions");
    }
    std::size_t n = detail::function_count++;
    detail::functions[n] = {std::string(name), std::move(fn)};
    api_register_function(name.data(), name.size(), thunks[n]);
}

// ---------------------------------------------------------------------------------------------------------------
// The storage VM: one persistent VM per tenant program, for state that outlives requests

/** Whether this code runs in the storage VM. */
inline bool is_storage()
{
    return api_is_storage() != 0;
}

/** The registers a storage function returned. */
struct StorageResult {
    long a0, a1, a2, a3;
};

/** Runs fn(x0..x3) in the storage VM (one caller at a time); returns its a0..a3. */
inline StorageResult storage_call(long (*fn)(long, long, long, long), long x0 = 0, long x1 = 0, long x2 = 0,
                                  long x3 = 0)
{
    api_regs4 r = api_storage_call(reinterpret_cast<void *>(fn), x0, x1, x2, x3);
    return {r.a0, r.a1, r.a2, r.a3};
}

namespace detail {
inline std::string storage_result; // in the storage VM: the last result, kept until the next call

[[noreturn]] inline void storage_trampoline(std::string (*fn)(std::string_view), const char *data, std::size_t len)
{
    guarded("storage", [&] { storage_result = fn(std::string_view(data, len)); });
    api_stop_with_buffer(storage_result.data(), storage_result.size());
}
} // namespace detail

/** Runs fn(data) in the storage VM and returns its result. */
inline std::string storage_call(std::string (*fn)(std::string_view data), std::string_view data)
{
    std::size_t len = 0;
    void *p = api_storage_string_call(reinterpret_cast<void *>(&detail::storage_trampoline),
                                      reinterpret_cast<void *>(fn), data.data(), data.size(), &len);
    if (p == nullptr) {
        return {};
    }
    std::string s(static_cast<const char *>(p), len);
    api_native_free(p);
    return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Digests and encodings (computed by the host)

using Digest = std::array<std::uint8_t, 32>;

/** SHA-256 of the data. */
inline Digest sha256(const void *data, std::size_t len)
{
    Digest d{};
    api_sha256(data, len, d.data(), d.size());
    return d;
}
inline Digest sha256(std::string_view data)
{
    return sha256(data.data(), data.size());
}

/** Lower-case hexadecimal. */
inline std::string hex(const void *data, std::size_t len)
{
    static constexpr char digits[] = "0123456789abcdef";
    const auto *b = static_cast<const std::uint8_t *>(data);
    std::string s(2 * len, '\0');
    for (std::size_t i = 0; i < len; i++) {
        s[2 * i] = digits[b[i] >> 4];
        s[2 * i + 1] = digits[b[i] & 15];
    }
    return s;
}
template <std::size_t N>
std::string hex(const std::array<std::uint8_t, N> &bytes)
{
    return hex(bytes.data(), N);
}

/** Standard base64 with padding. */
inline std::string base64_encode(const void *data, std::size_t len)
{
    std::string s(4 * ((len + 2) / 3) + 1, '\0');
    long n = api_base64_encode(data, len, s.data(), s.size());
    s.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return s;
}
inline std::string base64_encode(std::string_view data)
{
    return base64_encode(data.data(), data.size());
}

/** Whether `text` is one well-formed JSON value (checked on the host: cheaper than nlohmann::json in the guest). */
inline bool json_valid(std::string_view text)
{
    return api_json_validate(text.data(), text.size()) == 1;
}

/**
 * The value at a JSON Pointer (RFC 6901, e.g. "/user/name" or "/items/0"), extracted on the host without parsing the
 * document in the guest: a string's text unquoted, any other value as compact JSON; nullopt if the document is
 * malformed or the value absent.
 */
inline std::optional<std::string> json_extract(std::string_view json, std::string_view pointer)
{
    long n = api_json_extract(json.data(), json.size(), pointer.data(), pointer.size(), nullptr, 0);
    if (n < 0) {
        return std::nullopt;
    }
    std::string s(static_cast<std::size_t>(n) + 1, '\0');
    n = api_json_extract(json.data(), json.size(), pointer.data(), pointer.size(), s.data(), s.size());
    if (n < 0) {
        return std::nullopt;
    }
    s.resize(static_cast<std::size_t>(n));
    return s;
}

/** Decodes standard or URL-safe base64 (padding optional); nullopt if the text is not base64. */
inline std::optional<std::string> base64_decode(std::string_view text)
{
    std::string s(text.size() / 4 * 3 + 3, '\0');
    long n = api_base64_decode(text.data(), text.size(), s.data(), s.size());
    if (n < 0) {
        return std::nullopt;
    }
    s.resize(static_cast<std::size_t>(n));
    return s;
}

/** Compares in time that depends only on the lengths (for secrets). */
inline bool constant_time_equals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); i++) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}
inline bool constant_time_equals(const Digest &a, const Digest &b)
{
    return constant_time_equals(std::string_view(reinterpret_cast<const char *>(a.data()), a.size()),
                                std::string_view(reinterpret_cast<const char *>(b.data()), b.size()));
}

} // namespace api

/** Fails the request with "file:line: function: assertion 'expr' failed" unless expr holds (host call 501). */
#ifndef EXPECT
#define EXPECT(expr) API_EXPECT(expr)
#endif

#include <api/xml.hpp>

#endif
