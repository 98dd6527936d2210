package com.commdesk.cashfree.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The /__sim/ control endpoints and the Java control API. */
class SimulatorControlTest {

    static final String ID = "ctl-client";
    static final String SECRET = "ctl-secret";
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
    void healthNeedsNoCredentials() {
        SimHttp.Resp r = new SimHttp(sim.baseUrl(), null, null).get("/__sim/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void payMarksPaidAndRecordsASuccessPayment() {
        http.post("/pg/orders", SimHttp.orderJson("order_pay", "499.99", null));
        SimHttp.Resp paid = http.post("/__sim/orders/order_pay/pay", "{\"payment_method\":\"UPI\"}");
        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.json().get("order").get("order_status").asText()).isEqualTo("PAID");
        assertThat(paid.json().get("webhook").isNull()).isTrue();

        JsonNode order = http.get("/pg/orders/order_pay").json();
        assertThat(order.get("order_status").asText()).isEqualTo("PAID");

        SimHttp.Resp payments = http.get("/pg/orders/order_pay/payments");
        assertThat(payments.json()).hasSize(1);
        JsonNode p = payments.json().get(0);
        assertThat(p.get("cf_payment_id").asText()).isNotBlank();
        assertThat(p.get("order_id").asText()).isEqualTo("order_pay");
        assertThat(p.get("payment_status").asText()).isEqualTo("SUCCESS");
        assertThat(p.get("payment_group").asText()).isEqualTo("upi");
        assertThat(p.get("payment_method").has("upi")).isTrue();
        assertThat(p.get("payment_currency").asText()).isEqualTo("INR");
        assertThat(p.get("entity").asText()).isEqualTo("payment");
        assertThat(p.get("is_captured").asBoolean()).isTrue();
        assertThat(OffsetDateTime.parse(p.get("payment_time").asText())).isBeforeOrEqualTo(OffsetDateTime.now());
        assertThat(payments.body()).contains("\"payment_amount\":499.99").contains("\"order_amount\":499.99");
    }

