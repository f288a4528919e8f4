package dev.riscvsandbox.cpu;

import static dev.riscvsandbox.cpu.Cpu.FLAG_DZ;
import static dev.riscvsandbox.cpu.Cpu.FLAG_NV;
import static dev.riscvsandbox.cpu.Cpu.FLAG_NX;
import static dev.riscvsandbox.cpu.Cpu.FLAG_OF;
import static dev.riscvsandbox.cpu.Cpu.FLAG_UF;
import static dev.riscvsandbox.cpu.Cpu.RM_RDN;
import static dev.riscvsandbox.cpu.Cpu.RM_RMM;
import static dev.riscvsandbox.cpu.Cpu.RM_RNE;
import static dev.riscvsandbox.cpu.Cpu.RM_RTZ;
import static dev.riscvsandbox.cpu.Cpu.RM_RUP;

import java.math.BigInteger;

/**
 * IEEE 754 semantics of the RISC-V F and D extensions, bit-exact with the specification (and qemu-user): results in
 * all five rounding modes, accrued exception flags with tininess detected after rounding, canonical NaNs and
 * NaN-boxing of single-precision values.
 *
 * <p>Registers are raw 64-bit patterns. Single-precision operands are unboxed with {@link #unboxS(long)} (a value
 * whose upper 32 bits are not all ones reads as the canonical NaN) and single-precision results are returned boxed.
 * Methods that can raise exceptions take the {@link Cpu} whose {@code fflags} they OR into. {@code rm} is an already
 * resolved static rounding mode, 0 (RNE) to 4 (RMM).
 *
 * <p>How results are computed. Java arithmetic rounds to nearest-even, so the common case (RNE, finite operands,
 * result in the normal range) is the hardware operation plus an error-free transformation that says whether the
 * result is exact (TwoSum for sums, {@code Math.fma} residuals for products, quotients and square roots; for fused
 * multiply-add, a comparison of the exact pairs {@code x*y} and {@code r - z}, which also gives the direction of the
 * error, so that RTZ, RDN and RUP stay on the fast path there). Every other case describes the exact result as a
 * 64-bit significand with a sticky bit (from a pair {@code hi + lo} of doubles, scaled into the normal range, whose
 * sum is exact or whose {@code lo} at least has the exact sign; or, for the rare fused multiply-adds left, from
 * {@link BigInteger}) and rounds it with {@link #roundPack}, the one place that knows about rounding modes, overflow,
 * subnormals and underflow. Single-precision operations are computed in double precision, where products are exact
 * and the residual of the double result is known exactly, so rounding to single happens once, never twice.
 */
public final class FpOps {
    private FpOps() {
    }

    /** The canonical NaN of single precision (unboxed). */
    public static final int CANONICAL_NAN_S = 0x7fc00000;
    /** The canonical NaN of single precision, NaN-boxed as it appears in a register. */
    public static final long BOXED_CANONICAL_NAN_S = 0xFFFFFFFF7FC00000L;
    /** The canonical NaN of double precision. */
    public static final long CANONICAL_NAN_D = 0x7ff8000000000000L;

    private static final long BOX = 0xFFFFFFFF00000000L;
    private static final int SIGN_S = 0x80000000;
    private static final long SIGN_D = 0x8000000000000000L;
    private static final long INF_D = 0x7ff0000000000000L;
    private static final long MANT_D = 0x000FFFFFFFFFFFFFL;
    private static final long IMPLICIT_D = 0x0010000000000000L;
    private static final double MAX_D = Double.MAX_VALUE;
    /**
     * Stands for the residual of a single-precision quotient or square root computed in double, where only its sign
     * matters (such a result is never a tie at 53 bits): far below half an ulp of any such result (at least 2^-350).
     */
    private static final double STICKY_S = 0x1p-600;
    /** Products, dividends and radicands at least this large have exactly representable residuals. */
    private static final double SAFE_D = 0x1p-968;

    // ------------------------------------------------------------------------------------------------ boxing

    /** The single-precision bits held by register value {@code f}, or the canonical NaN if it is not NaN-boxed. */
    public static int unboxS(long f) {
        return (int) (f >>> 32) == -1 ? (int) f : CANONICAL_NAN_S;
    }

    /** NaN-boxes single-precision bits. */
    public static long boxS(int bits) {
        return BOX | (bits & 0xFFFFFFFFL);
    }

    private static boolean isNaNS(int u) {
        return (u & 0x7fffffff) > 0x7f800000;
    }

    private static boolean isSNaNS(int u) {
        return isNaNS(u) && (u & 0x00400000) == 0;
    }

    private static boolean isNaND(long u) {
        return (u & Long.MAX_VALUE) > INF_D;
    }

    private static boolean isSNaND(long u) {
        return isNaND(u) && (u & 0x0008000000000000L) == 0;
    }

    /** For two-operand arithmetic: true if either operand is a NaN, raising NV if one is signalling. */
    private static boolean anyNaND(Cpu c, long a, long b) {
        if (!isNaND(a) && !isNaND(b)) {
            return false;
        }
        if (isSNaND(a) || isSNaND(b)) {
            c.fflags |= FLAG_NV;
        }
        return true;
    }

    private static boolean isInfD(long u) {
        return (u & Long.MAX_VALUE) == INF_D;
    }

