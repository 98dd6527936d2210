package com.commdesk.activities.cashfree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.cashfree.sim.CashfreeSimulator;
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

/** The adapter on the real cashfree_pg SDK against the simulator, over HTTP: the happy paths and amounts. */
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

    /** Awkward amounts survive adapter → SDK's Double → Gson → Cashfree exactly. */
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

    @Test
    void amountsThatADoubleCannotCarryAreRefusedBeforeSending() {
        long before = sim.requestCount("/pg/orders");
        assertThatThrownBy(() -> adapter.createOrder(new NewOrder("order_huge", 9_007_199_254_740_993L, "INR", "cust_1",
                "9876543210", Map.of())))
                .isInstanceOfSatisfying(CashfreeRejectedException.class, e -> {
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.getMessage()).contains("cannot be sent exactly");
                });
        assertThat(sim.requestCount("/pg/orders")).isEqualTo(before);
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
