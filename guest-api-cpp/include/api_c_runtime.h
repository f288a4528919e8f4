/*
 * api_c_runtime.h: start-up code for freestanding C tenants linked with picolibc (rv32 and rv64).
 *
 * Include it exactly once, in the source file that has main(), and link with -nostartfiles (picolibc's own crt0
 * is for machine mode):
 *
 *     riscv64-unknown-elf-gcc --specs=picolibc.specs -nostartfiles -march=rv32imac -mabi=ilp32 -O2 \
 *         -I guest-api-cpp/include -Wl,--defsym=__flash_size=0x800000 -Wl,--defsym=__ram_size=0x800000 \
 *         -o tenant tenant.c
 *
 * It provides:
 *  - _start: sets gp and tp (picolibc keeps errno and other thread-locals at tp), takes argc/argv/envp from the
 *    Linux initial stack, zeroes .tbss/.bss, runs the constructors, then exit(main(argc, argv, envp)) (main may
 *    also be declared int main(void));
 *  - stdout and stderr: line-buffered streams that write through print (502) and log (503), so printf() output
 *    lands in the host's log;
 *  - sbrk() over the Linux brk system call, so picolibc's malloc grows the heap on demand;
 *  - _exit(): flushes stdout/stderr and ends the program with exit_group.
 */
#ifndef RISCV_SANDBOX_API_C_RUNTIME_H
#define RISCV_SANDBOX_API_C_RUNTIME_H

#include <api_c.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef __PICOLIBC__
#error "api_c_runtime.h is for picolibc programs (riscv64-unknown-elf-gcc --specs=picolibc.specs)"
#endif

#if __riscv_xlen == 64
#define API_C_RT_LOAD "ld"
#define API_C_RT_WORD "8"
#else
#define API_C_RT_LOAD "lw"
#define API_C_RT_WORD "4"
#endif

extern void __libc_init_array(void);
extern char __bss_start[], __bss_end[];
extern char **environ;

/*
 * sp -> argc, argv[0..argc-1], NULL, envp..., NULL, auxv (the Linux initial stack). main() is called from assembly
 * so that it may be declared with or without arguments.
 */
__asm__(".section .text.init.enter, \"ax\", @progbits\n"
        ".globl _start\n"
        ".type _start, @function\n"
        "_start:\n"
        ".option push\n"
        ".option norelax\n"
        "  lla gp, __global_pointer$\n"
        ".option pop\n"
        "  lla tp, __tls_base\n"
        "  " API_C_RT_LOAD " s0, 0(sp)\n"
        "  addi s1, sp, " API_C_RT_WORD "\n"
        "  andi sp, sp, -16\n"
        "  mv a0, s0\n"
        "  mv a1, s1\n"
        "  call api_c_init\n"
        "  mv a2, a0\n"
        "  mv a0, s0\n"
        "  mv a1, s1\n"
        "  call main\n"
        "  call exit\n"
        "1: j 1b\n"
        ".size _start, . - _start\n"
        ".text\n");

/* Before main(): zeroes .tbss/.bss, sets environ, runs the constructors; returns envp. */
__attribute__((used)) char **api_c_init(int argc, char **argv)
{
    char **envp = argv + argc + 1;
    /* a loader may leave file bytes in the page .bss shares with .data */
    memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
    environ = envp;
    __libc_init_array();
    return envp;
}

/* ---- stdout / stderr -> print / log ------------------------------------------------------------------------- */
struct api_c_stream {
    FILE file; /* first: the callbacks get a FILE * */
    int log;
    unsigned used;
    char buf[256];
};

static int api_c_stream_flush(FILE *f)
{
    struct api_c_stream *s = (struct api_c_stream *)f;
    unsigned n = s->used;
    if (n > 0 && s->buf[n - 1] == '\n') {
        n--; /* one log record per line, without its line feed */
    }
    if (s->used > 0) {
        if (s->log) {
            api_log(s->buf, n);
        } else {
            api_print(s->buf, n);
        }
    }
    s->used = 0;
    return 0;
}

static int api_c_stream_put(char c, FILE *f)
{
    struct api_c_stream *s = (struct api_c_stream *)f;
    s->buf[s->used++] = c;
    if (c == '\n' || s->used == sizeof s->buf) {
        api_c_stream_flush(f);
    }
    return (unsigned char)c;
}

static struct api_c_stream api_c_stdout = {
    .file = FDEV_SETUP_STREAM(api_c_stream_put, NULL, api_c_stream_flush, _FDEV_SETUP_WRITE),
    .log = 0,
};
static struct api_c_stream api_c_stderr = {
    .file = FDEV_SETUP_STREAM(api_c_stream_put, NULL, api_c_stream_flush, _FDEV_SETUP_WRITE),
    .log = 1,
};
FILE *const stdout = &api_c_stdout.file;
FILE *const stderr = &api_c_stderr.file;

/* ---- process ------------------------------------------------------------------------------------------------ */
static long api_c_linux(long n, long a0)
{
    return api_syscall1(n, a0); /* Linux system calls use the same registers */
}

void *sbrk(ptrdiff_t increment)
{
    static uintptr_t brk_now;
    if (brk_now == 0) {
        brk_now = (uintptr_t)api_c_linux(214, 0); /* brk(0): the current break */
    }
    uintptr_t old = brk_now, want = old + (uintptr_t)increment;
    if (increment != 0 && (uintptr_t)api_c_linux(214, (long)want) != want) {
        return (void *)-1; /* the VM's memory limit */
    }
    brk_now = want;
    return (void *)old;
}

void _exit(int status)
{
    api_c_stream_flush(stdout);
    api_c_stream_flush(stderr);
    for (;;) {
        api_c_linux(94, status); /* exit_group */
    }
}

#endif
