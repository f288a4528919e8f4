package dev.riscvsandbox.tenant;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one tenant, recorded by many request threads at once and read with {@link #snapshot()}.
 *
 * <p>Recording is lock-free and allocates nothing: every counter is a {@link LongAdder}, which spreads contended
 * updates over per-thread cells instead of having all threads CAS one word.
 *
 * <p>Latencies go to a log-linear histogram: values below 16 ns have a bucket each; above, every power of two
 * {@code [2^e, 2^(e+1))} is split into 16 equal buckets, up to 2<sup>37</sup> ns (about 137 s); larger values share
 * the last bucket. A percentile is the upper bound of the bucket holding the sample of that rank, so it is never
 * below the exact percentile and exceeds it by less than 1/16 (6.25 %). It is also capped by the maximum, which is
 * exact, and reported for percentiles in the last, open-ended bucket (from 2<sup>37</sup> - 2<sup>32</sup> ns, about
 * 133 s).
 */
public final class TenantMetrics {
    private static final int SUB_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    /** Exponent of the first power of two past the histogram's range. */
    private static final int RANGE_BITS = 37;
    private static final int BUCKETS = (RANGE_BITS - SUB_BITS + 1) * SUB_BUCKETS;

    private final LongAdder forks = new LongAdder();
    private final LongAdder hookCalls = new LongAdder();
    private final LongAdder instructions = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder faults = new LongAdder();
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
    private final LongAdder[] latencies = new LongAdder[BUCKETS];

    /** Metrics with every count at zero. */
    public TenantMetrics() {
        for (int i = 0; i < BUCKETS; i++) {
            latencies[i] = new LongAdder();
        }
    }

    /**
     * Records a finished request in one go: its VM (forked or recycled), its {@code hookCalls} hook calls and the
     * guest instructions they ran, and its fork-plus-hooks latency (the reset that follows is not part of it). Request
     * VMs record here when they close, after the response, so that the shared counters are not updated on the
     * request's way; a VM that is never closed is never counted. Timeouts and faults are counted when they happen.
     */
    public void recordRequest(long hookCalls, long instructions, long latencyNanos) {
        forks.increment();
        this.hookCalls.add(hookCalls);
        this.instructions.add(instructions);
        recordLatency(latencyNanos);
    }

    /** Counts a hook call that ran out of its instruction budget. */
    public void recordTimeout() {
        timeouts.increment();
    }

    /** Counts a hook call that ended in a guest fault. */
    public void recordFault() {
        faults.increment();
    }

    /** Records the time one request spent in fork and hooks; negative values count as 0. */
    public void recordLatency(long nanos) {
        long v = Math.max(0, nanos);
        // max before the bucket: a snapshot that sees the bucket's count then also sees the max (see snapshot())
        maxNanos.accumulate(v);
        latencies[bucket(v)].increment();
    }

    /**
     * The counts so far. Each counter is read atomically, the set of them is not: a snapshot taken during recording
     * may include a hook call but not its instructions. Percentiles and {@code requests} come from the same reads
     * of the histogram, so they agree with each other.
     */
    public Snapshot snapshot() {
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = latencies[i].sum();
            total += counts[i];
        }
        long max = maxNanos.get(); // after the buckets, so it covers every sample counted above
        return new Snapshot(forks.sum(), hookCalls.sum(), instructions.sum(), timeouts.sum(), faults.sum(), total,
                percentile(counts, total, 0.50, max), percentile(counts, total, 0.90, max),
                percentile(counts, total, 0.99, max), max);
    }

    /**
     * Counts of one tenant at one moment.
     *
     * @param forks        VMs forked or recycled for requests
     * @param hookCalls    hook calls made
     * @param instructions guest instructions run by those hook calls
     * @param timeouts     hook calls that exceeded their instruction budget
     * @param faults       hook calls that faulted
     * @param requests     latencies recorded (requests finished)
     * @param p50Nanos     median request latency (0 without requests); see the class comment for its precision
     * @param p90Nanos     90th percentile of request latency
     * @param p99Nanos     99th percentile of request latency
     * @param maxNanos     largest request latency, exact
     */
    public record Snapshot(long forks, long hookCalls, long instructions, long timeouts, long faults, long requests,
                           long p50Nanos, long p90Nanos, long p99Nanos, long maxNanos) {
    }

    /** The histogram bucket of a value >= 0. */
    static int bucket(long v) {
        if (v < SUB_BUCKETS) {
            return (int) v;
        }
        if (v >= 1L << RANGE_BITS) {
            return BUCKETS - 1;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        // bucket group e - 3 (16 buckets each, groups 0 and 1 have width 1), sub-bucket from the 4 bits below the top
        return ((e - SUB_BITS + 1) << SUB_BITS) + (int) ((v >>> (e - SUB_BITS)) & (SUB_BUCKETS - 1));
    }

    /** The largest value falling into a bucket; the last bucket is open-ended. */
    static long upperBound(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        if (bucket == BUCKETS - 1) {
            return Long.MAX_VALUE;
        }
        int shift = (bucket >>> SUB_BITS) - 1;
        long lower = (long) (SUB_BUCKETS + (bucket & (SUB_BUCKETS - 1))) << shift;
        return lower + (1L << shift) - 1;
    }

    /** Upper bound of the bucket holding the sample of rank ceil(q * total), capped by the maximum. */
    private static long percentile(long[] counts, long total, double q, long max) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max; // unreachable: the counts add up to total
    }
}
