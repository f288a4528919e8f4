//! Hooks, decisions, forged and synthetic responses, cache hints, named functions and the storage VM.

use crate::http::{BEREQ, BERESP, REQ, RESP};
use crate::sys::{self, ecall0, ecall1, ecall2, ecall3};
use crate::{fail, Global};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

// ---------------------------------------------------------------------------------------------------------------
// The current hook (for req()/resp() and panic messages)

struct Context {
    req: u32,
    resp: u32,
    hook: &'static str,
}

static CONTEXT: Global<Context> = Global::new(Context { req: REQ, resp: RESP, hook: "main" });

fn enter(hook: &'static str, req: u32, resp: u32) {
    crate::hooks::install_panic_hook();
    CONTEXT.with(|c| *c = Context { req, resp, hook });
}

pub(crate) fn current_req() -> u32 {
    CONTEXT.with(|c| c.req)
}

pub(crate) fn current_resp() -> u32 {
    CONTEXT.with(|c| c.resp)
}

pub(crate) fn current_hook_name() -> &'static str {
    CONTEXT.with(|c| c.hook)
}

/// std: panics go through the panic hook, which fails the request with the message (panic = "abort" never
/// unwinds through the host). no_std: the SDK's #[panic_handler] does the same.
#[cfg(feature = "std")]
pub(crate) fn install_panic_hook() {
    static INSTALLED: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);
    if !INSTALLED.swap(true, Relaxed) {
        std::panic::set_hook(Box::new(|info| {
            let message = info.payload_as_str().unwrap_or("(a panic payload that is not text)");
            crate::fail_with_panic(info.location(), &message)
        }));
    }
}

#[cfg(not(feature = "std"))]
pub(crate) fn install_panic_hook() {}

// ---------------------------------------------------------------------------------------------------------------
// Hooks

/// A hook: called with two HTTP object numbers (on_recv: `(REQ, INVALID)`; on_synth and on_deliver:
/// `(REQ, RESP)`), as in libvmod-riscv. Use [`req()`], [`resp()`] or [`Http::new`] to reach them.
pub type Hook = fn(u32, u32);

const HOOK_RECV: usize = 1;
static HOOKS: [AtomicUsize; 12] = [const { AtomicUsize::new(0) }; 12];

fn run_hook(slot: usize, name: &'static str, a: isize, b: isize) -> isize {
    enter(name, REQ, RESP);
    let f = HOOKS[slot].load(Relaxed);
    if f != 0 {
        // SAFETY: slot holds a `Hook` stored by wait_for_requests/set_on_*
        let f: Hook = unsafe { core::mem::transmute::<usize, Hook>(f) };
        f(a as u32, b as u32);
    }
    0
}

extern "C" fn on_recv_thunk(a: isize, b: isize, _arg: *const u8) -> isize {
    run_hook(HOOK_RECV, "on_recv", a, b)
}

extern "C" fn on_synth_thunk(a: isize, b: isize, _arg: *const u8) -> isize {
    run_hook(sys::CB_SYNTH, "on_synth", a, b)
}

extern "C" fn on_deliver_thunk(a: isize, b: isize, _arg: *const u8) -> isize {
    run_hook(sys::CB_DELIVER, "on_deliver", a, b)
}

fn register(slot: usize, hook: Hook, thunk: usize) {
    install_panic_hook();
    HOOKS[slot].store(hook as usize, Relaxed);
    // SAFETY: numbers only; the host faults outside main()
    unsafe { ecall2(sys::SYS_REGISTER_CALLBACK, slot, thunk) };
}

/// Registers `on_recv` and ends `main()`'s run: the program, paused here, is the snapshot every request starts
/// from (everything `main()` set up is there; nothing a request changes survives it). Call it last; it does not
/// return.
pub fn wait_for_requests(on_recv: Hook) -> ! {
    install_panic_hook();
    HOOKS[HOOK_RECV].store(on_recv as usize, Relaxed);
    // SAFETY: registers the thunk; the host stops main() here and never resumes it
    unsafe { sys::ecall_stop(sys::SYS_DECISION, on_recv_thunk as *const () as usize, 0, 0, 0, 0) }
}

/// `on_synth(REQ, RESP)`: runs after on_recv decided [`synth_status`]; may edit the response or call [`synth`].
/// In `main()` only.
pub fn set_on_synth(hook: Hook) {
    register(sys::CB_SYNTH, hook, on_synth_thunk as *const () as usize);
}

