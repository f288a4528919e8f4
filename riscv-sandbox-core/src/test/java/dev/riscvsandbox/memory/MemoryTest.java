package dev.riscvsandbox.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.GuestFault;
import org.junit.jupiter.api.Test;

class MemoryTest {
    private static final long BASE = 0x10000;
    private static final int RW = Memory.READ | Memory.WRITE;

    private static Memory rw(long pages) {
        Memory m = new Memory(64, 1L << 20);
        m.map(BASE, pages * Memory.PAGE_SIZE, RW);
        return m;
    }

    /** A frozen two-page image whose first word is {@code word}, to fork from. */
    private static Memory frozenImage(long word) {
        Memory m = rw(2);
        m.store64(BASE, word);
        m.freeze();
        return m;
    }

    @Test
    void freshPagesReadAsZeroAndCostNothingUntilWritten() {
        Memory m = rw(16);
        assertEquals(0, m.load64(BASE + 8));
        assertEquals(0, m.ownedPages());
        m.store8(BASE + 5, 0x7f);
        assertEquals(1, m.ownedPages());
        assertEquals(0x7f, m.load8(BASE + 5));
    }

    @Test
    void loadsAndStoresAreLittleEndianAndSignExtend() {
        Memory m = rw(1);
        m.store64(BASE, 0x8877665544332211L);
        assertEquals(0x11, m.load8(BASE));
        assertEquals((short) 0x2211, m.load16(BASE));
        assertEquals(0x44332211, m.load32(BASE));
        assertEquals(0x8877665544332211L, m.load64(BASE));
        assertEquals((byte) 0x88, m.load8(BASE + 7));
    }

    @Test
    void misalignedAccessesWorkAcrossPageBoundaries() {
        Memory m = rw(2);
        long a = BASE + Memory.PAGE_SIZE - 3;
        m.store64(a, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, m.load64(a));
        assertEquals(0x05060708, m.load32(a));
        assertEquals(0x0506, m.load16(a + 2));
        m.store32(BASE + Memory.PAGE_SIZE - 1, 0xAABBCCDD);
        assertEquals(0xAABBCCDD, m.load32(BASE + Memory.PAGE_SIZE - 1));
        assertEquals((byte) 0xDD, m.load8(BASE + Memory.PAGE_SIZE - 1));
    }

    @Test
    void crossPageStoreIntoReadOnlyPageWritesNothing() {
        Memory m = new Memory(64, 1L << 20);
        m.map(BASE, Memory.PAGE_SIZE, RW);
        m.map(BASE + Memory.PAGE_SIZE, Memory.PAGE_SIZE, Memory.READ);
        assertThrows(GuestFault.class, () -> m.store64(BASE + Memory.PAGE_SIZE - 4, -1L));
        assertEquals(0, m.load32(BASE + Memory.PAGE_SIZE - 4));
    }

    @Test
    void unmappedAndPageZeroFault() {
        Memory m = rw(1);
        GuestFault f = assertThrows(GuestFault.class, () -> m.load32(0));
        assertEquals(GuestFault.Kind.LOAD_ACCESS, f.kind());
        assertEquals(0, f.address());
        assertThrows(GuestFault.class, () -> m.store8(BASE + Memory.PAGE_SIZE, 1));
        assertThrows(GuestFault.class, () -> m.load64(1L << 45));
        assertEquals(GuestFault.Kind.STORE_ACCESS,
                assertThrows(GuestFault.class, () -> m.store8(0x100, 1)).kind());
    }

    @Test
    void permissionsAreEnforcedAndWritableExecutableIsRefused() {
        Memory m = new Memory(64, 1L << 20);
        m.map(BASE, Memory.PAGE_SIZE, Memory.READ | Memory.EXEC);
        assertThrows(GuestFault.class, () -> m.store32(BASE, 1));
        assertThrows(IllegalArgumentException.class,
                () -> m.map(BASE, Memory.PAGE_SIZE, Memory.WRITE | Memory.EXEC));
        assertThrows(IllegalArgumentException.class,
                () -> m.protect(BASE, Memory.PAGE_SIZE, RW | Memory.EXEC));
        assertTrue(m.protect(BASE, Memory.PAGE_SIZE, RW));
        m.store32(BASE, 5);
        assertTrue(m.protect(BASE, Memory.PAGE_SIZE, Memory.READ));
        assertEquals(5, m.load32(BASE));
        assertThrows(GuestFault.class, () -> m.store32(BASE, 6));
        assertFalse(m.protect(BASE + Memory.PAGE_SIZE, Memory.PAGE_SIZE, Memory.READ));
    }