    private static double d(long bits) {
        return Double.longBitsToDouble(bits);
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static float s(int bits) {
        return Float.intBitsToFloat(bits);
    }

    // ------------------------------------------------------------------------------------------------ moves, sign injection

    /** fmv.x.w: the low 32 bits, sign-extended (no unboxing). */
    public static long fmvXW(long f) {
        return (int) f;
    }

    /** fmv.w.x: the low 32 bits of {@code x}, NaN-boxed. */
    public static long fmvWX(long x) {
        return boxS((int) x);
    }

    public static long fsgnjS(long a, long b) {
        return boxS((unboxS(a) & ~SIGN_S) | (unboxS(b) & SIGN_S));
    }

    public static long fsgnjnS(long a, long b) {
        return boxS((unboxS(a) & ~SIGN_S) | (~unboxS(b) & SIGN_S));
    }

    public static long fsgnjxS(long a, long b) {
        return boxS(unboxS(a) ^ (unboxS(b) & SIGN_S));
    }

    public static long fsgnjD(long a, long b) {
        return (a & ~SIGN_D) | (b & SIGN_D);
    }

    public static long fsgnjnD(long a, long b) {
        return (a & ~SIGN_D) | (~b & SIGN_D);
    }

    public static long fsgnjxD(long a, long b) {
        return a ^ (b & SIGN_D);
    }

    // ------------------------------------------------------------------------------------------------ classify

    public static long fclassS(long a) {
        int u = unboxS(a);
        return classify(u < 0, (u >>> 23) & 0xff, u & 0x7fffff, 0xff, 0x400000);
    }

    public static long fclassD(long a) {
        return classify(a < 0, (int) (a >>> 52) & 0x7ff, a & MANT_D, 0x7ff, 0x0008000000000000L);
    }

    private static long classify(boolean neg, int exp, long mant, int expMax, long quietBit) {
        if (exp == expMax) {
            if (mant == 0) {
                return neg ? 1 : 1 << 7;
            }
            return (mant & quietBit) != 0 ? 1 << 9 : 1 << 8;
        }
        if (exp == 0) {
            if (mant == 0) {
                return neg ? 1 << 3 : 1 << 4;
            }
            return neg ? 1 << 2 : 1 << 5;
        }
        return neg ? 1 << 1 : 1 << 6;
    }

    // ------------------------------------------------------------------------------------------------ compare, min, max

    public static long feqS(Cpu c, long a, long b) {
        int ua = unboxS(a), ub = unboxS(b);
        if (isNaNS(ua) || isNaNS(ub)) {
            if (isSNaNS(ua) || isSNaNS(ub)) {
                c.fflags |= FLAG_NV;
            }
            return 0;
        }
        return s(ua) == s(ub) ? 1 : 0;
    }

    public static long fltS(Cpu c, long a, long b) {
        int ua = unboxS(a), ub = unboxS(b);
        if (isNaNS(ua) || isNaNS(ub)) {
            c.fflags |= FLAG_NV;
            return 0;
        }
        return s(ua) < s(ub) ? 1 : 0;
    }

    public static long fleS(Cpu c, long a, long b) {
        int ua = unboxS(a), ub = unboxS(b);
        if (isNaNS(ua) || isNaNS(ub)) {
            c.fflags |= FLAG_NV;
            return 0;
        }
        return s(ua) <= s(ub) ? 1 : 0;
    }

    public static long feqD(Cpu c, long a, long b) {
        if (isNaND(a) || isNaND(b)) {
            if (isSNaND(a) || isSNaND(b)) {
                c.fflags |= FLAG_NV;
            }
            return 0;
        }
        return d(a) == d(b) ? 1 : 0;
    }

    public static long fltD(Cpu c, long a, long b) {
        if (isNaND(a) || isNaND(b)) {
            c.fflags |= FLAG_NV;
            return 0;
        }
        return d(a) < d(b) ? 1 : 0;
    }

    public static long fleD(Cpu c, long a, long b) {
        if (isNaND(a) || isNaND(b)) {
            c.fflags |= FLAG_NV;
            return 0;
        }
        return d(a) <= d(b) ? 1 : 0;
    }

    /** IEEE 754-2019 minimumNumber; -0 is less than +0. */
    public static long fminS(Cpu c, long a, long b) {
        int ua = unboxS(a), ub = unboxS(b);
        if (isNaNS(ua) || isNaNS(ub)) {
            return boxS(minMaxNaNS(c, ua, ub));
        }
        float fa = s(ua), fb = s(ub);
        return boxS(fa < fb ? ua : fb < fa ? ub : ua | ub);
    }

    /** IEEE 754-2019 maximumNumber; +0 is greater than -0. */
    public static long fmaxS(Cpu c, long a, long b) {
        int ua = unboxS(a), ub = unboxS(b);
        if (isNaNS(ua) || isNaNS(ub)) {
            return boxS(minMaxNaNS(c, ua, ub));
        }
        float fa = s(ua), fb = s(ub);
        return boxS(fa > fb ? ua : fb > fa ? ub : ua & ub);
    }

    private static int minMaxNaNS(Cpu c, int ua, int ub) {
        if (isSNaNS(ua) || isSNaNS(ub)) {
            c.fflags |= FLAG_NV;
        }
        if (isNaNS(ua)) {
            return isNaNS(ub) ? CANONICAL_NAN_S : ub;
        }
        return ua;
    }

    public static long fminD(Cpu c, long a, long b) {
        if (isNaND(a) || isNaND(b)) {
            return minMaxNaND(c, a, b);
        }
        double da = d(a), db = d(b);
        return da < db ? a : db < da ? b : a | b;
    }

    public static long fmaxD(Cpu c, long a, long b) {
        if (isNaND(a) || isNaND(b)) {
            return minMaxNaND(c, a, b);
        }
        double da = d(a), db = d(b);
        return da > db ? a : db > da ? b : a & b;
    }

    private static long minMaxNaND(Cpu c, long a, long b) {
        if (isSNaND(a) || isSNaND(b)) {
            c.fflags |= FLAG_NV;
        }
        if (isNaND(a)) {
            return isNaND(b) ? CANONICAL_NAN_D : b;
        }
        return a;
    }

    // ------------------------------------------------------------------------------------------------ single arithmetic

    public static long faddS(Cpu c, long a, long b, int rm) {
        return addS(c, unboxS(a), unboxS(b), rm);
    }

    public static long fsubS(Cpu c, long a, long b, int rm) {
        return addS(c, unboxS(a), unboxS(b) ^ SIGN_S, rm);
    }

    private static long addS(Cpu c, int ua, int ub, int rm) {
        double x = s(ua), y = s(ub);
        double r = x + y;
        if (r != 0 && Math.abs(r) <= MAX_D) {
            double t = r - x;
            return roundS(c, r, (x - (r - t)) + (y - t), rm);
        }
        return addSpecialS(c, ua, ub, r, rm);
    }

    private static long addSpecialS(Cpu c, int ua, int ub, double r, int rm) {
        if (r == 0) {
            // exact zero: a sum of singles is a multiple of 2^-149, so it cannot underflow to zero
            if (rm == RM_RDN) {
                return boxS((ua | ub) == 0 ? 0 : SIGN_S);
            }
            return boxS(Float.floatToRawIntBits((float) r));
        }
        if (isNaNS(ua) || isNaNS(ub)) {
            if (isSNaNS(ua) || isSNaNS(ub)) {
                c.fflags |= FLAG_NV;
            }
            return BOXED_CANONICAL_NAN_S;
        }
        if (r != r) { // inf - inf
            c.fflags |= FLAG_NV;
            return BOXED_CANONICAL_NAN_S;
        }
        return boxS(Float.floatToRawIntBits((float) r)); // an infinite operand: exact infinity
    }

    public static long fmulS(Cpu c, long a, long b, int rm) {
        int ua = unboxS(a), ub = unboxS(b);
        double r = (double) s(ua) * s(ub); // exact: 24 x 24 bits, exponent within double range
        if (r != 0 && Math.abs(r) <= MAX_D) {
            return roundS(c, r, 0, rm);
        }
        return mulSpecialS(c, ua, ub, r);
    }

    private static long mulSpecialS(Cpu c, int ua, int ub, double r) {
        if (r == 0) {
            return boxS(Float.floatToRawIntBits((float) r));
        }
        if (isNaNS(ua) || isNaNS(ub)) {
            if (isSNaNS(ua) || isSNaNS(ub)) {
                c.fflags |= FLAG_NV;
            }
            return BOXED_CANONICAL_NAN_S;
        }
        if (r != r) { // inf * 0
            c.fflags |= FLAG_NV;
            return BOXED_CANONICAL_NAN_S;
        }
        return boxS(Float.floatToRawIntBits((float) r));
    }

    public static long fdivS(Cpu c, long a, long b, int rm) {
        int ua = unboxS(a), ub = unboxS(b);
        double x = s(ua), y = s(ub);
        double r = x / y;
        if (r != 0 && Math.abs(r) <= MAX_D) {
            double rem = Math.fma(-r, y, x); // exact; x/y - r has the sign of rem * y
            return roundS(c, r, rem == 0 ? 0 : Math.copySign(STICKY_S, rem * y), rm);
        }
        return divSpecialS(c, ua, ub, r);
    }

    private static long divSpecialS(Cpu c, int ua, int ub, double r) {
        if (isNaNS(ua) || isNaNS(ub)) {
            if (isSNaNS(ua) || isSNaNS(ub)) {
                c.fflags |= FLAG_NV;
            }
            return BOXED_CANONICAL_NAN_S;
        }
        if (r != r) { // 0/0, inf/inf
            c.fflags |= FLAG_NV;
            return BOXED_CANONICAL_NAN_S;
        }
        if ((ub & ~SIGN_S) == 0 && (ua & 0x7f800000) != 0x7f800000) { // finite / 0 (0/0 handled above)
            c.fflags |= FLAG_DZ;
        }
        return boxS(Float.floatToRawIntBits((float) r)); // signed zero or infinity, exact
    }

    public static long fsqrtS(Cpu c, long a, int rm) {
        int ua = unboxS(a);
        double x = s(ua);
        if (x > 0 && x <= MAX_D) {
            double r = Math.sqrt(x);
            double rem = Math.fma(-r, r, x); // exact
            return roundS(c, r, rem == 0 ? 0 : Math.copySign(STICKY_S, rem), rm);
        }
        return sqrtSpecialS(c, ua, x);
    }

    private static long sqrtSpecialS(Cpu c, int ua, double x) {
        if (isNaNS(ua)) {
            if (isSNaNS(ua)) {
                c.fflags |= FLAG_NV;
            }
            return BOXED_CANONICAL_NAN_S;
        }
        if (x < 0) {
            c.fflags |= FLAG_NV;
            return BOXED_CANONICAL_NAN_S;
        }
        return boxS(ua); // +-0, +inf
    }

    public static long fmaddS(Cpu c, long a, long b, long cc, int rm) {
        return fmaS(c, unboxS(a), unboxS(b), unboxS(cc), rm);
    }

    public static long fmsubS(Cpu c, long a, long b, long cc, int rm) {
        return fmaS(c, unboxS(a), unboxS(b), unboxS(cc) ^ SIGN_S, rm);
    }

    public static long fnmsubS(Cpu c, long a, long b, long cc, int rm) {
        return fmaS(c, unboxS(a) ^ SIGN_S, unboxS(b), unboxS(cc), rm);
    }

    public static long fnmaddS(Cpu c, long a, long b, long cc, int rm) {
        return fmaS(c, unboxS(a) ^ SIGN_S, unboxS(b), unboxS(cc) ^ SIGN_S, rm);
    }

    private static long fmaS(Cpu c, int ux, int uy, int uz, int rm) {
        double p = (double) s(ux) * s(uy); // exact
        double z = s(uz);
        double r = p + z;
        if (r != 0 && Math.abs(r) <= MAX_D) {
            double t = r - p;
            return roundS(c, r, (p - (r - t)) + (z - t), rm);
        }
        return fmaSpecialS(c, ux, uy, uz, p, r, rm);
    }

    private static long fmaSpecialS(Cpu c, int ux, int uy, int uz, double p, double r, int rm) {
        if (r == 0) { // exact zero (p + z is a multiple of 2^-298)
            if (rm == RM_RDN) {
                return boxS(bits(p) == 0 && uz == 0 ? 0 : SIGN_S);
            }
            return boxS(Float.floatToRawIntBits((float) r));
        }
        boolean infZero = ((ux & ~SIGN_S) == 0x7f800000 && (uy & ~SIGN_S) == 0)
                || ((ux & ~SIGN_S) == 0 && (uy & ~SIGN_S) == 0x7f800000);
        if (isNaNS(ux) || isNaNS(uy) || isNaNS(uz)) {
            if (isSNaNS(ux) || isSNaNS(uy) || isSNaNS(uz) || infZero) {
                c.fflags |= FLAG_NV;
            }
            return BOXED_CANONICAL_NAN_S;
        }
        if (r != r) { // inf * 0, or inf - inf
            c.fflags |= FLAG_NV;
            return BOXED_CANONICAL_NAN_S;
        }
        return boxS(Float.floatToRawIntBits((float) r)); // exact infinity
    }

    /**
     * Rounds {@code r + lo} to single precision. {@code r} is a finite non-zero double (at least 2^-298 in magnitude,
     * so normal), {@code lo} is either the exact residual or at least has its sign, and {@code |lo| < ulp(r)}.
     */
    private static long roundS(Cpu c, double r, double lo, int rm) {
        if (rm == RM_RNE) {
            int low = (int) bits(r) & 0x1FFFFFFF; // the 29 bits that single precision drops
            float f = (float) r;
            // (float) r is the correctly rounded r + lo unless r is a tie of single precision and lo breaks it
            if (Math.abs(r) >= Float.MIN_NORMAL && Math.abs(f) <= Float.MAX_VALUE && (low != 0x10000000 || lo == 0)) {
                if (low != 0 || lo != 0) {
                    c.fflags |= FLAG_NX;
                }
                return boxS(Float.floatToRawIntBits(f));
            }
        }
        return boxS((int) roundPair(c, r, lo, 0, rm, false));
    }

    /** A tiny value with the sign of the residual, well below half an ulp of {@code r}: acts as a sticky bit. */
    private static double direction(double r, boolean up) {
        double u = Math.ulp(r) * 0x1p-20;
        return up ? u : -u;
    }

    // ------------------------------------------------------------------------------------------------ double arithmetic

    public static long faddD(Cpu c, long a, long b, int rm) {
        return addD(c, a, b, rm);
    }

    public static long fsubD(Cpu c, long a, long b, int rm) {
        return addD(c, a, b ^ SIGN_D, rm);
    }

    private static long addD(Cpu c, long a, long b, int rm) {
        double x = d(a), y = d(b);
        double r = x + y;
        if (rm == RM_RNE && Math.abs(r) <= MAX_D) {
            double t = r - x;
            if ((x - (r - t)) + (y - t) != 0) { // TwoSum residual, exact (no overflow since r is finite)
                c.fflags |= FLAG_NX;
            }
            return bits(r);
        }
        return addSlowD(c, a, b, r, rm);
    }

    private static long addSlowD(Cpu c, long a, long b, double r, int rm) {
        double x = d(a), y = d(b);
        if (!(Math.abs(r) <= MAX_D)) {
            if (anyNaND(c, a, b)) {
                return CANONICAL_NAN_D;
            }
            if (r != r) { // inf - inf
                c.fflags |= FLAG_NV;
                return CANONICAL_NAN_D;
            }
            if (isInfD(a) || isInfD(b)) {
                return bits(r);
            }
            // overflow of finite operands: both are then at least 2^970, so halving them is exact
            double xh = x * 0.5, yh = y * 0.5, rh = xh + yh;
            return roundPair(c, rh, sumResidual(xh, yh, rh), 1, rm, true);
        }
        double lo = sumResidual(x, y, r);
        if (lo != 0) {
            return roundPair(c, r, lo, 0, rm, true); // inexact sums are at least 2^-1021: r is normal
        }
        if (r == 0 && rm == RM_RDN) {
            return (a | b) == 0 ? 0 : SIGN_D; // exact zero is -0 in RDN unless both operands are +0
        }
        return bits(r);
    }

    /**
     * The exact residual {@code x + y - r} of {@code r = RN(x + y)} (Fast2Sum on the operands ordered by magnitude,
     * which unlike TwoSum cannot overflow spuriously when an operand is close to the largest double).
     */
    private static double sumResidual(double x, double y, double r) {
        return Math.abs(x) >= Math.abs(y) ? y - (r - x) : x - (r - y);
    }

    public static long fmulD(Cpu c, long a, long b, int rm) {
        double x = d(a), y = d(b);
        double r = x * y;
        if (rm == RM_RNE) {
            double ar = Math.abs(r);
            if (ar >= SAFE_D && ar <= MAX_D) { // residual representable, result far from the subnormal range
                if (Math.fma(x, y, -r) != 0) {
                    c.fflags |= FLAG_NX;
                }
                return bits(r);
            }
        }
        return mulSlowD(c, a, b, rm);
    }

    private static long mulSlowD(Cpu c, long a, long b, int rm) {
        double x = d(a), y = d(b);
        if (anyNaND(c, a, b)) {
            return CANONICAL_NAN_D;
        }
        long sign = (a ^ b) & SIGN_D;
        if (isInfD(a) || isInfD(b)) {
            if (x == 0 || y == 0) {
                c.fflags |= FLAG_NV;
                return CANONICAL_NAN_D;
            }
            return sign | INF_D;
        }
        if (x == 0 || y == 0) {
            return sign;
        }
        return mulFiniteD(c, x, y, rm);
    }

    /** Rounds the product of two finite non-zero doubles. */
    private static long mulFiniteD(Cpu c, double x, double y, int rm) {
        int ex = ilogb(x), ey = ilogb(y);
        double mx = Math.scalb(x, -ex), my = Math.scalb(y, -ey); // |m| in [1, 2), exact
        double hi = mx * my;
        return roundPair(c, hi, Math.fma(mx, my, -hi), ex + ey, rm, true);
    }

    public static long fdivD(Cpu c, long a, long b, int rm) {
        double x = d(a), y = d(b);
        double r = x / y;
        if (rm == RM_RNE) {
            double ar = Math.abs(r);
            if (ar > Double.MIN_NORMAL && ar <= MAX_D && Math.abs(x) >= SAFE_D) { // remainder representable
                if (Math.fma(-r, y, x) != 0) {
                    c.fflags |= FLAG_NX;
                }
                return bits(r);
            }
        }
        return divSlowD(c, a, b, rm);
    }

    private static long divSlowD(Cpu c, long a, long b, int rm) {
        double x = d(a), y = d(b);
        if (anyNaND(c, a, b)) {
            return CANONICAL_NAN_D;
        }
        long sign = (a ^ b) & SIGN_D;
        if (isInfD(a)) {
            if (isInfD(b)) {
                c.fflags |= FLAG_NV;
                return CANONICAL_NAN_D;
            }
            return sign | INF_D;
        }
        if (isInfD(b)) {
            return sign;
        }
        if (y == 0) {
            if (x == 0) {
                c.fflags |= FLAG_NV;
                return CANONICAL_NAN_D;
            }
            c.fflags |= FLAG_DZ;
            return sign | INF_D;
        }
        if (x == 0) {
            return sign;
        }
        int ex = ilogb(x), ey = ilogb(y);
        double mx = Math.scalb(x, -ex), my = Math.scalb(y, -ey);
        double q = mx / my;
        double rem = Math.fma(-q, my, mx); // exact
        // a quotient is never a tie at 53 bits, so the sign of the remainder is all the rounding needs
        return roundPair(c, q, rem == 0 ? 0 : direction(q, (rem > 0) == (my > 0)), ex - ey, rm, true);
    }

    public static long fsqrtD(Cpu c, long a, int rm) {
        double x = d(a);
        double r = Math.sqrt(x);
        if (rm == RM_RNE && x >= SAFE_D && x <= MAX_D) {
            if (Math.fma(-r, r, x) != 0) {
                c.fflags |= FLAG_NX;
            }
            return bits(r);
        }
        return sqrtSlowD(c, a, rm);
    }

    private static long sqrtSlowD(Cpu c, long a, int rm) {
        double x = d(a);
        if (isNaND(a)) {
            if (isSNaND(a)) {
                c.fflags |= FLAG_NV;
            }
            return CANONICAL_NAN_D;
        }
        if (x == 0 || x == Double.POSITIVE_INFINITY) {
            return a;
        }
        if (x < 0) {
            c.fflags |= FLAG_NV;
            return CANONICAL_NAN_D;
        }
        int e = ilogb(x) & ~1;
        double m = Math.scalb(x, -e); // [1, 4), exact
        double r = Math.sqrt(m);
        double rem = Math.fma(-r, r, m); // exact
        return roundPair(c, r, rem == 0 ? 0 : direction(r, rem > 0), e >> 1, rm, true);
    }

    public static long fmaddD(Cpu c, long a, long b, long cc, int rm) {
        return fmaD(c, a, b, cc, rm);
    }

    public static long fmsubD(Cpu c, long a, long b, long cc, int rm) {
        return fmaD(c, a, b, cc ^ SIGN_D, rm);
    }

    public static long fnmsubD(Cpu c, long a, long b, long cc, int rm) {
        return fmaD(c, a ^ SIGN_D, b, cc, rm);
    }

    public static long fnmaddD(Cpu c, long a, long b, long cc, int rm) {
        return fmaD(c, a ^ SIGN_D, b, cc ^ SIGN_D, rm);
    }

    private static long fmaD(Cpu c, long a, long b, long cc, int rm) {
        double x = d(a), y = d(b), z = d(cc);
        double r = Math.fma(x, y, z);
        double ar = Math.abs(r), ph = x * y, ap = Math.abs(ph);
        if (ar > Double.MIN_NORMAL && ar <= MAX_D && ap >= SAFE_D && ap <= MAX_D && rm != RM_RMM) {
            // x*y = ph + pl and r - z = dh + dl exactly, both pairs normalized (hi = RN(hi + lo)), so the result is
            // exact iff the pairs are equal, and otherwise the first difference gives the sign of x*y + z - r
            double dh = r - z;
            if (Math.abs(dh) <= MAX_D) {
                double pl = Math.fma(x, y, -ph), dl = sumResidual(r, -z, dh);
                if (dh != ph || dl != pl) {
                    c.fflags |= FLAG_NX;
                    if (rm != RM_RNE) {
                        return directed(c, r, dh != ph ? ph > dh : pl > dl, rm);
                    }
                }
                return bits(r);
            }
        }
        return fmaSlowD(c, a, b, cc, rm);
    }

    /**
     * The result in RTZ, RDN or RUP of an inexact operation whose round-to-nearest result {@code r} is normal (above
     * the smallest normal) and finite, given whether the exact value lies above {@code r}. NX is already raised.
     */
    private static long directed(Cpu c, double r, boolean exactAbove, int rm) {
        double v = r;
        if (rm == RM_RUP || (rm == RM_RTZ && r < 0)) {
            if (exactAbove) {
                v = Math.nextUp(r);
            }
        } else if (!exactAbove) { // RDN, or RTZ of a positive value
            v = Math.nextDown(r);
        }
        if (Math.abs(v) > MAX_D) {
            c.fflags |= FLAG_OF;
        }
        return bits(v);
    }

    private static long fmaSlowD(Cpu c, long a, long b, long cc, int rm) {
        double x = d(a), y = d(b), z = d(cc);
        boolean infZero = (isInfD(a) && y == 0) || (x == 0 && isInfD(b));
        if (isNaND(a) || isNaND(b) || isNaND(cc)) {
            // RISC-V raises NV for inf * 0 even when the addend is a quiet NaN
            if (isSNaND(a) || isSNaND(b) || isSNaND(cc) || infZero) {
                c.fflags |= FLAG_NV;
            }
            return CANONICAL_NAN_D;
        }
        if (infZero) {
            c.fflags |= FLAG_NV;
            return CANONICAL_NAN_D;
        }
        long ps = (a ^ b) & SIGN_D;
        if (isInfD(a) || isInfD(b)) {
            if (isInfD(cc) && (cc & SIGN_D) != ps) {
                c.fflags |= FLAG_NV;
                return CANONICAL_NAN_D;
            }
            return ps | INF_D;
        }
        if (isInfD(cc)) {
            return cc;
        }
        if (x == 0 || y == 0) { // exact zero product
            if (z != 0 || (cc & SIGN_D) == ps) {
                return cc;
            }
            return rm == RM_RDN ? SIGN_D : 0;
        }
        if (z == 0) {
            return mulFiniteD(c, x, y, rm);
        }
        return fmaExactD(c, a, b, cc, rm);
    }

    /** Fused multiply-add of three finite non-zero doubles, computed exactly with big integers. */
    private static long fmaExactD(Cpu c, long a, long b, long cc, int rm) {
        BigInteger p = BigInteger.valueOf(significand(a)).multiply(BigInteger.valueOf(significand(b)));
        BigInteger z = BigInteger.valueOf(significand(cc));
        int ep = lsbExponent(a) + lsbExponent(b), ez = lsbExponent(cc);
        if ((a ^ b) < 0) {
            p = p.negate();
        }
        if (cc < 0) {
            z = z.negate();
        }
        int e = Math.min(ep, ez);
        BigInteger v = p.shiftLeft(ep - e).add(z.shiftLeft(ez - e));
        int sg = v.signum();
        if (sg == 0) {
            return rm == RM_RDN ? SIGN_D : 0;
        }
        v = v.abs();
        int sh = v.bitLength() - 63;
        if (sh <= 0) {
            return roundPack(c, sg < 0, v.longValue(), e, rm, true);
        }
        long sig = v.shiftRight(sh).longValue();
        if (v.getLowestSetBit() < sh) {
            sig |= 1; // sticky
        }
        return roundPack(c, sg < 0, sig, e + sh, rm, true);
    }

    /** The integer significand of a finite double (implicit bit included). */
    private static long significand(long u) {
        long m = u & MANT_D;
        return (u & INF_D) == 0 ? m : m | IMPLICIT_D;
    }

    /** The exponent of the least significant significand bit of a finite double. */
    private static int lsbExponent(long u) {
        int e = (int) (u >>> 52) & 0x7ff;
        return e == 0 ? -1074 : e - 1075;
    }

    /** floor(log2(|x|)) for finite non-zero x, also for subnormals. */
    private static int ilogb(double x) {
        int e = Math.getExponent(x);
        if (e == Double.MIN_EXPONENT - 1) {
            e = Math.getExponent(x * 0x1p54) - 54;
        }
        return e;
    }

    // ------------------------------------------------------------------------------------------------ rounding core

    /**
     * Rounds {@code (hi + lo) * 2^scale} to double ({@code dbl}) or single precision and returns the raw bits (single
     * in the low 32 bits). {@code hi} is a normal non-zero double; {@code lo} is the exact residual, or, where the
     * caller knows the exact value is no tie at 53 bits, any value with the residual's sign; {@code |lo| < ulp(hi)}.
     */
    static long roundPair(Cpu c, double hi, double lo, int scale, int rm, boolean dbl) {
        long hb = bits(hi);
        boolean neg = hb < 0;
        int eh = (int) (hb >>> 52 & 0x7ff) - 1023;
        long sig = ((hb & MANT_D) | IMPLICIT_D) << 10; // leading bit at 62, value = sig * 2^(eh - 62)
        if (lo != 0) {
            double t = Math.scalb(neg ? -lo : lo, 62 - eh); // lo in units of the last bit of sig, |t| < 2^10
            if (t == 0) {
                t = Math.copySign(0x1p-20, t); // lo far below the last bit underflowed: keep its sign
            }
            double ft = Math.floor(t);
            sig += (long) ft;
            if (t != ft) {
                sig |= 1; // sticky
            }
        }
        return roundPack(c, neg, sig, eh - 62 + scale, rm, dbl);
    }

    /**
     * Rounds {@code (-1)^neg * sig * 2^exp} to double ({@code dbl}) or single precision in mode {@code rm} and raises
     * NX, UF (tininess after rounding, only when inexact) and OF. {@code sig} is non-zero and read as unsigned; its
     * bit 0 may be a sticky bit, as rounding always happens at least 11 bits above it. Returns the raw bits, a single
     * in the low 32 bits.
     */
    static long roundPack(Cpu c, boolean neg, long sig, int exp, int rm, boolean dbl) {
        final int p = dbl ? 53 : 24, emin = dbl ? -1022 : -126, emax = dbl ? 1023 : 127;
        final int drop = 64 - p;
        long signBit = neg ? (dbl ? SIGN_D : 0x80000000L) : 0;
        int lz = Long.numberOfLeadingZeros(sig);
        sig <<= lz;
        int e = exp + 63 - lz; // exponent of the leading bit
        if (e >= emin) {
            long q = sig >>> drop;
            long rem = sig & ((1L << drop) - 1);
            if (rem != 0) {
                c.fflags |= FLAG_NX;
                if (roundsUp(q, rem, drop, rm, neg) && ++q == 1L << p) {
                    q >>>= 1;
                    e++;
                }
            }
            if (e > emax) {
                return signBit | overflow(c, neg, rm, dbl);
            }
            return signBit | ((long) (e + emax) << (p - 1)) | (q & ((1L << (p - 1)) - 1));
        }
        int shift = drop + emin - e;
        long q;
        if (shift >= 64) { // below the smallest subnormal
            boolean up;
            switch (rm) {
                case RM_RNE: up = shift == 64 && sig != Long.MIN_VALUE; break;
                case RM_RMM: up = shift == 64; break;
                case RM_RDN: up = neg; break;
                case RM_RUP: up = !neg; break;
                default: up = false;
            }
            q = up ? 1 : 0;
            c.fflags |= FLAG_NX | FLAG_UF;
        } else {
            q = sig >>> shift;
            long rem = sig & ((1L << shift) - 1);
            if (rem != 0) {
                // tiny unless rounding to p bits with unbounded exponent carries up to 2^emin
                boolean tiny = e < emin - 1 || (sig >>> drop) != (1L << p) - 1
                        || !roundsUp(sig >>> drop, sig & ((1L << drop) - 1), drop, rm, neg);
                c.fflags |= tiny ? FLAG_NX | FLAG_UF : FLAG_NX;
                if (roundsUp(q, rem, shift, rm, neg)) {
                    q++; // may carry into the exponent field: the smallest normal, encoded correctly
                }
            }
        }
        return signBit | q;
    }

    /** Whether truncated magnitude {@code q} with discarded bits {@code rem} (of {@code n} < 64 bits) rounds up. */
    private static boolean roundsUp(long q, long rem, int n, int rm, boolean neg) {
        if (rem == 0) {
            return false;
        }
        long half = 1L << (n - 1);
        switch (rm) {
            case RM_RNE: return rem > half || (rem == half && (q & 1) != 0);
            case RM_RMM: return rem >= half;
            case RM_RDN: return neg;
            case RM_RUP: return !neg;
            default: return false;
        }
    }

    /** Sets OF and NX and returns the magnitude bits of the overflowed result: infinity or the largest finite. */
    private static long overflow(Cpu c, boolean neg, int rm, boolean dbl) {
        c.fflags |= FLAG_OF | FLAG_NX;
        boolean inf = rm == RM_RNE || rm == RM_RMM || (rm == RM_RUP && !neg) || (rm == RM_RDN && neg);
        if (dbl) {
            return inf ? INF_D : INF_D - 1;
        }
        return inf ? 0x7f800000L : 0x7f7fffffL;
    }

    // ------------------------------------------------------------------------------------------------ float -> integer

    public static long fcvtWS(Cpu c, long a, int rm) {
        return toW(c, s(unboxS(a)), rm);
    }

    public static long fcvtWUS(Cpu c, long a, int rm) {
        return toWU(c, s(unboxS(a)), rm);
    }

    public static long fcvtLS(Cpu c, long a, int rm) {
        return toL(c, s(unboxS(a)), rm);
    }

    public static long fcvtLUS(Cpu c, long a, int rm) {
        return toLU(c, s(unboxS(a)), rm);
    }

    public static long fcvtWD(Cpu c, long a, int rm) {
        return toW(c, d(a), rm);
    }

    public static long fcvtWUD(Cpu c, long a, int rm) {
        return toWU(c, d(a), rm);
    }

    public static long fcvtLD(Cpu c, long a, int rm) {
        return toL(c, d(a), rm);
    }

    public static long fcvtLUD(Cpu c, long a, int rm) {
        return toLU(c, d(a), rm);
    }

    private static long toW(Cpu c, double x, int rm) {
        double r = rm == RM_RTZ ? x : roundToInteger(x, rm); // the cast below truncates
        if (r > -2147483649.0 && r < 2147483648.0) {
            int v = (int) r;
            if (v != x) {
                c.fflags |= FLAG_NX;
            }
            return v;
        }
        c.fflags |= FLAG_NV;
        return x < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE; // NaN: largest
    }

    private static long toWU(Cpu c, double x, int rm) {
        double r = rm == RM_RTZ ? x : roundToInteger(x, rm);
        if (r > -1.0 && r < 4294967296.0) {
            long v = (long) r;
            if (v != x) {
                c.fflags |= FLAG_NX;
            }
            return (int) v; // 32-bit results are sign-extended
        }
        c.fflags |= FLAG_NV;
        return x < 0 ? 0 : -1L;
    }

    private static long toL(Cpu c, double x, int rm) {
        double r = rm == RM_RTZ ? x : roundToInteger(x, rm);
        if (r >= -0x1p63 && r < 0x1p63) {
            long v = (long) r;
            if (v != x) { // v and x agree exactly: beyond 2^53 doubles are integers
                c.fflags |= FLAG_NX;
            }
            return v;
        }
        c.fflags |= FLAG_NV;
        return x < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    private static long toLU(Cpu c, double x, int rm) {
        double r = roundToInteger(x, rm);
        if (r > -1.0 && r < 0x1p64) {
            if (r != x) {
                c.fflags |= FLAG_NX;
            }
            return r < 0x1p63 ? (long) r : (long) (r - 0x1p63) | Long.MIN_VALUE;
        }
        c.fflags |= FLAG_NV;
        return x < 0 ? 0 : -1L;
    }

    /** {@code x} rounded to an integral value in mode {@code rm}; NaN and infinities pass through. */
    private static double roundToInteger(double x, int rm) {
        switch (rm) {
            case RM_RNE: return Math.rint(x);
            case RM_RDN: return Math.floor(x);
            case RM_RUP: return Math.ceil(x);
            case RM_RTZ: return x < 0 ? Math.ceil(x) : Math.floor(x);
            default: {
                double t = x < 0 ? Math.ceil(x) : Math.floor(x);
                return Math.abs(x - t) >= 0.5 ? t + Math.copySign(1.0, x) : t; // x - t is exact
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ integer -> float

    public static long fcvtSW(Cpu c, long x, int rm) {
        int i = (int) x;
        if ((i >> 24) == (i >> 31)) {
            return boxS(Float.floatToRawIntBits((float) i)); // |i| <= 2^24: exact
        }
        return boxS((int) roundPack(c, i < 0, Math.abs((long) i), 0, rm, false));
    }

    public static long fcvtSWU(Cpu c, long x, int rm) {
        long u = x & 0xFFFFFFFFL;
        if ((u >>> 24) == 0) {
            return boxS(Float.floatToRawIntBits((float) u));
        }
        return boxS((int) roundPack(c, false, u, 0, rm, false));
    }

    public static long fcvtSL(Cpu c, long x, int rm) {
        if ((x >> 24) == (x >> 63)) {
            return boxS(Float.floatToRawIntBits((float) x));
        }
        return boxS((int) roundPack(c, x < 0, x < 0 ? -x : x, 0, rm, false)); // -MIN_VALUE reads as 2^63
    }

    public static long fcvtSLU(Cpu c, long x, int rm) {
        if ((x >>> 24) == 0) {
            return boxS(Float.floatToRawIntBits((float) x));
        }
        return boxS((int) roundPack(c, false, x, 0, rm, false));
    }

    public static long fcvtDW(Cpu c, long x, int rm) {
        return bits((int) x); // always exact
    }

    public static long fcvtDWU(Cpu c, long x, int rm) {
        return bits(x & 0xFFFFFFFFL); // always exact
    }

    public static long fcvtDL(Cpu c, long x, int rm) {
        if ((x >> 53) == (x >> 63)) {
            return bits((double) x); // |x| <= 2^53: exact
        }
        return roundPack(c, x < 0, x < 0 ? -x : x, 0, rm, true);
    }

    public static long fcvtDLU(Cpu c, long x, int rm) {
        if ((x >>> 53) == 0) {
            return bits((double) x);
        }
        return roundPack(c, false, x, 0, rm, true);
    }

    // ------------------------------------------------------------------------------------------------ float <-> double

    /** fcvt.s.d: rounds in mode {@code rm}. */
    public static long fcvtSD(Cpu c, long a, int rm) {
        double x = d(a);
        if (rm == RM_RNE) {
            float f = (float) x;
            if (Math.abs(x) >= Float.MIN_NORMAL && Math.abs(f) <= Float.MAX_VALUE) {
                if (f != x) {
                    c.fflags |= FLAG_NX;
                }
                return boxS(Float.floatToRawIntBits(f));
            }
        }
        return cvtSDSlow(c, a, rm);
    }

    private static long cvtSDSlow(Cpu c, long a, int rm) {
        if (isNaND(a)) {
            if (isSNaND(a)) {
                c.fflags |= FLAG_NV;
            }
            return BOXED_CANONICAL_NAN_S;
        }
        int sign = (int) (a >>> 32) & SIGN_S;
        if (isInfD(a)) {
            return boxS(sign | 0x7f800000);
        }
        if ((a & ~SIGN_D) == 0) {
            return boxS(sign);
        }
        return boxS((int) roundPack(c, a < 0, significand(a), lsbExponent(a), rm, false));
    }

    /** fcvt.d.s: exact; NaNs become the canonical NaN (NV for a signalling one). */
    public static long fcvtDS(Cpu c, long a) {
        int u = unboxS(a);
        if (isNaNS(u)) {
            if (isSNaNS(u)) {
                c.fflags |= FLAG_NV;
            }
            return CANONICAL_NAN_D;
        }
        return bits(s(u));
    }
}
