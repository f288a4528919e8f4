package dev.riscvsandbox.isa;

import static dev.riscvsandbox.isa.InstructionHarness.DATA;
import static dev.riscvsandbox.isa.InstructionHarness.MAX32;
import static dev.riscvsandbox.isa.InstructionHarness.MAX64;
import static dev.riscvsandbox.isa.InstructionHarness.MIN32;
import static dev.riscvsandbox.isa.InstructionHarness.MIN64;
import static dev.riscvsandbox.isa.InstructionHarness.ONES32;
import static dev.riscvsandbox.isa.InstructionHarness.assertFault;
import static dev.riscvsandbox.isa.InstructionHarness.assertX;
import static dev.riscvsandbox.isa.InstructionHarness.exec;
import static dev.riscvsandbox.isa.InstructionHarness.hex32or64;
import static dev.riscvsandbox.isa.InstructionHarness.run;
import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A3;
import static dev.riscvsandbox.testutil.Asm.A4;
import static dev.riscvsandbox.testutil.Asm.A5;
import static dev.riscvsandbox.testutil.Asm.A7;
import static dev.riscvsandbox.testutil.Asm.RA;
import static dev.riscvsandbox.testutil.Asm.T0;
import static dev.riscvsandbox.testutil.Asm.T1;
import static dev.riscvsandbox.testutil.Asm.ZERO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.isa.InstructionHarness.Run;
import dev.riscvsandbox.machine.RunResult;
import dev.riscvsandbox.testutil.Asm;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RV32I / RV64I branches, jal/jalr, x0, fences, ecall and ebreak. */
class BaseIntegerControlTest {

    @FunctionalInterface
    interface Branch {
        void emit(Asm a, int rs1, int rs2, String label);
    }

    record BranchCase(int xlen, String name, Branch op, long a, long b, boolean taken) {
        @Override
        public String toString() {
            return "rv" + xlen + " " + name + " " + hex32or64(xlen, a) + ", " + hex32or64(xlen, b) + " -> "
                    + (taken ? "taken" : "not taken");
        }
    }

    private static final String[] NAMES = {"beq", "bne", "blt", "bge", "bltu", "bgeu"};
    private static final Branch[] OPS = {Asm::beq, Asm::bne, Asm::blt, Asm::bge, Asm::bltu, Asm::bgeu};

    /** Expected outcome for each of beq, bne, blt, bge, bltu, bgeu. */
    private static void all(Stream.Builder<BranchCase> s, int xlen, long a, long b, boolean eq, boolean lt,
                            boolean ltu) {
        boolean[] taken = {eq, !eq, lt, !lt, ltu, !ltu};
        for (int i = 0; i < OPS.length; i++) {
            s.add(new BranchCase(xlen, NAMES[i], OPS[i], a, b, taken[i]));
        }
    }

    static Stream<BranchCase> branches() {
        Stream.Builder<BranchCase> s = Stream.builder();
        //              a        b       eq     lt(signed) lt(unsigned)
        all(s, 64, 5, 5, true, false, false);
        all(s, 64, 5, 6, false, true, true);
        all(s, 64, 6, 5, false, false, false);
        all(s, 64, -1, 0, false, true, false);
        all(s, 64, 0, -1, false, false, true);
        all(s, 64, MIN64, MAX64, false, true, false);
        all(s, 64, MAX64, MIN64, false, false, true);
        all(s, 64, -1, ONES32, false, true, false);       // differ only in the upper half
        all(s, 64, MIN64, MIN64, true, false, false);
        all(s, 32, 5, 5, true, false, false);
        all(s, 32, 5, 6, false, true, true);
        all(s, 32, ONES32, 0, false, true, false);
        all(s, 32, 0, ONES32, false, false, true);
        all(s, 32, MIN32, MAX32, false, true, false);
        all(s, 32, MAX32, MIN32, false, false, true);
        all(s, 32, ONES32, -1, true, false, false);       // the same 32-bit value
        return s.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void branches(BranchCase c) {
        // forward branch
        Run fwd = exec(c.xlen, a -> {
            a.li(A1, c.a).li(A2, c.b).li(A0, 1);
            c.op.emit(a, A1, A2, "skip");
            a.li(A0, 0);
            a.label("skip");
        });
        assertX(fwd, A0, c.taken ? 1 : 0, c + " (forward)");
        // backward branch: taken means the code before the branch runs a second time
        Run back = exec(c.xlen, a -> {
            a.li(A1, c.a).li(A2, c.b).li(A0, 0).li(A3, 0);
            a.j("check");
            a.label("again").li(A0, 1).j("out");
            a.label("check");
            c.op.emit(a, A1, A2, "again");
            a.label("out");
        });
        assertX(back, A0, c.taken ? 1 : 0, c + " (backward)");
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void countingLoop(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 0).li(A1, 100)
                .label("loop")
                .add(A0, A0, A1)
                .addi(A1, A1, -1)
                .bnez(A1, "loop"));
        assertX(r, A0, 5050);
        assertX(r, A1, 0);
    }

