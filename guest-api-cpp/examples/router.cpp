/*
 * router: header clean-up, URL rewriting and routing by path.
 *
 *   /admin...        403, synthesized here
 *   /health          200 JSON, synthesized here
 *   /old-site/X      301 to /X (decision "synth", on_synth adds the Location header)
 *   /old/X           rewritten to /new/X (field 1, the URL), then routed as below
 *   /api/...         a JSON answer forged in the sandbox (uncached), echoing what the backend would have seen
 *   *.css, *.js ...  decision "hash": cacheable for an hour, upstream "static"
 *   anything else    decision "pass", upstream "app"
 *
 * Every request loses the X-Debug-* headers a client must not send and gains "X-Router: riscv".
 */
#include <api.h>

// Compiled once, while main() initialises: every request inherits the handles.
static const api::Regex debug_headers("(?i)x-debug-[^:]*:.*");
static const api::Regex old_prefix("^/old/(.*)$");
static const api::Regex old_site("^/old-site(/.*)$");
static const api::Regex static_file("\\.(css|js|png|jpe?g|svg|woff2?)$");

static std::string_view path_of(std::string_view url)
{
    return url.substr(0, url.find('?'));
}

static void on_recv(api::Request req)
{
    req.unset(debug_headers);
    req.set("X-Router", "riscv");

    std::string url = req.url();
    if (old_prefix.match(url)) {
        req.append("X-Rewritten-From: " + url);
        req.field(api::FIELD_URL).set(old_prefix.replace(url, "/new/\\1")); // URL rewriting through field 1
        url = req.url();
    }
    std::string_view path = path_of(url);

    if (path.substr(0, 6) == "/admin") {
        api::synth(403, "text/plain", "forbidden\n");
    }
    if (path == "/health") {
        api::synth(200, "application/json", R"({"status":"ok"})");
    }
    if (old_site.match(path)) {
        api::synth(301); // on_synth below builds the redirect
    }
    if (path.substr(0, 5) == "/api/") {
        forge(api::Uncached, [](api::Request bereq, api::Response beresp) {
            nlohmann::json j;
            j["method"] = bereq.method();
            j["url"] = bereq.url();
            j["router"] = bereq["X-Router"].value();
            beresp.append("X-Api: riscv");
            return api::response{200, "application/json", j.dump()};
        });
    }
    if (static_file.match(path)) {
        api::set_backend("static");
        api::set_cacheable(true);
        api::set_ttl(3600);
        api::hash_data(path);
        api::decision("hash", 0);
    }
    api::set_backend("app");
    api::pass();
}

static void on_synth(api::Request req, api::Response resp)
{
    if (resp.status() == 301) {
        resp.append("Location: " + old_site.replace(req.url(), "\\1"));
    }
}

int main()
{
    api::set_on_synth(on_synth);
    api::wait_for_requests(on_recv);
}
