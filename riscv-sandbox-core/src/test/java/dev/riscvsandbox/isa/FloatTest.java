package dev.riscvsandbox.isa;

import static dev.riscvsandbox.isa.InstructionHarness.DATA;
import static dev.riscvsandbox.isa.InstructionHarness.DATA_SIZE;
import static dev.riscvsandbox.isa.InstructionHarness.assertF;
import static dev.riscvsandbox.isa.InstructionHarness.assertFflags;
import static dev.riscvsandbox.isa.InstructionHarness.assertIllegal;
import static dev.riscvsandbox.isa.InstructionHarness.assertX;
import static dev.riscvsandbox.isa.InstructionHarness.exec;
import static dev.riscvsandbox.isa.InstructionHarness.hex;
import static dev.riscvsandbox.isa.InstructionHarness.run;
import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A3;
import static dev.riscvsandbox.testutil.Asm.A4;
import static dev.riscvsandbox.testutil.Asm.A5;
import static dev.riscvsandbox.testutil.Asm.CSR_FCSR;
import static dev.riscvsandbox.testutil.Asm.CSR_FFLAGS;
import static dev.riscvsandbox.testutil.Asm.CSR_FRM;
import static dev.riscvsandbox.testutil.Asm.DYN;
import static dev.riscvsandbox.testutil.Asm.RDN;
import static dev.riscvsandbox.testutil.Asm.RMM;
import static dev.riscvsandbox.testutil.Asm.RNE;
import static dev.riscvsandbox.testutil.Asm.RTZ;
import static dev.riscvsandbox.testutil.Asm.RUP;
import static dev.riscvsandbox.testutil.Asm.S1;
import static dev.riscvsandbox.testutil.Asm.T0;
import static dev.riscvsandbox.testutil.Asm.ZERO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.isa.InstructionHarness.R;
import dev.riscvsandbox.isa.InstructionHarness.Run;
import dev.riscvsandbox.isa.InstructionHarness.U;
import dev.riscvsandbox.testutil.Asm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * F and D through the interpreter: loads and stores, NaN-boxing, moves, rounding modes (static, dynamic, invalid),
 * fflags accrual and the CSRs, the fused multiply-adds, comparisons, classification, conversions. The bit-exact
 * IEEE arithmetic is tested in {@code FpOpsTest}; here the point is that operands, results, rounding modes and flags
 * travel correctly between registers, memory, CSRs and the helpers.
 */
class FloatTest {

    // single precision
    static final int S_ONE = 0x3F80_0000, S_TWO = 0x4000_0000, S_THREE = 0x4040_0000, S_FOUR = 0x4080_0000;
    static final int S_MINUS_ONE = 0xBF80_0000, S_HALF = 0x3F00_0000, S_ONE_HALF = 0x3FC0_0000;
    static final int S_2_5 = 0x4020_0000, S_M2_5 = 0xC020_0000, S_ZERO = 0, S_MZERO = 0x8000_0000;
    static final int S_INF = 0x7F80_0000, S_MINF = 0xFF80_0000, S_QNAN = 0x7FC0_0000, S_SNAN = 0x7F80_0001;
    static final int S_MAX = 0x7F7F_FFFF, S_TINY = 0x0DA2_4260; // ~1e-30
    // double precision
    static final long D_ONE = 0x3FF0_0000_0000_0000L, D_TWO = 0x4000_0000_0000_0000L;
    static final long D_THREE = 0x4008_0000_0000_0000L, D_FOUR = 0x4010_0000_0000_0000L;
    static final long D_MINUS_ONE = 0xBFF0_0000_0000_0000L, D_2_5 = 0x4004_0000_0000_0000L;
    static final long D_M2_5 = 0xC004_0000_0000_0000L, D_ZERO = 0, D_MZERO = 0x8000_0000_0000_0000L;
    static final long D_INF = 0x7FF0_0000_0000_0000L, D_MINF = 0xFFF0_0000_0000_0000L;
    static final long D_QNAN = 0x7FF8_0000_0000_0000L, D_SNAN = 0x7FF0_0000_0000_0001L;
    static final long D_PI = 0x4009_21FB_5444_2D18L;

    static final long BOX = 0xFFFF_FFFF_0000_0000L;

    static long boxed(int single) {
        return BOX | (single & 0xFFFF_FFFFL);
    }

    /** Constants placed in the second data page and loaded through s1 (= DATA + 0x1000). */
    static final class Consts {
        static final long BASE = DATA + 0x1000;
        final byte[] data = new byte[DATA_SIZE];
        private final ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        private int next;

        /** Starts a new emission of the same program (the constants land at the same offsets again). */
        void reset() {
            next = 0x1000;
        }

        /** Emits {@code fld freg, c}. */
        void d(Asm a, int freg, long bits) {
            buf.putLong(next, bits);
            a.fld(freg, next - 0x1000, S1);
            next += 8;
        }

        /** Emits {@code flw freg, c} (the register ends up NaN-boxed). */
        void s(Asm a, int freg, int bits) {
            buf.putInt(next, bits);
            a.flw(freg, next - 0x1000, S1);
            next += 8;
        }
    }

    /** Runs a program that may use {@link Consts}; s1 is set up before the body. */
    static Run fp(int xlen, BiConsumer<Asm, Consts> body) {
        Consts c = new Consts();
        return exec(xlen, c.data, a -> {
            c.reset();
            a.li(S1, Consts.BASE);
            body.accept(a, c);
        });
    }

    /** The 32-bit encoding of the single instruction {@code body} emits. */
    static int bitsOf(int xlen, InstructionHarness.Body body) {
        Asm a = new Asm(xlen, 0);
        body.emit(a);
        return a.lines().get(0).bits();
    }

    // ---- loads and stores

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void loadsAndStores(int xlen) {
        Run r = fp(xlen, (a, c) -> {
            c.s(a, 0, S_ONE_HALF);
            c.d(a, 1, D_PI);
            a.li(A1, DATA);
            a.fsw(0, 0, A1);
            a.fsd(1, 8, A1);
            a.li(A2, DATA + 0x20);
            a.flw(31, -32, A2);          // negative offset, highest register
            a.fld(30, -24, A2);
            a.fsd(31, 16, A1);           // the boxed single as 64 bits
        });
        assertF(r, 0, boxed(S_ONE_HALF));
        assertF(r, 1, D_PI);
        assertF(r, 31, boxed(S_ONE_HALF));
        assertF(r, 30, D_PI);
        assertEquals(S_ONE_HALF, r.mem32(DATA));
        assertEquals(0, r.mem32(DATA + 4), "fsw writes 4 bytes only");
        assertEquals(hex(D_PI), hex(r.mem64(DATA + 8)));
        assertEquals(hex(boxed(S_ONE_HALF)), hex(r.mem64(DATA + 16)));
        assertFflags(r, 0);
    }

