package dev.riscvsandbox.memory;

import dev.riscvsandbox.GuestFault;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A guest address space: 4 KiB pages with read, write and execute permissions, held in a persistent radix table so
 * that {@link #fork()} is O(1) and both sides copy a page only when they first write it.
 *
 * <p>Ownership works with tokens. Every table node and page records the token of the memory that created it; a memory
 * may modify in place only what carries its current token. A fork gives both the parent and the child fresh tokens,
 * so everything that existed before the fork becomes shared and is copied on the next write by either side.
 *
 * <p>A memory recycled with {@link #resetTo} keeps the private copies it made of its parent's pages when it changed
 * nothing else (no mapping changes): the reset copies the parent's bytes back into the pages written since the last
 * reset, and the table nodes leading to them stay as they are. The next request then writes its stack without a
 * copy-on-write fault or a node copy, and its caches stay valid.
 *
 * <p>Accesses go through small direct-mapped caches (a software TLB): the read cache maps a page number to the page's
 * bytes, the write cache only to pages this memory owns. A hit costs one tag compare. Misses walk the table.
 *
 * <p>For RV32 guests addresses are taken modulo 2^32 (registers hold sign-extended values). RV64 guests may use the
 * low {@value #ADDRESS_BITS} bits of the address space; anything above faults.
 *
 * <p>Not thread-safe: a memory belongs to one machine, which runs on one thread at a time. Distinct forks of the
 * same parent may run concurrently on different threads (shared nodes and pages are never modified).
 */
public final class Memory {
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    static final int PAGE_MASK = PAGE_SIZE - 1;
    /** Size of the guest virtual address space in bits. */
    public static final int ADDRESS_BITS = 40;

    /** Permission bits. */
    public static final int READ = 1, WRITE = 2, EXEC = 4;

    private static final int LEVEL_BITS = 7;
    private static final int FANOUT = 1 << LEVEL_BITS;
    private static final int LEVELS = 4; // 4 * 7 = 28 bits of page number = 40-bit addresses
    private static final long MAX_VPN = (1L << (ADDRESS_BITS - PAGE_SHIFT)) - 1;

    private static final int TLB_SIZE = 64;
    private static final int TLB_MASK = TLB_SIZE - 1;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The one all-zero page array that untouched anonymous pages read from; never written. */
    private static final byte[] ZERO = new byte[PAGE_SIZE];
    /** A page reset restores blocks of this many bytes (a cache line), and compares at most this many times. */
    private static final int RESTORE_BLOCK = 64, RESTORE_SCANS = 16;
    /** Shared, unowned zero pages, one per permission combination. */
    private static final Page[] ZERO_PAGES = new Page[8];

    static {
        for (int p = 0; p < 8; p++) {
            ZERO_PAGES[p] = new Page(ZERO, p, null);
        }
    }

    /** A page: its bytes, permissions and owner token. Shared pages are never modified. */
    static final class Page {
        final byte[] data;
        int perms;
        final Object owner;
        /**
         * An owned page that {@link #resetTo} restored to the parent's bytes and nobody has written since: it does
         * not count against the limit until its next write, exactly like the shared page it stands for.
         */
        boolean clean;

        Page(byte[] data, int perms, Object owner) {
            this.data = data;
            this.perms = perms;
            this.owner = owner;
        }
    }

    /** An interior node of the radix table; slots hold child nodes or, on the last level, pages. */
    static final class Node {
        final Object[] slots;
        final Object owner;

        Node(Object[] slots, Object owner) {
            this.slots = slots;
            this.owner = owner;
        }
    }

    private final long addressMask;
    private final long maxOwnedPages;
    private long maxMappedPages;
    private Node root;
    private Object token = new Object();
    private long ownedPages;
    private long mappedPages;
    private volatile boolean frozen;

    /**
     * The pages this memory copied since its last full reset, with the bytes each was copied from and its page
     * number: restored or recycled by {@link #resetTo}.
     */
    private Page[] copied = NO_PAGES;
    private byte[][] copiedFrom = NO_BUFFERS;
    private long[] copiedVpn = new long[0];
    private int copiedCount;
    private static final Page[] NO_PAGES = new Page[0];
    /**
     * The frozen parent this memory was forked from or last reset to, and whether it differs from it only by the
     * pages in {@link #copied} (no mapping changed, every owned page listed): then a reset only restores bytes.
     */
    private Memory base;
    private boolean restorable;
    /** Page buffers ready for reuse (allocated on first reset); always fully overwritten before a guest sees them. */
    private byte[][] spare = NO_BUFFERS;
    private int spareCount;
    private static final byte[][] NO_BUFFERS = new byte[0][];
    /** Nodes this memory created since its last reset, and nodes ready for reuse: as for page buffers. */
    private Node[] createdNodes = NO_NODES;
    private int createdNodeCount;
    private Node[] spareNodes = NO_NODES;
    private int spareNodeCount;
    private static final Node[] NO_NODES = new Node[0];
    private static final int MAX_SPARE = 256;

    private final long[] readTag = new long[TLB_SIZE];
    private final byte[][] readData = new byte[TLB_SIZE][];
    private final long[] writeTag = new long[TLB_SIZE];
    private final byte[][] writeData = new byte[TLB_SIZE][];
    /**
     * The page the last write-cache miss found, and its page number (-1 for none): valid exactly as long as the
     * caches' tags (cleared with them whenever the table changes). A reset keeps it, so a request's first write to
     * the page the previous one wrote last (usually the stack) skips the walk down the table. A write-cache miss also
     * puts this page in the read cache, so a stale hint would be seen by reads too: whatever replaces a page in the
     * table or changes its permissions must clear the caches (and with them the hint) before the guest runs again.
     */
    private long lastMissVpn = -1L;
    private Page lastMissPage;

    /**
     * Creates an empty address space.
     *
     * @param xlen     32 or 64: with 32, addresses wrap at 4 GiB
     * @param maxBytes how many bytes of pages this memory may own (copied or written pages), rounded up to pages
     */
    public Memory(int xlen, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("memory limit must be positive: " + maxBytes);
        }
        this.addressMask = xlen == 32 ? 0xFFFF_FFFFL : (1L << ADDRESS_BITS) - 1;
        this.maxOwnedPages = (maxBytes + PAGE_MASK) >>> PAGE_SHIFT;
        this.maxMappedPages = mappingBound(maxOwnedPages);
        this.root = new Node(new Object[FANOUT], token);
        clearTags();
    }

    private Memory(Memory parent, long maxOwnedPages) {
        this.addressMask = parent.addressMask;
        this.maxOwnedPages = maxOwnedPages;
        // The bound applies to what the child maps beyond what it inherits (a program image may be large).
        this.maxMappedPages = mappingBound(maxOwnedPages) + parent.mappedPages;
        this.root = parent.root;
        this.mappedPages = parent.mappedPages;
        if (parent.frozen) {
            // A frozen memory is shared by threads: never read its caches from another machine.
            clearTags();
            base = parent;
            restorable = true;
        } else {
            System.arraycopy(parent.readTag, 0, readTag, 0, TLB_SIZE);
            System.arraycopy(parent.readData, 0, readData, 0, TLB_SIZE);
            clearWriteTags();
        }
    }

    private static long mappingBound(long maxOwnedPages) {
        // Mapping is cheap (shared zero pages) but not free; bound it so mmap cannot exhaust the host.
        return Math.min(Math.max(16 * maxOwnedPages, 1L << 18), 1L << 24);
    }

    /**
     * Creates a copy-on-write child in O(1): it sees exactly this memory's current contents, and from now on neither
     * side sees the other's writes. The child's owned-page count starts at zero and its limit is this memory's.
     */
    public Memory fork() {
        return fork(maxOwnedPages << PAGE_SHIFT);
    }

    /**
     * Like {@link #fork()} with a limit of its own for the child.
     *
     * <p>Forking a {@linkplain #freeze() frozen} memory does not modify it, so any number of threads may fork it
     * concurrently. Forking a live memory is a write to it (it must copy its pages on its next writes too).
     */
    public Memory fork(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("memory limit must be positive: " + maxBytes);
        }
        Memory child = new Memory(this, (maxBytes + PAGE_MASK) >>> PAGE_SHIFT);
        if (!frozen) {
            // Everything that exists now is shared: give this memory a new identity, forget its write permissions.
            // It owns nothing any more, so its limit counts only the pages it copies from now on, like the child's.
            token = new Object();
            ownedPages = 0;
            clearWriteTags();
            // The pages copied so far are now shared with the child: they must never be recycled or restored.
            forgetCopies();
            forgetNodes();
        }
        return child;
    }

    /**
     * Makes this memory immutable, as the template of a program or a snapshot. Its forks may then be created from
     * any thread; writing to it, mapping or unmapping afterwards throws {@link IllegalStateException}.
     */
    public void freeze() {
        frozen = true;
        token = new Object();
        forgetCopies();
        forgetNodes();
        flushCaches();
    }

    public boolean isFrozen() {
        return frozen;
    }

    /**
     * Makes this memory a fresh fork of {@code frozenParent} again, as if just created by
     * {@code frozenParent.fork(maxBytes())}, without allocating. This is how per-request VMs are recycled. If this
     * memory descends from {@code frozenParent} and only wrote pages since (it mapped, unmapped or protected nothing),
     * the pages written since the last reset get {@code frozenParent}'s bytes back and everything else stays, caches
     * included. Otherwise its caches are cleared and the buffers of the pages it had copied are kept for reuse (every
     * reused buffer is overwritten before the guest sees it).
     *
     * @throws IllegalStateException    if {@code frozenParent} is not frozen, or this memory is
     * @throws IllegalArgumentException if the two memories are of different widths
     */
    public void resetTo(Memory frozenParent) {
        if (!frozenParent.frozen || frozen) {
            throw new IllegalStateException("resetTo needs a frozen parent and a live memory");
        }
        if (frozenParent.addressMask != addressMask) {
            throw new IllegalArgumentException("memories of different widths");
        }
        if (restorable && frozenParent == base) {
            restoreCopies();
            return;
        }
        if (spare.length == 0 && copiedCount > 0) {
            spare = new byte[MAX_SPARE][];
        }
        for (int i = 0; i < copiedCount; i++) {
            if (spareCount < spare.length) {
                spare[spareCount++] = copied[i].data;
            }
            copied[i] = null;
            copiedFrom[i] = null;
        }
        copiedCount = 0;
        if (spareNodes.length < createdNodes.length) {
            spareNodes = Arrays.copyOf(spareNodes, createdNodes.length);
        }
        for (int i = 0; i < createdNodeCount; i++) {
            if (spareNodeCount < spareNodes.length) {
                spareNodes[spareNodeCount++] = createdNodes[i];
            }
            createdNodes[i] = null;
        }
        createdNodeCount = 0;
        // Our own nodes and pages become unreachable, so our token cannot appear under the parent's root: keep it.
        root = frozenParent.root;
        ownedPages = 0;
        mappedPages = frozenParent.mappedPages;
        maxMappedPages = mappingBound(maxOwnedPages) + frozenParent.mappedPages;
        clearTags();
        base = frozenParent;
        restorable = true;
    }

    /**
     * The reset of a memory that only wrote pages: each page written since the last reset gets the bytes it was
     * copied from back and is clean again, so it counts against the limit only when written again. Its write-cache
     * entry goes, so that the next write is seen ({@link #writablePage}); read-cache entries stay valid (same table,
     * same bytes).
     */
    private void restoreCopies() {
        for (int i = 0; i < copiedCount; i++) {
            Page p = copied[i];
            if (!p.clean) {
                restorePage(p.data, copiedFrom[i]);
                p.clean = true;
                writeTag[(int) copiedVpn[i] & TLB_MASK] = -1L;
            }
        }
        ownedPages = 0;
    }

    /**
     * Copies back only the blocks of {@code page} that differ from {@code original}. A request usually writes a few
     * hundred bytes of a page; writing all 4 KiB back would take every line of the page into this core's cache as
     * modified, so the next request, often on another core, would fetch lines it only reads. Comparing first leaves
     * the unchanged lines shared. After {@link #RESTORE_SCANS} differing blocks the rest is copied whole, which bounds
     * the cost for a page the guest rewrote.
     */
    static void restorePage(byte[] page, byte[] original) {
        int from = 0;
        for (int scans = 0; scans < RESTORE_SCANS; scans++) {
            int m = Arrays.mismatch(page, from, PAGE_SIZE, original, from, PAGE_SIZE);
            if (m < 0) {
                return;
            }
            int start = (from + m) & -RESTORE_BLOCK;
            from = start + RESTORE_BLOCK;
            System.arraycopy(original, start, page, start, RESTORE_BLOCK);
            if (from == PAGE_SIZE) {
                return;
            }
        }
        System.arraycopy(original, from, page, from, PAGE_SIZE - from);
    }

    /** The pages copied so far are shared now or part of a frozen image: never restore or recycle them. */
    private void forgetCopies() {
        Arrays.fill(copied, 0, copiedCount, null);
        Arrays.fill(copiedFrom, 0, copiedCount, null);
        copiedCount = 0;
        restorable = false;
    }

    /** The nodes created so far are shared now (or carry an old token): never recycle them. */
    private void forgetNodes() {
        Arrays.fill(createdNodes, 0, createdNodeCount, null);
        createdNodeCount = 0;
        Arrays.fill(spareNodes, 0, spareNodeCount, null);
        spareNodeCount = 0;
    }

    /** Pages this memory owns (has written or copied) and counts against its limit. */
    public long ownedPages() {
        return ownedPages;
    }

    /** Pages currently mapped (owned or shared). */
    public long mappedPages() {
        return mappedPages;
    }

    /** The limit on owned memory, in bytes. */
    public long maxBytes() {
        return maxOwnedPages << PAGE_SHIFT;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Guest loads and stores: the interpreter's fast paths. Misaligned accesses are allowed; those that cross a page
    // boundary take the slow path byte by byte.

    public int load8(long addr) {
        long vpn = addr >>> PAGE_SHIFT;
        int i = (int) vpn & TLB_MASK;
        if (readTag[i] == vpn) {
            return readData[i][(int) addr & PAGE_MASK];
        }
        return (byte) loadSlow(addr, 1);
    }

    public int load16(long addr) {
        long vpn = addr >>> PAGE_SHIFT;
        int i = (int) vpn & TLB_MASK;
        int off = (int) addr & PAGE_MASK;
        if (readTag[i] == vpn && off <= PAGE_SIZE - 2) {
            return (short) SHORT.get(readData[i], off);
        }
        return (short) loadSlow(addr, 2);
    }

    public int load32(long addr) {
        long vpn = addr >>> PAGE_SHIFT;
        int i = (int) vpn & TLB_MASK;
        int off = (int) addr & PAGE_MASK;
        if (readTag[i] == vpn && off <= PAGE_SIZE - 4) {
            return (int) INT.get(readData[i], off);
        }
        return (int) loadSlow(addr, 4);
    }

    public long load64(long addr) {
        long vpn = addr >>> PAGE_SHIFT;
        int i = (int) vpn & TLB_MASK;
        int off = (int) addr & PAGE_MASK;
        if (readTag[i] == vpn && off <= PAGE_SIZE - 8) {
            return (long) LONG.get(readData[i], off);
        }
        return loadSlow(addr, 8);
    }

    public void store8(long addr, int value) {
        long vpn = addr >>> PAGE_SHIFT;
        int i = (int) vpn & TLB_MASK;
        if (writeTag[i] == vpn) {
            writeData[i][(int) addr & PAGE_MASK] = (byte) value;
            return;
        }
        storeSlow(addr, value, 1);
    }

    public void store16(long addr, int value) {
        long vpn = addr >>> PAGE_SHIFT;
        int i = (int) vpn & TLB_MASK;
        int off = (int) addr & PAGE_MASK;
        if (writeTag[i] == vpn && off <= PAGE_SIZE - 2) {
            SHORT.set(writeData[i], off, (short) value);
            return;
        }
        storeSlow(addr, value, 2);
    }

    public void store32(long addr, int value) {
        long vpn = addr >>> PAGE_SHIFT;
        int i = (int) vpn & TLB_MASK;
        int off = (int) addr & PAGE_MASK;
        if (writeTag[i] == vpn && off <= PAGE_SIZE - 4) {
            INT.set(writeData[i], off, value);
            return;
        }
        storeSlow(addr, value, 4);
    }

    public void store64(long addr, long value) {
        long vpn = addr >>> PAGE_SHIFT;
        int i = (int) vpn & TLB_MASK;
        int off = (int) addr & PAGE_MASK;
        if (writeTag[i] == vpn && off <= PAGE_SIZE - 8) {
            LONG.set(writeData[i], off, value);
            return;
        }
        storeSlow(addr, value, 8);
    }

    /** Little-endian load of {@code size} bytes, possibly across pages; fills the read cache. */
    private long loadSlow(long addr, int size) {
        byte[] first = readablePage(addr);
        int off = (int) addr & PAGE_MASK;
        if (off + size <= PAGE_SIZE) {
            cacheRead(addr >>> PAGE_SHIFT, first);
            switch (size) {
                case 1: return first[off];
                case 2: return (short) SHORT.get(first, off);
                case 4: return (int) INT.get(first, off);
                default: return (long) LONG.get(first, off);
            }
        }
        byte[] second = readablePage(addr + size - 1);
        long v = 0;
        for (int b = 0; b < size; b++) {
            int o = off + b;
            byte x = o < PAGE_SIZE ? first[o] : second[o - PAGE_SIZE];
            v |= (x & 0xFFL) << (8 * b);
        }
        return v;
    }

    private void storeSlow(long addr, long value, int size) {
        int off = (int) addr & PAGE_MASK;
        if (off + size <= PAGE_SIZE) {
            byte[] page = writablePage(addr);
            switch (size) {
                case 1: page[off] = (byte) value; break;
                case 2: SHORT.set(page, off, (short) value); break;
                case 4: INT.set(page, off, (int) value); break;
                default: LONG.set(page, off, value); break;
            }
            return;
        }
        // Crossing a page boundary: check both pages before writing anything, so a fault leaves memory untouched.
        byte[] first = writablePage(addr);
        byte[] second = writablePage(addr + size - 1);
        for (int b = 0; b < size; b++) {
            int o = off + b;
            byte x = (byte) (value >>> (8 * b));
            if (o < PAGE_SIZE) {
                first[o] = x;
            } else {
                second[o - PAGE_SIZE] = x;
            }
        }
    }

    private void cacheRead(long rawVpn, byte[] data) {
        if (frozen) {
            return; // a frozen memory may be read by several threads: keep its caches empty, never racy
        }
        int i = (int) rawVpn & TLB_MASK;
        readTag[i] = rawVpn;
        readData[i] = data;
    }

    /** The bytes of the readable page containing {@code addr}; faults otherwise. */
    private byte[] readablePage(long addr) {
        Page p = lookup(addr);
        if (p == null || (p.perms & READ) == 0) {
            throw new GuestFault(GuestFault.Kind.LOAD_ACCESS, faultAddress(addr));
        }
        return p.data;
    }

    /** The bytes of the writable, owned page containing {@code addr}, copying it first if it is shared. */
    private byte[] writablePage(long addr) {
        long rawVpn = addr >>> PAGE_SHIFT;
        Page p = rawVpn == lastMissVpn ? lastMissPage : lookup(addr);
        if (p == null || (p.perms & WRITE) == 0) {
            throw new GuestFault(GuestFault.Kind.STORE_ACCESS, faultAddress(addr));
        }
        if (p.owner != token) {
            checkNotFrozen();
            p = ownPage((addr & addressMask) >>> PAGE_SHIFT, p);
        } else if (p.clean) { // restored by the last reset: counts again from its first write
            reserveOwnedPage();
            ownedPages++;
            p.clean = false;
        }
        lastMissVpn = rawVpn;
        lastMissPage = p;
        int i = (int) rawVpn & TLB_MASK;
        writeTag[i] = rawVpn;
        writeData[i] = p.data;
        // The read cache may hold the shared original of this page (same index: masking only drops high bits): it
        // gets the page written from now on, so that reads of it (the guest's, a host call's) need no table walk.
        if ((p.perms & READ) != 0) {
            cacheRead(rawVpn, p.data);
        } else {
            readTag[i] = -1L;
        }
        return p.data;
    }

    /** Replaces a shared page by a private copy (path-copying the table nodes), counting it against the limit. */
    private Page ownPage(long vpn, Page shared) {
        reserveOwnedPage();
        byte[] data;
        if (spareCount > 0) {
            data = spare[--spareCount];
            spare[spareCount] = null;
            if (shared.data == ZERO) {
                Arrays.fill(data, (byte) 0);
            } else {
                System.arraycopy(shared.data, 0, data, 0, PAGE_SIZE);
            }
        } else {
            data = shared.data == ZERO ? new byte[PAGE_SIZE] : shared.data.clone();
        }
        Page mine = new Page(data, shared.perms, token);
        // Kept across resets, listed pages stay with this memory: never more than its own limit (nor MAX_SPARE).
        if (copiedCount < Math.min(MAX_SPARE, maxOwnedPages)) {
            if (copiedCount == copied.length) {
                int n = Math.max(8, copied.length * 2);
                copied = Arrays.copyOf(copied, n);
                copiedFrom = Arrays.copyOf(copiedFrom, n);
                copiedVpn = Arrays.copyOf(copiedVpn, n);
            }
            copied[copiedCount] = mine;
            copiedFrom[copiedCount] = shared.data;
            copiedVpn[copiedCount++] = vpn;
        } else {
            restorable = false; // a page the reset would not know about
        }
        Node leaf = ownedLeaf(vpn, true);
        leaf.slots[(int) vpn & (FANOUT - 1)] = mine;
        ownedPages++;
        return mine;
    }

    private void reserveOwnedPage() {
        if (ownedPages >= maxOwnedPages) {
            throw new GuestFault(GuestFault.Kind.OUT_OF_MEMORY, maxOwnedPages << PAGE_SHIFT);
        }
    }

    /** Walks to the last-level node for {@code vpn}, copying shared nodes (and creating missing ones) on the way. */
    private Node ownedLeaf(long vpn, boolean create) {
        checkNotFrozen();
        if (root.owner != token) {
            root = newNode(root.slots);
        }
        Node node = root;
        for (int level = LEVELS - 1; level > 0; level--) {
            int idx = (int) (vpn >>> (level * LEVEL_BITS)) & (FANOUT - 1);
            Node child = (Node) node.slots[idx];
            if (child == null) {
                if (!create) {
                    return null;
                }
                child = newNode(null);
                node.slots[idx] = child;
            } else if (child.owner != token) {
                child = newNode(child.slots);
                node.slots[idx] = child;
            }
            node = child;
        }
        return node;
    }

    /**
     * A node owned by this memory, empty or a copy of {@code from}: a recycled one after {@link #resetTo}, else new.
     * Recycled nodes still carry this memory's token, which resets keep.
     */
    private Node newNode(Object[] from) {
        Node n;
        if (spareNodeCount > 0) {
            n = spareNodes[--spareNodeCount];
            spareNodes[spareNodeCount] = null;
            if (from == null) {
                Arrays.fill(n.slots, null);
            } else {
                System.arraycopy(from, 0, n.slots, 0, FANOUT);
            }
        } else {
            n = new Node(from == null ? new Object[FANOUT] : from.clone(), token);
        }
        if (createdNodeCount < MAX_SPARE) {
            if (createdNodeCount == createdNodes.length) {
                createdNodes = Arrays.copyOf(createdNodes, Math.max(8, createdNodeCount * 2));
            }
            createdNodes[createdNodeCount++] = n;
        }
        return n;
    }

    private Page lookup(long addr) {
        long a = addr & addressMask;
        if (a != addr && addressMask != 0xFFFF_FFFFL) {
            return null;
        }
        return lookupVpn(a >>> PAGE_SHIFT);
    }

    private Page lookupVpn(long vpn) {
        if (vpn > MAX_VPN) {
            return null;
        }
        Node node = root;
        for (int level = LEVELS - 1; level > 0; level--) {
            node = (Node) node.slots[(int) (vpn >>> (level * LEVEL_BITS)) & (FANOUT - 1)];
            if (node == null) {
                return null;
            }
        }
        return (Page) node.slots[(int) vpn & (FANOUT - 1)];
    }

    /** The address a fault reports: the guest's own view (32 bits on RV32, the full value on RV64). */
    private long faultAddress(long addr) {
        return addressMask == 0xFFFF_FFFFL ? addr & addressMask : addr;
    }

    private void checkNotFrozen() {
        if (frozen) {
            throw new IllegalStateException("memory is frozen");
        }
    }

    /** Invalidates both caches (the page references they keep are never used without a matching tag). */
    private void clearTags() {
        Arrays.fill(readTag, -1L);
        clearWriteTags();
    }

    /** Invalidates the write cache, and with it the page of the last write-cache miss. */
    private void clearWriteTags() {
        Arrays.fill(writeTag, -1L);
        lastMissVpn = -1L;
        lastMissPage = null;
    }

    /** Invalidates both caches and drops their page references, after the table changed. */
    private void flushCaches() {
        clearTags();
        Arrays.fill(readData, null);
        Arrays.fill(writeData, null);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Mapping

    /**
     * Maps zero-filled pages over {@code [addr, addr+len)} with the given permissions, replacing what was there.
     * Pages that are both writable and executable are refused. Nothing is allocated until a page is first written.
     *
     * @throws IllegalArgumentException if the range is unaligned, outside the address space, or W+X
     * @throws GuestFault               ({@code OUT_OF_MEMORY}) if the mapping would exceed the mapping bound
     */
    public void map(long addr, long len, int perms) {
        checkRange(addr, len);
        checkPerms(perms);
        long first = addr >>> PAGE_SHIFT;
        long count = pageCount(addr, len);
        if (count > maxMappedPages) {
            throw new GuestFault(GuestFault.Kind.OUT_OF_MEMORY, maxMappedPages << PAGE_SHIFT, 0,
                    "mapping bound reached");
        }
        long already = 0;
        for (long v = nextMapped(first, first + count); v < first + count; v = nextMapped(v + 1, first + count)) {
            already++;
        }
        long added = count - already;
        if (mappedPages + added > maxMappedPages) {
            throw new GuestFault(GuestFault.Kind.OUT_OF_MEMORY, maxMappedPages << PAGE_SHIFT, 0,
                    "mapping bound reached");
        }
        restorable = false;
        for (long v = first; v < first + count; v++) {
            Node leaf = ownedLeaf(v, true);
            int slot = (int) v & (FANOUT - 1);
            Page old = (Page) leaf.slots[slot];
            if (old != null && isCounted(old)) {
                ownedPages--;
            }
            leaf.slots[slot] = ZERO_PAGES[perms];
        }
        mappedPages += added;
        flushCaches();
    }

    /**
     * The first mapped page number in {@code [vpn, end)}, or {@code end}. Skips absent subtrees, so scanning a huge,
     * mostly empty range costs time proportional to what is mapped, not to the range.
     */
    private long nextMapped(long vpn, long end) {
        end = Math.min(end, MAX_VPN + 1);
        while (vpn < end) {
            Node node = root;
            long skipTo = -1;
            for (int level = LEVELS - 1; level > 0; level--) {
                Node child = (Node) node.slots[(int) (vpn >>> (level * LEVEL_BITS)) & (FANOUT - 1)];
                if (child == null) {
                    long span = 1L << (level * LEVEL_BITS);
                    skipTo = (vpn & -span) + span;
                    break;
                }
                node = child;
            }
            if (skipTo >= 0) {
                vpn = skipTo;
            } else if (node.slots[(int) vpn & (FANOUT - 1)] != null) {
                return vpn;
            } else {
                vpn++;
            }
        }
        return end;
    }

    /** Removes the mapping of {@code [addr, addr+len)}; unmapped pages in the range are ignored. */
    public void unmap(long addr, long len) {
        checkRange(addr, len);
        long first = addr >>> PAGE_SHIFT;
        long end = first + pageCount(addr, len);
        restorable = false;
        for (long v = nextMapped(first, end); v < end; v = nextMapped(v + 1, end)) {
            Node leaf = ownedLeaf(v, false);
            int slot = (int) v & (FANOUT - 1);
            Page old = (Page) leaf.slots[slot];
            if (isCounted(old)) {
                ownedPages--;
            }
            leaf.slots[slot] = null;
            mappedPages--;
        }
        flushCaches();
    }

    /**
     * Changes the permissions of the mapped pages in {@code [addr, addr+len)}.
     *
     * @return false if some page in the range is not mapped (nothing is changed then)
     */
    public boolean protect(long addr, long len, int perms) {
        checkRange(addr, len);
        checkPerms(perms);
        long first = addr >>> PAGE_SHIFT;
        long count = pageCount(addr, len);
        if (count > mappedPages) {
            return false; // some page in the range cannot be mapped
        }
        for (long v = first; v < first + count; v++) {
            if (lookupVpn(v) == null) {
                return false;
            }
        }
        for (long v = first; v < first + count; v++) {
            if (lookupVpn(v).perms != perms) {
                setPerms(v, perms);
            }
        }
        flushCaches();
        return true;
    }

    /** True if every page of {@code [addr, addr+len)} is mapped with at least {@code perms}. */
    public boolean isMapped(long addr, long len, int perms) {
        if (len <= 0) {
            return len == 0;
        }
        long a = addr & addressMask;
        long last = a + len - 1;
        if (last < a || (last >>> ADDRESS_BITS) != 0) {
            return false;
        }
        if ((last >>> PAGE_SHIFT) - (a >>> PAGE_SHIFT) >= mappedPages) {
            return false; // more pages than are mapped at all
        }
        for (long v = a >>> PAGE_SHIFT; v <= last >>> PAGE_SHIFT; v++) {
            Page p = lookupVpn(v);
            if (p == null || (p.perms & perms) != perms) {
                return false;
            }
        }
        return true;
    }

    /** The permissions of the page containing {@code addr}, or 0 if it is unmapped. */
    public int permissions(long addr) {
        Page p = lookup(addr);
        return p == null ? 0 : p.perms;
    }

    /** Whether {@code p} counts against this memory's limit: owned, not a zero page, written since the last reset. */
    private boolean isCounted(Page p) {
        return p.owner == token && p.data != ZERO && !p.clean;
    }

    private static long pageCount(long addr, long len) {
        return (len + PAGE_MASK) >>> PAGE_SHIFT;
    }

    private void checkRange(long addr, long len) {
        if ((addr & PAGE_MASK) != 0 || len <= 0 || addr < 0 || addr + len < addr
                || ((addr + len - 1) >>> ADDRESS_BITS) != 0 || (addr + len - 1) > addressMask) {
            throw new IllegalArgumentException("bad page range 0x" + Long.toHexString(addr) + "+0x"
                    + Long.toHexString(len));
        }
    }

    private static void checkPerms(int perms) {
        if ((perms & ~7) != 0) {
            throw new IllegalArgumentException("bad permissions " + perms);
        }
        if ((perms & (WRITE | EXEC)) == (WRITE | EXEC)) {
            throw new IllegalArgumentException("a page may not be both writable and executable");
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Bounded bulk access for host code (loaders, system calls, host functions). These enforce the guest's page
    // permissions unless stated otherwise and go through copy-on-write like guest stores.

    /**
     * Copies {@code len} guest bytes at {@code addr} into {@code dst}; faults if any byte is unreadable. Like a guest
     * load it fills the read cache (a frozen memory's excepted), so a live memory's reads are no more thread-safe than
     * its writes.
     */
    public void readBytes(long addr, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        int done = 0;
        while (done < len) {
            long a = addr + done;
            long vpn = a >>> PAGE_SHIFT;
            int i = (int) vpn & TLB_MASK;
            byte[] page;
            if (readTag[i] == vpn) { // the cache, as guest loads use it, and filled as they fill it
                page = readData[i];
            } else {
                page = readablePage(a);
                cacheRead(vpn, page);
            }
            int po = (int) a & PAGE_MASK;
            int n = Math.min(len - done, PAGE_SIZE - po);
            System.arraycopy(page, po, dst, off + done, n);
            done += n;
        }
    }

    /** Returns a copy of {@code len} guest bytes at {@code addr}. */
    public byte[] readBytes(long addr, int len) {
        byte[] b = new byte[len];
        readBytes(addr, b, 0, len);
        return b;
    }

    /** Writes {@code len} bytes into guest memory; faults (before writing anything) if any byte is not writable. */
    public void writeBytes(long addr, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        long vpn = addr >>> PAGE_SHIFT;
        int i = (int) vpn & TLB_MASK;
        int po = (int) addr & PAGE_MASK;
        if (writeTag[i] == vpn && len <= PAGE_SIZE - po) { // within one page this memory owns and may write
            System.arraycopy(src, off, writeData[i], po, len);
            return;
        }
        if (!isMapped(addr, len, WRITE)) {
            throw new GuestFault(GuestFault.Kind.STORE_ACCESS, addr & addressMask, 0, len + " bytes");
        }
        copyIn(addr, src, off, len);
    }

    /** Writes bytes ignoring page permissions (for the loader: text and read-only data). Pages must be mapped. */
    public void writeBytesPrivileged(long addr, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        if (!isMapped(addr, len, 0)) {
            throw new GuestFault(GuestFault.Kind.STORE_ACCESS, addr & addressMask, 0, len + " bytes unmapped");
        }
        long first = (addr & addressMask) >>> PAGE_SHIFT;
        long last = ((addr & addressMask) + Math.max(len, 1) - 1) >>> PAGE_SHIFT;
        int[] saved = new int[(int) (last - first + 1)];
        for (long v = first; v <= last; v++) {
            saved[(int) (v - first)] = lookupVpn(v).perms;
            setPerms(v, saved[(int) (v - first)] & ~EXEC | WRITE);
        }
        try {
            copyIn(addr, src, off, len);
        } finally {
            for (long v = first; v <= last; v++) {
                setPerms(v, saved[(int) (v - first)]);
            }
            flushCaches();
        }
    }

    /**
     * Sets the permissions of mapped page {@code vpn} without checks. The caller flushes the caches once it is done
     * (a cache entry never outlives a permission it no longer has: callers flush before the guest runs again).
     */
    private void setPerms(long vpn, int perms) {
        restorable = false;
        Node leaf = ownedLeaf(vpn, false);
        int slot = (int) vpn & (FANOUT - 1);
        Page old = (Page) leaf.slots[slot];
        if (old.data == ZERO) {
            leaf.slots[slot] = ZERO_PAGES[perms];
        } else if (old.owner == token) {
            old.perms = perms;
        } else {
            // Shared page: a new unowned descriptor over the same bytes; a later write copies them.
            leaf.slots[slot] = new Page(old.data, perms, null);
        }
    }

    private void copyIn(long addr, byte[] src, int off, int len) {
        int done = 0;
        while (done < len) {
            long a = addr + done;
            byte[] page = writablePage(a);
            int po = (int) a & PAGE_MASK;
            int n = Math.min(len - done, PAGE_SIZE - po);
            System.arraycopy(src, off + done, page, po, n);
            done += n;
        }
    }

    /** Fills {@code len} guest bytes with {@code value}. */
    public void fill(long addr, int value, long len) {
        if (len < 0 || !isMapped(addr, len, WRITE)) {
            throw new GuestFault(GuestFault.Kind.STORE_ACCESS, addr & addressMask, 0, len + " bytes");
        }
        long done = 0;
        while (done < len) {
            long a = addr + done;
            byte[] page = writablePage(a);
            int po = (int) a & PAGE_MASK;
            int n = (int) Math.min(len - done, PAGE_SIZE - po);
            Arrays.fill(page, po, po + n, (byte) value);
            done += n;
        }
    }

    /**
     * Reads a NUL-terminated string of at most {@code maxLen} bytes (UTF-8, malformed bytes replaced).
     *
     * @throws GuestFault if unreadable or not terminated within {@code maxLen} bytes
     */
    public String readCString(long addr, int maxLen) {
        byte[] buf = new byte[Math.min(maxLen, 256)];
        int n = 0;
        while (true) {
            if (n == maxLen) {
                throw new GuestFault(GuestFault.Kind.LOAD_ACCESS, addr & addressMask, 0,
                        "string longer than " + maxLen + " bytes");
            }
            byte b = (byte) load8(addr + n);
            if (b == 0) {
                return new String(buf, 0, n, StandardCharsets.UTF_8);
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(maxLen, buf.length * 2));
            }
            buf[n++] = b;
        }
    }
}
