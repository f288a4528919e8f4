//! # riscv-sandbox-guest: the Rust tenant SDK of riscv-sandbox
//!
//! Tenant programs are RISC-V programs that a Java web server runs as request hooks, each request in a fresh
//! copy-on-write fork of the program as `main()` left it. This crate wraps the host-call ABI (`docs/abi.md`) in
//! safe Rust: hooks, HTTP fields, decisions, forged and synthetic responses, regex, SHA-256, base64, JSON and XML
//! evaluated by the host, and functions the host can call by name. The guide is `docs/guest-rust.md`.
//!
//! ```no_run
//! use riscv_sandbox_guest::*;
//!
//! fn on_client_request(_a: u32, _b: u32) {
//!     add_req_header("X-Hello", &get_url());
//!     forge(CachingDecision::Uncached, |_a: u32, _b: u32| BackendResponse {
//!         status: 200,
//!         content_type: "text/plain",
//!         body: "<p>hello from Rust 2</p>".to_string(),
//!     });
//! }
//!
//! pub fn main() {
//!     wait_for_requests(on_client_request);
//! }
//! ```
//!
//! ## Modes
//!
//! * feature `std` (default): `riscv64gc-unknown-linux-gnu`, static glibc. `println!`/`eprintln!` reach the host's
//!   log (stdout and stderr are logged line by line).
//! * `--no-default-features`: `#![no_std]` + `alloc` for `riscv32imac-unknown-none-elf` and
//!   `riscv64gc-unknown-none-elf`. The SDK supplies `_start` (declare your main with [`entry!`]), a global
//!   allocator over the Linux `brk` heap, a panic handler, and `print!`/`println!` macros that log through the host.
//!
//! ## Failures
//!
//! A panic in a hook, a forge callback or a named function fails that request: the host answers 503 (500 in a forge
//! callback) and logs `hook: panicked at file:line:column: message`. The tenant and other requests are unaffected.
//! Calls the host refuses (invalid header text, an unavailable HTTP object, ...) fail the request the same way.
//!
//! Guests are single-threaded: the SDK keeps its state (registered hooks, the current hook) in plain globals.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

mod host;
mod hooks;
mod http;
mod sys;
#[cfg(not(feature = "std"))]
mod rt;

pub use host::*;
pub use hooks::*;
pub use http::*;

#[cfg(not(feature = "std"))]
#[doc(hidden)]
pub use rt::print_fmt as __print_fmt;

/// The items a `no_std` tenant needs from `alloc`, re-exported so that `use riscv_sandbox_guest::*;` is enough
/// (with `std` they are in the standard prelude).
#[cfg(not(feature = "std"))]
pub use alloc::{borrow::ToOwned, boxed::Box, format, string::String, string::ToString, vec, vec::Vec};

/// The SDK's version (also part of `tenant-cargo --version`).
pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(feature = "std")]
use alloc::{string::String, vec::Vec};
use core::cell::UnsafeCell;
use core::fmt;

/// A global of the single-threaded guest (the host runs one hook at a time in a VM).
pub(crate) struct Global<T>(UnsafeCell<T>);

// SAFETY: tenant programs run on one hart; the SDK never hands out references that outlive one call.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    pub(crate) const fn new(value: T) -> Self {
        Global(UnsafeCell::new(value))
    }

    /// Runs `f` with exclusive access. Callers never nest `with` on the same global.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: single-threaded, and no caller re-enters the same global inside `f`.
        f(unsafe { &mut *self.0.get() })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Logging and failures

/// Writes `text` to the host's log (host call 503; at most 16 KiB per call and 1 MiB per VM are kept).
pub fn log(text: &str) {
    let (p, n) = sys::buf(text.as_bytes());
    // SAFETY: (p, n) is a live slice
    unsafe { sys::ecall2(sys::SYS_LOG, p, n) };
}

/// Like [`log`], through the print call (502). `println!` in `no_std` mode uses it.
pub fn print_str(text: &str) {
    let (p, n) = sys::buf(text.as_bytes());
    // SAFETY: (p, n) is a live slice
    unsafe { sys::ecall2(sys::SYS_PRINT, p, n) };
}

/// Fails the current hook: the request ends with 503 (500 in a forge callback) and `message` goes to the host's
/// log as "assertion failed: message". During `main()` the program fails to load.
pub fn fail(message: &str) -> ! {
    let bytes = message.as_bytes();
    let bytes = &bytes[..bytes.len().min(16 * 1024)];
    // SAFETY: a live slice; the call never returns
    unsafe { sys::ecall_stop(sys::SYS_FAIL, bytes.as_ptr() as usize, bytes.len(), 0, 0, 0) }
}

/// A `fmt::Write` into a fixed buffer that drops what does not fit (panic messages must not allocate).
struct FixedText<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> fmt::Write for FixedText<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = N - self.len;
        let mut take = s.len().min(room);
        while !s.is_char_boundary(take) {
            take -= 1;
        }
        self.buf[self.len..self.len + take].copy_from_slice(&s.as_bytes()[..take]);
        self.len += take;
        Ok(())
    }
}

/// Fails the hook with "hook: panicked at file:line:column: message" (from the panic hook or handler).
pub(crate) fn fail_with_panic(location: Option<&core::panic::Location<'_>>, message: &dyn fmt::Display) -> ! {
    use fmt::Write;
    let mut text = FixedText::<2048> { buf: [0; 2048], len: 0 };
    let _ = write!(text, "{}: panicked", hooks::current_hook_name());
    if let Some(l) = location {
        let _ = write!(text, " at {}:{}:{}", l.file(), l.line(), l.column());
    }
    let _ = write!(text, ": {}", message);
    let len = text.len;
    // SAFETY: FixedText only ever appends whole UTF-8 characters
    fail(unsafe { core::str::from_utf8_unchecked(&text.buf[..len]) })
}

/// Bytes from the host as a String (invalid UTF-8 is replaced, never trusted).
pub(crate) fn string_from(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Calls `f(ptr, capacity)` that makes the host write at most `capacity` bytes and returns the length written or
/// -1; on success returns the bytes. The buffer is not zeroed first: only what the host wrote is kept.
pub(crate) fn host_writes(capacity: usize, f: impl FnOnce(usize, usize) -> isize) -> Option<Vec<u8>> {
    let mut v: Vec<u8> = Vec::with_capacity(capacity);
    let n = f(v.as_mut_ptr() as usize, v.capacity());
    if n < 0 {
        return None;
    }
    let n = (n as usize).min(v.capacity());
    // SAFETY: the host wrote these n bytes (the ECALL is a memory clobber), n <= capacity
    unsafe { v.set_len(n) };
    Some(v)
}