    @Test
    void exceedingTheLimitIsAnOutOfMemoryFault() {
        Memory m = new Memory(64, 4 * Memory.PAGE_SIZE);
        m.map(BASE, 64 * Memory.PAGE_SIZE, RW);
        for (int i = 0; i < 4; i++) {
            m.store8(BASE + (long) i * Memory.PAGE_SIZE, 1);
        }
        GuestFault f = assertThrows(GuestFault.class, () -> m.store8(BASE + 4L * Memory.PAGE_SIZE, 1));
        assertEquals(GuestFault.Kind.OUT_OF_MEMORY, f.kind());
        m.unmap(BASE, Memory.PAGE_SIZE);
        m.store8(BASE + 4L * Memory.PAGE_SIZE, 1); // unmapping gave a page back
    }

    /** A write that misses the write cache reuses the page the last miss found (see Memory): never a stale one. */
    @Test
    void aWriteAfterTheTableChangedNeverReachesThePageItHadBefore() {
        Memory m = rw(2);
        m.store64(BASE, 0x1111);
        m.unmap(BASE, Memory.PAGE_SIZE);
        m.map(BASE, Memory.PAGE_SIZE, RW);
        m.store8(BASE + 8, 7);
        assertEquals(0, m.load64(BASE));
        assertEquals(7, m.load8(BASE + 8));

        m.store8(BASE + Memory.PAGE_SIZE, 1);
        assertTrue(m.protect(BASE + Memory.PAGE_SIZE, Memory.PAGE_SIZE, Memory.READ));
        assertEquals(GuestFault.Kind.STORE_ACCESS,
                assertThrows(GuestFault.class, () -> m.store8(BASE + Memory.PAGE_SIZE, 2)).kind());
        assertTrue(m.protect(BASE + Memory.PAGE_SIZE, Memory.PAGE_SIZE, RW));
        m.store8(BASE + Memory.PAGE_SIZE + 1, 3);
        assertEquals(1, m.load8(BASE + Memory.PAGE_SIZE));
        assertEquals(3, m.load8(BASE + Memory.PAGE_SIZE + 1));
    }

    /**
     * Host reads use and fill the read cache as guest loads do, and a write-cache miss points the read cache at the
     * page written from then on (see Memory.writablePage): reads never see a page the table no longer holds.
     */
    @Test
    void readsThroughTheReadCacheAlwaysSeeTheCurrentPage() {
        Memory image = frozenImage(0x1111);
        Memory m = image.fork(2 * Memory.PAGE_SIZE);
        assertArrayEquals(new byte[] {0x11, 0x11, 0, 0}, m.readBytes(BASE, 4)); // caches the image's page
        m.store8(BASE + 1, 0x22); // copies the page: reads must see the copy from now on
        assertArrayEquals(new byte[] {0x11, 0x22}, m.readBytes(BASE, 2));
        assertEquals(0x2211, m.load16(BASE));
        assertEquals(0x1111, image.load16(BASE));
        m.resetTo(image); // the copy gets the image's bytes back in place
        assertArrayEquals(new byte[] {0x11, 0x11}, m.readBytes(BASE, 2));
        m.store8(BASE, 0x33);
        assertArrayEquals(new byte[] {0x33, 0x11}, m.readBytes(BASE, 2));

        m.unmap(BASE, Memory.PAGE_SIZE);
        assertThrows(GuestFault.class, () -> m.readBytes(BASE, 1));
        m.map(BASE, Memory.PAGE_SIZE, Memory.WRITE); // write-only: a write must not make it readable
        m.store8(BASE, 1);
        assertThrows(GuestFault.class, () -> m.readBytes(BASE, 1));
        assertEquals(GuestFault.Kind.LOAD_ACCESS, assertThrows(GuestFault.class, () -> m.load8(BASE)).kind());
    }

