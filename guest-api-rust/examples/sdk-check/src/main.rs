//! sdk-check: covers what the other examples do not, for RustExamplesTest.
//!
//!   /panic         panics in on_recv (503, the next request is served)
//!   /forge-panic   panics in the forge callback (500)
//!   /headers       foreach/headers/set/unset/regsub on the request; synthesizes a report
//!   /text          regex replace, base64, JSON on the host, XML; synthesizes a report
//!   /storage       counts calls in the storage VM (state persists across requests)
//!   /body          forge_with_body: echoes the body upper-cased, with BERESP headers
//! Named functions: "echo" (its argument), "url" (the request's URL), "none" (None), "panics".
use riscv_sandbox_guest::*;

fn on_recv(_req: u32, _unused: u32) {
    let req = req();
    match get_url().split('?').next().unwrap_or("") {
        "/panic" => {
            let v: Vec<u32> = Vec::new();
            let i = get_url().len();
            println!("about to index {i}");
            let _ = v[i]; // index out of bounds
        }
        "/forge-panic" => forge(CachingDecision::Uncached, |_: u32, _: u32| panic!("forge bug")),
        "/headers" => {
            let mut seen = Vec::new();
            let count = req.foreach(|line| {
                seen.push(line.name());
                if line.name().eq_ignore_ascii_case("x-drop") {
                    line.unset();
                }
            });
            req.set("X-Set", "one");
            req.set("X-Set", "two");
            let unset = req.unset("X-Gone");
            let re = Regex::new("^(X-Rewrite): (.*)$");
            if let Some(f) = req.find("X-Rewrite") {
                f.regsub(&re, "\\1: [\\2]", false);
            }
            let rewritten = req.get("X-Rewrite").unwrap_or_default();
            let headers: Vec<String> = req.headers().iter().map(|(n, v)| format!("{n}={v}")).collect();
            synth(200, "text/plain", format!(
                "count={count} seen={} unset={unset} rewritten={rewritten} method={} headers={}",
                seen.join(","), get_method(), headers.join(";")))
        }
        "/text" => {
            let re = Regex::new("o+");
            let json = r#"{"user":{"name":"ada","langs":["rust","c++"]}}"#;
            let mut doc = XmlDocument::parse("<r><item id=\"1\">first</item><item>second</item></r>").expect("xml");
            let changed = doc.set_attribute("//item", "seen", "yes");
            let report = format!(
                "replace={} replace_all={} match={} b64={} unb64={:?} bad64={:?} json_valid={} json_bad={} \
                 name={:?} langs={:?} missing={:?} xml_attr={:?} xml_text={:?} xml_changed={:?} xml={}",
                re.replace("foo boo", "0"), re.replace_all("foo boo", "0"), re.is_match("bar"),
                base64_encode("héllo"), base64_decode("aMOpbGxv").map(String::from_utf8), base64_decode("!!"),
                json_valid(json), json_valid("{"), json_extract(json, "/user/name"),
                json_extract(json, "/user/langs"), json_extract(json, "/nope"),
                doc.get_attribute("//item", "id"), doc.get_text("/r/item[2]"), changed, doc.serialize());
            synth(200, "text/plain", report)
        }
        "/storage" => {
            let r = storage_call(count_in_storage, b"tick");
            synth(200, "text/plain", r)
        }
        "/body" => forge_with_body(CachingDecision::Uncached, |body: &[u8]| {
            add_resp_header("X-Body-Length", &body.len().to_string());
            BackendResponse {
                status: 201,
                content_type: "text/plain; charset=utf-8",
                body: String::from_utf8_lossy(body).to_uppercase(),
            }
        }),
        _ => pass(),
    }
}

static mut CALLS: u32 = 0;

fn count_in_storage(data: &[u8]) -> Vec<u8> {
    // SAFETY: the storage VM runs one call at a time
    let n = unsafe {
        CALLS += 1;
        CALLS
    };
    format!("{} #{} storage={}", String::from_utf8_lossy(data), n, is_storage()).into_bytes()
}

fn main() {
    register_function("echo", |arg| Some(arg.to_string()));
    register_function("url", |_| Some(get_url()));
    register_function("none", |_| None);
    register_function("panics", |arg| panic!("function bug: {arg}"));
    wait_for_requests(on_recv);
}
