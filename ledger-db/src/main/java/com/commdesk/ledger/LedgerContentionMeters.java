package com.commdesk.ledger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;

/**
 * The ledger's own retries ({@link Retry}: a transaction PostgreSQL aborted for a deadlock, 40P01, or a
 * serialization failure, 40001, run again) as {@code commdesk_ledger_transaction_retries_total{sqlstate}}, in
 * every app that writes the books: the worker (postings, payouts) and the API (recording a payment,
 * {@link PaymentIntake}). Counts are per JVM ({@link LedgerContention}); alert CommDeskLedgerDeadlocks sums
 * them over every instance.
 */
public final class LedgerContentionMeters implements MeterBinder {
    @Override
    public void bindTo(MeterRegistry registry) {
        for (String sqlState : List.of(LedgerContention.DEADLOCK, LedgerContention.SERIALIZATION_FAILURE)) {
            FunctionCounter.builder("commdesk.ledger.transaction.retries", sqlState, LedgerContention::retries).tag("sqlstate", sqlState)
                    .description("Ledger transactions PostgreSQL aborted for contention (40P01 deadlock, 40001 serialization) and the ledger ran again")
                    .register(registry);
        }
    }
}