/// `on_deliver(REQ, RESP)`: edits the response head (status, reason, headers) before it is sent; forged responses
/// go through it too, synthetic ones do not. In `main()` only.
pub fn set_on_deliver(hook: Hook) {
    register(sys::CB_DELIVER, hook, on_deliver_thunk as *const () as usize);
}

// ---------------------------------------------------------------------------------------------------------------
// Decisions (they end the hook)

/// Ends the hook with a decision: `name` (1-64 bytes, e.g. "pass", "hash", "pipe") and a status value, reported
/// to the host as `Decision(name, status)`.
pub fn decision(name: &str, status: u16) -> ! {
    let (p, n) = sys::buf(name.as_bytes());
    // SAFETY: a live slice; the host stops the hook
    unsafe { sys::ecall_stop(sys::SYS_DECISION, p, n, status as usize, 0, 0) }
}

/// Decision "pass": the request goes to the application, not cached.
pub fn pass() -> ! {
    decision("pass", 0)
}

/// Decision "hash": the request may be answered from the cache (see [`hash_data`], [`set_ttl`]).
pub fn hash() -> ! {
    decision("hash", 0)
}

/// Decision "pipe".
pub fn pipe() -> ! {
    decision("pipe", 0)
}

/// Decision "synth" with a status (100-999): the response is synthesized; on_synth (if set) may add headers or
/// call [`synth`]. Without on_synth the body is empty.
pub fn synth_status(status: u16) -> ! {
    decision("synth", status)
}

/// Answers with this response now (on_recv and on_synth only): status 100-999, content type (at most 256 bytes,
/// "" for none) and body (at most 16 MiB).
pub fn synth(status: u16, content_type: &str, body: impl AsRef<[u8]>) -> ! {
    let (cp, cn) = sys::buf(content_type.as_bytes());
    let (bp, bn) = sys::buf(body.as_ref());
    // SAFETY: live slices; the host stops the hook
    unsafe { sys::ecall_stop(sys::SYS_SYNTH, status as usize, cp, cn, bp, bn) }
}

/// Chooses upstream number `index` (reported as the name "0"..."255").
pub fn set_backend(index: u8) {
    // SAFETY: numbers only
    unsafe { ecall1(sys::SYS_SET_BACKEND, index as usize) };
}

/// Chooses an upstream by name (a token, at most 256 bytes).
pub fn set_backend_name(name: &str) {
    let (p, n) = sys::buf(name.as_bytes());
    // SAFETY: a live slice
    unsafe { ecall2(sys::SYS_SET_BACKEND_NAME, p, n) };
}

// ---------------------------------------------------------------------------------------------------------------
// Cache hints

/// Records whether the response may be cached.
pub fn set_cacheable(cacheable: bool) {
    // SAFETY: numbers only
    unsafe { ecall2(sys::SYS_CACHEABLE, 1, cacheable as usize) };
}

/// Whether the response may be cached (true until set).
pub fn is_cacheable() -> bool {
    // SAFETY: numbers only
    unsafe { ecall2(sys::SYS_CACHEABLE, 0, 0) != 0 }
}

/// Records the TTL in seconds (finite, >= 0, else the request fails). Double-float targets (rv64gc) only.
#[cfg(target_feature = "d")]
pub fn set_ttl(seconds: f64) {
    // SAFETY: numbers only
    unsafe { sys::ttl(true, seconds) };
}

/// The TTL recorded so far (0 until set). Double-float targets (rv64gc) only.
#[cfg(target_feature = "d")]
pub fn ttl() -> f64 {
    // SAFETY: numbers only
    unsafe { sys::ttl(false, 0.0) }
}

/// Adds data to the request's cache key (SHA-256 on the host; len/8 instructions).
pub fn hash_data(data: impl AsRef<[u8]>) {
    let (p, n) = sys::buf(data.as_ref());
    // SAFETY: a live slice
    unsafe { ecall2(sys::SYS_HASH_DATA, p, n) };
}

/// Adds a ban expression (at most 1 KiB, 16 per request) to the cache hints.
pub fn ban(expression: &str) {
    let (p, n) = sys::buf(expression.as_bytes());
    // SAFETY: a live slice
    unsafe { ecall2(sys::SYS_BAN, p, n) };
}

/// Asks the host to purge the current object.
pub fn purge() {
    // SAFETY: no arguments
    unsafe { ecall0(sys::SYS_PURGE) };
}

// ---------------------------------------------------------------------------------------------------------------
// Forged responses

