package dev.riscvsandbox.isa;

import static dev.riscvsandbox.isa.InstructionHarness.DATA;
import static dev.riscvsandbox.isa.InstructionHarness.DATA_SIZE;
import static dev.riscvsandbox.isa.InstructionHarness.MIN32;
import static dev.riscvsandbox.isa.InstructionHarness.MIN64;
import static dev.riscvsandbox.isa.InstructionHarness.assertFault;
import static dev.riscvsandbox.isa.InstructionHarness.assertIllegal;
import static dev.riscvsandbox.isa.InstructionHarness.assertX;
import static dev.riscvsandbox.isa.InstructionHarness.exec;
import static dev.riscvsandbox.isa.InstructionHarness.run;
import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A3;
import static dev.riscvsandbox.testutil.Asm.A4;
import static dev.riscvsandbox.testutil.Asm.A5;
import static dev.riscvsandbox.testutil.Asm.RA;
import static dev.riscvsandbox.testutil.Asm.S0;
import static dev.riscvsandbox.testutil.Asm.S1;
import static dev.riscvsandbox.testutil.Asm.SP;
import static dev.riscvsandbox.testutil.Asm.T6;
import static dev.riscvsandbox.testutil.Asm.ZERO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.isa.InstructionHarness.Body;
import dev.riscvsandbox.isa.InstructionHarness.Run;
import dev.riscvsandbox.testutil.Asm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RV32C / RV64C: every compressed form runs and leaves exactly the state of its 32-bit expansion; compressed
 * control transfers link pc+2; reserved encodings are illegal instructions reporting the 16-bit bits; HINTs are
 * no-ops.
 */
class CompressedTest {

    /** A data image with recognisable values, including negative ones, at the offsets the memory forms use. */
    private static byte[] image() {
        ByteBuffer b = ByteBuffer.allocate(DATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 0x600; i += 8) {
            b.putLong(i, 0x8877_6655_4433_2211L + 0x0101_0101_0101_0101L * i);
        }
        b.putInt(124, 0xFFFF_FF85);                        // negative word at the largest c.lw offset
        b.putLong(248, 0xC0DE_0000_0000_0001L);            // largest c.ld offset
        b.putInt(0x400 + 252, 0x8000_1234);                // largest c.lwsp offset from sp = DATA + 0x400
        b.putLong(0x400 + 504, 0x8123_4567_89AB_CDEFL);    // largest c.ldsp offset
        return b.array();
    }

    private static final long SP_VALUE = DATA + 0x400;

    /** Common setup: sp and the base registers point into the data, sources hold interesting values. */
    private static void setup(Asm a, int xlen) {
        a.li(SP, SP_VALUE);
        a.li(A1, DATA);
        a.li(A3, DATA + 0x100);
        a.li(A0, xlen == 64 ? 0x8000_0000_7FFF_FFFFL : 0x7FFF_FFFFL);
        a.li(S0, xlen == 64 ? -0x1234_5678_9ABCL : -0x1234_5678L);
        a.li(S1, 0x55);
        a.li(A2, 0x0F0F_0F0F);
        a.li(T6, 0x1234_5678L);
        a.fld(8, 0, A1);
        a.fld(9, 8, A1);
        a.fld(31, 16, A1);
    }

    record Pair(int xlen, String name, Body compressed, Body expanded) {
        @Override
        public String toString() {
            return "rv" + xlen + " " + name;
        }
    }

    private static Pair p(int xlen, String name, Body compressed, Body expanded) {
        return new Pair(xlen, name, compressed, expanded);
    }

