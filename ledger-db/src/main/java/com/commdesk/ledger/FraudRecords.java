package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.COMMUNITY;
import static com.commdesk.ledger.jooq.Tables.FRAUD_BLOCKLIST;
import static com.commdesk.ledger.jooq.Tables.PAYMENT_SCREENING;
import static com.commdesk.ledger.jooq.Tables.REVENUE_TRANSACTION;

import java.time.Duration;
import java.time.OffsetDateTime;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record7;
import org.jooq.impl.DSL;

/**
 * What the fraud screen reads and writes: screenings (for velocity), the blocklist, earlier claims, a community's own
 * thresholds. A clean payment costs three statements ({@link #facts}, {@link #recordScreening}, {@link #velocity}): each
 * used to be several small queries, and on the payment path every one is a round trip and a rendering (issue 13).
 */
public final class FraudRecords {
    private final DSLContext dsl;

    public FraudRecords(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * What is known before the screening is recorded. {@code bookedUnderOrder}: the order this Cashfree payment was
     * already booked under, if another one; the three blocklist reasons, if blocked; the community's own thresholds
     * (null: not set, or no such community).
     */
    public record Facts(String bookedUnderOrder, String customerBlocked, String communityBlocked, String orderBlocked,
                        Long communityMaxPaymentPaise, Integer communityVelocityFloor, Integer communityVelocityMultiplier) {}

    /** {@link Facts} in one statement: scalar subqueries for the claim and the blocklist, the community's row joined. */
    public Facts facts(String cfPaymentId, String orderId, String customerId, String communityId) {
        var rt = REVENUE_TRANSACTION;
        var c = COMMUNITY;
        Field<String> booked = cfPaymentId == null ? DSL.castNull(rt.CASHFREE_ORDER_ID)
                : DSL.field(DSL.select(rt.CASHFREE_ORDER_ID).from(rt)
                        .where(rt.CASHFREE_PAYMENT_ID.eq(cfPaymentId), rt.CASHFREE_ORDER_ID.ne(orderId)).limit(1));
        Record7<String, String, String, String, Long, Integer, Integer> r = dsl
                .select(booked, blockReason("CUSTOMER", customerId), blockReason("COMMUNITY", communityId), blockReason("ORDER", orderId),
                        c.FRAUD_MAX_PAYMENT_PAISE, c.FRAUD_VELOCITY_FLOOR, c.FRAUD_VELOCITY_MULTIPLIER)
                .from(DSL.selectOne().asTable("screen"))
                .leftJoin(c).on(c.COMMUNITY_ID.eq(communityId))
                .fetchSingle();
        return new Facts(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7());
    }

    /** The blocklist entry's reason as a scalar subquery ((kind, value) is unique); null for no value. */
    private static Field<String> blockReason(String kind, String value) {
        if (value == null) return DSL.castNull(FRAUD_BLOCKLIST.REASON);
        return DSL.field(DSL.select(FRAUD_BLOCKLIST.REASON).from(FRAUD_BLOCKLIST)
                .where(FRAUD_BLOCKLIST.KIND.eq(kind), FRAUD_BLOCKLIST.VALUE.eq(value)));
    }

    /** A screening's time, and whether this call recorded it (false: a retry found the first attempt's, verdict and all). */
    public record Screening(OffsetDateTime at, boolean recordedNow) {}

    /**
     * Records a screening once per payment, unflagged until {@link #recordVerdict} says otherwise (a retried screen keeps
     * the first time). One statement when new; a second only for a retry, to read the first time.
     */
    public Screening recordScreening(String paymentId, String communityId, String customerId, long amountPaise) {
        var s = PAYMENT_SCREENING;
        var inserted = dsl.insertInto(s).set(s.PAYMENT_ID, paymentId).set(s.COMMUNITY_ID, communityId).set(s.CUSTOMER_ID, customerId)
                .set(s.AMOUNT_PAISE, amountPaise).set(s.FLAGGED, false).set(s.REASONS, "")
                .onConflictDoNothing().returning(s.SCREENED_AT).fetchOptional();
        if (inserted.isPresent()) return new Screening(inserted.get().get(s.SCREENED_AT), true);
        return new Screening(dsl.select(s.SCREENED_AT).from(s).where(s.PAYMENT_ID.eq(paymentId)).fetchSingle(s.SCREENED_AT), false);
    }

    /** Stores the screen's verdict on the screening row (idempotent). */
    public void recordVerdict(String paymentId, boolean flagged, String reasons) {
        dsl.update(PAYMENT_SCREENING).set(PAYMENT_SCREENING.FLAGGED, flagged).set(PAYMENT_SCREENING.REASONS, reasons)
                .where(PAYMENT_SCREENING.PAYMENT_ID.eq(paymentId)).execute();
    }

    /**
     * Other payments than {@code paymentId}: the customer's within {@code customerWindow} up to {@code at} (0 without a
     * customer) and the community's within {@code communityWindow} up to {@code at}, both bounds inclusive; and the
     * community's from {@code baselineFrom} (inclusive) until {@code baselineUntil} (exclusive), 0 when not asked for.
     */
    public record Velocity(int customerRecent, int communityRecent, int communityBefore) {}

    /**
     * {@link Velocity} in one statement: three scalar subqueries, each a count over its own index's range (as three
     * statements were). Not one scan with FILTERs over the OR of the ranges: PostgreSQL plans that as a bitmap scan of
     * both indexes and a recheck of every row, 2-3x the CPU of the three range scans (EXPLAIN ANALYZE with a generic
     * plan, 3,600 screenings of one customer in one community), and in the shape benchmark the database's CPU per
     * payment grew round after round with it (docs/performance.md § 2). {@code baselineFrom} and {@code baselineUntil}
     * null: the baseline is not counted (none configured, or the caller knows it).
     */
    public Velocity velocity(String paymentId, String customerId, Duration customerWindow, String communityId,
                             Duration communityWindow, OffsetDateTime baselineFrom, OffsetDateTime baselineUntil, OffsetDateTime at) {
        if ((baselineFrom == null) != (baselineUntil == null)) throw new IllegalArgumentException("a baseline needs both bounds");
        var s = PAYMENT_SCREENING;
        Field<Integer> customer = customerId == null ? DSL.inline(0)
                : DSL.field(DSL.selectCount().from(s).where(s.CUSTOMER_ID.eq(customerId), s.PAYMENT_ID.ne(paymentId),
                        s.SCREENED_AT.between(at.minus(customerWindow), at)));
        Field<Integer> recent = DSL.field(DSL.selectCount().from(s).where(s.COMMUNITY_ID.eq(communityId), s.PAYMENT_ID.ne(paymentId),
                s.SCREENED_AT.between(at.minus(communityWindow), at)));
        Field<Integer> before = baselineFrom == null ? DSL.inline(0)
                : DSL.field(DSL.selectCount().from(s).where(s.COMMUNITY_ID.eq(communityId), s.PAYMENT_ID.ne(paymentId),
                        s.SCREENED_AT.ge(baselineFrom), s.SCREENED_AT.lt(baselineUntil)));
        var r = dsl.select(customer, recent, before).fetchSingle();
        return new Velocity(r.value1(), r.value2(), r.value3());
    }

    public void block(String kind, String value, String reason, String actor) {
        dsl.insertInto(FRAUD_BLOCKLIST).set(FRAUD_BLOCKLIST.KIND, kind).set(FRAUD_BLOCKLIST.VALUE, value)
                .set(FRAUD_BLOCKLIST.REASON, reason).set(FRAUD_BLOCKLIST.CREATED_BY, actor).onConflictDoNothing().execute();
    }
}
