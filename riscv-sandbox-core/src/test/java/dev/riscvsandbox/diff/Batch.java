package dev.riscvsandbox.diff;

import java.util.List;

/** Sequences that run together in one guest program. */
public record Batch(int xlen, List<Sequence> sequences) {
    public Batch {
        sequences = List.copyOf(sequences);
    }

    public int size() {
        return sequences.size();
    }

    @Override
    public String toString() {
        int ops = sequences.stream().mapToInt(s -> s.ops().size()).sum();
        return "Batch[rv" + xlen + ", " + sequences.size() + " sequences, " + ops + " ops]";
    }
}
