package dev.riscvsandbox.linux;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.cpu.Cpu;
import dev.riscvsandbox.memory.Memory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * The Linux user-mode personality of one machine: the process's brk and mmap areas, its three standard streams and
 * the system calls that static glibc, Rust std and picolibc programs make. Nothing here touches the host file system,
 * network, clock beyond reading it, or threads.
 *
 * <p>Every guest pointer and length is validated through {@link Memory}'s bounded accessors; every size the guest
 * controls is capped.
 */
public final class LinuxProcess {
    private static final System.Logger LOG = System.getLogger(LinuxProcess.class.getName());

    /** Syscall numbers (the generic table shared by riscv64 and riscv32). */
    public static final int SYS_GETCWD = 17, SYS_FCNTL = 25, SYS_IOCTL = 29, SYS_FACCESSAT = 48, SYS_OPENAT = 56,
            SYS_CLOSE = 57, SYS_LSEEK = 62, SYS_READ = 63, SYS_WRITE = 64, SYS_READV = 65, SYS_WRITEV = 66,
            SYS_PPOLL = 73, SYS_READLINKAT = 78, SYS_NEWFSTATAT = 79, SYS_FSTAT = 80, SYS_EXIT = 93,
            SYS_EXIT_GROUP = 94, SYS_SET_TID_ADDRESS = 96, SYS_FUTEX = 98, SYS_SET_ROBUST_LIST = 99,
            SYS_CLOCK_GETTIME = 113, SYS_CLOCK_GETRES = 114, SYS_SCHED_GETAFFINITY = 123, SYS_SCHED_YIELD = 124,
            SYS_KILL = 129, SYS_TKILL = 130, SYS_TGKILL = 131, SYS_SIGALTSTACK = 132, SYS_RT_SIGACTION = 134,
            SYS_RT_SIGPROCMASK = 135, SYS_UNAME = 160, SYS_GETRLIMIT = 163, SYS_GETTIMEOFDAY = 169,
            SYS_GETPID = 172, SYS_GETPPID = 173, SYS_GETUID = 174, SYS_GETEUID = 175, SYS_GETGID = 176,
            SYS_GETEGID = 177, SYS_GETTID = 178, SYS_BRK = 214, SYS_MUNMAP = 215, SYS_MREMAP = 216, SYS_MMAP = 222,
            SYS_MPROTECT = 226, SYS_MADVISE = 233, SYS_PRLIMIT64 = 261, SYS_GETRANDOM = 278, SYS_STATX = 291,
            SYS_RSEQ = 293, SYS_CLOCK_GETTIME64 = 403, SYS_CLOCK_GETRES64 = 406, SYS_PPOLL_TIME64 = 414;

    /** The syscalls this class implements; the machine routes exactly these numbers here. */
    public static final int[] SYSCALLS = {SYS_GETCWD, SYS_FCNTL, SYS_IOCTL, SYS_FACCESSAT, SYS_OPENAT, SYS_CLOSE,
        SYS_LSEEK, SYS_READ, SYS_WRITE, SYS_READV, SYS_WRITEV, SYS_PPOLL, SYS_READLINKAT, SYS_NEWFSTATAT, SYS_FSTAT,
        SYS_EXIT, SYS_EXIT_GROUP, SYS_SET_TID_ADDRESS, SYS_FUTEX, SYS_SET_ROBUST_LIST, SYS_CLOCK_GETTIME,
        SYS_CLOCK_GETRES, SYS_SCHED_GETAFFINITY, SYS_SCHED_YIELD, SYS_KILL, SYS_TKILL, SYS_TGKILL, SYS_SIGALTSTACK,
        SYS_RT_SIGACTION, SYS_RT_SIGPROCMASK, SYS_UNAME, SYS_GETRLIMIT, SYS_GETTIMEOFDAY, SYS_GETPID, SYS_GETPPID,
        SYS_GETUID, SYS_GETEUID, SYS_GETGID, SYS_GETEGID, SYS_GETTID, SYS_BRK, SYS_MUNMAP, SYS_MREMAP, SYS_MMAP,
        SYS_MPROTECT, SYS_MADVISE, SYS_PRLIMIT64, SYS_GETRANDOM, SYS_STATX, SYS_RSEQ, SYS_CLOCK_GETTIME64,
        SYS_CLOCK_GETRES64, SYS_PPOLL_TIME64};

    // errno values
    static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EIO = 5, EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13,
            EFAULT = 14, EINVAL = 22, ESPIPE = 29, ENOTTY = 25, ENOSYS = 38;

    /** Largest single read/write/getrandom transfer; larger requests are shortened, as Linux may do. */
    static final int MAX_TRANSFER = 1 << 20;
    /** Largest iovec count, as Linux's IOV_MAX. */
    static final int MAX_IOV = 1024;
    /** The process id the guest sees. */
    static final int PID = 1000;
    static final long PAGE = Memory.PAGE_SIZE;
    /** S_IFIFO | 0600: the standard streams look like pipes. */
    static final int PIPE_MODE = 0010600;

