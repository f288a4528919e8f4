/*
 * hello: printf, argv and envp echo, exit status 0.
 * Built twice: rv64gc glibc static (bin/hello) and picolibc with the Linux user-mode shim (bin/pico-hello-*).
 */
#include <stdio.h>

#if defined(__GLIBC__)
#define LIBC_NAME "glibc"
#elif defined(__PICOLIBC__)
#define LIBC_NAME "picolibc"
#else
#define LIBC_NAME "unknown libc"
#endif

#if defined(__riscv_float_abi_double)
#define FLOAT_ABI "double"
#elif defined(__riscv_float_abi_single)
#define FLOAT_ABI "single"
#else
#define FLOAT_ABI "soft"
#endif

int main(int argc, char **argv, char **envp)
{
    printf("Hello, RISC-V! (rv%d, %s, %s-float ABI)\n", (int)__riscv_xlen, LIBC_NAME, FLOAT_ABI);
    printf("argc = %d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = \"%s\"\n", i, argv[i]);
    if (argv[argc] != NULL)
        printf("argv is not NULL-terminated\n");
    int envc = 0;
    for (char **e = envp; e != NULL && *e != NULL; e++, envc++)
        printf("envp[%d] = \"%s\"\n", envc, *e);
    printf("envc = %d\n", envc);
    return 0;
}
