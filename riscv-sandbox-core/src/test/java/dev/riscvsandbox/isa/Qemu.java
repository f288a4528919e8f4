package dev.riscvsandbox.isa;

import static dev.riscvsandbox.isa.InstructionHarness.DATA;
import static dev.riscvsandbox.isa.InstructionHarness.DATA_SIZE;
import static dev.riscvsandbox.isa.InstructionHarness.END;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.riscvsandbox.elf.ElfException;
import dev.riscvsandbox.isa.InstructionHarness.Body;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.Program;
import dev.riscvsandbox.machine.RunResult;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * qemu-user support for the instruction tests.
 *
 * <p>{@link #compareFinalState} runs a snippet in both the emulator and qemu and compares the complete final state:
 * x1 and x3..x31 (sp differs between the two), f0..f31, fcsr and the three data pages. The snippet is wrapped in a
 * prologue that zeroes the integer registers (so that both start alike) and an epilogue that stores the state to a
 * fourth data page and writes it, and the data pages, to stdout. {@link InstructionHarness#exec} calls it for every
 * test when the system property {@code isa.qemu} is {@code true}.
 */
final class Qemu {
    static final boolean CROSS_CHECK = Boolean.getBoolean("isa.qemu");

    private static final long DUMP = DATA + DATA_SIZE;
    private static final String[] ABI = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1",
        "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
        "t5", "t6"};

    private Qemu() {
    }

    static Optional<Path> find(int xlen) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "qemu-riscv" + xlen);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code elf} under qemu-user and returns its stdout; fails unless it exits with status 0. */
    static byte[] run(Path qemu, byte[] elf) throws IOException, InterruptedException {
        Outcome o = execute(qemu, elf);
        assertEquals(0, o.status, () -> "qemu exit status; stderr: " + o.stderr);
        return o.stdout;
    }

    /** What a qemu-user run did: its exit status (128 + signal number if a signal killed it), stdout, stderr. */
    record Outcome(int status, byte[] stdout, String stderr) {
    }

    static Outcome execute(Path qemu, byte[] elf) throws IOException, InterruptedException {
        Path file = Files.createTempFile("isa-test", ".elf");
        Path err = Files.createTempFile("isa-test", ".stderr");
        try {
            Files.write(file, elf);
            if (!file.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + file + " executable");
            }
            Process p = new ProcessBuilder(qemu.toString(), file.toString()).redirectError(err.toFile()).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("qemu timed out");
            }
            return new Outcome(p.exitValue(), out, readQuietly(err));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(err);
        }
    }

    /** Signal numbers qemu-user delivers for the emulator's fault kinds. */
    static final int SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGSEGV = 11;

    /**
     * With {@code -Disa.qemu=true}: checks that qemu-user, running the same ELF, is killed by {@code signal}, i.e.
     * that qemu agrees the program faults (it cannot tell where: the emulator test checks that).
     */
    static void expectSignal(int xlen, byte[] elf, int signal) {
        if (!CROSS_CHECK) {
            return;
        }
        Optional<Path> qemu = find(xlen);
        if (qemu.isEmpty()) {
            fail("isa.qemu is set but qemu-riscv" + xlen + " is not on the PATH");
        }
        Outcome o;
        try {
            o = execute(qemu.get(), elf);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(128 + signal, o.status, () -> "qemu-riscv" + xlen + " exit status (128 + signal); stderr: "
                + o.stderr);
    }

    /** Runs {@code elf} in the emulator and returns its stdout; fails unless it exits with status 0. */
    static byte[] runEmulator(byte[] elf) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Machine m = Machine.builder(Program.load(elf)).stdout(out).maxInstructions(10_000_000).build()) {
            RunResult r = m.run();
            if (!(r instanceof RunResult.Exited e) || e.status() != 0) {
                fail("emulator run of the cross-check program: " + InstructionHarness.describe(r));
            }
        } catch (ElfException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The snippet wrapped for a state comparison. */
    static byte[] dumpProgram(int xlen, byte[] data, Body body) {
        Asm a = new Asm(xlen, InstructionHarness.TEXT);
        for (int r = 1; r < 32; r++) {
            if (r != 2) {
                a.li(r, 0);
            }
        }
        body.emit(a);
        a.label(END);
        int w = xlen / 8;
        a.li(Asm.SP, DUMP);
        for (int r = 1; r < 32; r++) {
            if (xlen == 64) {
                a.sd(r, r * w, Asm.SP);
            } else {
                a.sw(r, r * w, Asm.SP);
            }
        }
        for (int f = 0; f < 32; f++) {
            a.fsd(f, 32 * w + f * 8, Asm.SP);
        }
        a.csrr(Asm.T0, Asm.CSR_FCSR);
        a.sw(Asm.T0, 32 * w + 256, Asm.SP);
        a.li(Asm.A0, 1).li(Asm.A1, DATA).li(Asm.A2, DATA_SIZE + dumpSize(xlen)).li(Asm.A7, 64).ecall();
        a.li(Asm.A0, 0).li(Asm.A7, 93).ecall();
        byte[] init = data == null ? new byte[DATA_SIZE + 4096] : Arrays.copyOf(data, DATA_SIZE + 4096);
        return TestElf.builder(xlen).text(a).data(DATA, init, DATA_SIZE + 4096).build();
    }

    private static int dumpSize(int xlen) {
        return 32 * (xlen / 8) + 256 + 4;
    }

    /** Runs the snippet in the emulator and in qemu and fails on any difference in the final state. */
    static void compareFinalState(int xlen, byte[] data, Body body) {
        Optional<Path> qemu = find(xlen);
        if (qemu.isEmpty()) {
            fail("isa.qemu is set but qemu-riscv" + xlen + " is not on the PATH");
        }
        byte[] elf = dumpProgram(xlen, data, body);
        byte[] emu = runEmulator(elf);
        byte[] ref;
        try {
            ref = run(qemu.get(), elf);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        if (Arrays.equals(emu, ref)) {
            return;
        }
        fail("final state differs from qemu-riscv" + xlen + ":\n" + describeDifference(xlen, emu, ref));
    }

    private static String describeDifference(int xlen, byte[] emu, byte[] ref) {
        if (emu.length != ref.length) {
            return "output lengths differ: emulator " + emu.length + ", qemu " + ref.length;
        }
        StringBuilder sb = new StringBuilder();
        ByteBuffer e = ByteBuffer.wrap(emu).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer q = ByteBuffer.wrap(ref).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < DATA_SIZE; i++) {
            if (emu[i] != ref[i]) {
                sb.append(String.format("memory DATA+0x%x: emulator %02x, qemu %02x%n", i, emu[i], ref[i]));
            }
        }
        int w = xlen / 8;
        for (int r = 1; r < 32; r++) {
            int off = DATA_SIZE + r * w;
            long ev = w == 8 ? e.getLong(off) : e.getInt(off);
            long qv = w == 8 ? q.getLong(off) : q.getInt(off);
            if (ev != qv && r != 2) {
                sb.append(String.format("x%d (%s): emulator 0x%x, qemu 0x%x%n", r, ABI[r], ev, qv));
            }
        }
        for (int f = 0; f < 32; f++) {
            int off = DATA_SIZE + 32 * w + 8 * f;
            if (e.getLong(off) != q.getLong(off)) {
                sb.append(String.format("f%d: emulator 0x%x, qemu 0x%x%n", f, e.getLong(off), q.getLong(off)));
            }
        }
        int off = DATA_SIZE + 32 * w + 256;
        if (e.getInt(off) != q.getInt(off)) {
            sb.append(String.format("fcsr: emulator 0x%x, qemu 0x%x%n", e.getInt(off), q.getInt(off)));
        }
        return sb.toString();
    }
}