    private final Cpu cpu;
    private final Memory mem;
    private final boolean rv32;
    private final LinuxOptions options;
    private long seed;
    /** SplitMix64 state: the guest's random stream (getrandom, AT_RANDOM). */
    private long randomState;
    /** Forks made from this process so far: each gets its own random stream, derived without touching ours. */
    private final java.util.concurrent.atomic.AtomicLong forks = new java.util.concurrent.atomic.AtomicLong();
    /** This process's number among its parent's forks (0 for a process that is no fork), and its resets. */
    private long forkId;
    private long resets;

    // Address-space layout (all page-aligned).
    private long brkStart;
    private long brk;
    private long brkMax;
    private long mmapBase;
    private long mmapNext;
    private long mmapEnd;

    private boolean exited;
    private int exitStatus;
    private long lastUnknown = -1;

    public LinuxProcess(Cpu cpu, Memory mem, LinuxOptions options) {
        this.cpu = cpu;
        this.mem = mem;
        this.rv32 = cpu.xlen == 32;
        this.options = options;
        this.seed = options.randomSeed() != null ? options.randomSeed() : SEEDS.nextLong();
        this.randomState = seed;
    }

    private LinuxProcess(LinuxProcess parent, Cpu cpu, Memory mem) {
        this.cpu = cpu;
        this.mem = mem;
        this.rv32 = parent.rv32;
        this.options = parent.options;
        this.forkId = parent.forks.incrementAndGet();
        resetTo(parent);
    }

    /**
     * Makes this process a fresh fork of {@code parent} again (layout, exit state and a new random stream) without
     * allocating. Only reads {@code parent}, so many threads may reset their forks of one parent at once.
     */
    public void resetTo(LinuxProcess parent) {
        // A stream per (fork, reset): the fork's number among its parent's forks and its own count of resets, so no
        // counter is shared between threads on the hot path.
        resets++;
        this.seed = mix(mix(parent.seed + forkId * 0x9E37_79B9_7F4A_7C15L) + resets * 0xD1B5_4A32_D192_ED03L);
        this.randomState = seed;
        this.brkStart = parent.brkStart;
        this.brk = parent.brk;
        this.brkMax = parent.brkMax;
        this.mmapBase = parent.mmapBase;
        this.mmapNext = parent.mmapNext;
        this.mmapEnd = parent.mmapEnd;
        this.exited = parent.exited;
        this.exitStatus = parent.exitStatus;
        this.lastUnknown = -1;
    }

