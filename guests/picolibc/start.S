/*
 * Linux user-mode entry point for picolibc programs (rv32 and rv64, any multilib).
 *
 * picolibc's own crt0 targets machine mode (it writes mstatus/fcsr and never exits), so these programs link with
 * -nostartfiles and start here instead. The kernel (or qemu-user, or riscv-sandbox) enters _start with
 *     sp -> argc, argv[0] .. argv[argc-1], NULL, envp[0] .. NULL, auxv ...
 * We
 *   1. set gp (for gp-relative addressing; must not itself be relaxed) and tp (picolibc keeps errno and other
 *      thread-locals in .tdata/.tbss; local-exec TLS addresses them from tp = __tls_base),
 *   2. pick up argc/argv/envp from the initial stack,
 *   3. switch to a stack inside .bss (the "user area": heap + stack, see below),
 *   4. zero .tbss/.bss except the user area (a loader may leave file bytes in the page .bss shares with .data),
 *   5. call __pico_linux_main(argc, argv, envp) in linux_sys.c, which never returns.
 */

        .file   "start.S"

#if __riscv_xlen == 64
#define LOAD_X ld
#define XLEN_BYTES 8
#define XLEN_SHIFT 3
#else
#define LOAD_X lw
#define XLEN_BYTES 4
#define XLEN_SHIFT 2
#endif

#define HEAP_BYTES  (4 * 1024 * 1024)
#define STACK_BYTES (256 * 1024)

        .section .text.init.enter, "ax", @progbits
        .globl  _start
        .type   _start, @function
_start:
        .cfi_startproc
        .cfi_undefined ra
        .option push
        .option norelax
        lla     gp, __global_pointer$
        .option pop
        lla     tp, __tls_base

        LOAD_X  s0, 0(sp)                       /* s0 = argc */
        addi    s1, sp, XLEN_BYTES              /* s1 = argv */
        addi    s2, s0, 1
        slli    s2, s2, XLEN_SHIFT
        add     s2, s1, s2                      /* s2 = envp = argv + argc + 1 */

        lla     sp, __user_stack_top

        lla     a0, __bss_start                 /* [__bss_start, __user_area_start) */
        li      a1, 0
        lla     a2, __user_area_start
        sub     a2, a2, a0
        call    memset
        lla     a0, __user_area_end             /* [__user_area_end, __bss_end) */
        li      a1, 0
        lla     a2, __bss_end
        sub     a2, a2, a0
        call    memset

        mv      a0, s0
        mv      a1, s1
        mv      a2, s2
        call    __pico_linux_main
1:      j       1b                              /* not reached */
        .cfi_endproc
        .size   _start, . - _start

/*
 * The user area: picolibc's sbrk hands out [__user_heap_start, __user_heap_end) (the Makefile passes
 * --defsym=__heap_start=__user_heap_start --defsym=__heap_end=__user_heap_end), and the stack grows down from
 * __user_stack_top. Both are NOBITS, so they cost nothing in the file, and the start code does not zero them.
 */
        .section .bss.pico_linux_user_area, "aw", @nobits
        .balign 4096
        .globl  __user_area_start, __user_heap_start, __user_heap_end, __user_stack_top, __user_area_end
__user_area_start:
__user_heap_start:
        .skip   HEAP_BYTES
__user_heap_end:
        .skip   STACK_BYTES
__user_stack_top:
__user_area_end:
