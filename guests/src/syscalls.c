/*
 * syscalls: exercises the Linux syscalls a static glibc program commonly needs.
 *
 * stdout must be byte-identical under qemu-user and under a sandbox that never touches the host file system,
 * so it only reports results both can agree on (ok / failed, byte counts, contents the program wrote itself).
 * Host-dependent details (file descriptors, paths, errno of host file access) go to stderr, which the tests
 * do not compare.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL

static int failures;

static void report(const char *what, int ok)
{
    printf("%-32s %s\n", what, ok ? "ok" : "FAILED");
    if (!ok)
        failures++;
}

/*
 * Deterministic fill and check of a byte range: byte i of a block tagged `tag` is (i * 31 + tag) & 0xff.
 * Past the first 16 KiB only every 61st byte is touched, to keep the instruction count low; that still
 * touches every page. The positions do not depend on n, so a prefix of a block checks with the same tag.
 */
#define NEXT(i) ((i) + ((i) < (16u << 10) ? 1u : 61u))

static void fill(unsigned char *p, size_t n, unsigned tag)
{
    for (size_t i = 0; i < n; i = NEXT(i))
        p[i] = (unsigned char)(i * 31 + tag);
}

static int check(const unsigned char *p, size_t n, unsigned tag)
{
    for (size_t i = 0; i < n; i = NEXT(i))
        if (p[i] != (unsigned char)(i * 31 + tag))
            return 0;
    return 1;
}