    /** Seeds of unseeded processes: unpredictable to guests. */
    private static final java.security.SecureRandom SEEDS = new java.security.SecureRandom();

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The process state for a fork: same layout, the child's own CPU and memory, and a random stream of its own
     * (reproducible when the parent's seed was given). Safe to call from several threads on one parent.
     */
    public LinuxProcess fork(Cpu childCpu, Memory childMem) {
        return new LinuxProcess(this, childCpu, childMem);
    }

    /** True once the guest called exit or exit_group. */
    /**
     * Removes {@code bytes} (rounded up to pages) from the top of the mmap area and returns their base address; the
     * range is left unmapped for the host to manage.
     *
     * @throws IllegalStateException if the mmap area cannot spare that much
     */
    public long reserveTop(long bytes) {
        long free = mmapEnd - mmapNext;
        long size = bytes > 0 && bytes <= free ? pageUp(bytes) : -1;
        if (size < 0 || size > free) {
            throw new IllegalStateException("cannot reserve " + bytes + " bytes of address space: "
                    + Math.max(0, mmapEnd - mmapNext) + " are free");
        }
        mmapEnd -= size;
        return mmapEnd;
    }

    /** Forgets that the guest exited (see {@code Machine.clearExit}). */
    public void clearExit() {
        exited = false;
    }

    public boolean exited() {
        return exited;
    }

    public int exitStatus() {
        return exitStatus;
    }

    public long brk() {
        return brk;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Process start

    /**
     * Lays out the heap and mmap areas above {@code imageEnd}, maps the stack and writes argv, envp and auxv onto it
     * the way the Linux kernel does, then points {@code sp} at argc.
     */
    public void start(StartInfo info) {
        long stackTop = info.stackTop();
        long stackSize = options.stackSize();
        mem.map(stackTop - stackSize, stackSize, Memory.READ | Memory.WRITE);

        brkStart = pageUp(info.imageEnd());
        brk = brkStart;
        brkMax = brkStart + options.maxBrk();
        mmapBase = pageUp(Math.max(brkMax, info.mmapFloor()));
        mmapNext = mmapBase;
        mmapEnd = stackTop - stackSize - 16 * PAGE;
        if (mmapEnd <= mmapBase) {
            throw new IllegalStateException("no room for the mmap area below the stack");
        }

        int w = rv32 ? 4 : 8;
        long sp = stackTop;
        // Strings first (at the top), then the 16 random bytes, the platform string, then the pointer arrays.
        long[] argvPtrs = new long[info.args().size()];
        long[] envPtrs = new long[info.env().size()];
        for (int i = info.env().size() - 1; i >= 0; i--) {
            sp = pushString(sp, info.env().get(i));
            envPtrs[i] = sp;
        }
        for (int i = info.args().size() - 1; i >= 0; i--) {
            sp = pushString(sp, info.args().get(i));
            argvPtrs[i] = sp;
        }
        long execFn = argvPtrs.length > 0 ? argvPtrs[0] : pushString(sp, "");
        sp = Math.min(sp, execFn);
        sp = pushString(sp, "riscv" + (rv32 ? "32" : "64"));
        long platform = sp;
        long phdr = info.phdrAddress();
        if (phdr == 0 && info.phdrs().length > 0) {
            sp = (sp - info.phdrs().length) & ~15L;
            mem.writeBytes(sp, info.phdrs(), 0, info.phdrs().length);
            phdr = sp;
        }
        sp -= 16;
        long randomBytes = sp;
        byte[] rnd = new byte[16];
        nextBytes(rnd);
        mem.writeBytes(randomBytes, rnd, 0, 16);
        sp &= ~15L;

        long[][] auxv = {
            {3, phdr},                         // AT_PHDR
            {4, info.phentsize()},             // AT_PHENT
            {5, info.phnum()},                 // AT_PHNUM
            {6, PAGE},                         // AT_PAGESZ
            {7, 0},                            // AT_BASE (no interpreter)
            {8, 0},                            // AT_FLAGS
            {9, info.entry()},                 // AT_ENTRY
            {11, 1000}, {12, 1000}, {13, 1000}, {14, 1000}, // AT_UID, AT_EUID, AT_GID, AT_EGID
            {16, info.hwcap()},                // AT_HWCAP
            {17, 100},                         // AT_CLKTCK
            {23, 0},                           // AT_SECURE
            {25, randomBytes},                 // AT_RANDOM
            {15, platform},                    // AT_PLATFORM
            {31, execFn},                      // AT_EXECFN
            {0, 0},                            // AT_NULL
        };
        int words = 1 + argvPtrs.length + 1 + envPtrs.length + 1 + 2 * auxv.length;
        sp -= (long) words * w;
        sp &= ~15L;
        long p = sp;
        p = putWord(p, argvPtrs.length);
        for (long a : argvPtrs) {
            p = putWord(p, a);
        }
        p = putWord(p, 0);
        for (long e : envPtrs) {
            p = putWord(p, e);
        }
        p = putWord(p, 0);
        for (long[] kv : auxv) {
            p = putWord(p, kv[0]);
            p = putWord(p, kv[1]);
        }
        cpu.x[2] = rv32 ? (int) sp : sp;
    }

    private long pushString(long sp, String s) {
        byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_8);
        sp -= b.length;
        mem.writeBytes(sp, b, 0, b.length);
        return sp;
    }

    private long putWord(long addr, long v) {
        if (rv32) {
            mem.store32(addr, (int) v);
            return addr + 4;
        }
        mem.store64(addr, v);
        return addr + 8;
    }

    private static long pageUp(long a) {
        return (a + PAGE - 1) & -PAGE;
    }

    // ------------------------------------------------------------------------------------------------------------
    // System calls

    /**
     * Executes system call {@code nr} with arguments in a0..a5 and the result in a0.
     *
     * @return true if the process exited
     */
    public boolean syscall(int nr) {
        final long[] x = cpu.x;
        // RV32 registers hold sign-extended values; pointers and sizes are unsigned 32-bit quantities.
        final long mask = rv32 ? 0xFFFF_FFFFL : -1L;
        long a0 = x[10] & mask, a1 = x[11] & mask, a2 = x[12] & mask, a3 = x[13] & mask, a4 = x[14] & mask;
        long r;
        switch (nr) {
            case SYS_EXIT:
            case SYS_EXIT_GROUP:
                exited = true;
                exitStatus = (int) a0 & 0xFF;
                return true;
            case SYS_WRITE: r = write((int) a0, a1, a2); break;
            case SYS_WRITEV: r = writev((int) a0, a1, a2); break;
            case SYS_READ: r = read((int) a0, a1, a2); break;
            case SYS_READV: r = readv((int) a0, a1, a2); break;
            case SYS_BRK: r = brk(a0); break;
            case SYS_MMAP: r = mmap(a0, a1, (int) a2, (int) a3, (int) a4, x[15] & mask); break;
            case SYS_MUNMAP: r = munmap(a0, a1); break;
            case SYS_MREMAP: r = mremap(a0, a1, a2, (int) a3); break;
            case SYS_MPROTECT: r = mprotect(a0, a1, (int) a2); break;
            case SYS_MADVISE: r = madvise(a0, a1, (int) a2); break;
            case SYS_SET_TID_ADDRESS: r = PID; break;
            case SYS_SET_ROBUST_LIST: r = 0; break;
            case SYS_RSEQ: r = -ENOSYS; break; // glibc then runs without restartable sequences, as on old kernels
            case SYS_FUTEX: r = futex(a0, (int) a1, (int) a2); break;
            case SYS_PRLIMIT64: r = prlimit((int) a0, (int) a1, a2, a3); break;
            case SYS_GETRLIMIT: r = prlimit(0, (int) a0, 0, a1); break;
            case SYS_GETRANDOM: r = getrandom(a0, a1); break;
            case SYS_CLOCK_GETTIME: r = clockGettime((int) a0, a1, !rv32); break;
            case SYS_CLOCK_GETTIME64: r = clockGettime((int) a0, a1, true); break;
            case SYS_CLOCK_GETRES: r = clockGetres(a1, !rv32); break;
            case SYS_CLOCK_GETRES64: r = clockGetres(a1, true); break;
            case SYS_GETTIMEOFDAY: r = gettimeofday(a0); break;
            case SYS_UNAME: r = uname(a0); break;
            case SYS_READLINKAT: r = -ENOENT; break; // there is no /proc/self/exe: glibc copes
            case SYS_FSTAT: r = fstat((int) a0, a1); break;
            case SYS_NEWFSTATAT: r = newfstatat((int) a0, a1, a2, (int) a3); break;
            case SYS_STATX: r = statx((int) a0, a1, (int) a2, a4); break;
            case SYS_IOCTL: r = ioctl((int) a0); break;
            case SYS_FCNTL: r = isStdFd((int) a0) ? 0 : -EBADF; break;
            case SYS_RT_SIGACTION: r = sigaction(a1, a2); break; // (sig, act, oldact, sigsetsize)
            case SYS_RT_SIGPROCMASK: r = sigprocmask(a1, a2); break; // (how, set, oldset, sigsetsize)
            case SYS_SIGALTSTACK: r = sigaltstack(a1); break;
            case SYS_GETPID: case SYS_GETTID: r = PID; break;
            case SYS_GETPPID: r = 1; break;
            case SYS_GETUID: case SYS_GETEUID: case SYS_GETGID: case SYS_GETEGID: r = 1000; break;
            case SYS_SCHED_GETAFFINITY: r = schedGetaffinity(a1, a2); break;
            case SYS_SCHED_YIELD: r = 0; break;
            case SYS_KILL: case SYS_TKILL: case SYS_TGKILL: r = kill(); break;
            case SYS_LSEEK: r = isStdFd((int) a0) ? -ESPIPE : -EBADF; break;
            case SYS_CLOSE: r = isStdFd((int) a0) ? 0 : -EBADF; break;
            case SYS_OPENAT: r = openat(a1); break;
            case SYS_FACCESSAT: r = -ENOENT; break;
            case SYS_GETCWD: r = getcwd(a0, a1); break;
            case SYS_PPOLL: case SYS_PPOLL_TIME64: r = ppoll(a0, a1); break;
            default:
                r = unknown(nr);
                break;
        }
        x[10] = rv32 ? (int) r : r;
        return exited;
    }

    /** Logs (once per distinct number in a row) a call nobody implements; the machine answers -ENOSYS. */
    public long unknown(long nr) {
        if (nr != lastUnknown) {
            lastUnknown = nr;
            LOG.log(Level.DEBUG, "guest made unimplemented system call {0} at pc 0x{1}", nr, Long.toHexString(cpu.pc));
        }
        return -ENOSYS;
    }

    private static boolean isStdFd(int fd) {
        return fd >= 0 && fd <= 2;
    }

    private OutputStream sink(int fd) {
        return fd == 1 ? options.stdout() : fd == 2 ? options.stderr() : null;
    }

    /**
     * How many bytes a read, write or getrandom of {@code len} bytes at {@code buf} may move: capped at
     * {@link #MAX_TRANSFER}, 0 for an empty request, or a negative errno if the length is negative or the buffer is
     * not accessible with {@code perms}.
     */
    private long transferLength(long buf, long len, int perms) {
        if (len < 0) {
            return -EINVAL;
        }
        int n = (int) Math.min(len, MAX_TRANSFER);
        if (n == 0) {
            return 0;
        }
        return mem.isMapped(buf, n, perms) ? n : -EFAULT;
    }

    private long write(int fd, long buf, long len) {
        OutputStream out = sink(fd);
        if (out == null) {
            return -EBADF;
        }
        long checked = transferLength(buf, len, Memory.READ);
        if (checked <= 0) {
            return checked;
        }
        int n = (int) checked;
        byte[] data = mem.readBytes(buf, n);
        try {
            out.write(data);
            out.flush();
        } catch (IOException e) {
            return -EIO;
        }
        return n;
    }

    private long writev(int fd, long iov, long count) {
        return transferVector(fd, iov, count, true);
    }

    /** readv/writev: each iovec in turn, stopping at the first short transfer; errors only if nothing moved. */
    private long transferVector(int fd, long iov, long count, boolean write) {
        if (count < 0 || count > MAX_IOV) {
            return -EINVAL;
        }
        long total = 0;
        int w = rv32 ? 4 : 8;
        for (int i = 0; i < count; i++) {
            long entry = iov + (long) i * 2 * w;
            if (!mem.isMapped(entry, 2L * w, Memory.READ)) {
                return total > 0 ? total : -EFAULT;
            }
            long base = rv32 ? mem.load32(entry) & 0xFFFF_FFFFL : mem.load64(entry);
            long len = rv32 ? mem.load32(entry + 4) & 0xFFFF_FFFFL : mem.load64(entry + 8);
            if (len == 0) {
                continue;
            }
            long r = write ? write(fd, base, len) : read(fd, base, len);
            if (r < 0) {
                return total > 0 ? total : r;
            }
            total += r;
            if (r < len) {
                break;
            }
        }
        return total;
    }

    private long read(int fd, long buf, long len) {
        if (fd != 0) {
            return -EBADF;
        }
        long checked = transferLength(buf, len, Memory.WRITE);
        if (checked <= 0) {
            return checked;
        }
        int n = (int) checked;
        InputStream in = options.stdin();
        byte[] data = new byte[n];
        int got;
        try {
            got = in.read(data, 0, n);
        } catch (IOException e) {
            return -EIO;
        }
        if (got <= 0) {
            return 0;
        }
        mem.writeBytes(buf, data, 0, got);
        return got;
    }

    private long readv(int fd, long iov, long count) {
        return transferVector(fd, iov, count, false);
    }

    private long brk(long requested) {
        if (requested == 0 || requested < brkStart || requested > brkMax) {
            return brk;
        }
        long oldTop = pageUp(brk);
        long newTop = pageUp(requested);
        try {
            if (newTop > oldTop) {
                mem.map(oldTop, newTop - oldTop, Memory.READ | Memory.WRITE);
            } else if (newTop < oldTop) {
                mem.unmap(newTop, oldTop - newTop);
            }
        } catch (GuestFault e) {
            return brk;
        }
        brk = requested;
        return brk;
    }

    /** PROT_* to page permissions; RISC-V has no write-only pages, so PROT_WRITE implies read, as on Linux. */
    private static int protToPerms(int prot) {
        int perms = prot & 7;
        return (perms & Memory.WRITE) != 0 ? perms | Memory.READ : perms;
    }

    /**
     * Charges host work done for the guest to its instruction budget (one instruction per page touched), so
     * system calls that walk large ranges cannot make a small budget buy unbounded host time.
     */
    private void charge(long pages) {
        cpu.instret += pages;
    }

    private long mmap(long addr, long len, int prot, int flags, int fd, long offset) {
        final int MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_FIXED_NOREPLACE = 0x100000;
        if (len <= 0 || (flags & MAP_ANONYMOUS) == 0) {
            return (flags & MAP_ANONYMOUS) == 0 ? -EACCES : -EINVAL; // no files to map: the guest has no file system
        }
        if ((prot & ~7) != 0 || (prot & 6) == 6) {
            return (prot & 6) == 6 ? -EACCES : -EINVAL; // never writable and executable at once
        }
        if (len > userSpan()) {
            return -ENOMEM;
        }
        long size = pageUp(len);
        if (size <= 0 || size > mmapEnd - mmapBase) {
            return -ENOMEM;
        }
        long at;
        if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
            if ((addr & (PAGE - 1)) != 0) {
                return -EINVAL;
            }
            if (addr < PAGE || addr + size < addr || !inUserRange(addr, size)) {
                return -ENOMEM;
            }
            if ((flags & MAP_FIXED_NOREPLACE) != 0 && anyMapped(addr, size)) {
                return -17; // EEXIST
            }
            at = addr;
        } else {
            at = findFree(size);
            if (at < 0) {
                return -ENOMEM;
            }
        }
        charge(size / PAGE);
        try {
            mem.map(at, size, protToPerms(prot));
        } catch (GuestFault | IllegalArgumentException e) {
            return -ENOMEM;
        }
        return at;
    }

