package dev.riscvsandbox.machine;

import dev.riscvsandbox.GuestException;
import dev.riscvsandbox.GuestExitException;
import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.GuestTimeoutException;
import dev.riscvsandbox.cpu.Cpu;
import dev.riscvsandbox.cpu.EnvironmentCall;
import dev.riscvsandbox.cpu.ExecutionEngine;
import dev.riscvsandbox.cpu.Interpreter;
import dev.riscvsandbox.isa.Op;
import dev.riscvsandbox.linux.LinuxOptions;
import dev.riscvsandbox.linux.LinuxProcess;
import dev.riscvsandbox.linux.StartInfo;
import dev.riscvsandbox.memory.Memory;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A runnable RISC-V machine: one hart, its memory and a Linux user-mode process, started from a {@link Program}.
 *
 * <p>{@link #run()} executes until the guest exits, faults, exhausts the instruction budget or a system-call handler
 * stops it. {@link #call(String, long...)} runs one guest function. {@link #fork()} makes a copy-on-write child in
 * constant time. A machine is confined to one thread at a time; different machines (including forks of one parent)
 * may run on different threads concurrently.
 */
public final class Machine implements AutoCloseable {
    /** System call numbers are looked up in a table of this size; larger numbers get -ENOSYS. */
    public static final int SYSCALL_TABLE_SIZE = 1024;
    /** Where the stack ends (grows down from). */
    public static final long STACK_TOP = 0x7FFF_F000L;
    /** How deeply {@link #call} may nest (a host call that calls back into the guest). */
    public static final int MAX_CALL_DEPTH = 8;
    private static final int ENOSYS = 38;
    /** A dyncall with immediate n is host call {@code 500 + n}. */
    public static final int DYNCALL_BASE = 500;

    /** The Linux personality's handler, shared by all machines: one dispatch through its switch. */
    private static final SyscallHandler LINUX = m -> {
        if (m.linux.syscall((int) m.cpu.x[17])) {
            m.stopRequested = true;
        }
    };
    private static final SyscallHandler[] LINUX_TABLE = new SyscallHandler[SYSCALL_TABLE_SIZE];

    static {
        for (int nr : LinuxProcess.SYSCALLS) {
            LINUX_TABLE[nr] = LINUX;
        }
    }

    private final Program program;
    private final Cpu cpu;
    private final Memory memory;
    private final LinuxProcess linux;
    private final ExecutionEngine engine;
    private final long maxInstructions;
    private SyscallHandler[] handlers;
    private boolean handlersShared;
    private boolean stopRequested;
    private volatile boolean frozen;
    private long unknownSyscalls;
    private Object attachment;
    /** The instruction count at which the current run stops, and how many runs are in progress (they nest). */
    private long runLimit;
    private int running;
    /** Saved register files of host calls in progress (calls nest when a host call calls back into the guest). */
    private Cpu[] savedCpus = new Cpu[0];
    /**
     * The registers of the frozen machine this one was forked from or reset to, and whether {@link #cpu} still holds
     * exactly them (but for the instruction count). A request's hooks then need not save the registers: they are
     * restored from the parent's, which every core reads and nobody writes, and the reset has nothing to copy.
     */
    private Cpu parentCpu;
    private boolean cpuIsParent;
    private int callDepth;
    /** a0..a7 as the last {@link #call} left them, before the registers were restored. */
    private final long[] callResults = new long[8];
    private boolean callStopped;

    private Machine(Program program, Cpu cpu, Memory memory, LinuxProcess linux, SyscallHandler[] handlers,
                    long maxInstructions) {
        this.program = program;
        this.cpu = cpu;
        this.memory = memory;
        this.linux = linux;
        this.handlers = handlers;
        this.handlersShared = true;
        this.maxInstructions = maxInstructions;
        EnvironmentCall syscalls = this::environmentCall;
        this.engine = new Interpreter(cpu, memory, program.code(), syscalls);
    }

    /** Starts configuring a machine for {@code program}. */
    public static Builder builder(Program program) {
        return new Builder(program);
    }

    public Program program() {
        return program;
    }

    /** The guest's memory, for host code that reads or writes guest data (all accesses are bounds-checked). */
    public Memory memory() {
        return memory;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Running

    /** Runs with the budget given to the builder. */
    public RunResult run() {
        return run(maxInstructions);
    }

    /**
     * Runs from the current PC for at most {@code budget} instructions (counted per basic block, so a run may stop a
     * block early but never exceeds the budget).
     */
    public RunResult run(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must not be negative: " + budget);
        }
        checkRunnable();
        cpuIsParent = false;
        long start = cpu.instret;
        if (linux != null && linux.exited()) {
            return new RunResult.Exited(linux.exitStatus(), 0);
        }
        int exit;
        try {
            exit = runEngine(limit(start, budget));
        } catch (GuestTimeoutException e) { // a nested host call ran out of budget
            return new RunResult.TimedOut(cpu.instret - start);
        }
        long executed = cpu.instret - start;
        switch (exit) {
            case ExecutionEngine.EXIT_LIMIT:
                return new RunResult.TimedOut(executed);
            case ExecutionEngine.EXIT_FAULT:
                return new RunResult.Faulted(locate(engine.fault()), executed);
            case ExecutionEngine.EXIT_HALT:
                // Only host calls set up the trampoline; reaching it otherwise is a stray jump.
                return new RunResult.Faulted(locate(new GuestFault(GuestFault.Kind.EXECUTE_ACCESS, cpu.pc)), executed);
            default:
                if (linux != null && linux.exited()) {
                    return new RunResult.Exited(linux.exitStatus(), executed);
                }
                return new RunResult.Stopped(executed);
        }
    }

    private static long limit(long start, long budget) {
        long l = start + budget;
        return l < start ? Long.MAX_VALUE : l;
    }

    /**
     * Runs the engine up to {@code limit}; a run nested in a host call (a call back into the guest) never goes past
     * the limit of the run it is nested in.
     */
    private int runEngine(long limit) {
        long outer = runLimit;
        if (running > 0) {
            limit = Math.min(limit, outer);
        }
        runLimit = limit;
        running++;
        try {
            return engine.run(limit);
        } finally {
            running--;
            runLimit = outer;
        }
    }

    /** Attaches the PC, its symbol and (for illegal instructions found at run time) the instruction bits. */
    private GuestFault locate(GuestFault f) {
        long pc = cpu.pc;
        if (f.kind() == GuestFault.Kind.ILLEGAL_INSTRUCTION && f.instructionBits() == 0) {
            f = new GuestFault(f.kind(), f.address(), fetchBits(pc), f.detail());
        }
        return f.at(cpu.xlen == 32 ? pc & 0xFFFF_FFFFL : pc, program.describe(pc));
    }

    private int fetchBits(long pc) {
        try {
            int lo = memory.load16(pc) & 0xFFFF;
            return (lo & 3) != 3 ? lo : lo | (memory.load16(pc + 2) << 16);
        } catch (GuestFault e) {
            return 0;
        }
    }

    /** Asks the current run to end after the running system call handler returns ({@link RunResult.Stopped}). */
    public void stop() {
        stopRequested = true;
    }

    /** Dispatches an {@code ecall} (or a dyncall) through the handler table; the STOP instruction ends the run. */
    private int environmentCall(int kind) {
        long nr;
        if (kind == Op.ECALL_PLAIN) {
            nr = cpu.x[17];
        } else if (kind == Op.ECALL_STOP) {
            return ExecutionEngine.EXIT_STOP;
        } else {
            nr = DYNCALL_BASE + kind - Op.ECALL_DYNCALL;
        }
        SyscallHandler h = nr >= 0 && nr < SYSCALL_TABLE_SIZE ? handlers[(int) nr] : null;
        if (h == null) {
            unknownSyscalls++;
            if (linux != null) {
                linux.unknown(nr); // logs it
            }
            cpu.x[10] = -ENOSYS;
            return ExecutionEngine.EXIT_NONE;
        }
        try {
            h.handle(this);
        } catch (OverBudget e) {
            stopRequested = false;
            return ExecutionEngine.EXIT_LIMIT;
        } catch (GuestException e) {
            throw e;
        } catch (RuntimeException e) {
            // A handler that chokes on what the guest passed fails this run, not the host.
            throw new GuestFault(GuestFault.Kind.SYSCALL_ERROR, nr, 0, "system call " + nr + ": " + e);
        }
        if (stopRequested) {
            stopRequested = false;
            return ExecutionEngine.EXIT_STOP;
        }
        return ExecutionEngine.EXIT_NONE;
    }

    /**
     * Installs a handler for system call {@code number} (replacing the Linux one, if any). Pass null to remove it.
     * Handlers are per machine; a fork starts with its parent's.
     */
    public void setSyscallHandler(int number, SyscallHandler handler) {
        Objects.checkIndex(number, SYSCALL_TABLE_SIZE);
        checkRunnable();
        if (handlersShared) {
            handlers = handlers.clone();
            handlersShared = false;
        }
        handlers[number] = handler;
    }

    /**
     * Charges {@code instructions} to the running guest, for host work done on its behalf. Charge before doing the
     * work: if the charge exceeds what the run has left, the budget is used up and the host call ends the run as a
     * timeout right away (this method does not return).
     */
    public void charge(long instructions) {
        if (instructions < 0) {
            throw new IllegalArgumentException("negative charge: " + instructions);
        }
        if (running > 0 && instructions > runLimit - cpu.instret) {
            cpu.instret = runLimit;
            throw OverBudget.INSTANCE; // ends the run as a timeout, before the host does the work
        }
        cpu.instret += instructions;
    }

    /** Instructions the current run may still execute (or charge); {@code Long.MAX_VALUE} outside a run. */
    public long remainingBudget() {
        return running > 0 ? Math.max(0, runLimit - cpu.instret) : Long.MAX_VALUE;
    }

    /** Thrown by {@link #charge} through the host call to the dispatcher, which ends the run at its limit. */
    private static final class OverBudget extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final OverBudget INSTANCE = new OverBudget();

        private OverBudget() {
            super(null, null, false, false);
        }
    }

    /**
     * Lets a machine whose guest called exit be called into again, keeping its memory: for long-lived machines (a
     * tenant's storage VM) where an exit in one call must not disable all later ones.
     */
    public void clearExit() {
        checkRunnable();
        if (linux != null) {
            linux.clearExit();
        }
    }

    /** Host state attached by the embedder (for example a tenant's per-request state); forks start without any. */
    public Object attachment() {
        return attachment;
    }

    /** Attaches host state that system call handlers can reach through {@link #attachment()}. */
    public void attach(Object state) {
        attachment = state;
    }

    /**
     * Takes {@code bytes} (page-aligned up) of address space from the top of the mmap area for the host to manage,
     * for example as a host-managed heap; nothing is mapped. Returns its base address. Only before the first fork.
     *
     * @throws IllegalStateException if the machine has no Linux personality or the area is too small
     */
    public long reserveAddressSpace(long bytes) {
        checkRunnable();
        if (linux == null) {
            throw new IllegalStateException("address space reservations need the Linux personality");
        }
        return linux.reserveTop(bytes);
    }

    /** System calls the guest made that had no handler (each returned -ENOSYS). */
    public long unknownSyscalls() {
        return unknownSyscalls;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Host → guest calls

    /**
     * Calls the guest function {@code symbol} with integer arguments in a0..a7 and returns its a0, using the machine's
     * budget. The machine's registers and PC are restored afterwards, so a paused guest can be called into and later
     * resumed.
     *
     * @throws IllegalArgumentException if there is no such symbol, or more than 8 arguments
     * @throws GuestFault               if the guest faults
     * @throws GuestTimeoutException    if the budget runs out before the function returns
     * @throws GuestExitException       if the guest exits instead of returning
     */
    public long call(String symbol, long... args) {
        OptionalLong address = program.symbol(symbol);
        if (address.isEmpty()) {
            throw new IllegalArgumentException("no symbol '" + symbol + "' in the program");
        }
        return call(address.getAsLong(), maxInstructions, args);
    }

    /** Calls the guest function at {@code address} with its own instruction {@code budget}. */
    public long call(long address, long budget, long... args) {
        if (args.length > 8) {
            throw new IllegalArgumentException("at most 8 integer arguments: " + args.length);
        }
        checkRunnable();
        if (callDepth == MAX_CALL_DEPTH) {
            throw new GuestFault(GuestFault.Kind.SYSCALL_ERROR, 0, 0,
                    "host calls nested more than " + MAX_CALL_DEPTH + " deep");
        }
        if (callDepth == savedCpus.length) {
            savedCpus = Arrays.copyOf(savedCpus, callDepth + 1);
            savedCpus[callDepth] = new Cpu(cpu.xlen);
        }
        boolean fromParent = callDepth == 0 && cpuIsParent;
        Cpu saved = fromParent ? parentCpu : savedCpus[callDepth];
        callDepth++;
        if (!fromParent) {
            saved.copyFrom(cpu);
        }
        boolean rv32 = cpu.xlen == 32;
        try {
            for (int i = 0; i < args.length; i++) {
                cpu.x[10 + i] = rv32 ? (int) args[i] : args[i];
            }
            cpu.x[1] = program.exitAddress();
            cpu.x[2] = (cpu.x[2] - 128) & ~15L; // below the paused frame and its red zone
            cpu.pc = rv32 ? (int) address : address;
            long start = cpu.instret;
            int exit = runEngine(limit(start, budget));
            switch (exit) {
                case ExecutionEngine.EXIT_HALT:
                case ExecutionEngine.EXIT_STOP:
                    if (linux != null && linux.exited()) {
                        throw new GuestExitException(linux.exitStatus());
                    }
                    System.arraycopy(cpu.x, 10, callResults, 0, 8);
                    callStopped = exit == ExecutionEngine.EXIT_STOP;
                    return cpu.x[10];
                case ExecutionEngine.EXIT_LIMIT:
                    throw new GuestTimeoutException(cpu.instret - start);
                default:
                    throw locate(engine.fault());
            }
        } finally {
            callDepth--;
            long instret = cpu.instret;
            cpu.copyFrom(saved);
            cpu.instret = instret;
            cpuIsParent = fromParent; // host calls may have set registers on the way
        }
    }

    /**
     * Register {@code a<i>} as the last successful {@link #call} left it (the call itself restores all registers).
     * Guests return more than one value this way, for example a response through the STOP instruction.
     */
    public long callResult(int i) {
        return callResults[Objects.checkIndex(i, 8)];
    }

    /**
     * Whether the last successful {@link #call} ended by stopping (the STOP instruction or a handler calling
     * {@link #stop()}) rather than by returning from the function.
     */
    public boolean callStopped() {
        return callStopped;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Forks

    /**
     * Creates a copy-on-write child in time independent of the program's size: it starts with this machine's
     * registers, memory contents and system-call handlers, and from then on neither machine sees the other's writes.
     * The child has the same memory limit and budget.
     */
    public Machine fork() {
        return fork(memory.maxBytes(), maxInstructions);
    }

    /**
     * Like {@link #fork()}, with the child's own memory limit and instruction budget. Forking a {@linkplain #freeze()
     * frozen} machine modifies nothing, so any number of threads may fork it at once.
     */
    public Machine fork(long maxMemory, long maxInstructions) {
        if (maxInstructions <= 0) {
            throw new IllegalArgumentException("maxInstructions must be positive: " + maxInstructions);
        }
        Cpu childCpu = new Cpu(cpu.xlen);
        childCpu.copyFrom(cpu);
        Memory childMem = memory.fork(maxMemory);
        LinuxProcess childLinux = linux != null ? linux.fork(childCpu, childMem) : null;
        if (!frozen) {
            handlersShared = true; // the parent must copy its table before changing it; the child shares it
        }
        Machine child = new Machine(program, childCpu, childMem, childLinux, handlers, maxInstructions);
        if (frozen) {
            child.parentCpu = cpu;
            child.cpuIsParent = true;
        }
        return child;
    }

    /**
     * Turns this machine into an immutable snapshot: it can no longer run, be called or change its handlers, and
     * {@link #fork} becomes safe from any thread. Tenant programs freeze the machine paused in
     * {@code wait_for_requests} and fork it for every request.
     */
    public void freeze() {
        cpu.sealFpState(); // before forks from other threads read it
        memory.freeze();
        handlersShared = true;
        frozen = true;
    }

    public boolean isFrozen() {
        return frozen;
    }

    /**
     * Makes this machine a fresh fork of {@code frozenParent} again, as {@code frozenParent.fork(...)} would, reusing
     * its objects, caches and page buffers instead of allocating new ones. This machine must have been forked from
     * that parent (same program, limits and budget). Nothing of its previous state remains visible.
     */
    public void resetTo(Machine frozenParent) {
        if (!frozenParent.frozen || frozen) {
            throw new IllegalStateException("resetTo needs a frozen parent and a live machine");
        }
        if (frozenParent.program != program || (frozenParent.linux == null) != (linux == null)) {
            throw new IllegalArgumentException("not a fork of that machine");
        }
        if (cpuIsParent && parentCpu == frozenParent.cpu) { // the registers are the parent's already
            cpu.instret = parentCpu.instret;
            cpu.reservation = -1;
        } else {
            cpu.copyFrom(frozenParent.cpu);
            parentCpu = frozenParent.cpu;
            cpuIsParent = true;
        }
        memory.resetTo(frozenParent.memory);
        if (linux != null) {
            linux.resetTo(frozenParent.linux);
        }
        handlers = frozenParent.handlers;
        handlersShared = true;
        Arrays.fill(callResults, 0); // as in a fresh fork: nothing of the last request's calls
        callStopped = false;
        stopRequested = false;
        unknownSyscalls = 0;
        callDepth = 0;
        running = 0;
    }

    private void checkRunnable() {
        if (frozen) {
            throw new IllegalStateException("a frozen machine cannot run or change; fork it");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Architectural state

    /** Integer register {@code x[i]} (x0 is always 0). RV32 values are sign-extended. */
    public long reg(int i) {
        Objects.checkIndex(i, 32);
        return cpu.x[i];
    }

    public void setReg(int i, long value) {
        Objects.checkIndex(i, 32);
        checkRunnable(); // a frozen machine's registers are read by its forks on other threads
        cpuIsParent = false;
        if (i != 0) {
            cpu.x[i] = cpu.xlen == 32 ? (int) value : value;
        }
    }

    /** Floating-point register {@code f[i]} as raw bits (single precision NaN-boxed). */
    public long fpr(int i) {
        Objects.checkIndex(i, 32);
        return cpu.f[i];
    }

    public void setFpr(int i, long bits) {
        Objects.checkIndex(i, 32);
        checkRunnable();
        cpuIsParent = false;
        cpu.fpWritten();
        cpu.f[i] = bits;
    }

    public long pc() {
        return cpu.xlen == 32 ? cpu.pc & 0xFFFF_FFFFL : cpu.pc;
    }

    public void setPc(long pc) {
        checkRunnable();
        cpuIsParent = false;
        cpu.pc = cpu.xlen == 32 ? (int) pc : pc;
    }

    public int fcsr() {
        return cpu.fcsr();
    }

    /** Instructions retired since the machine started (forks inherit their parent's count). */
    public long instructions() {
        return cpu.instret;
    }

    public int xlen() {
        return cpu.xlen;
    }

    /** True once the guest called exit. */
    public boolean exited() {
        return linux != null && linux.exited();
    }

    /** Releases the machine. Machines hold only heap memory today; pooling will make this matter. */
    @Override
    public void close() {
        // Nothing to release yet.
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Configures a {@link Machine}. */
    public static final class Builder {
        private final Program program;
        private long maxInstructions = Long.MAX_VALUE;
        private long maxMemory = 64L << 20;
        private List<String> args = List.of("program");
        private List<String> env = List.of();
        private OutputStream stdout = OutputStream.nullOutputStream();
        private OutputStream stderr = OutputStream.nullOutputStream();
        private InputStream stdin = InputStream.nullInputStream();
        private Long randomSeed;
        private Clock clock = Clock.systemUTC();
        private long stackSize = 8L << 20;
        private long maxBrk = 256L << 20;
        private boolean linux = true;

        private Builder(Program program) {
            this.program = Objects.requireNonNull(program, "program");
        }

        /** The instruction budget of {@link Machine#run()} and {@link Machine#call}; default unlimited. */
        public Builder maxInstructions(long n) {
            if (n <= 0) {
                throw new IllegalArgumentException("maxInstructions must be positive: " + n);
            }
            this.maxInstructions = n;
            return this;
        }

        /** Bytes of memory the machine may own (pages it writes); default 64 MiB. Exceeding it is a guest fault. */
        public Builder maxMemory(long bytes) {
            if (bytes < Memory.PAGE_SIZE) {
                throw new IllegalArgumentException("maxMemory must be at least one page: " + bytes);
            }
            this.maxMemory = bytes;
            return this;
        }

        /** The full argv, argv[0] included; default {@code ["program"]}. */
        public Builder args(List<String> argv) {
            this.args = List.copyOf(argv);
            return this;
        }

        public Builder args(String... argv) {
            return args(Arrays.asList(argv));
        }

        /** Environment strings such as {@code "LANG=C"}; default none. */
        public Builder env(List<String> vars) {
            this.env = List.copyOf(vars);
            return this;
        }

        public Builder env(String... vars) {
            return env(Arrays.asList(vars));
        }

        /** Where guest writes to fd 1 go; default discarded. */
        public Builder stdout(OutputStream out) {
            this.stdout = Objects.requireNonNull(out);
            return this;
        }

        /** Where guest writes to fd 2 go; default discarded. */
        public Builder stderr(OutputStream err) {
            this.stderr = Objects.requireNonNull(err);
            return this;
        }

        /** What guest reads from fd 0 return; default end of file. */
        public Builder stdin(InputStream in) {
            this.stdin = Objects.requireNonNull(in);
            return this;
        }

        /** Makes getrandom and AT_RANDOM reproducible. */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /** The wall clock the guest reads; default the system UTC clock. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /** Bytes of stack (mapped lazily); default 8 MiB. */
        public Builder stackSize(long bytes) {
            if (bytes < Memory.PAGE_SIZE || bytes > (1L << 30)) {
                throw new IllegalArgumentException("stackSize out of range: " + bytes);
            }
            this.stackSize = (bytes + Memory.PAGE_SIZE - 1) & -Memory.PAGE_SIZE;
            return this;
        }

        /**
         * Whether to provide the Linux user-mode personality (initial stack, syscalls); default true. Without it the
         * machine starts at the entry point with all registers zero and no system call handlers.
         */
        public Builder linux(boolean enabled) {
            this.linux = enabled;
            return this;
        }

        public Machine build() {
            Cpu cpu = new Cpu(program.xlen());
            Memory memory = program.image().fork(maxMemory);
            cpu.pc = program.xlen() == 32 ? (int) program.entry() : program.entry();
            LinuxProcess process = null;
            SyscallHandler[] table = new SyscallHandler[SYSCALL_TABLE_SIZE];
            if (linux) {
                long brkRoom = maxBrk;
                long stackTop = STACK_TOP;
                long mmapRoom = 64L << 20;
                if (program.imageEnd() + brkRoom + mmapRoom > STACK_TOP - stackSize) {
                    if (program.xlen() == 64) {
                        // A high RV64 image: put the heap, mmap area and stack above it.
                        stackTop = program.imageEnd() + brkRoom + (1L << 30) + stackSize;
                    } else {
                        // RV32 images end below Program.RV32_IMAGE_LIMIT: shrink the heap to fit.
                        brkRoom = Math.max(0, STACK_TOP - stackSize - program.imageEnd() - mmapRoom);
                    }
                }
                LinuxOptions options = new LinuxOptions(stdout, stderr, stdin, randomSeed, clock, System.nanoTime(),
                        stackSize, brkRoom);
                process = new LinuxProcess(cpu, memory, options);
                var elf = program.elf();
                byte[] phdrs = program.phdrAddress() == 0 ? program.phdrBytes() : new byte[0];
                process.start(new StartInfo(new ArrayList<>(args), new ArrayList<>(env), program.entry(),
                        program.phdrAddress(), phdrs, elf.phentsize(), elf.phnum(), program.imageEnd(),
                        program.imageEnd() + brkRoom, stackTop, hwcap()));
                table = LINUX_TABLE;
            }
            return new Machine(program, cpu, memory, process, table, maxInstructions);
        }

        /** AT_HWCAP: the single-letter extensions I, M, A, F, D, C. */
        private static long hwcap() {
            long caps = 0;
            for (char c : "imafdc".toCharArray()) {
                caps |= 1L << (c - 'a');
            }
            return caps;
        }
    }
}
