package dev.riscvsandbox.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.riscvsandbox.GuestFault;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A memory recycled with {@link Memory#resetTo} must behave exactly like a fresh fork of the same frozen image, whatever
 * the earlier requests on it did. Each try runs random requests (stores of every size, host writes and fills, loads,
 * mapping, unmapping and protecting pages, under a small page limit) on one recycled memory and, side by side, each on
 * a fresh fork: every operation must give the same value or the same fault, and after each request both must hold the
 * same bytes, permissions and page counts. Requests that only write keep the copies they made (restored on reset);
 * the others make the next reset a full one; both paths and their mixtures are covered, for three page layouts.
 */
class RecycledMemoryPropertyTest {
    /** Image pages: 0-3 read/write with data, 4 read-only, 5 read/write and never written in the image, 6-7 unmapped. */
    static final int PAGES = 8;
    static final int SPAN = PAGES * Memory.PAGE_SIZE;
    static final int LIMIT_PAGES = 3;

    /**
     * Where the image's pages lie: page {@code p} at {@code base + p * stride} pages. RV64 with adjacent pages; RV64
     * with pages 64 apart, so that all of them share one slot of the software TLB; RV32 at the top of the address
     * space, where guest loads and stores use sign-extended addresses (host calls use zero-extended ones).
     */
    enum Layout {
        RV64(64, 0x40000L, 1), RV64_ONE_TLB_SLOT(64, 0x400000L, 64), RV32_HIGH(32, 0xFFF0_0000L, 1);

        final int xlen;
        final long base;
        final int stride;

        Layout(int xlen, long base, int stride) {
            this.xlen = xlen;
            this.base = base;
            this.stride = stride;
        }

        /** The host's (zero-extended) address of byte {@code offset} of the span. */
        long host(int offset) {
            return base + (long) (offset / Memory.PAGE_SIZE) * stride * Memory.PAGE_SIZE + offset % Memory.PAGE_SIZE;
        }

        /** The guest's form of the same address: sign-extended on RV32. */
        long guest(int offset) {
            return xlen == 32 ? (int) host(offset) : host(offset);
        }

        long page(int p) {
            return host(p * Memory.PAGE_SIZE);
        }
    }

    /** One operation: kind, an offset into the span, a length or size, a value. */
    record Op(int kind, int offset, int size, long value) {
    }

    @Provide
    Arbitrary<List<List<Op>>> requests() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, SPAN - 1),
                Arbitraries.integers().between(1, 3 * Memory.PAGE_SIZE / 2),
                Arbitraries.longs()).as(Op::new);
        return op.list().ofMaxSize(12).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 400)
    void aRecycledMemoryBehavesLikeAFreshFork(@ForAll Layout layout, @ForAll("requests") List<List<Op>> requests) {
        Memory image = image(layout);
        Memory recycled = image.fork(LIMIT_PAGES * Memory.PAGE_SIZE);
        for (int r = 0; r < requests.size(); r++) {
            if (r > 0) {
                recycled.resetTo(image);
            }
            Memory fresh = image.fork(LIMIT_PAGES * Memory.PAGE_SIZE);
            for (Op op : requests.get(r)) {
                assertEquals(apply(layout, fresh, op), apply(layout, recycled, op), "request " + r + ", " + op);
            }
            assertSameState(layout, fresh, recycled, "after request " + r);
        }
        recycled.resetTo(image);
        assertSameState(layout, image.fork(LIMIT_PAGES * Memory.PAGE_SIZE), recycled, "after the last reset");
    }

    private static Memory image(Layout layout) {
        Memory m = new Memory(layout.xlen, 64L * Memory.PAGE_SIZE);
        Random random = new Random(7);
        for (int p = 0; p < 6; p++) {
            m.map(layout.page(p), Memory.PAGE_SIZE, Memory.READ | Memory.WRITE);
            if (p < 4) {
                byte[] data = new byte[Memory.PAGE_SIZE];
                random.nextBytes(data);
                m.writeBytes(layout.page(p), data, 0, data.length);
            }
        }
        m.protect(layout.page(4), Memory.PAGE_SIZE, Memory.READ);
        m.freeze();
        return m;
    }

    /** Runs one operation; the result is its value, or the fault it raised, as a comparable string. */
    private static String apply(Layout layout, Memory m, Op op) {
        long addr = layout.guest(op.offset());
        long hostAddr = layout.host(op.offset());
        long page = layout.page(op.offset() / Memory.PAGE_SIZE);
        try {
            int k = op.kind();
            if (k < 30) {
                switch (k % 4) {
                    case 0: m.store8(addr, (int) op.value()); break;
                    case 1: m.store16(addr, (int) op.value()); break;
                    case 2: m.store32(addr, (int) op.value()); break;
                    default: m.store64(addr, op.value()); break;
                }
                return "stored";
            }
            if (k < 50) {
                return switch (k % 4) {
                    case 0 -> "" + m.load8(addr);
                    case 1 -> "" + m.load16(addr);
                    case 2 -> "" + m.load32(addr);
                    default -> "" + m.load64(addr);
                };
            }
            if (k < 62) {
                byte[] src = new byte[Math.min(op.size(), SPAN - op.offset())];
                new Random(op.value()).nextBytes(src);
                m.writeBytes(hostAddr, src, 0, src.length);
                return "wrote";
            }
            if (k < 70) {
                m.fill(hostAddr, (int) op.value(), Math.min(op.size(), SPAN - op.offset()));
                return "filled";
            }
            if (k < 80) {
                byte[] dst = new byte[Math.min(op.size(), SPAN - op.offset())];
                m.readBytes(hostAddr, dst, 0, dst.length);
                return java.util.Arrays.toString(dst);
            }
            if (k < 87) {
                m.map(page, Memory.PAGE_SIZE, (k & 1) == 0 ? Memory.READ | Memory.WRITE : Memory.READ);
                return "mapped";
            }
            if (k < 93) {
                m.unmap(page, Memory.PAGE_SIZE);
                return "unmapped";
            }
            return "protected " + m.protect(page, Memory.PAGE_SIZE, (k & 1) == 0 ? Memory.READ : Memory.READ
                    | Memory.WRITE);
        } catch (GuestFault f) {
            return "fault " + f.kind();
        }
    }

    private static void assertSameState(Layout layout, Memory expected, Memory actual, String when) {
        assertEquals(expected.ownedPages(), actual.ownedPages(), when + ": owned pages");
        assertEquals(expected.mappedPages(), actual.mappedPages(), when + ": mapped pages");
        for (int p = 0; p < PAGES; p++) {
            long a = layout.page(p);
            assertEquals(expected.permissions(a), actual.permissions(a), when + ": permissions of page " + p);
            if ((expected.permissions(a) & Memory.READ) != 0) {
                assertArrayEquals(expected.readBytes(a, Memory.PAGE_SIZE), actual.readBytes(a, Memory.PAGE_SIZE),
                        when + ": bytes of page " + p);
            }
        }
        List<String> e = new ArrayList<>();
        List<String> a = new ArrayList<>();
        for (int off = 0; off < SPAN; off += 509) { // the load fast paths (caches) agree too
            e.add(apply(layout, expected, new Op(33, off, 8, 0)));
            a.add(apply(layout, actual, new Op(33, off, 8, 0)));
        }
        assertEquals(e, a, when + ": loads");
    }
}
