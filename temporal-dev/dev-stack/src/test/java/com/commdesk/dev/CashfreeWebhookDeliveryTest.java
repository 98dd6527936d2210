package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.CashfreeSignatures;
import com.commdesk.cashfree.sim.SignedWebhook;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks as Cashfree delivers them (issue 16 items 1, 8, 9 and the V1 decision), over HTTP: PG events
 * at API version 2023-08-01 carry no x-idempotency-key and must never collapse; a retry that keeps its
 * original timestamp lands, once; payout webhooks are signed with the Payouts secret; V1 payloads are refused.
 */
class CashfreeWebhookDeliveryTest {
    static DevStack stack;

    @BeforeAll
    static void start() {
        stack = SharedStack.get();
    }

    static String refundEvent(String cfRefundId, String refundId) {
        return "{\"data\":{\"refund\":{\"cf_payment_id\":\"9001\",\"cf_refund_id\":\"" + cfRefundId + "\",\"refund_id\":\"" + refundId
                + "\",\"order_id\":\"wh-none\",\"refund_amount\":10.00,\"refund_currency\":\"INR\",\"refund_status\":\"SUCCESS\"}},"
                + "\"event_time\":\"2024-05-01T10:00:00+05:30\",\"type\":\"REFUND_STATUS_WEBHOOK\"}";
    }

