package dev.riscvsandbox.cli;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.elf.ElfException;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.Program;
import dev.riscvsandbox.machine.RunResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command-line tool:
 * {@code run [--max-instructions N] [--max-memory BYTES] [--stats] program.elf [args...]} runs a Linux program, and
 * {@code request --tenants tenants.json --host NAME ...} runs a tenant's hooks on one request (see
 * {@link RequestCommand}).
 *
 * <p>Exit status: the guest's own (run) or 0 (request); 124 when the instruction budget runs out; 125 when the guest
 * faults; 2 for usage errors, unknown tenants and programs that cannot be loaded.
 */
public final class Main {
    static final int EXIT_USAGE = 2;
    static final int EXIT_TIMEOUT = 124;
    static final int EXIT_FAULT = 125;

    private static final String USAGE = String.join("\n",
            "usage: riscv-sandbox run [--max-instructions N] [--max-memory BYTES] [--stats] program.elf [args...]",
            "  --max-instructions N   stop after N guest instructions (exit status 124)",
            "  --max-memory BYTES     guest memory limit, e.g. 268435456, 256M or 1G (default 256M)",
            "  --stats                print instructions executed, wall time and guest MIPS to stderr");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the tool and returns the exit status (testable without exiting the JVM). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("request")) {
            return RequestCommand.run(args, out, err);
        }
        if (args.length == 0 || !args[0].equals("run")) {
            err.println(args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))
                    ? USAGE + "\n" + RequestCommand.USAGE : "riscv-sandbox: expected a command\n" + USAGE + "\n"
                    + RequestCommand.USAGE);
            return EXIT_USAGE;
        }
        long maxInstructions = Long.MAX_VALUE;
        long maxMemory = 256L << 20;
        boolean stats = false;
        int i = 1;
        try {
            for (; i < args.length && args[i].startsWith("--"); i++) {
                switch (args[i]) {
                    case "--max-instructions":
                        maxInstructions = parsePositive(args, ++i, "--max-instructions");
                        break;
                    case "--max-memory":
                        maxMemory = parsePositive(args, ++i, "--max-memory");
                        break;
                    case "--stats":
                        stats = true;
                        break;
                    case "--":
                        i++;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i]);
                }
                if (i < args.length && args[i].equals("--")) {
                    break;
                }
            }
            if (i >= args.length) {
                throw new IllegalArgumentException("missing program.elf");
            }
        } catch (IllegalArgumentException e) {
            err.println("riscv-sandbox: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        Path path = Path.of(args[i]);
        List<String> argv = new ArrayList<>(List.of(args).subList(i, args.length));
        Program program;
        try {
            if (!Files.isRegularFile(path)) {
                err.println("riscv-sandbox: " + path + ": no such file");
                return EXIT_USAGE;
            }
            program = Program.load(path);
        } catch (IOException e) {
            err.println("riscv-sandbox: cannot read " + path + ": " + e.getMessage());
            return EXIT_USAGE;
        } catch (ElfException e) {
            err.println("riscv-sandbox: " + path + ": not a loadable RISC-V program: " + e.getMessage());
            return EXIT_USAGE;
        }
        long t0 = System.nanoTime();
        RunResult result;
        long instructions;
        try (Machine machine = Machine.builder(program)
                .args(argv)
                .env("PATH=/bin", "LANG=C")
                .maxInstructions(maxInstructions)
                .maxMemory(maxMemory)
                .stdout(out)
                .stderr(err)
                .build()) {
            result = machine.run();
            instructions = machine.instructions();
        }
        long nanos = System.nanoTime() - t0;
        out.flush();
        int status;
        if (result instanceof RunResult.Exited exited) {
            status = exited.status();
        } else if (result instanceof RunResult.TimedOut) {
            err.println("riscv-sandbox: instruction budget of " + maxInstructions + " exhausted");
            status = EXIT_TIMEOUT;
        } else if (result instanceof RunResult.Faulted faulted) {
            GuestFault f = faulted.fault();
            err.println("riscv-sandbox: guest fault: " + f.getMessage());
            status = EXIT_FAULT;
        } else {
            err.println("riscv-sandbox: guest stopped");
            status = EXIT_FAULT;
        }
        if (stats) {
            double seconds = nanos / 1e9;
            err.printf(Locale.ROOT, "instructions: %d%nwall time: %.3f s%nguest MIPS: %.1f%n", instructions, seconds,
                    instructions / seconds / 1e6);
        }
        return status;
    }

    private static long parsePositive(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        String s = args[i].trim().toUpperCase(Locale.ROOT);
        long scale = 1;
        if (s.endsWith("K") || s.endsWith("M") || s.endsWith("G")) {
            scale = s.endsWith("K") ? 1L << 10 : s.endsWith("M") ? 1L << 20 : 1L << 30;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long v = Math.multiplyExact(Long.parseLong(s), scale);
            if (v <= 0) {
                throw new IllegalArgumentException(option + " must be positive: " + args[i]);
            }
            return v;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + " expects a positive number: " + args[i]);
        }
    }
}
