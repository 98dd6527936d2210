package com.commdesk.ledger;

import java.util.concurrent.atomic.LongAdder;

/**
 * How often PostgreSQL aborted a ledger transaction for contention and the ledger ran it again
 * ({@link Retry}): serialization failures (40001) and deadlocks (40P01), counted per JVM since it
 * started. The platform takes wallet locks in one order (community rows, then member rows, see
 * changelog 017), so a deadlock means some writer took them in another order; the worker exposes
 * these counts as {@code commdesk_ledger_transaction_retries_total{sqlstate}} and alert
 * CommDeskLedgerDeadlocks fires on them.
 */
public final class LedgerContention {
    public static final String SERIALIZATION_FAILURE = "40001";
    public static final String DEADLOCK = "40P01";

    private static final LongAdder SERIALIZATION_RETRIES = new LongAdder();
    private static final LongAdder DEADLOCK_RETRIES = new LongAdder();

    private LedgerContention() {}

    /** Transactions run again after PostgreSQL aborted them with {@code sqlState} (40001 or 40P01). */
    public static long retries(String sqlState) {
        return switch (sqlState) {
            case SERIALIZATION_FAILURE -> SERIALIZATION_RETRIES.sum();
            case DEADLOCK -> DEADLOCK_RETRIES.sum();
            default -> throw new IllegalArgumentException("not a contention SQLSTATE: " + sqlState);
        };
    }

    static void retrying(String sqlState) {
        if (DEADLOCK.equals(sqlState)) DEADLOCK_RETRIES.increment();
        else if (SERIALIZATION_FAILURE.equals(sqlState)) SERIALIZATION_RETRIES.increment();
    }
}
