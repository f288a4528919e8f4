/*
 * fib: naive doubly recursive Fibonacci, fib(n) with n from argv[1] (default 20).
 * A call-heavy benchmark: about 2.4 M instructions for n = 25, 3.2 G for n = 40.
 * Built for rv64gc glibc (bin/fib) and for the picolibc targets (bin/pico-fib-*).
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) unsigned long fib(unsigned n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20;
    printf("fib(%u) = %lu\n", n, fib(n));
    return 0;
}
