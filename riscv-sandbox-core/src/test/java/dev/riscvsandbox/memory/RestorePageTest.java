package dev.riscvsandbox.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link Memory#restorePage} copies back only the blocks that differ, and after a bounded number of them the rest of
 * the page: whatever the guest changed, and wherever, the page must equal its original afterwards.
 */
class RestorePageTest {
    private static final int N = Memory.PAGE_SIZE;

    /** Changed ranges: start and length within the page. */
    @Provide
    Arbitrary<List<int[]>> edits() {
        Arbitrary<int[]> edit = Arbitraries.integers().between(0, N - 1).flatMap(start ->
                Arbitraries.integers().between(1, Math.min(300, N - start)).map(len -> new int[] {start, len}));
        return edit.list().ofMaxSize(40);
    }

    @Property(tries = 2000)
    void restoresEveryChangedByte(@ForAll("edits") List<int[]> edits, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Random random = new Random(seed);
        byte[] original = new byte[N];
        random.nextBytes(original);
        byte[] page = original.clone();
        for (int[] e : edits) {
            for (int i = e[0]; i < e[0] + e[1]; i++) {
                page[i] = (byte) (original[i] + 1 + random.nextInt(255)); // always a different byte
            }
        }
        Memory.restorePage(page, original);
        assertArrayEquals(original, page);
    }

    /** Around the bound of 16 blocks compared one by one: 15, 16 and 17 changed blocks, the last one at the end. */
    @Test
    void restoresAroundTheScanBound() {
        byte[] original = new byte[N];
        new Random(11).nextBytes(original);
        for (int blocks = 15; blocks <= 17; blocks++) {
            for (int stride : new int[] {1, 3}) {
                byte[] page = original.clone();
                for (int k = 0; k < blocks; k++) {
                    int block = 63 - k * stride; // counting down from the page's last block
                    page[block * 64 + k % 64] ^= 1;
                }
                Memory.restorePage(page, original);
                assertArrayEquals(original, page, blocks + " blocks, stride " + stride);
            }
        }
    }

    @Test
    void restoresTheEdgesAndAWholeRewrite() {
        byte[] original = new byte[N];
        new Random(7).nextBytes(original);
        for (int[] e : new int[][] {{0, 1}, {N - 1, 1}, {N - 64, 64}, {63, 2}, {0, N}}) {
            byte[] page = original.clone();
            for (int i = e[0]; i < e[0] + e[1]; i++) {
                page[i] ^= 0x5A;
            }
            Memory.restorePage(page, original);
            assertArrayEquals(original, page, "edit at " + e[0] + ", " + e[1] + " bytes");
        }
    }
}
