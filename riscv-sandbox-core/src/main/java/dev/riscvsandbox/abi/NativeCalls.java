package dev.riscvsandbox.abi;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.memory.Memory;
import java.util.Objects;
import java.util.function.Function;

/**
 * Host calls 580–591: the native heap ({@link NativeHeap}) and the libc memory and string functions, done in Java on
 * guest memory. Arguments are in a0..a2, the result in a0; on RV32 pointers and sizes are unsigned 32-bit values.
 *
 * <p>Each call charges its instruction cost before doing the work, so a huge request runs out of budget instead of
 * running long. Every guest access goes through {@link Memory}'s permission-checked methods, so a bad pointer faults
 * exactly as a guest load or store would. Copies go through a bounded buffer: the host never allocates a
 * guest-chosen amount.
 */
public final class NativeCalls {
    public static final int MALLOC = 580, CALLOC = 581, REALLOC = 582, FREE = 583, MEMINFO = 584, MEMCPY = 585,
            MEMSET = 586, MEMMOVE = 587, MEMCMP = 588, STRLEN = 590, STRNCMP = 591;

    /** Cost of a heap call (580–584), in instructions. */
    static final int HEAP_CALL_COST = 2000;
    /** The largest length memcpy, memset, memmove and memcmp accept. */
    static final long MAX_LENGTH = 512L << 20;
    /** The most bytes strlen and strncmp scan. */
    static final int MAX_STRING = 64_000;
    /** Size of the copy buffer. */
    static final int BUFFER = 64 << 10;

    private NativeCalls() {
    }

    /**
     * Installs handlers 580–591 on {@code m} (a fork inherits them). {@code heapOf} finds the {@link NativeHeap} of the
     * machine that runs the call, for example through its {@link Machine#attachment()}; it may return null for a
     * machine without one, which makes the heap calls fault.
     */
    public static void install(Machine m, Function<Machine, NativeHeap> heapOf) {
        Objects.requireNonNull(heapOf, "heapOf");
        m.setSyscallHandler(MALLOC, mm -> {
            mm.charge(HEAP_CALL_COST);
            mm.setReg(10, heap(mm, heapOf, "malloc").malloc(mm, arg(mm, 0)));
        });
        m.setSyscallHandler(CALLOC, mm -> calloc(mm, heap(mm, heapOf, "calloc")));
        m.setSyscallHandler(REALLOC, mm -> {
            mm.charge(HEAP_CALL_COST);
            mm.setReg(10, heap(mm, heapOf, "realloc").realloc(mm, arg(mm, 0), arg(mm, 1), 2));
        });
        m.setSyscallHandler(FREE, mm -> {
            mm.charge(HEAP_CALL_COST);
            heap(mm, heapOf, "free").free(mm, arg(mm, 0));
            mm.setReg(10, 0);
        });
        m.setSyscallHandler(MEMINFO, mm -> meminfo(mm, heap(mm, heapOf, "meminfo")));
        m.setSyscallHandler(MEMCPY, mm -> memmove(mm, heapOf, "memcpy"));
        m.setSyscallHandler(MEMSET, mm -> {
            long n = length(mm, 2, "memset");
            mm.charge(n);
            mm.memory().fill(arg(mm, 0), (int) mm.reg(11), n); // a0 already holds dst
        });
        m.setSyscallHandler(MEMMOVE, mm -> memmove(mm, heapOf, "memmove"));
        m.setSyscallHandler(MEMCMP, mm -> memcmp(mm, heapOf));
        m.setSyscallHandler(STRLEN, NativeCalls::strlen);
        m.setSyscallHandler(STRNCMP, NativeCalls::strncmp);
    }

    /** Argument {@code i} (a0 + i), zero-extended from 32 bits on RV32. */
    private static long arg(Machine m, int i) {
        long v = m.reg(10 + i);
        return m.xlen() == 32 ? v & 0xFFFF_FFFFL : v;
    }

    /** A length argument of at most {@link #MAX_LENGTH}. */
    private static long length(Machine m, int i, String call) {
        long n = arg(m, i);
        if (Long.compareUnsigned(n, MAX_LENGTH) > 0) {
            throw new GuestFault(GuestFault.Kind.SYSCALL_ERROR, n, 0,
                    call + ": length 0x" + Long.toHexString(n) + " exceeds 512 MiB");
        }
        return n;
    }

    private static NativeHeap heap(Machine m, Function<Machine, NativeHeap> heapOf, String call) {
        NativeHeap h = heapOf.apply(m);
        if (h == null) {
            throw new GuestFault(GuestFault.Kind.SYSCALL_ERROR, 0, 0, call + ": the machine has no native heap");
        }
        return h;
    }

    /** The heap's buffer, or a temporary one for a machine without a heap. */
    private static byte[] buffer(Machine m, Function<Machine, NativeHeap> heapOf, long needed) {
        NativeHeap h = heapOf.apply(m);
        return h != null ? h.scratch() : new byte[(int) Math.min(needed, BUFFER)];
    }

