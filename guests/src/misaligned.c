/*
 * misaligned: misaligned loads and stores, many of them straddling a 4 KiB page boundary.
 *
 * Part 1 goes through a packed struct (no memcpy); guests/Makefile builds this file with
 * -mno-strict-align -mtune=thead-c906 so that GCC emits plain ld/sd/lw/sw/lh/sh at odd addresses instead of
 * byte loads. Part 2 uses inline assembly for every integer and FP load/store width, including the
 * compressed forms, so the instruction mix does not depend on compiler heuristics.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PAGE 4096

/* three pages, page aligned, in .bss: the boundaries at PAGE and 2*PAGE are both inside it */
static _Alignas(PAGE) unsigned char area[3 * PAGE];
static unsigned char *const boundary = area + PAGE;

struct __attribute__((packed)) rec {
    uint8_t tag;
    uint16_t h;
    uint32_t w;
    uint64_t d;
    float f;
    double x;
    int16_t sh;
    int32_t sw;
    int64_t sd;
};

static uint32_t fnv(const unsigned char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static void reset(void)
{
    for (size_t i = 0; i < sizeof area; i++)
        area[i] = (unsigned char)(i * 7 + 3);
}

__attribute__((noinline)) static void put_rec(struct rec *r, int k)
{
    r->tag = (uint8_t)k;
    r->h = (uint16_t)(0xa1b2 + k);
    r->w = 0xc3d4e5f6u ^ (uint32_t)k;
    r->d = 0x0123456789abcdefull * (uint64_t)(k + 1);
    r->f = 1.5f * (float)k;
    r->x = -0.25 * (double)k;
    r->sh = (int16_t)(-300 - k);
    r->sw = -100000 * k;
    r->sd = -(int64_t)0x7edcba9876543210ll + k;
}

__attribute__((noinline)) static void show_rec(const struct rec *r, int off)
{
    printf("rec@%+3d tag=%02x h=%04x w=%08x d=%016llx f=%a x=%a sh=%d sw=%d sd=%lld bytes=%08x\n", off,
           r->tag, r->h, r->w, (unsigned long long)r->d, (double)r->f, r->x, r->sh, r->sw, (long long)r->sd,
           fnv(boundary - 64, 128));
}

static void packed_structs(void)
{
    printf("== packed struct across a page boundary ==\n");
    reset();
    /* start positions from 41 bytes before the boundary (all of the record on the first page) to 1 byte after */
    for (int off = -(int)sizeof(struct rec) - 2; off <= 1; off++) {
        struct rec *r = (struct rec *)(boundary + off);
        put_rec(r, off + 64);
        show_rec(r, off);
    }
    /* read-modify-write of an unaligned 64-bit field in place */
    struct rec *r = (struct rec *)(boundary - 5);
    for (int i = 0; i < 1000; i++)
        r->d += r->w;
    printf("rmw d=%016llx\n", (unsigned long long)r->d);
}

/* ---------- instruction-level tests ---------- */

#define LOAD(insn, addr) ({ long v_; __asm__ volatile(insn " %0, 0(%1)" : "=r"(v_) : "r"(addr) : "memory"); v_; })
#define STORE(insn, addr, val) __asm__ volatile(insn " %0, 0(%1)" : : "r"((long)(val)), "r"(addr) : "memory")

static void loads_and_stores(void)
{
    printf("== integer loads across the boundary ==\n");
    reset();
    for (int k = 1; k <= 7; k++) {
        unsigned char *p = boundary - k;
        printf("-%d: lb %lx lbu %lx lh %lx lhu %lx lw %lx lwu %lx ld %lx\n", k,
               LOAD("lb", p), LOAD("lbu", p), LOAD("lh", p), LOAD("lhu", p), LOAD("lw", p), LOAD("lwu", p),
               LOAD("ld", p));
    }
    printf("== integer stores across the boundary ==\n");
    for (int k = 1; k <= 7; k++) {
        unsigned char *p = boundary - k;
        reset();
        STORE("sh", p, 0x1122);
        uint32_t a = fnv(boundary - 8, 16);
        reset();
        STORE("sw", p, 0x33445566);
        uint32_t b = fnv(boundary - 8, 16);
        reset();
        STORE("sd", p, 0x778899aabbccddeell);
        uint32_t c = fnv(boundary - 8, 16);
        printf("-%d: sh %08x sw %08x sd %08x ld-back %lx\n", k, a, b, c, LOAD("ld", p));
    }
    printf("== misaligned within one page ==\n");
    reset();
    for (int k = 1; k <= 7; k++) {
        unsigned char *p = area + 2 * PAGE + 100 + k;
        STORE("sd", p, 0x0102030405060708ll * k);
        STORE("sw", p + 9, 0x0a0b0c0d * k);
        STORE("sh", p + 14, 0x0e0f * k);
        printf("+%d: ld %lx lw %lx lh %lx\n", k, LOAD("ld", p), LOAD("lw", p + 9), LOAD("lh", p + 14));
    }

    printf("== FP loads/stores across the boundary ==\n");
    reset();
    for (int k = 1; k <= 7; k++) {
        unsigned char *p = boundary - k;
        double d;
        float f;
        long bits_d, bits_f;
        __asm__ volatile("fld %0, 0(%1)" : "=f"(d) : "r"(p) : "memory");
        __asm__ volatile("flw %0, 0(%1)" : "=f"(f) : "r"(p) : "memory");
        __asm__ volatile("fmv.x.d %0, %1" : "=r"(bits_d) : "f"(d));
        __asm__ volatile("fmv.x.w %0, %1" : "=r"(bits_f) : "f"(f));
        double one = 1.0 + k;
        float two = 2.0f + (float)k;
        __asm__ volatile("fsd %0, 0(%1)" : : "f"(one), "r"(p + 16) : "memory");
        __asm__ volatile("fsw %0, 0(%1)" : : "f"(two), "r"(p - 16) : "memory");
        printf("-%d: fld %lx flw %lx fsd/fsw %08x\n", k, bits_d, bits_f & 0xffffffffL, fnv(boundary - 32, 64));
        reset();
    }

    printf("== compressed loads/stores across the boundary ==\n");
    for (int k = 1; k <= 7; k++) {
        reset();
        register unsigned char *base __asm__("a1") = boundary - k;
        register long v1 __asm__("a2");
        register long v2 __asm__("a3");
        register double fv __asm__("fa4");
        __asm__ volatile("c.lw %0, 0(%1)" : "=r"(v1) : "r"(base) : "memory");
        __asm__ volatile("c.ld %0, 0(%1)" : "=r"(v2) : "r"(base) : "memory");
        __asm__ volatile("c.fld %0, 0(%1)" : "=f"(fv) : "r"(base) : "memory");
        long fbits;
        __asm__ volatile("fmv.x.d %0, %1" : "=r"(fbits) : "f"(fv));
        register long s1 __asm__("a4") = 0x1234567890abcdefll;
        __asm__ volatile("c.sd %0, 0(%1)" : : "r"(s1), "r"(base) : "memory");
        uint32_t h1 = fnv(boundary - 8, 16);
        __asm__ volatile("c.sw %0, 0(%1)" : : "r"(v1), "r"(base) : "memory");
        uint32_t h2 = fnv(boundary - 8, 16);
        __asm__ volatile("c.fsd %0, 0(%1)" : : "f"(fv), "r"(base) : "memory");
        uint32_t h3 = fnv(boundary - 8, 16);
        printf("-%d: c.lw %lx c.ld %lx c.fld %lx c.sd %08x c.sw %08x c.fsd %08x\n", k, v1, v2, fbits, h1, h2, h3);
    }
}

int main(void)
{
    packed_structs();
    loads_and_stores();
    return 0;
}
