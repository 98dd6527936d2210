package com.commdesk.cashfree.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Cashfree-facing API of the simulator, over real HTTP. */
class SimulatorApiTest {

    static final String ID = "test-client";
    static final String SECRET = "test-secret-do-not-log";
    static CashfreeSimulator sim;
    static SimHttp http;

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
    void reset() {
        sim.reset();
    }

    @Test
    void baseUrlIsLoopbackWithTheRealPort() {
        assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port());
        assertThat(sim.port()).isPositive();
    }

    @Test
    void missingOrWrongCredentialsGet401InCashfreeShape() {
        sim.createOrder("order_auth", 100, "INR", Map.of());
        for (SimHttp bad : List.of(http.without("x-client-id"), http.without("x-client-secret"),
                http.with("x-client-secret", "wrong"), http.with("x-client-id", "someone-else"))) {
            SimHttp.Resp r = bad.get("/pg/orders/order_auth");
            assertThat(r.status()).isEqualTo(401);
            JsonNode j = r.json();
            assertThat(j.get("type").asText()).isEqualTo("authentication_error");
            assertThat(j.get("code").asText()).isEqualTo("request_failed");
            assertThat(j.get("message").asText()).isNotBlank();
            assertThat(r.body()).doesNotContain(SECRET);
        }
    }

    @Test
    void missingApiVersionIsRejected() {
        sim.createOrder("order_ver", 100, "INR", Map.of());
        SimHttp.Resp r = http.without("x-api-version").get("/pg/orders/order_ver");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asText()).isEqualTo("version_invalid");
        assertThat(http.with("x-api-version", "latest").get("/pg/orders/order_ver").status()).isEqualTo(400);
    }

    @Test
    void terminateOrderEndsAnActiveOrderAndAnswersAnyOtherAsItIs() {
        String terminate = "{\"order_status\":\"TERMINATED\"}";
        sim.createOrder("order_term", 100, "INR", Map.of());
        SimHttp.Resp r = http.patch("/pg/orders/order_term", terminate);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("order_status").asText()).isEqualTo("TERMINATED");
        assertThat(http.patch("/pg/orders/order_term", terminate).json().get("order_status").asText()).as("again").isEqualTo("TERMINATED");
        assertThatThrownBy(() -> sim.pay("order_term", PaymentMethod.UPI)).isInstanceOf(IllegalStateException.class);

        sim.createPaidOrder("order_paid_term", 100, "INR", Map.of(), PaymentMethod.CARD);
        assertThat(http.patch("/pg/orders/order_paid_term", terminate).json().get("order_status").asText()).isEqualTo("PAID");

        sim.createOrder("order_attempt", 100, "INR", Map.of());
        sim.beginAttempt("order_attempt");
        assertThat(http.patch("/pg/orders/order_attempt", terminate).json().get("order_status").asText())
                .as("a payment attempt in flight").isEqualTo("TERMINATION_REQUESTED");
        sim.pay("order_attempt", PaymentMethod.UPI);
        assertThat(sim.order("order_attempt").orElseThrow().status()).as("the attempt succeeded after all").isEqualTo("PAID");

        assertThat(http.patch("/pg/orders/order_nope", terminate).status()).isEqualTo(404);
        assertThat(http.patch("/pg/orders/order_paid_term", "{\"order_status\":\"PAID\"}").status()).isEqualTo(400);
        assertThat(http.without("x-client-secret").patch("/pg/orders/order_paid_term", terminate).status()).isEqualTo(401);
    }

    @Test
    void createThenFetchOrderInCashfreeShape() {
        SimHttp.Resp created = http.post("/pg/orders",
                SimHttp.orderJson("order_abc-1", "1234.50", Map.of("event_id", "ev_9", "kind", "ticket")));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.header("x-api-version")).isEqualTo("2023-08-01");
        JsonNode o = created.json();
        assertThat(o.get("order_id").asText()).isEqualTo("order_abc-1");
        assertThat(o.get("entity").asText()).isEqualTo("order");
        assertThat(o.get("order_status").asText()).isEqualTo("ACTIVE");
        assertThat(o.get("cf_order_id").asText()).isNotBlank();
        assertThat(o.get("payment_session_id").asText()).startsWith("session_");
        assertThat(o.get("order_currency").asText()).isEqualTo("INR");
        assertThat(o.get("order_tags").get("event_id").asText()).isEqualTo("ev_9");
        assertThat(o.get("customer_details").get("customer_id").asText()).isEqualTo("cust_1");
        assertThat(o.get("customer_details").get("customer_phone").asText()).isEqualTo("9876543210");
        assertThat(OffsetDateTime.parse(o.get("created_at").asText()).getOffset().getTotalSeconds()).isEqualTo(19_800);
        assertThat(OffsetDateTime.parse(o.get("order_expiry_time").asText())).isAfter(OffsetDateTime.now());
        // amounts are written with two decimals, exactly
        assertThat(created.body()).contains("\"order_amount\":1234.50");

        SimHttp.Resp fetched = http.get("/pg/orders/order_abc-1");
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json()).isEqualTo(o);
        assertThat(sim.order("order_abc-1").orElseThrow().amountPaise()).isEqualTo(123_450);

        SimHttp.Resp payments = http.get("/pg/orders/order_abc-1/payments");
        assertThat(payments.status()).isEqualTo(200);
        assertThat(payments.json().isArray()).isTrue();
        assertThat(payments.json()).isEmpty();
    }

    @Test
    void orderWithoutIdGetsOneGenerated() {
        SimHttp.Resp r = http.post("/pg/orders", SimHttp.orderJson(null, "10", null));
        assertThat(r.status()).isEqualTo(200);
        String id = r.json().get("order_id").asText();
        assertThat(id).matches("[A-Za-z0-9_-]{3,45}");
        assertThat(r.json().get("order_tags").isNull()).isTrue();
        assertThat(http.get("/pg/orders/" + id).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "this-order-id-is-forty-six-characters-long-xxxx", "has space", "semi;colon", "ordér_1", "a.b.c"})
    void invalidOrderIdsAre400(String orderId) {
        String json = SimHttp.orderJson("X", "10", null).replace("\"X\"", SimHttp.MAPPER.valueToTree(orderId).toString());
        SimHttp.Resp r = http.post("/pg/orders", json);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asText()).isEqualTo("order_id_invalid");
        assertThat(r.json().get("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void orderIdLimitsAreInclusive() {
        assertThat(http.post("/pg/orders", SimHttp.orderJson("abc", "10", null)).status()).isEqualTo(200);
        String max = "A".repeat(20) + "_" + "9".repeat(20) + "-zzz"; // 45
        assertThat(max).hasSize(45);
        assertThat(http.post("/pg/orders", SimHttp.orderJson(max, "10", null)).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.99", "0", "-5", "10.001", "\"10.00\"", "null"})
    void invalidAmountsAre400(String amount) {
        SimHttp.Resp r = http.post("/pg/orders", SimHttp.orderJson("order_amt", amount, null));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asText()).isEqualTo("order_amount_invalid");
    }

    @Test
    void amountsAreParsedExactlyIncludingExponentForms() {
        // Gson (inside cashfree_pg) writes large doubles as 1.0E10.
        assertThat(http.post("/pg/orders", SimHttp.orderJson("order_big", "1.0E10", null)).body())
                .contains("\"order_amount\":10000000000.00");
        assertThat(sim.order("order_big").orElseThrow().amountPaise()).isEqualTo(1_000_000_000_000L);
        assertThat(http.post("/pg/orders", SimHttp.orderJson("order_odd", "1234567.89", null)).body())
                .contains("\"order_amount\":1234567.89");
        assertThat(http.post("/pg/orders", SimHttp.orderJson("order_one", "1", null)).body())
                .contains("\"order_amount\":1.00");
    }

    @Test
    void missingCustomerOrBadCurrencyAre400() {
        SimHttp.Resp noCustomer = http.post("/pg/orders",
                "{\"order_id\":\"order_nc\",\"order_amount\":10,\"order_currency\":\"INR\"}");
        assertThat(noCustomer.status()).isEqualTo(400);
        assertThat(noCustomer.json().get("code").asText()).isEqualTo("customer_details_missing");
        SimHttp.Resp usd = http.post("/pg/orders", SimHttp.orderJson("order_usd", "10", null).replace("INR", "USD"));
        assertThat(usd.status()).isEqualTo(400);
        assertThat(usd.json().get("code").asText()).isEqualTo("order_currency_invalid");
        assertThat(http.post("/pg/orders", "not json").status()).isEqualTo(400);
    }

    @Test
    void duplicateOrderIdIs409() {
        assertThat(http.post("/pg/orders", SimHttp.orderJson("order_dup", "10", null)).status()).isEqualTo(200);
        SimHttp.Resp again = http.post("/pg/orders", SimHttp.orderJson("order_dup", "10", null));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asText()).isEqualTo("order_already_exists");
        assertThat(again.json().get("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void idempotencyKeyReplaysTheSameRequestAndRefusesADifferentOne() {
        SimHttp keyed = http.with("x-idempotency-key", "0b6f4c1e-8a67-4b39-9a53-5b8c3c0f3a11");
        SimHttp.Resp first = keyed.post("/pg/orders", SimHttp.orderJson("order_idem", "10", null));
        SimHttp.Resp replay = keyed.post("/pg/orders", SimHttp.orderJson("order_idem", "10", null));
        assertThat(first.status()).isEqualTo(200);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.header("x-idempotency-replayed")).isEqualTo("true");
        assertThat(replay.json().get("cf_order_id")).isEqualTo(first.json().get("cf_order_id"));
        SimHttp.Resp different = keyed.post("/pg/orders", SimHttp.orderJson("order_idem", "11", null));
        assertThat(different.status()).isEqualTo(422);
        assertThat(different.json().get("type").asText()).isEqualTo("idempotency_error");
    }

    @Test
    void unknownOrdersAndUrlsAre404() {
        SimHttp.Resp order = http.get("/pg/orders/order_nope");
        assertThat(order.status()).isEqualTo(404);
        assertThat(order.json().get("code").asText()).isEqualTo("order_not_found");
        assertThat(order.json().get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(http.get("/pg/orders/order_nope/payments").status()).isEqualTo(404);
        SimHttp.Resp badUrl = http.get("/pg/nothing-here");
        assertThat(badUrl.status()).isEqualTo(404);
        assertThat(badUrl.json().get("message").asText()).contains("bad URL");
    }

    @Test
    void requestIdIsEchoed() {
        SimHttp.Resp r = http.with("x-request-id", "req-42").get("/pg/orders/order_nope");
        assertThat(r.header("x-request-id")).isEqualTo("req-42");
    }

    @Test
    void capIsEnforcedWithAClearError() {
        try (CashfreeSimulator small = CashfreeSimulator.start(
                new SimulatorConfig("127.0.0.1", 0, ID, SECRET).withMaxOrders(2))) {
            SimHttp h = new SimHttp(small.baseUrl(), ID, SECRET);
            assertThat(h.post("/pg/orders", SimHttp.orderJson("cap_1", "10", null)).status()).isEqualTo(200);
            small.createOrder("cap_2", 100, "INR", Map.of());
            SimHttp.Resp third = h.post("/pg/orders", SimHttp.orderJson("cap_3", "10", null));
            assertThat(third.status()).isEqualTo(400);
            assertThat(third.json().get("code").asText()).isEqualTo("simulator_capacity_exceeded");
            assertThat(third.json().get("message").asText()).contains("at most 2 orders");
            assertThatThrownBy(() -> small.createOrder("cap_4", 100, "INR", Map.of()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("at most 2 orders");
            small.reset();
            assertThat(h.post("/pg/orders", SimHttp.orderJson("cap_5", "10", null)).status()).isEqualTo(200);
        }
    }

    @Test
    void concurrentCreatesAndFetchesAreConsistent() throws Exception {
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tt = t;
                futures.add(pool.submit(() -> {
                    List<String> cf = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        String id = "conc_" + tt + "_" + i;
                        SimHttp.Resp r = http.post("/pg/orders", SimHttp.orderJson(id, (i + 1) + ".0" + tt, null));
                        assertThat(r.status()).isEqualTo(200);
                        cf.add(r.json().get("cf_order_id").asText());
                        assertThat(http.get("/pg/orders/" + id).json().get("order_amount").decimalValue())
                                .isEqualByComparingTo(new BigDecimal((i + 1) + ".0" + tt));
                    }
                    return cf;
                }));
            }
            Set<String> cfIds = new HashSet<>();
            for (Future<List<String>> f : futures) {
                cfIds.addAll(f.get());
            }
            assertThat(cfIds).hasSize(threads * perThread);
            assertThat(sim.orderCount()).isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void configNeverPrintsTheSecret() {
        assertThat(sim.config().toString()).doesNotContain(SECRET).contains(ID);
    }
}
