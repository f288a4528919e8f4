/*
 * hello_c: a freestanding C tenant (picolibc, no C++), built for rv32 (rv32imac/ilp32) and rv64.
 *
 * Every request gets "X-Hello: url=<url>" appended. Then, by path:
 *   /forge   a JSON response forged in the sandbox (cached), naming the word size and the request body's length
 *   /synth   a plain-text response synthesized in on_recv
 *   other    the request continues to the application
 */
#include <api_c.h>
#include <api_c_runtime.h> /* _start, stdout -> the host log, malloc over brk; once per program */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char JSON[] = "application/json";

static void forge_hello(void *arg, const uint8_t *body, size_t len)
{
    (void)arg;
    (void)body;
    size_t size = 128;
    char *out = malloc(size); /* picolibc's malloc, grown with brk */
    int n = snprintf(out, size, "{\"message\":\"Hello from RISC-V!\",\"xlen\":%d,\"body_bytes\":%lu}", __riscv_xlen,
                     (unsigned long)len);
    api_forge_response(200, JSON, sizeof JSON - 1, out, (size_t)n);
}

static long on_recv(int req, int unused, const char *arg)
{
    (void)unused;
    (void)arg;
    char url[1024];
    long n = api_field_retrieve(req, API_FIELD_URL, url, sizeof url);
    if (n < 0) {
        n = 0;
    }
    char line[1100];
    int len = snprintf(line, sizeof line, "X-Hello: url=%.*s", (int)n, url);
    api_field_append(req, line, (size_t)len);

    if (n == 6 && memcmp(url, "/forge", 6) == 0) {
        api_forge(1, forge_hello, NULL);
    }
    if (n == 6 && memcmp(url, "/synth", 6) == 0) {
        static const char body[] = "hello from C\n";
        api_synth(200, API_STR("text/plain"), body, sizeof body - 1);
    }
    return 0; /* the request continues */
}

int main(void)
{
    printf("hello_c: %d-bit picolibc tenant ready\n", __riscv_xlen);
    api_wait_for_requests(on_recv);
}