    private static void calloc(Machine m, NativeHeap heap) {
        long count = arg(m, 0);
        long size = arg(m, 1);
        m.charge(HEAP_CALL_COST);
        // Negative (RV64) or overflowing products fail; so does anything bigger than the arena, before it is charged.
        boolean fits = count >= 0 && size >= 0 && Math.multiplyHigh(count, size) == 0 && count * size >= 0
                && count * size <= heap.size();
        if (!fits) {
            m.setReg(10, 0);
            return;
        }
        m.charge(count * size);
        m.setReg(10, heap.calloc(m, count, size));
    }

    private static void meminfo(Machine m, NativeHeap heap) {
        m.charge(HEAP_CALL_COST);
        int word = m.xlen() / 8;
        byte[] b = heap.scratch();
        putWord(b, 0, word, heap.free());
        putWord(b, word, word, heap.used());
        putWord(b, 2 * word, word, heap.chunks());
        m.memory().writeBytes(arg(m, 0), b, 0, 3 * word); // all or nothing
        m.setReg(10, 0);
    }

    private static void putWord(byte[] b, int at, int bytes, long value) {
        for (int j = 0; j < bytes; j++) {
            b[at + j] = (byte) (value >>> (8 * j));
        }
    }

    private static void memmove(Machine m, Function<Machine, NativeHeap> heapOf, String call) {
        long n = length(m, 2, call);
        m.charge(2 * n);
        move(m, arg(m, 0), arg(m, 1), n, buffer(m, heapOf, n)); // a0 already holds dst
    }

    /**
     * Copies {@code n} guest bytes from {@code src} to {@code dst} through {@code buffer}, correctly for overlapping
     * ranges (backwards when {@code dst} lies inside the source). A fault part way leaves the earlier chunks copied,
     * as a guest loop would.
     */
    static void move(Machine m, long dst, long src, long n, byte[] buffer) {
        Memory mem = m.memory();
        long mask = m.xlen() == 32 ? 0xFFFF_FFFFL : -1L; // RV32 addresses wrap at 4 GiB
        boolean backwards = dst != src && Long.compareUnsigned((dst - src) & mask, n) < 0;
        for (long done = 0; done < n; ) {
            int k = (int) Math.min(buffer.length, n - done);
            long off = backwards ? n - done - k : done;
            mem.readBytes(src + off, buffer, 0, k);
            mem.writeBytes(dst + off, buffer, 0, k);
            done += k;
        }
    }

    private static void memcmp(Machine m, Function<Machine, NativeHeap> heapOf) {
        long n = length(m, 2, "memcmp");
        m.charge(2 * n);
        Memory mem = m.memory();
        long a = arg(m, 0);
        long b = arg(m, 1);
        byte[] buf = buffer(m, heapOf, 2L * Memory.PAGE_SIZE);
        int half = buf.length / 2;
        int result = 0;
        for (long done = 0; done < n && result == 0; ) {
            // Chunks never cross a page of either operand: like a byte loop, we touch no page past the first difference.
            int k = (int) Math.min(Math.min(n - done, half), Math.min(pageRest(a + done), pageRest(b + done)));
            mem.readBytes(a + done, buf, 0, k);
            mem.readBytes(b + done, buf, half, k);
            for (int i = 0; i < k; i++) {
                if (buf[i] != buf[half + i]) {
                    result = (buf[i] & 0xFF) - (buf[half + i] & 0xFF);
                    break;
                }
            }
            done += k;
        }
        m.setReg(10, result);
    }

    private static int pageRest(long addr) {
        return Memory.PAGE_SIZE - ((int) addr & (Memory.PAGE_SIZE - 1));
    }

    private static void strlen(Machine m) {
        Memory mem = m.memory();
        long s = arg(m, 0);
        int len = 0;
        while (mem.load8(s + len) != 0) {
            if (++len == MAX_STRING) {
                throw new GuestFault(GuestFault.Kind.SYSCALL_ERROR, s, 0, "strlen: no terminator in 64000 bytes");
            }
        }
        m.charge(2L * len);
        m.setReg(10, len);
    }

    private static void strncmp(Machine m) {
        Memory mem = m.memory();
        long a = arg(m, 0);
        long b = arg(m, 1);
        long n = arg(m, 2);
        int len = 0;
        int result = 0;
        while (Long.compareUnsigned(len, n) < 0) {
            if (len == MAX_STRING) {
                throw new GuestFault(GuestFault.Kind.SYSCALL_ERROR, a, 0, "strncmp: strings longer than 64000 bytes");
            }
            int x = mem.load8(a + len) & 0xFF;
            int y = mem.load8(b + len) & 0xFF;
            if (x != y || x == 0) {
                result = x - y;
                break;
            }
            len++;
        }
        m.charge(2 + 2L * len);
        m.setReg(10, result);
    }
}
