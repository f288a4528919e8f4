package dev.riscvsandbox.isa;

import static dev.riscvsandbox.isa.InstructionHarness.assertIllegal;
import static dev.riscvsandbox.isa.InstructionHarness.assertX;
import static dev.riscvsandbox.isa.InstructionHarness.exec;
import static dev.riscvsandbox.isa.InstructionHarness.execLocal;
import static dev.riscvsandbox.isa.InstructionHarness.run;
import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A3;
import static dev.riscvsandbox.testutil.Asm.A4;
import static dev.riscvsandbox.testutil.Asm.A5;
import static dev.riscvsandbox.testutil.Asm.A7;
import static dev.riscvsandbox.testutil.Asm.CSR_CYCLE;
import static dev.riscvsandbox.testutil.Asm.CSR_CYCLEH;
import static dev.riscvsandbox.testutil.Asm.CSR_FFLAGS;
import static dev.riscvsandbox.testutil.Asm.CSR_INSTRET;
import static dev.riscvsandbox.testutil.Asm.CSR_INSTRETH;
import static dev.riscvsandbox.testutil.Asm.CSR_TIME;
import static dev.riscvsandbox.testutil.Asm.CSR_TIMEH;
import static dev.riscvsandbox.testutil.Asm.T0;
import static dev.riscvsandbox.testutil.Asm.T1;
import static dev.riscvsandbox.testutil.Asm.T2;
import static dev.riscvsandbox.testutil.Asm.ZERO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.isa.InstructionHarness.Body;
import dev.riscvsandbox.isa.InstructionHarness.Run;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Zicsr: the user counters (exact instret, RV32 high halves), read-only and unknown CSRs, CSR operand forms. */
class CsrTest {

    private static final int[] XLENS = {32, 64};