/// Whether the host may cache a forged response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CachingDecision {
    /// The response must not be cached.
    Uncached = 0,
    /// The response may be cached.
    Cached = 1,
}

/// What a forge callback returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendResponse {
    /// 100-999 (anything else fails the request with 500).
    pub status: u16,
    /// At most 256 bytes, no control characters; "" sends no Content-Type.
    pub content_type: &'static str,
    /// At most 16 MiB.
    pub body: String,
}

trait ForgeCallback {
    fn respond(self, body: &[u8]) -> BackendResponse;
}

struct Plain<F>(F);
struct WithBody<F>(F);

impl<F: FnOnce(u32, u32) -> BackendResponse> ForgeCallback for Plain<F> {
    fn respond(self, _body: &[u8]) -> BackendResponse {
        (self.0)(BEREQ, BERESP)
    }
}

impl<F: FnOnce(&[u8]) -> BackendResponse> ForgeCallback for WithBody<F> {
    fn respond(self, body: &[u8]) -> BackendResponse {
        (self.0)(body)
    }
}

/// What the host calls after on_recv: trampoline(argument, body, body_len). It ends with STOP and the response in
/// a0..a4 (docs/abi.md "Forge callbacks").
extern "C" fn forge_trampoline<C: ForgeCallback>(arg: *mut C, body: *const u8, len: usize) -> ! {
    enter("forge", BEREQ, BERESP);
    // SAFETY: arg came from Box::into_raw in forge_with (the host hands it back once); the body is the host's
    // copy of the request body, alive during this call
    let callback = unsafe { Box::from_raw(arg) };
    let body: &[u8] = if body.is_null() || len == 0 { &[] } else { unsafe { core::slice::from_raw_parts(body, len) } };
    let r = core::mem::ManuallyDrop::new(callback.respond(body));
    let (cp, cn) = sys::buf(r.content_type.as_bytes());
    let (bp, bn) = sys::buf(r.body.as_bytes());
    // SAFETY: the response is never dropped: the host reads it at STOP and the VM is discarded after the request
    unsafe { sys::stop(r.status as usize, cp, cn, bp, bn) }
}

fn forge_with<C: ForgeCallback + 'static>(caching: CachingDecision, callback: C) -> ! {
    let arg = Box::into_raw(Box::new(callback)) as usize; // no allocation for closures that capture nothing
    // SAFETY: the host calls forge_trampoline::<C>(arg, ...) once, after on_recv ends here
    unsafe { sys::ecall_stop(sys::SYS_FORGE, caching as usize, forge_trampoline::<C> as *const () as usize, arg, 0, 0) }
}

/// Answers the request with a response made by `f`, which runs after on_recv ends (this call ends it), in the
/// same VM with a fresh instruction budget. It gets `(BEREQ, BERESP)`: the request as on_recv left it and an empty
/// 200 response whose header lines it may add (through [`req()`]/[`resp()`]). Closures may capture by value (they
/// are moved to the heap). A panic in `f` fails the request with 500.
pub fn forge<F>(caching: CachingDecision, f: F) -> !
where
    F: FnOnce(u32, u32) -> BackendResponse + 'static,
{
    forge_with(caching, Plain(f))
}

/// Like [`forge`], and `f` gets the request body (empty without one; at most the tenant's `max_request_body`).
pub fn forge_with_body<F>(caching: CachingDecision, f: F) -> !
where
    F: FnOnce(&[u8]) -> BackendResponse + 'static,
{
    forge_with(caching, WithBody(f))
}

// ---------------------------------------------------------------------------------------------------------------
// Named functions (TenantVm.call on the host)

/// A function the host can call by name: it gets the argument and returns the result (None gives the host
/// `null`). The result ends at its first NUL character and may be at most 16 KiB - 1 bytes (longer fails the call).
pub type NamedFunction = fn(&str) -> Option<String>;

/// How many functions a program may register.
pub const MAX_FUNCTIONS: usize = 64;

