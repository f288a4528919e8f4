package dev.riscvsandbox.tenant;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.elf.ElfException;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.Program;
import dev.riscvsandbox.machine.RunResult;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A tenant's program after initialisation: {@code main()} has run until it called {@code wait_for_requests}, and the
 * machine paused there is frozen as the snapshot every request forks from. Immutable and thread-safe.
 *
 * <p>Initialisation understands the calls a program makes while setting up (numbers and registers as in
 * libvmod-riscv, see {@code docs/abi.md}): {@code register_callback} (509), {@code wait_for_requests} (510 in
 * initialisation mode) and {@code register_func} (539).
 */
public final class TenantProgram {
    /** Syscall numbers used during initialisation. */
    public static final int SYS_REGISTER_CALLBACK = 509, SYS_WAIT_FOR_REQUESTS = 510, SYS_REGISTER_FUNC = 539;
    /** Number of callback slots (on_recv = 1 … on_resume_update = 11). */
    public static final int CALLBACKS = 12;
    /** Callback index of {@code on_recv}. */
    public static final int ON_RECV = 1;
    /** Longest function name {@code register_func} accepts. */
    public static final int MAX_FUNCTION_NAME = 256;
    /** Most functions a program may register. */
    public static final int MAX_FUNCTIONS = 1024;
    private static final long INVALID = 0xFFFF_FFFFL;

    private final TenantConfig config;
    private final Machine snapshot;
    private final long[] callbacks;
    private final Map<String, Long> functions;
    private final long exitAddress;
    /** Recycled request VMs of this program, per thread: forking then allocates (almost) nothing. */
    private final ThreadLocal<java.util.ArrayDeque<Machine>> pool = ThreadLocal.withInitial(java.util.ArrayDeque::new);
    /** Most idle VMs kept per thread. */
    static final int MAX_POOLED_PER_THREAD = 4;

    private TenantProgram(TenantConfig config, Machine snapshot, long[] callbacks, Map<String, Long> functions,
                          long exitAddress) {
        this.config = config;
        this.snapshot = snapshot;
        this.callbacks = callbacks;
        this.functions = Collections.unmodifiableMap(functions);
        this.exitAddress = exitAddress;
    }

    /** Loads the tenant's program file and initialises it. */
    public static TenantProgram load(TenantConfig config) throws TenantLoadException {
        byte[] bytes;
        try {
            long size = Files.size(config.program());
            if (size > Program.MAX_FILE_SIZE) {
                throw new TenantLoadException(config.name(), config.program() + " is " + size
                        + " bytes; the limit is " + Program.MAX_FILE_SIZE);
            }
            bytes = Files.readAllBytes(config.program());
        } catch (IOException e) {
            throw new TenantLoadException(config.name(), "cannot read " + config.program() + ": " + e, e);
        }
        return load(config, bytes);
    }

