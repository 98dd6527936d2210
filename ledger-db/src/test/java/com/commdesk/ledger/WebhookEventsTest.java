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
}