    static Stream<Pair> equivalentToExpansion() {
        Stream.Builder<Pair> s = Stream.builder();
        for (int xlen : new int[] {32, 64}) {
            // Q0
            s.add(p(xlen, "c.addi4spn a0, 1020", a -> a.cAddi4spn(A0, 1020), a -> a.addi(A0, SP, 1020)));
            s.add(p(xlen, "c.addi4spn s0, 4", a -> a.cAddi4spn(S0, 4), a -> a.addi(S0, SP, 4)));
            s.add(p(xlen, "c.fld f9, 248(a1)", a -> a.cFld(9, 248, A1), a -> a.fld(9, 248, A1)));
            s.add(p(xlen, "c.lw s0, 124(a1)", a -> a.cLw(S0, 124, A1), a -> a.lw(S0, 124, A1)));
            s.add(p(xlen, "c.lw a5, 0(a3)", a -> a.cLw(A5, 0, A3), a -> a.lw(A5, 0, A3)));
            s.add(p(xlen, "c.fsd f9, 248(a3)", a -> a.cFsd(9, 248, A3), a -> a.fsd(9, 248, A3)));
            s.add(p(xlen, "c.sw s0, 124(a3)", a -> a.cSw(S0, 124, A3), a -> a.sw(S0, 124, A3)));
            // Q1
            s.add(p(xlen, "c.nop", Asm::cNop, Asm::nop));
            s.add(p(xlen, "c.addi a0, -32", a -> a.cAddi(A0, -32), a -> a.addi(A0, A0, -32)));
            s.add(p(xlen, "c.addi a0, 31", a -> a.cAddi(A0, 31), a -> a.addi(A0, A0, 31)));
            s.add(p(xlen, "c.addi t6, 1", a -> a.cAddi(T6, 1), a -> a.addi(T6, T6, 1)));
            s.add(p(xlen, "c.li a0, -32", a -> a.cLi(A0, -32), a -> a.addi(A0, ZERO, -32)));
            s.add(p(xlen, "c.li t6, 31", a -> a.cLi(T6, 31), a -> a.addi(T6, ZERO, 31)));
            s.add(p(xlen, "c.addi16sp -512", a -> a.cAddi16sp(-512), a -> a.addi(SP, SP, -512)));
            s.add(p(xlen, "c.addi16sp 496", a -> a.cAddi16sp(496), a -> a.addi(SP, SP, 496)));
            s.add(p(xlen, "c.addi16sp 16", a -> a.cAddi16sp(16), a -> a.addi(SP, SP, 16)));
            s.add(p(xlen, "c.lui a0, 0xfffe0", a -> a.cLui(A0, 0xFFFE0), a -> a.lui(A0, 0xFFFE0)));
            s.add(p(xlen, "c.lui a0, 0xfffff", a -> a.cLui(A0, 0xFFFFF), a -> a.lui(A0, 0xFFFFF)));
            s.add(p(xlen, "c.lui t6, 31", a -> a.cLui(T6, 31), a -> a.lui(T6, 31)));
            s.add(p(xlen, "c.lui ra, 1", a -> a.cLui(RA, 1), a -> a.lui(RA, 1)));
            s.add(p(xlen, "c.srli a0, 1", a -> a.cSrli(A0, 1), a -> a.srli(A0, A0, 1)));
            s.add(p(xlen, "c.srli s0, 31", a -> a.cSrli(S0, 31), a -> a.srli(S0, S0, 31)));
            s.add(p(xlen, "c.srai s0, 1", a -> a.cSrai(S0, 1), a -> a.srai(S0, S0, 1)));
            s.add(p(xlen, "c.srai s0, 31", a -> a.cSrai(S0, 31), a -> a.srai(S0, S0, 31)));
            s.add(p(xlen, "c.andi s0, -32", a -> a.cAndi(S0, -32), a -> a.andi(S0, S0, -32)));
            s.add(p(xlen, "c.andi s0, 31", a -> a.cAndi(S0, 31), a -> a.andi(S0, S0, 31)));
            s.add(p(xlen, "c.andi s0, 0", a -> a.cAndi(S0, 0), a -> a.andi(S0, S0, 0)));
            s.add(p(xlen, "c.sub a0, s0", a -> a.cSub(A0, S0), a -> a.sub(A0, A0, S0)));
            s.add(p(xlen, "c.xor s0, a2", a -> a.cXor(S0, A2), a -> a.xor(S0, S0, A2)));
            s.add(p(xlen, "c.or s1, a2", a -> a.cOr(S1, A2), a -> a.or(S1, S1, A2)));
            s.add(p(xlen, "c.and s0, a2", a -> a.cAnd(S0, A2), a -> a.and(S0, S0, A2)));
            // Q2
            s.add(p(xlen, "c.slli a0, 1", a -> a.cSlli(A0, 1), a -> a.slli(A0, A0, 1)));
            s.add(p(xlen, "c.slli t6, 31", a -> a.cSlli(T6, 31), a -> a.slli(T6, T6, 31)));
            s.add(p(xlen, "c.fldsp f31, 504", a -> a.cFldsp(31, 504), a -> a.fld(31, 504, SP)));
            s.add(p(xlen, "c.fldsp f0, 0", a -> a.cFldsp(0, 0), a -> a.fld(0, 0, SP)));
            s.add(p(xlen, "c.lwsp t6, 252", a -> a.cLwsp(T6, 252), a -> a.lw(T6, 252, SP)));
            s.add(p(xlen, "c.lwsp ra, 4", a -> a.cLwsp(RA, 4), a -> a.lw(RA, 4, SP)));
            s.add(p(xlen, "c.mv a0, t6", a -> a.cMv(A0, T6), a -> a.add(A0, ZERO, T6)));
            s.add(p(xlen, "c.mv sp, s0", a -> a.cMv(SP, S0), a -> a.add(SP, ZERO, S0)));
            s.add(p(xlen, "c.add a0, s0", a -> a.cAdd(A0, S0), a -> a.add(A0, A0, S0)));
            s.add(p(xlen, "c.add t6, t6", a -> a.cAdd(T6, T6), a -> a.add(T6, T6, T6)));
            s.add(p(xlen, "c.fsdsp f8, 504", a -> a.cFsdsp(8, 504), a -> a.fsd(8, 504, SP)));
            s.add(p(xlen, "c.swsp t6, 252", a -> a.cSwsp(T6, 252), a -> a.sw(T6, 252, SP)));
            s.add(p(xlen, "c.swsp s0, 0", a -> a.cSwsp(S0, 0), a -> a.sw(S0, 0, SP)));
        }
        // RV32 only
        s.add(p(32, "c.flw f9, 124(a1)", a -> a.cFlw(9, 124, A1), a -> a.flw(9, 124, A1)));
        s.add(p(32, "c.fsw f9, 124(a3)", a -> a.cFsw(9, 124, A3), a -> a.fsw(9, 124, A3)));
        s.add(p(32, "c.flwsp f31, 252", a -> a.cFlwsp(31, 252), a -> a.flw(31, 252, SP)));
        s.add(p(32, "c.fswsp f8, 252", a -> a.cFswsp(8, 252), a -> a.fsw(8, 252, SP)));
        // RV64 only
        s.add(p(64, "c.ld a5, 248(a1)", a -> a.cLd(A5, 248, A1), a -> a.ld(A5, 248, A1)));
        s.add(p(64, "c.sd s0, 248(a3)", a -> a.cSd(S0, 248, A3), a -> a.sd(S0, 248, A3)));
        s.add(p(64, "c.addiw a0, -1", a -> a.cAddiw(A0, -1), a -> a.addiw(A0, A0, -1)));
        s.add(p(64, "c.addiw a0, 0 (sext.w)", a -> a.cAddiw(A0, 0), a -> a.addiw(A0, A0, 0)));
        s.add(p(64, "c.addiw t6, 31", a -> a.cAddiw(T6, 31), a -> a.addiw(T6, T6, 31)));
        s.add(p(64, "c.srli a0, 63", a -> a.cSrli(A0, 63), a -> a.srli(A0, A0, 63)));
        s.add(p(64, "c.srli s0, 32", a -> a.cSrli(S0, 32), a -> a.srli(S0, S0, 32)));
        s.add(p(64, "c.srai s0, 63", a -> a.cSrai(S0, 63), a -> a.srai(S0, S0, 63)));
        s.add(p(64, "c.srai s0, 32", a -> a.cSrai(S0, 32), a -> a.srai(S0, S0, 32)));
        s.add(p(64, "c.slli s0, 63", a -> a.cSlli(S0, 63), a -> a.slli(S0, S0, 63)));
        s.add(p(64, "c.slli s0, 32", a -> a.cSlli(S0, 32), a -> a.slli(S0, S0, 32)));
        s.add(p(64, "c.subw a0, s0", a -> a.cSubw(A0, S0), a -> a.subw(A0, A0, S0)));
        s.add(p(64, "c.addw a0, s1", a -> a.cAddw(A0, S1), a -> a.addw(A0, A0, S1)));
        s.add(p(64, "c.ldsp a0, 504", a -> a.cLdsp(A0, 504), a -> a.ld(A0, 504, SP)));
        s.add(p(64, "c.ldsp t6, 8", a -> a.cLdsp(T6, 8), a -> a.ld(T6, 8, SP)));
        s.add(p(64, "c.sdsp s0, 504", a -> a.cSdsp(S0, 504), a -> a.sd(S0, 504, SP)));
        s.add(p(64, "c.sdsp ra, 0", a -> a.cSdsp(RA, 0), a -> a.sd(RA, 0, SP)));
        return s.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void equivalentToExpansion(Pair c) {
        Run compressed = exec(c.xlen, image(), a -> {
            setup(a, c.xlen);
            int before = a.size();
            c.compressed.emit(a);
            assertEquals(2, a.size() - before, "not a 16-bit instruction");
        });
        Run expanded = exec(c.xlen, image(), a -> {
            setup(a, c.xlen);
            int before = a.size();
            c.expanded.emit(a);
            assertEquals(4, a.size() - before, "not a 32-bit instruction");
        });
        assertArrayEquals(expanded.xs(), compressed.xs(), () -> c + ": integer registers\ncompressed: "
                + compressed + "\nexpanded: " + expanded);
        assertArrayEquals(expanded.fs(), compressed.fs(), () -> c + ": FP registers");
        assertEquals(expanded.fcsr, compressed.fcsr, "fcsr");
        assertArrayEquals(expanded.dataBytes(), compressed.dataBytes(), () -> c + ": memory");
        assertEquals(compressed.result.instructions(), expanded.result.instructions(), "instructions retired");
    }

    // ---- absolute values for a few forms (the expansion could be wrong in the same way)

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void absoluteResults(int xlen) {
        Run r = exec(xlen, image(), a -> {
            setup(a, xlen);
            a.cLw(S0, 124, A1);           // 0xffffff85
            a.cLi(A2, -32);
            a.cLui(A4, 0xFFFE0);          // -32 << 12
            a.cAddi4spn(A5, 1020);
            a.cLwsp(T6, 252);
            a.cAddi16sp(-512);
        });
        assertX(r, S0, 0xFFFF_FFFF_FFFF_FF85L);
        assertX(r, A2, -32);
        assertX(r, A4, 0xFFFF_FFFF_FFFE_0000L);
        assertX(r, A5, SP_VALUE + 1020);
        assertX(r, SP, SP_VALUE - 512);
        assertX(r, T6, 0xFFFF_FFFF_8000_1234L);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void shiftsAndArithmeticAbsolute(int xlen) {
        Run r = exec(xlen, a -> a
                .li(S0, MIN32).cSrai(S0, 31)           // RV32: -1; RV64: 0x80000000 >> 31 = 1
                .li(S1, -1).cSrli(S1, 1)
                .li(A2, 3).cSlli(A2, 31)
                .li(A3, 10).li(A4, 3).cSub(A3, A4)
                .li(A5, 0x7FF).cAndi(A5, -32));
        assertX(r, S0, xlen == 32 ? -1 : 1);
        assertX(r, S1, xlen == 32 ? 0x7FFF_FFFFL : 0x7FFF_FFFF_FFFF_FFFFL);
        assertX(r, A2, xlen == 32 ? MIN32 : 0x1_8000_0000L);
        assertX(r, A3, 7);
        assertX(r, A5, 0x7E0);
    }

    @Test
    void rv64WordFormsAbsolute() {
        Run r = exec(64, a -> a
                .li(A0, 0x7FFF_FFFFL).li(A1, 1).cAddw(A0, A1)
                .li(A2, MIN32).li(A3, 1).cSubw(A2, A3)
                .li(A4, 0xFFFF_FFFFL).cAddiw(A4, 0)
                .li(A5, MIN64).cSrli(A5, 63));
        assertX(r, A0, 0xFFFF_FFFF_8000_0000L);
        assertX(r, A2, 0x7FFF_FFFFL);
        assertX(r, A4, -1);
        assertX(r, A5, 1);
    }

    // ---- control transfers

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void cJForwardAndBackward(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 0)
                .cJ("fwd")
                .label("back").cAddi(A0, 10).cJ("out")
                .cAddi(A0, 1)                              // never runs
                .label("fwd").cAddi(A0, 1).cJ("back")
                .label("out"));
        assertX(r, A0, 11);
    }