    @Test
    void aPaidOrderCanBeAnotherCustomersAndItsIdIsCashfreesForm() {
        sim.createPaidOrder("order_cust", 1_000, "INR", Map.of(), PaymentMethod.UPI, "buyer_42");
        assertThat(http.get("/pg/orders/order_cust").json().get("customer_details").get("customer_id").asText()).isEqualTo("buyer_42");
        sim.createPaidOrder("order_default", 1_000, "INR", Map.of(), PaymentMethod.UPI);
        assertThat(http.get("/pg/orders/order_default").json().get("customer_details").get("customer_id").asText()).isEqualTo("sim_customer");
        assertThatThrownBy(() -> sim.createOrder("order_bad_cust", 1_000, "INR", Map.of(), "not a customer id"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sim.order("order_bad_cust")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"UPI,upi,upi", "CARD,credit_card,card", "NETBANKING,net_banking,netbanking", "wallet,wallet,app"})
    void paymentGroupsAreCashfreesValues(String method, String group, String methodKey) {
        sim.createOrder("order_" + group, 1_000, "INR", Map.of());
        SimHttp.Resp r = http.post("/__sim/orders/order_" + group + "/pay", "{\"payment_method\":\"" + method + "\"}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode p = http.get("/pg/orders/order_" + group + "/payments").json().get(0);
        assertThat(p.get("payment_group").asText()).isEqualTo(group);
        assertThat(p.get("payment_method").has(methodKey)).isTrue();
    }

    @Test
    void anAttemptInFlightHoldsATerminationUntilItIsPaid() {
        http.post("/pg/orders", SimHttp.orderJson("order_att", "100.00", null));
        SimHttp.Resp begun = http.post("/__sim/orders/order_att/attempt", "");
        assertThat(begun.status()).isEqualTo(200);
        assertThat(begun.json().get("order_status").asText()).isEqualTo("ACTIVE");
        assertThat(http.patch("/pg/orders/order_att", "{\"order_status\":\"TERMINATED\"}").json().get("order_status").asText())
                .isEqualTo("TERMINATION_REQUESTED");
        assertThat(http.post("/__sim/orders/order_att/attempt", "").status()).as("not ACTIVE any more").isEqualTo(409);
        assertThat(http.post("/__sim/orders/order_none/attempt", "").status()).isEqualTo(404);
        assertThat(http.post("/__sim/orders/order_att/pay", "{\"payment_method\":\"UPI\"}").json().get("order").get("order_status").asText())
                .isEqualTo("PAID");
    }

    @Test
    void aDifferentAmountSimulatesAShortPayment() {
        sim.createOrder("order_short", 10_000, "INR", Map.of());
        SimHttp.Resp r = http.post("/__sim/orders/order_short/pay", "{\"payment_method\":\"CARD\",\"amount_paise\":7}");
        assertThat(r.status()).isEqualTo(200);
        SimHttp.Resp payments = http.get("/pg/orders/order_short/payments");
        assertThat(payments.body()).contains("\"payment_amount\":0.07").contains("\"order_amount\":100.00");
        assertThat(sim.order("order_short").orElseThrow().payments().get(0).amountPaise()).isEqualTo(7);
        assertThat(sim.order("order_short").orElseThrow().status()).isEqualTo("PAID");
    }

    @Test
    void payErrors() {
        assertThat(http.post("/__sim/orders/order_missing/pay", "{\"payment_method\":\"UPI\"}").status()).isEqualTo(404);
        sim.createOrder("order_err", 100, "INR", Map.of());
        assertThat(http.post("/__sim/orders/order_err/pay", "{\"payment_method\":\"CASH\"}").status()).isEqualTo(400);
        assertThat(http.post("/__sim/orders/order_err/pay", "{\"payment_method\":\"UPI\",\"amount_paise\":1.5}").status()).isEqualTo(400);
        assertThat(http.post("/__sim/orders/order_err/pay", "{\"payment_method\":\"UPI\"}").status()).isEqualTo(200);
        SimHttp.Resp twice = http.post("/__sim/orders/order_err/pay", "{\"payment_method\":\"UPI\"}");
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().get("error").asText()).contains("PAID");
    }

    @Test
    void createPaidOrderConvenience() {
        SimOrder o = sim.createPaidOrder("order_conv", 1, "INR", Map.of("k", "v"), PaymentMethod.NETBANKING);
        assertThat(o.status()).isEqualTo("PAID");
        assertThat(o.payments()).singleElement().satisfies(p -> {
            assertThat(p.amountPaise()).isEqualTo(1);
            assertThat(p.method()).isEqualTo(PaymentMethod.NETBANKING);
        });
        assertThat(http.get("/pg/orders/order_conv").body()).contains("\"order_amount\":0.01");
        assertThatThrownBy(() -> sim.pay("order_conv", PaymentMethod.UPI)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sim.pay("order_none", PaymentMethod.UPI)).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> sim.createOrder("x", 100, "INR", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resetForgetsEverything() {
        sim.createOrder("order_r", 100, "INR", Map.of());
        sim.faults().unavailableNext(5);
        http.post("/__sim/reset", "");
        assertThat(sim.orderCount()).isZero();
        assertThat(sim.faults().active()).isEmpty();
        assertThat(http.get("/pg/orders/order_r").status()).isEqualTo(404);
    }

    @Test
    void requestCountsByPrefix() {
        sim.createOrder("order_c1", 100, "INR", Map.of());
        http.get("/pg/orders/order_c1");
        http.get("/pg/orders/order_c1");
        http.get("/pg/orders/order_c1/payments");
        http.get("/pg/orders/other");
        assertThat(sim.requestCount("/pg/orders/order_c1")).isEqualTo(3);
        assertThat(sim.requestCount("/pg/orders/order_c1/payments")).isEqualTo(1);
        assertThat(sim.requestCount("/pg/orders")).isEqualTo(4);
        assertThat(http.get("/__sim/requests?prefix=/pg/orders").json().get("count").asLong()).isEqualTo(4);
    }

    @Test
    void unknownControlEndpointIs404() {
        assertThat(http.get("/__sim/nothing").status()).isEqualTo(404);
    }
}
