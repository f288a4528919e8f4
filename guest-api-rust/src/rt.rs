//! The `no_std` runtime: `_start`, the global allocator, the panic handler and `print!`/`println!`.
//!
//! Programs for `riscv32imac-unknown-none-elf` / `riscv64gc-unknown-none-elf` are linked by `ld` at 0x10000 and
//! started by the host like Linux programs (a stack with argc/argv). `_start` sets `gp`, zeroes `.bss`, and calls
//! the function named by [`entry!`](crate::entry).

use crate::{sys, Global};
use core::alloc::{GlobalAlloc, Layout};
use core::fmt;

core::arch::global_asm!(
    ".section .text._start, \"ax\", @progbits",
    ".globl _start",
    ".type _start, @function",
    "_start:",
    ".option push",
    ".option norelax",
    "  lla gp, __global_pointer$",
    ".option pop",
    // a loader may leave file bytes in the page .bss shares with .data: zero it
    "  lla t0, __bss_start",
    "  lla t1, _end",
    "1: bgeu t0, t1, 2f",
    "  sb zero, 0(t0)",
    "  addi t0, t0, 1",
    "  j 1b",
    "2: andi sp, sp, -16",
    "  call {start}",
    "  unimp",
    ".size _start, . - _start",
    start = sym start,
);

extern "Rust" {
    fn __riscv_sandbox_main();
}

/// Called by `_start`: runs the program's main (see [`entry!`](crate::entry)). A main that returns without
/// calling `wait_for_requests` ends the program (the host reports that it never waited for requests).
#[doc(hidden)]
pub extern "C" fn start() -> ! {
    // SAFETY: defined by entry!() in the program
    unsafe { __riscv_sandbox_main() };
    loop {
        // SAFETY: exit_group(0)
        unsafe { sys::ecall1(94, 0) };
    }
}

/// Declares the `no_std` program's main function (`fn()`), which the SDK's `_start` calls:
///
/// ```ignore
/// #![no_std]
/// #![no_main]
/// use riscv_sandbox_guest::*;
/// entry!(main);
/// fn main() { wait_for_requests(on_recv); }
/// ```
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[doc(hidden)]
        #[export_name = "__riscv_sandbox_main"]
        pub fn __riscv_sandbox_main() {
            let main: fn() = $main;
            main()
        }
    };
}

/// Prints to the host's log through the print call (502): one log record per call.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::__print_fmt(format_args!($($arg)*), false) };
}

/// Prints a line to the host's log (one record; the line feed is implied).
#[macro_export]
macro_rules! println {
    () => { $crate::__print_fmt(format_args!(""), false) };
    ($($arg:tt)*) => { $crate::__print_fmt(format_args!($($arg)*), false) };
}

#[doc(hidden)]
pub fn print_fmt(args: fmt::Arguments<'_>, _newline: bool) {
    match args.as_str() {
        Some(s) => crate::print_str(s),
        None => crate::print_str(&alloc::fmt::format(args)),
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    crate::fail_with_panic(info.location(), &info.message())
}

// ---------------------------------------------------------------------------------------------------------------
// The allocator: power-of-two size classes over the Linux brk heap
//
// Blocks are 16 bytes to 2 GiB, rounded up to a power of two; freed blocks go to their class's free list and are
// reused first, so the heap holds at most twice what is live plus the largest class's fragmentation. The break grows
// in steps of 64 KiB; when the VM's memory limit refuses it, allocation fails and the hook fails with Rust's
// "memory allocation of N bytes failed". Each request starts from the heap as main() left it.

const CLASSES: usize = 28; // 2^4 .. 2^31
const GROW: usize = 64 * 1024;

struct Heap {
    free: [usize; CLASSES],
    next: usize,
    end: usize,
}

static HEAP: Global<Heap> = Global::new(Heap { free: [0; CLASSES], next: 0, end: 0 });

fn class_of(size: usize) -> Option<(usize, usize)> {
    let block = size.max(16).checked_next_power_of_two()?;
    let class = block.trailing_zeros() as usize - 4;
    (class < CLASSES).then_some((class, block))
}

fn brk(addr: usize) -> usize {
    // SAFETY: the Linux brk system call
    unsafe { sys::ecall1(sys::LINUX_BRK, addr) as usize }
}

/// The SDK's global allocator in `no_std` mode.
pub struct BrkAllocator;

unsafe impl GlobalAlloc for BrkAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some((class, block)) = class_of(layout.size()) else { return core::ptr::null_mut() };
        HEAP.with(|h| {
            if layout.align() <= 16 && h.free[class] != 0 {
                let p = h.free[class];
                // SAFETY: a free block holds the next free block's address in its first word
                h.free[class] = unsafe { *(p as *const usize) };
                return p as *mut u8;
            }
            if h.end == 0 {
                h.next = (brk(0) + 15) & !15;
                h.end = h.next;
            }
            let align = layout.align().max(16);
            let Some(start) = h.next.checked_add(align - 1).map(|a| a & !(align - 1)) else {
                return core::ptr::null_mut();
            };
            let Some(end) = start.checked_add(block) else { return core::ptr::null_mut() };
            if end > h.end {
                let Some(want) = end.checked_add(GROW - 1).map(|e| e & !(GROW - 1)) else {
                    return core::ptr::null_mut();
                };
                if brk(want) < want {
                    return core::ptr::null_mut();
                }
                h.end = want;
            }
            h.next = end;
            start as *mut u8
        })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some((class, _)) = class_of(layout.size()) {
            HEAP.with(|h| {
                // SAFETY: the block is ours again and at least 16 bytes, 16-aligned
                unsafe { *(ptr as *mut usize) = h.free[class] };
                h.free[class] = ptr as usize;
            });
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if let (Some((a, _)), Some((b, _))) = (class_of(layout.size()), class_of(new_size)) {
            if a == b {
                return ptr; // the block already has room
            }
        }
        // SAFETY: the GlobalAlloc contract, as the default realloc
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let p = self.alloc(new_layout);
            if !p.is_null() {
                core::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            p
        }
    }
}

#[global_allocator]
static ALLOCATOR: BrkAllocator = BrkAllocator;

