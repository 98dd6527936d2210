package com.commdesk.cashfree.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks: shape, signature (checked with an independent HMAC), delivery recording. */
class SimulatorWebhookTest {

    static final String ID = "wh-client";
    static final String SECRET = "wh-secret-Zq8+/=";
    static CashfreeSimulator sim;
    static SimHttp http;

    record Received(Map<String, String> headers, byte[] body) {
    }

    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger answer = new AtomicInteger(200);

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
    void startReceiver() throws Exception {
        sim.reset();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/webhooks/cashfree", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            ex.getRequestHeaders().forEach((k, v) -> h.put(k, v.get(0)));
            received.add(new Received(h, body));
            ex.sendResponseHeaders(answer.get(), -1);
            ex.close();
        });
        receiver.start();
        sim.setWebhookUrl(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/cashfree"));
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    static String independentSignature(String secret, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
        mac.update(body);
        return Base64.getEncoder().encodeToString(mac.doFinal());
    }

    @Test
    void payingSendsASignedPaymentSuccessWebhook() throws Exception {
        long before = System.currentTimeMillis();
        sim.createPaidOrder("order_wh", 123_456, "INR", Map.of("event_id", "ev_1"), PaymentMethod.UPI);
        assertThat(received).hasSize(1);
        Received r = received.get(0);

        String ts = r.headers().get("x-webhook-timestamp");
        assertThat(Long.parseLong(ts)).isBetween(before, System.currentTimeMillis());
        assertThat(r.headers().get("x-webhook-version")).isEqualTo("2023-08-01");
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        assertThat(r.headers().get("x-webhook-signature")).isEqualTo(independentSignature(SECRET, ts, r.body()));

        String raw = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(raw).contains("\"payment_amount\":1234.56").contains("\"order_amount\":1234.56");
        JsonNode j = SimHttp.MAPPER.readTree(raw);
        assertThat(j.get("type").asText()).isEqualTo("PAYMENT_SUCCESS_WEBHOOK");
        assertThat(OffsetDateTime.parse(j.get("event_time").asText())).isNotNull();
        assertThat(j.at("/data/order/order_id").asText()).isEqualTo("order_wh");
        assertThat(j.at("/data/order/order_currency").asText()).isEqualTo("INR");
        assertThat(j.at("/data/order/order_tags/event_id").asText()).isEqualTo("ev_1");
        assertThat(j.at("/data/payment/payment_status").asText()).isEqualTo("SUCCESS");
        assertThat(j.at("/data/payment/payment_group").asText()).isEqualTo("upi");
        assertThat(j.at("/data/payment/cf_payment_id").asText())
                .isEqualTo(sim.order("order_wh").orElseThrow().payments().get(0).cfPaymentId());
        assertThat(j.at("/data/payment/payment_method/upi").isObject()).isTrue();
        assertThat(j.at("/data/customer_details/customer_phone").asText()).isNotBlank();

        assertThat(sim.webhookDeliveries()).singleElement().satisfies(d -> {
            assertThat(d.delivered()).isTrue();
            assertThat(d.statusCode()).isEqualTo(200);
            assertThat(d.webhook().rawBody()).isEqualTo(raw);
        });
    }

    @Test
    void signatureCoversTimestampAndBodyAndUsesUtf8() throws Exception {
        // a fixed vector computed outside Java (python hmac/hashlib)
        assertThat(CashfreeSignatures.sign("sekret-ü", "1746427759733", "{\"a\":\"₹1.00\"}"))
                .isEqualTo("oGY5VFVCb2g3npZGHnuMtm6zQkQom4deDcmsk+Ywv64=");
        String s = CashfreeSignatures.sign(SECRET, "1", "{}");
        assertThat(s).isEqualTo(independentSignature(SECRET, "1", "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(CashfreeSignatures.sign(SECRET, "2", "{}")).isNotEqualTo(s);
        assertThat(CashfreeSignatures.sign(SECRET, "1", "{ }")).isNotEqualTo(s);
        assertThat(CashfreeSignatures.sign("other", "1", "{}")).isNotEqualTo(s);
    }

    @Test
    void sendWebhookNowAndOverControlEndpoint() throws Exception {
        sim.setWebhookUrl(null);
        sim.createPaidOrder("order_later", 5_000, "INR", Map.of(), PaymentMethod.WALLET);
        assertThat(received).isEmpty();
        assertThatThrownBy(() -> sim.sendWebhook("order_later")).isInstanceOf(IllegalStateException.class);

        SimHttp.Resp set = http.put("/__sim/webhook",
                "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/cashfree\"}");
        assertThat(set.status()).isEqualTo(200);
        WebhookDelivery d = sim.sendWebhook("order_later");
        assertThat(d.delivered()).isTrue();
        SimHttp.Resp again = http.post("/__sim/orders/order_later/webhook", "");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("delivered").asBoolean()).isTrue();
        assertThat(received).hasSize(2);
        for (Received r : received) {
            assertThat(r.headers().get("x-webhook-signature"))
                    .isEqualTo(independentSignature(SECRET, r.headers().get("x-webhook-timestamp"), r.body()));
            assertThat(SimHttp.MAPPER.readTree(r.body()).at("/data/payment/payment_group").asText()).isEqualTo("wallet");
        }
        assertThat(http.get("/__sim/webhook").json().get("recent_deliveries")).hasSize(2);
        assertThat(http.post("/__sim/orders/order_unpaid_x/webhook", "").status()).isEqualTo(404);
    }

    @Test
    void payOverHttpReportsTheDelivery() {
        sim.createOrder("order_http", 100, "INR", Map.of());
        answer.set(500);
        SimHttp.Resp r = http.post("/__sim/orders/order_http/pay", "{\"payment_method\":\"CARD\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/webhook/status_code").asInt()).isEqualTo(500);
        assertThat(r.json().at("/webhook/delivered").asBoolean()).isFalse();
        assertThat(sim.webhookDeliveries()).singleElement().satisfies(d -> assertThat(d.statusCode()).isEqualTo(500));
    }

    @Test
    void payWithoutWebhookDeliversNothingUntilAskedAndRefusesANonBoolean() {
        sim.createOrder("order_quiet", 100, "INR", Map.of());
        assertThat(http.post("/__sim/orders/order_quiet/pay", "{\"payment_method\":\"CARD\",\"webhook\":\"no\"}").status()).isEqualTo(400);
        SimHttp.Resp r = http.post("/__sim/orders/order_quiet/pay", "{\"payment_method\":\"CARD\",\"webhook\":false}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("webhook").isNull()).isTrue();
        assertThat(r.json().at("/payment/payment_status").asText()).isEqualTo("SUCCESS");
        assertThat(received).isEmpty();
        assertThat(http.post("/__sim/orders/order_quiet/webhook", "").json().get("delivered").asBoolean()).isTrue();
        assertThat(received).hasSize(1);
    }

    @Test
    void unreachableTargetIsRecordedAsAFailedDelivery() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        sim.setWebhookUrl(URI.create("http://127.0.0.1:" + closedPort + "/nobody"));
        sim.createPaidOrder("order_unreach", 100, "INR", Map.of(), PaymentMethod.UPI);
        assertThat(sim.webhookDeliveries()).singleElement().satisfies(d -> {
            assertThat(d.statusCode()).isEqualTo(-1);
            assertThat(d.error()).isNotBlank();
            assertThat(d.delivered()).isFalse();
        });
    }

    @Test
    void tamperedWebhookKeepsTheOldSignature() throws Exception {
        sim.setWebhookUrl(null);
        sim.createPaidOrder("order_tamper", 100, "INR", Map.of(), PaymentMethod.UPI);
        SignedWebhook w = sim.paymentSuccessWebhook("order_tamper");
        SignedWebhook t = w.withRawBody(w.rawBody().replace("1.00", "9.00"));
        assertThat(t.signature()).isEqualTo(w.signature());
        assertThat(independentSignature(SECRET, t.timestamp(), t.rawBody().getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(t.signature());
    }
}
