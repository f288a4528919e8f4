/*
 * fpu: a deterministic floating-point workout for F and D.
 *
 * Every result is printed as a hex float (%a), NaNs as their raw bits, followed by the accrued exception flags
 * (NV DZ OF UF NX) the operation raised. Covers: the four fenv rounding modes plus RMM (static rounding mode in
 * the instruction), sqrt, fused multiply-add, min/max and comparisons with NaNs and signed zeros, fclass,
 * float<->int conversions including saturation, float<->double conversions, NaN boxing, rounding functions and
 * a few libm functions. Built with -frounding-math -fsignaling-nans -ffp-contract=off so that GCC keeps the
 * operations where the source puts them.
 */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- formatting ---------- */

static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static double dfrom(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static float ffrom(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

static const char *fmt_d(char *buf, double d)
{
    if (isnan(d))
        sprintf(buf, "nan(0x%016llx)", (unsigned long long)dbits(d));
    else
        sprintf(buf, "%a", d);
    return buf;
}

static const char *fmt_f(char *buf, float f)
{
    if (isnan(f))
        sprintf(buf, "nanf(0x%08lx)", (unsigned long)fbits(f));
    else
        sprintf(buf, "%a", (double)f);
    return buf;
}

/* fflags as a string: fetestexcept for the standard ones */
static const char *fmt_flags(char *buf, int fl)
{
    buf[0] = 0;
    if (fl & FE_INVALID) strcat(buf, " NV");
    if (fl & FE_DIVBYZERO) strcat(buf, " DZ");
    if (fl & FE_OVERFLOW) strcat(buf, " OF");
    if (fl & FE_UNDERFLOW) strcat(buf, " UF");
    if (fl & FE_INEXACT) strcat(buf, " NX");
    if (buf[0] == 0) strcpy(buf, " -");
    return buf + 1;
}

static void show_d(const char *label, double d, int fl)
{
    char a[64], b[32];
    printf("%-34s %-26s %s\n", label, fmt_d(a, d), fmt_flags(b, fl));
}

static void show_f(const char *label, float f, int fl)
{
    char a[64], b[32];
    printf("%-34s %-26s %s\n", label, fmt_f(a, f), fmt_flags(b, fl));
}

#define CLEAR() feclearexcept(FE_ALL_EXCEPT)
#define FLAGS() fetestexcept(FE_ALL_EXCEPT)

static const int modes[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD };
static const char *const mode_names[4] = { "RNE", "RTZ", "RDN", "RUP" };

/* volatile operands keep GCC from folding anything at compile time */
static volatile double vd0 = 0.0, vd1 = 1.0, vd2 = 2.0, vd3 = 3.0, vd10 = 10.0, vtenth = 0.1;
static volatile float vf1 = 1.0f, vf3 = 3.0f, vf2 = 2.0f;

/* ---------- 1. arithmetic under every rounding mode ---------- */

static void rounding_modes(void)
{
    printf("== arithmetic per rounding mode ==\n");
    for (int m = 0; m < 4; m++) {
        char label[64];
        volatile double r;
        volatile float rf;
        int fl;
        const char *mn = mode_names[m];

#define OPD(text, expr) do { fesetround(modes[m]); CLEAR(); r = (expr); fl = FLAGS(); fesetround(FE_TONEAREST); \
            snprintf(label, sizeof label, "%s %s", mn, text); show_d(label, r, fl); } while (0)
#define OPF(text, expr) do { fesetround(modes[m]); CLEAR(); rf = (expr); fl = FLAGS(); fesetround(FE_TONEAREST); \
            snprintf(label, sizeof label, "%s %s", mn, text); show_f(label, rf, fl); } while (0)

        OPD("1/3", vd1 / vd3);
        OPD("-1/3", -vd1 / vd3);
        OPD("2/3", vd2 / vd3);
        OPD("0.1+0.2", vtenth + 0.2);
        OPD("0.1*3", vtenth * vd3);
        OPD("1e16+1", 1e16 + vd1);
        OPD("-1e16-1", -1e16 - vd1);
        OPD("1-2^-60", vd1 - 0x1p-60);
        OPD("x-x (signed zero)", vd1 - vd1);
        OPD("sqrt(2)", sqrt(vd2));
        OPD("sqrt(3)", sqrt(vd3));
        OPD("fma(0.1,10,-1)", fma(vtenth, vd10, -vd1));
        OPD("DBL_MAX*2", DBL_MAX * vd2);
        OPD("-DBL_MAX*2", -DBL_MAX * vd2);
        OPD("DBL_TRUE_MIN/2", DBL_TRUE_MIN / vd2);
        OPD("-DBL_TRUE_MIN/2", -DBL_TRUE_MIN / vd2);
        OPD("DBL_MIN/3", DBL_MIN / vd3);
        OPF("1f/3f", vf1 / vf3);
        OPF("-1f/3f", -vf1 / vf3);
        OPF("16777216f+1f", 16777216.0f + vf1);
        OPF("sqrtf(2)", sqrtf(vf2));
        OPF("fmaf(0.1f,10f,-1f)", fmaf(0.1f, (float)vd10, -vf1));
        OPF("FLT_MAX*2f", FLT_MAX * vf2);
        OPF("FLT_TRUE_MIN/2f", FLT_TRUE_MIN / vf2);
        OPF("(float)(1/3.0)", (float)(vd1 / vd3));
        OPF("(float)1e300", (float)(vd1 * 1e300));
        OPF("(float)1e-300", (float)(vd1 * 1e-300));
        OPD("(double)(2^53+1) from int64", (double)(int64_t)(9007199254740993LL + (int64_t)vd0));
        OPF("(float)16777217 from int32", (float)(int32_t)(16777217 + (int32_t)vd0));
        OPF("(float)UINT64_MAX", (float)(uint64_t)(UINT64_MAX - (uint64_t)vd0));
#undef OPD
#undef OPF
    }
}

