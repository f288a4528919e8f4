package dev.riscvsandbox.abi;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A7;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.Program;
import dev.riscvsandbox.memory.Memory;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class NativeHeapTest {
    static final int ARENA = 1 << 20;
    static final Program PROGRAM = program();

    private final Machine m = Machine.builder(PROGRAM).build();
    private final NativeHeap heap = new NativeHeap(m.reserveAddressSpace(ARENA), ARENA);

    static Program program() {
        Asm a = Asm.rv64();
        a.label("_start").li(A0, 0).li(A7, 93).ecall();
        try {
            return Program.load(TestElf.of(a));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sizeClassesRoundUpByAtMostAQuarterAndAreMultiplesOf16() {
        for (long s = 0; s < 1 << 20; s += 1 + s / 7) {
            long cs = NativeHeap.classSize(NativeHeap.classOf(s));
            assertTrue(cs >= s && cs % 16 == 0, "size " + s);
            assertTrue(s <= 64 || cs <= s + s / 4 + 16, "size " + s + " -> " + cs);
            assertEquals(NativeHeap.classOf(s), NativeHeap.classOf(cs)); // a class size is in its own class
        }
    }

    @Test
    void chunksAreAlignedDisjointWritableAndInsideTheArena() {
        Random r = new Random(1);
        List<long[]> live = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long size = r.nextInt(3000);
            long p = heap.malloc(m, size);
            assertTrue(p != 0 && p % 16 == 0);
            long cs = heap.chunkSize(p);
            assertTrue(cs >= Math.max(size, 1));
            assertTrue(p >= heap.base() && p + cs <= heap.base() + heap.size());
            for (long[] c : live) {
                assertTrue(p + cs <= c[0] || c[0] + c[1] <= p, "overlap");
            }
            m.memory().fill(p, 0x5A, cs);
            live.add(new long[] {p, cs});
            if (r.nextInt(3) == 0) {
                long[] victim = live.remove(r.nextInt(live.size()));
                heap.free(m, victim[0]);
            }
        }
        assertEquals(live.size(), heap.chunks());
        assertEquals(live.stream().mapToLong(c -> c[1]).sum(), heap.used());
        assertEquals(ARENA - heap.used(), heap.free());
    }

    @Test
    void mallocZeroGivesDistinctMinimalChunks() {
        long a = heap.malloc(m, 0);
        long b = heap.malloc(m, 0);
        assertNotEquals(0, a);
        assertNotEquals(a, b);
        assertEquals(16, heap.chunkSize(a));
    }

    @Test
    void freedChunksAreReused() {
        long a = heap.malloc(m, 100);
        long b = heap.malloc(m, 100);
        heap.free(m, a);
        assertEquals(-1, heap.chunkSize(a));
        assertEquals(a, heap.malloc(m, 105)); // same class (112 bytes), from the free list
        heap.free(m, b);                     // the topmost chunk lowers the high-water mark
        assertEquals(b, heap.malloc(m, 4000));
    }

    @Test
    void exhaustionReturnsZeroAndFreeingMakesRoomAgain() {
        assertEquals(0, heap.malloc(m, ARENA + 1));
        assertEquals(0, heap.malloc(m, -1));
        assertEquals(0, heap.malloc(m, Long.MAX_VALUE));
        List<Long> chunks = new ArrayList<>();
        for (long p; (p = heap.malloc(m, 64 << 10)) != 0; ) {
            chunks.add(p);
        }
        assertEquals(16, chunks.size());
        heap.free(m, chunks.get(3));
        assertEquals(chunks.get(3), heap.malloc(m, 1000)); // a larger class's free chunk serves a small request
        assertEquals(0, heap.malloc(m, 16));
    }

    @Test
    void doubleAndWildFreesFaultAndFreeOfNullIsIgnored() {
        heap.free(m, 0);
        long p = heap.malloc(m, 32);
        heap.free(m, p);
        GuestFault f = assertThrows(GuestFault.class, () -> heap.free(m, p));
        assertEquals(GuestFault.Kind.SYSCALL_ERROR, f.kind());
        assertEquals(p, f.address());
        assertTrue(f.detail().startsWith("free: "), f.detail());
        long q = heap.malloc(m, 32);
        assertThrows(GuestFault.class, () -> heap.free(m, q + 16));
        assertThrows(GuestFault.class, () -> heap.free(m, 0x1234));
        assertThrows(GuestFault.class, () -> heap.free(m, -16));
        assertEquals(1, heap.chunks()); // faults change nothing
    }

    @Test
    void callocZeroesRecycledMemoryButLeavesFreshPagesUntouched() {
        long keep = heap.malloc(m, 16);
        long p = heap.malloc(m, 256);
        heap.malloc(m, 16); // p is not the topmost chunk: it goes to a free list
        m.memory().fill(p, 0xAB, 256);
        heap.free(m, p);
        assertEquals(p, heap.calloc(m, 16, 16));
        assertArrayEquals(new byte[256], m.memory().readBytes(p, 256));

        long owned = m.memory().ownedPages();
        long big = heap.calloc(m, 1, 512 << 10); // mostly beyond the mapped pages: already zero, not written
        assertNotEquals(0, big);
        assertTrue(m.memory().ownedPages() - owned <= NativeHeap.MAP_STEP / Memory.PAGE_SIZE);
        assertArrayEquals(new byte[4096], m.memory().readBytes(big + (256 << 10), 4096));
        assertNotEquals(0, keep);
    }

    @Test
    void callocRejectsOverflowAndNegativeCounts() {
        assertEquals(0, heap.calloc(m, Long.MAX_VALUE, 2));
        assertEquals(0, heap.calloc(m, 1L << 32, 1L << 32));
        assertEquals(0, heap.calloc(m, -1, 16));
        assertEquals(0, heap.calloc(m, 1 << 20, 2));
        assertEquals(0, heap.chunks());
    }

    @Test
    void reallocCopiesAndFreesTheOldChunk() {
        long p = heap.malloc(m, 40);
        heap.malloc(m, 16); // keep p away from the top
        byte[] data = bytes(40, 7);
        m.memory().writeBytes(p, data, 0, 40);
        long q = heap.realloc(m, p, 4000);
        assertNotEquals(p, q);
        assertEquals(-1, heap.chunkSize(p));
        assertArrayEquals(data, m.memory().readBytes(q, 40));
        assertEquals(q, heap.realloc(m, q, 3000)); // shrinking a little stays in place
        long r = heap.realloc(m, q, 20);           // shrinking a lot moves
        assertArrayEquals(Arrays.copyOf(data, 20), m.memory().readBytes(r, 20));
        assertEquals(0, heap.realloc(m, r, 0));
        assertEquals(-1, heap.chunkSize(r));
        long s = heap.realloc(m, 0, 50);
        assertEquals(64, heap.chunkSize(s));
        assertEquals(0, heap.realloc(m, s, ARENA + 1)); // fails, the chunk stays
        assertEquals(64, heap.chunkSize(s));
        GuestFault f = assertThrows(GuestFault.class, () -> heap.realloc(m, p, 10));
        assertTrue(f.detail().startsWith("realloc: "));
        long t = heap.malloc(m, 16);
        assertEquals(t, heap.realloc(m, t, 5)); // already the smallest chunk
    }

    @Test
    void theTopmostChunkGrowsInPlace() {
        long p = heap.malloc(m, 100);
        m.memory().writeBytes(p, bytes(100, 3), 0, 100);
        long q = heap.realloc(m, p, 200 << 10); // crosses the first mapping step
        assertEquals(p, q);
        assertTrue(heap.chunkSize(q) >= 200 << 10);
        assertArrayEquals(bytes(100, 3), m.memory().readBytes(q, 100));
        m.memory().fill(q, 1, 200 << 10);
        assertEquals(heap.chunkSize(q), heap.used());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Forks

    @Test
    void forksInheritTheParentsChunksAndAllocateAboveItsHighWaterMark() {
        long a = heap.malloc(m, 100);
        long b = heap.malloc(m, 5000);
        m.memory().writeBytes(a, bytes(100, 9), 0, 100);
        m.freeze();
        Machine cm = m.fork();
        NativeHeap child = heap.forkChild();
        assertEquals(0, child.chunks());
        assertEquals(ARENA - (b + heap.chunkSize(b) - heap.base()), child.free());
        assertEquals(112, child.chunkSize(a));

        child.free(cm, a); // inherited: a no-op, any number of times
        child.free(cm, a);
        assertEquals(112, child.chunkSize(a));
        assertThrows(GuestFault.class, () -> child.free(cm, a + 16));

        long c = child.malloc(cm, 100);
        assertTrue(c >= b + heap.chunkSize(b));
        long moved = child.realloc(cm, a, 50);
        assertNotEquals(a, moved);
        assertArrayEquals(Arrays.copyOf(bytes(100, 9), 50), cm.memory().readBytes(moved, 50));

        // Big child allocations map pages in the child only, and the parent heap is untouched.
        long big = child.malloc(cm, 300 << 10);
        cm.memory().fill(big, 0x11, 300 << 10);
        assertFalse(m.memory().isMapped(big + (200 << 10), 1, Memory.READ));
        assertEquals(2, heap.chunks());
        assertEquals(-1, heap.chunkSize(c));
        assertEquals(3, child.chunks());
        child.free(cm, c);
        assertThrows(GuestFault.class, () -> child.free(cm, c));
    }

    @Test
    void forksOfForksInheritTheWholeChain() {
        long a = heap.malloc(m, 100);
        m.freeze();
        Machine cm = m.fork();
        NativeHeap child = heap.forkChild();
        long b = child.malloc(cm, 100);
        cm.freeze();
        Machine gm = cm.fork();
        NativeHeap grandchild = child.forkChild();
        assertEquals(112, grandchild.chunkSize(a));
        assertEquals(112, grandchild.chunkSize(b));
        grandchild.free(gm, a);
        grandchild.free(gm, b);
        assertTrue(grandchild.malloc(gm, 1) > b);
    }

    @Test
    void aParentChangedAfterTheForkIsDetected() {
        long a = heap.malloc(m, 100);
        NativeHeap child = heap.forkChild();
        heap.free(m, a);
        assertThrows(IllegalStateException.class, () -> child.chunkSize(a));
    }

    @Test
    void resetRequiresTheSameRange() {
        NativeHeap other = new NativeHeap(heap.base(), ARENA / 2);
        assertThrows(IllegalArgumentException.class, () -> other.resetTo(heap));
        assertThrows(IllegalArgumentException.class, () -> new NativeHeap(heap.base() + 1, ARENA));
    }

    @Test
    void anUnalignedSizeIsUsableUpToItsEnd() {
        NativeHeap odd = new NativeHeap(heap.base(), 100_000);
        long p = odd.malloc(m, 90_000); // class 98304
        assertTrue(p + odd.chunkSize(p) <= heap.base() + 100_000);
        m.memory().fill(p, 1, odd.chunkSize(p));
        assertEquals(0, odd.malloc(m, 2000));
    }

    /** A frozen parent with three live chunks, shared by the property's tries. */
    static final class Snapshot {
        static final Machine MACHINE = Machine.builder(PROGRAM).build();
        static final NativeHeap HEAP = new NativeHeap(MACHINE.reserveAddressSpace(ARENA), ARENA);
        static final long[] CHUNKS = {HEAP.malloc(MACHINE, 10), HEAP.malloc(MACHINE, 3000), HEAP.malloc(MACHINE, 70)};

        static {
            MACHINE.freeze();
        }
    }

    /**
     * Random heap operations on a fresh fork and on a recycled one give the same results, whatever the earlier
     * requests on the recycled heap did: nothing (a reset then skips its writes), or random operations.
     */
    @Property(tries = 200)
    void aResetHeapBehavesLikeAFreshFork(@ForAll @Size(max = 50) List<@LongRange(min = 0, max = 1 << 20) Long> ops,
                                         @ForAll @Size(max = 3) List<@Size(max = 30) List<
                                                 @LongRange(min = 0, max = 1 << 20) Long>> before) {
        Machine fresh = Snapshot.MACHINE.fork();
        NativeHeap freshHeap = Snapshot.HEAP.forkChild();
        Machine recycled = Snapshot.MACHINE.fork();
        NativeHeap recycledHeap = Snapshot.HEAP.forkChild();
        for (List<Long> request : before) {
            run(recycled, recycledHeap, request);
            recycled.resetTo(Snapshot.MACHINE);
            recycledHeap.resetTo(Snapshot.HEAP);
        }
        assertEquals(run(fresh, freshHeap, ops), run(recycled, recycledHeap, ops));
    }

    /** A reset skips its writes only for the same, unchanged parent: another parent, or a changed one, is inherited. */
    @Test
    void aResetToAnotherOrAChangedParentInheritsIt() {
        Machine ma = Snapshot.MACHINE.fork();
        Machine mb = Snapshot.MACHINE.fork();
        NativeHeap a = Snapshot.HEAP.forkChild();
        a.malloc(ma, 100);
        NativeHeap b = Snapshot.HEAP.forkChild(); // as many changes as a (versions may be equal), other contents
        long chunk = b.malloc(mb, 3000);
        NativeHeap h = a.forkChild(); // unchanged since it inherited from a
        h.resetTo(b);
        assertEquals(b.chunkSize(chunk), h.chunkSize(chunk), "another parent's chunk is inherited");
        b.malloc(mb, 50); // the parent changes
        h.resetTo(b);
        assertEquals(b.chunkSize(chunk), h.chunkSize(chunk), "a changed parent is inherited again");
    }

    /** Applies encoded operations (low 2 bits: malloc, calloc, realloc, free; the rest: size or victim) and logs. */
    private static List<String> run(Machine m, NativeHeap h, List<Long> ops) {
        List<Long> live = new ArrayList<>();
        for (long c : Snapshot.CHUNKS) {
            live.add(c);
        }
        List<String> log = new ArrayList<>();
        for (long op : ops) {
            long arg = op >>> 2;
            long victim = live.get((int) (arg % live.size()));
            try {
                long p;
                switch ((int) op & 3) {
                    case 0 -> p = h.malloc(m, arg);
                    case 1 -> {
                        p = h.calloc(m, arg % 7, arg);
                        log.add(p == 0 ? "-" : Arrays.toString(m.memory().readBytes(p, (int) Math.min(64, arg))));
                    }
                    case 2 -> {
                        p = h.realloc(m, victim, arg);
                        if (p != 0 || arg == 0) {
                            live.remove(Long.valueOf(victim));
                        }
                    }
                    default -> {
                        h.free(m, victim);
                        live.remove(Long.valueOf(victim));
                        p = -1;
                    }
                }
                if (p > 0) {
                    live.add(p);
                    m.memory().fill(p, (int) op, Math.min(h.chunkSize(p), 100)); // dirty it for later calloc checks
                }
                log.add(p + "/" + h.chunkSize(p));
            } catch (GuestFault f) {
                log.add(f.getMessage());
            }
            if (live.isEmpty()) {
                live.add(0L);
            }
            log.add(h.used() + " " + h.chunks() + " " + h.free());
        }
        return log;
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return b;
    }
}
