//! token: requests must carry "Authorization: Bearer <base64(token)>" where SHA-256(token) equals the digest of the
//! tenant's secret (its first argument in tenants.json; "open sesame" by default). Others get a 403 JSON answer.
//! Accepted requests continue without the Authorization header, with X-Authenticated and a token fingerprint.
use riscv_sandbox_guest::*;
use std::sync::OnceLock;

/// Set by main(): every request sees it, none can change it for the next.
static EXPECTED: OnceLock<[u8; 32]> = OnceLock::new();

fn deny(reason: &str) -> ! {
    synth(403, "application/json", format!("{{\"error\":\"forbidden\",\"reason\":\"{reason}\"}}"))
}

fn on_recv(_req: u32, _unused: u32) {
    let req = req();
    let Some(auth) = req.find("Authorization") else { deny("missing token") };
    let value = auth.value();
    let Some(encoded) = value.strip_prefix("Bearer ") else { deny("not a bearer token") };
    let token = match base64_decode(encoded) {
        Some(t) if !t.is_empty() => t,
        _ => deny("token is not base64"),
    };
    let digest = sha256(&token);
    if !constant_time_eq(&digest, EXPECTED.get().expect("set by main")) {
        deny("wrong token");
    }
    auth.unset(); // the application never sees the secret
    req.append("X-Authenticated", "yes");
    req.append("X-Token-Id", &hex(digest)[..16]);
    pass();
}

fn main() {
    let secret = std::env::args().nth(1).unwrap_or_else(|| "open sesame".to_string());
    EXPECTED.set(sha256(secret)).expect("main runs once");
    wait_for_requests(on_recv);
}
