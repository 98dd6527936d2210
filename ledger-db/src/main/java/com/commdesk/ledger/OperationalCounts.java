package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.PAYMENT;
import static com.commdesk.ledger.jooq.Tables.WALLET_HOLD;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The counts operations alert on, each one indexed query (payment_status_idx, wallet_hold_due_idx):
 * payments per recorded status, payments that stopped moving, holds the release job has not released.
 * Read-only; safe to call on every metrics scrape.
 */
public final class OperationalCounts {
    private final DSLContext dsl;

    public OperationalCounts(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Payments whose recorded status is one of {@code statuses}, per status (absent = none). */
    public Map<String, Long> paymentsByStatus(Collection<String> statuses) {
        Map<String, Long> counts = new HashMap<>();
        dsl.select(PAYMENT.STATUS, DSL.count()).from(PAYMENT).where(PAYMENT.STATUS.in(statuses)).groupBy(PAYMENT.STATUS)
                .forEach(r -> counts.put(r.value1(), r.value2().longValue()));
        return counts;
    }

    /** Payments in one of {@code statuses} whose status has not changed since {@code before}. */
    public long paymentsUnchangedSince(Collection<String> statuses, OffsetDateTime before) {
        return dsl.fetchCount(PAYMENT, PAYMENT.STATUS.in(statuses).and(PAYMENT.UPDATED_AT.lt(before)));
    }

    /** Holds due before {@code before} that are still neither released, cancelled nor blocked. */
    public long holdsDueBefore(OffsetDateTime before) {
        return dsl.fetchCount(WALLET_HOLD, WALLET_HOLD.RELEASE_AT.lt(before), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull(),
                WALLET_HOLD.CANCELLED_JOURNAL_ID.isNull(), WALLET_HOLD.BLOCKED_REASON.isNull());
    }
}