static uint32_t checksum(const unsigned char *p, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a over the bytes fill() wrote */
    for (size_t i = 0; i < n; i = NEXT(i))
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static void test_malloc_small(void)
{
    enum { N = 512 };
    static unsigned char *blocks[N];
    static size_t sizes[N];
    int ok = 1;
    for (int i = 0; i < N; i++) {
        sizes[i] = 1 + (size_t)(i * 37 % 700);
        blocks[i] = malloc(sizes[i]);
        if (blocks[i] == NULL) { ok = 0; break; }
        fill(blocks[i], sizes[i], (unsigned)i);
    }
    report("malloc small x512", ok);
    /* free every third block, grow the others with realloc */
    for (int i = 0; ok && i < N; i++) {
        if (i % 3 == 0) {
            free(blocks[i]);
            blocks[i] = NULL;
            continue;
        }
        if (!check(blocks[i], sizes[i], (unsigned)i)) ok = 0;
        unsigned char *q = realloc(blocks[i], sizes[i] * 3);
        if (q == NULL || !check(q, sizes[i], (unsigned)i)) { ok = 0; break; }
        fill(q, sizes[i] * 3, (unsigned)i + 1);
        blocks[i] = q;
        sizes[i] *= 3;
    }
    uint32_t sum = 0;
    for (int i = 0; i < N; i++)
        if (blocks[i] != NULL) {
            if (!check(blocks[i], sizes[i], (unsigned)i + 1)) ok = 0;
            sum += checksum(blocks[i], sizes[i]);
            free(blocks[i]);
        }
    report("realloc/free small", ok);
    printf("%-32s %08x\n", "small blocks checksum", sum);

    unsigned char *z = calloc(1000, 10);
    int zero = z != NULL;
    for (int i = 0; zero && i < 10000; i++)
        zero = z[i] == 0;
    free(z);
    report("calloc zeroed", zero);
}

static void test_malloc_big(void)
{
    /* above glibc's 128 KiB mmap threshold: served by mmap, grown by mremap */
    size_t n = 1 << 20;
    unsigned char *p = malloc(n);
    int ok = p != NULL;
    if (ok) {
        fill(p, n, 7);
        printf("%-32s %08x\n", "1 MiB block checksum", checksum(p, n));
        unsigned char *q = realloc(p, 4 * n);
        ok = q != NULL && check(q, n, 7);
        if (ok) {
            fill(q, 4 * n, 9);
            p = realloc(q, n / 2);
            ok = p != NULL && check(p, n / 2, 9);
        } else {
            p = q;
        }
        free(p);
    }
    report("malloc/realloc/free 1-4 MiB", ok);

    /* many medium blocks straddling the threshold */
    ok = 1;
    unsigned char *m[8];
    for (int i = 0; i < 8; i++) {
        size_t sz = (size_t)(100 + 20 * i) << 10;
        m[i] = malloc(sz);
        if (m[i] == NULL) { ok = 0; continue; }
        fill(m[i], sz, (unsigned)i);
    }
    for (int i = 0; i < 8; i++)
        if (m[i] != NULL) {
            if (!check(m[i], (size_t)(100 + 20 * i) << 10, (unsigned)i)) ok = 0;
            free(m[i]);
        }
    report("malloc 100-240 KiB x8", ok);
}

static void test_brk(void)
{
    void *cur = sbrk(0);
    int ok = cur != (void *)-1;
    if (ok) {
        unsigned char *p = sbrk(64 * 1024);
        ok = p != (void *)-1;
        if (ok) {
            fill(p, 64 * 1024, 3);
            ok = check(p, 64 * 1024, 3) && sbrk(0) == (void *)(p + 64 * 1024);
            ok = ok && sbrk(-64 * 1024) != (void *)-1 && sbrk(0) == cur;
        }
    }
    report("sbrk grow/shrink", ok);
}

static void test_mmap(void)
{
    unsigned char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    report("mmap anonymous 3 pages", p != MAP_FAILED && ((uintptr_t)p & (PAGE - 1)) == 0);
    if (p == MAP_FAILED)
        return;
    int zero = 1;
    for (size_t i = 0; i < 3 * PAGE; i++)
        zero &= p[i] == 0;
    report("mmap memory is zeroed", zero);
    fill(p, 3 * PAGE, 5);

    int ok = mprotect(p + PAGE, PAGE, PROT_READ) == 0;
    ok = ok && check(p, 3 * PAGE, 5);           /* still readable */
    ok = ok && mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE) == 0;
    if (ok)
        p[PAGE] ^= 0;                             /* writable again */
    report("mprotect", ok);

    ok = mprotect(p + 1, PAGE, PROT_READ) != 0 && errno == EINVAL;
    report("mprotect unaligned -> EINVAL", ok);

    unsigned char *q = mremap(p, 3 * PAGE, 16 * PAGE, MREMAP_MAYMOVE);
    ok = q != MAP_FAILED && check(q, 3 * PAGE, 5);
    if (ok) {
        int z = 1;
        for (size_t i = 3 * PAGE; i < 16 * PAGE; i++)
            z &= q[i] == 0;
        ok = z;
        fill(q, 16 * PAGE, 6);
        p = q;
    }
    report("mremap grow (maymove)", ok);
    q = mremap(p, 16 * PAGE, 2 * PAGE, 0);
    ok = q == p && check(q, 2 * PAGE, 6);
    report("mremap shrink in place", ok);

    report("madvise DONTNEED", madvise(p, 2 * PAGE, MADV_DONTNEED) == 0);
    report("madvise WILLNEED", madvise(p, 2 * PAGE, MADV_WILLNEED) == 0);
    report("munmap", munmap(p, 2 * PAGE) == 0);

    /* reserve with PROT_NONE, then map a page inside it with MAP_FIXED */
    unsigned char *r = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ok = r != MAP_FAILED;
    if (ok) {
        unsigned char *f = mmap(r + PAGE, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        ok = f == r + PAGE;
        if (ok) {
            fill(f, 2 * PAGE, 11);
            ok = check(f, 2 * PAGE, 11);
        }
        /* unmap the middle, the outer pages stay mapped */
        ok = ok && munmap(r + PAGE, PAGE) == 0 && check(r + 2 * PAGE, PAGE, (unsigned)(11 + PAGE * 31));
        ok = ok && munmap(r, 4 * PAGE) == 0;
    }
    report("mmap MAP_FIXED / partial munmap", ok);

    void *huge = mmap(NULL, 1UL << 50, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    report("mmap 1 PiB fails", huge == MAP_FAILED);
    if (huge != MAP_FAILED)
        munmap(huge, 1UL << 50);

    report("munmap unaligned -> EINVAL", munmap((char *)r + 1, PAGE) != 0 && errno == EINVAL);
}

static int ts_le(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

static void test_time(void)
{
    struct timespec a, b, rt;
    int ok = clock_gettime(CLOCK_MONOTONIC, &a) == 0;
    volatile unsigned long spin = 0;
    for (int i = 0; i < 10000; i++)
        spin += (unsigned long)i;
    ok = ok && clock_gettime(CLOCK_MONOTONIC, &b) == 0;
    report("clock_gettime MONOTONIC", ok && a.tv_nsec >= 0 && a.tv_nsec < 1000000000L);
    report("monotonic clock not going back", ok && ts_le(&a, &b));
    ok = clock_gettime(CLOCK_REALTIME, &rt) == 0;
    report("clock_gettime REALTIME", ok && rt.tv_nsec >= 0 && rt.tv_nsec < 1000000000L);
    struct timeval tv;
    ok = gettimeofday(&tv, NULL) == 0;
    report("gettimeofday", ok && tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    struct timespec res;
    report("clock_getres MONOTONIC", clock_getres(CLOCK_MONOTONIC, &res) == 0);
}

static void test_identity(void)
{
    unsigned char buf[32];
    ssize_t n = getrandom(buf, sizeof buf, 0);
    printf("%-32s %zd bytes\n", "getrandom", n);
    n = getrandom(buf, 7, GRND_NONBLOCK);
    printf("%-32s %zd bytes\n", "getrandom GRND_NONBLOCK", n);

    struct utsname u;
    if (uname(&u) == 0)
        printf("%-32s %s\n", "uname sysname", u.sysname);
    else
        report("uname", 0);

    pid_t pid = getpid();
    report("getpid", pid > 0);
    report("gettid == getpid", (pid_t)syscall(SYS_gettid) == pid);
    report("getppid", getppid() >= 0);
    /* uid/gid calls cannot fail; only check that the real and effective ids agree (no setuid here) */
    report("getuid/geteuid", getuid() == geteuid());
    report("getgid/getegid", getgid() == getegid());

    struct rlimit rl;
    report("getrlimit STACK", getrlimit(RLIMIT_STACK, &rl) == 0);

    cpu_set_t set;
    CPU_ZERO(&set);
    int r = sched_getaffinity(0, sizeof set, &set);
    report("sched_getaffinity", r == 0 && CPU_COUNT(&set) >= 1);
}

static void test_files(void)
{
    struct stat st;
    report("fstat(stdout)", fstat(1, &st) == 0);
    report("fstat(bad fd) -> EBADF", fstat(1000, &st) != 0 && errno == EBADF);

    /* a path that exists on no host: both sandbox and qemu must fail */
    int fd = openat(AT_FDCWD, "/riscv-sandbox-does-not-exist/file", O_RDONLY);
    printf("%-32s %s\n", "openat(missing file)", fd < 0 ? "open failed" : "opened");
    if (fd >= 0)
        close(fd);

    /* the sandbox must refuse host files; qemu-user opens them, so the result goes to stderr only */
    fd = openat(AT_FDCWD, "/etc/passwd", O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "syscalls: openat(/etc/passwd) failed: %s\n", strerror(errno));
    } else {
        fprintf(stderr, "syscalls: openat(/etc/passwd) returned fd %d\n", fd);
        close(fd);
    }
    printf("%-32s called\n", "openat(/etc/passwd)");

    char path[256];
    ssize_t n = readlinkat(AT_FDCWD, "/proc/self/exe", path, sizeof path - 1);
    if (n >= 0) {
        path[n] = 0;
        fprintf(stderr, "syscalls: readlinkat(/proc/self/exe) = \"%s\"\n", path);
    } else {
        fprintf(stderr, "syscalls: readlinkat(/proc/self/exe) failed: %s\n", strerror(errno));
    }
    report("readlinkat result in range", n < (ssize_t)sizeof path);

    /* stdout may be a pipe (ESPIPE) or a file (offset); only the fact that the call returns is compared */
    off_t off = lseek(1, 0, SEEK_CUR);
    fprintf(stderr, "syscalls: lseek(1) = %lld (%s)\n", (long long)off, off < 0 ? strerror(errno) : "ok");
    printf("%-32s called\n", "lseek(stdout)");
    report("lseek(bad fd) -> EBADF", lseek(1000, 0, SEEK_SET) < 0 && errno == EBADF);
    report("close(bad fd) -> EBADF", close(1000) != 0 && errno == EBADF);
    report("write(bad fd) -> EBADF", write(1000, "x", 1) < 0 && errno == EBADF);

    fflush(stdout);
    struct iovec iov[3] = {
        { "writev: ", 8 },
        { "three ", 6 },
        { "pieces\n", 7 },
    };
    ssize_t w = writev(1, iov, 3);
    report("writev returned 21", w == 21);
    w = write(1, "write(2) direct\n", 16);
    report("write returned 16", w == 16);
    w = syscall(SYS_write, 1, "raw syscall write\n", 18);
    report("syscall(SYS_write)", w == 18);
}

int main(void)
{
    printf("== malloc ==\n");
    test_malloc_small();
    test_malloc_big();
    test_brk();
    printf("== mmap ==\n");
    test_mmap();
    printf("== time ==\n");
    test_time();
    printf("== identity ==\n");
    test_identity();
    printf("== files ==\n");
    test_files();
    printf("failures: %d\n", failures);
    return failures == 0 ? 0 : 1;
}
