package dev.riscvsandbox.bench;

import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.Program;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Copy-on-write fork cost for programs of very different sizes: it must not grow with the program. {@code fork} forks
 * a machine that has run to completion (all its pages exist); {@code forkAndTouch} also writes one word to the stack,
 * the first copy-on-write fault a request would take. {@code forkFrozen} and {@code resetAndTouch} are the tenant
 * paths: forking a frozen snapshot, and resetting a recycled VM to it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ForkBenchmark {
    /** exitcode: 0.5 MB glibc C; cxx: 1.9 MB C++ with iostream (touches ~15 M instructions' worth of pages). */
    @Param({"exitcode", "cxx"})
    public String guest;

    private Machine parent;
    private Machine snapshot;
    private Machine recycled;

    @Setup
    public void setup() throws Exception {
        Path dir = Path.of(System.getProperty("riscv.guests.dir", "guests/bin"));
        Program program = Program.load(dir.resolve(guest));
        parent = Machine.builder(program).args(guest).build();
        parent.run();
        snapshot = Machine.builder(program).args(guest).build();
        snapshot.run();
        snapshot.freeze();
        recycled = snapshot.fork();
    }

    @Benchmark
    public Machine fork() {
        return parent.fork();
    }

    /** A frozen snapshot's fork: what a tenant request does when no recycled VM is at hand. */
    @Benchmark
    public Machine forkFrozen() {
        return snapshot.fork();
    }

    /** A recycled VM reset to the snapshot plus its first write: the steady state of a tenant's requests. */
    @Benchmark
    public long resetAndTouch() {
        recycled.resetTo(snapshot);
        long sp = recycled.reg(2) - 64;
        recycled.memory().store64(sp, 42);
        return recycled.memory().ownedPages();
    }

    @Benchmark
    public long forkAndTouch() {
        Machine child = parent.fork();
        long sp = child.reg(2) - 64;
        child.memory().store64(sp, 42);
        return child.memory().ownedPages();
    }
}
