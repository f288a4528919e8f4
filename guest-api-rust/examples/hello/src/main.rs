use riscv_sandbox_guest::*;

fn on_client_request(_a: u32, _b: u32) {
	add_req_header("X-Hello", &get_url());

	forge(CachingDecision::Uncached, |_a: u32, _b: u32| {
		BackendResponse {
			status: 200,
			content_type: "text/plain",
			body: "<p>hello from Rust 2</p>".to_string(),
		}
	});
}

pub fn main() {
	wait_for_requests(on_client_request);
}
