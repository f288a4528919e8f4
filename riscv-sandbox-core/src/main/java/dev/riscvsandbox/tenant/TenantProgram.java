package dev.riscvsandbox.tenant;

import dev.riscvsandbox.abi.ProgramContext;
import dev.riscvsandbox.abi.VmState;
import dev.riscvsandbox.elf.ElfException;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.Program;
import dev.riscvsandbox.machine.RunResult;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A tenant's program after initialisation: {@code main()} has run until it called {@code wait_for_requests}, and the
 * machine paused there is frozen as the snapshot every request forks from. Immutable and thread-safe.
 *
 * <p>While {@code main()} runs, the program registers its hooks ({@code register_callback}, 509), named functions
 * ({@code register_func}, 539) and may use the other host calls that need no request (see {@code docs/abi.md}).
 */
public final class TenantProgram {
    /** Callback index of {@code on_recv}; the others follow the original's numbering (see {@code docs/abi.md}). */
    public static final int ON_RECV = VmState.ON_RECV, ON_SYNTH = VmState.ON_SYNTH, ON_DELIVER = VmState.ON_DELIVER;
    /** Number of callback slots. */
    public static final int CALLBACKS = ProgramContext.CALLBACKS;
    /** Logger of guest output and host-call logging. */
    static final String GUEST_LOGGER = "dev.riscvsandbox.tenant.guest";

    private final TenantConfig config;
    private final Machine snapshot;
    private final ProgramContext context;
    private final TenantMetrics metrics;
    /**
     * Idle request VMs, already reset to the snapshot, reused by later forks so that steady-state forking allocates
     * almost nothing. Lock-free slots rather than thread-locals: works the same with virtual threads and keeps nothing
     * per thread.
     */
    private final AtomicReferenceArray<Machine> idle;
    /** Number of slots; slot {@code i} lives at index {@code i * STRIDE}, alone on its cache line. */
    private final int slots;
    private static final int STRIDE = 16;
    private volatile boolean retired;

