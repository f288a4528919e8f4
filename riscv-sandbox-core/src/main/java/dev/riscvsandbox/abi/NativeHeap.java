package dev.riscvsandbox.abi;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.memory.Memory;
import java.util.Arrays;

/**
 * The native heap behind host calls 580–584: a malloc arena whose bookkeeping lives in Java while the bytes live in
 * guest memory, inside an address range reserved with {@link Machine#reserveAddressSpace(long)}.
 *
 * <p>Algorithm: segregated free lists without splitting or coalescing. A request is rounded up to a size class (16,
 * 32, 48, 64 bytes, then four classes per power of two, so at most 25 % is wasted) and served from that class's free
 * list, else by bumping the high-water mark {@code top}, else (arena full) from the list of a larger class. Freeing
 * pushes the chunk onto its class's list, or lowers {@code top} when the chunk is the topmost one. Live chunks are
 * kept in an open-addressing map from address to class. Pages are mapped read-write on demand as {@code top} grows, in
 * steps of {@value #MAP_STEP} bytes. All arrays are created lazily and kept by {@link #resetTo}, so a recycled VM
 * allocates nothing in steady state.
 *
 * <p>Forks: a child gets an empty arena that starts at its parent's high-water mark and ends where the parent's ends.
 * Chunks below that start belong to the parent and are <em>inherited</em>: {@link #free} of one is a no-op, {@link
 * #realloc} of one copies it into the child's arena, {@link #chunkSize} reports it. The child only reads the parent,
 * so a frozen parent may be forked from many threads; the parent must not allocate or free after it was forked.
 *
 * <p>Not thread-safe: a heap belongs to one machine.
 */
public final class NativeHeap {
    /** Granularity of on-demand mapping. */
    static final long MAP_STEP = 64 << 10;
    private static final int MIN_CHUNK = 16;
    /** Classes up to sizes of 2^62 bytes: more than any address space. */
    private static final int CLASSES = 4 + 4 * (62 - 6);

    private final long base;
    private final long size;
    private final long end;
    /** The parent whose chunks lie below {@link #start}, or null for a root heap. */
    private NativeHeap parent;
    /** The parent's mutation count when this heap was forked from it (detects a parent changed after the fork). */
    private long parentVersion;
    private long version;
    /** {@link #version} when this heap last inherited from its parent: every change since then bumps the version. */
    private long inheritedAt;

    private long start;
    private long top;
    /** Everything in [base, mappedEnd) has been mapped (by this heap or, before the fork, its ancestors). */
    private long mappedEnd;
    private long used;
    private long chunks;

    /** Free chunk addresses per class; lists and counts are allocated on first use. */
    private long[][] freeLists;
    private int[] freeCounts;

    /** Copy buffer for host calls on behalf of this heap's machine; kept by {@link #resetTo}, never shared. */
    private byte[] scratch;

    /** Live chunks: address → class, linear probing, 0 marks an empty slot (chunk addresses are never 0). */
    private long[] keys;
    private byte[] classes;

    /**
     * Creates an empty heap over the reserved range {@code [base, base+size)}; nothing is mapped until needed. The
     * last page is mapped whole (a reservation is page aligned).
     *
     * @throws IllegalArgumentException if {@code base} is not page aligned or the range is empty
     */
    public NativeHeap(long base, long size) {
        if (base <= 0 || size <= 0 || (base & (Memory.PAGE_SIZE - 1)) != 0 || base + size < base) {
            throw new IllegalArgumentException("bad heap range 0x" + Long.toHexString(base) + "+0x"
                    + Long.toHexString(size));
        }
        this.base = base;
        this.size = size;
        this.end = base + size;
        this.start = base;
        this.top = base;
        this.mappedEnd = base;
    }

    /** The start of the reserved range (the same for all forks). */
    public long base() {
        return base;
    }

    /** The size of the reserved range (the same for all forks). */
    public long size() {
        return size;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Allocation

    /**
     * Allocates {@code size} bytes, 16-byte aligned; {@code malloc(0)} returns a unique minimal chunk. The contents
     * are undefined (recycled chunks keep old data).
     *
     * @return the address, or 0 if {@code size} is negative or the arena cannot fit it
     */
    public long malloc(Machine m, long size) {
        if (size < 0 || size > end - start) {
            return 0;
        }
        int c = classOf(size);
        long p = pop(c);
        if (p == 0) {
            p = bump(m, classSize(c));
        }
        if (p == 0) {
            // Arena exhausted: settle for a free chunk of a larger class.
            for (int k = c + 1; k < CLASSES && p == 0; k++) {
                p = pop(k);
                c = k;
            }
            if (p == 0) {
                return 0;
            }
        }
        put(p, c);
        used += classSize(c);
        chunks++;
        version++;
        return p;
    }

    /**
     * Allocates {@code count * size} zeroed bytes.
     *
     * @return the address, or 0 if the product overflows or the arena cannot fit it
     */
    public long calloc(Machine m, long count, long size) {
        if (count < 0 || size < 0) {
            return 0;
        }
        long hi = Math.multiplyHigh(count, size);
        long total = count * size;
        if (hi != 0 || total < 0) {
            return 0;
        }
        long fresh = mappedEnd; // pages mapped by this call are still zero: don't touch (and own) them
        long p = malloc(m, total);
        long dirtyEnd = Math.min(p + total, Math.max(p, fresh));
        if (p != 0 && dirtyEnd > p) {
            m.memory().fill(p, 0, dirtyEnd - p);
        }
        return p;
    }

    /**
     * Resizes the chunk at {@code ptr}, copying {@code min(old, new)} bytes if it moves. {@code ptr == 0} is malloc;
     * {@code size == 0} frees and returns 0. On failure (0) the old chunk is left alone.
     *
     * @throws GuestFault ({@code SYSCALL_ERROR}) if {@code ptr} is not a live chunk
     */
    public long realloc(Machine m, long ptr, long size) {
        return realloc(m, ptr, size, 0);
    }

    /**
     * {@link #realloc(Machine, long, long)} that charges {@code costPerByte} per byte of the old chunk to the guest
     * before copying it (so a huge copy times out rather than runs).
     */
    long realloc(Machine m, long ptr, long size, int costPerByte) {
        if (ptr == 0) {
            return malloc(m, size);
        }
        long old = chunkSize(ptr);
        if (old < 0) {
            throw new GuestFault(GuestFault.Kind.SYSCALL_ERROR, ptr, 0, "realloc: not a heap chunk");
        }
        if (size == 0) {
            free(m, ptr);
            return 0;
        }
        if (size < 0 || size > end - start) {
            return 0;
        }
        if (ptr >= start) {
            int c = classOf(old); // old is a class size: maps to its own class
            int nc = classOf(size);
            if (nc <= c && classSize(nc) * 2 > old) {
                return ptr; // fits without wasting more than half
            }
            long grown = ptr + classSize(nc);
            if (ptr + old == top && nc > c && grown <= end) {
                // The topmost chunk grows in place.
                ensureMapped(m, grown);
                top = grown;
                put(ptr, nc);
                used += classSize(nc) - old;
                version++;
                return ptr;
            }
        }
        long p = malloc(m, size);
        if (p == 0) {
            return 0;
        }
        m.charge(costPerByte * old);
        NativeCalls.move(m, p, ptr, Math.min(old, size), scratch());
        free(m, ptr);
        return p;
    }

    /**
     * Frees the chunk at {@code ptr}. {@code ptr == 0} and chunks inherited from a parent heap are ignored.
     *
     * @throws GuestFault ({@code SYSCALL_ERROR}) for a pointer that is not a live chunk (including a double free)
     */
    public void free(Machine m, long ptr) {
        if (ptr == 0) {
            return;
        }
        if (ptr < start && ptr >= base && parentChunk(ptr) >= 0) {
            return; // the parent's chunk: it lives on in the snapshot
        }
        int slot = ptr >= start ? find(ptr) : -1;
        if (slot < 0) {
            throw new GuestFault(GuestFault.Kind.SYSCALL_ERROR, ptr, 0,
                    "free: 0x" + Long.toHexString(ptr) + " is not a live heap chunk (double or wild free)");
        }
        int c = classes[slot] & 0xFF;
        remove(slot);
        long cs = classSize(c);
        used -= cs;
        chunks--;
        version++;
        if (ptr + cs == top) {
            top = ptr; // reclaim the top instead of listing it
        } else {
            push(c, ptr);
        }
    }

    /** The usable size of the live chunk at {@code ptr} (own or inherited), or -1 if there is none. */
    public long chunkSize(long ptr) {
        if (ptr < base || ptr >= end || (ptr & (MIN_CHUNK - 1)) != 0) {
            return -1;
        }
        if (ptr < start) {
            return parentChunk(ptr);
        }
        int slot = find(ptr);
        return slot < 0 ? -1 : classSize(classes[slot] & 0xFF);
    }

    private long parentChunk(long ptr) {
        if (parent == null) {
            return -1;
        }
        if (parent.version != parentVersion) {
            throw new IllegalStateException("the parent heap changed after it was forked");
        }
        return parent.chunkSize(ptr);
    }

    /** Bytes in this heap's live chunks (inherited chunks not included). */
    public long used() {
        return used;
    }

    /** Number of this heap's live chunks (inherited chunks not included). */
    public long chunks() {
        return chunks;
    }

    /** Bytes of this heap's arena not in live chunks. */
    public long free() {
        return end - start - used;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Forks

    /**
     * The heap of a fork of the machine that owns this heap: empty, starting at this heap's high-water mark. Only
     * reads this heap, so a frozen parent may be forked concurrently; this heap must not change afterwards.
     */
    public NativeHeap forkChild() {
        NativeHeap child = new NativeHeap(base, size);
        child.inherit(this);
        return child;
    }

    /**
     * Makes this heap equal to {@code parent.forkChild()}, keeping its arrays (for recycled VMs whose machine was reset
     * to the parent's machine).
     *
     * @throws IllegalArgumentException if the parent manages a different range
     */
    public void resetTo(NativeHeap parent) {
        if (parent.base != base || parent.size != size) {
            throw new IllegalArgumentException("not a heap of the same reserved range");
        }
        if (version == inheritedAt && this.parent == parent && parentVersion == parent.version) {
            // Unchanged since it last inherited from this parent: writing the same values would only move this heap's
            // cache lines to the resetting core. The version stays too, which is right for a heap forked from this
            // one meanwhile: it still sees exactly the state it was forked from.
            return;
        }
        if (chunks > 0) {
            Arrays.fill(keys, 0L);
        }
        if (freeCounts != null) {
            Arrays.fill(freeCounts, 0);
        }
        used = 0;
        chunks = 0;
        version++; // never reused: a heap forked from this one before the reset must notice
        inherit(parent);
    }

    private void inherit(NativeHeap p) {
        parent = p;
        parentVersion = p.version;
        start = p.top;
        top = p.top;
        mappedEnd = p.mappedEnd;
        inheritedAt = version;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals

    /** A {@link NativeCalls#BUFFER}-byte buffer for copies done on this heap's machine (its thread). */
    byte[] scratch() {
        if (scratch == null) {
            scratch = new byte[NativeCalls.BUFFER];
        }
        return scratch;
    }

    /** Size class of a request: 16, 32, 48, 64, then 80, 96, 112, 128, 160, ... (four steps per power of two). */
    static int classOf(long size) {
        if (size <= 64) {
            return size <= MIN_CHUNK ? 0 : (int) ((size - 1) >>> 4);
        }
        int k = 63 - Long.numberOfLeadingZeros(size - 1); // 2^k < size <= 2^(k+1), k >= 6
        int step = (int) ((size - 1 - (1L << k)) >>> (k - 2));
        return 4 + 4 * (k - 6) + step;
    }

    static long classSize(int c) {
        if (c < 4) {
            return MIN_CHUNK * (c + 1L);
        }
        int k = 6 + (c - 4) / 4;
        return (1L << k) + ((c - 4) % 4 + 1L) * (1L << (k - 2));
    }

    /** Takes {@code bytes} from the top of the arena, mapping pages as needed; 0 if it does not fit. */
    private long bump(Machine m, long bytes) {
        if (bytes > end - top) {
            return 0;
        }
        long p = top;
        ensureMapped(m, p + bytes);
        top = p + bytes;
        return p;
    }

    private void ensureMapped(Machine m, long upTo) {
        if (upTo > mappedEnd) {
            long newEnd = Math.min(end, (upTo + MAP_STEP - 1) & -MAP_STEP);
            m.memory().map(mappedEnd, newEnd - mappedEnd, Memory.READ | Memory.WRITE);
            mappedEnd = newEnd;
        }
    }

    private long pop(int c) {
        if (freeCounts == null || freeCounts[c] == 0) {
            return 0;
        }
        return freeLists[c][--freeCounts[c]];
    }

    private void push(int c, long p) {
        if (freeCounts == null) {
            freeCounts = new int[CLASSES];
            freeLists = new long[CLASSES][];
        }
        long[] list = freeLists[c];
        int n = freeCounts[c];
        if (list == null || n == list.length) {
            freeLists[c] = list = list == null ? new long[8] : Arrays.copyOf(list, n * 2);
        }
        list[n] = p;
        freeCounts[c] = n + 1;
    }

    private int slotOf(long key) {
        return (int) (((key >>> 4) * 0x9E37_79B9_7F4A_7C15L) >>> 32) & (keys.length - 1);
    }

    /** The slot of {@code key}, or -1. */
    private int find(long key) {
        if (keys == null) {
            return -1;
        }
        int mask = keys.length - 1;
        for (int i = slotOf(key); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
        }
    }

    /** Inserts or updates {@code key}; keeps the table at most half full. */
    private void put(long key, int c) {
        if (keys == null) {
            keys = new long[64];
            classes = new byte[64];
        } else if (chunks * 2 >= keys.length) {
            rehash(keys.length * 2);
        }
        int mask = keys.length - 1;
        int i = slotOf(key);
        while (keys[i] != 0 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        classes[i] = (byte) c;
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        byte[] oldClasses = classes;
        keys = new long[capacity];
        classes = new byte[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int j = slotOf(oldKeys[i]);
                while (keys[j] != 0) {
                    j = (j + 1) & (capacity - 1);
                }
                keys[j] = oldKeys[i];
                classes[j] = oldClasses[i];
            }
        }
    }

    /** Deletes slot {@code i}, shifting later entries of the probe run back so lookups need no tombstones. */
    private void remove(int i) {
        int mask = keys.length - 1;
        int hole = i;
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = slotOf(keys[j]);
            // Move j into the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                keys[hole] = keys[j];
                classes[hole] = classes[j];
                hole = j;
            }
        }
        keys[hole] = 0;
    }
}
