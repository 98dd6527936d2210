package com.commdesk.activities.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.activities.cashfree.CashfreeGateway;
import com.commdesk.activities.cashfree.CashfreeOrder;
import com.commdesk.activities.cashfree.CashfreePayment;
import com.commdesk.workflows.payment.PaymentFailures;
import com.commdesk.workflows.payment.PaymentRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 7: the caller must not pick the fee rule and the GST heads. The revenue source and the
 * place of supply are facts of the Cashfree order (its tags, set when the order was created); a payment
 * request that contradicts them is refused by verification, non-retryably, before anything is written
 * (docs/decisions.md D16). Before the fix, verification only compared the community tag.
 */
class FactsFromTheirSourceTest {
    static final Map<String, String> TAGS = Map.of(PaymentActivitiesImpl.COMMUNITY_TAG, "demo-community",
            "source_type", "EVENT", PaymentActivitiesImpl.PLACE_OF_SUPPLY_TAG, "KA");

    final PaymentActivitiesImpl activities = new PaymentActivitiesImpl(gateway(TAGS), new com.commdesk.ledger.CommunityRepository(null), null,
            (com.commdesk.ledger.PaymentPoster) null, null, null, null, null, new SimpleMeterRegistry());

    static CashfreeGateway gateway(Map<String, String> tags) {
        CashfreeOrder order = new CashfreeOrder("order-1", "cf-order-1", 100_000L, "INR", "PAID", tags, "cust-1");
        CashfreePayment paid = new CashfreePayment("cf-pay-1", "order-1", 100_000L, "INR", "SUCCESS", "upi", "UPI", Instant.now());
        return (CashfreeGateway) Proxy.newProxyInstance(CashfreeGateway.class.getClassLoader(), new Class<?>[] {CashfreeGateway.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "fetchOrder" -> order;
                    case "fetchPayments" -> List.of(paid);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static PaymentRequest request(String sourceType, Map<String, String> metadata) {
        return new PaymentRequest("p-1", "demo-community", sourceType, "src-1", "order-1", 100_000L, metadata);
    }

    @Test
    void aRequestThatAgreesWithTheOrderIsVerified() {
        assertThat(activities.verifyWithCashfree(request("EVENT", Map.of(PaymentActivitiesImpl.PLACE_OF_SUPPLY_TAG, "KA")))
                .cashfreePaymentId()).isEqualTo("cf-pay-1");
        assertThat(activities.verifyWithCashfree(request("EVENT", Map.of())).cashfreePaymentId()).isEqualTo("cf-pay-1");
        assertThat(activities.verifyWithCashfree(request("EVENT", Map.of(PaymentActivitiesImpl.PLACE_OF_SUPPLY_TAG, "Karnataka")))
                .cashfreePaymentId()).as("the same state, named otherwise").isEqualTo("cf-pay-1");
    }

    @Test
    void aSourceTypeThatContradictsTheOrderIsRefused() {
        assertThatThrownBy(() -> activities.verifyWithCashfree(request("MEMBERSHIP", Map.of())))
                .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
                    assertThat(f.isNonRetryable()).isTrue();
                    assertThat(f.getType()).isEqualTo(PaymentFailures.VERIFICATION_FAILED);
                })
                .hasMessageContaining("source_type 'EVENT'");
    }

    @Test
    void aPlaceOfSupplyThatContradictsTheOrderIsRefused() {
        assertThatThrownBy(() -> activities.verifyWithCashfree(request("EVENT", Map.of(PaymentActivitiesImpl.PLACE_OF_SUPPLY_TAG, "TN"))))
                .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
                .hasMessageContaining("place_of_supply 'KA'");
    }
}
