package dev.riscvsandbox.diff;

import dev.riscvsandbox.testutil.Asm;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * jqwik generators for random instruction sequences and their initial machine state.
 *
 * <p>Covers RV32/RV64 I (register/immediate ALU incl. W forms, lui, auipc, every shift amount), M (with operands
 * freshly loaded with edge values), Zba/Zbb/Zbc/Zbs, F and D (arithmetic with static rounding modes 0..4 and dynamic
 * rounding, FMA family, sqrt, min/max, sign injection, compares, fclass, conversions in every direction, moves),
 * fcsr/frm/fflags accesses, loads and stores (also misaligned) into the scratch buffer, AMOs and LR/SC pairs on it,
 * forward branches and jumps, and compressed ALU instructions and branches.
 *
 * <p>Generated code never writes the reserved base register {@link BatchProgram#BASE}, never writes frm with an
 * invalid value, and only accesses memory at base + [0, 64).
 */
public final class SequenceArbitraries {

    public static final int MAX_OPS = 24;

    private final int xlen;
    private final boolean rv64;
    private final boolean fpFocus;

    /** The general mix of every category. */
    public SequenceArbitraries(int xlen) {
        this(xlen, false);
    }

    /**
     * @param fpFocus when true, only FP operations (and fcsr accesses) on FP registers that hold edge values
     *                (zeros, infinities, NaNs, subnormals, conversion boundaries, ...) or simple numbers, so that
     *                rare operand combinations (inf * 0 + NaN, min/max of signaling NaNs, ...) come up often
     */
    public SequenceArbitraries(int xlen, boolean fpFocus) {
        if (xlen != 32 && xlen != 64) {
            throw new IllegalArgumentException("xlen: " + xlen);
        }
        this.xlen = xlen;
        this.rv64 = xlen == 64;
        this.fpFocus = fpFocus;
    }

    // =====================================================================================================
    // values
    // =====================================================================================================

    static final long[] INT_EDGES = {0, 1, -1, 2, -2, 3, 7, 31, 32, 33, 63, 64, 0xFF, 0x80, 0x7F, 0xFFFF, 0x8000,
        0x7FFF, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, 0x80000000L, 0x7FFFFFFFL,
        0xFFFFFFFFL, 0x100000000L, 0xFFFFFFFF80000000L, 0xFFFFFFFF7FFFFFFFL, 0x80000001L, 0xFFFFFFFF00000000L,
        0x00000000FFFFFFFEL, 0x8000000000000001L, 0x5555555555555555L, 0xAAAAAAAAAAAAAAAAL, 0x0123456789ABCDEFL,
        0xFEDCBA9876543210L, 0x8080808080808080L, 0x0101010101010101L, -0x800, 0x7FF, 0x800};

    static final long[] DOUBLE_EDGES = {
        0x0000000000000000L, 0x8000000000000000L,                         // +-0
        0x7FF0000000000000L, 0xFFF0000000000000L,                         // +-inf
        0x7FF8000000000000L, 0xFFF8000000000000L, 0x7FF800000000BEEFL,    // quiet NaNs
        0x7FF0000000000001L, 0x7FF4000000000000L, 0xFFF0000000000DEAL,    // signaling NaNs
        0x0000000000000001L, 0x8000000000000001L, 0x000FFFFFFFFFFFFFL,    // subnormals
        0x0010000000000000L, 0x8010000000000000L,                         // min normal
        0x7FEFFFFFFFFFFFFFL, 0xFFEFFFFFFFFFFFFFL,                         // max
        bits(1.0), bits(-1.0), bits(0.5), bits(-0.5), bits(1.5), bits(2.5), bits(-2.5), bits(3.0), bits(-3.5),
        bits(0.49999999999999994), bits(2147483647.0), bits(2147483647.5), bits(2147483648.0), bits(-2147483648.0),
        bits(-2147483648.5), bits(-2147483649.0), bits(4294967295.0), bits(4294967295.5), bits(4294967296.0),
        bits(9.223372036854775807E18), bits(-9.223372036854775808E18), bits(1.8446744073709552E19),
        bits(9007199254740993.0), bits(0x1.0000001p0), bits(0x1.0000003p0), bits(0x1.000001p0), bits(0x1.fffffep127),
        bits(0x1.ffffffp127), bits(0x1p-126), bits(0x1p-149), bits(0x1p-150), bits(0x1.8p-150), bits(1e300),
        bits(1e-300), bits(-1e-310), bits(Math.PI), bits(-0.1)};

    static final int[] FLOAT_EDGES = {
        0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7FC0BEEF, 0x7F800001, 0x7FA00000,
        0xFF800DEA, 0x00000001, 0x80000001, 0x007FFFFF, 0x00800000, 0x80800000, 0x7F7FFFFF, 0xFF7FFFFF,
        fbits(1f), fbits(-1f), fbits(0.5f), fbits(-0.5f), fbits(1.5f), fbits(2.5f), fbits(-2.5f), fbits(3f),
        fbits(2147483648f), fbits(-2147483648f), fbits(4294967296f), fbits(9.223372e18f), fbits(-9.223372e18f),
        fbits(1.8446744e19f), fbits(16777217f), fbits(0.1f), fbits(-0.1f), fbits(8388607.5f), fbits(1e-40f),
        fbits(3.4e38f), fbits((float) Math.PI)};

    private static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    private static int fbits(float f) {
        return Float.floatToRawIntBits(f);
    }

    private static long box(int floatBits) {
        return 0xFFFFFFFF00000000L | (floatBits & 0xFFFFFFFFL);
    }

    @SafeVarargs
    private static <T> Arbitrary<T> weighted(Tuple2<Integer, Arbitrary<T>>... choices) {
        List<Tuple2<Integer, Arbitrary<T>>> l = new ArrayList<>(choices.length);
        for (Tuple2<Integer, Arbitrary<T>> c : choices) {
            l.add(c);
        }
        return Arbitraries.frequencyOf(l);
    }

    private static <T> Tuple2<Integer, Arbitrary<T>> w(int weight, Arbitrary<T> a) {
        return Tuple.of(weight, a);
    }

    /** Integer register values, biased to edge values. */
    public Arbitrary<Long> intValue() {
        return weighted(
                w(5, Arbitraries.of(boxed(INT_EDGES))),
                w(3, Arbitraries.randomValue(Random::nextLong)),
                w(2, Arbitraries.randomValue(r -> (long) r.nextInt())),
                w(2, Arbitraries.longs().between(-300, 300)),
                w(1, Arbitraries.randomValue(r -> (r.nextBoolean() ? 1L : -1L) << r.nextInt(64))),
                w(1, Arbitraries.randomValue(r -> r.nextLong() >>> r.nextInt(64))));
    }

    /** FP register values: doubles and NaN-boxed singles, edge-biased, plus raw patterns (improperly boxed). */
    public Arbitrary<Long> fpValue() {
        if (fpFocus) {
            return weighted(
                    w(5, Arbitraries.of(boxed(DOUBLE_EDGES))),
                    w(5, Arbitraries.of(boxedFloats(FLOAT_EDGES))),
                    w(1, Arbitraries.randomValue(r -> bits(niceDouble(r)))),
                    w(1, Arbitraries.randomValue(r -> box(fbits((float) niceDouble(r))))));
        }
        return weighted(
                w(4, Arbitraries.of(boxed(DOUBLE_EDGES))),
                w(4, Arbitraries.of(boxedFloats(FLOAT_EDGES))),
                w(2, Arbitraries.randomValue(Random::nextLong)),
                w(2, Arbitraries.randomValue(r -> box(r.nextInt()))),
                w(2, Arbitraries.randomValue(r -> bits(niceDouble(r)))),
                w(2, Arbitraries.randomValue(r -> box(fbits((float) niceDouble(r))))),
                w(1, Arbitraries.randomValue(r -> (r.nextLong() & 0x7FFFFFFF00000000L) | (r.nextInt() & 0xFFFFFFFFL))));
    }

    /** Small integers, halves, powers of two and moderate random magnitudes, with random sign. */
    private static double niceDouble(Random r) {
        double v = switch (r.nextInt(5)) {
            case 0 -> r.nextInt(100);
            case 1 -> r.nextInt(1000) / 2.0;
            case 2 -> Math.scalb(1.0, r.nextInt(140) - 70);
            case 3 -> r.nextDouble() * Math.scalb(1.0, r.nextInt(80) - 10);
            default -> Math.scalb(r.nextDouble(), r.nextInt(2100) - 1075);
        };
        return r.nextBoolean() ? -v : v;
    }

    private static List<Long> boxed(long[] values) {
        List<Long> l = new ArrayList<>();
        for (long v : values) {
            l.add(v);
        }
        return l;
    }

    private static List<Long> boxedFloats(int[] values) {
        List<Long> l = new ArrayList<>();
        for (int v : values) {
            l.add(box(v));
        }
        return l;
    }

    // =====================================================================================================
    // sequences
    // =====================================================================================================

    public Arbitrary<Sequence> sequence() {
        Arbitrary<List<GuestOp>> ops = op().list().ofMinSize(1).ofMaxSize(MAX_OPS);
        Arbitrary<long[]> xs = intValue().list().ofSize(32).map(SequenceArbitraries::toArray);
        Arbitrary<long[]> fs = fpValue().list().ofSize(32).map(SequenceArbitraries::toArray);
        Arbitrary<Integer> frm = Arbitraries.integers().between(0, 4);
        Arbitrary<byte[]> scratch = weighted(w(1, intValue()), w(1, fpValue()))
                .list().ofSize(Sequence.SCRATCH_SIZE / 8).map(SequenceArbitraries::toBytes);
        return Combinators.combine(ops, xs, fs, frm, scratch).as(Sequence::new);
    }

    /** A batch of {@code size} sequences. */
    public Arbitrary<Batch> batch(int size) {
        return sequence().list().ofSize(size).map(l -> new Batch(xlen, l));
    }

    private static long[] toArray(List<Long> l) {
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    private static byte[] toBytes(List<Long> l) {
        byte[] b = new byte[l.size() * 8];
        for (int i = 0; i < l.size(); i++) {
            long v = l.get(i);
            for (int k = 0; k < 8; k++) {
                b[8 * i + k] = (byte) (v >>> (8 * k));
            }
        }
        return b;
    }

    // =====================================================================================================
    // operands
    // =====================================================================================================

    /** Destination: any register but the base; x0 now and then. */
    private Arbitrary<Integer> rd() {
        return weighted(w(1, Arbitraries.just(0)), w(30, rdNonZero()));
    }

    private Arbitrary<Integer> rdNonZero() {
        return Arbitraries.integers().between(1, 31).filter(r -> r != BatchProgram.BASE);
    }

    /** Source: any register (reading x0 and the base register is fine). */
    private Arbitrary<Integer> rs() {
        return Arbitraries.integers().between(0, 31);
    }

    private Arbitrary<Integer> fr() {
        return Arbitraries.integers().between(0, 31);
    }

    private static Arbitrary<Integer> creg() {
        return Arbitraries.integers().between(8, 15);
    }

    /** Rounding mode: dynamic most often, else one of the five static modes. */
    private static Arbitrary<Integer> rm() {
        return weighted(w(5, Arbitraries.just(Asm.DYN)), w(6, Arbitraries.integers().between(0, 4)));
    }

    private static Arbitrary<Integer> imm12() {
        return weighted(
                w(3, Arbitraries.integers().between(-2048, 2047)),
                w(2, Arbitraries.of(-2048, 2047, 0, -1, 1, 0x7FF, -2, 31, 32, 63, 64)),
                w(2, Arbitraries.integers().between(-64, 64)));
    }

    private static Arbitrary<Integer> shamt(int bits) {
        int max = (1 << bits) - 1;
        return weighted(
                w(3, Arbitraries.integers().between(0, max)),
                w(1, Arbitraries.of(0, 1, max, max - 1, 31, 16, 8).filter(v -> v >= 0 && v <= max)));
    }

    private static Arbitrary<Integer> imm6() {
        return Arbitraries.integers().between(-32, 31);
    }

    private static Arbitrary<Integer> nzimm6() {
        return imm6().filter(v -> v != 0);
    }

    private static Arbitrary<Integer> upper20() {
        return weighted(w(3, Arbitraries.integers().between(0, 0xFFFFF)),
                w(1, Arbitraries.of(0, 1, 0x7FFFF, 0x80000, 0xFFFFF)));
    }

    private static Arbitrary<Integer> skip() {
        return Arbitraries.integers().between(0, 3);
    }

    // =====================================================================================================
    // operations
    // =====================================================================================================

    @FunctionalInterface
    interface I3 {
        Asm emit(Asm a, int p1, int p2, int p3);
    }

    @FunctionalInterface
    interface I2 {
        Asm emit(Asm a, int p1, int p2);
    }

    @FunctionalInterface
    interface I4 {
        Asm emit(Asm a, int p1, int p2, int p3, int p4);
    }

    @FunctionalInterface
    interface I5 {
        Asm emit(Asm a, int p1, int p2, int p3, int p4, int p5);
    }

    @SafeVarargs
    private static <T> List<T> list(T... items) {
        List<T> l = new ArrayList<>(items.length);
        for (T t : items) {
            l.add(t);
        }
        return l;
    }

    private Arbitrary<GuestOp> r3(List<I3> ops, Arbitrary<Integer> a1, Arbitrary<Integer> a2, Arbitrary<Integer> a3) {
        return Combinators.combine(Arbitraries.of(ops), a1, a2, a3)
                .as((op, p1, p2, p3) -> GuestOp.of(a -> op.emit(a, p1, p2, p3)));
    }

    private Arbitrary<GuestOp> r2(List<I2> ops, Arbitrary<Integer> a1, Arbitrary<Integer> a2) {
        return Combinators.combine(Arbitraries.of(ops), a1, a2).as((op, p1, p2) -> GuestOp.of(a -> op.emit(a, p1, p2)));
    }

    /** All operations, weighted by category. */
    public Arbitrary<GuestOp> op() {
        List<Tuple2<Integer, Arbitrary<GuestOp>>> c = new ArrayList<>();
        if (fpFocus) {
            c.add(w(8, fpArithOps()));
            c.add(w(3, fpSqrtOps()));
            c.add(w(8, fpFmaOps()));
            c.add(w(5, fpSignMinMaxOps()));
            c.add(w(4, fpCompareOps()));
            c.add(w(2, fpClassOps()));
            c.add(w(5, fpToIntOps()));
            c.add(w(3, intToFpOps()));
            c.add(w(4, fpFpConvertOps()));
            c.add(w(1, fpMoveOps()));
            c.add(w(2, csrOps()));
            return Arbitraries.frequencyOf(c);
        }
        c.add(w(10, intRegOps()));
        c.add(w(6, intImmOps()));
        c.add(w(6, shiftImmOps()));
        c.add(w(2, upperOps()));
        c.add(w(6, mulDivOps()));
        c.add(w(6, mulDivEdgeOps()));
        c.add(w(8, bitmanipRegOps()));
        c.add(w(4, bitmanipUnaryOps()));
        c.add(w(8, fpArithOps()));
        c.add(w(3, fpSqrtOps()));
        c.add(w(5, fpFmaOps()));
        c.add(w(4, fpSignMinMaxOps()));
        c.add(w(3, fpCompareOps()));
        c.add(w(2, fpClassOps()));
        c.add(w(5, fpToIntOps()));
        c.add(w(5, intToFpOps()));
        c.add(w(2, fpFpConvertOps()));
        c.add(w(3, fpMoveOps()));
        c.add(w(3, fpEdgeOps()));
        c.add(w(4, loadOps()));
        c.add(w(4, storeOps()));
        c.add(w(3, fpMemOps()));
        c.add(w(2, amoOps()));
        c.add(w(1, lrScOps()));
        c.add(w(3, csrOps()));
        c.add(w(3, branchOps()));
        c.add(w(1, jalOps()));
        c.add(w(5, compressedOps()));
        c.add(w(1, compressedBranchOps()));
        return Arbitraries.frequencyOf(c);
    }

    private Arbitrary<GuestOp> intRegOps() {
        List<I3> ops = list(Asm::add, Asm::sub, Asm::sll, Asm::slt, Asm::sltu, Asm::xor, Asm::srl, Asm::sra, Asm::or,
                Asm::and);
        if (rv64) {
            ops.addAll(List.of(Asm::addw, Asm::subw, Asm::sllw, Asm::srlw, Asm::sraw));
        }
        return r3(ops, rd(), rs(), rs());
    }

    private Arbitrary<GuestOp> intImmOps() {
        List<I3> ops = list(Asm::addi, Asm::slti, Asm::sltiu, Asm::xori, Asm::ori, Asm::andi);
        if (rv64) {
            ops.add(Asm::addiw);
        }
        return r3(ops, rd(), rs(), imm12());
    }

    private Arbitrary<GuestOp> shiftImmOps() {
        List<I3> ops = list(Asm::slli, Asm::srli, Asm::srai, Asm::rori, Asm::bclri, Asm::bexti, Asm::binvi,
                Asm::bseti);
        Arbitrary<GuestOp> full;
        if (rv64) {
            ops.add(Asm::slliUw);
            full = r3(ops, rd(), rs(), shamt(6));
            Arbitrary<GuestOp> word = r3(list(Asm::slliw, Asm::srliw, Asm::sraiw, Asm::roriw), rd(), rs(), shamt(5));
            return weighted(w(3, full), w(2, word));
        }
        return r3(ops, rd(), rs(), shamt(5));
    }

    private Arbitrary<GuestOp> upperOps() {
        return r2(list(Asm::lui, Asm::auipc), rd(), upper20());
    }

    private List<I3> mulDivList() {
        List<I3> ops = list(Asm::mul, Asm::mulh, Asm::mulhsu, Asm::mulhu, Asm::div, Asm::divu, Asm::rem, Asm::remu);
        if (rv64) {
            ops.addAll(List.of(Asm::mulw, Asm::divw, Asm::divuw, Asm::remw, Asm::remuw));
        }
        return ops;
    }

    private Arbitrary<GuestOp> mulDivOps() {
        return r3(mulDivList(), rd(), rs(), rs());
    }

    /** M instruction whose two operands are first loaded with (edge-biased) constants. */
    private Arbitrary<GuestOp> mulDivEdgeOps() {
        return Combinators.combine(Arbitraries.of(mulDivList()), rd(), rdNonZero(), rdNonZero(), intValue(),
                intValue()).as((op, d, s1, s2, v1, v2) -> GuestOp.of(a -> {
                    a.li(s1, fit(v1));
                    a.li(s2, fit(v2));
                    op.emit(a, d, s1, s2);
                }));
    }

    private long fit(long v) {
        return rv64 ? v : (int) v;
    }

    private Arbitrary<GuestOp> bitmanipRegOps() {
        List<I3> ops = list(Asm::sh1add, Asm::sh2add, Asm::sh3add, Asm::andn, Asm::orn, Asm::xnor, Asm::max,
                Asm::maxu, Asm::min, Asm::minu, Asm::rol, Asm::ror, Asm::clmul, Asm::clmulh, Asm::clmulr, Asm::bclr,
                Asm::bext, Asm::binv, Asm::bset);
        if (rv64) {
            ops.addAll(List.of(Asm::addUw, Asm::sh1addUw, Asm::sh2addUw, Asm::sh3addUw, Asm::rolw, Asm::rorw));
        }
        return r3(ops, rd(), rs(), rs());
    }

    private Arbitrary<GuestOp> bitmanipUnaryOps() {
        List<I2> ops = list(Asm::clz, Asm::ctz, Asm::cpop, Asm::sextB, Asm::sextH, Asm::zextH, Asm::orcB, Asm::rev8);
        if (rv64) {
            ops.addAll(List.of(Asm::clzw, Asm::cpopw));
            return Arbitraries.frequencyOf(List.of(w(10, r2(ops, rd(), rs())), w(1, ctzwOps())));
        }
        return r2(ops, rd(), rs());
    }

    /**
     * {@code bseti rd, rs, k; ctzw rd, rd} with k < 32. qemu 7.2 computes ctzw of a value whose low word is zero
     * as the 64-bit trailing-zero count (e.g. 48 for 0xffff000000000000) instead of 32, so the operand's low word is
     * made non-zero first; the zero case is checked against the specification in {@link DifferentialSmokeTest}.
     */
    private Arbitrary<GuestOp> ctzwOps() {
        return Combinators.combine(rdNonZero(), rs(), Arbitraries.integers().between(0, 31))
                .as((d, s, k) -> GuestOp.of(a -> a.bseti(d, s, k).ctzw(d, d)));
    }

    private static Arbitrary<Integer> fmt() {
        return Arbitraries.integers().between(0, 1);
    }

    private Arbitrary<GuestOp> fpArithOps() {
        return Combinators.combine(Arbitraries.of("fadd", "fsub", "fmul", "fdiv"), fmt(), fr(), fr(), fr(), rm())
                .as((name, fmt, d, s1, s2, rm) -> GuestOp.of(a -> a.fpBinary(name, fmt, d, s1, s2, rm)));
    }

    private Arbitrary<GuestOp> fpSqrtOps() {
        return Combinators.combine(fmt(), fr(), fr(), rm()).as((fmt, d, s, rm) -> GuestOp.of(a -> {
            if (fmt == 0) {
                a.fsqrtS(d, s, rm);
            } else {
                a.fsqrtD(d, s, rm);
            }
        }));
    }

    private Arbitrary<GuestOp> fpFmaOps() {
        return Combinators.combine(Arbitraries.of("fmadd", "fmsub", "fnmsub", "fnmadd"), fmt(), fr(), fr(), fr(), fr(),
                rm()).as((name, fmt, d, s1, s2, s3, rm) -> GuestOp.of(a -> a.fpFma(name, fmt, d, s1, s2, s3, rm)));
    }

    private Arbitrary<GuestOp> fpSignMinMaxOps() {
        List<I3> ops = list(Asm::fsgnjS, Asm::fsgnjnS, Asm::fsgnjxS, Asm::fsgnjD, Asm::fsgnjnD, Asm::fsgnjxD,
                Asm::fminS, Asm::fmaxS, Asm::fminD, Asm::fmaxD);
        return r3(ops, fr(), fr(), fr());
    }

    private Arbitrary<GuestOp> fpCompareOps() {
        return r3(list(Asm::feqS, Asm::fltS, Asm::fleS, Asm::feqD, Asm::fltD, Asm::fleD), rd(), fr(), fr());
    }

    private Arbitrary<GuestOp> fpClassOps() {
        return r2(list(Asm::fclassS, Asm::fclassD), rd(), fr());
    }

    private Arbitrary<Integer> intKind() {
        return Arbitraries.integers().between(0, rv64 ? 3 : 1);
    }

    private Arbitrary<GuestOp> fpToIntOps() {
        return Combinators.combine(intKind(), fmt(), rd(), fr(), rm())
                .as((k, fmt, d, s, rm) -> GuestOp.of(a -> a.fcvtToInt(k, fmt, d, s, rm)));
    }

    private Arbitrary<GuestOp> intToFpOps() {
        return Combinators.combine(intKind(), fmt(), fr(), rs(), rm())
                .as((k, fmt, d, s, rm) -> GuestOp.of(a -> a.fcvtFromInt(k, fmt, d, s, rm)));
    }

    private Arbitrary<GuestOp> fpFpConvertOps() {
        return Combinators.combine(Arbitraries.of(true, false), fr(), fr(), rm()).as((toSingle, d, s, rm) ->
                GuestOp.of(a -> {
                    if (toSingle) {
                        a.fcvtSD(d, s, rm);
                    } else {
                        a.fcvtDS(d, s, rm);
                    }
                }));
    }

    private Arbitrary<GuestOp> fpMoveOps() {
        Arbitrary<GuestOp> toX = r2(rv64 ? list(Asm::fmvXW, Asm::fmvXD) : list(Asm::fmvXW), rd(), fr());
        Arbitrary<GuestOp> toF = r2(rv64 ? list(Asm::fmvWX, Asm::fmvDX) : list(Asm::fmvWX), fr(), rs());
        return Arbitraries.oneOf(toX, toF);
    }

    /** Loads an edge FP value into an FP register through an integer register (fmv.w.x, or fmv.d.x on RV64). */
    private Arbitrary<GuestOp> fpEdgeOps() {
        Arbitrary<GuestOp> single = Combinators.combine(rdNonZero(), fr(), Arbitraries.of(boxedFloats(FLOAT_EDGES)))
                .as((t, d, v) -> GuestOp.of(a -> a.li(t, (int) (long) v).fmvWX(d, t)));
        if (!rv64) {
            return single;
        }
        Arbitrary<GuestOp> dbl = Combinators.combine(rdNonZero(), fr(), Arbitraries.of(boxed(DOUBLE_EDGES)))
                .as((t, d, v) -> GuestOp.of(a -> a.li(t, v).fmvDX(d, t)));
        return Arbitraries.oneOf(single, dbl);
    }

    private record MemOp(I3 op, int size) {
    }

    private Arbitrary<GuestOp> memOps(List<MemOp> ops, Arbitrary<Integer> reg) {
        return Arbitraries.of(ops).flatMap(m -> Combinators.combine(reg,
                Arbitraries.integers().between(0, Sequence.SCRATCH_SIZE - m.size()))
                .as((r, off) -> GuestOp.of(a -> m.op().emit(a, r, off, BatchProgram.BASE))));
    }

    private Arbitrary<GuestOp> loadOps() {
        List<MemOp> ops = list(new MemOp(Asm::lb, 1), new MemOp(Asm::lh, 2), new MemOp(Asm::lw, 4),
                new MemOp(Asm::lbu, 1), new MemOp(Asm::lhu, 2));
        if (rv64) {
            ops.addAll(List.of(new MemOp(Asm::lwu, 4), new MemOp(Asm::ld, 8)));
        }
        return memOps(ops, rd());
    }

    private Arbitrary<GuestOp> storeOps() {
        List<MemOp> ops = list(new MemOp(Asm::sb, 1), new MemOp(Asm::sh, 2), new MemOp(Asm::sw, 4));
        if (rv64) {
            ops.add(new MemOp(Asm::sd, 8));
        }
        return memOps(ops, rs());
    }

    private Arbitrary<GuestOp> fpMemOps() {
        return memOps(list(new MemOp(Asm::flw, 4), new MemOp(Asm::fld, 8), new MemOp(Asm::fsw, 4),
                new MemOp(Asm::fsd, 8)), fr());
    }

    /** {@code addi t, base, off; amo<op>.<w|d>[.aq][.rl] rd, rs2, (t)} on an aligned scratch location. */
    private Arbitrary<GuestOp> amoOps() {
        Arbitrary<Boolean> dword = rv64 ? Arbitraries.of(true, false) : Arbitraries.just(false);
        return Combinators.combine(Arbitraries.of(Asm.AMO_OPS), dword, rd(), rs(), rdNonZero(),
                Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 3))
                .as((op, d, rd, rs2, t, slot, order) -> GuestOp.of(a -> {
                    int size = d ? 8 : 4;
                    a.addi(t, BatchProgram.BASE, slot * 8 + (d ? 0 : size * (slot & 1)));
                    a.amo(op, d, rd, rs2, t, (order & 1) != 0, (order & 2) != 0);
                }));
    }

    /** {@code addi t, base, off; lr rd, (t); sc rd2, rs2, (t)} with rd != t. */
    private Arbitrary<GuestOp> lrScOps() {
        Arbitrary<Boolean> dword = rv64 ? Arbitraries.of(true, false) : Arbitraries.just(false);
        return Combinators.combine(dword, rdNonZero(), rd(), rd(), rs(), Arbitraries.integers().between(0, 7))
                .as((d, tmp, rd, rd2, rs2, slot) -> GuestOp.of(a -> {
                    int t = tmp;
                    if (t == rd) {   // lr must not overwrite the address sc needs
                        t = t == 31 ? 30 : t + 1;
                        t = t == BatchProgram.BASE ? t + 1 : t;
                    }
                    a.addi(t, BatchProgram.BASE, slot * 8);
                    if (d) {
                        a.lrD(rd, t).scD(rd2, rs2, t);
                    } else {
                        a.lrW(rd, t).scW(rd2, rs2, t);
                    }
                }));
    }

    private Arbitrary<GuestOp> csrOps() {
        Arbitrary<GuestOp> setFrm = Combinators.combine(rd(), Arbitraries.integers().between(0, 4))
                .as((d, v) -> GuestOp.of(a -> a.csrrwi(d, Asm.CSR_FRM, v)));
        Arbitrary<GuestOp> flagsImm = Combinators.combine(Arbitraries.of(0, 1), rd(),
                Arbitraries.integers().between(0, 31)).as((k, d, v) -> GuestOp.of(a -> {
                    if (k == 0) {
                        a.csrrsi(d, Asm.CSR_FFLAGS, v);
                    } else {
                        a.csrrci(d, Asm.CSR_FFLAGS, v);
                    }
                }));
        Arbitrary<GuestOp> flagsReg = Combinators.combine(rd(), rs())
                .as((d, s) -> GuestOp.of(a -> a.csrrw(d, Asm.CSR_FFLAGS, s)));
        Arbitrary<GuestOp> read = Combinators.combine(rd(), Arbitraries.of(Asm.CSR_FFLAGS, Asm.CSR_FRM, Asm.CSR_FCSR))
                .as((d, csr) -> GuestOp.of(a -> a.csrr(d, csr)));
        Arbitrary<GuestOp> fcsrImm = Combinators.combine(rd(), Arbitraries.integers().between(0, 31))
                .as((d, v) -> GuestOp.of(a -> a.csrrwi(d, Asm.CSR_FCSR, v)));
        return weighted(w(3, setFrm), w(2, flagsImm), w(1, flagsReg), w(2, read), w(1, fcsrImm));
    }

    private Arbitrary<GuestOp> branchOps() {
        return Combinators.combine(Arbitraries.of(0, 1, 4, 5, 6, 7), rs(), rs(), skip())
                .as((f3, s1, s2, skip) -> GuestOp.branch(skip, (a, target) -> {
                    switch (f3) {
                        case 0 -> a.beq(s1, s2, target);
                        case 1 -> a.bne(s1, s2, target);
                        case 4 -> a.blt(s1, s2, target);
                        case 5 -> a.bge(s1, s2, target);
                        case 6 -> a.bltu(s1, s2, target);
                        default -> a.bgeu(s1, s2, target);
                    }
                }));
    }

    private Arbitrary<GuestOp> jalOps() {
        return Combinators.combine(rd(), skip()).as((d, skip) -> GuestOp.branch(skip, (a, t) -> a.jal(d, t)));
    }

    private Arbitrary<GuestOp> compressedOps() {
        List<Arbitrary<GuestOp>> l = new ArrayList<>();
        l.add(Combinators.combine(rdNonZero(), nzimm6()).as((d, v) -> GuestOp.of(a -> a.cAddi(d, v))));
        l.add(Combinators.combine(rdNonZero(), imm6()).as((d, v) -> GuestOp.of(a -> a.cLi(d, v))));
        l.add(Combinators.combine(rdNonZero().filter(r -> r != 2), nzimm6()).as((d, v) -> GuestOp.of(a -> a.cLui(d, v))));
        l.add(Combinators.combine(rdNonZero(), Arbitraries.integers().between(1, xlen - 1))
                .as((d, v) -> GuestOp.of(a -> a.cSlli(d, v))));
        l.add(Combinators.combine(Arbitraries.of(0, 1), creg(), Arbitraries.integers().between(1, xlen - 1))
                .as((k, d, v) -> GuestOp.of(a -> {
                    if (k == 0) {
                        a.cSrli(d, v);
                    } else {
                        a.cSrai(d, v);
                    }
                })));
        l.add(Combinators.combine(creg(), imm6()).as((d, v) -> GuestOp.of(a -> a.cAndi(d, v))));
        List<I2> ca = list(Asm::cSub, Asm::cXor, Asm::cOr, Asm::cAnd);
        if (rv64) {
            ca.addAll(List.of(Asm::cAddw, Asm::cSubw));
            l.add(Combinators.combine(rdNonZero(), imm6()).as((d, v) -> GuestOp.of(a -> a.cAddiw(d, v))));
        }
        l.add(r2(ca, creg(), creg()));
        l.add(r2(list(Asm::cMv, Asm::cAdd), rdNonZero(), Arbitraries.integers().between(1, 31)));
        return Arbitraries.oneOf(l);
    }

    private Arbitrary<GuestOp> compressedBranchOps() {
        return Combinators.combine(Arbitraries.of(true, false), creg(), skip())
                .as((eq, s, skip) -> GuestOp.branch(skip, (a, t) -> {
                    if (eq) {
                        a.cBeqz(s, t);
                    } else {
                        a.cBnez(s, t);
                    }
                }));
    }
}
