package dev.riscvsandbox.bench;

import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.Program;
import dev.riscvsandbox.machine.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Guest speed in million guest instructions per second, on CPU-bound guests, for the emulator and for qemu-user on the
 * same binaries in the same run.
 *
 * <p>Each operation runs one whole program. The {@code instructions} secondary metric counts guest instructions, so
 * with the microsecond time unit its score reads directly as guest MIPS. qemu's instruction count is the emulator's
 * count for the same binary and arguments (both execute the same instruction stream).
 *
 * <pre>
 * java -jar riscv-sandbox-benchmarks/target/benchmarks.jar GuestMipsBenchmark      (from the repository root;
 * guests are read from guests/bin, or -jvmArgsAppend -Driscv.guests.dir=DIR)
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GuestMipsBenchmark {

    /** Workloads: program name and argument, sized to run 0.1–0.5 s per operation. */
    @Param({"fib:32", "sieve:10000000", "sha256:4096"})
    public String workload;

    private Program program;
    private List<String> argv;
    private Path binary;
    private long instructionsPerRun;

    /** Guest instructions executed, reported per microsecond: guest MIPS. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Instructions {
        public long instructions;

        @Setup(Level.Iteration)
        public void reset() {
            instructions = 0;
        }
    }

    @Setup
    public void load() throws Exception {
        String[] parts = workload.split(":");
        Path dir = Path.of(System.getProperty("riscv.guests.dir", "guests/bin"));
        binary = dir.resolve(parts[0]);
        if (!Files.isRegularFile(binary)) {
            throw new IllegalStateException("guest binary " + binary + " not found; set -Driscv.guests.dir");
        }
        program = Program.load(binary);
        argv = List.of(parts[0], parts[1]);
        try (Machine m = newMachine()) {
            RunResult r = m.run();
            if (!(r instanceof RunResult.Exited e) || e.status() != 0) {
                throw new IllegalStateException(workload + " did not exit cleanly: " + r);
            }
            instructionsPerRun = r.instructions();
        }
    }

    private Machine newMachine() {
        return Machine.builder(program).args(argv).maxMemory(256L << 20).build();
    }

    @Benchmark
    public long emulator(Instructions counter) {
        try (Machine m = newMachine()) {
            RunResult r = m.run();
            counter.instructions += r.instructions();
            return r.instructions();
        }
    }

    @Benchmark
    public int qemu(Instructions counter) throws IOException, InterruptedException {
        String qemu = program.xlen() == 32 ? "qemu-riscv32" : "qemu-riscv64";
        List<String> cmd = new ArrayList<>();
        cmd.add(qemu);
        cmd.add(binary.toString());
        cmd.add(argv.get(1));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int status = p.waitFor();
        if (status != 0) {
            throw new IllegalStateException(qemu + " exited with " + status);
        }
        counter.instructions += instructionsPerRun;
        return status;
    }
}
