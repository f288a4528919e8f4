package dev.riscvsandbox.bench;

import dev.riscvsandbox.host.HookResult;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RequestBenchmark#request()} as a web server runs it: one request at a time, each on whichever thread (and
 * core) the server picked, so the recycled VM's state was last written by another core. The benchmark thread and a
 * helper thread take turns, one request each, handing over through a spinning flag; an operation is two requests and
 * two hand-overs. {@code work=none} measures the two hand-overs alone: subtract it, halve the rest, and that is one
 * request whose VM state arrives from another core's cache (the figure that matters for {@code bench/wrk.sh -c1}).
 * Needs at least two cores to mean anything.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CrossCoreRequestBenchmark {
    /** {@code request}: both threads run a request per turn; {@code none}: hand-overs only (the baseline). */
    @Param({"request", "none"})
    public String work;

    private final RequestBenchmark requests = new RequestBenchmark();
    private boolean doRequests;
    private volatile boolean helperTurn;
    private volatile boolean stop;
    private volatile Object sink;
    private Thread helper;

    @Setup
    public void setup() throws Exception {
        requests.setup();
        doRequests = work.equals("request");
        helper = new Thread(() -> {
            while (!stop) {
                if (helperTurn) {
                    if (doRequests) {
                        sink = requests.request();
                    }
                    helperTurn = false;
                } else {
                    Thread.onSpinWait();
                }
            }
        }, "cross-core-helper");
        helper.setDaemon(true);
        helper.start();
    }

    @TearDown
    public void tearDown() throws InterruptedException {
        stop = true;
        helper.join();
        requests.tearDown();
    }

    @Benchmark
    public Object twoRequests() {
        HookResult r = doRequests ? requests.request() : null;
        helperTurn = true;
        while (helperTurn) {
            Thread.onSpinWait();
        }
        return r;
    }
}