    // ---- NaN-boxing

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void unboxedSingleOperandsAreCanonicalNaNs(int xlen) {
        long unboxed = 0x1234_5678_0000_0000L | S_ONE;
        Run r = fp(xlen, (a, c) -> {
            c.d(a, 1, unboxed);
            c.d(a, 2, 0xFFFF_FFFE_0000_0000L | S_ONE);    // one upper bit missing: also not boxed
            c.s(a, 10, S_ONE);
            a.faddS(3, 1, 1);
            a.faddS(4, 2, 10);
            a.fsgnjS(5, 1, 1);                                // fmv.s
            a.fsgnjnS(6, 1, 1);                               // fneg.s
            a.fminS(7, 1, 10);                                // NaN operand: the other one wins
            a.fcvtDS(8, 1);
            a.fclassS(A0, 1);
            a.feqS(A1, 1, 1);
            a.fcvtWS(A2, 1, RTZ);                             // NaN → max int, NV
        });
        assertF(r, 3, boxed(S_QNAN));
        assertF(r, 4, boxed(S_QNAN));
        assertF(r, 5, boxed(S_QNAN));
        assertF(r, 6, boxed(0xFFC0_0000));
        assertF(r, 7, boxed(S_ONE));
        assertF(r, 8, D_QNAN);
        assertX(r, A0, 1 << 9, "fclass.s: quiet NaN");
        assertX(r, A1, 0);
        assertX(r, A2, 0x7FFF_FFFF);
        assertFflags(r, 0x10);   // only the conversion of the NaN is invalid; a canonical NaN is quiet
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void transfersOfUnboxedValuesUseTheLow32Bits(int xlen) {
        Run r = fp(xlen, (a, c) -> {
            c.d(a, 1, 0x1234_5678_0000_0000L | (S_MINUS_ONE & 0xFFFF_FFFFL));
            a.li(A1, DATA);
            a.fsw(1, 0, A1);
            a.fmvXW(A0, 1);
        });
        assertEquals(S_MINUS_ONE, r.mem32(DATA));
        assertX(r, A0, 0xFFFF_FFFF_BF80_0000L);
        assertFflags(r, 0);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void fmvWXBoxesAndFmvXWSignExtends(int xlen) {
        Run r = fp(xlen, (a, c) -> {
            a.li(A1, xlen == 64 ? 0x1234_5678_BF80_0000L : 0xBF80_0000L);
            a.fmvWX(2, A1);
            a.fmvXW(A0, 2);
            a.li(A2, S_ONE);
            a.fmvWX(3, A2);
            a.fmvXW(A3, 3);
            a.li(A4, 0x8000_0000L);
            a.fmvWX(4, A4);
            a.fmvXW(A5, 4);
            a.faddS(5, 2, 3);                                 // -1 + 1 = +0 (result boxed)
        });
        assertF(r, 2, boxed(S_MINUS_ONE));
        assertX(r, A0, 0xFFFF_FFFF_BF80_0000L);
        assertX(r, A3, S_ONE);
        assertX(r, A5, 0xFFFF_FFFF_8000_0000L);
        assertF(r, 5, boxed(0));
    }

    @Test
    void fmvXDAndFmvDXAreRawMoves() {
        Run r = fp(64, (a, c) -> {
            a.li(A1, D_SNAN);
            a.fmvDX(1, A1);
            a.fmvXD(A0, 1);
            a.li(A2, 0xFFFF_FFFF_7F80_0001L);   // a boxed signalling NaN
            a.fmvDX(2, A2);
            a.fmvXW(A3, 2);
        });
        assertF(r, 1, D_SNAN);
        assertX(r, A0, D_SNAN);
        assertX(r, A3, 0x7F80_0001);
        assertFflags(r, 0);
    }

    // ---- rounding modes: static, dynamic, invalid

    static Stream<Arguments> roundingModes() {
        // rm, fcvt.w(2.5), fcvt.w(-2.5), 1/3 (single), -1/3 (single), 1/3 (double)
        return Stream.of(
                Arguments.of(RNE, 2, -2, 0x3EAA_AAAB, 0xBEAA_AAAB, 0x3FD5_5555_5555_5555L),
                Arguments.of(RTZ, 2, -2, 0x3EAA_AAAA, 0xBEAA_AAAA, 0x3FD5_5555_5555_5555L),
                Arguments.of(RDN, 2, -3, 0x3EAA_AAAA, 0xBEAA_AAAB, 0x3FD5_5555_5555_5555L),
                Arguments.of(RUP, 3, -2, 0x3EAA_AAAB, 0xBEAA_AAAA, 0x3FD5_5555_5555_5556L),
                Arguments.of(RMM, 3, -3, 0x3EAA_AAAB, 0xBEAA_AAAB, 0x3FD5_5555_5555_5555L));
    }

    @ParameterizedTest(name = "rm={0}")
    @MethodSource("roundingModes")
    void staticRoundingMode(int rm, int up, int down, int third, int minusThird, long thirdD) {
        for (int xlen : new int[] {32, 64}) {
            Run r = fp(xlen, (a, c) -> {
                a.csrwi(CSR_FRM, rm == RNE ? RUP : RNE);         // frm must not matter
                c.s(a, 1, S_2_5);
                c.s(a, 2, S_M2_5);
                c.s(a, 3, S_ONE);
                c.s(a, 4, S_THREE);
                c.s(a, 5, 0xBF80_0000);
                c.d(a, 6, D_ONE);
                c.d(a, 7, D_THREE);
                c.d(a, 8, D_M2_5);
                a.fcvtWS(A0, 1, rm);
                a.fcvtWS(A1, 2, rm);
                a.fdivS(10, 3, 4, rm);
                a.fdivS(11, 5, 4, rm);
                a.fdivD(12, 6, 7, rm);
                a.fcvtWD(A2, 8, rm);
            });
            check(r, up, down, third, minusThird, thirdD);
        }
    }

    @ParameterizedTest(name = "frm={0}")
    @MethodSource("roundingModes")
    void dynamicRoundingModeComesFromFrm(int rm, int up, int down, int third, int minusThird, long thirdD) {
        for (int xlen : new int[] {32, 64}) {
            Run r = fp(xlen, (a, c) -> {
                c.s(a, 1, S_2_5);
                c.s(a, 2, S_M2_5);
                c.s(a, 3, S_ONE);
                c.s(a, 4, S_THREE);
                c.s(a, 5, 0xBF80_0000);
                c.d(a, 6, D_ONE);
                c.d(a, 7, D_THREE);
                c.d(a, 8, D_M2_5);
                a.csrwi(CSR_FRM, rm);
                a.fcvtWS(A0, 1, DYN);
                a.fcvtWS(A1, 2, DYN);
                a.fdivS(10, 3, 4, DYN);
                a.fdivS(11, 5, 4, DYN);
                a.fdivD(12, 6, 7, DYN);
                a.fcvtWD(A2, 8, DYN);
            });
            check(r, up, down, third, minusThird, thirdD);
            assertEquals(rm, r.frm());
        }
    }

    private static void check(Run r, int up, int down, int third, int minusThird, long thirdD) {
        assertX(r, A0, up, "fcvt.w.s 2.5");
        assertX(r, A1, down, "fcvt.w.s -2.5");
        assertF(r, 10, boxed(third));
        assertF(r, 11, boxed(minusThird));
        assertF(r, 12, thirdD);
        assertX(r, A2, down, "fcvt.w.d -2.5");
        assertFflags(r, 0x01);
    }

    /** An instruction with rm = DYN. */
    record DynOp(String name, InstructionHarness.Body emit) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> invalidFrm() {
        DynOp[] ops = {
            new DynOp("fcvt.w.s", a -> a.fcvtWS(A0, 1, DYN)),
            new DynOp("fadd.s", a -> a.faddS(3, 1, 2, DYN)),
            new DynOp("fdiv.d", a -> a.fdivD(3, 1, 2, DYN)),
            new DynOp("fsqrt.s", a -> a.fsqrtS(3, 1, DYN)),
            new DynOp("fmadd.d", a -> a.fmaddD(3, 1, 2, 4, DYN)),
            new DynOp("fnmsub.s", a -> a.fnmsubS(3, 1, 2, 4, DYN)),
            new DynOp("fcvt.s.d", a -> a.fcvtSD(3, 1, DYN)),
            new DynOp("fcvt.d.s", a -> a.fcvtDS(3, 1, DYN)),
            new DynOp("fcvt.s.w", a -> a.fcvtSW(3, A1, DYN)),
            new DynOp("fcvt.d.wu", a -> a.fcvtDWu(3, A1, DYN)),
            new DynOp("fcvt.wu.d", a -> a.fcvtWuD(A0, 1, DYN)),
        };
        Stream.Builder<Arguments> s = Stream.builder();
        for (int frm : new int[] {5, 6, 7}) {
            for (DynOp op : ops) {
                s.add(Arguments.of(frm, op));
            }
        }
        return s.build();
    }

    @ParameterizedTest(name = "frm={0} {1}")
    @MethodSource
    void invalidFrm(int frm, DynOp op) {
        for (int xlen : new int[] {32, 64}) {
            Run r = run(xlen, a -> {
                a.li(A1, 3).li(A0, 77);
                a.fcvtDW(1, A1);
                a.fcvtDW(2, A1);
                a.csrwi(CSR_FRM, frm);
                a.label("op");
                op.emit.emit(a);
                a.ebreak();
            });
            assertIllegal(r, r.addr("op"), bitsOf(xlen, op.emit));
            assertX(r, A0, 77, "destination unchanged");
            assertEquals(frm, r.frm(), "frm holds the invalid value");
        }
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void invalidFrmDoesNotAffectStaticRoundingOrNonRoundingOps(int xlen) {
        Run r = fp(xlen, (a, c) -> {
            c.s(a, 1, S_ONE);
            c.s(a, 2, S_TWO);
            a.csrwi(CSR_FRM, 5);
            a.faddS(3, 1, 2, RNE);
            a.fsgnjnS(4, 1, 2);
            a.fminS(5, 1, 2);
            a.fleS(A0, 1, 2);
            a.fclassS(A1, 2);
            a.fmvXW(A2, 3);
            a.fcvtDS(6, 1, RNE);
            a.fcvtDW(7, A1, RNE);
        });
        assertF(r, 3, boxed(S_THREE));
        assertF(r, 4, boxed(S_MINUS_ONE));
        assertF(r, 5, boxed(S_ONE));
        assertX(r, A0, 1);
        assertX(r, A1, 1 << 6);
        assertX(r, A2, S_THREE);
        assertF(r, 6, D_ONE);
        assertF(r, 7, 0x4050_0000_0000_0000L);   // 64.0
        assertEquals(5, r.frm());
    }

    // ---- fflags and the FP CSRs

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void fflagsAccrueAndCanBeReadAndCleared(int xlen) {
        Run r = fp(xlen, (a, c) -> {
            c.s(a, 0, S_ZERO);
            c.s(a, 1, S_ONE);
            c.s(a, 2, S_THREE);
            c.s(a, 6, S_MINUS_ONE);
            a.fdivS(3, 1, 0);                 // 1/0: DZ
            a.fdivS(4, 1, 2);                 // 1/3: NX
            a.csrr(A0, CSR_FFLAGS);           // 0x09
            a.csrr(A1, CSR_FCSR);             // 0x09 (frm = 0)
            a.csrrci(A2, CSR_FFLAGS, 1);      // returns 0x09, clears NX
            a.csrr(A3, CSR_FFLAGS);           // 0x08
            a.csrw(CSR_FFLAGS, 0);            // csrw fflags, x0
            a.csrr(A4, CSR_FFLAGS);           // 0
            a.fsqrtS(5, 6);                   // sqrt(-1): NV
            a.csrrw(A5, CSR_FFLAGS, 0);       // returns 0x10, clears
        });
        assertF(r, 3, boxed(S_INF));
        assertX(r, A0, 0x09);
        assertX(r, A1, 0x09);
        assertX(r, A2, 0x09);
        assertX(r, A3, 0x08);
        assertX(r, A4, 0);
        assertX(r, A5, 0x10);
        assertF(r, 5, boxed(S_QNAN));
        assertEquals(0, r.fcsr);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void overflowAndUnderflowFlags(int xlen) {
        Run r = fp(xlen, (a, c) -> {
            c.s(a, 1, S_MAX);
            c.s(a, 2, S_TINY);
            a.fmulS(3, 1, 1);
            a.csrrw(A0, CSR_FFLAGS, 0);
            a.fmulS(4, 2, 2);
            a.csrrw(A1, CSR_FFLAGS, 0);
            a.faddS(5, 2, 2);                 // exact: no flags
            a.csrr(A2, CSR_FFLAGS);
        });
        assertF(r, 3, boxed(S_INF));
        assertX(r, A0, 0x05, "OF | NX");
        assertF(r, 4, boxed(0));
        assertX(r, A1, 0x03, "UF | NX");
        assertX(r, A2, 0);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void fcsrIsFrmAndFflags(int xlen) {
        Run r = exec(xlen, a -> a
                .li(T0, 0xE5)
                .csrw(CSR_FCSR, T0)
                .csrr(A0, CSR_FRM)                 // 7
                .csrr(A1, CSR_FFLAGS)              // 5
                .li(T0, 0x1FF)
                .csrrw(A2, CSR_FCSR, T0)           // returns 0xE5, writes 0xFF (bits above 7 ignored)
                .csrr(A3, CSR_FCSR)                // 0xFF
                .csrrwi(A4, CSR_FFLAGS, 0x1F)      // old fflags 0x1F
                .csrrci(A5, CSR_FFLAGS, 0x3)       // 0x1F -> 0x1C
                .csrrsi(Asm.A6, CSR_FRM, 2)        // old 7, frm stays 7
                .csrrci(Asm.A7, CSR_FRM, 5)        // 7 -> 2
                .li(T0, 0xFF)
                .csrrs(Asm.S2, CSR_FFLAGS, T0)     // old 0x1C, fflags = 0x1F (5 bits only)
                .csrw(CSR_FRM, T0)                 // frm = 7 (3 bits only)
                .csrrc(Asm.S3, CSR_FCSR, Asm.ZERO) // read only
                .csrw(CSR_FRM, Asm.ZERO));
        assertX(r, A0, 7);
        assertX(r, A1, 5);
        assertX(r, A2, 0xE5);
        assertX(r, A3, 0xFF);
        assertX(r, A4, 0x1F);
        assertX(r, A5, 0x1F);
        assertX(r, Asm.A6, 7);
        assertX(r, Asm.A7, 7);
        assertX(r, Asm.S2, 0x1C);
        assertX(r, Asm.S3, 0xFF);
        assertEquals(0x1F, r.fcsr);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void movesSignInjectionAndClassifyRaiseNoFlags(int xlen) {
        Run r = fp(xlen, (a, c) -> {
            c.s(a, 1, S_SNAN);
            c.d(a, 2, D_SNAN);
            a.li(A1, DATA);
            a.fsw(1, 0, A1);
            a.fsgnjS(3, 1, 1);
            a.fsgnjnD(4, 2, 2);
            a.fsgnjxS(5, 1, 1);
            a.fclassS(A0, 1);
            a.fclassD(A2, 2);
            a.fmvXW(A3, 1);
        });
        assertF(r, 3, boxed(S_SNAN));                    // payload and signalling bit kept
        assertF(r, 4, 0xFFF0_0000_0000_0001L);
        assertF(r, 5, boxed(S_SNAN));
        assertX(r, A0, 1 << 8);
        assertX(r, A2, 1 << 8);
        assertX(r, A3, S_SNAN);
        assertEquals(S_SNAN, r.mem32(DATA));
        assertFflags(r, 0);
    }

    // ---- fused multiply-add family: all four register fields

    static Stream<Arguments> fma() {
        //            name      single expected double expected
        return Stream.of(
                Arguments.of("fmadd", 0x4120_0000, 0x4024_0000_0000_0000L),     // 2*3+4 = 10
                Arguments.of("fmsub", S_TWO, D_TWO),                             // 2*3-4 = 2
                Arguments.of("fnmsub", 0xC000_0000, 0xC000_0000_0000_0000L),    // -(2*3)+4 = -2
                Arguments.of("fnmadd", 0xC120_0000, 0xC024_0000_0000_0000L));   // -(2*3)-4 = -10
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void fma(String name, int single, long dbl) {
        for (int xlen : new int[] {32, 64}) {
            Run r = fp(xlen, (a, c) -> {
                c.s(a, 5, S_TWO);
                c.s(a, 17, S_THREE);
                c.s(a, 30, S_FOUR);
                c.d(a, 6, D_TWO);
                c.d(a, 18, D_THREE);
                c.d(a, 31, D_FOUR);
                a.fpFma(name, 0, 9, 5, 17, 30, RNE);
                a.fpFma(name, 1, 10, 6, 18, 31, DYN);
            });
            assertF(r, 9, boxed(single));
            assertF(r, 10, dbl);
            assertF(r, 5, boxed(S_TWO));
            assertF(r, 30, boxed(S_FOUR));
            assertFflags(r, 0);
        }
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void fmaRoundsOnce(int xlen) {
        Run r = fp(xlen, (a, c) -> {
            c.s(a, 1, 0x3F80_0001);                    // 1 + 2^-23
            c.s(a, 2, 0xBF80_0002);                    // -(1 + 2^-22)
            c.d(a, 3, 0x3FF0_0000_0000_0001L);         // 1 + 2^-52
            c.d(a, 4, 0xBFF0_0000_0000_0002L);         // -(1 + 2^-51)
            a.fmaddS(5, 1, 1, 2);                      // (1+u)^2 - (1+2u) = u^2 exactly
            a.fmaddD(6, 3, 3, 4);
        });
        assertF(r, 5, boxed(0x2880_0000));            // 2^-46
        assertF(r, 6, 0x3970_0000_0000_0000L);        // 2^-104
        assertFflags(r, 0);
    }

    // ---- arithmetic plumbing: each operation once, both formats

    record FpCase(String name, boolean single, R op, long a, long b, long expected, int flags) {
        @Override
        public String toString() {
            return name + " " + hex(a) + ", " + hex(b) + " -> " + hex(expected) + " flags " + flags;
        }
    }

    private static FpCase s(String name, R op, int a, int b, long expected, int flags) {
        return new FpCase(name, true, op, a & 0xFFFF_FFFFL, b & 0xFFFF_FFFFL, expected, flags);
    }

    private static FpCase d(String name, R op, long a, long b, long expected, int flags) {
        return new FpCase(name, false, op, a, b, expected, flags);
    }

    static Stream<FpCase> binary() {
        return Stream.of(
                s("fadd.s", Asm::faddS, S_ONE, S_TWO, boxed(S_THREE), 0),
                s("fsub.s", Asm::fsubS, S_ONE, S_THREE, boxed(0xC000_0000), 0),
                s("fmul.s", Asm::fmulS, S_M2_5, S_TWO, boxed(0xC0A0_0000), 0),
                s("fdiv.s", Asm::fdivS, S_ONE, S_FOUR, boxed(0x3E80_0000), 0),
                s("fdiv.s", Asm::fdivS, S_ZERO, S_ZERO, boxed(S_QNAN), 0x10),
                s("fadd.s", Asm::faddS, S_INF, S_MINF, boxed(S_QNAN), 0x10),
                s("fadd.s", Asm::faddS, S_SNAN, S_ONE, boxed(S_QNAN), 0x10),
                s("fmin.s", Asm::fminS, S_ONE, S_QNAN, boxed(S_ONE), 0),
                s("fmin.s", Asm::fminS, S_MZERO, S_ZERO, boxed(S_MZERO), 0),
                s("fmax.s", Asm::fmaxS, S_MZERO, S_ZERO, boxed(S_ZERO), 0),
                s("fmax.s", Asm::fmaxS, S_QNAN, S_QNAN, boxed(S_QNAN), 0),
                s("fmax.s", Asm::fmaxS, S_SNAN, S_TWO, boxed(S_TWO), 0x10),
                s("fsgnj.s", Asm::fsgnjS, S_ONE, 0xC000_0000, boxed(S_MINUS_ONE), 0),
                s("fsgnjn.s", Asm::fsgnjnS, S_ONE, 0xC000_0000, boxed(S_ONE), 0),
                s("fsgnjx.s", Asm::fsgnjxS, S_MINUS_ONE, 0xC000_0000, boxed(S_ONE), 0),
                d("fadd.d", Asm::faddD, D_ONE, D_TWO, D_THREE, 0),
                d("fsub.d", Asm::fsubD, D_ONE, D_THREE, 0xC000_0000_0000_0000L, 0),
                d("fmul.d", Asm::fmulD, D_M2_5, D_TWO, 0xC014_0000_0000_0000L, 0),
                d("fdiv.d", Asm::fdivD, D_ONE, D_FOUR, 0x3FD0_0000_0000_0000L, 0),
                d("fdiv.d", Asm::fdivD, D_MINUS_ONE, D_ZERO, D_MINF, 0x08),
                d("fsub.d", Asm::fsubD, D_INF, D_INF, D_QNAN, 0x10),
                d("fmin.d", Asm::fminD, D_SNAN, D_ONE, D_ONE, 0x10),
                d("fmin.d", Asm::fminD, D_MZERO, D_ZERO, D_MZERO, 0),
                d("fmax.d", Asm::fmaxD, D_QNAN, D_QNAN, D_QNAN, 0),
                d("fmax.d", Asm::fmaxD, D_MINUS_ONE, D_M2_5, D_MINUS_ONE, 0),
                d("fsgnj.d", Asm::fsgnjD, D_SNAN, D_MINUS_ONE, 0xFFF0_0000_0000_0001L, 0),
                d("fsgnjn.d", Asm::fsgnjnD, D_ONE, D_ONE, D_MINUS_ONE, 0),
                d("fsgnjx.d", Asm::fsgnjxD, D_MINUS_ONE, D_TWO, D_MINUS_ONE, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void binary(FpCase c) {
        for (int xlen : new int[] {32, 64}) {
            Run r = fp(xlen, (a, k) -> {
                if (c.single) {
                    k.s(a, 7, (int) c.a);
                    k.s(a, 19, (int) c.b);
                } else {
                    k.d(a, 7, c.a);
                    k.d(a, 19, c.b);
                }
                c.op.emit(a, 28, 7, 19);
            });
            assertF(r, 28, c.expected);
            assertFflags(r, c.flags);
        }
    }

    /** Comparisons: result in an integer register. */
    static Stream<FpCase> compare() {
        return Stream.of(
                s("feq.s", Asm::feqS, S_ONE, S_TWO, 0, 0),
                s("flt.s", Asm::fltS, S_ONE, S_TWO, 1, 0),
                s("fle.s", Asm::fleS, S_ONE, S_TWO, 1, 0),
                s("feq.s", Asm::feqS, S_TWO, S_ONE, 0, 0),
                s("flt.s", Asm::fltS, S_TWO, S_ONE, 0, 0),
                s("fle.s", Asm::fleS, S_TWO, S_ONE, 0, 0),
                s("feq.s", Asm::feqS, S_ONE, S_ONE, 1, 0),
                s("flt.s", Asm::fltS, S_ONE, S_ONE, 0, 0),
                s("fle.s", Asm::fleS, S_ONE, S_ONE, 1, 0),
                s("feq.s", Asm::feqS, S_MZERO, S_ZERO, 1, 0),
                s("flt.s", Asm::fltS, S_MZERO, S_ZERO, 0, 0),
                s("fle.s", Asm::fleS, S_MZERO, S_ZERO, 1, 0),
                s("feq.s", Asm::feqS, S_QNAN, S_ONE, 0, 0),
                s("flt.s", Asm::fltS, S_QNAN, S_ONE, 0, 0x10),
                s("fle.s", Asm::fleS, S_ONE, S_QNAN, 0, 0x10),
                s("feq.s", Asm::feqS, S_SNAN, S_ONE, 0, 0x10),
                s("flt.s", Asm::fltS, S_MINF, S_MAX, 1, 0),
                d("feq.d", Asm::feqD, D_ONE, D_ONE, 1, 0),
                d("flt.d", Asm::fltD, D_M2_5, D_MINUS_ONE, 1, 0),
                d("fle.d", Asm::fleD, D_TWO, D_ONE, 0, 0),
                d("feq.d", Asm::feqD, D_ZERO, D_MZERO, 1, 0),
                d("feq.d", Asm::feqD, D_QNAN, D_QNAN, 0, 0),
                d("feq.d", Asm::feqD, D_SNAN, D_ONE, 0, 0x10),
                d("flt.d", Asm::fltD, D_ONE, D_QNAN, 0, 0x10),
                d("fle.d", Asm::fleD, D_QNAN, D_ONE, 0, 0x10),
                d("fle.d", Asm::fleD, D_MINF, D_MINF, 1, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void compare(FpCase c) {
        for (int xlen : new int[] {32, 64}) {
            Run r = fp(xlen, (a, k) -> {
                if (c.single) {
                    k.s(a, 3, (int) c.a);
                    k.s(a, 29, (int) c.b);
                } else {
                    k.d(a, 3, c.a);
                    k.d(a, 29, c.b);
                }
                a.li(A0, 55);
                c.op.emit(a, A0, 3, 29);
            });
            assertX(r, A0, c.expected);
            assertFflags(r, c.flags);
        }
    }

    static Stream<Arguments> classify() {
        int[] singles = {S_MINF, S_MINUS_ONE, 0x8000_0001, S_MZERO, S_ZERO, 0x0000_0001, S_ONE, S_INF, S_SNAN, S_QNAN};
        long[] doubles = {D_MINF, D_MINUS_ONE, 0x8000_0000_0000_0001L, D_MZERO, D_ZERO, 1, D_ONE, D_INF, D_SNAN,
            D_QNAN};
        return IntStream.range(0, 10).mapToObj(i -> Arguments.of(i, singles[i], doubles[i]));
    }

    @ParameterizedTest(name = "class bit {0}")
    @MethodSource
    void classify(int bit, int single, long dbl) {
        for (int xlen : new int[] {32, 64}) {
            Run r = fp(xlen, (a, c) -> {
                c.s(a, 1, single);
                c.d(a, 2, dbl);
                a.fclassS(A0, 1);
                a.fclassD(A1, 2);
            });
            assertX(r, A0, 1L << bit, "fclass.s " + hex(single));
            assertX(r, A1, 1L << bit, "fclass.d " + hex(dbl));
            assertFflags(r, 0);
        }
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void sqrt(int xlen) {
        Run r = fp(xlen, (a, c) -> {
            c.s(a, 1, S_TWO);
            c.d(a, 2, D_TWO);
            c.s(a, 3, S_FOUR);
            c.d(a, 4, D_MZERO);
            a.fsqrtS(5, 1);
            a.fsqrtD(6, 2);
            a.csrrw(A0, CSR_FFLAGS, 0);
            a.fsqrtS(7, 3);
            a.fsqrtD(8, 4);
            a.csrr(A1, CSR_FFLAGS);
        });
        assertF(r, 5, boxed(0x3FB5_04F3));
        assertF(r, 6, 0x3FF6_A09E_667F_3BCDL);
        assertX(r, A0, 0x01);
        assertF(r, 7, boxed(S_TWO));
        assertF(r, 8, D_MZERO);
        assertX(r, A1, 0);
    }

    // ---- conversions

    record CvtCase(int xlen, String name, boolean fromInt, U op, long input, boolean inputSingle, long expected,
                   int flags) {
        @Override
        public String toString() {
            return "rv" + xlen + " " + name + " " + hex(input) + " -> " + hex(expected) + " flags " + flags;
        }
    }

    private static CvtCase toInt(int xlen, String name, U op, long input, boolean single, long expected, int flags) {
        return new CvtCase(xlen, name, false, op, input, single, expected, flags);
    }

    private static CvtCase fromInt(int xlen, String name, U op, long input, long expected, int flags) {
        return new CvtCase(xlen, name, true, op, input, false, expected, flags);
    }

    static Stream<CvtCase> conversions() {
        Stream.Builder<CvtCase> s = Stream.builder();
        for (int xlen : new int[] {32, 64}) {
            s.add(toInt(xlen, "fcvt.w.s", (a, rd, rs) -> a.fcvtWS(rd, rs, RTZ), S_M2_5, true, -2, 0x01));
            s.add(toInt(xlen, "fcvt.w.s", (a, rd, rs) -> a.fcvtWS(rd, rs, RTZ), S_QNAN, true, 0x7FFF_FFFF, 0x10));
            s.add(toInt(xlen, "fcvt.w.s", (a, rd, rs) -> a.fcvtWS(rd, rs, RTZ), S_MINF, true,
                    0xFFFF_FFFF_8000_0000L, 0x10));
            s.add(toInt(xlen, "fcvt.wu.s", (a, rd, rs) -> a.fcvtWuS(rd, rs, RTZ), 0x4F70_0000, true,
                    0xFFFF_FFFF_F000_0000L, 0));
            s.add(toInt(xlen, "fcvt.wu.s", (a, rd, rs) -> a.fcvtWuS(rd, rs, RTZ), S_MINUS_ONE, true, 0, 0x10));
            s.add(toInt(xlen, "fcvt.wu.s", (a, rd, rs) -> a.fcvtWuS(rd, rs, RTZ), S_QNAN, true, -1, 0x10));
            s.add(toInt(xlen, "fcvt.w.d", (a, rd, rs) -> a.fcvtWD(rd, rs, RMM), D_M2_5, false, -3, 0x01));
            s.add(toInt(xlen, "fcvt.w.d", (a, rd, rs) -> a.fcvtWD(rd, rs, RTZ), 0x41E0_0000_0000_0000L, false,
                    0x7FFF_FFFF, 0x10));   // 2^31 overflows
            s.add(toInt(xlen, "fcvt.wu.d", (a, rd, rs) -> a.fcvtWuD(rd, rs, RTZ), 0x41EF_FFFF_FFE0_0000L, false,
                    -1, 0));               // 2^32 - 1 fits
            s.add(fromInt(xlen, "fcvt.s.w", (a, rd, rs) -> a.fcvtSW(rd, rs, RNE), -7, boxed(0xC0E0_0000), 0));
            s.add(fromInt(xlen, "fcvt.s.wu", (a, rd, rs) -> a.fcvtSWu(rd, rs, RNE), 0xFFFF_FFFFL,
                    boxed(0x4F80_0000), 0x01));
            s.add(fromInt(xlen, "fcvt.d.w", (a, rd, rs) -> a.fcvtDW(rd, rs, RNE), -7, 0xC01C_0000_0000_0000L, 0));
            s.add(fromInt(xlen, "fcvt.d.wu", (a, rd, rs) -> a.fcvtDWu(rd, rs, RNE), 0xFFFF_FFFFL,
                    0x41EF_FFFF_FFE0_0000L, 0));
            s.add(toInt(xlen, "fcvt.s.d", (a, rd, rs) -> a.fcvtSD(rd, rs, RNE), 0x3FD5_5555_5555_5555L, false,
                    boxed(0x3EAA_AAAB), 0x01));
            s.add(toInt(xlen, "fcvt.d.s", (a, rd, rs) -> a.fcvtDS(rd, rs), S_ONE_HALF, true,
                    0x3FF8_0000_0000_0000L, 0));
            s.add(toInt(xlen, "fcvt.d.s", (a, rd, rs) -> a.fcvtDS(rd, rs), S_SNAN, true, D_QNAN, 0x10));
        }
        // RV64: word conversions read the low 32 bits of the integer register
        s.add(fromInt(64, "fcvt.s.w", (a, rd, rs) -> a.fcvtSW(rd, rs, RNE), 0x1_0000_0005L, boxed(0x40A0_0000), 0));
        s.add(fromInt(64, "fcvt.d.wu", (a, rd, rs) -> a.fcvtDWu(rd, rs, RNE), -1, 0x41EF_FFFF_FFE0_0000L, 0));
        s.add(fromInt(64, "fcvt.d.w", (a, rd, rs) -> a.fcvtDW(rd, rs, RNE), 0xFFFF_FFFFL, D_MINUS_ONE, 0));
        s.add(fromInt(64, "fcvt.s.l", (a, rd, rs) -> a.fcvtSL(rd, rs, RNE), -1, boxed(S_MINUS_ONE), 0));
        s.add(fromInt(64, "fcvt.s.lu", (a, rd, rs) -> a.fcvtSLu(rd, rs, RNE), -1, boxed(0x5F80_0000), 0x01));
        s.add(fromInt(64, "fcvt.d.l", (a, rd, rs) -> a.fcvtDL(rd, rs, RNE), Long.MIN_VALUE,
                0xC3E0_0000_0000_0000L, 0));
        s.add(fromInt(64, "fcvt.d.lu", (a, rd, rs) -> a.fcvtDLu(rd, rs, RNE), -1, 0x43F0_0000_0000_0000L, 0x01));
        s.add(toInt(64, "fcvt.l.s", (a, rd, rs) -> a.fcvtLS(rd, rs, RTZ), S_M2_5, true, -2, 0x01));
        s.add(toInt(64, "fcvt.lu.s", (a, rd, rs) -> a.fcvtLuS(rd, rs, RTZ), S_MINUS_ONE, true, 0, 0x10));
        s.add(toInt(64, "fcvt.l.d", (a, rd, rs) -> a.fcvtLD(rd, rs, RTZ), 0x43E1_58E4_6091_3D00L, false,
                Long.MAX_VALUE, 0x10));   // 1e19 overflows
        s.add(toInt(64, "fcvt.lu.d", (a, rd, rs) -> a.fcvtLuD(rd, rs, RTZ), 0x43E0_0000_0000_0000L, false,
                Long.MIN_VALUE, 0));      // 2^63 fits
        s.add(toInt(64, "fcvt.l.d", (a, rd, rs) -> a.fcvtLD(rd, rs, RUP), D_M2_5, false, -2, 0x01));
        return s.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void conversions(CvtCase c) {
        boolean toFloatReg = c.fromInt || c.name.startsWith("fcvt.s.d") || c.name.startsWith("fcvt.d.s");
        Run r = fp(c.xlen, (a, k) -> {
            if (c.fromInt) {
                a.li(A1, c.input);
            } else if (c.inputSingle) {
                k.s(a, 12, (int) c.input);
            } else {
                k.d(a, 12, c.input);
            }
            a.li(A0, 55);
            c.op.emit(a, toFloatReg ? 13 : A0, c.fromInt ? A1 : 12);
        });
        if (toFloatReg) {
            assertF(r, 13, c.expected);
        } else {
            assertX(r, A0, c.expected, c.toString());
        }
        assertFflags(r, c.flags);
    }

    // ---- every rounding operation takes its static rounding mode, and frm for DYN

    @FunctionalInterface
    interface RmEmit {
        void emit(Asm a, int rd, int rm);
    }

    record RmOp(String name, boolean rv64Only, boolean intResult, BiConsumer<Asm, Consts> inputs, RmEmit op) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final int S_TINY30 = 0x3080_0000;                    // 2^-30
    private static final long D_TINY60 = 0x3C30_0000_0000_0000L;        // 2^-60

    private static RmOp ff(String name, BiConsumer<Asm, Consts> inputs, RmEmit op) {
        return new RmOp(name, false, false, inputs, op);
    }

    static Stream<RmOp> roundingOperations() {
        BiConsumer<Asm, Consts> s1Tiny = (a, c) -> {
            c.s(a, 1, S_ONE);
            c.s(a, 2, S_TINY30);
            c.s(a, 3, S_THREE);
        };
        BiConsumer<Asm, Consts> d1Tiny = (a, c) -> {
            c.d(a, 1, D_ONE);
            c.d(a, 2, D_TINY60);
            c.d(a, 3, D_THREE);
        };
        BiConsumer<Asm, Consts> s25 = (a, c) -> c.s(a, 1, S_2_5);
        BiConsumer<Asm, Consts> d25 = (a, c) -> c.d(a, 1, D_2_5);
        return Stream.of(
                ff("fadd.s", s1Tiny, (a, rd, rm) -> a.faddS(rd, 1, 2, rm)),
                ff("fsub.s", s1Tiny, (a, rd, rm) -> a.fsubS(rd, 1, 2, rm)),
                ff("fmul.s", (a, c) -> c.s(a, 1, 0x3F80_0001), (a, rd, rm) -> a.fmulS(rd, 1, 1, rm)),
                ff("fdiv.s", s1Tiny, (a, rd, rm) -> a.fdivS(rd, 1, 3, rm)),
                ff("fsqrt.s", (a, c) -> c.s(a, 1, S_TWO), (a, rd, rm) -> a.fsqrtS(rd, 1, rm)),
                ff("fmadd.s", s1Tiny, (a, rd, rm) -> a.fmaddS(rd, 1, 1, 2, rm)),
                ff("fmsub.s", s1Tiny, (a, rd, rm) -> a.fmsubS(rd, 1, 1, 2, rm)),
                ff("fnmsub.s", s1Tiny, (a, rd, rm) -> a.fnmsubS(rd, 1, 1, 2, rm)),
                ff("fnmadd.s", s1Tiny, (a, rd, rm) -> a.fnmaddS(rd, 1, 1, 2, rm)),
                ff("fadd.d", d1Tiny, (a, rd, rm) -> a.faddD(rd, 1, 2, rm)),
                ff("fsub.d", d1Tiny, (a, rd, rm) -> a.fsubD(rd, 1, 2, rm)),
                ff("fmul.d", (a, c) -> c.d(a, 1, 0x3FF0_0000_0000_0001L), (a, rd, rm) -> a.fmulD(rd, 1, 1, rm)),
                ff("fdiv.d", d1Tiny, (a, rd, rm) -> a.fdivD(rd, 1, 3, rm)),
                ff("fsqrt.d", (a, c) -> c.d(a, 1, D_TWO), (a, rd, rm) -> a.fsqrtD(rd, 1, rm)),
                ff("fmadd.d", d1Tiny, (a, rd, rm) -> a.fmaddD(rd, 1, 1, 2, rm)),
                ff("fmsub.d", d1Tiny, (a, rd, rm) -> a.fmsubD(rd, 1, 1, 2, rm)),
                ff("fnmsub.d", d1Tiny, (a, rd, rm) -> a.fnmsubD(rd, 1, 1, 2, rm)),
                ff("fnmadd.d", d1Tiny, (a, rd, rm) -> a.fnmaddD(rd, 1, 1, 2, rm)),
                ff("fcvt.s.d", (a, c) -> c.d(a, 1, 0x3FD5_5555_5555_5555L), (a, rd, rm) -> a.fcvtSD(rd, 1, rm)),
                ff("fcvt.s.w", (a, c) -> a.li(A1, 0x7FFF_FFFF), (a, rd, rm) -> a.fcvtSW(rd, A1, rm)),
                ff("fcvt.s.wu", (a, c) -> a.li(A1, 0xFFFF_FFFFL), (a, rd, rm) -> a.fcvtSWu(rd, A1, rm)),
                new RmOp("fcvt.s.l", true, false, (a, c) -> a.li(A1, 0x4000_0000_0000_0001L),
                        (a, rd, rm) -> a.fcvtSL(rd, A1, rm)),
                new RmOp("fcvt.s.lu", true, false, (a, c) -> a.li(A1, -1), (a, rd, rm) -> a.fcvtSLu(rd, A1, rm)),
                new RmOp("fcvt.d.l", true, false, (a, c) -> a.li(A1, 0x4000_0000_0000_0001L),
                        (a, rd, rm) -> a.fcvtDL(rd, A1, rm)),
                new RmOp("fcvt.d.lu", true, false, (a, c) -> a.li(A1, -1), (a, rd, rm) -> a.fcvtDLu(rd, A1, rm)),
                new RmOp("fcvt.w.s", false, true, s25, (a, rd, rm) -> a.fcvtWS(rd, 1, rm)),
                new RmOp("fcvt.wu.s", false, true, s25, (a, rd, rm) -> a.fcvtWuS(rd, 1, rm)),
                new RmOp("fcvt.l.s", true, true, s25, (a, rd, rm) -> a.fcvtLS(rd, 1, rm)),
                new RmOp("fcvt.lu.s", true, true, s25, (a, rd, rm) -> a.fcvtLuS(rd, 1, rm)),
                new RmOp("fcvt.w.d", false, true, d25, (a, rd, rm) -> a.fcvtWD(rd, 1, rm)),
                new RmOp("fcvt.wu.d", false, true, d25, (a, rd, rm) -> a.fcvtWuD(rd, 1, rm)),
                new RmOp("fcvt.l.d", true, true, d25, (a, rd, rm) -> a.fcvtLD(rd, 1, rm)),
                new RmOp("fcvt.lu.d", true, true, d25, (a, rd, rm) -> a.fcvtLuD(rd, 1, rm)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundingOperations")
    void staticAndDynamicRoundingAgree(RmOp op) {
        for (int xlen : op.rv64Only ? new int[] {64} : new int[] {32, 64}) {
            int[] dst = op.intResult ? new int[] {A2, A3, A4, A5} : new int[] {10, 11, 12, 13};
            Run r = fp(xlen, (a, c) -> {
                op.inputs.accept(a, c);
                op.op.emit(a, dst[0], RUP);
                op.op.emit(a, dst[1], RDN);
                a.csrwi(CSR_FRM, RUP);
                op.op.emit(a, dst[2], DYN);
                a.csrwi(CSR_FRM, RDN);
                op.op.emit(a, dst[3], DYN);
            });
            long[] v = new long[4];
            for (int i = 0; i < 4; i++) {
                v[i] = op.intResult ? r.x(dst[i]) : r.f(dst[i]);
            }
            assertEquals(hex(v[0]), hex(v[2]), op + ": static RUP vs dynamic RUP\n" + r);
            assertEquals(hex(v[1]), hex(v[3]), op + ": static RDN vs dynamic RDN\n" + r);
            assertTrue(v[0] != v[1], op + ": RUP and RDN must differ for this inexact input\n" + r);
            assertFflags(r, 0x01);
        }
    }

    // ---- x0 as the destination of FP instructions that write integer registers

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void fpResultsWrittenToX0AreDiscardedButFlagsAreNot(int xlen) {
        Run r = fp(xlen, (a, c) -> {
            c.s(a, 1, S_SNAN);
            c.s(a, 2, S_ONE);
            a.feqS(ZERO, 1, 2);             // NV
            a.fclassS(ZERO, 2);
            a.fmvXW(ZERO, 2);
            a.fcvtWS(ZERO, 2, RTZ);
            a.fltS(ZERO, 2, 2);
            a.add(A0, ZERO, ZERO);
        });
        assertX(r, ZERO, 0);
        assertX(r, A0, 0);
        assertFflags(r, 0x10);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void x0AsTheIntegerSourceOfFpInstructions(int xlen) {
        Run r = fp(xlen, (a, c) -> {
            a.fmvWX(1, ZERO);
            a.fcvtSW(2, ZERO, RNE);
            a.fcvtDWu(3, ZERO, RNE);
        });
        assertF(r, 1, boxed(0));
        assertF(r, 2, boxed(0));
        assertF(r, 3, 0);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void misalignedAndPageCrossingFpLoadsAndStores(int xlen) {
        Run r = fp(xlen, (a, c) -> {
            a.li(A1, DATA + 0xFFC);
            c.d(a, 4, D_PI);
            a.fsd(4, 0, A1);                   // DATA+0xffc .. DATA+0x1003
            a.fld(5, 0, A1);
            a.fsw(4, 6, A1);                   // DATA+0x1002 .. +0x1005: low half of pi
            a.flw(6, 6, A1);
            a.li(A3, DATA + 0x1FFE);
            a.fsw(4, 0, A3);                   // crosses DATA+0x2000
            a.flw(7, 0, A3);
        });
        assertF(r, 5, D_PI);
        assertF(r, 6, boxed((int) D_PI));
        assertF(r, 7, boxed((int) D_PI));
        assertEquals((int) D_PI, r.mem32(DATA + 0x1002));
    }
}
