package dev.riscvsandbox.cpu;

import dev.riscvsandbox.isa.DecodedSegment;
import java.util.List;

/** The executable segments of a program, looked up by PC when execution leaves the current segment. */
public final class CodeMap {
    private final DecodedSegment[] segments;

    public CodeMap(List<DecodedSegment> segments) {
        this.segments = segments.toArray(new DecodedSegment[0]);
    }

    /** The segment containing {@code pc}, or null. */
    public DecodedSegment find(long pc) {
        for (DecodedSegment s : segments) {
            if (s.contains(pc)) {
                return s;
            }
        }
        return null;
    }

    public List<DecodedSegment> segments() {
        return List.of(segments);
    }
}