/* ---------- 2. static rounding mode RMM (no fenv name for it) ---------- */

static void rmm(void)
{
    printf("== static rounding mode rmm ==\n");
    double r;
    float rf;
    int fl;
    double half = 0x1.0000000000001p0;      /* 1 + ulp */
    double tie = 0x1p-53;                    /* half an ulp of 1.0 */
    CLEAR();
    __asm__ volatile("fadd.d %0, %1, %2, rmm" : "=f"(r) : "f"(1.0), "f"(tie));
    fl = FLAGS();
    show_d("rmm 1+2^-53 (tie away)", r, fl);
    CLEAR();
    __asm__ volatile("fadd.d %0, %1, %2, rne" : "=f"(r) : "f"(1.0), "f"(tie));
    fl = FLAGS();
    show_d("rne 1+2^-53 (tie even)", r, fl);
    CLEAR();
    __asm__ volatile("fadd.d %0, %1, %2, rmm" : "=f"(r) : "f"(half), "f"(tie));
    fl = FLAGS();
    show_d("rmm (1+ulp)+2^-53", r, fl);
    CLEAR();
    __asm__ volatile("fsub.d %0, %1, %2, rmm" : "=f"(r) : "f"(-1.0), "f"(tie));
    fl = FLAGS();
    show_d("rmm -1-2^-53", r, fl);
    CLEAR();
    __asm__ volatile("fmul.s %0, %1, %2, rmm" : "=f"(rf) : "f"(0x1.000002p0f), "f"(0x1.8p0f));
    fl = FLAGS();
    show_f("rmm fmul.s", rf, fl);
    CLEAR();
    __asm__ volatile("fdiv.d %0, %1, %2, rmm" : "=f"(r) : "f"(1.0), "f"(3.0));
    fl = FLAGS();
    show_d("rmm 1/3", r, fl);
    CLEAR();
    __asm__ volatile("fsqrt.d %0, %1, rup" : "=f"(r) : "f"(2.0));
    fl = FLAGS();
    show_d("rup fsqrt.d 2 (static)", r, fl);
    /* static rm overrides frm: set frm=RDN, use rup */
    fesetround(FE_DOWNWARD);
    CLEAR();
    __asm__ volatile("fdiv.d %0, %1, %2, rup" : "=f"(r) : "f"(1.0), "f"(3.0));
    fl = FLAGS();
    fesetround(FE_TONEAREST);
    show_d("frm=RDN, fdiv.d rup 1/3", r, fl);
}

/* ---------- 3. special values ---------- */

