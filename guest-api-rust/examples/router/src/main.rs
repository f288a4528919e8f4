//! router: header clean-up, URL rewriting and routing by path (the Rust twin of guest-api-cpp's router.cpp).
//!
//!   /admin...        403, synthesized here
//!   /health          200 JSON, synthesized here
//!   /old-site/X      301 to /X (decision "synth", on_synth adds the Location header)
//!   /old/X           rewritten to /new/X, then routed as below
//!   /api/...         a JSON answer forged in the sandbox (uncached), echoing what the backend would have seen
//!   *.css, *.js ...  decision "hash": cacheable for an hour, upstream "static"
//!   anything else    decision "pass", upstream "app"
//!
//! Every request loses the X-Debug-* headers a client must not send and gains "X-Router: riscv".
use riscv_sandbox_guest::*;
use std::sync::LazyLock;

// Compiled while main() initialises (main touches them): every request inherits the handles.
static DEBUG_HEADERS: LazyLock<Regex> = LazyLock::new(|| Regex::new("(?i)x-debug-[^:]*:.*"));
static OLD_PREFIX: LazyLock<Regex> = LazyLock::new(|| Regex::new("^/old/(.*)$"));
static OLD_SITE: LazyLock<Regex> = LazyLock::new(|| Regex::new("^/old-site(/.*)$"));
static STATIC_FILE: LazyLock<Regex> = LazyLock::new(|| Regex::new("\\.(css|js|png|jpe?g|svg|woff2?)$"));

fn path_of(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

/// A JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn on_recv(_req: u32, _unused: u32) {
    let req = req();
    req.unset_matching(&DEBUG_HEADERS);
    req.set("X-Router", "riscv");

    let mut url = req.url();
    if OLD_PREFIX.is_match(&url) {
        req.append("X-Rewritten-From", &url);
        req.set_url(&OLD_PREFIX.replace(&url, "/new/\\1"));
        url = req.url();
    }
    let path = path_of(&url);

    if path.starts_with("/admin") {
        synth(403, "text/plain", "forbidden\n");
    }
    if path == "/health" {
        synth(200, "application/json", r#"{"status":"ok"}"#);
    }
    if OLD_SITE.is_match(path) {
        synth_status(301); // on_synth below builds the redirect
    }
    if path.starts_with("/api/") {
        forge(CachingDecision::Uncached, |bereq: u32, beresp: u32| {
            let (bereq, beresp) = (Http::new(bereq), Http::new(beresp));
            let body = format!(
                "{{\"method\":{},\"router\":{},\"url\":{}}}",
                json_string(&bereq.method()),
                json_string(&bereq.get("X-Router").unwrap_or_default()),
                json_string(&bereq.url())
            );
            beresp.append("X-Api", "riscv");
            BackendResponse { status: 200, content_type: "application/json", body }
        });
    }
    if STATIC_FILE.is_match(path) {
        set_backend_name("static");
        set_cacheable(true);
        set_ttl(3600.0);
        hash_data(path);
        hash();
    }
    set_backend_name("app");
    pass();
}

fn on_synth(req: u32, resp: u32) {
    let resp = Http::new(resp);
    if resp.status() == 301 {
        resp.append("Location", &OLD_SITE.replace(&Http::new(req).url(), "\\1"));
    }
}

fn main() {
    LazyLock::force(&DEBUG_HEADERS);
    LazyLock::force(&OLD_PREFIX);
    LazyLock::force(&OLD_SITE);
    LazyLock::force(&STATIC_FILE);
    set_on_synth(on_synth);
    wait_for_requests(on_recv);
}