    // ---- jal / jalr

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void jalLinksAndJumps(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 0)
                .label("j1").jal(RA, "t1")
                .li(A0, 99)                         // skipped
                .label("t1")
                .label("j2").jal(ZERO, "t2")       // j: no link
                .li(A0, 98)
                .label("t2")
                .j("fwd")
                .label("back").addi(A0, A0, 1).j("done")
                .label("fwd").label("j3").jal(T0, "back")
                .label("done"));
        assertX(r, RA, r.addr("j1") + 4);
        assertX(r, T0, r.addr("j3") + 4);
        assertX(r, A0, 1);
        assertX(r, ZERO, 0);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void jalrClearsBitZeroAndLinks(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 0)
                .la(T0, "target")
                .addi(T0, T0, 1)                    // odd address: bit 0 must be ignored
                .label("jr").jalr(RA, 0, T0)
                .li(A0, 99)
                .label("target")
                .addi(A0, A0, 1)
                .la(T1, "target2")
                .addi(T1, T1, -8)
                .label("jr2").jalr(A5, 9, T1)       // target2 + 1
                .li(A0, 98)
                .label("target2")
                .addi(A0, A0, 1));
        assertX(r, A0, 2);
        assertX(r, RA, r.addr("jr") + 4);
        assertX(r, A5, r.addr("jr2") + 4);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void jalrWithDestinationEqualToBaseUsesTheOldBase(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 0)
                .la(T0, "target")
                .label("jr").jalr(T0, 0, T0)
                .li(A0, 99)
                .label("target")
                .addi(A0, A0, 7));
        assertX(r, A0, 7);
        assertX(r, T0, r.addr("jr") + 4);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void callAndReturn(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 20)
                .label("c1").call("double")
                .label("c2").call("double")
                .j("out")
                .label("double")
                .add(A0, A0, A0)
                .ret()
                .label("out"));
        assertX(r, A0, 80);
        assertX(r, RA, r.addr("c2") + 8);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void jalrToDataFaults(int xlen) {
        Run r = run(xlen, a -> a.li(T0, DATA).label("jr").jalr(RA, 0, T0).ebreak());
        GuestFault f = r.fault();
        assertEquals(GuestFault.Kind.EXECUTE_ACCESS, f.kind(), r::toString);
        assertEquals(DATA, f.address());
    }

    // ---- x0

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void x0StaysZero(int xlen) {
        Run r = exec(xlen, a -> {
            a.li(A1, DATA).li(A2, 0x55);
            a.sw(A2, 0, A1);
            a.addi(ZERO, ZERO, 5);
            a.addi(ZERO, A2, 1);
            a.lui(ZERO, 0x12345);
            a.auipc(ZERO, 1);
            a.add(ZERO, A2, A2);
            a.slli(ZERO, A2, 3);
            a.lw(ZERO, 0, A1);
            a.mul(ZERO, A2, A2);
            a.div(ZERO, A2, A2);
            a.amoaddW(ZERO, A2, A1);
            a.csrr(ZERO, Asm.CSR_INSTRET);
            a.jal(ZERO, "next");
            a.label("next");
            a.add(A0, ZERO, ZERO);
            a.addi(A3, ZERO, 7);
            a.mv(A4, ZERO);
            a.sltu(A5, ZERO, A2);
        });
        assertX(r, ZERO, 0);
        assertX(r, A0, 0);
        assertX(r, A3, 7);
        assertX(r, A4, 0);
        assertX(r, A5, 1);
        assertEquals(0xAA, r.mem32(DATA), "amoadd with rd=x0 still updates memory");
    }

    // ---- fences

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void fencesAreNoOps(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 1)
                .fence()
                .addi(A0, A0, 1)
                .fence(Asm.FENCE_RW, Asm.FENCE_RW)
                .fence(Asm.FENCE_R, Asm.FENCE_W)
                .fenceTso()
                .fence(Asm.FENCE_W, 0)                 // pause (Zihintpause), a HINT
                .addi(A0, A0, 1)
                .fenceI()
                .addi(A0, A0, 1));
        assertX(r, A0, 4);
    }

    /**
     * FENCE's rd, rs1 and reserved fm values, and FENCE.I's imm, rs1 and rd, are reserved for future use: "base
     * implementations shall ignore these fields" (and treat reserved fm values as a normal fence).
     */
    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void reservedFenceFieldsAreIgnored(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 1).li(A1, 0x77)
                .word(0x0FF5_858F)          // fence iorw,iorw with rd = a1, rs1 = a1
                .addi(A0, A0, 1)
                .word(0xF330_000F)          // fm = 1111 (reserved)
                .addi(A0, A0, 1)
                .word(0x0000_000F)          // fence 0,0
                .addi(A0, A0, 1)
                .word(0x7FF5_958F)          // fence.i with imm = 0x7ff, rs1 = a1, rd = a1
                .addi(A0, A0, 1));
        assertX(r, A0, 5);
        assertX(r, A1, 0x77, "a fence never writes rd");
    }

    // ---- ecall / ebreak

    @ParameterizedTest(name = "rv64 exit({0})")
    @ValueSource(ints = {0, 1, 42, 255})
    void ecallExitStatus64(int status) {
        exitStatus(64, status);
    }

    @ParameterizedTest(name = "rv32 exit({0})")
    @ValueSource(ints = {0, 1, 42, 255})
    void ecallExitStatus32(int status) {
        exitStatus(32, status);
    }

    private static void exitStatus(int xlen, int status) {
        Run r = run(xlen, a -> a.li(A0, status).li(A7, 93).ecall().ebreak());
        RunResult.Exited e = assertInstanceOf(RunResult.Exited.class, r.result, r::toString);
        assertEquals(status, e.status());
        assertEquals(3, e.instructions(), "li, li, ecall");
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void exitGroupStatus(int xlen) {
        Run r = run(xlen, a -> a.li(A0, 7).li(A7, 94).ecall().ebreak());
        RunResult.Exited e = assertInstanceOf(RunResult.Exited.class, r.result, r::toString);
        assertEquals(7, e.status());
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void ecallContinuesAtTheNextInstruction(int xlen) {
        // an unknown system call returns -ENOSYS and execution continues after the ecall
        Run r = exec(xlen, a -> a.li(A1, 5).li(A7, 1000).ecall().addi(A1, A1, 1));
        assertX(r, A0, -38);
        assertX(r, A1, 6);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void ebreakFaultsWithBreakpointAtItsPc(int xlen) {
        Run r = run(xlen, a -> a.li(A0, 3).label("bp").ebreak().li(A0, 4));
        assertFault(r, GuestFault.Kind.BREAKPOINT, r.addr("bp"));
        assertX(r, A0, 3);
        assertEquals(r.addr("bp"), r.pc, "pc stays at the ebreak");
        assertEquals(1, r.result.instructions(), "ebreak does not retire");
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void largeForwardAndBackwardJumps(int xlen) {
        Run r = exec(xlen, a -> {
            a.li(A0, 0);
            a.j("far");
            a.label("back").addi(A0, A0, 10).j("out");
            for (int i = 0; i < 3000; i++) {
                a.addi(A0, A0, 100);         // never executed
            }
            a.label("far").addi(A0, A0, 1);
            a.blt(ZERO, A0, "farback");      // a branch cannot reach "back" (> 4 KiB), so jump through a jal
            a.j("out");
            a.label("farback").jal(ZERO, "back");
            a.label("out");
        });
        assertX(r, A0, 11);
    }

    // ---- jumps to addresses without code: the trap must be precise

    /**
     * A jump to an address without code traps. Either the jump retires (rd written, counted) and the fault is reported
     * at the target, or the fault is reported at the jump, which then must not have changed any state: a trap is
     * precise, the instruction it reports has no architectural effect (and re-running it must do the same thing).
     */
    private static void assertPreciseJumpFault(Run r, int linkReg, long linkValue, long oldLinkValue, long target,
                                               int instructionsBefore) {
        GuestFault f = r.fault();
        assertEquals(GuestFault.Kind.EXECUTE_ACCESS, f.kind(), r::toString);
        assertEquals(hex32or64(r.xlen, target), hex32or64(r.xlen, f.address()), "fault address = jump target");
        if (f.pc() == r.addr("jump")) {
            assertX(r, linkReg, oldLinkValue, "fault reported at the jump, so its rd must be unchanged");
            assertEquals(instructionsBefore, r.result.instructions(), "the jump did not retire");
        } else {
            assertEquals(hex32or64(r.xlen, target), hex32or64(r.xlen, f.pc()), "fault pc is the jump or its target");
            assertX(r, linkReg, linkValue, "the jump retired, so rd holds the link");
            assertEquals(instructionsBefore + 1, r.result.instructions(), "the jump retired");
        }
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void jalrToUnmappedAddressIsPrecise(int xlen) {
        Run r = run(xlen, a -> a.li(RA, 0x5000).li(T0, 0x4000).label("jump").jalr(RA, 0, T0).ebreak());
        assertPreciseJumpFault(r, RA, r.addr("jump") + 4, 0x5000, 0x4000, 2);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void jalrThroughItsOwnLinkRegisterToUnmappedAddressIsPrecise(int xlen) {
        // if rd were written before the fault, re-executing this jalr would jump somewhere else
        Run r = run(xlen, a -> a.li(T0, 0x4000).label("jump").jalr(T0, 0, T0).ebreak());
        assertPreciseJumpFault(r, T0, r.addr("jump") + 4, 0x4000, 0x4000, 1);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void jalOutOfTheCodeSegmentIsPrecise(int xlen) {
        Run r = run(xlen, a -> a.li(RA, 0x5000).label("jump").jal(RA, 0x8000).ebreak());
        assertPreciseJumpFault(r, RA, r.addr("jump") + 4, 0x5000, r.addr("jump") + 0x8000, 1);
    }

    @Test
    void rv64JumpToAnAliasOfTheCodeAboveTheAddressSpaceFaults() {
        // TEXT + 2^40 must not run the code at TEXT
        Run r = run(64, a -> a
                .li(A0, 0)
                .label("top").auipc(T0, 0)
                .li(T1, 1L << 40)
                .add(T0, T0, T1)
                .addi(A0, A0, 1)
                .jalr(ZERO, 0, T0)
                .ebreak());
        GuestFault f = r.fault();
        assertEquals(GuestFault.Kind.EXECUTE_ACCESS, f.kind(), r::toString);
        assertEquals(InstructionHarness.hex(r.addr("top") + (1L << 40)), InstructionHarness.hex(f.address()));
        assertX(r, A0, 1);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void takenBranchOutOfTheCodeSegmentFaults(int xlen) {
        Run r = run(xlen, a -> a.li(A0, 1).label("jump").bne(A0, ZERO, 0x800).ebreak());
        GuestFault f = r.fault();
        assertEquals(GuestFault.Kind.EXECUTE_ACCESS, f.kind(), r::toString);
        assertEquals(r.addr("jump") + 0x800, f.address());
        assertX(r, A0, 1);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void notTakenBranchOutOfTheCodeSegmentFallsThrough(int xlen) {
        Run r = exec(xlen, a -> a.li(A0, 0).bne(A0, ZERO, 0x7F0).addi(A0, A0, 5).beq(A0, ZERO, -0x400).addi(A0, A0, 1));
        assertX(r, A0, 6);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void runningOffTheEndOfTheCodeFaults(int xlen) {
        Run r = run(xlen, a -> a.li(A0, 1).addi(A0, A0, 1).label("end"));
        GuestFault f = r.fault();
        assertEquals(GuestFault.Kind.EXECUTE_ACCESS, f.kind(), r::toString);
        assertEquals(r.addr("end"), f.address());
        assertX(r, A0, 2);
        assertEquals(2, r.result.instructions());
    }

    // ---- overlapping instructions: a jump into the middle of a 32-bit instruction

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void jumpIntoTheUpperHalfOfA32BitInstruction(int xlen) {
        // lui a0, 0x05050 is 0x05050537; its upper half 0x0505 is c.addi a0, 1 (reads instret: not compared with qemu)
        Run r = InstructionHarness.execLocal(xlen, null, a -> a
                .li(A0, 5)
                .la(T0, "ins")
                .csrr(A2, Asm.CSR_INSTRET)
                .jalr(ZERO, 2, T0)
                .label("ins").word(0x0505_0537)
                .csrr(A3, Asm.CSR_INSTRET)
                .mv(A1, A0)
                .sub(A3, A3, A2)
                .li(A2, 0));
        assertX(r, A0, 6, "only the c.addi in the upper half ran");
        assertX(r, A1, 6);
        assertX(r, A3, 3, "csrr, jalr, c.addi");
    }
}