static void specials(void)
{
    printf("== special values ==\n");
    volatile double r;
    volatile float rf;
    int fl;
    double inf = INFINITY;
    double qnan = dfrom(0x7ff8000000000000ull);
    double snan = dfrom(0x7ff4000000000000ull);
    double payload = dfrom(0xfff800000000beefull);
    float snanf = ffrom(0x7fa00000u);
#define SD(text, expr) do { CLEAR(); r = (expr); fl = FLAGS(); show_d(text, r, fl); } while (0)
#define SF(text, expr) do { CLEAR(); rf = (expr); fl = FLAGS(); show_f(text, rf, fl); } while (0)
    SD("1/0", vd1 / vd0);
    SD("-1/0", -vd1 / vd0);
    SD("0/0", vd0 / vd0);
    SD("inf-inf", inf - inf * vd1);
    SD("0*inf", vd0 * inf);
    SD("inf/inf", inf / (inf * vd1));
    SD("sqrt(-1)", sqrt(-vd1));
    SD("sqrt(-0)", sqrt(-vd0));
    SD("sqrt(inf)", sqrt(inf * vd1));
    SD("qnan+1", qnan + vd1);
    SD("snan+1", snan + vd1);
    SD("payload nan*1 (canonical)", payload * vd1);
    SD("-(payload nan) (sign only)", -payload);
    SD("fabs(-payload nan)", fabs(payload));
    SD("copysign(1, -nan)", copysign(vd1, payload));
    SF("snanf+1f", snanf + vf1);
    SF("1f/0f", vf1 / (float)vd0);
    SF("0f/0f", (float)vd0 / (float)vd0);
    SD("exact subnormal 2^-1070*8", 0x1p-1070 * (vd2 * 4.0));
    /* tininess is detected after rounding on RISC-V: this rounds to DBL_MIN with NX but no UF */
    SD("fma(-2^-1074,2^-2,DBL_MIN)", fma(-DBL_TRUE_MIN, 0x1p-2 * vd1, DBL_MIN));
    SD("fma(-2^-1074,2^-1,DBL_MIN)", fma(-DBL_TRUE_MIN, 0x1p-1 * vd1, DBL_MIN));
    SF("fmaf(-2^-149,2^-2,FLT_MIN)", fmaf(-FLT_TRUE_MIN, 0x1p-2f * vf1, FLT_MIN));
    SD("DBL_MIN*(1-2^-53)", DBL_MIN * (0x1.fffffffffffffp-1 * vd1));
#undef SD
#undef SF
}

/* ---------- 4. fused multiply-add ---------- */

static void fused(void)
{
    printf("== fused multiply-add ==\n");
    volatile double r;
    int fl;
    double a = 0x1.0000000000001p0 * vd1, b = 0x1.fffffffffffffp-1 * vd1;
    double inf = INFINITY * vd1, qnan = dfrom(0x7ff8000000000000ull);
    CLEAR(); r = fma(a, b, -vd1); fl = FLAGS(); show_d("fma(1+u,1-u/2,-1)", r, fl);
    CLEAR(); r = a * b - vd1; fl = FLAGS(); show_d("(1+u)*(1-u/2)-1 unfused", r, fl);
    CLEAR(); r = fma(-a, b, vd1); fl = FLAGS(); show_d("fnmsub form -(a*b)+1", r, fl);
    CLEAR(); r = -fma(a, b, vd1); fl = FLAGS(); show_d("fnmadd form -(a*b+1)", r, fl);
    CLEAR(); r = fma(a, b, -0.0 * vd1); fl = FLAGS(); show_d("fma(a,b,-0)", r, fl);
    CLEAR(); r = fma(vd0, -vd1, vd0); fl = FLAGS(); show_d("fma(0,-1,0) (+0)", r, fl);
    CLEAR(); r = fma(vd0, -vd1, -vd0); fl = FLAGS(); show_d("fma(0,-1,-0) (-0)", r, fl);
    CLEAR(); r = fma(inf, vd0, qnan); fl = FLAGS(); show_d("fma(inf,0,qnan) -> NV", r, fl);
    CLEAR(); r = fma(inf, vd1, -inf); fl = FLAGS(); show_d("fma(inf,1,-inf)", r, fl);
    CLEAR(); r = fma(DBL_MAX, vd2, -DBL_MAX); fl = FLAGS(); show_d("fma(MAX,2,-MAX) no overflow", r, fl);
    volatile float rf;
    CLEAR(); rf = fmaf(0x1.000002p0f * vf1, 0x1.fffffep-1f * vf1, -vf1); fl = FLAGS(); show_f("fmaf(1+u,1-u/2,-1)", rf, fl);
    double x;
    CLEAR();
    __asm__ volatile("fmsub.d %0, %1, %2, %3" : "=f"(x) : "f"(3.0), "f"(vtenth), "f"(0.3));
    fl = FLAGS();
    show_d("fmsub.d 3*0.1-0.3", x, fl);
    CLEAR();
    __asm__ volatile("fnmadd.d %0, %1, %2, %3" : "=f"(x) : "f"(3.0), "f"(vtenth), "f"(0.3));
    fl = FLAGS();
    show_d("fnmadd.d -(3*0.1)-0.3", x, fl);
    CLEAR();
    __asm__ volatile("fnmsub.d %0, %1, %2, %3" : "=f"(x) : "f"(3.0), "f"(vtenth), "f"(0.3));
    fl = FLAGS();
    show_d("fnmsub.d -(3*0.1)+0.3", x, fl);
}

