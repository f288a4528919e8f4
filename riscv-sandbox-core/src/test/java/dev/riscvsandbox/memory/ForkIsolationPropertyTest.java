package dev.riscvsandbox.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Copy-on-write forks against a model: every memory is a map from address to byte, and a fork copies the map.
 * Random interleavings of writes (all sizes, misaligned, across pages) and forks, on parents, children and
 * grandchildren, must leave every memory reading exactly what its model says.
 */
class ForkIsolationPropertyTest {
    static final long BASE = 0x40000;
    static final int PAGES = 6;
    static final int SPAN = PAGES * Memory.PAGE_SIZE;

    /** One step: fork memory {@code target} (size 0), or write {@code size} bytes of {@code value} into it. */
    record Step(int target, int size, int offset, long value) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 15),
                Arbitraries.of(0, 1, 2, 4, 8, 8, 8),
                Arbitraries.integers().between(0, SPAN - 8),
                Arbitraries.longs()).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 300)
    void everyMemoryReadsWhatItsModelSays(@ForAll("steps") List<Step> steps) {
        List<Memory> memories = new ArrayList<>();
        List<Map<Long, Byte>> models = new ArrayList<>();
        Memory root = new Memory(64, 64L * Memory.PAGE_SIZE);
        root.map(BASE, SPAN, Memory.READ | Memory.WRITE);
        memories.add(root);
        models.add(new HashMap<>());
        for (Step s : steps) {
            int t = s.target() % memories.size();
            Memory m = memories.get(t);
            Map<Long, Byte> model = models.get(t);
            long addr = BASE + s.offset();
            switch (s.size()) {
                case 0:
                    if (memories.size() < 12) {
                        memories.add(m.fork());
                        models.add(new HashMap<>(model));
                    }
                    continue;
                case 1: m.store8(addr, (int) s.value()); break;
                case 2: m.store16(addr, (int) s.value()); break;
                case 4: m.store32(addr, (int) s.value()); break;
                default: m.store64(addr, s.value()); break;
            }
            for (int b = 0; b < s.size(); b++) {
                model.put(addr + b, (byte) (s.value() >>> (8 * b)));
            }
        }
        for (int i = 0; i < memories.size(); i++) {
            Memory m = memories.get(i);
            Map<Long, Byte> model = models.get(i);
            byte[] actual = m.readBytes(BASE, SPAN);
            for (int off = 0; off < SPAN; off++) {
                byte expected = model.getOrDefault(BASE + off, (byte) 0);
                if (actual[off] != expected) {
                    assertEquals(expected, actual[off], "memory " + i + " at offset " + off);
                }
            }
            // The word-sized fast paths agree with the bytes.
            for (int off = 0; off < SPAN - 8; off += 1021) {
                long v = 0;
                for (int b = 7; b >= 0; b--) {
                    v = (v << 8) | (actual[off + b] & 0xFF);
                }
                assertEquals(v, m.load64(BASE + off));
            }
        }
    }
}
