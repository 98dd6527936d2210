package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.PAYMENT;
import static com.commdesk.ledger.jooq.Tables.REVENUE_DISTRIBUTION;
import static com.commdesk.ledger.jooq.Tables.REVENUE_TRANSACTION;
import static com.commdesk.ledger.jooq.Tables.WALLET_HOLD;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Where a payment stands, read from PostgreSQL alone: what GET /api/v1/payments/{id} shows. The API never
 * asks the workflow (a query waits for a workflow task, and under load that is seconds): the workflow's
 * activities write this projection as they go — the notable stage in {@code payment.status}
 * ({@link PaymentOperations#recordStatus}) and the money in the posting itself ({@code revenue_transaction},
 * {@code revenue_distribution}, {@code wallet_hold}). Two indexed queries, whatever Temporal is doing.
 */
public final class PaymentProjection {

    /** Accepted (009's default), no notable stage recorded yet, nothing posted: the workflow is on its way. */
    public static final String ACCEPTED = "ACCEPTED";
    /** Posted to the ledger; the workflow has not yet recorded how it ended (it records COMPLETED next). */
    public static final String POSTED = "POSTED";
    /**
     * Recorded stages that are a step on the way, not an end or a parking: once the payment is booked, POSTED says more.
     * The workflow records one only as a payment leaves AWAITING_PAYMENT (its order paid late); ACCEPTED is 009's default.
     */
    static final java.util.Set<String> ON_THE_WAY = java.util.Set.of(ACCEPTED, "VERIFYING", "SCREENING", "CALCULATING_FEES",
            "ALLOCATING_SHARES", "POSTING_LEDGER", "QUEUING_SETTLEMENT", "HANDING_OVER_PAYOUT");

    private final DSLContext dsl;

    public PaymentProjection(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The money as booked: the posted revenue transaction's waterfall, exactly as the ledger holds it. */
    public record Booked(long amountPaise, long gstPaise, long cgstPaise, long sgstPaise, long igstPaise,
                         long gatewayFeePaise, long gatewayFeeGstPaise, String gatewayFeeBearer,
                         long platformFeePaise, long platformFeeGstPaise, String platformFeeGst, String platformFeeBearer,
                         long platformFeeWaivedPaise, long convenienceFeePaise, long tcsPaise, long tdsPaise,
                         long netPaise, String scheduleName) {}

    public record View(String paymentId, String workflowId, String communityId, String sourceType, String sourceId,
                       String cashfreeOrderId, long amountPaise, String stage, String detail, OffsetDateTime stageAt,
                       Booked booked, String ruleId, Integer ruleVersion, List<LedgerQueries.Share> shares,
                       UUID transactionId, Long journalId, OffsetDateTime releaseAt) {}

    public Optional<View> find(String paymentId) {
        var p = PAYMENT;
        var t = REVENUE_TRANSACTION;
        var h = WALLET_HOLD;
        var releaseAt = DSL.field(DSL.select(DSL.min(h.RELEASE_AT)).from(h).where(h.TRANSACTION_ID.eq(t.TRANSACTION_ID)));
        var row = dsl.select(p.PAYMENT_ID, p.WORKFLOW_ID, p.COMMUNITY_ID, p.SOURCE_TYPE, p.SOURCE_ID, p.CASHFREE_ORDER_ID,
                        p.AMOUNT_PAISE, p.STATUS, p.STATUS_DETAIL, p.UPDATED_AT, releaseAt)
                .select(t.fields())
                .from(p).leftJoin(t).on(t.IDEMPOTENCY_KEY.eq(p.PAYMENT_ID))
                .where(p.PAYMENT_ID.eq(paymentId))
                .fetchOptional();
        if (row.isEmpty()) return Optional.empty();
        var r = row.get();
        UUID transactionId = r.get(t.TRANSACTION_ID);
        Booked booked = null;
        List<LedgerQueries.Share> shares = List.of();
        if (transactionId != null) {
            booked = new Booked(r.get(t.GROSS_AMOUNT_PAISE), r.get(t.GST_AMOUNT_PAISE), r.get(t.GST_CGST_PAISE),
                    r.get(t.GST_SGST_PAISE), r.get(t.GST_IGST_PAISE), r.get(t.PAYMENT_GATEWAY_FEE_PAISE),
                    r.get(t.PAYMENT_GATEWAY_GST_PAISE), r.get(t.GATEWAY_FEE_BEARER), r.get(t.PLATFORM_FEE_PAISE),
                    r.get(t.PLATFORM_FEE_GST_PAISE), r.get(t.PLATFORM_FEE_GST_MODE), r.get(t.PLATFORM_FEE_BEARER),
                    r.get(t.PLATFORM_FEE_WAIVED_PAISE), r.get(t.CONVENIENCE_FEE_PAISE), r.get(t.TCS_PAISE),
                    r.get(t.TDS_PAISE), r.get(t.NET_REVENUE_PAISE), r.get(t.SCHEDULE_NAME));
            var d = REVENUE_DISTRIBUTION;
            shares = dsl.select(d.ROLE_NAME, d.SHARE_BPS, d.USER_ID, d.AMOUNT_PAISE).from(d)
                    .where(d.TRANSACTION_ID.eq(transactionId))
                    .orderBy(d.ROLE_NAME, d.USER_ID)
                    .fetch(x -> new LedgerQueries.Share(x.value1(), x.value2(), x.value3(), x.value4()));
        }
        String recorded = r.get(p.STATUS);
        String stage = transactionId != null && ON_THE_WAY.contains(recorded) ? POSTED : recorded;
        return Optional.of(new View(r.get(p.PAYMENT_ID), r.get(p.WORKFLOW_ID), r.get(p.COMMUNITY_ID), r.get(p.SOURCE_TYPE),
                r.get(p.SOURCE_ID), r.get(p.CASHFREE_ORDER_ID), r.get(p.AMOUNT_PAISE), stage, r.get(p.STATUS_DETAIL),
                r.get(p.UPDATED_AT), booked, r.get(t.RULE_ID), r.get(t.RULE_VERSION), shares, transactionId,
                r.get(t.JOURNAL_ID), r.get(releaseAt)));
    }
}
