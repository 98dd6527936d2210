package com.commdesk.activities.cashfree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.cashfree.sim.CashfreeSimulator;
import com.commdesk.cashfree.sim.ExchangeRecorder;
import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.cashfree.sim.SimOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The adapter (its own JSON for the writes, the real cashfree_pg SDK for the reads) against the simulator, over HTTP: the happy paths and amounts. */
class CashfreePgAdapterTest {

    static CashfreeSimulator sim;
    static CashfreePgAdapter adapter;

    @BeforeAll
    static void start() {
        sim = CashfreeTestSupport.startSimulator();
        adapter = new CashfreePgAdapter(CashfreeTestSupport.configFor(sim, Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stop() {
        adapter.close();
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.reset();
    }

    @Test
    void fetchOrderOfAPaidOrder() {
        SimOrder paid = sim.createPaidOrder("evt_42-reg_7", 250_000, "INR", Map.of("event_id", "42", "registration", "7"),
                PaymentMethod.UPI);
        CashfreeOrder o = adapter.fetchOrder("evt_42-reg_7");
        assertThat(o).isEqualTo(new CashfreeOrder("evt_42-reg_7", paid.cfOrderId(), 250_000, "INR", "PAID",
                Map.of("event_id", "42", "registration", "7"), "sim_customer"));
        assertThat(sim.requestCount("/pg/orders/evt_42-reg_7")).isEqualTo(1);
    }

    @Test
    void fetchOrderOfAnActiveOrderWithoutTags() {
        sim.createOrder("order_active", 100, "INR", null);
        CashfreeOrder o = adapter.fetchOrder("order_active");
        assertThat(o.status()).isEqualTo("ACTIVE");
        assertThat(o.tags()).isEmpty();
        assertThat(adapter.fetchPayments("order_active")).isEmpty();
    }

    @Test
    void terminateOrderEndsAnActiveOrderAndLeavesAPaidOneAsItIs() {
        sim.createOrder("order_t1", 100, "INR", null);
        assertThat(adapter.terminateOrder("order_t1").status()).isEqualTo("TERMINATED");
        assertThat(adapter.terminateOrder("order_t1").status()).as("asked again").isEqualTo("TERMINATED");
        assertThat(adapter.fetchOrder("order_t1").status()).isEqualTo("TERMINATED");

        sim.createPaidOrder("order_t2", 100, "INR", Map.of(), PaymentMethod.UPI);
        assertThat(adapter.terminateOrder("order_t2").status()).isEqualTo("PAID");

        sim.createOrder("order_t3", 100, "INR", null);
        sim.beginAttempt("order_t3");
        assertThat(adapter.terminateOrder("order_t3").status()).isEqualTo("TERMINATION_REQUESTED");

        assertThatThrownBy(() -> adapter.terminateOrder("order_none")).isInstanceOf(CashfreeNotFoundException.class);
    }

    @Test
    void fetchPaymentsOfAPaidOrder() {
        Instant before = Instant.now().minusSeconds(1);
        SimOrder paid = sim.createPaidOrder("order_pp", 99_900, "INR", Map.of(), PaymentMethod.CARD);
        List<CashfreePayment> payments = adapter.fetchPayments("order_pp");
        assertThat(payments).singleElement().satisfies(p -> {
            assertThat(p.cfPaymentId()).isEqualTo(paid.payments().get(0).cfPaymentId());
            assertThat(p.orderId()).isEqualTo("order_pp");
            assertThat(p.amountPaise()).isEqualTo(99_900);
            assertThat(p.currency()).isEqualTo("INR");
            assertThat(p.status()).isEqualTo("SUCCESS");
            assertThat(p.paymentGroup()).isEqualTo("credit_card");
            assertThat(p.paymentMethod()).isEqualTo("CARD");
            assertThat(p.paymentTime()).isBetween(before, Instant.now().plusSeconds(1));
        });
    }

    @ParameterizedTest
    @CsvSource({"UPI,upi,UPI", "CARD,credit_card,CARD", "NETBANKING,net_banking,NETBANKING", "WALLET,wallet,WALLET"})
    void paymentMethodsAreNormalised(PaymentMethod method, String group, String normalised) {
        sim.createPaidOrder("order_m_" + method, 1_000, "INR", Map.of(), method);
        CashfreePayment p = adapter.fetchPayments("order_m_" + method).get(0);
        assertThat(p.paymentGroup()).isEqualTo(group);
        assertThat(p.paymentMethod()).isEqualTo(normalised);
    }

    @Test
    void normalisationOfOtherGroups() {
        assertThat(CashfreePgAdapter.normalisePaymentMethod("debit_card")).isEqualTo("CARD");
        assertThat(CashfreePgAdapter.normalisePaymentMethod("prepaid_card")).isEqualTo("CARD");
        assertThat(CashfreePgAdapter.normalisePaymentMethod("credit_card_emi")).isEqualTo("OTHER");
        assertThat(CashfreePgAdapter.normalisePaymentMethod("pay_later")).isEqualTo("OTHER");
        assertThat(CashfreePgAdapter.normalisePaymentMethod("cardless_emi")).isEqualTo("OTHER");
        assertThat(CashfreePgAdapter.normalisePaymentMethod(null)).isEqualTo("OTHER");
        assertThat(CashfreePgAdapter.normalisePaymentMethod("UPI")).isEqualTo("UPI");
    }

    @Test
    void createOrderSendsExactlyWhatWasAsked() {
        CashfreeOrder created = adapter.createOrder(new NewOrder("order_new-1", 123_456, "INR", "cust_9", "9876543210",
                Map.of("event_id", "e-1")));
        assertThat(created.orderId()).isEqualTo("order_new-1");
        assertThat(created.cfOrderId()).isNotBlank();
        assertThat(created.status()).isEqualTo("ACTIVE");
        assertThat(created.amountPaise()).isEqualTo(123_456);
        assertThat(created.tags()).isEqualTo(Map.of("event_id", "e-1"));
        SimOrder atCashfree = sim.order("order_new-1").orElseThrow();
        assertThat(atCashfree.amountPaise()).isEqualTo(123_456);
        assertThat(atCashfree.customerId()).isEqualTo("cust_9");
        assertThat(atCashfree.customerPhone()).isEqualTo("9876543210");
        assertThat(adapter.fetchOrder("order_new-1")).isEqualTo(created);
    }

    @Test
    void createOrderIsIdempotentPerOrderId() {
        NewOrder order = new NewOrder("order_twice", 5_000, "INR", "cust_1", "9876543210", Map.of());
        CashfreeOrder first = adapter.createOrder(order);
        CashfreeOrder second = adapter.createOrder(order); // replayed from the idempotency key
        assertThat(second).isEqualTo(first);
        assertThat(sim.orderCount()).isEqualTo(1);

        // The same order id created elsewhere (no idempotency key of ours): 409, then fetched and compared.
        sim.createOrder("order_elsewhere", 7_500, "INR", Map.of());
        CashfreeOrder existing = adapter.createOrder(new NewOrder("order_elsewhere", 7_500, "INR", "cust_1", "9876543210", Map.of()));
        assertThat(existing.amountPaise()).isEqualTo(7_500);

        // The same order id with another amount is refused, not silently accepted.
        assertThatThrownBy(() -> adapter.createOrder(new NewOrder("order_elsewhere", 7_600, "INR", "cust_1", "9876543210", Map.of())))
                .isInstanceOf(CashfreeRejectedException.class)
                .hasMessageContaining("7500 paise");
    }

    /** Awkward amounts survive Cashfree → SDK → adapter exactly (orders seeded below Cashfree's ₹1 minimum). */
    @ParameterizedTest
    @ValueSource(longs = {1L, 7L, 99L, 100L, 123_456_789L, 1_000_000_000_000L})
    void fetchedAmountsRoundTripExactly(long paise) {
        String id = "order_amt_" + paise;
        sim.createPaidOrder(id, paise, "INR", Map.of(), PaymentMethod.UPI);
        assertThat(adapter.fetchOrder(id).amountPaise()).isEqualTo(paise);
        assertThat(adapter.fetchPayments(id).get(0).amountPaise()).isEqualTo(paise);
    }

    /** Awkward amounts survive adapter → our JSON (BigDecimal rupees) → Cashfree exactly. */
    @ParameterizedTest
    @ValueSource(longs = {100L, 101L, 1_010L, 123_456_789L, 999_999_999_999L, 1_000_000_000_000L, 100_000_000_000_001L})
    void createdAmountsRoundTripExactly(long paise) {
        String id = "order_c_" + paise;
        CashfreeOrder created = adapter.createOrder(new NewOrder(id, paise, "INR", "cust_1", "9876543210", Map.of()));
        assertThat(created.amountPaise()).isEqualTo(paise);
        assertThat(sim.order(id).orElseThrow().amountPaise()).isEqualTo(paise);
    }

    @Test
    void shortPaymentOfSevenPaiseIsReportedExactly() {
        sim.createOrder("order_short", 100, "INR", Map.of());
        sim.pay("order_short", PaymentMethod.UPI, 7);
        CashfreePayment p = adapter.fetchPayments("order_short").get(0);
        assertThat(p.amountPaise()).isEqualTo(7);
        assertThat(adapter.fetchOrder("order_short").amountPaise()).isEqualTo(100);
    }

    @Test
    void sentAmountsBelowCashfreesMinimumAreRejectedByCashfree() {
        assertThatThrownBy(() -> adapter.createOrder(new NewOrder("order_tiny", 1, "INR", "cust_1", "9876543210", Map.of())))
                .isInstanceOfSatisfying(CashfreeRejectedException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.errorCode()).contains("order_amount_invalid");
                    assertThat(e.retryable()).isFalse();
                });
    }

    /**
     * 9,007,199,254,740,993 paise is 2^53 + 1: its double is 2^53, so the old Double path (the SDK's
     * {@code orderAmount}) could only refuse it or send another amount. Now it goes out as written.
     */
    @Test
    void amountsADoubleCannotCarryGoOutExactly() {
        long paise = 9_007_199_254_740_993L;
        CashfreeOrder created = adapter.createOrder(new NewOrder("order_huge", paise, "INR", "cust_1", "9876543210", Map.of()));
        assertThat(created.amountPaise()).isEqualTo(paise);
        assertThat(sim.order("order_huge").orElseThrow().amountPaise()).isEqualTo(paise);
        assertThat(lastRequestBody("POST", "/pg/orders", "order_huge")).contains("\"order_amount\":90071992547409.93,");

        sim.pay("order_huge", PaymentMethod.UPI, paise);
        var refund = adapter.createRefund("order_huge", "rf_huge", paise, "seat cancelled");
        assertThat(refund.amountPaise()).isEqualTo(paise);
        assertThat(sim.refunds().find("rf_huge").orElseThrow().amountPaise()).isEqualTo(paise);
        assertThat(lastRequestBody("POST", "/pg/orders/order_huge/refunds", "rf_huge")).contains("\"refund_amount\":90071992547409.93,");
    }

    /**
     * The raw JSON the simulator received: rupees as a JSON number with exactly two decimals, never a
     * double's text ("1.0000000000001E11", "50.0").
     */
    @Test
    void theWireCarriesRupeesWithExactlyTwoDecimals() {
        adapter.createOrder(new NewOrder("order_wire_big", 10_000_000_000_001L, "INR", "cust_1", "9876543210", Map.of("k", "v")));
        assertThat(lastRequestBody("POST", "/pg/orders", "order_wire_big")).isEqualTo("{\"order_id\":\"order_wire_big\",\"order_amount\":100000000000.01,"
                + "\"order_currency\":\"INR\",\"customer_details\":{\"customer_id\":\"cust_1\",\"customer_phone\":\"9876543210\"},"
                + "\"order_tags\":{\"k\":\"v\"}}");
        adapter.createOrder(new NewOrder("order_wire_50", 5_000, "INR", "cust_1", "9876543210", Map.of()));
        assertThat(lastRequestBody("POST", "/pg/orders", "order_wire_50")).isEqualTo("{\"order_id\":\"order_wire_50\",\"order_amount\":50.00,"
                + "\"order_currency\":\"INR\",\"customer_details\":{\"customer_id\":\"cust_1\",\"customer_phone\":\"9876543210\"}}");
        assertThat(sim.order("order_wire_big").orElseThrow().amountPaise()).isEqualTo(10_000_000_000_001L);

        sim.pay("order_wire_50", PaymentMethod.UPI, 5_000);
        assertThat(adapter.createRefund("order_wire_50", "rf_wire_7", 7, "seat cancelled").amountPaise()).isEqualTo(7);
        assertThat(lastRequestBody("POST", "/pg/orders/order_wire_50/refunds", "rf_wire_7"))
                .isEqualTo("{\"refund_amount\":0.07,\"refund_id\":\"rf_wire_7\",\"refund_note\":\"seat cancelled\"}");
        assertThat(adapter.createRefund("order_wire_50", "rf_wire_10", 1_000, null).amountPaise()).isEqualTo(1_000);
        assertThat(lastRequestBody("POST", "/pg/orders/order_wire_50/refunds", "rf_wire_10"))
                .isEqualTo("{\"refund_amount\":10.00,\"refund_id\":\"rf_wire_10\"}");
        assertThat(sim.refunds().find("rf_wire_7").orElseThrow().amountPaise()).isEqualTo(7);
    }

    /**
     * An order the SDK build created (its body said {@code "order_amount":50.0}) whose answer was lost, retried by
     * this build ({@code 50.00}) with the same x-idempotency-key: Cashfree answers 422 idempotency_error (the
     * bytes differ); that is "this key was used", so the order is fetched and compared as for a 409.
     */
    @Test
    void aRetryAfterTheSdkBuildsAttemptIsFetchedAndCompared() throws Exception {
        String key = java.util.UUID.nameUUIDFromBytes("commdesk/cashfree/create-order/order_upgrade".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).toString();
        var sdkAttempt = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.baseUrl() + "/pg/orders"))
                .header("x-client-id", CashfreeTestSupport.CLIENT_ID).header("x-client-secret", CashfreeTestSupport.CLIENT_SECRET)
                .header("x-api-version", "2023-08-01").header("x-idempotency-key", key).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"order_id\":\"order_upgrade\",\"order_amount\":50.0,"
                        + "\"order_currency\":\"INR\",\"customer_details\":{\"customer_id\":\"cust_1\",\"customer_phone\":\"9876543210\"}}"))
                .build();
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            assertThat(http.send(sdkAttempt, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        CashfreeOrder again = adapter.createOrder(new NewOrder("order_upgrade", 5_000, "INR", "cust_1", "9876543210", Map.of()));
        assertThat(again.amountPaise()).isEqualTo(5_000);
        assertThat(sim.orderCount()).isEqualTo(1);
        assertThatThrownBy(() -> adapter.createOrder(new NewOrder("order_upgrade", 5_001, "INR", "cust_1", "9876543210", Map.of())))
                .isInstanceOf(CashfreeRejectedException.class).hasMessageContaining("5000 paise");
    }

    @Test
    void aRefundOfNothingIsRefusedBeforeSending() {
        sim.createPaidOrder("order_rf0", 1_000, "INR", Map.of(), PaymentMethod.UPI);
        long before = sim.requestCount("/pg/orders/order_rf0/refunds");
        for (long paise : new long[] {0, -1}) {
            assertThatThrownBy(() -> adapter.createRefund("order_rf0", "rf_zero", paise, null))
                    .isInstanceOfSatisfying(CashfreeRejectedException.class, e -> {
                        assertThat(e.httpStatus()).isZero();
                        assertThat(e.getMessage()).contains("refused before sending");
                    });
        }
        assertThat(sim.requestCount("/pg/orders/order_rf0/refunds")).isEqualTo(before);
    }

    /**
     * The request body of the last exchange the simulator recorded for this method and path whose body names
     * {@code id} (the order or refund id). The simulator records
     * an exchange once its answer is written, so the last one may land just after our call returned: wait a little.
     */
    private static String lastRequestBody(String method, String path, String id) {
        List<ExchangeRecorder.Exchange> all = List.of();
        for (int attempt = 0; attempt < 100; attempt++) {
            all = sim.exchanges();
            for (int i = all.size() - 1; i >= 0; i--) {
                if (all.get(i).method().equals(method) && all.get(i).path().equals(path)
                        && all.get(i).requestBody().contains("\"" + id + "\"")) {
                    return all.get(i).requestBody();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no " + method + " " + path + " for " + id + " among " + all.size() + " exchanges");
    }

    @Test
    void invalidOrderIdIsRejectedByCashfree() {
        assertThatThrownBy(() -> adapter.createOrder(new NewOrder("a b", 1_000, "INR", "cust_1", "9876543210", Map.of())))
                .isInstanceOfSatisfying(CashfreeRejectedException.class,
                        e -> assertThat(e.errorCode()).contains("order_id_invalid"));
    }

    @Test
    void aRefundCashfreeAlreadyHasIsFetchedAndTheRefundGoesOn() {
        sim.createPaidOrder("rf_adapter", 10_000L, "INR", java.util.Map.of("community_id", "c1"), com.commdesk.cashfree.sim.PaymentMethod.UPI);
        sim.refunds().scenario("rf_a_1", com.commdesk.cashfree.sim.RefundBook.Outcome.PENDING);
        var first = adapter.createRefund("rf_adapter", "rf_a_1", 2_500L, "seat cancelled");
        assertThat(first.status()).isEqualTo("PENDING");

        // A retry after a lost answer: Cashfree says 409 refund_already_exists; the adapter fetches it.
        var again = adapter.createRefund("rf_adapter", "rf_a_1", 2_500L, "seat cancelled");
        assertThat(again.cfRefundId()).isEqualTo(first.cfRefundId());
        assertThat(sim.refunds().count()).isEqualTo(1);
        assertThatThrownBy(() -> adapter.createRefund("rf_adapter", "rf_a_1", 2_600L, "seat cancelled"))
                .isInstanceOf(CashfreeRejectedException.class).hasMessageContaining("not 2600");

        assertThat(adapter.refund("rf_adapter", "rf_a_1")).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo("PENDING"));
        assertThat(adapter.refund("rf_adapter", "no_such_refund")).isEmpty();
        sim.refunds().settle("rf_a_1", com.commdesk.cashfree.sim.RefundBook.Outcome.SUCCESS);
        assertThat(adapter.refund("rf_adapter", "rf_a_1")).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo("SUCCESS"));
        sim.refunds().scenario("rf_a_2", com.commdesk.cashfree.sim.RefundBook.Outcome.PENDING);
        adapter.createRefund("rf_adapter", "rf_a_2", 100L, "seat cancelled");
        sim.refunds().settle("rf_a_2", com.commdesk.cashfree.sim.RefundBook.Outcome.FAILED);
        assertThat(adapter.refund("rf_adapter", "rf_a_2")).as("the SDK cannot decode FAILED: unknown, never an outcome")
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo("UNKNOWN"));
    }
}
