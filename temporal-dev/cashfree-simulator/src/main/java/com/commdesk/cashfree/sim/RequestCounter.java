package com.commdesk.cashfree.sim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts requests per exact path so tests can ask "how many requests started with this prefix".
 * Bounded: after {@link #MAX_PATHS} distinct paths, further new paths only count towards the total
 * ({@link #overflowed()} tells whether that happened).
 */
final class RequestCounter {

    static final int MAX_PATHS = 200_000;

    private final ConcurrentHashMap<String, LongAdder> byPath = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final LongAdder overflow = new LongAdder();

    void record(String path) {
        total.increment();
        LongAdder c = byPath.get(path);
        if (c == null) {
            if (byPath.size() >= MAX_PATHS) {
                overflow.increment();
                return;
            }
            c = byPath.computeIfAbsent(path, p -> new LongAdder());
        }
        c.increment();
    }

    long count(String prefix) {
        if (prefix == null || prefix.isEmpty() || "/".equals(prefix)) {
            return total.sum();
        }
        long n = 0;
        for (Map.Entry<String, LongAdder> e : byPath.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                n += e.getValue().sum();
            }
        }
        return n;
    }

    boolean overflowed() {
        return overflow.sum() > 0;
    }

    void clear() {
        byPath.clear();
        total.reset();
        overflow.reset();
    }
}