    static Stream<Arguments> compressedBranches() {
        return Stream.of(
                Arguments.of(32, 0L, true), Arguments.of(32, 1L, false), Arguments.of(32, MIN32, false),
                Arguments.of(64, 0L, true), Arguments.of(64, 1L, false), Arguments.of(64, MIN64, false),
                Arguments.of(64, 0x1_0000_0000L, false));
    }

    @ParameterizedTest(name = "rv{0} rs1={1} zero={2}")
    @MethodSource("compressedBranches")
    void cBeqzAndCBnez(int xlen, long value, boolean zero) {
        Run fwd = exec(xlen, a -> a
                .li(S0, value).li(A0, 1).li(A1, 1)
                .cBeqz(S0, "l1").li(A0, 0).label("l1")
                .cBnez(S0, "l2").li(A1, 0).label("l2"));
        assertX(fwd, A0, zero ? 1 : 0, "c.beqz forward");
        assertX(fwd, A1, zero ? 0 : 1, "c.bnez forward");
        Run back = exec(xlen, a -> a
                .li(S0, value).li(A0, 0).li(A1, 0)
                .j("t1")
                .label("b1").li(A0, 1).j("t2")
                .label("t1").cBeqz(S0, "b1")
                .label("t2").j("t3")
                .label("b2").li(A1, 1).j("out")
                .label("t3").cBnez(S0, "b2")
                .label("out"));
        assertX(back, A0, zero ? 1 : 0, "c.beqz backward");
        assertX(back, A1, zero ? 0 : 1, "c.bnez backward");
    }

