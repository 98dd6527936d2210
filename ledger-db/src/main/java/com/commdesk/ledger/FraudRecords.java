package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.FRAUD_BLOCKLIST;
import static com.commdesk.ledger.jooq.Tables.PAYMENT_SCREENING;
import static com.commdesk.ledger.jooq.Tables.REVENUE_TRANSACTION;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.DSLContext;

/** What the fraud screen reads and writes: screenings (for velocity), the blocklist, earlier claims. */
public final class FraudRecords {
    private final DSLContext dsl;

    public FraudRecords(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Records a screening once per payment (a retried screen keeps the first) and returns its time. */
    public OffsetDateTime recordScreening(String paymentId, String communityId, String customerId, long amountPaise,
                                          boolean flagged, String reasons) {
        var s = PAYMENT_SCREENING;
        dsl.insertInto(s).set(s.PAYMENT_ID, paymentId).set(s.COMMUNITY_ID, communityId).set(s.CUSTOMER_ID, customerId)
                .set(s.AMOUNT_PAISE, amountPaise).set(s.FLAGGED, flagged).set(s.REASONS, reasons)
                .onConflictDoNothing().execute();
        return dsl.select(s.SCREENED_AT).from(s).where(s.PAYMENT_ID.eq(paymentId)).fetchSingle(s.SCREENED_AT);
    }

    /** Stores the screen's verdict on the screening row (idempotent). */
    public void recordVerdict(String paymentId, boolean flagged, String reasons) {
        dsl.update(PAYMENT_SCREENING).set(PAYMENT_SCREENING.FLAGGED, flagged).set(PAYMENT_SCREENING.REASONS, reasons)
                .where(PAYMENT_SCREENING.PAYMENT_ID.eq(paymentId)).execute();
    }

    /** Other payments screened for this community within {@code window} before {@code at}. */
    public int recentForCommunity(String communityId, String exceptPaymentId, OffsetDateTime at, Duration window) {
        var s = PAYMENT_SCREENING;
        return dsl.fetchCount(s, s.COMMUNITY_ID.eq(communityId), s.PAYMENT_ID.ne(exceptPaymentId),
                s.SCREENED_AT.between(at.minus(window), at));
    }

    public int recentForCustomer(String customerId, String exceptPaymentId, OffsetDateTime at, Duration window) {
        var s = PAYMENT_SCREENING;
        return dsl.fetchCount(s, s.CUSTOMER_ID.eq(customerId), s.PAYMENT_ID.ne(exceptPaymentId),
                s.SCREENED_AT.between(at.minus(window), at));
    }

    /** The blocklist entry's reason, if {@code value} of {@code kind} (CUSTOMER, COMMUNITY, ORDER) is blocked. */
    public Optional<String> blocked(String kind, String value) {
        if (value == null) return Optional.empty();
        return dsl.select(FRAUD_BLOCKLIST.REASON).from(FRAUD_BLOCKLIST)
                .where(FRAUD_BLOCKLIST.KIND.eq(kind), FRAUD_BLOCKLIST.VALUE.eq(value)).fetchOptional(FRAUD_BLOCKLIST.REASON);
    }

    public void block(String kind, String value, String reason, String actor) {
        dsl.insertInto(FRAUD_BLOCKLIST).set(FRAUD_BLOCKLIST.KIND, kind).set(FRAUD_BLOCKLIST.VALUE, value)
                .set(FRAUD_BLOCKLIST.REASON, reason).set(FRAUD_BLOCKLIST.CREATED_BY, actor).onConflictDoNothing().execute();
    }

    /** The order a Cashfree payment was already booked under, if it was booked under another one. */
    public Optional<String> paymentBookedUnderAnotherOrder(String cfPaymentId, String orderId) {
        if (cfPaymentId == null) return Optional.empty();
        var rt = REVENUE_TRANSACTION;
        return dsl.select(rt.CASHFREE_ORDER_ID).from(rt)
                .where(rt.CASHFREE_PAYMENT_ID.eq(cfPaymentId), rt.CASHFREE_ORDER_ID.ne(orderId))
                .limit(1).fetchOptional(rt.CASHFREE_ORDER_ID);
    }

}