    /** The same through aliases, across a page boundary, and for pages the loader writes but the guest cannot read. */
    @Test
    void readsThroughTheReadCacheSeeTheCurrentPageAcrossAliasesAndPages() {
        Memory rv32 = new Memory(32, 1L << 20);
        rv32.map(0x8000_0000L, 2 * Memory.PAGE_SIZE, RW);
        rv32.store8(0xFFFF_FFFF_8000_0010L, 5); // a sign-extended RV32 address caches the page under its raw tag
        assertArrayEquals(new byte[] {5}, rv32.readBytes(0x8000_0010L, 1));
        rv32.store8(0x8000_0011L, 6);
        assertArrayEquals(new byte[] {5, 6}, rv32.readBytes(0xFFFF_FFFF_8000_0010L, 2));
        assertEquals(0x0605, rv32.load16(0x8000_0010L));

        Memory image = rw(2);
        image.store8(BASE + Memory.PAGE_SIZE - 1, 1);
        image.store8(BASE + Memory.PAGE_SIZE, 2);
        image.freeze();
        Memory m = image.fork(2 * Memory.PAGE_SIZE);
        assertArrayEquals(new byte[] {1, 2}, m.readBytes(BASE + Memory.PAGE_SIZE - 1, 2));
        m.store8(BASE + Memory.PAGE_SIZE, 3); // copies the second page only
        assertArrayEquals(new byte[] {1, 3}, m.readBytes(BASE + Memory.PAGE_SIZE - 1, 2));
        assertArrayEquals(new byte[] {1, 2}, image.readBytes(BASE + Memory.PAGE_SIZE - 1, 2));

        Memory code = new Memory(64, 1L << 20);
        code.map(BASE, Memory.PAGE_SIZE, Memory.EXEC);
        code.writeBytesPrivileged(BASE, new byte[] {0x13, 0, 0, 0}, 0, 4); // as the loader writes text
        assertThrows(GuestFault.class, () -> code.readBytes(BASE, 4));
        assertThrows(GuestFault.class, () -> code.load32(BASE));
    }

    @Test
    void aPageRestoredByAResetCountsAgainOnItsFirstWriteAndAnotherParentsPagesAreSeen() {
        Memory image = frozenImage(0x1111);
        Memory other = frozenImage(0x2222);
        Memory m = image.fork(Memory.PAGE_SIZE);
        m.store8(BASE + 8, 1);
        m.resetTo(image);
        assertEquals(0, m.ownedPages());
        m.store8(BASE + 8, 2);
        assertEquals(1, m.ownedPages());
        assertEquals(GuestFault.Kind.OUT_OF_MEMORY,
                assertThrows(GuestFault.class, () -> m.store8(BASE + Memory.PAGE_SIZE, 1)).kind());
        m.resetTo(other);
        m.store8(BASE + 8, 3);
        assertEquals(0x2222, m.load64(BASE));
        assertEquals(3, m.load8(BASE + 8));
        m.resetTo(image);
        assertEquals(0x1111, m.load64(BASE));
        assertEquals(0, m.load8(BASE + 8));
    }

    @Test
    void childSeesParentDataAndWritesStayPrivateBothWays() {
        Memory parent = rw(4);
        parent.store64(BASE, 111);
        parent.store64(BASE + Memory.PAGE_SIZE, 222);
        Memory a = parent.fork();
        Memory b = parent.fork();
        assertEquals(111, a.load64(BASE));
        assertEquals(0, a.ownedPages());
        a.store64(BASE, 1);
        assertEquals(1, a.ownedPages());
        b.store64(BASE, 2);
        parent.store64(BASE, 3);
        parent.store64(BASE + Memory.PAGE_SIZE, 333);
        assertEquals(1, a.load64(BASE));
        assertEquals(2, b.load64(BASE));
        assertEquals(3, parent.load64(BASE));
        assertEquals(222, a.load64(BASE + Memory.PAGE_SIZE));
        assertEquals(222, b.load64(BASE + Memory.PAGE_SIZE));
        // A grandchild sees its parent's copy, not the original.
        Memory c = a.fork();
        assertEquals(1, c.load64(BASE));
        c.store64(BASE, 9);
        assertEquals(1, a.load64(BASE));
    }

