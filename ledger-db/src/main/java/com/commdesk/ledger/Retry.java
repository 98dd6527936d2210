package com.commdesk.ledger;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs a transaction again when PostgreSQL aborts it for a serialization failure (40001) or a
 * deadlock (40P01): the transaction left nothing behind, so running it again is safe. Bounded:
 * at most {@link #MAX_ATTEMPTS} attempts, exponential backoff with full jitter, capped.
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
                if (attempt >= MAX_ATTEMPTS || !isTransient(e)) throw e;
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

    static boolean isTransient(Throwable e) {
        String state = sqlState(e);
        return "40001".equals(state) || "40P01".equals(state);
    }

    /**
     * The database went away under the statement (connection exception 08, operator intervention 57, e.g. a
     * terminated backend or a restart, insufficient resources 53): it says nothing about the data, and whether
     * a commit landed is unknown. Callers retry the whole idempotent operation, never call it a refusal.
     */
    static boolean isConnectionLoss(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLRecoverableException) return true;
        }
        String state = sqlState(e);
        return state != null && (state.startsWith("08") || state.startsWith("57") || state.startsWith("53"));
    }

    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) return s.getSQLState();
        }
        return null;
    }
}