    /** Initialises a tenant from ELF bytes (the configured file name is not read). */
    public static TenantProgram load(TenantConfig config, byte[] elf) throws TenantLoadException {
        Program program;
        try {
            program = Program.load(elf);
        } catch (ElfException e) {
            throw new TenantLoadException(config.name(), "not a loadable RISC-V program: " + e.getMessage(), e);
        }
        List<String> argv = new ArrayList<>();
        argv.add(config.name());
        argv.addAll(config.arguments());
        Machine m = Machine.builder(program)
                .args(argv)
                .env("LC_CTYPE=C", "LC_ALL=C", "USER=groot", "RISCV_MODE=request")
                .maxInstructions(config.limits().maxInstructions())
                .maxMemory(config.limits().maxMemory())
                .stdout(new GuestOutput(config.name(), Level.INFO))
                .stderr(new GuestOutput(config.name(), Level.WARNING))
                .build();
        Initialisation init = new Initialisation();
        m.setSyscallHandler(SYS_REGISTER_CALLBACK, init::registerCallback);
        m.setSyscallHandler(SYS_WAIT_FOR_REQUESTS, init::waitForRequests);
        m.setSyscallHandler(SYS_REGISTER_FUNC, init::registerFunction);
        RunResult r = m.run();
        if (!init.waiting) {
            throw new TenantLoadException(config.name(), describeFailure(r));
        }
        // Requests see exactly this state: no initialisation handlers, nothing that can change it.
        m.setSyscallHandler(SYS_REGISTER_CALLBACK, null);
        m.setSyscallHandler(SYS_WAIT_FOR_REQUESTS, null);
        m.setSyscallHandler(SYS_REGISTER_FUNC, null);
        m.freeze();
        return new TenantProgram(config, m, init.callbacks.clone(), new HashMap<>(init.functions), init.exitAddress);
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

    /** State collected while {@code main()} runs; the handlers run on the loading thread only. */
    private static final class Initialisation {
        final long[] callbacks = new long[CALLBACKS];
        final Map<String, Long> functions = new HashMap<>();
        long exitAddress;
        boolean waiting;

        void registerCallback(Machine m) {
            long index = m.reg(10) & 0xFFFF_FFFFL;
            long address = m.reg(11);
            if (index == INVALID) {
                exitAddress = address;
            } else if (index >= CALLBACKS) {
                throw new GuestFault(GuestFault.Kind.SYSCALL_ERROR, index, 0,
                        "register_callback: index " + index + " is not below " + CALLBACKS);
            } else {
                callbacks[(int) index] = address;
            }
            m.setReg(10, 0);
        }

        void waitForRequests(Machine m) {
            long onRecv = m.reg(10);
            long onExit = m.reg(11);
            if (onRecv != 0) {
                callbacks[ON_RECV] = onRecv;
            }
            if (onExit != 0) {
                exitAddress = onExit;
            }
            waiting = true;
            m.setReg(10, 0);
            m.stop();
        }

        void registerFunction(Machine m) {
            long name = m.reg(10);
            long length = m.reg(11) & 0xFFFF_FFFFL;
            long address = m.reg(12);
            if (length == 0 || length > MAX_FUNCTION_NAME) {
                throw new GuestFault(GuestFault.Kind.SYSCALL_ERROR, length, 0,
                        "register_func: name length " + length + " is not in 1.." + MAX_FUNCTION_NAME);
            }
            byte[] bytes = m.memory().readBytes(name, (int) length);
            String key = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            if (functions.size() >= MAX_FUNCTIONS && !functions.containsKey(key)) {
                throw new GuestFault(GuestFault.Kind.SYSCALL_ERROR, functions.size(), 0,
                        "register_func: more than " + MAX_FUNCTIONS + " functions");
            }
            functions.put(key, address);
            m.setReg(10, 0);
        }
    }

    public TenantConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /** The guest address registered for callback {@code index} ({@link #ON_RECV} …), if any. */
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

    /** Names of the functions registered with {@code register_func}. */
    public java.util.Set<String> functions() {
        return functions.keySet();
    }

    /** The custom exit address set by {@code register_callback(0xFFFFFFFF, …)} or {@code wait_for_requests}, or 0. */
    public long exitAddress() {
        return exitAddress;
    }

    /**
     * Forks an ephemeral VM from the snapshot, with the tenant's limits. Thread-safe and O(1); a VM closed earlier on
     * this thread is reset and reused, so steady-state forking allocates almost nothing.
     */
    public TenantVm fork() {
        Machine m = pool.get().pollFirst();
        if (m != null) {
            m.resetTo(snapshot);
        } else {
            m = snapshot.fork(config.limits().maxMemory(), config.limits().maxInstructions());
        }
        return new TenantVm(this, m);
    }

    /** Takes back the machine of a closed VM for reuse on this thread. */
    void recycle(Machine m) {
        java.util.ArrayDeque<Machine> idle = pool.get();
        if (idle.size() < MAX_POOLED_PER_THREAD) {
            idle.addFirst(m);
        }
    }

    @Override
    public String toString() {
        return "TenantProgram[" + config.name() + ", callbacks " + Arrays.toString(callbacks) + "]";
    }
}