struct Functions {
    entries: Vec<(&'static str, NamedFunction)>,
    result: Vec<u8>, // the last result, NUL-terminated, kept until the host has copied it
}

static FUNCTIONS: Global<Functions> = Global::new(Functions { entries: Vec::new(), result: Vec::new() });

fn call_function(n: usize, arg: *const u8, len: usize) -> *const u8 {
    let (name, f) = FUNCTIONS.with(|t| t.entries[n]);
    enter(name, REQ, RESP);
    // SAFETY: the host copied the argument (len bytes, then a NUL) onto its heap for this call
    let bytes: &[u8] = if arg.is_null() || len == 0 { &[] } else { unsafe { core::slice::from_raw_parts(arg, len) } };
    let text = String::from_utf8_lossy(bytes);
    match f(&text) {
        None => core::ptr::null(),
        Some(r) => {
            if r.len() >= 16 * 1024 {
                fail(&alloc::format!("{}: the result is longer than 16 KiB - 1 bytes ({})", name, r.len()));
            }
            FUNCTIONS.with(|t| {
                t.result.clear();
                t.result.extend_from_slice(r.as_bytes());
                t.result.push(0);
                t.result.as_ptr()
            })
        }
    }
}

extern "C" fn function_thunk<const N: usize>(arg: *const u8, len: usize) -> *const u8 {
    call_function(N, arg, len)
}

macro_rules! thunks {
    ($($n:literal)*) => {
        static THUNKS: [extern "C" fn(*const u8, usize) -> *const u8; MAX_FUNCTIONS] = [$(function_thunk::<$n>,)*];
    };
}
thunks!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38
        39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63);

/// Makes `f` callable by name (1-256 bytes) from the host (`TenantVm.call(name, argument)`). In `main()` only; at
/// most [`MAX_FUNCTIONS`]. The request is reachable through [`req()`] if the VM has received one.
pub fn register_function(name: &str, f: NamedFunction) {
    install_panic_hook();
    let n = FUNCTIONS.with(|t| t.entries.len());
    if n == MAX_FUNCTIONS {
        fail("register_function: more than 64 functions");
    }
    let name: &'static str = Box::leak(String::from(name).into_boxed_str());
    FUNCTIONS.with(|t| t.entries.push((name, f)));
    let (p, len) = sys::buf(name.as_bytes());
    // SAFETY: a live slice and a function address; the host faults outside main()
    unsafe { ecall3(sys::SYS_REGISTER_FUNCTION, p, len, THUNKS[n] as usize) };
}

// ---------------------------------------------------------------------------------------------------------------
// The storage VM

/// Whether this code runs in the tenant's storage VM.
pub fn is_storage() -> bool {
    // SAFETY: no arguments
    unsafe { ecall0(sys::SYS_IS_STORAGE) == 1 }
}

/// A function that runs in the storage VM: gets the caller's data, returns the result.
pub type StorageFunction = fn(&[u8]) -> Vec<u8>;

static STORAGE_RESULT: Global<Vec<u8>> = Global::new(Vec::new());

extern "C" fn storage_trampoline(f: usize, data: *const u8, len: usize) -> ! {
    enter("storage", REQ, RESP);
    // SAFETY: f is the StorageFunction storage_call passed; data is the host's copy of the caller's data
    let f: StorageFunction = unsafe { core::mem::transmute::<usize, StorageFunction>(f) };
    let data: &[u8] = if data.is_null() || len == 0 { &[] } else { unsafe { core::slice::from_raw_parts(data, len) } };
    let r = f(data);
    let (p, n) = STORAGE_RESULT.with(|s| {
        *s = r;
        sys::buf(s)
    });
    // SAFETY: the result stays in STORAGE_RESULT until the next storage call
    unsafe { sys::stop(p, n, 0, 0, 0) }
}

/// Runs `f(data)` in the tenant's storage VM, whose memory persists across requests (one caller at a time, 4000
/// instructions plus the storage VM's), and returns its result. Statics changed there are seen by later storage
/// calls, never by requests. Not during `main()`.
pub fn storage_call(f: StorageFunction, data: &[u8]) -> Vec<u8> {
    let (dp, dn) = sys::buf(data);
    let (ptr, len): (usize, usize);
    // SAFETY: the host copies (dp, dn) into the storage VM and returns a buffer on this VM's host-managed heap
    unsafe {
        core::arch::asm!("ecall", inlateout("a0") storage_trampoline as *const () as usize => ptr, inlateout("a1") f as usize => len,
                         in("a2") dp, in("a3") dn, in("a7") sys::SYS_STORAGE_STRING_CALL, options(nostack));
    }
    if ptr == 0 {
        return Vec::new();
    }
    // SAFETY: the host wrote len bytes at ptr (its heap, ours until freed)
    let v = unsafe { core::slice::from_raw_parts(ptr as *const u8, len) }.to_vec();
    // SAFETY: frees the host's buffer, which nothing references any more
    unsafe { ecall1(sys::SYS_NATIVE_FREE, ptr) };
    v
}
