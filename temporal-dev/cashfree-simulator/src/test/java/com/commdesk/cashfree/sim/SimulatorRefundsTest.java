package com.commdesk.cashfree.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refunds as Cashfree runs them (issue 16, item 7): refund_id and refund_note limits, PENDING until the
 * refund settles by its scenario, a signed REFUND_STATUS webhook per settlement, 409 for a refund_id
 * that exists, and the refund readable by id.
 */
class SimulatorRefundsTest {
    static final String ID = "refund-client";
    static final String SECRET = "refund-secret";
    static CashfreeSimulator sim;
    static SimHttp http;
    HttpServer receiver;
    final List<JsonNode> webhooks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        sim = CashfreeSimulator.start(new SimulatorConfig("127.0.0.1", 0, ID, SECRET));
        http = new SimHttp(sim.baseUrl(), ID, SECRET);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void receiverAndAPaidOrder() throws Exception {
        sim.reset();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/webhooks", ex -> {
            String signature = ex.getRequestHeaders().getFirst("x-webhook-signature");
            String timestamp = ex.getRequestHeaders().getFirst("x-webhook-timestamp");
            byte[] body = ex.getRequestBody().readAllBytes();
            try {
                JsonNode event = SimHttp.MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
                boolean signed = SimulatorWebhookTest.independentSignature(SECRET, timestamp, body).equals(signature);
                if (signed && event.path("type").asText().equals("REFUND_STATUS_WEBHOOK")) webhooks.add(event);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        sim.setWebhookUrl(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks"));
        sim.createPaidOrder("rf_order", 100_000L, "INR", Map.of("community_id", "c1"), PaymentMethod.UPI);
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    SimHttp.Resp create(String refundId, String amount, String note) {
        return http.post("/pg/orders/rf_order/refunds", "{\"refund_id\":\"" + refundId + "\",\"refund_amount\":" + amount
                + (note == null ? "" : ",\"refund_note\":\"" + note + "\"") + "}");
    }

    JsonNode awaitWebhook(int n) throws InterruptedException {
        for (int i = 0; i < 100 && webhooks.size() < n; i++) Thread.sleep(50);
        assertThat(webhooks).hasSizeGreaterThanOrEqualTo(n);
        return webhooks.get(n - 1);
    }

    @Test
    void aRefundIsPendingThenSucceedsWithASignedRefundStatusWebhook() throws Exception {
        SimHttp.Resp r = create("rf_1", "100.00", "seat cancelled");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("refund_status").asText()).isEqualTo("PENDING");

        JsonNode hook = awaitWebhook(1);
        assertThat(hook.path("type").asText()).isEqualTo("REFUND_STATUS_WEBHOOK");
        assertThat(hook.path("data").path("refund").path("refund_id").asText()).isEqualTo("rf_1");
        assertThat(hook.path("data").path("refund").path("refund_status").asText()).isEqualTo("SUCCESS");
        assertThat(http.get("/pg/orders/rf_order/refunds/rf_1").json().path("refund_status").asText()).isEqualTo("SUCCESS");
        assertThat(http.get("/pg/orders/rf_order/refunds/nope").status()).isEqualTo(404);
    }

    @Test
    void scenariosCancelOrFailARefundAndCancelledMoneyIsRefundableAgain() throws Exception {
        sim.refunds().scenario("rf_c", RefundBook.Outcome.CANCELLED);
        create("rf_c", "1000.00", null);
        assertThat(awaitWebhook(1).path("data").path("refund").path("refund_status").asText()).isEqualTo("CANCELLED");
        assertThat(sim.refunds().refundedPaise("rf_order")).isZero();

        sim.refunds().scenario("rf_p", RefundBook.Outcome.PENDING);
        create("rf_p", "1000.00", null);
        Thread.sleep(400);
        assertThat(webhooks).hasSize(1);
        assertThat(http.post("/__sim/refunds/rf_p/settle", "{\"status\":\"FAILED\"}").status()).isEqualTo(200);
        assertThat(awaitWebhook(2).path("data").path("refund").path("refund_status").asText()).isEqualTo("FAILED");
        assertThat(http.post("/__sim/refunds/rf_p/settle", "{\"status\":\"SUCCESS\"}").status()).as("settled once").isEqualTo(409);
    }

    @Test
    void cashfreesLimitsOnRefundIdAndNoteAndAnExistingRefundId() {
        assertThat(create("rf.dotted", "1.00", null).status()).isEqualTo(400);
        assertThat(create("r".repeat(41), "1.00", null).status()).isEqualTo(400);
        assertThat(create("rf_note", "1.00", "ab").status()).isEqualTo(400);
        assertThat(create("rf_note", "1.00", "n".repeat(101)).status()).isEqualTo(400);
        assertThat(create("r".repeat(40), "1.00", "abc").status()).isEqualTo(200);

        SimHttp.Resp again = create("r".repeat(40), "1.00", "abc");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("code").asText()).isEqualTo("refund_already_exists");
        assertThat(sim.refunds().count()).isEqualTo(1);
        assertThat(create("rf_too_much", "1000.00", null).status()).as("exceeds the 999 left").isEqualTo(400);
    }

    /** refund_amount is a JSON number read exactly (BigDecimal, never a double); a string or no amount is refused. */
    @Test
    void refundAmountsAreExactJsonNumbers() {
        sim.createPaidOrder("rf_big", 9_007_199_254_740_993L, "INR", Map.of(), PaymentMethod.UPI);
        SimHttp.Resp big = http.post("/pg/orders/rf_big/refunds", "{\"refund_id\":\"rf_big_1\",\"refund_amount\":90071992547409.93}");
        assertThat(big.status()).isEqualTo(200);
        assertThat(sim.refunds().find("rf_big_1").orElseThrow().amountPaise()).isEqualTo(9_007_199_254_740_993L);
        assertThat(big.body()).contains("\"refund_amount\":90071992547409.93");

        SimHttp.Resp text = create("rf_text", "\"25.00\"", null);
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.json().path("code").asText()).isEqualTo("refund_amount_invalid");
        assertThat(http.post("/pg/orders/rf_order/refunds", "{\"refund_id\":\"rf_none\"}").status()).isEqualTo(400);
        assertThat(create("rf_frac", "1.001", null).status()).isEqualTo(400);
        assertThat(sim.refunds().find("rf_text")).isEmpty();
    }

    @Test
    void settlementWaitsAsLongAsConfigured() throws Exception {
        sim.refunds().settleAfter(Duration.ofMillis(600));
        create("rf_slow", "1.00", null);
        Thread.sleep(200);
        assertThat(sim.refunds().find("rf_slow").orElseThrow().status()).isEqualTo("PENDING");
        awaitWebhook(1);
        assertThat(sim.refunds().find("rf_slow").orElseThrow().status()).isEqualTo("SUCCESS");
    }
}
