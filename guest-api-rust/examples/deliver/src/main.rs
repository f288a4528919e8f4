//! deliver: edits the application's response head in on_deliver (the Rust twin of guest-api-cpp's deliver.cpp).
//!
//! on_recv gives each request an X-Request-Id (unless it has one); on_deliver adds "X-Goodbye: RISCV", copies the
//! request's X-Request-Id into the response, removes Server and every X-Internal-* header (foreach), counts what it
//! removed, and asks clients to retry later when the application failed with 503.
use riscv_sandbox_guest::*;

fn on_recv(_req: u32, _unused: u32) {
    if !req().contains("X-Request-Id") {
        let id = format!("riscv-{}", &hex(sha256(get_url()))[..12]);
        add_req_header("X-Request-Id", &id);
    }
}

fn on_deliver(req: u32, resp: u32) {
    let (req, resp) = (Http::new(req), Http::new(resp));
    resp.append("X-Goodbye", "RISCV");
    if let Some(id) = req.find("X-Request-Id") {
        id.copy_to(resp); // a copy of the request's header line
    }

    let mut removed = resp.unset("Server");
    resp.foreach(|line| {
        if line.name().starts_with("X-Internal-") {
            line.unset(); // removed after foreach returns
            removed += 1;
        }
    });
    resp.append("X-Removed-Headers", &removed.to_string());

    if resp.status() == 503 {
        resp.set("Retry-After", "5");
    }
}

fn main() {
    set_on_deliver(on_deliver);
    wait_for_requests(on_recv);
}
