package com.commdesk.load;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one run measured: one record per payment hand-over, error counts by kind. Thread-safe; the
 * per-payment records are kept whole (a run is bounded: --rate x --duration), so percentiles are exact.
 */
final class Samples {
    /** One hand-over: when it started (epoch ms), how (REST or WEBHOOK), its latency and HTTP status. */
    record Handover(String orderId, String communityId, long amountPaise, String via, long startedAtEpochMs, long latencyMs,
                    int status) {}

    final ConcurrentLinkedQueue<Handover> handovers = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    final AtomicLong started = new AtomicLong();
    final AtomicLong finished = new AtomicLong();

    void error(String kind) {
        errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(AtomicLong::get).sum();
    }

    Map<String, Long> errorsByKind() {
        Map<String, Long> m = new TreeMap<>();
        errors.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** The value below which {@code p} (0..100) of the sorted values lie (nearest rank); -1 for none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) return -1;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static long[] sorted(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s;
    }
}
