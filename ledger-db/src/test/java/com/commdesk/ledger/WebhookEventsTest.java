package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * Cashfree's refund answers are recorded before the webhook is answered; those whose refund is not booked yet are what
 * a sweep signals again to the refund's workflow (a signal lost to a crash or to Temporal being down).
 */
class WebhookEventsTest extends LedgerFixture {
    static String refundEvent(String refundId, String cfRefundId, String status) {
        return "{\"type\":\"REFUND_STATUS_WEBHOOK\",\"data\":{\"refund\":{\"refund_id\":\"" + refundId + "\",\"cf_refund_id\":\""
                + cfRefundId + "\",\"refund_status\":\"" + status + "\",\"order_id\":\"order-x\"}}}";
    }

    @Test
    void refundAnswersNotBookedAreOnlyOutcomesForOurRefundsStillWaiting() {
        WebhookEvents events = new WebhookEvents(dsl);
        PostedPayment p = pay("wh1");
        refunds.reserve(refund("rf-waiting", p, 100_000L));
        refunds.reserve(refund("rf-booked", p, 100_000L));
        refunds.settle("rf-booked", "cf-booked");

        assertThat(events.recordOnce("e-success", "REFUND_STATUS_WEBHOOK", "order-x", refundEvent("rf-waiting", "cf-9", "SUCCESS"))).isTrue();
        assertThat(events.recordOnce("e-success", "REFUND_STATUS_WEBHOOK", "order-x", refundEvent("rf-waiting", "cf-9", "SUCCESS"))).isFalse();
        events.recordOnce("e-pending", "REFUND_STATUS_WEBHOOK", "order-x", refundEvent("rf-waiting", "cf-9", "PENDING"));
        events.recordOnce("e-booked", "REFUND_STATUS_WEBHOOK", "order-x", refundEvent("rf-booked", "cf-booked", "SUCCESS"));
        events.recordOnce("e-not-ours", "REFUND_STATUS_WEBHOOK", "order-x", refundEvent("rf-someone-elses", "cf-1", "FAILED"));
        events.recordOnce("e-payment", "PAYMENT_SUCCESS_WEBHOOK", "order-x", "{\"type\":\"PAYMENT_SUCCESS_WEBHOOK\",\"data\":{}}");

        OffsetDateTime now = OffsetDateTime.now();
        assertThat(events.refundAnswersNotBooked(now.minusHours(1), now.plusMinutes(1), 10))
                .containsExactly(new WebhookEvents.RefundAnswer("e-success", "rf-waiting", "cf-9", "SUCCESS"));
        assertThat(events.refundAnswersNotBooked(now.minusHours(1), now.minusMinutes(30), 10)).as("received after 'before'").isEmpty();

        refunds.settle("rf-waiting", "cf-9");
        assertThat(events.refundAnswersNotBooked(now.minusHours(1), now.plusMinutes(1), 10)).as("booked: nothing left to tell").isEmpty();
    }

    static String paymentEvent(String orderId, String cfPaymentId) {
        return "{\"type\":\"PAYMENT_SUCCESS_WEBHOOK\",\"data\":{\"order\":{\"order_id\":\"" + orderId + "\"},\"payment\":{"
                + "\"cf_payment_id\":\"" + cfPaymentId + "\",\"payment_status\":\"SUCCESS\"}}}";
    }

    void claim(String paymentId, String orderId, String status) {
        dsl.execute("insert into payment (payment_id, request_sha256, community_id, source_type, source_id, cashfree_order_id, amount_paise,"
                + " workflow_id, status) values (?, repeat('0', 64), 'demo-community', 'EVENT', 'e', ?, 1000, ?, ?)",
                paymentId, orderId, "payment-" + orderId, status);
    }

    /**
     * s14 left undone: a PAYMENT_SUCCESS whose signal to a payment awaiting its order failed was held in the API's memory,
     * so a restart lost it and the payment waited for its next look (up to a day). The webhook is recorded before it is
     * answered; those received after their awaiting payment last recorded its stage are what the starter signals again.
     */
    @Test
    void paymentSuccessesNotYetSeenAreThoseOfPaymentsStillAwaitingTheirOrderSinceTheyCame() {
        WebhookEvents events = new WebhookEvents(dsl);
        claim("p-awaiting", "o-awaiting", "AWAITING_PAYMENT");
        claim("p-seen", "o-seen", "AWAITING_PAYMENT");
        claim("p-gone-on", "o-gone-on", "SCREENING");
        events.recordOnce("e-seen", "PAYMENT_SUCCESS_WEBHOOK", "o-seen", paymentEvent("o-seen", "cf-0"));
        dsl.execute("update payment set updated_at = now() + interval '1 second' where payment_id = 'p-seen'"); // it looked since
        events.recordOnce("e-awaiting", "PAYMENT_SUCCESS_WEBHOOK", "o-awaiting", paymentEvent("o-awaiting", "cf-1"));
        events.recordOnce("e-gone-on", "PAYMENT_SUCCESS_WEBHOOK", "o-gone-on", paymentEvent("o-gone-on", "cf-2"));
        events.recordOnce("e-other-type", "PAYMENT_FAILED_WEBHOOK", "o-awaiting", paymentEvent("o-awaiting", "cf-3"));

        claim("p-awaiting-2", "o-awaiting-2", "AWAITING_PAYMENT");
        events.recordOnce("e-awaiting-2", "PAYMENT_SUCCESS_WEBHOOK", "o-awaiting-2", paymentEvent("o-awaiting-2", "cf-4"));

        OffsetDateTime later = OffsetDateTime.now().plusMinutes(1);
        var found = events.paymentSuccessesNotYetSeen(later, null, 10);
        assertThat(found).extracting(e -> e.paymentId() + " " + e.eventId() + " " + e.cfPaymentId() + " " + e.paymentStatus())
                .containsExactly("p-awaiting e-awaiting cf-1 SUCCESS", "p-awaiting-2 e-awaiting-2 cf-4 SUCCESS");
        assertThat(events.paymentSuccessesNotYetSeen(later, null, 1)).extracting(WebhookEvents.PaymentSuccess::eventId)
                .containsExactly("e-awaiting");
        assertThat(events.paymentSuccessesNotYetSeen(later, found.get(0), 10)).extracting(WebhookEvents.PaymentSuccess::eventId)
                .as("the next page, after the last row of this one").containsExactly("e-awaiting-2");
        assertThat(events.paymentSuccessesNotYetSeen(OffsetDateTime.now().minusMinutes(1), null, 10)).as("received after 'before'").isEmpty();
    }
}
