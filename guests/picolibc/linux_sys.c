/*
 * The Linux system-call layer for picolibc programs started by start.S.
 *
 * picolibc's tinystdio needs only FILE objects with per-character put/get callbacks; here stdout and stderr are
 * line-buffered streams that flush with the write system call (64), stdin reads with read (63), and _exit flushes
 * both output streams and ends the process with exit_group (94), falling back to exit (93).
 * Everything else (malloc via sbrk over the heap in .bss, string functions, printf) is plain picolibc.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum {
    LINUX_SYS_read = 63,
    LINUX_SYS_write = 64,
    LINUX_SYS_exit = 93,
    LINUX_SYS_exit_group = 94,
};

static long linux_syscall(long number, long arg0, long arg1, long arg2)
{
    register long a0 __asm__("a0") = arg0;
    register long a1 __asm__("a1") = arg1;
    register long a2 __asm__("a2") = arg2;
    register long a7 __asm__("a7") = number;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

struct line_stream {
    FILE file;          /* must stay first: the callbacks get a FILE * and cast it back */
    int fd;
    unsigned used;
    char buf[128];
};

static int stream_flush(FILE *f)
{
    struct line_stream *s = (struct line_stream *)f;
    unsigned done = 0;
    while (done < s->used) {
        long n = linux_syscall(LINUX_SYS_write, s->fd, (long)(s->buf + done), (long)(s->used - done));
        if (n <= 0) {
            s->used = 0;
            return _FDEV_ERR;
        }
        done += (unsigned)n;
    }
    s->used = 0;
    return 0;
}

static int stream_put(char c, FILE *f)
{
    struct line_stream *s = (struct line_stream *)f;
    s->buf[s->used++] = c;
    if (c == '\n' || s->used == sizeof s->buf)
        if (stream_flush(f) != 0)
            return _FDEV_ERR;
    return (unsigned char)c;
}

static int stream_get(FILE *f)
{
    (void)f;
    unsigned char c;
    long n = linux_syscall(LINUX_SYS_read, 0, (long)&c, 1);
    if (n == 1)
        return c;
    return n == 0 ? _FDEV_EOF : _FDEV_ERR;
}

static struct line_stream out_stream = {
    .file = FDEV_SETUP_STREAM(stream_put, NULL, stream_flush, _FDEV_SETUP_WRITE),
    .fd = 1,
};
static struct line_stream err_stream = {
    .file = FDEV_SETUP_STREAM(stream_put, NULL, stream_flush, _FDEV_SETUP_WRITE),
    .fd = 2,
};
static FILE in_stream = FDEV_SETUP_STREAM(NULL, stream_get, NULL, _FDEV_SETUP_READ);

FILE *const stdin = &in_stream;
FILE *const stdout = &out_stream.file;
FILE *const stderr = &err_stream.file;

void _exit(int status)
{
    stream_flush(&out_stream.file);
    stream_flush(&err_stream.file);
    for (;;) {
        linux_syscall(LINUX_SYS_exit_group, status, 0, 0);
        linux_syscall(LINUX_SYS_exit, status, 0, 0);
    }
}

extern char **environ;
extern void __libc_init_array(void);
extern int main(int argc, char **argv, char **envp);
void __pico_linux_main(int argc, char **argv, char **envp) __attribute__((noreturn, used));

void __pico_linux_main(int argc, char **argv, char **envp)
{
    environ = envp;
    __libc_init_array();
    exit(main(argc, argv, envp));
}
