package com.commdesk.activities.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.activities.cashfree.CashfreeGateway;
import com.commdesk.activities.cashfree.CashfreeAnswers;
import com.commdesk.activities.cashfree.CashfreeOrder;
import com.commdesk.activities.cashfree.CashfreePayment;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.testing.TestDatabases;
import com.commdesk.workflows.payment.PaymentRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.lang.reflect.Proxy;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An order Cashfree has not settled one way or the other is not a refusal. {@code TERMINATION_REQUESTED} says a
 * termination was asked for while a payment attempt was still in flight: Cashfree documents that the attempt may still
 * succeed and the order go PAID. Refusing it (FAILED) would leave money Cashfree takes a moment later unbooked.
 */
class UnpaidOrderTest {
    static LedgerDatabase db;

    @BeforeAll
    static void setUp() {
        db = TestDatabases.fresh();
    }

    @AfterAll
    static void tearDown() throws Exception {
        db.close();
    }

    static PaymentActivitiesImpl activities(String orderStatus) {
        return activities(orderStatus, null, null, List.of());
    }

    /**
     * Cashfree with the order in {@code orderStatus} and these payments; {@code terminate} answers Terminate Order (null: the
     * order as it is), {@code lookup} fails every read of the order (null: none does).
     */
    static PaymentActivitiesImpl activities(String orderStatus, RuntimeException terminate, RuntimeException lookup,
                                            List<CashfreePayment> payments) {
        CashfreeOrder order = new CashfreeOrder("order-1", "cf-order-1", 100_000L, "INR", orderStatus,
                Map.of(PaymentActivitiesImpl.COMMUNITY_TAG, "demo-community"), "cust-1");
        CashfreeGateway gateway = (CashfreeGateway) Proxy.newProxyInstance(CashfreeGateway.class.getClassLoader(),
                new Class<?>[] {CashfreeGateway.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "fetchOrder" -> { if (lookup != null) throw lookup; yield order; }
                    case "fetchPayments" -> { if (lookup != null) throw lookup; yield payments; }
                    case "terminateOrder" -> { if (terminate != null) throw terminate; yield order; }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new PaymentActivitiesImpl(gateway, new CommunityRepository(db.dsl()), null, (com.commdesk.ledger.PaymentPoster) null,
                null, FeePolicy.fixed(FeeSchedules.seedExamples()), null, null, new SimpleMeterRegistry());
    }

    static PaymentRequest request() {
        return new PaymentRequest("p-1", "demo-community", "EVENT", "src-1", "order-1", 100_000L, Map.of());
    }

    @Test
    void anOrderWhoseTerminationIsRequestedMayStillBePaid() {
        PaymentActivitiesImpl activities = activities("TERMINATION_REQUESTED");
        assertThat(activities.verifyLatePayment(request())).as("a later look decides").isNull();
        assertThatThrownBy(() -> activities.verifyWithCashfree(request()))
                .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
                    assertThat(f.isNonRetryable()).as("asked again, not refused").isFalse();
                    assertThat(f.getType()).isEqualTo(PaymentActivitiesImpl.ORDER_NOT_PAID_YET);
                });
    }

