package dev.riscvsandbox.elf;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list of relative relocations stored as two primitive arrays (16 bytes per entry instead of an object
 * each), since a large static PIE can have hundreds of thousands of them.
 */
final class RelocationList extends AbstractList<Relocation> implements RandomAccess {
    private final long[] offsets;
    private final long[] addends;
    private final int size;

    private RelocationList(long[] offsets, long[] addends, int size) {
        this.offsets = offsets;
        this.addends = addends;
        this.size = size;
    }

    @Override
    public Relocation get(int index) {
        Objects.checkIndex(index, size);
        return new Relocation(offsets[index], addends[index]);
    }

    @Override
    public int size() {
        return size;
    }

    /** Growable accumulator used while parsing; enforces the relocation count cap. */
    static final class Builder {
        private final int cap;
        private long[] offsets = new long[16];
        private long[] addends = new long[16];
        private int size;

        Builder(int cap) {
            this.cap = cap;
        }

        int size() {
            return size;
        }

        void add(long offset, long addend) throws ElfException {
            if (size >= cap) {
                throw new ElfException("more than " + cap + " relocations");
            }
            if (size == offsets.length) {
                int grown = (int) Math.min(cap, 2L * size);
                offsets = Arrays.copyOf(offsets, grown);
                addends = Arrays.copyOf(addends, grown);
            }
            offsets[size] = offset;
            addends[size] = addend;
            size++;
        }

        RelocationList build() {
            // Doubling leaves at most half the capacity unused; not trimming avoids a second copy of a large table.
            return new RelocationList(offsets, addends, size);
        }
    }
}
