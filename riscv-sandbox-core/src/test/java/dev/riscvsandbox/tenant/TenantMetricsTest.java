package dev.riscvsandbox.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class TenantMetricsTest {
    /** The documented bound: a percentile exceeds the exact one by less than 1/16 of it. */
    static final double RELATIVE_ERROR = 1.0 / 16;

    @Test
    void countsEveryKindOfEvent() {
        TenantMetrics m = new TenantMetrics();
        m.recordRequest(2, 1234, 5000);
        m.recordRequest(1, 0, 5000);
        m.recordTimeout();
        m.recordFault();
        m.recordFault();
        TenantMetrics.Snapshot s = m.snapshot();
        assertEquals(new TenantMetrics.Snapshot(2, 3, 1234, 1, 2, 2, 5000, 5000, 5000, 5000), s);
    }

    @Test
    void noDataGivesZeros() {
        assertEquals(new TenantMetrics.Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), new TenantMetrics().snapshot());
    }

    @Test
    void smallValuesAreExact() {
        TenantMetrics m = new TenantMetrics();
        for (int v = 0; v < 16; v++) {
            m.recordLatency(v);
        }
        TenantMetrics.Snapshot s = m.snapshot();
        assertEquals(7, s.p50Nanos());
        assertEquals(14, s.p90Nanos());
        assertEquals(15, s.p99Nanos());
        assertEquals(15, s.maxNanos());
    }

    @Test
    void zeroNegativeAndHugeValues() {
        TenantMetrics m = new TenantMetrics();
        m.recordLatency(0);
        m.recordLatency(-5); // clock went backwards: counted as 0
        assertEquals(new TenantMetrics.Snapshot(0, 0, 0, 0, 0, 2, 0, 0, 0, 0), m.snapshot());
        m.recordLatency(Long.MAX_VALUE);
        m.recordLatency(Long.MAX_VALUE);
        TenantMetrics.Snapshot s = m.snapshot();
        assertEquals(4, s.requests());
        assertEquals(0, s.p50Nanos());
        // beyond the histogram's range a percentile reports the exact maximum
        assertEquals(Long.MAX_VALUE, s.p90Nanos());
        assertEquals(Long.MAX_VALUE, s.maxNanos());
    }

    @Test
    void percentilesOfKnownDistributionsAreWithinTheDocumentedError() {
        Random r = new Random(1);
        List<LongUnaryOperator> distributions = List.of(
                i -> i + 1,                                       // uniform 1..n
                i -> 1000 + i * 37,                               // uniform, offset
                i -> (long) Math.exp(r.nextDouble() * 25),        // log-uniform, 1 ns .. 72 s
                i -> 50_000 + (long) (r.nextGaussian() * 5_000),  // narrow normal around 50 us
                i -> i % 100 == 0 ? 2_000_000_000L : 300_000);     // bimodal with a 1 % tail
        for (LongUnaryOperator d : distributions) {
            TenantMetrics m = new TenantMetrics();
            long[] values = new long[10_000];
            for (int i = 0; i < values.length; i++) {
                values[i] = d.applyAsLong(i);
                m.recordLatency(values[i]);
            }
            Arrays.sort(values);
            TenantMetrics.Snapshot s = m.snapshot();
            assertEquals(values.length, s.requests());
            assertWithin(exact(values, 0.50), s.p50Nanos());
            assertWithin(exact(values, 0.90), s.p90Nanos());
            assertWithin(exact(values, 0.99), s.p99Nanos());
            assertEquals(values[values.length - 1], s.maxNanos());
        }
    }

    @Test
    void bucketsCoverTheRangeContiguously() {
        long previousUpper = -1;
        int buckets = TenantMetrics.bucket(Long.MAX_VALUE) + 1;
        for (int b = 0; b < buckets - 1; b++) {
            long upper = TenantMetrics.upperBound(b);
            assertEquals(b, TenantMetrics.bucket(previousUpper + 1), "lower bound of bucket " + b);
            assertEquals(b, TenantMetrics.bucket(upper), "upper bound of bucket " + b);
            assertTrue(upper - previousUpper - 1 <= (previousUpper + 1) / 16, "bucket " + b + " too wide");
            previousUpper = upper;
        }
        assertEquals((1L << 37) - (1L << 32), previousUpper + 1, "the last bucket starts about 133 s");
        assertTrue(previousUpper + 1 > 100_000_000_000L, "the histogram covers 100 s");
    }

    @Test
    void concurrentRecordingSumsCorrectly() throws Exception {
        TenantMetrics m = new TenantMetrics();
        int threads = 4;
        int perThread = 100_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        if (i % 10 == 0) {
                            m.recordTimeout();
                        }
                        if (i % 100 == 0) {
                            m.recordFault();
                        }
                        m.recordRequest(1, 3, i % 1000 + 1);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long n = (long) threads * perThread;
        TenantMetrics.Snapshot s = m.snapshot();
        assertEquals(n, s.forks());
        assertEquals(n, s.hookCalls());
        assertEquals(3 * n, s.instructions());
        assertEquals(n / 10, s.timeouts());
        assertEquals(n / 100, s.faults());
        assertEquals(n, s.requests());
        assertWithin(500, s.p50Nanos());
        assertWithin(990, s.p99Nanos());
        assertEquals(1000, s.maxNanos());
    }

    /** The percentile as the snapshot defines it: the sample of rank ceil(q * n). */
    static long exact(long[] sorted, double q) {
        return sorted[(int) Math.ceil(q * sorted.length) - 1];
    }

    static void assertWithin(long exact, long reported) {
        assertTrue(reported >= exact && reported <= exact + exact * RELATIVE_ERROR,
                "reported " + reported + " for exact " + exact);
    }
}
