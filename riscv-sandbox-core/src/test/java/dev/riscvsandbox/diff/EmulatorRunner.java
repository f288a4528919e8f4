package dev.riscvsandbox.diff;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.elf.ElfException;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.Program;
import dev.riscvsandbox.machine.RunResult;
import java.io.ByteArrayOutputStream;

/** Runs a RISC-V ELF in our emulator through its public API and reports the outcome like {@link QemuRunner}. */
public final class EmulatorRunner {

    public static final long MAX_INSTRUCTIONS = 100_000_000L;

    private EmulatorRunner() {
    }

    public static GuestRun run(byte[] elf) {
        long start = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Program program;
        try {
            program = Program.load(elf);
        } catch (ElfException e) {
            return new GuestRun(-1, new byte[0], "emulator rejected the ELF: " + e.getMessage(), -1,
                    System.nanoTime() - start);
        }
        try (Machine m = Machine.builder(program).args("prog").stdout(out).maxInstructions(MAX_INSTRUCTIONS)
                .build()) {
            RunResult r = m.run();
            long nanos = System.nanoTime() - start;
            if (r instanceof RunResult.Exited e) {
                return new GuestRun(e.status(), out.toByteArray(), null, -1, nanos);
            }
            if (r instanceof RunResult.Faulted f) {
                GuestFault fault = f.fault();
                return new GuestRun(-1, out.toByteArray(), "emulator fault: " + fault.kind().description()
                        + (fault.getMessage() != null ? " (" + fault.getMessage() + ")" : "")
                        + String.format(", address 0x%x, bits 0x%08x", fault.address(), fault.instructionBits()),
                        fault.pc(), nanos);
            }
            return new GuestRun(-1, out.toByteArray(), "emulator: " + r, -1, nanos);
        } catch (RuntimeException e) {
            return new GuestRun(-1, out.toByteArray(), "emulator threw " + e, -1, System.nanoTime() - start);
        }
    }
}