/* ---------- 5. min/max, compare, classify (instruction level) ---------- */

static double dmin(double a, double b) { double r; __asm__ volatile("fmin.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b)); return r; }
static double dmax(double a, double b) { double r; __asm__ volatile("fmax.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b)); return r; }
static float fmin_s(float a, float b) { float r; __asm__ volatile("fmin.s %0, %1, %2" : "=f"(r) : "f"(a), "f"(b)); return r; }
static long feq(double a, double b) { long r; __asm__ volatile("feq.d %0, %1, %2" : "=r"(r) : "f"(a), "f"(b)); return r; }
static long flt(double a, double b) { long r; __asm__ volatile("flt.d %0, %1, %2" : "=r"(r) : "f"(a), "f"(b)); return r; }
static long fle(double a, double b) { long r; __asm__ volatile("fle.d %0, %1, %2" : "=r"(r) : "f"(a), "f"(b)); return r; }
static long fclass_d(double a) { long r; __asm__ volatile("fclass.d %0, %1" : "=r"(r) : "f"(a)); return r; }
static long fclass_s(float a) { long r; __asm__ volatile("fclass.s %0, %1" : "=r"(r) : "f"(a)); return r; }

static void minmax_compare(void)
{
    printf("== min/max/compare/classify ==\n");
    int fl;
    double qnan = dfrom(0x7ff8000000000000ull), snan = dfrom(0x7ff4000000000000ull);
    double pz = 0.0, nz = -0.0;
    CLEAR(); double r = dmin(nz, pz); fl = FLAGS(); show_d("fmin.d(-0,+0)", r, fl);
    CLEAR(); r = dmin(pz, nz); fl = FLAGS(); show_d("fmin.d(+0,-0)", r, fl);
    CLEAR(); r = dmax(nz, pz); fl = FLAGS(); show_d("fmax.d(-0,+0)", r, fl);
    CLEAR(); r = dmin(qnan, 1.5); fl = FLAGS(); show_d("fmin.d(qnan,1.5)", r, fl);
    CLEAR(); r = dmax(2.5, qnan); fl = FLAGS(); show_d("fmax.d(2.5,qnan)", r, fl);
    CLEAR(); r = dmin(snan, 1.5); fl = FLAGS(); show_d("fmin.d(snan,1.5)", r, fl);
    CLEAR(); r = dmin(qnan, snan); fl = FLAGS(); show_d("fmin.d(qnan,snan)", r, fl);
    CLEAR(); r = dmax(qnan, qnan); fl = FLAGS(); show_d("fmax.d(qnan,qnan)", r, fl);
    CLEAR(); float rf = fmin_s(ffrom(0x7fc00000u), -2.0f); fl = FLAGS(); show_f("fmin.s(qnan,-2)", rf, fl);
    CLEAR(); rf = fmin_s(-0.0f, 0.0f); fl = FLAGS(); show_f("fmin.s(-0,+0)", rf, fl);

    struct { const char *name; double a, b; } cmp[] = {
        { "1,2", 1.0, 2.0 }, { "2,1", 2.0, 1.0 }, { "1,1", 1.0, 1.0 }, { "-0,+0", nz, pz },
        { "qnan,1", qnan, 1.0 }, { "snan,1", snan, 1.0 }, { "qnan,qnan", qnan, qnan },
    };
    for (unsigned i = 0; i < sizeof cmp / sizeof cmp[0]; i++) {
        char label[64], b1[32], b2[32], b3[32];
        CLEAR(); long e = feq(cmp[i].a, cmp[i].b); int f1 = FLAGS();
        CLEAR(); long l = flt(cmp[i].a, cmp[i].b); int f2 = FLAGS();
        CLEAR(); long le = fle(cmp[i].a, cmp[i].b); int f3 = FLAGS();
        snprintf(label, sizeof label, "feq/flt/fle(%s)", cmp[i].name);
        printf("%-34s %ld %ld %ld  [%s] [%s] [%s]\n", label, e, l, le,
               fmt_flags(b1, f1), fmt_flags(b2, f2), fmt_flags(b3, f3));
    }

    double cls[] = { -INFINITY, -1.5, -DBL_TRUE_MIN, nz, pz, DBL_TRUE_MIN, 1.5, INFINITY, snan, qnan };
    printf("%-34s", "fclass.d -inf..qnan");
    for (unsigned i = 0; i < sizeof cls / sizeof cls[0]; i++)
        printf(" %#lx", fclass_d(cls[i]));
    printf("\n");
    float clsf[] = { -INFINITY, -1.5f, -FLT_TRUE_MIN, -0.0f, 0.0f, FLT_TRUE_MIN, 1.5f, INFINITY,
                     ffrom(0x7fa00000u), ffrom(0x7fc00000u) };
    printf("%-34s", "fclass.s -inf..qnan");
    for (unsigned i = 0; i < sizeof clsf / sizeof clsf[0]; i++)
        printf(" %#lx", fclass_s(clsf[i]));
    printf("\n");
}

/* ---------- 6. conversions ---------- */

#define CVT_I(insn, rm, out, in) __asm__ volatile(insn " %0, %1, " rm : "=r"(out) : "f"(in))

static void conversions(void)
{
    printf("== conversions ==\n");
    static const double vals[] = {
        3.5, -3.5, 2.5, -2.5, 0.5, -0.5, -0.0, 2147483647.5, -2147483648.5, 2147483648.0, -2147483649.0,
        1e10, -1e10, 4294967295.5, 9.3e18, -9.3e18, 1e19, -1e19, 0x1p63, 0x1p64, INFINITY, -INFINITY, NAN,
    };
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        double v = vals[i];
        long w[5], wu[5], l[5], lu[5];
        int fw[5], fwu[5], fl_[5], flu[5];
#define ALLRM(insn, dst, flg)                                                       \
        CLEAR(); CVT_I(insn, "rne", dst[0], v); flg[0] = FLAGS();              \
        CLEAR(); CVT_I(insn, "rtz", dst[1], v); flg[1] = FLAGS();              \
        CLEAR(); CVT_I(insn, "rdn", dst[2], v); flg[2] = FLAGS();              \
        CLEAR(); CVT_I(insn, "rup", dst[3], v); flg[3] = FLAGS();              \
        CLEAR(); CVT_I(insn, "rmm", dst[4], v); flg[4] = FLAGS();
        ALLRM("fcvt.w.d", w, fw)
        ALLRM("fcvt.wu.d", wu, fwu)
        ALLRM("fcvt.l.d", l, fl_)
        ALLRM("fcvt.lu.d", lu, flu)
#undef ALLRM
        char vb[64];
        printf("cvt %s:\n", fmt_d(vb, v));
        const char *rm[5] = { "rne", "rtz", "rdn", "rup", "rmm" };
        for (int k = 0; k < 5; k++) {
            char b1[32], b2[32], b3[32], b4[32];
            printf("  %s w=%ld[%s] wu=%#lx[%s] l=%ld[%s] lu=%#lx[%s]\n", rm[k],
                   w[k], fmt_flags(b1, fw[k]), wu[k], fmt_flags(b2, fwu[k]),
                   l[k], fmt_flags(b3, fl_[k]), lu[k], fmt_flags(b4, flu[k]));
        }
    }

    static const float fvals[] = { 2.5f, -2.5f, 3e9f, -3e9f, 1e19f, -1e19f, 0x1p63f, INFINITY, NAN, -0.75f };
    for (unsigned i = 0; i < sizeof fvals / sizeof fvals[0]; i++) {
        float v = fvals[i];
        long a, b, c, d;
        int fa, fb, fc, fd;
        CLEAR(); CVT_I("fcvt.w.s", "rne", a, v); fa = FLAGS();
        CLEAR(); CVT_I("fcvt.wu.s", "rtz", b, v); fb = FLAGS();
        CLEAR(); CVT_I("fcvt.l.s", "rdn", c, v); fc = FLAGS();
        CLEAR(); CVT_I("fcvt.lu.s", "rup", d, v); fd = FLAGS();
        char vb[64], b1[32], b2[32], b3[32], b4[32];
        printf("cvt %s: w.rne=%ld[%s] wu.rtz=%#lx[%s] l.rdn=%ld[%s] lu.rup=%#lx[%s]\n", fmt_f(vb, v),
               a, fmt_flags(b1, fa), b, fmt_flags(b2, fb), c, fmt_flags(b3, fc), d, fmt_flags(b4, fd));
    }

    /* integer -> floating point */
    int fl;
    double r;
    float rf;
    long big = (long)0x20000000000001ll; /* 2^53 + 1 */
    CLEAR(); __asm__ volatile("fcvt.d.l %0, %1, rne" : "=f"(r) : "r"(big)); fl = FLAGS(); show_d("fcvt.d.l 2^53+1 rne", r, fl);
    CLEAR(); __asm__ volatile("fcvt.d.l %0, %1, rup" : "=f"(r) : "r"(big)); fl = FLAGS(); show_d("fcvt.d.l 2^53+1 rup", r, fl);
    CLEAR(); __asm__ volatile("fcvt.d.lu %0, %1, rne" : "=f"(r) : "r"(-1L)); fl = FLAGS(); show_d("fcvt.d.lu UINT64_MAX", r, fl);
    CLEAR(); __asm__ volatile("fcvt.d.lu %0, %1, rtz" : "=f"(r) : "r"(-1L)); fl = FLAGS(); show_d("fcvt.d.lu UINT64_MAX rtz", r, fl);
    CLEAR(); __asm__ volatile("fcvt.d.w %0, %1" : "=f"(r) : "r"(-1L)); fl = FLAGS(); show_d("fcvt.d.w -1", r, fl);
    CLEAR(); __asm__ volatile("fcvt.d.wu %0, %1" : "=f"(r) : "r"(-1L)); fl = FLAGS(); show_d("fcvt.d.wu 0xffffffff", r, fl);
    CLEAR(); __asm__ volatile("fcvt.d.w %0, %1" : "=f"(r) : "r"(0x123456780000000fL)); fl = FLAGS(); show_d("fcvt.d.w (uses low 32 bits)", r, fl);
    CLEAR(); __asm__ volatile("fcvt.s.w %0, %1, rne" : "=f"(rf) : "r"(16777217L)); fl = FLAGS(); show_f("fcvt.s.w 16777217 rne", rf, fl);
    CLEAR(); __asm__ volatile("fcvt.s.w %0, %1, rup" : "=f"(rf) : "r"(16777217L)); fl = FLAGS(); show_f("fcvt.s.w 16777217 rup", rf, fl);
    CLEAR(); __asm__ volatile("fcvt.s.wu %0, %1, rdn" : "=f"(rf) : "r"(-1L)); fl = FLAGS(); show_f("fcvt.s.wu 0xffffffff rdn", rf, fl);
    CLEAR(); __asm__ volatile("fcvt.s.l %0, %1, rne" : "=f"(rf) : "r"((long)INT64_MIN)); fl = FLAGS(); show_f("fcvt.s.l INT64_MIN", rf, fl);
    CLEAR(); __asm__ volatile("fcvt.s.lu %0, %1, rne" : "=f"(rf) : "r"(-1L)); fl = FLAGS(); show_f("fcvt.s.lu UINT64_MAX", rf, fl);

    /* float <-> double */
    double dsn = dfrom(0x7ff4000000000000ull), dpl = dfrom(0x7ff80000deadbeefull);
    float fsn = ffrom(0x7fa00001u);
    CLEAR(); __asm__ volatile("fcvt.s.d %0, %1" : "=f"(rf) : "f"(0.1)); fl = FLAGS(); show_f("fcvt.s.d 0.1", rf, fl);
    CLEAR(); __asm__ volatile("fcvt.s.d %0, %1, rtz" : "=f"(rf) : "f"(0.1)); fl = FLAGS(); show_f("fcvt.s.d 0.1 rtz", rf, fl);
    CLEAR(); __asm__ volatile("fcvt.s.d %0, %1, rtz" : "=f"(rf) : "f"(1e300)); fl = FLAGS(); show_f("fcvt.s.d 1e300 rtz", rf, fl);
    CLEAR(); __asm__ volatile("fcvt.s.d %0, %1" : "=f"(rf) : "f"(1e-300)); fl = FLAGS(); show_f("fcvt.s.d 1e-300", rf, fl);
    CLEAR(); __asm__ volatile("fcvt.s.d %0, %1" : "=f"(rf) : "f"(0x1p-140)); fl = FLAGS(); show_f("fcvt.s.d 2^-140 (subnormal)", rf, fl);
    CLEAR(); __asm__ volatile("fcvt.s.d %0, %1" : "=f"(rf) : "f"(dsn)); fl = FLAGS(); show_f("fcvt.s.d snan", rf, fl);
    CLEAR(); __asm__ volatile("fcvt.s.d %0, %1" : "=f"(rf) : "f"(dpl)); fl = FLAGS(); show_f("fcvt.s.d nan payload", rf, fl);
    CLEAR(); __asm__ volatile("fcvt.d.s %0, %1" : "=f"(r) : "f"(fsn)); fl = FLAGS(); show_d("fcvt.d.s snan", r, fl);
    CLEAR(); __asm__ volatile("fcvt.d.s %0, %1" : "=f"(r) : "f"(FLT_TRUE_MIN)); fl = FLAGS(); show_d("fcvt.d.s FLT_TRUE_MIN", r, fl);
}

/* ---------- 7. NaN boxing and moves ---------- */

static void boxing(void)
{
    printf("== NaN boxing / moves ==\n");
    float r;
    long x;
    int fl;
    /* a float register written with fmv.d.x whose upper 32 bits are not all ones holds the canonical NaN */
    CLEAR();
    __asm__ volatile("fmv.d.x ft0, %1\n\tfadd.s %0, ft0, ft0" : "=f"(r) : "r"(0x000000003f800000L) : "ft0");
    fl = FLAGS();
    show_f("fadd.s of unboxed 1.0f", r, fl);
    CLEAR();
    __asm__ volatile("fmv.d.x ft0, %1\n\tfadd.s %0, ft0, ft0" : "=f"(r) : "r"((long)0xffffffff3f800000ull) : "ft0");
    fl = FLAGS();
    show_f("fadd.s of boxed 1.0f", r, fl);
    __asm__ volatile("fmv.w.x ft0, %1\n\tfmv.x.d %0, ft0" : "=r"(x) : "r"(0x40490fdbL) : "ft0");
    printf("%-34s %#lx\n", "fmv.w.x then fmv.x.d (boxed)", x);
    __asm__ volatile("fmv.w.x ft0, %1\n\tfmv.x.w %0, ft0" : "=r"(x) : "r"(0x80000001L) : "ft0");
    printf("%-34s %#lx\n", "fmv.x.w sign-extends", x);
    __asm__ volatile("flw ft0, 0(%1)\n\tfsgnjn.s ft0, ft0, ft0\n\tfmv.x.d %0, ft0" : "=r"(x) : "r"(&(float){2.0f}) : "ft0");
    printf("%-34s %#lx\n", "fsgnjn.s result is boxed", x);
    __asm__ volatile("fmv.d.x ft0, %1\n\tfsgnj.s ft1, ft0, ft0\n\tfmv.x.d %0, ft1" : "=r"(x) : "r"(0x123456783f800000L) : "ft0", "ft1");
    printf("%-34s %#lx\n", "fsgnj.s of unboxed input", x);
    double nanv = dfrom(0x7ff00000000000aaull); /* signalling NaN with payload */
    double s;
    CLEAR();
    __asm__ volatile("fsgnjx.d %0, %1, %2" : "=f"(s) : "f"(nanv), "f"(-1.0));
    fl = FLAGS();
    show_d("fsgnjx.d snan keeps payload", s, fl);
}

/* ---------- 8. rounding functions and libm ---------- */

static void libm(void)
{
    printf("== rounding functions ==\n");
    static const double vals[] = { 2.5, -2.5, 0.5, 1.5, -0.0, 0x1.fffffffffffffp51, 1e300, -7.25 };
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        volatile double v = vals[i];
        char a[64], b[64], c[64], d[64], e[64], f[64], g[64];
        printf("%s: rint %s nearbyint %s floor %s ceil %s trunc %s round %s\n", fmt_d(a, v),
               fmt_d(b, rint(v)), fmt_d(c, nearbyint(v)), fmt_d(d, floor(v)), fmt_d(e, ceil(v)),
               fmt_d(f, trunc(v)), fmt_d(g, round(v)));
        if (fabs(v) < 1e18)
            printf("   lrint %ld llround %lld lround %ld\n", lrint(v), llround(v), lround(v));
    }
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        volatile double v = 2.5;
        long li = lrint(v), li2 = lrint(-v);
        float rf = rintf(-1.5f * vf1);
        fesetround(FE_TONEAREST);
        char a[64];
        printf("%s lrint(2.5)=%ld lrint(-2.5)=%ld rintf(-1.5)=%s\n", mode_names[m], li, li2, fmt_f(a, rf));
    }
    printf("== libm ==\n");
    char a[64];
    volatile double one = 1.0;
    printf("exp(1)      %s\n", fmt_d(a, exp(one)));
    printf("log(10)     %s\n", fmt_d(a, log(10 * one)));
    printf("log2(3)     %s\n", fmt_d(a, log2(3 * one)));
    printf("sin(1)      %s\n", fmt_d(a, sin(one)));
    printf("cos(1e22)   %s\n", fmt_d(a, cos(1e22 * one)));
    printf("tan(0.5)    %s\n", fmt_d(a, tan(0.5 * one)));
    printf("atan2(1,-1) %s\n", fmt_d(a, atan2(one, -one)));
    printf("pow(2,0.5)  %s\n", fmt_d(a, pow(2 * one, 0.5)));
    printf("pow(-8,1/3) %s\n", fmt_d(a, pow(-8 * one, 1.0 / 3)));
    printf("cbrt(27)    %s\n", fmt_d(a, cbrt(27 * one)));
    printf("hypot(3,4)  %s\n", fmt_d(a, hypot(3 * one, 4 * one)));
    printf("expm1(1e-10) %s\n", fmt_d(a, expm1(1e-10 * one)));
    printf("log1p(1e-10) %s\n", fmt_d(a, log1p(1e-10 * one)));
    printf("fmod(10,3.3) %s\n", fmt_d(a, fmod(10 * one, 3.3)));
    printf("remainder(10,3) %s\n", fmt_d(a, remainder(10 * one, 3)));
    printf("sinf(1)     %s\n", fmt_f(a, sinf((float)one)));
    printf("expf(10)    %s\n", fmt_f(a, expf(10.0f * (float)one)));
    printf("logf(2)     %s\n", fmt_f(a, logf(2.0f * (float)one)));
    printf("powf(1.5,7.5) %s\n", fmt_f(a, powf(1.5f * (float)one, 7.5f)));
    int ex;
    double fr = frexp(1e-310 * one, &ex);
    printf("frexp(1e-310) %s, %d\n", fmt_d(a, fr), ex);
    printf("ldexp(1,-1074) %s\n", fmt_d(a, ldexp(one, -1074)));
    printf("nextafter(1,2) %s\n", fmt_d(a, nextafter(one, 2)));
    printf("%%.17g 0.1: %.17g, 1/3: %.17g, 1e-320: %.17g\n", 0.1 * one, one / 3, 1e-320 * one);
    printf("%%.3f of 2.0005: %.3f, %%e of 12345.678: %e, %%g of 1e-5: %g\n", 2.0005 * one, 12345.678 * one, 1e-5 * one);
    char b[64], c[64];
    printf("strtod(\"0x1.8p1\") %s strtod(\"4.9e-324\") %s strtof(\"3.4028235e38\") %s\n",
           fmt_d(a, strtod("0x1.8p1", NULL)), fmt_d(b, strtod("4.9e-324", NULL)), fmt_f(c, strtof("3.4028235e38", NULL)));
}

/* ---------- 9. the fenv API itself ---------- */

static long read_fcsr(void) { long r; __asm__ volatile("frcsr %0" : "=r"(r)); return r; }

static void fenv_api(void)
{
    printf("== fenv ==\n");
    for (int m = 0; m < 4; m++) {
        int rc = fesetround(modes[m]);
        int back = fegetround();
        printf("fesetround(%s) = %d, fegetround matches: %s, frm = %ld\n", mode_names[m], rc,
               back == modes[m] ? "yes" : "no", (read_fcsr() >> 5) & 7);
    }
    fesetround(FE_TONEAREST);
    printf("fesetround(12345) rejected: %s\n", fesetround(12345) != 0 ? "yes" : "no");
    CLEAR();
    feraiseexcept(FE_OVERFLOW | FE_INEXACT);
    char b[32];
    printf("feraiseexcept(OF|NX): %s, fcsr = %#lx\n", fmt_flags(b, FLAGS()), read_fcsr());

    fenv_t env;
    fesetround(FE_UPWARD);
    feraiseexcept(FE_DIVBYZERO);
    fegetenv(&env);
    fesetround(FE_TONEAREST);
    CLEAR();
    fesetenv(&env);
    int rm = fegetround();
    int fl = FLAGS();
    fesetround(FE_TONEAREST);
    printf("fegetenv/fesetenv: round restored %s, flags %s\n", rm == FE_UPWARD ? "yes" : "no", fmt_flags(b, fl));

    CLEAR();
    feraiseexcept(FE_UNDERFLOW);
    fenv_t held;
    feholdexcept(&held);
    int inside = FLAGS();
    feraiseexcept(FE_INVALID);
    feupdateenv(&held);
    char b2[32];
    printf("feholdexcept cleared: %s, feupdateenv merged: %s\n", fmt_flags(b2, inside), fmt_flags(b, FLAGS()));
    fexcept_t saved;
    fegetexceptflag(&saved, FE_INVALID);
    CLEAR();
    fesetexceptflag(&saved, FE_INVALID);
    printf("fesetexceptflag(NV): %s\n", fmt_flags(b, FLAGS()));
    CLEAR();
    __asm__ volatile("csrwi fflags, 0x1f");
    printf("csrwi fflags 0x1f: %s, fcsr = %#lx\n", fmt_flags(b, FLAGS()), read_fcsr());
    __asm__ volatile("fscsr zero");
    printf("fscsr 0: fcsr = %#lx\n", read_fcsr());
}

int main(void)
{
    rounding_modes();
    rmm();
    specials();
    fused();
    minmax_compare();
    conversions();
    boxing();
    libm();
    fenv_api();
    return 0;
}
