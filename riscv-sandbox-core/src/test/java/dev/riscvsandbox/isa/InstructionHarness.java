package dev.riscvsandbox.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.elf.ElfException;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.Program;
import dev.riscvsandbox.machine.RunResult;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Runs small instruction snippets through the public {@link Machine} API and snapshots the architectural state.
 *
 * <p>Every program gets a text segment at {@link #TEXT} and a three-page read/write data segment at {@link #DATA}
 * (so that accesses across the page boundaries at {@code DATA + 0x1000} and {@code DATA + 0x2000} can be tested).
 * {@link #exec} appends an {@code ebreak} at the label {@link #END} and checks that the program stopped exactly there,
 * which keeps every register as the snippet left it; {@link #run} adds nothing and returns whatever happened.
 */
final class InstructionHarness {
    static final long TEXT = TestElf.DEFAULT_TEXT_ADDRESS;
    static final long DATA = 0x200000;
    static final int PAGE = 4096;
    static final int DATA_SIZE = 3 * PAGE;
    static final String END = "__end";
    static final long MAX_INSTRUCTIONS = 1_000_000;

    static final long MIN64 = Long.MIN_VALUE;
    static final long MAX64 = Long.MAX_VALUE;
    static final long MIN32 = 0x8000_0000L;
    static final long MAX32 = 0x7FFF_FFFFL;
    static final long ONES32 = 0xFFFF_FFFFL;

    private InstructionHarness() {
    }

    /** Emits a program snippet. */
    @FunctionalInterface
    interface Body {
        void emit(Asm a);
    }

    /** An instruction {@code op rd, rs1, rs2} (matches {@code Asm::add} and friends). */
    @FunctionalInterface
    interface R {
        void emit(Asm a, int rd, int rs1, int rs2);
    }

    /** An instruction {@code op rd, rs1, imm} (matches {@code Asm::addi}, {@code Asm::slli}, ...). */
    @FunctionalInterface
    interface I {
        void emit(Asm a, int rd, int rs1, int imm);
    }

    /** An instruction {@code op rd, rs1} (matches {@code Asm::clz}, {@code Asm::sextB}, ...). */
    @FunctionalInterface
    interface U {
        void emit(Asm a, int rd, int rs1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Running

    /** Assembles {@code body} (nothing appended), runs it with {@code data} at {@link #DATA}, snapshots the state. */
    static Run run(int xlen, byte[] data, Body body) {
        return runImage(xlen, data, DATA_SIZE, body);
    }

    /**
     * Runs with exactly {@code init} as the initialized part of the data segment; the rest of the
     * {@link #DATA_SIZE} bytes is zero-filled (.bss) memory.
     */
    static Run runWithBss(int xlen, byte[] init, Body body) {
        return runImage(xlen, init, init.length, body);
    }

    /** {@code data} is read after {@code body} has been emitted, so the body may still fill it in. */
    private static Run runImage(int xlen, byte[] data, int initialized, Body body) {
        Asm a = new Asm(xlen, TEXT);
        body.emit(a);
        byte[] init = data == null ? new byte[initialized] : Arrays.copyOf(data, initialized);
        byte[] elf = TestElf.builder(xlen).text(a).data(DATA, init, DATA_SIZE).build();
        Program p;
        try {
            p = Program.load(elf);
        } catch (ElfException e) {
            throw new AssertionError("test ELF rejected: " + e.getMessage(), e);
        }
        try (Machine m = Machine.builder(p).maxInstructions(MAX_INSTRUCTIONS).build()) {
            RunResult r = m.run();
            return new Run(xlen, a, elf, r, m);
        }
    }

    static Run run(int xlen, Body body) {
        return run(xlen, null, body);
    }

    /**
     * Runs {@code body} followed by {@code ebreak} at {@link #END}; fails unless the run stopped at that ebreak. With
     * {@code -Disa.qemu=true} the final state is also compared with qemu-user's (see {@link Qemu}).
     */
    static Run exec(int xlen, byte[] data, Body body) {
        Run r = execLocal(xlen, data, body);
        if (Qemu.CROSS_CHECK) {
            Qemu.compareFinalState(xlen, data == null ? null : data.clone(), body);
        }
        return r;
    }

    static Run exec(int xlen, Body body) {
        return exec(xlen, null, body);
    }

    /** Like {@link #exec} but never compared with qemu (for snippets whose results differ legitimately: counters). */
    static Run execLocal(int xlen, byte[] data, Body body) {
        Run r = run(xlen, data, a -> {
            body.emit(a);
            a.label(END);
            a.ebreak();
        });
        r.assertStoppedAtEnd();
        return r;
    }

    /** The outcome of one run: the result and a snapshot of registers, fcsr and the data segment. */
    static final class Run {
        final int xlen;
        final Asm asm;
        final byte[] elf;
        final RunResult result;
        private final long[] x = new long[32];
        private final long[] f = new long[32];
        final int fcsr;
        final long pc;
        private final ByteBuffer data;

        Run(int xlen, Asm asm, byte[] elf, RunResult result, Machine m) {
            this.xlen = xlen;
            this.asm = asm;
            this.elf = elf;
            this.result = result;
            for (int i = 0; i < 32; i++) {
                x[i] = m.reg(i);
                f[i] = m.fpr(i);
            }
            this.fcsr = m.fcsr();
            this.pc = m.pc();
            this.data = ByteBuffer.wrap(m.memory().readBytes(DATA, DATA_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        }

        long x(int reg) {
            return x[reg];
        }

        long f(int reg) {
            return f[reg];
        }

        long[] xs() {
            return x.clone();
        }

        long[] fs() {
            return f.clone();
        }

        int fflags() {
            return fcsr & 0x1F;
        }

        int frm() {
            return (fcsr >> 5) & 7;
        }

        long addr(String label) {
            return asm.address(label);
        }

        byte[] dataBytes() {
            return data.array().clone();
        }

        long mem64(long addr) {
            return data.getLong(off(addr, 8));
        }

        int mem32(long addr) {
            return data.getInt(off(addr, 4));
        }

        int mem16(long addr) {
            return data.getShort(off(addr, 2)) & 0xFFFF;
        }

        int mem8(long addr) {
            return data.get(off(addr, 1)) & 0xFF;
        }

        private static int off(long addr, int size) {
            long o = addr - DATA;
            if (o < 0 || o + size > DATA_SIZE) {
                throw new IllegalArgumentException("not in the data segment: 0x" + Long.toHexString(addr));
            }
            return (int) o;
        }

        GuestFault fault() {
            RunResult.Faulted f = assertInstanceOf(RunResult.Faulted.class, result, () -> "expected a fault\n" + this);
            return f.fault();
        }

        void assertStoppedAtEnd() {
            if (!(result instanceof RunResult.Faulted f) || f.fault().kind() != GuestFault.Kind.BREAKPOINT
                    || f.fault().pc() != addr(END)) {
                fail("expected the ebreak at " + hex32or64(xlen, addr(END)) + ", got " + describe(result) + "\n"
                        + this);
            }
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("result: ").append(describe(result)).append('\n');
            sb.append(asm.listing());
            return sb.toString();
        }
    }

    static String describe(RunResult r) {
        if (r instanceof RunResult.Faulted f) {
            return "Faulted[" + f.fault().getMessage() + ", instructions=" + f.instructions() + "]";
        }
        return String.valueOf(r);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Assertions

    /** The XLEN-bit value {@code v} as the machine holds it (RV32 values sign-extended from bit 31). */
    static long sx(int xlen, long v) {
        return xlen == 32 ? (int) v : v;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String hex32or64(int xlen, long v) {
        return xlen == 32 ? "0x" + Integer.toHexString((int) v) : hex(v);
    }

    static void assertX(Run r, int reg, long expected) {
        assertX(r, reg, expected, "");
    }

    static void assertX(Run r, int reg, long expected, String what) {
        long exp = sx(r.xlen, expected);
        long act = r.x(reg);
        if (exp != act) {
            fail(what + (what.isEmpty() ? "" : ": ") + "x" + reg + " expected " + hex(exp) + " but was " + hex(act)
                    + "\n" + r);
        }
    }

    static void assertF(Run r, int reg, long expectedBits) {
        long act = r.f(reg);
        if (expectedBits != act) {
            fail("f" + reg + " expected " + hex(expectedBits) + " but was " + hex(act) + "\n" + r);
        }
    }

    static void assertFflags(Run r, int expected) {
        assertEquals(expected, r.fflags(), () -> "fflags\n" + r);
    }

    /**
     * Asserts an illegal-instruction fault at {@code pc} reporting {@code bits} (with {@code -Disa.qemu=true} also
     * that qemu-user raises SIGILL for the same program).
     */
    static void assertIllegal(Run r, long pc, int bits) {
        assertIllegal(r, pc, bits, true);
    }

    /** As {@link #assertIllegal(Run, long, int)}; {@code qemuAgrees = false} skips the qemu comparison. */
    static void assertIllegal(Run r, long pc, int bits, boolean qemuAgrees) {
        GuestFault f = r.fault();
        assertEquals(GuestFault.Kind.ILLEGAL_INSTRUCTION, f.kind(), () -> "fault kind\n" + r);
        assertEquals(hex32or64(r.xlen, pc), hex32or64(r.xlen, f.pc()), () -> "fault pc\n" + r);
        assertEquals(hex(bits & 0xFFFF_FFFFL), hex(f.instructionBits() & 0xFFFF_FFFFL),
                () -> "instruction bits\n" + r);
        if (qemuAgrees) {
            Qemu.expectSignal(r.xlen, r.elf, Qemu.SIGILL);
        }
    }

    /** Asserts a fault of {@code kind} at {@code pc} (with {@code -Disa.qemu=true}: and the matching qemu signal). */
    static void assertFault(Run r, GuestFault.Kind kind, long pc) {
        GuestFault f = r.fault();
        assertEquals(kind, f.kind(), () -> "fault kind\n" + r);
        assertEquals(hex32or64(r.xlen, pc), hex32or64(r.xlen, f.pc()), () -> "fault pc\n" + r);
        switch (kind) {
            case ILLEGAL_INSTRUCTION -> Qemu.expectSignal(r.xlen, r.elf, Qemu.SIGILL);
            case BREAKPOINT -> Qemu.expectSignal(r.xlen, r.elf, Qemu.SIGTRAP);
            case MISALIGNED_ATOMIC -> Qemu.expectSignal(r.xlen, r.elf, Qemu.SIGBUS);
            case LOAD_ACCESS, STORE_ACCESS, EXECUTE_ACCESS -> Qemu.expectSignal(r.xlen, r.elf, Qemu.SIGSEGV);
            default -> {
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Data helpers

    /** Little-endian bytes of the given 64-bit words. */
    static byte[] words64(long... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : words) {
            b.putLong(w);
        }
        return b.array();
    }

    /** Little-endian bytes of the given 32-bit words. */
    static byte[] words32(int... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }

    /** A data image of {@link #DATA_SIZE} bytes, all {@code fill}. */
    static byte[] filled(int fill) {
        byte[] b = new byte[DATA_SIZE];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Table-driven register cases

    /** A case that leaves its result in {@code a0}; checked by {@link #check()}. */
    interface RegCase {
        int xlen();

        /** The program body; it must leave the result in a0. */
        void emit(Asm a);

        /** The result as an XLEN-bit value. */
        long expected();

        /** Further checks on the final state (sources left intact, ...). */
        default void checkMore(Run r) {
        }

        default void check() {
            Run r = exec(xlen(), this::emit);
            assertX(r, Asm.A0, expected(), toString());
            checkMore(r);
        }
    }

    /** {@code op a0, a1, a2} with a1 = a, a2 = b. */
    record RR(int xlen, String name, R op, long a, long b, long expected) implements RegCase {
        @Override
        public void emit(Asm asm) {
            asm.li(Asm.A1, a).li(Asm.A2, b);
            op.emit(asm, Asm.A0, Asm.A1, Asm.A2);
        }

        @Override
        public void checkMore(Run r) {
            assertX(r, Asm.A1, a, this + " (rs1 clobbered)");
            assertX(r, Asm.A2, b, this + " (rs2 clobbered)");
        }

        @Override
        public String toString() {
            return "rv" + xlen + " " + name + " " + hex32or64(xlen, a) + ", " + hex32or64(xlen, b) + " -> "
                    + hex32or64(xlen, expected);
        }
    }

    /** {@code op a0, a1, imm} with a1 = a. */
    record RI(int xlen, String name, I op, long a, int imm, long expected) implements RegCase {
        @Override
        public void emit(Asm asm) {
            asm.li(Asm.A1, a);
            op.emit(asm, Asm.A0, Asm.A1, imm);
        }

        @Override
        public void checkMore(Run r) {
            assertX(r, Asm.A1, a, this + " (rs1 clobbered)");
        }

        @Override
        public String toString() {
            return "rv" + xlen + " " + name + " " + hex32or64(xlen, a) + ", " + imm + " -> "
                    + hex32or64(xlen, expected);
        }
    }

    /** {@code op a0, a1} with a1 = a. */
    record RU(int xlen, String name, U op, long a, long expected) implements RegCase {
        @Override
        public void emit(Asm asm) {
            asm.li(Asm.A1, a);
            op.emit(asm, Asm.A0, Asm.A1);
        }

        @Override
        public void checkMore(Run r) {
            assertX(r, Asm.A1, a, this + " (rs1 clobbered)");
        }

        @Override
        public String toString() {
            return "rv" + xlen + " " + name + " " + hex32or64(xlen, a) + " -> " + hex32or64(xlen, expected);
        }
    }
}