    static void retried(ThrowingCallable call, String type, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.isNonRetryable()).as("asked again, then parked: never a refusal").isFalse();
            assertThat(f.getType()).isEqualTo(type);
        }).hasMessageContaining(message);
    }

    @Test
    void terminatingEndsThePaymentOnlyOnceTheOrderCanNoLongerBePaid() {
        assertThat(activities("TERMINATED").terminateUnpaidOrder(request())).isNull();
        assertThat(activities("EXPIRED").terminateUnpaidOrder(request())).isNull();
        retried(() -> activities("TERMINATION_REQUESTED").terminateUnpaidOrder(request()),
                PaymentActivitiesImpl.ORDER_TERMINATION_PENDING, "TERMINATION_REQUESTED");
        // Review s15 L1: an order that says TERMINATED while Cashfree lists a payment taken under it is a person's question.
        CashfreePayment taken = new CashfreePayment("cf-pay-9", "order-1", 100_000L, "INR", "SUCCESS", "upi", "UPI", Instant.now());
        retried(() -> activities("TERMINATED", null, null, List.of(taken)).terminateUnpaidOrder(request()),
                PaymentActivitiesImpl.ORDER_CONTRADICTS_ITS_PAYMENTS, "SUCCESS payment cf-pay-9");
        // Review s15 follow-up M2: the order expired during the wait while a UPI payment was pending: a later look asks again.
        CashfreePayment pending = new CashfreePayment("cf-pay-8", "order-1", 100_000L, "INR", "PENDING", "upi", "UPI", Instant.now());
        retried(() -> activities("EXPIRED", null, null, List.of(pending)).verifyLatePayment(request()),
                PaymentActivitiesImpl.ORDER_CONTRADICTS_ITS_PAYMENTS, "PENDING payment cf-pay-8");
    }

    /** Review s15, M3 and M4: what Cashfree answers about terminating or reading the order, when it says nothing of it. */
    @Test
    void aTerminationOrLookThatCashfreeDoesNotAnswerIsAskedAgainNeverAFailure() {
        retried(() -> activities("ACTIVE", CashfreeAnswers.rejected("forbidden", 403, null), null, List.of()).terminateUnpaidOrder(request()),
                "CashfreeUnavailable", "credentials");
        retried(() -> activities("ACTIVE", CashfreeAnswers.unavailable("503"), null, List.of()).terminateUnpaidOrder(request()),
                "CashfreeUnavailable", "503");
        retried(() -> activities("ACTIVE", CashfreeAnswers.rejected("terminate not enabled for this merchant", 400, "request_failed"),
                        null, List.of()).terminateUnpaidOrder(request()),
                PaymentActivitiesImpl.ORDER_TERMINATION_REFUSED, "terminate not enabled for this merchant");
        // Refused, and the order lists a payment under it though it says it expired: both said in the one failure.
        CashfreePayment pendingUnder = new CashfreePayment("cf-pay-7", "order-1", 100_000L, "INR", "PENDING", "upi", "UPI", Instant.now());
        retried(() -> activities("EXPIRED", CashfreeAnswers.rejected("order has expired", 400, "order_expired"), null, List.of(pendingUnder))
                .terminateUnpaidOrder(request()), PaymentActivitiesImpl.ORDER_CONTRADICTS_ITS_PAYMENTS, "Cashfree refused to terminate it: order has expired");
        // The termination went through, but the look that follows is refused (keys rotated) or finds nothing.
        retried(() -> activities("TERMINATION_REQUESTED", null, CashfreeAnswers.rejected("authentication Failed", 401, null), List.of())
                .terminateUnpaidOrder(request()), PaymentActivitiesImpl.ORDER_LOOKUP_REFUSED, "authentication Failed");
        retried(() -> activities("ACTIVE", null, CashfreeAnswers.notFound("order not found"), List.of())
                .verifyLatePayment(request()), PaymentActivitiesImpl.ORDER_LOOKUP_REFUSED, "order not found");
        // The verify step's first look still refuses an order Cashfree does not have.
        assertThatThrownBy(() -> activities("ACTIVE", null, CashfreeAnswers.notFound("order not found"),
                List.of()).verifyWithCashfree(request())).isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue());
        // A refusal of a paid order is no refusal: the order is booked.
        CashfreePayment paid = new CashfreePayment("cf-pay-1", "order-1", 100_000L, "INR", "SUCCESS", "upi", "UPI", Instant.now());
        assertThat(activities("PAID", CashfreeAnswers.rejected("order already paid", 400, "order_already_paid"), null, List.of(paid))
                .terminateUnpaidOrder(request()).cashfreePaymentId()).isEqualTo("cf-pay-1");
    }

    @Test
    void anExpiredOrTerminatedOrderIsRefused() {
        for (String status : List.of("EXPIRED", "TERMINATED")) {
            assertThatThrownBy(() -> activities(status).verifyLatePayment(request())).as(status)
                    .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
                    .hasMessageContaining("order is " + status + ", not PAID");
        }
    }
}
