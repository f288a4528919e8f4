package dev.riscvsandbox.bench;

import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantVm;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One tenant request end to end, as the adapters run it: fork a VM from the snapshot, run on_recv (which appends
 * {@code X-Hello: url=<url>} to the request, as in the seed example) and the forge callback (a small JSON response),
 * then dispose of the VM. {@code fork} measures fork and dispose alone. Sample mode reports the median and tail per
 * operation; the {@code 2threads} variants run two request threads against the same tenant at once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestBenchmark {
    static final String TENANT = "customer1.com";

    private Sandbox sandbox;
    private HttpRequest request;

    @Setup
    public void setup() throws Exception {
        Path guest = Path.of(System.getProperty("riscv.guests.dir", "guests/bin")).resolve("bench-hello-forge")
                .toAbsolutePath();
        sandbox = Sandbox.fromJson("{\"" + TENANT + "\": {\"filename\": \"" + guest + "\", \"group\": \"test\"}}");
        if (!sandbox.loadErrors().isEmpty()) {
            throw new IllegalStateException(sandbox.loadErrors().toString());
        }
        request = InMemoryRequest.get("/hello", new Header("Host", TENANT), new Header("Accept", "*/*"));
        HookResult r = request();
        if (!(r instanceof HookResult.Forged f) || f.response().status() != 200) {
            throw new IllegalStateException("unexpected result " + r);
        }
    }

    @TearDown
    public void tearDown() {
        sandbox.close();
    }

    @Benchmark
    public HookResult request() {
        try (TenantVm vm = sandbox.fork(TENANT)) {
            return vm.onRecv(request);
        }
    }

    @Benchmark
    @Threads(2)
    public HookResult request2threads() {
        return request();
    }

    @Benchmark
    public TenantVm fork() {
        TenantVm vm = sandbox.fork(TENANT);
        vm.close();
        return vm;
    }

    @Benchmark
    @Threads(2)
    public TenantVm fork2threads() {
        return fork();
    }
}
