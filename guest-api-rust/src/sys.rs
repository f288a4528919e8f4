//! Raw host calls: one ECALL per call of docs/abi.md, the STOP instruction, and the constants.
//!
//! Everything here is crate-private and `unsafe` where pointers go to the host: the safe wrappers in the other
//! modules always pass a pointer and the length of the same live Rust slice, so the host reads or writes exactly
//! the memory the wrapper owns.

use core::arch::asm;

pub const SYS_FAIL: usize = 500;
pub const SYS_PRINT: usize = 502;
pub const SYS_LOG: usize = 503;
pub const SYS_IS_STORAGE: usize = 506;
pub const SYS_STORAGE_STRING_CALL: usize = 508;
pub const SYS_REGISTER_CALLBACK: usize = 509;
pub const SYS_DECISION: usize = 510;
pub const SYS_SET_BACKEND: usize = 511;
pub const SYS_FORGE: usize = 512;
pub const SYS_BAN: usize = 513;
pub const SYS_HASH_DATA: usize = 514;
pub const SYS_PURGE: usize = 515;
pub const SYS_SYNTH: usize = 516;
pub const SYS_CACHEABLE: usize = 517;
#[cfg(target_feature = "d")]
pub const SYS_TTL: usize = 518;
pub const SYS_FOREACH_FIELD: usize = 519;
pub const SYS_FIELD_RETRIEVE: usize = 521;
pub const SYS_FIELD_APPEND: usize = 522;
pub const SYS_FIELD_SET: usize = 523;
pub const SYS_FIELD_COPY: usize = 524;
pub const SYS_FIELD_UNSET: usize = 525;
pub const SYS_HTTP_ROLLBACK: usize = 526;
pub const SYS_HTTP_COPY: usize = 527;
pub const SYS_HTTP_STATUS: usize = 528;
pub const SYS_HTTP_UNSET_REGEX: usize = 529;
pub const SYS_HTTP_FIND: usize = 530;
pub const SYS_REGEX_COMPILE: usize = 531;
pub const SYS_REGEX_MATCH: usize = 532;
pub const SYS_REGEX_SUBST: usize = 533;
pub const SYS_REGEX_SUBST_FIELD: usize = 534;
pub const SYS_REGEX_FREE: usize = 535;
pub const SYS_SHA256: usize = 536;
pub const SYS_BASE64_DECODE: usize = 538;
pub const SYS_REGISTER_FUNCTION: usize = 539;
pub const SYS_BASE64_ENCODE: usize = 540;
pub const SYS_SET_BACKEND_NAME: usize = 541;
pub const SYS_XML_PARSE: usize = 542;
pub const SYS_XML_SET_ATTRIBUTE: usize = 543;
pub const SYS_XML_GET_ATTRIBUTE: usize = 544;
pub const SYS_XML_SERIALIZE: usize = 545;
pub const SYS_XML_FREE: usize = 546;
pub const SYS_XML_GET_TEXT: usize = 547;
pub const SYS_XML_SET_TEXT: usize = 548;
pub const SYS_JSON_VALIDATE: usize = 549;
pub const SYS_JSON_EXTRACT: usize = 550;
pub const SYS_NATIVE_FREE: usize = 583;

/// Linux system calls used by the no_std runtime (same registers as host calls).
#[cfg(not(feature = "std"))]
pub const LINUX_BRK: usize = 214;

/// Callback slots of register_callback (509).
pub const CB_SYNTH: usize = 3;
pub const CB_DELIVER: usize = 7;

macro_rules! ecall_fn {
    ($name:ident, $($arg:ident => $reg:tt),*) => {
        /// One host call with these arguments; the result is `a0`.
        #[inline(always)]
        #[allow(dead_code)]
        pub unsafe fn $name(n: usize, a0: usize $(, $arg: usize)*) -> isize {
            let r: isize;
            asm!("ecall", inlateout("a0") a0 as isize => r, $(in($reg) $arg,)* in("a7") n, options(nostack));
            r
        }
    };
}

ecall_fn!(ecall1,);
ecall_fn!(ecall2, a1 => "a1");
ecall_fn!(ecall3, a1 => "a1", a2 => "a2");
ecall_fn!(ecall4, a1 => "a1", a2 => "a2", a3 => "a3");
ecall_fn!(ecall5, a1 => "a1", a2 => "a2", a3 => "a3", a4 => "a4");
ecall_fn!(ecall6, a1 => "a1", a2 => "a2", a3 => "a3", a4 => "a4", a5 => "a5");
ecall_fn!(ecall7, a1 => "a1", a2 => "a2", a3 => "a3", a4 => "a4", a5 => "a5", a6 => "a6");

/// A host call without arguments.
#[inline(always)]
pub unsafe fn ecall0(n: usize) -> isize {
    ecall1(n, 0)
}

/// A host call that stops the current hook (decisions, fail): the host never resumes it. Should it ever return,
/// the program traps instead of running on.
#[inline(always)]
pub unsafe fn ecall_stop(n: usize, a0: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> ! {
    asm!("ecall", "unimp", in("a0") a0, in("a1") a1, in("a2") a2, in("a3") a3, in("a4") a4, in("a7") n,
         options(noreturn, nostack));
}

/// STOP (0x7ff00073): ends the current host -> guest call with these registers (forge response, storage result).
#[inline(always)]
pub unsafe fn stop(a0: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> ! {
    asm!(".insn i 0x73, 0, x0, x0, 0x7ff", "unimp", in("a0") a0, in("a1") a1, in("a2") a2, in("a3") a3,
         in("a4") a4, options(noreturn, nostack));
}

/// The TTL call (518) returns its value in fa0: double-float targets only.
#[cfg(target_feature = "d")]
#[inline(always)]
pub unsafe fn ttl(set: bool, seconds: f64) -> f64 {
    let r: f64;
    asm!("ecall", inlateout("a0") set as usize => _, inlateout("fa0") seconds => r, in("a7") SYS_TTL, options(nostack));
    r
}

/// A slice's (pointer, length) as register values.
#[inline(always)]
pub fn buf(b: &[u8]) -> (usize, usize) {
    (b.as_ptr() as usize, b.len())
}
