//! A no_std + alloc tenant, built for riscv32imac-unknown-none-elf (nostd-rv32) and riscv64gc-unknown-none-elf
//! (nostd-rv64, same source). The SDK supplies _start, the allocator, the panic handler and println!.
//!
//!   /echo    forges "N bytes, sha256 HEX" of the request body
//!   /alloc   allocates and frees 2000 vectors, answers with a checksum (the allocator reuses freed blocks)
//!   /panic   panics: the request fails with 503, the next one is served
//!   other    appends X-Hello: URL and forges "hello from no_std Rust on rvXX" (cacheable)
//! Named function "xlen" returns "32" or "64".
#![no_std]
#![no_main]

use riscv_sandbox_guest::*;

entry!(main);

fn on_recv(_req: u32, _unused: u32) {
    let url = get_url();
    match url.as_str() {
        "/panic" => panic!("no_std panic for {}", url),
        "/echo" => forge_with_body(CachingDecision::Uncached, |body: &[u8]| BackendResponse {
            status: 200,
            content_type: "text/plain",
            body: format!("{} bytes, sha256 {}", body.len(), hex(sha256(body))),
        }),
        "/alloc" => {
            let mut sum = 0usize;
            for i in 0..2000usize {
                let v: Vec<usize> = (0..(i % 64) + 1).collect();
                sum += v.iter().sum::<usize>();
            }
            synth(200, "text/plain", format!("sum {}", sum));
        }
        _ => {
            add_req_header("X-Hello", &url);
            forge(CachingDecision::Cached, |_bereq: u32, _beresp: u32| BackendResponse {
                status: 200,
                content_type: "text/plain",
                body: format!("hello from no_std Rust on rv{}", usize::BITS),
            });
        }
    }
}

fn xlen(_arg: &str) -> Option<String> {
    Some(usize::BITS.to_string())
}

fn main() {
    println!("no_std tenant starting on rv{}", usize::BITS);
    register_function("xlen", xlen);
    wait_for_requests(on_recv);
}
