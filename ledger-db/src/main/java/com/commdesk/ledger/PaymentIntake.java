package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.COMMUNITY;
import static com.commdesk.ledger.jooq.Tables.PAYMENT;

import com.commdesk.ledger.jooq.tables.records.PaymentRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/**
 * What the API accepted, by idempotency key, recorded before its workflow starts. The same key
 * with the same request is the same payment; with another request it is a conflict; one
 * Cashfree order can only be claimed by one payment.
 */
public final class PaymentIntake {
    private final DSLContext dsl;

    public PaymentIntake(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record AcceptedPayment(String paymentId, String requestSha256, String communityId, String sourceType,
                                  String sourceId, String cashfreeOrderId, long amountPaise, String workflowId,
                                  OffsetDateTime createdAt) {}

    public enum Outcome { CREATED, REPEATED }

    public record Accepted(Outcome outcome, AcceptedPayment payment) {}

    /**
     * Records the payment or finds the one already recorded under this key. Throws
     * UNKNOWN_COMMUNITY (nothing written), IDEMPOTENCY_CONFLICT (key reused for another request) or
     * ORDER_ALREADY_POSTED (the order belongs to another payment).
     */
    public Accepted accept(AcceptedPayment p) {
        return accept(p, Map.of());
    }

    /**
     * As {@link #accept(AcceptedPayment)}, keeping the request's metadata with the payment so that whoever
     * starts its workflow (the API's starter, its sweep, a webhook) starts it with the same request.
     */
    public Accepted accept(AcceptedPayment p, Map<String, String> metadata) {
        return Retry.transient_(() -> dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            if (!tx.fetchExists(COMMUNITY, COMMUNITY.COMMUNITY_ID.eq(p.communityId()))) {
                throw new LedgerException(LedgerException.Code.UNKNOWN_COMMUNITY, "unknown community '" + p.communityId() + "'");
            }
            int inserted = tx.insertInto(PAYMENT)
                    .set(PAYMENT.PAYMENT_ID, p.paymentId())
                    .set(PAYMENT.REQUEST_SHA256, p.requestSha256())
                    .set(PAYMENT.COMMUNITY_ID, p.communityId())
                    .set(PAYMENT.SOURCE_TYPE, p.sourceType())
                    .set(PAYMENT.SOURCE_ID, p.sourceId())
                    .set(PAYMENT.CASHFREE_ORDER_ID, p.cashfreeOrderId())
                    .set(PAYMENT.AMOUNT_PAISE, p.amountPaise())
                    .set(PAYMENT.WORKFLOW_ID, p.workflowId())
                    .set(PAYMENT.REQUEST_METADATA, JSONB.valueOf(PaymentLedger.metadataJson(metadata)))
                    .onConflictDoNothing()
                    .execute();
            PaymentRecord byKey = tx.selectFrom(PAYMENT).where(PAYMENT.PAYMENT_ID.eq(p.paymentId())).fetchOptional().orElse(null);
            if (byKey == null) {
                // The insert lost on the order: the order already belongs to a payment. The same
                // payment claimed again (e.g. by the API after a webhook, under another key) is that
                // payment; a different claim on the order is a conflict.
                PaymentRecord owner = tx.selectFrom(PAYMENT).where(PAYMENT.CASHFREE_ORDER_ID.eq(p.cashfreeOrderId())).fetchSingle();
                if (owner.getCommunityId().equals(p.communityId()) && owner.getAmountPaise() == p.amountPaise()
                        && owner.getSourceType().equals(p.sourceType())) {
                    return new Accepted(Outcome.REPEATED, toAccepted(owner));
                }
                throw new LedgerException(LedgerException.Code.ORDER_ALREADY_POSTED,
                        "Cashfree order '" + p.cashfreeOrderId() + "' is already claimed by payment '" + owner.getPaymentId()
                                + "' with a different community, source or amount");
            }
            if (!byKey.getRequestSha256().equals(p.requestSha256())) {
                throw new LedgerException(LedgerException.Code.IDEMPOTENCY_CONFLICT,
                        "Idempotency-Key '" + p.paymentId() + "' was already used for a different request");
            }
            return new Accepted(inserted == 1 ? Outcome.CREATED : Outcome.REPEATED, toAccepted(byKey));
        }));
    }

    /** The metadata the payment was accepted with (what its workflow must be started with). */
    public Map<String, String> metadata(String paymentId) {
        JSONB json = dsl.select(PAYMENT.REQUEST_METADATA).from(PAYMENT).where(PAYMENT.PAYMENT_ID.eq(paymentId))
                .fetchOptional(PAYMENT.REQUEST_METADATA).orElse(null);
        return json == null ? Map.of() : parseMetadata(json.data());
    }

    /** A payment whose workflow start is not confirmed, with the metadata it must be started with. */
    public record Unstarted(AcceptedPayment payment, Map<String, String> metadata) {}

    /** Payments whose workflow start is not confirmed, recorded before {@code recordedBefore}; oldest first, one query. */
    public List<Unstarted> unstarted(OffsetDateTime recordedBefore, int limit) {
        if (limit < 1 || limit > 1_000) throw new IllegalArgumentException("limit must be 1..1000");
        return dsl.selectFrom(PAYMENT)
                .where(PAYMENT.WORKFLOW_STARTED_AT.isNull().and(PAYMENT.CREATED_AT.lt(recordedBefore)))
                .orderBy(PAYMENT.CREATED_AT).limit(limit)
                .fetch(r -> new Unstarted(toAccepted(r), parseMetadata(r.getRequestMetadata().data())));
    }

    /** {@link WebhookEvents#paymentSuccessesNotYetSeen}. */
    public List<WebhookEvents.PaymentSuccess> successesNotYetSeen(OffsetDateTime receivedBefore, WebhookEvents.PaymentSuccess after,
                                                                  int limit) {
        return new WebhookEvents(dsl).paymentSuccessesNotYetSeen(receivedBefore, after, limit);
    }

    /** Idempotent: the workflow of this payment is running or has run. */
    public void markStarted(String paymentId) {
        dsl.update(PAYMENT).set(PAYMENT.WORKFLOW_STARTED_AT, DSL.currentOffsetDateTime())
                .where(PAYMENT.PAYMENT_ID.eq(paymentId).and(PAYMENT.WORKFLOW_STARTED_AT.isNull())).execute();
    }

    public Optional<AcceptedPayment> findByOrder(String cashfreeOrderId) {
        return dsl.selectFrom(PAYMENT).where(PAYMENT.CASHFREE_ORDER_ID.eq(cashfreeOrderId)).fetchOptional().map(PaymentIntake::toAccepted);
    }

    public Optional<AcceptedPayment> find(String paymentId) {
        return dsl.selectFrom(PAYMENT).where(PAYMENT.PAYMENT_ID.eq(paymentId)).fetchOptional().map(PaymentIntake::toAccepted);
    }

    private static AcceptedPayment toAccepted(PaymentRecord r) {
        return new AcceptedPayment(r.getPaymentId(), r.getRequestSha256(), r.getCommunityId(), r.getSourceType(),
                r.getSourceId(), r.getCashfreeOrderId(), r.getAmountPaise(), r.getWorkflowId(), r.getCreatedAt());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, String> parseMetadata(String json) {
        try {
            return Map.copyOf(JSON.readValue(json, new TypeReference<Map<String, String>>() {}));
        } catch (JsonProcessingException e) {
            // The column's CHECK admits only a JSON object, and only metadataJson writes it.
            throw new IllegalStateException("payment metadata is not a JSON object of strings", e);
        }
    }
}
