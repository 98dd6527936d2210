package com.commdesk.activities.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.activities.cashfree.CashfreeGateway;
import com.commdesk.activities.cashfree.CashfreeOrder;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.testing.TestDatabases;
import com.commdesk.workflows.payment.PaymentRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.lang.reflect.Proxy;
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
        CashfreeOrder order = new CashfreeOrder("order-1", "cf-order-1", 100_000L, "INR", orderStatus,
                Map.of(PaymentActivitiesImpl.COMMUNITY_TAG, "demo-community"), "cust-1");
        CashfreeGateway gateway = (CashfreeGateway) Proxy.newProxyInstance(CashfreeGateway.class.getClassLoader(),
                new Class<?>[] {CashfreeGateway.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "fetchOrder" -> order;
                    case "fetchPayments" -> List.of();
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

    @Test
    void anExpiredOrTerminatedOrderIsRefused() {
        for (String status : List.of("EXPIRED", "TERMINATED")) {
            assertThatThrownBy(() -> activities(status).verifyLatePayment(request())).as(status)
                    .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
                    .hasMessageContaining("order is " + status + ", not PAID");
        }
    }
}
