package com.commdesk.activities.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.activities.cashfree.CashfreeGateway;
import com.commdesk.activities.cashfree.CashfreeOrder;
import com.commdesk.activities.cashfree.CashfreePayment;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.GstHeads;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.testing.TestDatabases;
import com.commdesk.workflows.payment.PaymentFailures;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.VerifiedPayment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 7: the caller must not pick the fee rule and the GST heads. The revenue source and the
 * place of supply are facts of the Cashfree order (its tags, set when the order was created) and of the
 * community's configuration (the source types it offers); a payment request that contradicts them is
 * refused by verification, non-retryably, before anything is written (docs/decisions.md D16). A request
 * that omits the place of supply takes the order's: the order's fact wins.
 */
class FactsFromTheirSourceTest {
    static final Map<String, String> TAGS = Map.of(PaymentActivitiesImpl.COMMUNITY_TAG, "demo-community",
            "source_type", "EVENT", PaymentActivitiesImpl.PLACE_OF_SUPPLY_TAG, "KA");
    static LedgerDatabase db;
    static PaymentActivitiesImpl activities;

    @BeforeAll
    static void setUp() {
        db = TestDatabases.fresh();
        activities = activities(TAGS);
    }

    @AfterAll
    static void tearDown() throws Exception {
        db.close();
    }

    static PaymentActivitiesImpl activities(Map<String, String> tags) {
        return new PaymentActivitiesImpl(gateway(tags), new CommunityRepository(db.dsl()), null,
                (com.commdesk.ledger.PaymentPoster) null, null, FeePolicy.fixed(FeeSchedules.seedExamples()), null, null,
                new SimpleMeterRegistry());
    }

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

    /** The demo community supplies from KA: the order's KA makes the sale intra-state (CGST + SGST), not IGST. */
    @Test
    void aRequestThatOmitsThePlaceOfSupplyTakesTheOrders() {
        PaymentRequest omitted = request("EVENT", Map.of());
        VerifiedPayment verified = activities.verifyWithCashfree(omitted);
        GstHeads heads = activities.calculateFees(omitted, verified).breakdown().gstHeads();
        assertThat(heads.igstPaise()).as("the order says KA: not an inter-state supply").isZero();
        assertThat(heads.cgstPaise()).isPositive().isEqualTo(heads.sgstPaise());

        GstHeads stated = activities.calculateFees(request("EVENT", Map.of(PaymentActivitiesImpl.PLACE_OF_SUPPLY_TAG, "KA")),
                verified).breakdown().gstHeads();
        assertThat(heads).as("omitting the fact changes nothing").isEqualTo(stated);
    }

    /**
     * Review s12: the order's ticket_price_paise tag was never read, so a payment its webhook started (no metadata) had no
     * ticket price (a convenience-fee rule could never price it), and a request could state another one.
     */
    @Test
    void theTicketPriceIsTheOrdersWhenOmittedAndAContradictionIsRefused() {
        PaymentActivitiesImpl priced = activities(Map.of(PaymentActivitiesImpl.COMMUNITY_TAG, "demo-community",
                PaymentActivitiesImpl.TICKET_PRICE_TAG, "95000"));
        PaymentRequest omitted = request("EVENT", Map.of());
        VerifiedPayment verified = priced.verifyWithCashfree(omitted);
        assertThat(verified.ticketPricePaise()).isEqualTo("95000");
        assertThat(PaymentActivitiesImpl.withOrderFacts(omitted, verified).metadata())
                .containsEntry(PaymentActivitiesImpl.TICKET_PRICE_TAG, "95000");
        assertThat(priced.verifyWithCashfree(request("EVENT", Map.of(PaymentActivitiesImpl.TICKET_PRICE_TAG, "095000"))).ticketPricePaise())
                .as("the same price, written otherwise").isEqualTo("95000");
        assertThatThrownBy(() -> priced.verifyWithCashfree(request("EVENT", Map.of(PaymentActivitiesImpl.TICKET_PRICE_TAG, "100000"))))
                .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
                    assertThat(f.isNonRetryable()).isTrue();
                    assertThat(f.getType()).isEqualTo(PaymentFailures.VERIFICATION_FAILED);
                })
                .hasMessageContaining("ticket_price_paise '95000'");
        // A value that is not whole paise on either side is no contradiction to fail the payment on for good: the fee step
        // refuses it and parks the payment for a person (review of s12).
        PaymentActivitiesImpl rupeesTag = activities(Map.of(PaymentActivitiesImpl.COMMUNITY_TAG, "demo-community",
                PaymentActivitiesImpl.TICKET_PRICE_TAG, "950.00"));
        assertThat(rupeesTag.verifyWithCashfree(request("EVENT", Map.of(PaymentActivitiesImpl.TICKET_PRICE_TAG, "95000"))).ticketPricePaise())
                .isEqualTo("950.00");
        // Without the tag, the request's own (or none) stands, as before.
        assertThat(PaymentActivitiesImpl.withOrderFacts(omitted, activities.verifyWithCashfree(omitted)).metadata())
                .doesNotContainKey(PaymentActivitiesImpl.TICKET_PRICE_TAG);
    }

    /** Without the tag the request's place of supply (or none: IGST) stands, as before. */
    @Test
    void anOrderWithoutThePlaceOfSupplyLeavesTheRequests() {
        PaymentActivitiesImpl untagged = activities(Map.of(PaymentActivitiesImpl.COMMUNITY_TAG, "demo-community"));
        PaymentRequest none = request("EVENT", Map.of());
        assertThat(untagged.calculateFees(none, untagged.verifyWithCashfree(none)).breakdown().gstHeads().igstPaise()).isPositive();
    }

    /**
     * The community offers EVENT and SPONSOR only, and the order is PAID: the customer's money is taken, so a MEMBERSHIP
     * payment is not refused (a FAILED payment books nothing, and its later webhook cannot start it again): it parks for
     * a person with the reason, on the verify step's look and on a look while it awaits its order alike. A RETRY once the
     * community offers it again books it.
     */
    @Test
    void aPaidOrderOfASourceTypeTheCommunityDoesNotOfferParksForAPersonInsteadOfFailing() {
        db.dsl().execute("update community set source_types = '{EVENT,SPONSOR}' where community_id = 'demo-community'");
        try {
            PaymentActivitiesImpl untagged = activities(Map.of(PaymentActivitiesImpl.COMMUNITY_TAG, "demo-community"));
            assertThat(untagged.verifyWithCashfree(request("SPONSOR", Map.of())).cashfreePaymentId()).isEqualTo("cf-pay-1");
            for (var look : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                    () -> untagged.verifyWithCashfree(request("MEMBERSHIP", Map.of())),
                    () -> untagged.verifyLatePayment(request("MEMBERSHIP", Map.of())))) {
                assertThatThrownBy(look)
                        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
                            assertThat(f.isNonRetryable()).as("no retry changes the community's configuration").isTrue();
                            assertThat(f.getType()).isEqualTo(PaymentFailures.SOURCE_NOT_OFFERED)
                                    .isNotEqualTo(PaymentFailures.VERIFICATION_FAILED);
                        })
                        .hasMessageContaining("does not offer source type 'MEMBERSHIP'")
                        .hasMessageContaining("cf-pay-1");
            }
            db.dsl().execute("update community set source_types = null where community_id = 'demo-community'");
            assertThat(untagged.verifyWithCashfree(request("MEMBERSHIP", Map.of())).cashfreePaymentId())
                    .as("offered again: verified").isEqualTo("cf-pay-1");
        } finally {
            db.dsl().execute("update community set source_types = null where community_id = 'demo-community'");
        }
    }
}
