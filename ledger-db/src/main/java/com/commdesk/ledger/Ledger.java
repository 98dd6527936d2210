package com.commdesk.ledger;

import org.jooq.DSLContext;

/**
 * The core every use case of the books shares: one {@link JournalWriter} (and its account cache) and
 * one way to run a transaction, {@link #inTransaction}: retried on serialization failures and
 * deadlocks (bounded), and whatever escapes translated to a {@link LedgerException} code in one place
 * ({@link SqlStates}). Share one instance per database.
 */
public final class Ledger {
    @FunctionalInterface
    public interface Work<T> {
        T run(DSLContext tx);
    }

    private final DSLContext dsl;
    private final JournalWriter writer = new JournalWriter();

    public Ledger(DSLContext dsl) {
        this.dsl = dsl;
    }

    public DSLContext dsl() {
        return dsl;
    }

    JournalWriter writer() {
        return writer;
    }

    /** Runs {@code work} in one transaction: all or nothing, retried on contention, errors translated. */
    public <T> T inTransaction(Work<T> work) {
        try {
            return Retry.transient_(() -> {
                writer.beginTransaction();
                try {
                    T result = dsl.transactionResult(cfg -> work.run(cfg.dsl()));
                    writer.committed();
                    return result;
                } catch (RuntimeException | Error e) {
                    writer.rolledBack();
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            throw SqlStates.translate(e);
        }
    }

    /** A statement outside any multi-statement transaction, with the same error translation. */
    public <T> T once(Work<T> work) {
        try {
            return work.run(dsl);
        } catch (RuntimeException e) {
            throw SqlStates.translate(e);
        }
    }
}
