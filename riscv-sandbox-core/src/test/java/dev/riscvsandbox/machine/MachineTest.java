package dev.riscvsandbox.machine;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A7;
import static dev.riscvsandbox.testutil.Asm.RA;
import static dev.riscvsandbox.testutil.Asm.S1;
import static dev.riscvsandbox.testutil.Asm.SP;
import static dev.riscvsandbox.testutil.Asm.T0;
import static dev.riscvsandbox.testutil.Asm.T1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.GuestExitException;
import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.GuestTimeoutException;
import dev.riscvsandbox.elf.ElfException;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MachineTest {
    static final long DATA = 0x20000;

    /** A program whose main loop increments a counter in .data, calling the write syscall once, then exits 0. */
    private static Program counterProgram() throws ElfException {
        Asm a = Asm.rv64();
        a.label("_start")
                .li(T0, DATA).li(T1, 5).sd(T1, 0, T0) // counter = 5
                .li(A7, 0x1F0).ecall()                // custom host call 496: pauses the machine
                .ld(T1, 0, T0).addi(T1, T1, 1).sd(T1, 0, T0)
                .mv(A0, T1).li(A7, 93).ecall();
        a.label("add3").add(A0, A0, A1).addi(A0, A0, 3).ret();
        a.label("spin").j("spin");
        a.label("crash").ld(A0, 0, 0).ret();
        a.label("quit").li(A0, 9).li(A7, 94).ecall();
        // host call 0x1F1 in the middle of a frame, where a test has the host call back into the guest
        a.label("nested").addi(SP, SP, -16).sd(RA, 8, SP).sd(S1, 0, SP).li(S1, 100)
                .li(A7, 0x1F1).ecall().add(A0, A0, S1)
                .ld(S1, 0, SP).ld(RA, 8, SP).addi(SP, SP, 16).ret();
        return Program.load(TestElf.builder(64).text(a).data(DATA, new byte[8], 4096).build());
    }

    private static Machine pausedAtHostCall(Program p) {
        Machine m = Machine.builder(p).maxInstructions(1_000_000).build();
        m.setSyscallHandler(0x1F0, Machine::stop);
        RunResult r = m.run();
        assertInstanceOf(RunResult.Stopped.class, r);
        return m;
    }

    @Test
    void runsToExitAndCountsInstructions() throws Exception {
        Machine m = pausedAtHostCall(counterProgram());
        RunResult r = m.run();
        assertEquals(new RunResult.Exited(6, 6), r);
        assertTrue(m.exited());
                assertEquals(new RunResult.Exited(6, 0), m.run());
    }

    @Test
    void forkedChildrenAreIsolatedFromParentAndEachOther() throws Exception {
        Machine parent = pausedAtHostCall(counterProgram());
        Machine a = parent.fork();
        Machine b = parent.fork();
        a.memory().store64(DATA, 100);
        assertEquals(new RunResult.Exited(101, 6), a.run());
        assertEquals(new RunResult.Exited(6, 6), b.run());
        assertEquals(5, parent.memory().load64(DATA));
        assertEquals(100, a.memory().load64(DATA) - 1);
        assertEquals(new RunResult.Exited(6, 6), parent.run());
    }

    @Test
    void hostCallsReturnA0AndRestoreTheMachine() throws Exception {
        Machine m = pausedAtHostCall(counterProgram());
        long pc = m.pc();
        assertEquals(45, m.call("add3", 40, 2));
        assertEquals(pc, m.pc());
        assertThrows(IllegalArgumentException.class, () -> m.call("nope"));
        assertThrows(GuestTimeoutException.class,
                () -> m.call(m.program().symbol("spin").getAsLong(), 10_000));
        GuestFault f = assertThrows(GuestFault.class, () -> m.call("crash"));
        assertEquals(GuestFault.Kind.LOAD_ACCESS, f.kind());
        assertEquals("crash", f.symbol());
        assertEquals(9, assertThrows(GuestExitException.class, () -> m.call("quit")).status());
    }

    /**
     * Floating-point state is copied only when it may differ (Cpu versions it); every way of writing it must still be
     * undone by a call's restore and by a reset to the snapshot.
     */
    @Test
    void callsAndResetsRestoreFloatingPointStateHoweverItWasWritten() throws Exception {
        long oneAndHalf = Double.doubleToRawLongBits(1.5);
        Asm a = Asm.rv64();
        a.label("_start")
                .li(T0, oneAndHalf).fmvDX(1, T0).csrwi(2, 3)  // f1 = 1.5, frm = 3
                .li(A7, 0x1F0).ecall()                        // pause: the snapshot
                .faddD(1, 1, 1).csrwi(1, 5)                    // main goes on: f1 = 3.0, fflags = 5
                .li(A7, 0x1F0).ecall();
        a.label("arith").faddD(1, 1, 1).faddD(2, 1, 1).ret();
        a.label("load").li(T0, DATA).fld(1, 0, T0).ret();
        a.label("fflags").csrwi(1, 0x1F).ret();
        a.label("frm").csrwi(2, 4).ret();
        a.label("fcsr").li(T0, 0xFF).csrw(3, T0).ret();
        a.label("arithThenSpin").faddD(1, 1, 1).label("spin").j("spin");
        a.label("integer").addi(A0, A0, 1).ret();
        byte[] data = new byte[8];
        java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(Double.doubleToRawLongBits(7.0));
        Machine snapshot = pausedAtHostCall(Program.load(TestElf.builder(64).text(a).data(DATA, data, 4096).build()));
        snapshot.freeze();
        int fcsr = 3 << 5;

        Machine m = snapshot.fork();
        m.setSyscallHandler(0x1F0, Machine::stop);
        for (String f : new String[] {"arith", "load", "fflags", "frm", "fcsr", "integer", "arith"}) {
            m.call(f, 1);
            assertEquals(oneAndHalf, m.fpr(1), f);
            assertEquals(0, m.fpr(2), f);
            assertEquals(fcsr, m.fcsr(), f);
        }
        assertThrows(GuestTimeoutException.class, () -> m.call(m.program().symbol("arithThenSpin").getAsLong(), 100));
        assertEquals(oneAndHalf, m.fpr(1));

        m.setFpr(2, 42);                                     // the host's write survives a call that saves it
        m.call("integer", 1);
        assertEquals(42, m.fpr(2));
        m.resetTo(snapshot);
        assertEquals(0, m.fpr(2));

        assertInstanceOf(RunResult.Stopped.class, m.run());  // main's own FP writes, then a reset
        assertEquals(Double.doubleToRawLongBits(3.0), m.fpr(1));
        assertEquals(fcsr | 5, m.fcsr());
        m.resetTo(snapshot);
        assertEquals(oneAndHalf, m.fpr(1));
        assertEquals(fcsr, m.fcsr());
        Machine child = m.fork();                            // a fork copies the current state, written or not
        m.setFpr(1, 9);
        Machine grandchild = m.fork();
        assertEquals(oneAndHalf, child.fpr(1));
        assertEquals(9, grandchild.fpr(1));
    }

    /**
     * A fork of a frozen snapshot restores its registers from the snapshot's after a call instead of saving its own;
     * anything that changes them outside a call (the host, a run) must make calls and resets copy again.
     */
    @Test
    void registersChangedOutsideACallSurviveCallsAndResetsUndoThem() throws Exception {
        Machine snapshot = pausedAtHostCall(counterProgram());
        snapshot.freeze();
        long sp = snapshot.reg(2);
        long pc = snapshot.pc();
        Machine m = snapshot.fork();
        m.setSyscallHandler(0x1F0, Machine::stop);
        assertEquals(45, m.call("add3", 40, 2));
        assertEquals(sp, m.reg(2));
        assertEquals(0, m.reg(10));

        assertEquals(45, m.callResult(0));
        m.resetTo(snapshot);                                 // a reset forgets the last call's results
        assertEquals(0, m.callResult(0));
        assertThrows(IllegalStateException.class, () -> snapshot.setReg(9, 1)); // forks read it on other threads
        assertThrows(IllegalStateException.class, () -> snapshot.setFpr(1, 1));
        assertThrows(IllegalStateException.class, () -> snapshot.setPc(pc));

        m.setReg(9, 5);                                      // the host's own write survives a call
        m.call("add3", 1, 2);
        assertEquals(5, m.reg(9));
        m.resetTo(snapshot);
        assertEquals(0, m.reg(9));

        m.setPc(pc + 4);                                     // and so does a moved pc
        m.call("add3", 1, 2);
        assertEquals(pc + 4, m.pc());
        m.resetTo(snapshot);
        assertEquals(pc, m.pc());

        assertEquals(new RunResult.Exited(6, 6), m.run());   // main ran on: its registers are no longer the snapshot's
        assertEquals(6, m.reg(10));
        m.resetTo(snapshot);
        assertEquals(snapshot.reg(10), m.reg(10));
        assertEquals(pc, m.pc());
        assertEquals(snapshot.instructions(), m.instructions());
        assertEquals(new RunResult.Exited(6, 6), m.run());
    }

    /**
     * A call from the snapshot's registers (nothing saved, the snapshot's restored after) whose host call calls into
     * the guest again (that inner call saves and restores): the outer frame's registers survive the inner call, and
     * afterwards, and after a reset, the registers are the snapshot's.
     */
    @Test
    void nestedCallsFromTheSnapshotsRegistersRestoreEachLevel() throws Exception {
        Machine snapshot = pausedAtHostCall(counterProgram());
        snapshot.freeze();
        Machine m = snapshot.fork();
        for (int request = 0; request < 3; request++) {
            // handlers set on a fork are its own: a reset brings back the snapshot's, as a fresh fork would have
            m.setSyscallHandler(0x1F1, g -> g.setReg(10, g.call("add3", 10, 20)));
            assertEquals(133, m.call("nested"), "the inner call's 33 plus the outer frame's s1");
            assertEquals(45, m.call("add3", 40, 2));
            for (int r = 1; r < 32; r++) {
                assertEquals(snapshot.reg(r), m.reg(r), "x" + r + " after request " + request);
            }
            assertEquals(snapshot.pc(), m.pc());
            m.resetTo(snapshot);
        }
        m.setSyscallHandler(0x1F1, g -> g.setReg(10, g.call("add3", 10, 20)));
        m.setReg(9, 7); // registers changed outside a call: the calls save and restore them instead
        assertEquals(133, m.call("nested"));
        assertEquals(7, m.reg(9));
        m.resetTo(snapshot);
        assertEquals(snapshot.reg(9), m.reg(9));
    }

    @Test
    void budgetExhaustionIsATimeoutThatCanBeResumed() throws Exception {
        Asm a = Asm.rv64();
        a.label("_start").li(T0, 0).li(T1, 1000).label("loop").addi(T0, T0, 1).blt(T0, T1, "loop")
                .mv(A0, T0).li(A7, 93).ecall();
        Program p = Program.load(TestElf.of(a));
        Machine m = Machine.builder(p).maxInstructions(500).build();
        RunResult r = m.run();
        assertInstanceOf(RunResult.TimedOut.class, r);
        assertTrue(r.instructions() <= 500);
        RunResult rest = m.run(10_000);
        assertEquals(1000 & 0xFF, ((RunResult.Exited) rest).status());
        assertEquals(2 + 2 * 1000 + 3, m.instructions());
    }

    @Test
    void faultsCarryKindPcSymbolAndAddress() throws Exception {
        Asm a = Asm.rv64();
        a.label("_start").li(T0, 0x1234).label("boom").sw(T0, 0, T0);
        Program p = Program.load(TestElf.of(a));
        RunResult r = Machine.builder(p).build().run();
        GuestFault f = ((RunResult.Faulted) r).fault();
        assertEquals(GuestFault.Kind.STORE_ACCESS, f.kind());
        assertEquals(0x1234, f.address());
        assertEquals(a.address("boom"), f.pc());
        assertTrue(f.getMessage().contains("store access fault at pc 0x"), f.getMessage());
    }

    @Test
    void jumpsOutOfTheSegmentWriteTheLinkOnlyWhenTheTargetHoldsCode() throws Exception {
        // 0x2000 is the host-call trampoline, a segment of its own: a jal there leaves the program's segment.
        Asm a = Asm.rv64();
        a.label("_start").label("far").jal(1, 0x2000 - 0x10000).label("after");
        Program p = Program.load(TestElf.of(a));
        Machine m = Machine.builder(p).build();
        RunResult r = m.run(); // reaching the trampoline outside a host call is a stray jump
        assertEquals(GuestFault.Kind.EXECUTE_ACCESS, ((RunResult.Faulted) r).fault().kind());
        assertEquals(a.address("after"), m.reg(1));
        Asm b = Asm.rv64();
        b.label("_start").jal(1, 0x40000);
        Machine nowhere = Machine.builder(Program.load(TestElf.of(b))).build();
        assertInstanceOf(RunResult.Faulted.class, nowhere.run());
        assertEquals(0, nowhere.reg(1));
    }

    @Test
    void unknownSyscallsReturnEnosysAndAreCounted() throws Exception {
        Asm a = Asm.rv64();
        a.label("_start").li(A7, 777).ecall().li(A7, 93).ecall();
        Machine m = Machine.builder(Program.load(TestElf.of(a))).build();
        RunResult r = m.run();
        assertEquals(256 - 38, ((RunResult.Exited) r).status()); // exit(-ENOSYS) & 0xFF
        assertEquals(1, m.unknownSyscalls());
    }

    @Test
    void writeGoesToTheConfiguredSink() throws Exception {
        Asm a = Asm.rv64();
        a.label("_start").li(A0, 1).la(A1, "msg").li(Asm.A2, 3).li(A7, 64).ecall()
                .li(A0, 0).li(A7, 93).ecall().label("msg").word(0x0a6968);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Machine m = Machine.builder(Program.load(TestElf.of(a))).stdout(out).build();
        assertEquals(new RunResult.Exited(0, 9), m.run());
        assertEquals("hi\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void manyThreadsRunMachinesOfOneProgramConcurrently() throws Exception {
        Asm a = Asm.rv64();
        // sum 1..a0 into a .data word, then exit with the sum's low byte
        a.label("_start").li(T0, DATA).li(T1, 0).li(A1, 20_000).label("loop").add(T1, T1, A1).sd(T1, 0, T0)
                .addi(A1, A1, -1).bnez(A1, "loop").ld(A0, 0, T0).li(A7, 93).ecall();
        Program p = Program.load(TestElf.builder(64).text(a).data(DATA, new byte[8], 4096).build());
        int expected = (int) ((20_000L * 20_001L / 2) & 0xFF);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<RunResult>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> Machine.builder(p).build().run()));
            }
            for (var f : results) {
                assertEquals(expected, ((RunResult.Exited) f.get()).status());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void memoryLimitIsAGuestFaultNotAJavaError() throws Exception {
        Asm a = Asm.rv64();
        // mmap 64 MiB, then touch every page
        a.label("_start").li(A0, 0).li(A1, 64 << 20).li(Asm.A2, 3).li(Asm.A3, 0x22).li(Asm.A4, -1).li(Asm.A5, 0)
                .li(A7, 222).ecall()
                .li(T1, 4096).li(T0, 64 << 20).add(T0, T0, A0)
                .label("touch").sd(T1, 0, A0).add(A0, A0, T1).blt(A0, T0, "touch")
                .li(A0, 0).li(A7, 93).ecall();
        Machine m = Machine.builder(Program.load(TestElf.of(a))).maxMemory(1 << 20).build();
        GuestFault f = ((RunResult.Faulted) m.run()).fault();
        assertEquals(GuestFault.Kind.OUT_OF_MEMORY, f.kind());
    }
}
