/*
 * sieve: sieve of Eratosthenes over a malloc'd byte array, limit n from argv[1] (default 100000).
 * Prints the number of primes <= n and the largest one. A memory-bound benchmark.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    if (n < 2) {
        printf("primes <= %lu: 0\n", n);
        return 0;
    }
    unsigned char *composite = malloc(n + 1);
    if (composite == NULL) {
        printf("malloc(%lu) failed\n", n + 1);
        return 1;
    }
    memset(composite, 0, n + 1);
    for (unsigned long i = 2; i * i <= n; i++)
        if (!composite[i])
            for (unsigned long j = i * i; j <= n; j += i)
                composite[j] = 1;
    unsigned long count = 0, largest = 0;
    for (unsigned long i = 2; i <= n; i++)
        if (!composite[i]) {
            count++;
            largest = i;
        }
    printf("primes <= %lu: %lu (largest %lu)\n", n, count, largest);
    free(composite);
    return 0;
}