    @Test
    void cJalLinksPcPlus2OnRv32() {
        Run r = exec(32, a -> a
                .li(A0, 0)
                .label("call").cJal("f")
                .label("ret").cAddi(A0, 20)
                .j("out")
                .label("f").cAddi(A0, 1).cJr(RA)
                .label("out"));
        assertX(r, RA, r.addr("call") + 2);
        assertX(r, A0, 21);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void cJrAndCJalr(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 0)
                .la(A5, "f")
                .label("call").cJalr(A5)
                .cAddi(A0, 20)
                .la(A4, "g")
                .cJr(A4)
                .cAddi(A0, 30)                       // skipped
                .label("f").cAddi(A0, 1).cJr(RA)
                .label("g").cAddi(A0, 4));
        assertX(r, A0, 25);
        assertX(r, RA, r.addr("call") + 2);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void cJrAndCJalrIgnoreBitZero(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 0)
                .la(A5, "f").addi(A5, A5, 1)
                .label("call").cJalr(A5)
                .j("out")
                .label("f").cAddi(A0, 1)
                .la(A4, "g").addi(A4, A4, 1)
                .cJr(A4)
                .cAddi(A0, 30)
                .label("g").cAddi(A0, 2)
                .cJr(RA)
                .label("out"));
        assertX(r, A0, 3);
        assertX(r, RA, r.addr("call") + 2);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void cJalrThroughRaUsesTheOldRa(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 0)
                .la(RA, "f")
                .label("call").cJalr(RA)
                .cAddi(A0, 20)
                .j("out")
                .label("f").cAddi(A0, 1).cJr(RA)
                .label("out"));
        assertX(r, A0, 21);
        assertX(r, RA, r.addr("call") + 2);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void thirtyTwoBitInstructionsAtHalfwordAlignedAddresses(int xlen) {
        Run r = exec(xlen, a -> a
                .cNop()                                  // everything below is at 2 mod 4
                .li(A0, 0x12345)
                .la(A5, "t")
                .jalr(RA, 0, A5)
                .cAddi(A0, 1)
                .j("out")
                .cNop()
                .label("t").addi(A0, A0, 16).ret()
                .label("out"));
        assertEquals(2, r.addr("t") % 4);
        assertX(r, A0, 0x12345 + 17);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void cEbreak(int xlen) {
        Run r = run(xlen, a -> a.li(A0, 1).label("bp").cEbreak().cNop());
        assertFault(r, GuestFault.Kind.BREAKPOINT, r.addr("bp"));
        assertEquals(1, r.result.instructions());
    }

    // ---- HINTs execute as no-ops

    static Stream<Arguments> hints() {
        return Stream.of(
                Arguments.of("c.nop 1", 0x0005), Arguments.of("c.nop -1", 0x107D),
                Arguments.of("c.addi a0, 0", 0x0501),
                Arguments.of("c.li x0, 5", 0x4015),
                Arguments.of("c.lui x0, 1", 0x6005),
                Arguments.of("c.mv x0, a0", 0x802A),
                Arguments.of("c.add x0, a0", 0x902A),
                Arguments.of("c.slli x0, 1", 0x0006),
                Arguments.of("c.slli a0, 0", 0x0502),
                Arguments.of("c.srli s0, 0", 0x8001),
                Arguments.of("c.srai s0, 0", 0x8401));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void hints(String name, int bits) {
        for (int xlen : new int[] {32, 64}) {
            Run r = exec(xlen, a -> a.li(A0, 0x1234).li(S0, -77).half(bits).addi(A0, A0, 1));
            assertX(r, A0, 0x1235, name);
            assertX(r, S0, -77, name);
            assertX(r, ZERO, 0, name);
        }
    }

    // ---- reserved encodings

    static Stream<Arguments> reserved() {
        return Stream.of(
                Arguments.of(32, "all-zero halfword", 0x0000), Arguments.of(64, "all-zero halfword", 0x0000),
                Arguments.of(32, "c.addi4spn a0, 0", 0x0008), Arguments.of(64, "c.addi4spn a0, 0", 0x0008),
                Arguments.of(32, "Q0 funct3=100", 0x9000), Arguments.of(64, "Q0 funct3=100", 0x9000),
                Arguments.of(32, "c.lwsp x0", 0x4002), Arguments.of(64, "c.lwsp x0, 32", 0x5002),
                Arguments.of(64, "c.ldsp x0", 0x6002),
                Arguments.of(32, "c.jr x0", 0x8002), Arguments.of(64, "c.jr x0", 0x8002),
                Arguments.of(32, "c.addi16sp 0", 0x6101), Arguments.of(64, "c.addi16sp 0", 0x6101),
                Arguments.of(32, "c.lui a0, 0", 0x6501), Arguments.of(64, "c.lui a0, 0", 0x6501),
                Arguments.of(64, "c.addiw x0", 0x2001), Arguments.of(64, "c.addiw x0, 5", 0x2015),
                Arguments.of(32, "c.subw on RV32", 0x9C01), Arguments.of(32, "c.addw on RV32", 0x9C21),
                Arguments.of(64, "CA funct6=100111 funct2=10", 0x9C41),
                Arguments.of(64, "CA funct6=100111 funct2=11", 0x9C61),
                Arguments.of(32, "c.srli shamt[5]=1 on RV32", 0x9001),
                Arguments.of(32, "c.srai shamt[5]=1 on RV32", 0x9401),
                Arguments.of(32, "c.slli shamt[5]=1 on RV32", 0x1502));
    }

    @ParameterizedTest(name = "rv{0} {1} ({2})")
    @MethodSource
    void reserved(int xlen, String name, int bits) {
        Run r = run(xlen, a -> a.li(A0, 7).label("bad").half(bits).cNop().ebreak());
        assertIllegal(r, r.addr("bad"), bits);
        assertX(r, A0, 7);
        assertEquals(1, r.result.instructions(), "the illegal instruction does not retire");
    }
}
