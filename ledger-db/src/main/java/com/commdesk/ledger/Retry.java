package com.commdesk.ledger;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs a transaction again when PostgreSQL aborts it for a serialization failure (40001) or a
 * deadlock (40P01): the transaction left nothing behind, so running it again is safe. Bounded:
 * at most {@link #MAX_ATTEMPTS} attempts, exponential backoff with full jitter, capped. Every retry
 * is counted ({@link LedgerContention}).
 */
final class Retry {
    static final int MAX_ATTEMPTS = 8;
    private static final long BASE_BACKOFF_MILLIS = 2;
    private static final long MAX_BACKOFF_MILLIS = 200;

    private Retry() {}

    static <T> T transient_(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= MAX_ATTEMPTS || !SqlStates.isContention(e)) throw e;
                LedgerContention.retrying(SqlStates.sqlState(e));
                long cap = Math.min(MAX_BACKOFF_MILLIS, BASE_BACKOFF_MILLIS << attempt);
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
