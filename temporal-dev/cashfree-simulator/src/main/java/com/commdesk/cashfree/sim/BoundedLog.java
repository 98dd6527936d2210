package com.commdesk.cashfree.sim;

import java.util.ArrayDeque;
import java.util.List;

/** The last {@code max} entries of something the simulator records, oldest first; thread-safe. */
final class BoundedLog<T> {
    private final int max;
    private final ArrayDeque<T> entries = new ArrayDeque<>();

    BoundedLog(int max) {
        this.max = max;
    }

    synchronized void add(T entry) {
        if (entries.size() >= max) entries.removeFirst();
        entries.addLast(entry);
    }

    synchronized List<T> snapshot() {
        return List.copyOf(entries);
    }

    synchronized void clear() {
        entries.clear();
    }
}
