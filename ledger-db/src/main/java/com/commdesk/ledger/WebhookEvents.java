package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.WEBHOOK_EVENT;

import org.jooq.DSLContext;
import org.jooq.JSONB;

/** Webhook deliveries by event id: the first delivery is recorded, every repeat is recognised. */
public final class WebhookEvents {
    private final DSLContext dsl;

    public WebhookEvents(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Whether a delivery with this event id was recorded. */
    public boolean seen(String eventId) {
        return dsl.fetchExists(dsl.selectOne().from(WEBHOOK_EVENT).where(WEBHOOK_EVENT.EVENT_ID.eq(eventId)));
    }

    /** A recorded REFUND_STATUS delivery: Cashfree's answer about one of our refunds. */
    public record RefundAnswer(String eventId, String refundId, String cfRefundId, String status) {}

    /**
     * Cashfree's REFUND_STATUS answers that end a refund (SUCCESS, CANCELLED, FAILED), recorded at or after {@code since}
     * and before {@code before}, for a refund of ours whose outcome is not booked yet (no {@code refund_outcome}): what the
     * refund's workflow may not have heard of (a signal lost to a crash or to Temporal being down), oldest first. Read
     * through changeset 106's partial index on REFUND_STATUS deliveries (RefundSignals' sweep runs it every few minutes).
     */
    public java.util.List<RefundAnswer> refundAnswersNotBooked(java.time.OffsetDateTime since, java.time.OffsetDateTime before,
                                                               int limit) {
        return dsl.resultQuery("""
                select e.event_id, a.refund_id, a.cf_refund_id, a.status
                  from webhook_event e
                 cross join lateral (select e.payload #>> '{data,refund,refund_id}' as refund_id,
                                            e.payload #>> '{data,refund,cf_refund_id}' as cf_refund_id,
                                            e.payload #>> '{data,refund,refund_status}' as status) a
                 where e.event_type = 'REFUND_STATUS_WEBHOOK' and e.received_at >= ?::timestamptz and e.received_at < ?::timestamptz
                   and a.status in ('SUCCESS', 'CANCELLED', 'FAILED')
                   and exists (select 1 from refund r where r.refund_id = a.refund_id)
                   and not exists (select 1 from refund_outcome o where o.refund_id = a.refund_id)
                 order by e.received_at, e.event_id
                 limit ?""", since, before, limit)
                .fetch(r -> new RefundAnswer(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                        r.get(3, String.class)));
    }

    /** A recorded PAYMENT_SUCCESS delivery of a payment that awaits its order's payment. */
    public record PaymentSuccess(String paymentId, String eventId, String cfPaymentId, String paymentStatus,
                                 java.time.OffsetDateTime receivedAt) {}

    /**
     * PAYMENT_SUCCESS deliveries received before {@code before} (and within the last 31 days: a wait lasts at most 30) for a
     * payment whose recorded stage is AWAITING_PAYMENT and that arrived after the payment last recorded it (the workflow
     * records it before each wait, so a look since the event came clears it): what the payment's workflow may not have
     * heard of (a signal lost with the API process, or to Temporal being down). Oldest first, after {@code after} (the
     * last row of the previous page; null: from the start), so rows already handled never hide newer ones. Through
     * payment_status_idx and changeset 130's partial index.
     */
    public java.util.List<PaymentSuccess> paymentSuccessesNotYetSeen(java.time.OffsetDateTime before, PaymentSuccess after, int limit) {
        if (limit < 1 || limit > 1_000) throw new IllegalArgumentException("limit must be 1..1000");
        return dsl.resultQuery("""
                select p.payment_id, e.event_id, e.payload #>> '{data,payment,cf_payment_id}', e.payload #>> '{data,payment,payment_status}',
                       e.received_at
                  from payment p
                  join webhook_event e on e.order_id = p.cashfree_order_id and e.event_type = 'PAYMENT_SUCCESS_WEBHOOK'
                 where p.status = 'AWAITING_PAYMENT' and e.received_at > p.updated_at and e.received_at < ?::timestamptz
                   and e.received_at > now() - interval '31 days'
                   and (?::timestamptz is null or (e.received_at, e.event_id) > (?::timestamptz, ?))
                 order by e.received_at, e.event_id
                 limit ?""", before, after == null ? null : after.receivedAt(), after == null ? null : after.receivedAt(),
                        after == null ? null : after.eventId(), limit)
                .fetch(r -> new PaymentSuccess(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                        r.get(3, String.class), r.get(4, java.time.OffsetDateTime.class)));
    }

    /** True for the first delivery of this event id (concurrent repeats: exactly one gets true). */
    public boolean recordOnce(String eventId, String type, String orderId, String payloadJson) {
        return dsl.insertInto(WEBHOOK_EVENT).set(WEBHOOK_EVENT.EVENT_ID, eventId).set(WEBHOOK_EVENT.EVENT_TYPE, type)
                .set(WEBHOOK_EVENT.ORDER_ID, orderId).set(WEBHOOK_EVENT.PAYLOAD, JSONB.valueOf(payloadJson))
                .onConflictDoNothing().execute() == 1;
    }
}