    static HttpResponse<String> post(String path, SignedWebhook w, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(SharedStack.api(path))).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(w.rawBody()));
        if (w.signature() != null) b.header("x-webhook-signature", w.signature()).header("x-webhook-timestamp", w.timestamp());
        return SharedStack.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static SignedWebhook signed(String secret, String type, String body, long timestampMillis) {
        String ts = Long.toString(timestampMillis);
        return new SignedWebhook(type, body, ts, CashfreeSignatures.sign(secret, ts, body), "2023-08-01");
    }

    @Test
    void refundEventsWithoutAnIdempotencyKeyNeverCollapse() throws Exception {
        long before = SharedStack.count("select count(*) from webhook_event where event_type = 'REFUND_STATUS_WEBHOOK'");
        String secret = DevStack.SIM_CLIENT_SECRET;
        long now = System.currentTimeMillis();
        assertThat(post("/webhooks/cashfree/pg", signed(secret, "REFUND_STATUS_WEBHOOK", refundEvent("77001", "rf_a"), now),
                "application/json").statusCode()).isEqualTo(200);
        assertThat(post("/webhooks/cashfree/pg", signed(secret, "REFUND_STATUS_WEBHOOK", refundEvent("77002", "rf_b"), now),
                "application/json").statusCode()).isEqualTo(200);
        assertThat(SharedStack.count("select count(*) from webhook_event where event_type = 'REFUND_STATUS_WEBHOOK'"))
                .as("two different refunds are two events").isEqualTo(before + 2);
    }

    @Test
    void aRetryThatKeepsItsOriginalTimestampLandsOnce() throws Exception {
        String secret = DevStack.SIM_CLIENT_SECRET;
        // Delivered first 42 minutes ago (failed at our end), retried now by Cashfree with the same headers and body.
        SignedWebhook original = signed(secret, "REFUND_STATUS_WEBHOOK", refundEvent("77010", "rf_retry"),
                System.currentTimeMillis() - Duration.ofMinutes(42).toMillis());
        long before = SharedStack.count("select count(*) from webhook_event");
        HttpResponse<String> retry = post("/webhooks/cashfree/pg", original, "application/json");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        HttpResponse<String> again = post("/webhooks/cashfree/pg", original, "application/json");
        assertThat(again.body()).contains("\"duplicate\":true");
        assertThat(SharedStack.count("select count(*) from webhook_event")).isEqualTo(before + 1);
    }

    @Test
    void payoutWebhooksAreCheckedWithThePayoutsSecretAndV1IsRefused() throws Exception {
        String body = "{\"data\":{\"transfer_id\":\"po_unknown_1\",\"cf_transfer_id\":\"1\",\"status\":\"SUCCESS\",\"status_code\":\"COMPLETED\"},"
                + "\"event_time\":\"2024-05-01T10:00:00\",\"type\":\"TRANSFER_SUCCESS\"}";
        long now = System.currentTimeMillis();
        HttpResponse<String> withPgSecret = post("/webhooks/cashfree/payouts", signed(DevStack.SIM_CLIENT_SECRET, "TRANSFER_SUCCESS", body, now),
                "application/json");
        assertThat(withPgSecret.statusCode()).isEqualTo(401);
        HttpResponse<String> withPayoutSecret = post("/webhooks/cashfree/payouts",
                signed(stack.simulator().config().payoutClientSecret(), "TRANSFER_SUCCESS", body, now), "application/json");
        assertThat(withPayoutSecret.statusCode()).isEqualTo(200);
        assertThat(withPayoutSecret.body()).contains("not one of our payouts");

        String v1 = "event=TRANSFER_SUCCESS&transferId=po_unknown_1&referenceId=1&acknowledged=1&eventTime=2024-05-01+10%3A00%3A00"
                + "&utr=UTR1&signature=abc";
        HttpResponse<String> refused = post("/webhooks/cashfree/payouts", new SignedWebhook("TRANSFER_SUCCESS", v1, "0", "x", "v1"),
                "application/x-www-form-urlencoded");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("V2");
    }

    @Test
    void aDeliveryThatChangedSomethingIsAuditedOnceAsItsVerifiedSourceAndRefusedOrIdleOnesAreNot() throws Exception {
        String target = "/api/v1/payments/cf-wh_audit_1";
        // Paying a tagged order makes the simulator deliver PAYMENT_SUCCESS_WEBHOOK, which starts the payment.
        stack.simulator().createPaidOrder("wh_audit_1", 150_000L, "INR", java.util.Map.of("community_id", "demo-community",
                "source_type", "EVENT"), com.commdesk.cashfree.sim.PaymentMethod.UPI);
        SignedWebhook webhook = stack.simulator().paymentSuccessWebhook("wh_audit_1");
        assertThat(stack.simulator().deliver(webhook).delivered()).isTrue(); // Cashfree's retry: a duplicate
        assertThat(stack.simulator().deliver(webhook.withRawBody(webhook.rawBody().replace("1500.00", "1.00"))).statusCode())
                .isEqualTo(401);

        var dsl = SharedStack.db().dsl();
        var entries = dsl.fetch("select actor, actor_role, action, http_status, request_id, request_digest from audit_log where target = ?",
                target);
        assertThat(entries).as("one entry for the delivery that started the payment, none for its retry or the forgery").hasSize(1);
        var e = entries.get(0);
        assertThat(e.get("actor", String.class)).isEqualTo("cashfree-pg");
        assertThat(e.get("actor_role", String.class)).isEqualTo("CASHFREE_WEBHOOK");
        assertThat(e.get("action", String.class)).isEqualTo("WEBHOOK PAYMENT_SUCCESS_WEBHOOK SUCCESS");
        assertThat(e.get("http_status", Integer.class)).isEqualTo(202);
        assertThat(e.get("request_id", String.class)).as("the request's own id, not a placeholder").isNotBlank().isNotEqualTo("none");
        // The entry is the simulator's own first delivery (sent when the order was paid); its body was built then,
        // so its event time may differ from the copy replayed above by a second: compare with what was delivered.
        String first = stack.simulator().webhookDeliveries().stream()
                .filter(d -> d.delivered() && d.webhook().rawBody().contains("\"wh_audit_1\"")).findFirst().orElseThrow()
                .webhook().rawBody();
        assertThat(e.get("request_digest", String.class)).isEqualTo(AuditLogTest.sha256(first));

        // Signed but about nothing of ours (an unknown refund, an unknown payout): recorded or ignored, not audited.
        long before = SharedStack.count("select count(*) from audit_log where actor_role = 'CASHFREE_WEBHOOK'");
        long now = System.currentTimeMillis();
        assertThat(post("/webhooks/cashfree/pg", signed(DevStack.SIM_CLIENT_SECRET, "REFUND_STATUS_WEBHOOK",
                refundEvent("77020", "rf_not_ours"), now), "application/json").statusCode()).isEqualTo(200);
        String payout = "{\"data\":{\"transfer_id\":\"po_unknown_2\",\"cf_transfer_id\":\"2\",\"status\":\"SUCCESS\","
                + "\"status_code\":\"COMPLETED\"},\"event_time\":\"2024-05-01T10:00:00\",\"type\":\"TRANSFER_SUCCESS\"}";
        assertThat(post("/webhooks/cashfree/payouts", signed(stack.simulator().config().payoutClientSecret(), "TRANSFER_SUCCESS", payout,
                now), "application/json").statusCode()).isEqualTo(200);
        assertThat(SharedStack.count("select count(*) from audit_log where actor_role = 'CASHFREE_WEBHOOK'")).isEqualTo(before);
    }

    @Test
    void everyWebhookExampleOfTheContractIsAcceptedByItsController() throws Exception {
        var contract = com.commdesk.cashfree.sim.contract.CashfreeContract.load();
        long now = System.currentTimeMillis();
        var kinds = contract.root().path("webhooks").fieldNames();
        int posted = 0;
        while (kinds.hasNext()) {
            String kind = kinds.next();
            String body = contract.root().path("webhooks").path(kind).path("example").toString();
            boolean payout = kind.startsWith("payouts.");
            String secret = payout ? stack.simulator().config().payoutClientSecret() : DevStack.SIM_CLIENT_SECRET;
            HttpResponse<String> r = post(payout ? "/webhooks/cashfree/payouts" : "/webhooks/cashfree/pg",
                    signed(secret, kind, body, now), "application/json");
            assertThat(r.statusCode()).as(kind + ": " + r.body()).isBetween(200, 299);
            posted++;
        }
        assertThat(posted).isEqualTo(5);
    }
}