    @Test
    void aParentOwnsNothingAfterAForkSoRepeatedForksDoNotExhaustItsLimit() {
        Memory parent = new Memory(64, 4 * Memory.PAGE_SIZE);
        parent.map(BASE, 4 * Memory.PAGE_SIZE, RW);
        for (int i = 0; i < 20; i++) {
            parent.store8(BASE, i);
            assertEquals(1, parent.ownedPages());
            parent.fork();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(5)
    void unmappingAHugeEmptyRangeIsCheap() {
        Memory m = rw(1);
        m.unmap(1L << 32, 1L << 38);
        assertEquals(1, m.mappedPages());
        assertThrows(GuestFault.class, () -> m.map(1L << 32, 1L << 38, RW));
    }

    @Test
    void resetToMakesAFreshForkAndRecycledBuffersNeverShowOldData() {
        Memory image = rw(4);
        image.store64(BASE + 8, 0x1111);
        image.freeze();
        Memory m = image.fork(16 * Memory.PAGE_SIZE);
        for (int i = 0; i < 4; i++) {
            m.fill(BASE + (long) i * Memory.PAGE_SIZE, 0x5A, Memory.PAGE_SIZE);
        }
        m.map(BASE + 64L * Memory.PAGE_SIZE, Memory.PAGE_SIZE, RW);
        m.resetTo(image);
        assertEquals(0, m.ownedPages());
        assertEquals(image.mappedPages(), m.mappedPages());
        assertEquals(0, m.permissions(BASE + 64L * Memory.PAGE_SIZE));
        assertEquals(0x1111, m.load64(BASE + 8));
        m.store8(BASE, 1);                              // copies page 0 into a recycled buffer
        m.store8(BASE + Memory.PAGE_SIZE, 1);           // a zero page into a recycled buffer
        assertEquals(0x1111, m.load64(BASE + 8));
        assertEquals(0, m.load8(BASE + 9 + 4000));
        assertEquals(1, m.load8(BASE + Memory.PAGE_SIZE));
        assertEquals(0, m.load8(BASE + Memory.PAGE_SIZE + 1));
        assertThrows(IllegalStateException.class, () -> image.resetTo(m));
    }

    @Test
    void buffersSharedWithAForkAreNeverRecycled() {
        Memory image = rw(2);
        image.freeze();
        Memory m = image.fork();
        m.store8(BASE, 7);               // m owns a copy of page 0
        Memory child = m.fork();         // ... which the child now shares
        m.resetTo(image);
        m.store8(BASE + Memory.PAGE_SIZE, 9); // may reuse a recycled buffer: must not be the shared one
        m.store8(BASE, 3);
        assertEquals(7, child.load8(BASE));
        assertEquals(0, child.load8(BASE + Memory.PAGE_SIZE));
    }

    @Test
    void forkOfAFrozenMemoryLeavesItUntouched() {
        Memory image = rw(2);
        image.store32(BASE, 42);
        image.freeze();
        Memory a = image.fork(8 * Memory.PAGE_SIZE);
        Memory b = image.fork(8 * Memory.PAGE_SIZE);
        a.store32(BASE, 1);
        assertEquals(42, b.load32(BASE));
        assertThrows(IllegalStateException.class, () -> image.map(BASE, Memory.PAGE_SIZE, RW));
        assertEquals(8 * Memory.PAGE_SIZE, a.maxBytes());
    }

    @Test
    void mappingInAForkDoesNotReachTheParent() {
        Memory parent = rw(1);
        Memory child = parent.fork();
        child.map(BASE + 16 * Memory.PAGE_SIZE, Memory.PAGE_SIZE, RW);
        child.store8(BASE + 16 * Memory.PAGE_SIZE, 1);
        assertEquals(0, parent.permissions(BASE + 16 * Memory.PAGE_SIZE));
        child.unmap(BASE, Memory.PAGE_SIZE);
        assertEquals(RW, parent.permissions(BASE));
    }

    @Test
    void bulkHostAccessIsBoundsCheckedAndAtomicOnFailure() {
        Memory m = rw(2);
        byte[] data = new byte[6000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        m.writeBytes(BASE + 100, data, 0, data.length);
        assertArrayEquals(data, m.readBytes(BASE + 100, data.length));
        assertThrows(GuestFault.class, () -> m.writeBytes(BASE + 5000, data, 0, data.length));
        assertEquals((byte) (5000 - 100), (byte) m.load8(BASE + 5000));
        m.writeBytes(BASE, "hi\0".getBytes(), 0, 3);
        assertEquals("hi", m.readCString(BASE, 16));
        m.fill(BASE, 'x', 64);
        assertThrows(GuestFault.class, () -> m.readCString(BASE, 16));
    }

    @Test
    void rv32AddressesWrapAt4GiB() {
        Memory m = new Memory(32, 1L << 20);
        m.map(0x8000_0000L, Memory.PAGE_SIZE, RW);
        m.store32(0xFFFF_FFFF_8000_0010L, 77); // a sign-extended RV32 register value
        assertEquals(77, m.load32(0x8000_0010L));
    }
}