    static Stream<Arguments> straightLine() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (int xlen : XLENS) {
            for (int n : new int[] {0, 1, 2, 10, 100, 1000}) {
                s.add(Arguments.of(xlen, n));
            }
        }
        return s.build();
    }

    @ParameterizedTest(name = "rv{0} {1} instructions")
    @MethodSource
    void straightLine(int xlen, int n) {
        Run r = execLocal(xlen, null, a -> {
            a.csrr(T0, CSR_INSTRET);
            for (int i = 0; i < n; i++) {
                a.addi(A0, A0, 1);
            }
            a.csrr(T1, CSR_INSTRET);
            a.sub(A1, T1, T0);
        });
        assertX(r, A1, n + 1, "instret difference = the first csrr + the instructions between");
    }

    @ParameterizedTest(name = "rv{0} {1} iterations")
    @MethodSource("straightLine")
    void loop(int xlen, int iterations) {
        Run r = execLocal(xlen, null, a -> a
                .csrr(T0, CSR_INSTRET)
                .li(T2, Math.max(iterations, 1))
                .label("loop")
                .addi(T2, T2, -1)
                .bnez(T2, "loop")
                .csrr(T1, CSR_INSTRET)
                .sub(A1, T1, T0));
        assertX(r, A1, 2 + 2L * Math.max(iterations, 1));
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void instretCountsCompressedInstructionsAndCalls(int xlen) {
        Run r = execLocal(xlen, null, a -> a
                .csrr(T0, CSR_INSTRET)              // 1
                .cNop().cNop().cNop()               // 3
                .call("f")                          // 2 (auipc, jalr)
                .cLi(A7, 5)                         // 1
                .csrr(T1, CSR_INSTRET)
                .sub(A1, T1, T0)
                .j("out")
                .label("f")
                .addi(A2, A2, 1)                    // 1
                .ret()                              // 1
                .label("out"));
        assertX(r, A1, 9);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void instretAgreesWithTheRunResult(int xlen) {
        Run r = execLocal(xlen, null, a -> {
            a.csrr(A0, CSR_INSTRET);
            for (int i = 0; i < 7; i++) {
                a.nop();
            }
            a.li(T2, 3).label("l").addi(T2, T2, -1).bnez(T2, "l");
            a.csrr(A1, CSR_INSTRET);
        });
        // the final csrr retires too; the ebreak does not
        assertEquals(r.x(A1) + 1, r.result.instructions(), r::toString);
        assertEquals(r.x(A0) + 1 + 7 + 1 + 6, r.x(A1));
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void cycleAndTimeAreReadableAndDoNotGoBackwards(int xlen) {
        Run r = execLocal(xlen, null, a -> a
                .csrr(A0, CSR_CYCLE)
                .csrr(A1, CSR_TIME)
                .li(T2, 1000).label("l").addi(T2, T2, -1).bnez(T2, "l")
                .csrr(A2, CSR_CYCLE)
                .csrr(A3, CSR_TIME)
                .csrrc(A4, CSR_CYCLE, ZERO)         // csrrc/csrrsi/csrrci with x0 / 0 do not write: legal
                .csrrsi(A5, CSR_TIME, 0)
                .csrrci(T0, CSR_INSTRET, 0));
        long mask = xlen == 32 ? 0xFFFF_FFFFL : -1L;
        assertTrue(Long.compareUnsigned(r.x(A2) & mask, r.x(A0) & mask) >= 0, "cycle went backwards\n" + r);
        assertTrue(Long.compareUnsigned(r.x(A3) & mask, r.x(A1) & mask) >= 0, "time went backwards\n" + r);
        assertTrue(Long.compareUnsigned(r.x(A4) & mask, r.x(A2) & mask) >= 0, "cycle went backwards\n" + r);
        assertTrue(Long.compareUnsigned(r.x(A5) & mask, r.x(A3) & mask) >= 0, "time went backwards\n" + r);
    }

    @Test
    void rv32HighHalvesAreReadable() {
        Run r = execLocal(32, null, a -> a
                .csrr(A0, CSR_INSTRETH)
                .csrr(A1, CSR_INSTRET)
                .label("again")                      // the usual 64-bit read idiom terminates
                .csrr(A2, CSR_CYCLEH)
                .csrr(A3, CSR_CYCLE)
                .csrr(A4, CSR_CYCLEH)
                .bne(A2, A4, "again")
                .label("again2")
                .csrr(A5, CSR_TIMEH)
                .csrr(T0, CSR_TIME)
                .csrr(T1, CSR_TIMEH)
                .bne(A5, T1, "again2"));
        assertX(r, A0, 0, "instreth of a short program");
        assertEquals(1, r.x(A1), "instret: one instruction retired before");
    }

    // ---- illegal CSR accesses

    /**
     * An access that must raise an illegal-instruction exception. {@code qemuAgrees} is false where qemu-user 7.2
     * deviates from the specification (it decides whether csrrs/csrrc write from the value of rs1, not from rs1 being
     * x0), so the optional qemu comparison is skipped for it.
     */
    record CsrAccess(int xlen, String text, Body emit, boolean qemuAgrees) {
        CsrAccess(int xlen, String text, Body emit) {
            this(xlen, text, emit, true);
        }

        @Override
        public String toString() {
            return "rv" + xlen + " " + text;
        }
    }

    static Stream<CsrAccess> illegalAccesses() {
        Stream.Builder<CsrAccess> s = Stream.builder();
        for (int xlen : XLENS) {
            // writes to the read-only counters, including writes of zero and writes with rs1/uimm != 0
            s.add(new CsrAccess(xlen, "csrw cycle, a1", a -> a.csrw(CSR_CYCLE, A1)));
            s.add(new CsrAccess(xlen, "csrrw a0, instret, x0", a -> a.csrrw(A0, CSR_INSTRET, ZERO)));
            // rs1 != x0 is a write even when the register holds zero (Zicsr: "will still attempt to write")
            s.add(new CsrAccess(xlen, "csrrs a0, time, a1 (a1 = 0)", a -> a.csrrs(A0, CSR_TIME, A1), false));
            s.add(new CsrAccess(xlen, "csrrc a0, cycle, a2", a -> a.csrrc(A0, CSR_CYCLE, A2)));
            s.add(new CsrAccess(xlen, "csrrwi a0, instret, 0", a -> a.csrrwi(A0, CSR_INSTRET, 0)));
            s.add(new CsrAccess(xlen, "csrrsi a0, time, 1", a -> a.csrrsi(A0, CSR_TIME, 1)));
            s.add(new CsrAccess(xlen, "csrrci x0, cycle, 31", a -> a.csrrci(ZERO, CSR_CYCLE, 31)));
            // CSRs this machine does not have
            for (int csr : new int[] {0x000, 0x004, 0x005, 0x008, 0x015, 0x040, 0x100, 0x180, 0x300, 0x301,
                0x344, 0x7C0, 0x800, 0xB00, 0xCC0, 0xF11, 0xFFF}) {
                s.add(new CsrAccess(xlen, String.format("csrr a0, 0x%03x", csr), a -> a.csrr(A0, csr)));
                s.add(new CsrAccess(xlen, String.format("csrrw x0, 0x%03x, a1", csr), a -> a.csrrw(ZERO, csr, A1)));
            }
        }
        s.add(new CsrAccess(32, "csrw cycleh, a1", a -> a.csrw(CSR_CYCLEH, A1)));
        s.add(new CsrAccess(32, "csrrs a0, instreth, a2", a -> a.csrrs(A0, CSR_INSTRETH, A2)));
        s.add(new CsrAccess(32, "csrrwi a0, timeh, 3", a -> a.csrrwi(A0, CSR_TIMEH, 3)));
        // the high halves exist on RV32 only
        s.add(new CsrAccess(64, "csrr a0, cycleh", a -> a.csrr(A0, CSR_CYCLEH)));
        s.add(new CsrAccess(64, "csrr a0, timeh", a -> a.csrr(A0, CSR_TIMEH)));
        s.add(new CsrAccess(64, "csrr a0, instreth", a -> a.csrr(A0, CSR_INSTRETH)));
        return s.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void illegalAccesses(CsrAccess c) {
        Run r = run(c.xlen, a -> {
            a.li(A0, 0x5A).li(A1, 0).li(A2, 1);
            a.label("csr");
            c.emit.emit(a);
            a.ebreak();
        });
        assertIllegal(r, r.addr("csr"), FloatTest.bitsOf(c.xlen, c.emit), c.qemuAgrees);
        assertX(r, A0, 0x5A, "rd must not be written");
    }

    // ---- operand forms on a read-write CSR

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void csrSwapWithDestinationEqualToSource(int xlen) {
        Run r = exec(xlen, a -> a
                .csrwi(CSR_FFLAGS, 0x11)
                .li(A0, 0x06)
                .csrrw(A0, CSR_FFLAGS, A0)       // a0 = 0x11, fflags = 0x06
                .li(A1, 0x18)
                .csrrs(A1, CSR_FFLAGS, A1)       // a1 = 0x06, fflags = 0x1e
                .li(A2, 0x0C)
                .csrrc(A2, CSR_FFLAGS, A2)       // a2 = 0x1e, fflags = 0x12
                .csrr(A3, CSR_FFLAGS));
        assertX(r, A0, 0x11);
        assertX(r, A1, 0x06);
        assertX(r, A2, 0x1E);
        assertX(r, A3, 0x12);
    }
}
