package dev.riscvsandbox.abi;

import dev.riscvsandbox.GuestException;
import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.memory.Memory;
import java.lang.System.Logger;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What all VMs of one tenant program share: the callback table and named functions registered while {@code main()}
 * ran, the regexes it compiled, the regex cache, the heap layout and the storage VM. Everything but the storage VM is
 * fixed once the program is initialised, so request VMs read it without locks.
 */
public final class ProgramContext {
    /** Number of callback slots (on_recv = 1 … on_resume_update = 11). */
    public static final int CALLBACKS = 12;
    /** Longest function name {@code register_func} accepts. */
    public static final int MAX_FUNCTION_NAME = 256;
    /** Most functions a program may register. */
    public static final int MAX_FUNCTIONS = 1024;

    final String tenant;
    final Logger log;
    final long maxInstructions;
    final long[] callbacks = new long[CALLBACKS];
    final Map<String, Long> functions = new HashMap<>();
    long exitAddress;
    boolean waiting;
    /** Regexes compiled during initialisation; request VMs inherit their handles. */
    GuardedRegex.Compiled[] initRegexes = new GuardedRegex.Compiled[0];
    final GuardedRegex.Cache regexCache = new GuardedRegex.Cache(256);
    /** Address of an empty C string in the snapshot (the third argument of hooks). */
    long emptyString;

    private Machine snapshot;
    private Machine storage;
    private final ReentrantLock storageLock = new ReentrantLock();

    ProgramContext(String tenant, Logger log, long maxInstructions) {
        this.tenant = tenant;
        this.log = log;
        this.maxInstructions = maxInstructions;
    }

    public String tenant() {
        return tenant;
    }

    /** Whether {@code main()} reached {@code wait_for_requests}. */
    public boolean waitingForRequests() {
        return waiting;
    }

    /** The guest address registered for callback {@code index}, if any. */
    public OptionalLong callback(int index) {
        if (index < 0 || index >= CALLBACKS || callbacks[index] == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(callbacks[index]);
    }

    /** The guest address of a function registered with {@code register_func}, if any. */
    public OptionalLong function(String name) {
        Long a = functions.get(name);
        return a == null ? OptionalLong.empty() : OptionalLong.of(a);
    }

    /** Names of the registered functions. */
    public java.util.Set<String> functions() {
        return Collections.unmodifiableSet(functions.keySet());
    }

    /** The custom exit address, or 0. */
    public long exitAddress() {
        return exitAddress;
    }

    /**
     * Prepares a tenant's initial machine for {@code main()}: reserves the host-managed heap, attaches the host state
     * and installs the host calls (500–541) and native helpers (580–591).
     */
    public static ProgramContext prepare(Machine m, String tenant, long maxInstructions, long maxHeap, Logger log) {
        ProgramContext ctx = new ProgramContext(tenant, log, maxInstructions);
        long heapSize = Math.max(maxHeap, Memory.PAGE_SIZE);
        NativeHeap heap = new NativeHeap(m.reserveAddressSpace(heapSize), heapSize);
        m.attach(VmState.forInit(ctx, heap));
        HostCalls.install(m);
        NativeCalls.install(m, mm -> ((VmState) mm.attachment()).heap);
        return ctx;
    }

    /**
     * Ends initialisation once {@code main()} has called {@code wait_for_requests}: freezes {@code m} as the snapshot
     * request VMs (and the storage VM) fork from.
     */
    public void seal(Machine m) {
        VmState init = (VmState) m.attachment();
        int n = 0;
        for (int i = 0; i < VmState.MAX_REGEXES; i++) {
            if (init.regexes[i] != null) {
                n = i + 1;
            }
        }
        initRegexes = java.util.Arrays.copyOf(init.regexes, n);
        emptyString = init.heap.calloc(m, 1, 1);
        if (emptyString == 0) {
            throw new IllegalStateException("no heap left for the hooks' empty-string argument");
        }
        init.phase = VmState.Phase.IDLE;
        m.freeze();
        snapshot = m;
    }

    /** The frozen initial machine's state, which request VMs fork from. */
    public VmState snapshotState() {
        return (VmState) snapshot.attachment();
    }

    /**
     * Live update: lets the old program's storage VM hand its state to the new one's, when the old program
     * registered {@code on_live_update} (10) and the new one {@code on_resume_update} (11). The old callback ends with
     * the STOP instruction and (pointer, length) in a0/a1; the bytes are copied into the new storage VM's heap and
     * passed to the new callback as (pointer, length).
     *
     * @return whether state was handed over
     * @throws GuestException if either callback fails
     */
    public static boolean handOver(ProgramContext from, ProgramContext to) {
        OptionalLong save = from.callback(VmState.ON_LIVE_UPDATE);
        OptionalLong resume = to.callback(VmState.ON_RESUME_UPDATE);
        if (save.isEmpty() || resume.isEmpty()) {
            return false;
        }
        byte[] state = from.withExistingStorage(st -> {
            st.call(save.getAsLong(), from.maxInstructions);
            if (!st.callStopped()) {
                throw HostCalls.fault("on_live_update returned without its state (end it with STOP)");
            }
            return HostCalls.bytes(st, st.callResult(0), st.callResult(1), StorageCalls.MAX_RESULT, "state");
        }, null);
        if (state == null) {
            return false;
        }
        to.withStorage(st -> {
            VmState ss = (VmState) st.attachment();
            long copy = ss.heap.malloc(st, Math.max(1, state.length));
            if (copy == 0) {
                throw HostCalls.fault("the new storage VM has no heap left for " + state.length + " bytes of state");
            }
            st.memory().writeBytes(copy, state, 0, state.length);
            return st.call(resume.getAsLong(), to.maxInstructions, copy, state.length);
        });
        return true;
    }

    /**
     * Runs {@code work} on this program's storage VM, one caller at a time. The storage VM starts, on first use, as a
     * copy of the initialised program and keeps its memory across requests.
     */
    <T> T withStorage(java.util.function.Function<Machine, T> work) {
        storageLock.lock();
        try {
            if (storage == null) {
                if (snapshot == null) {
                    throw new GuestFault(GuestFault.Kind.SYSCALL_ERROR, 0, 0,
                            "the storage VM is not available during initialisation");
                }
                Machine m = snapshot.fork();
                VmState parent = (VmState) snapshot.attachment();
                m.attach(VmState.forStorage(parent));
                storage = m;
            }
            return withExistingStorage(work, null);
        } finally {
            storageLock.unlock();
        }
    }

    /** Runs {@code work} on the storage VM only if it exists (live-update hand-over from an old program). */
    <T> T withExistingStorage(java.util.function.Function<Machine, T> work, T otherwise) {
        storageLock.lock();
        try {
            if (storage == null) {
                return otherwise;
            }
            if (storage.exited()) {
                storage.clearExit(); // the exit failed its caller's request; the state stays for the next caller
            }
            return work.apply(storage);
        } finally {
            storageLock.unlock();
        }
    }

    static GuestException unwrap(RuntimeException e) {
        return e instanceof GuestException g ? g : new GuestFault(GuestFault.Kind.SYSCALL_ERROR, 0, 0, e.toString());
    }
}