    /** Size of the guest's address space: no range the guest names can be longer. */
    private long userSpan() {
        return rv32 ? 0x1_0000_0000L : 1L << Memory.ADDRESS_BITS;
    }

    private boolean inUserRange(long addr, long size) {
        long end = addr + size;
        return addr > 0 && end > addr && end <= (rv32 ? 0x1_0000_0000L : 1L << Memory.ADDRESS_BITS);
    }

    private boolean anyMapped(long addr, long size) {
        charge(size / PAGE);
        for (long a = addr; a < addr + size; a += PAGE) {
            if (mem.permissions(a) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Bump allocation in the mmap area, falling back to a first-fit scan when the bump pointer reaches the end. */
    private long findFree(long size) {
        if (mmapNext + size <= mmapEnd && !anyMapped(mmapNext, size)) {
            long at = mmapNext;
            mmapNext += size;
            return at;
        }
        long run = 0;
        charge((mmapEnd - mmapBase) / PAGE);
        for (long a = mmapBase; a < mmapEnd; a += PAGE) {
            if (mem.permissions(a) != 0) {
                run = 0;
                continue;
            }
            run += PAGE;
            if (run == size) {
                return a + PAGE - size;
            }
        }
        return -1;
    }

    private long munmap(long addr, long len) {
        if ((addr & (PAGE - 1)) != 0 || len <= 0 || len > userSpan() || !inUserRange(addr, pageUp(len))) {
            return -EINVAL;
        }
        charge(pageUp(len) / PAGE);
        mem.unmap(addr, pageUp(len));
        if (addr + pageUp(len) == mmapNext) {
            mmapNext = Math.max(mmapBase, addr);
        }
        return 0;
    }

    private long mremap(long oldAddr, long oldLen, long newLen, int flags) {
        final int MREMAP_MAYMOVE = 1;
        if ((oldAddr & (PAGE - 1)) != 0 || oldLen <= 0 || newLen <= 0 || (flags & ~MREMAP_MAYMOVE) != 0) {
            return -EINVAL;
        }
        if (oldLen > userSpan() || newLen > userSpan()) {
            return -ENOMEM;
        }
        long oldSize = pageUp(oldLen);
        long newSize = pageUp(newLen);
        if (!inUserRange(oldAddr, oldSize)) {
            return -EFAULT;
        }
        charge(oldSize / PAGE);
        if (!mem.isMapped(oldAddr, oldSize, 0)) {
            return -EFAULT;
        }
        int perms = mem.permissions(oldAddr);
        if ((perms & Memory.EXEC) != 0) {
            return -EINVAL; // code is placed by the loader and decoded once; it cannot move or grow
        }
        if (newSize <= oldSize) {
            if (newSize < oldSize) {
                mem.unmap(oldAddr + newSize, oldSize - newSize);
            }
            return oldAddr;
        }
        if (inUserRange(oldAddr, newSize) && !anyMapped(oldAddr + oldSize, newSize - oldSize)) {
            try {
                mem.map(oldAddr + oldSize, newSize - oldSize, perms);
                if (oldAddr + oldSize == mmapNext) {
                    mmapNext = oldAddr + newSize;
                }
                return oldAddr;
            } catch (GuestFault | IllegalArgumentException e) {
                return -ENOMEM;
            }
        }
        if ((flags & MREMAP_MAYMOVE) == 0) {
            return -ENOMEM;
        }
        long at = findFree(newSize);
        if (at < 0) {
            return -ENOMEM;
        }
        try {
            mem.map(at, newSize, perms | Memory.WRITE);
            byte[] chunk = new byte[(int) Math.min(oldSize, 1 << 20)];
            for (long done = 0; done < oldSize; done += chunk.length) {
                int n = (int) Math.min(chunk.length, oldSize - done);
                mem.readBytes(oldAddr + done, chunk, 0, n);
                mem.writeBytes(at + done, chunk, 0, n);
            }
            if (perms != (perms | Memory.WRITE)) {
                mem.protect(at, newSize, perms);
            }
        } catch (GuestFault | IllegalArgumentException e) {
            return -ENOMEM;
        }
        mem.unmap(oldAddr, oldSize);
        return at;
    }

    private long mprotect(long addr, long len, int prot) {
        if ((addr & (PAGE - 1)) != 0 || (prot & ~7) != 0) {
            return -EINVAL;
        }
        if (len == 0) {
            return 0;
        }
        if ((prot & 6) == 6) {
            return -EACCES;
        }
        if (len > userSpan()) {
            return -ENOMEM;
        }
        long size = pageUp(len);
        if (!inUserRange(addr, size)) {
            return -ENOMEM;
        }
        charge(size / PAGE);
        // Code pages stay code: making them writable (or data executable) is refused, as under PaX MPROTECT.
        for (long a = addr; a < addr + size; a += PAGE) {
            int p = mem.permissions(a);
            if (p == 0) {
                return -ENOMEM;
            }
            if ((p & Memory.EXEC) != 0 && (prot & 2) != 0) {
                return -EACCES;
            }
        }
        return mem.protect(addr, size, protToPerms(prot)) ? 0 : -ENOMEM;
    }

    private long madvise(long addr, long len, int advice) {
        final int MADV_DONTNEED = 4;
        if ((addr & (PAGE - 1)) != 0 || len < 0) {
            return -EINVAL;
        }
        if (advice == MADV_DONTNEED && len > 0) {
            if (len > userSpan()) {
                return -ENOMEM;
            }
            long size = pageUp(len);
            charge(size / PAGE);
            if (!inUserRange(addr, size) || !mem.isMapped(addr, size, 0)) {
                return -ENOMEM;
            }
            // Private anonymous memory reads back as zeros afterwards.
            for (long a = addr; a < addr + size; a += PAGE) {
                int p = mem.permissions(a);
                mem.map(a, PAGE, p);
            }
        }
        return 0;
    }

    private long futex(long addr, int op, int val) {
        final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
        int cmd = op & 0x7F;
        switch (cmd) {
            case FUTEX_WAIT:
            case FUTEX_WAIT_BITSET:
                if (!mem.isMapped(addr, 4, Memory.READ)) {
                    return -EFAULT;
                }
                // With a single thread nobody could wake the waiter; report that the value changed and let the
                // caller re-check (a guest that truly deadlocks then spins until its budget runs out).
                return -EAGAIN;
            case FUTEX_WAKE:
            case FUTEX_WAKE_BITSET:
                return 0;
            default:
                return -ENOSYS;
        }
    }

    private long prlimit(int pid, int resource, long newLimit, long oldLimit) {
        if (pid != 0 && pid != PID) {
            return -ESRCH;
        }
        if (resource < 0 || resource > 15) {
            return -EINVAL;
        }
        if (oldLimit != 0) {
            long soft;
            long hard;
            switch (resource) {
                case 3: soft = options.stackSize(); hard = options.stackSize(); break; // RLIMIT_STACK
                case 7: soft = 1024; hard = 1024; break; // RLIMIT_NOFILE
                case 9: soft = mem.maxBytes(); hard = mem.maxBytes(); break; // RLIMIT_AS
                default: soft = -1; hard = -1; break; // RLIM_INFINITY
            }
            if (!mem.isMapped(oldLimit, 16, Memory.WRITE)) {
                return -EFAULT;
            }
            mem.store64(oldLimit, soft);
            mem.store64(oldLimit + 8, hard);
        }
        return 0;
    }

    private long getrandom(long buf, long len) {
        long checked = transferLength(buf, len, Memory.WRITE);
        if (checked <= 0) {
            return checked;
        }
        byte[] b = new byte[(int) checked];
        nextBytes(b);
        mem.writeBytes(buf, b, 0, b.length);
        return b.length;
    }

    private void nextBytes(byte[] b) {
        for (int i = 0; i < b.length; i += 8) {
            randomState += 0x9E37_79B9_7F4A_7C15L;
            long v = mix(randomState);
            for (int k = 0; k < 8 && i + k < b.length; k++) {
                b[i + k] = (byte) (v >>> (8 * k));
            }
        }
    }

    /** Writes a timespec; 64-bit fields unless {@code wide} is false (RV32's old 32-bit time_t). */
    private long putTimespec(long addr, long sec, long nsec, boolean wide) {
        int size = wide ? 16 : 8;
        if (!mem.isMapped(addr, size, Memory.WRITE)) {
            return -EFAULT;
        }
        if (wide) {
            mem.store64(addr, sec);
            mem.store64(addr + 8, nsec);
        } else {
            mem.store32(addr, (int) sec);
            mem.store32(addr + 4, (int) nsec);
        }
        return 0;
    }

    private long clockGettime(int clock, long ts, boolean wide) {
        long sec;
        long nsec;
        switch (clock) {
            case 0: case 5: case 8: case 11: { // REALTIME, REALTIME_COARSE, REALTIME_ALARM, TAI
                java.time.Instant now = options.clock().instant();
                sec = now.getEpochSecond();
                nsec = now.getNano();
                break;
            }
            case 1: case 4: case 6: case 7: case 2: case 3: case 9: { // MONOTONIC*, BOOTTIME, CPUTIME
                long t = System.nanoTime() - options.startNanos();
                sec = t / 1_000_000_000L;
                nsec = t % 1_000_000_000L;
                break;
            }
            default:
                return -EINVAL;
        }
        return ts == 0 ? 0 : putTimespec(ts, sec, nsec, wide);
    }

    private long clockGetres(long ts, boolean wide) {
        return ts == 0 ? 0 : putTimespec(ts, 0, 1, wide);
    }

    private long gettimeofday(long tv) {
        if (tv == 0) {
            return 0;
        }
        java.time.Instant now = options.clock().instant();
        int w = rv32 ? 4 : 8;
        if (!mem.isMapped(tv, 2L * w, Memory.WRITE)) {
            return -EFAULT;
        }
        putWord(tv, now.getEpochSecond());
        putWord(tv + w, now.getNano() / 1000);
        return 0;
    }

    private long uname(long buf) {
        String[] fields = {"Linux", "riscv-sandbox", "6.1.0", "#1 SMP riscv-sandbox", rv32 ? "riscv32" : "riscv64",
            "(none)"};
        if (!mem.isMapped(buf, 65L * fields.length, Memory.WRITE)) {
            return -EFAULT;
        }
        byte[] out = new byte[65 * fields.length];
        for (int i = 0; i < fields.length; i++) {
            byte[] f = fields[i].getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(f, 0, out, 65 * i, f.length);
        }
        mem.writeBytes(buf, out, 0, out.length);
        return 0;
    }

    /**
     * The {@code struct stat} of a standard stream: a pipe owned by the guest user, with the 4 KiB block size a pipe
     * reports on Linux (libc sizes its stdio buffers from it, which decides how writes interleave).
     */
    private long writeStat(int fd, long buf) {
        // riscv uses the generic struct stat (128 bytes) for both fstat (rv64) and fstat64 layouts.
        if (!mem.isMapped(buf, 128, Memory.WRITE)) {
            return -EFAULT;
        }
        byte[] st = new byte[128];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(st).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 22);                    // st_dev
        b.putLong(8, 3 + fd);                // st_ino
        b.putInt(16, PIPE_MODE);             // st_mode
        b.putInt(20, 1);                     // st_nlink
        b.putInt(24, 1000);                  // st_uid
        b.putInt(28, 1000);                  // st_gid
        b.putInt(56, 4096);                  // st_blksize
        mem.writeBytes(buf, st, 0, st.length);
        return 0;
    }

    private long fstat(int fd, long buf) {
        return isStdFd(fd) ? writeStat(fd, buf) : -EBADF;
    }

    private long newfstatat(int dirfd, long path, long buf, int flags) {
        final int AT_EMPTY_PATH = 0x1000;
        if ((flags & AT_EMPTY_PATH) != 0 && isEmptyPath(path)) {
            return fstat(dirfd, buf);
        }
        return path == 0 ? -EFAULT : -ENOENT;
    }

    private boolean isEmptyPath(long path) {
        return path != 0 && mem.isMapped(path, 1, Memory.READ) && mem.load8(path) == 0;
    }

    private long statx(int dirfd, long path, int flags, long buf) {
        final int AT_EMPTY_PATH = 0x1000;
        if (!((flags & AT_EMPTY_PATH) != 0 && isEmptyPath(path))) {
            return path == 0 ? -EFAULT : -ENOENT;
        }
        if (!isStdFd(dirfd)) {
            return -EBADF;
        }
        if (!mem.isMapped(buf, 256, Memory.WRITE)) {
            return -EFAULT;
        }
        byte[] st = new byte[256];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(st).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x7ff);                  // stx_mask: STATX_BASIC_STATS
        b.putInt(4, 4096);                   // stx_blksize
        b.putInt(16, 1);                     // stx_nlink
        b.putInt(20, 1000);                  // stx_uid
        b.putInt(24, 1000);                  // stx_gid
        b.putShort(28, (short) PIPE_MODE);   // stx_mode
        b.putLong(32, 3 + dirfd);            // stx_ino
        mem.writeBytes(buf, st, 0, st.length);
        return 0;
    }

    private long ioctl(int fd) {
        if (!isStdFd(fd)) {
            return -EBADF;
        }
        // The standard streams are pipes, not terminals: every request (TCGETS for isatty(), TIOCGWINSZ, ...) fails,
        // which also keeps libc's stdout fully buffered.
        return -ENOTTY;
    }

    private long sigaction(long act, long oldact) {
        if (oldact != 0) {
            int size = rv32 ? 16 : 24; // handler, flags, mask: riscv has no sa_restorer
            if (!mem.isMapped(oldact, size, Memory.WRITE)) {
                return -EFAULT;
            }
            mem.fill(oldact, 0, size); // SIG_DFL, no flags, empty mask
        }
        return 0;
    }

    private long sigprocmask(long set, long oldset) {
        if (oldset != 0) {
            if (!mem.isMapped(oldset, 8, Memory.WRITE)) {
                return -EFAULT;
            }
            mem.store64(oldset, 0);
        }
        return 0;
    }

    private long sigaltstack(long oldss) {
        if (oldss != 0) {
            int size = rv32 ? 12 : 24;
            if (!mem.isMapped(oldss, size, Memory.WRITE)) {
                return -EFAULT;
            }
            mem.fill(oldss, 0, size);
            mem.store32(oldss + (rv32 ? 4 : 8), 2); // SS_DISABLE
        }
        return 0;
    }

    private long schedGetaffinity(long size, long mask) {
        if (size < 8 || (size & 7) != 0) {
            return -EINVAL;
        }
        if (!mem.isMapped(mask, 8, Memory.WRITE)) {
            return -EFAULT;
        }
        mem.store64(mask, 1); // one CPU
        return 8;
    }

    private long kill() {
        // A guest signalling itself (abort) ends the process like an uncaught SIGABRT: status 128 + 6.
        exited = true;
        exitStatus = 134;
        return 0;
    }

    private long openat(long path) {
        if (path == 0 || !mem.isMapped(path, 1, Memory.READ)) {
            return -EFAULT;
        }
        return -ENOENT; // the guest has no file system
    }

    private long getcwd(long buf, long size) {
        if (size < 2) {
            return -34; // ERANGE
        }
        if (!mem.isMapped(buf, 2, Memory.WRITE)) {
            return -EFAULT;
        }
        mem.store8(buf, '/');
        mem.store8(buf + 1, 0);
        return 2;
    }

    private long ppoll(long fds, long nfds) {
        if (nfds < 0 || nfds > MAX_IOV) {
            return -EINVAL;
        }
        if (nfds > 0 && !mem.isMapped(fds, nfds * 8, Memory.READ | Memory.WRITE)) {
            return -EFAULT;
        }
        int ready = 0;
        for (int i = 0; i < nfds; i++) {
            long e = fds + 8L * i;
            int fd = mem.load32(e);
            int events = mem.load16(e + 4);
            int revents = 0;
            if (fd >= 0) {
                if (isStdFd(fd)) {
                    revents = events & (fd == 0 ? 1 : 4); // POLLIN for stdin, POLLOUT for the sinks
                } else {
                    revents = 0x20; // POLLNVAL
                }
            }
            mem.store16(e + 6, revents);
            if (revents != 0) {
                ready++;
            }
        }
        return ready;
    }
}