    private TenantProgram(TenantConfig config, Machine snapshot, ProgramContext context, TenantMetrics metrics) {
        this.config = config;
        this.snapshot = snapshot;
        this.context = context;
        this.metrics = metrics;
        this.slots = Math.max(4, Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 2 - 1) * 2);
        this.idle = new AtomicReferenceArray<>(slots * STRIDE);
    }

    /**
     * Loads the tenant's program file and initialises it; a C++ source ({@code .cpp}) is built first with
     * {@link SourceBuilder#defaults()}.
     */
    public static TenantProgram load(TenantConfig config) throws TenantLoadException {
        return load(config, readProgram(config, SourceBuilder.defaults()), new TenantMetrics());
    }

    /** Initialises a tenant from ELF bytes (the configured file name is not read). */
    public static TenantProgram load(TenantConfig config, byte[] elf) throws TenantLoadException {
        return load(config, elf, new TenantMetrics());
    }

    /**
     * The tenant's program: the file's bytes, or for a C++ source or a Rust crate the program {@code sources} built.
     */
    static byte[] readProgram(TenantConfig config, SourceBuilder sources) throws TenantLoadException {
        switch (config.kind()) {
            case CPP_SOURCE: return sources.build(config.name(), config.program());
            case RUST_CRATE: return sources.buildCrate(config.name(), config.program());
            default: break;
        }
        try {
            long size = Files.size(config.program());
            if (size > Program.MAX_FILE_SIZE) {
                throw new TenantLoadException(config.name(), config.program() + " is " + size
                        + " bytes; the limit is " + Program.MAX_FILE_SIZE);
            }
            return Files.readAllBytes(config.program());
        } catch (IOException e) {
            throw new TenantLoadException(config.name(), "cannot read " + config.program() + ": " + e, e);
        }
    }

    /** Initialises a tenant from ELF bytes, counting its requests in {@code metrics}. */
    static TenantProgram load(TenantConfig config, byte[] elf, TenantMetrics metrics) throws TenantLoadException {
        Program program;
        try {
            program = Program.load(elf);
        } catch (ElfException e) {
            throw new TenantLoadException(config.name(), "not a loadable RISC-V program: " + e.getMessage(), e);
        }
        List<String> argv = new ArrayList<>();
        argv.add(config.name());
        argv.addAll(config.arguments());
        Limits limits = config.limits();
        Machine m = Machine.builder(program)
                .args(argv)
                .env("LC_CTYPE=C", "LC_ALL=C", "USER=groot", "RISCV_MODE=request")
                .maxInstructions(limits.maxInstructions())
                .maxMemory(limits.maxMemory())
                .stdout(new GuestOutput(config.name(), Level.INFO))
                .stderr(new GuestOutput(config.name(), Level.WARNING))
                .build();
        ProgramContext context;
        try {
            context = ProgramContext.prepare(m, config.name(), limits.maxInstructions(), limits.maxHeap(),
                    System.getLogger(GUEST_LOGGER));
        } catch (IllegalStateException e) {
            throw new TenantLoadException(config.name(), "max_heap does not fit: " + e.getMessage(), e);
        }
        RunResult r = m.run();
        if (!context.waitingForRequests()) {
            throw new TenantLoadException(config.name(), describeFailure(r));
        }
        try {
            context.seal(m);
        } catch (RuntimeException e) {
            throw new TenantLoadException(config.name(), "cannot snapshot the program: " + e.getMessage(), e);
        }
        return new TenantProgram(config, m, context, metrics);
    }

    private static String describeFailure(RunResult r) {
        if (r instanceof RunResult.Exited e) {
            return "main() returned (exit status " + e.status() + ") without calling wait_for_requests()";
        }
        if (r instanceof RunResult.TimedOut t) {
            return "main() used its budget of instructions (" + t.instructions()
                    + ") without calling wait_for_requests()";
        }
        if (r instanceof RunResult.Faulted f) {
            return "main() faulted before calling wait_for_requests(): " + f.fault().getMessage();
        }
        return "main() stopped without calling wait_for_requests()";
    }

    public TenantConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /** This tenant's counters (shared with the programs that replace it in live updates). */
    public TenantMetrics metrics() {
        return metrics;
    }

    ProgramContext context() {
        return context;
    }

    /** The guest address registered for callback {@code index} ({@link #ON_RECV} …), if any. */
    public OptionalLong callback(int index) {
        return context.callback(index);
    }

    /** The guest address of a function registered with {@code register_func}, if any. */
    public OptionalLong function(String name) {
        return context.function(name);
    }

    /** Names of the functions registered with {@code register_func}. */
    public Set<String> functions() {
        return context.functions();
    }

    /** The custom exit address set by {@code register_callback(0xFFFFFFFF, …)} or {@code wait_for_requests}, or 0. */
    public long exitAddress() {
        return context.exitAddress();
    }

    /**
     * Forks an ephemeral VM from the snapshot, with the tenant's limits. Thread-safe and O(1); a VM closed earlier was
     * reset when it was closed and is reused, so steady-state forking allocates almost nothing.
     */
    public TenantVm fork() {
        long start = System.nanoTime();
        Machine m = takeIdle();
        if (m == null) {
            m = snapshot.fork(config.limits().maxMemory(), config.limits().maxInstructions());
            m.attach(VmState.forRequest(context.snapshotState()));
        }
        return new TenantVm(this, m, start);
    }

    private Machine takeIdle() {
        int n = slots;
        int start = (int) Thread.currentThread().getId() & (n - 1);
        for (int i = 0; i < n; i++) {
            int slot = ((start + i) & (n - 1)) * STRIDE;
            if (idle.get(slot) != null) {
                Machine m = idle.getAndSet(slot, null);
                if (m != null) {
                    return m;
                }
            }
        }
        return null;
    }

    /**
     * Takes back the machine of a closed VM for reuse (dropped if the pool is full or the program was replaced). It is
     * reset here rather than by the next fork: the request's pages and state are still in this thread's CPU caches, the
     * response has usually been sent already, and nothing of the request (its documents, its objects) waits in the
     * pool. (If the pool turns out to be full, that reset was wasted: rare, after a burst.)
     */
    void recycle(Machine m) {
        if (retired) {
            return;
        }
        m.resetTo(snapshot);
        ((VmState) m.attachment()).resetTo(context.snapshotState());
        int n = slots;
        int start = (int) Thread.currentThread().getId() & (n - 1);
        for (int i = 0; i < n; i++) {
            int slot = ((start + i) & (n - 1)) * STRIDE;
            if (idle.get(slot) == null && idle.compareAndSet(slot, null, m)) {
                if (retired) { // retire() may have swept the slots just before we filled one
                    idle.compareAndSet(slot, m, null);
                }
                return;
            }
        }
    }

    /** Called when a live update replaced this program: idle VMs are released, in-flight ones finish and go. */
    void retire() {
        retired = true;
        for (int i = 0; i < slots; i++) {
            idle.set(i * STRIDE, null);
        }
    }

    @Override
    public String toString() {
        return "TenantProgram[" + config.name() + ", functions " + functions() + "]";
    }
}
