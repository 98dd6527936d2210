package com.commdesk.activities.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.FraudRecords;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.PaymentLedger;
import com.commdesk.ledger.PaymentPosting;
import com.commdesk.ledger.testing.TestDatabases;
import com.commdesk.workflows.payment.FraudVerdict;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.VerifiedPayment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every reason the screen gives, in its order, against the real schema; a retried screen keeps its first
 * time and stores the verdict it reaches now; and a clean payment costs the database three statements
 * (issue 13: the screen ran eleven, each a round trip and a rendering — docs/performance.md § 2).
 */
class FraudScreenTest {
    static LedgerDatabase db;
    static DSLContext dsl;
    /** Every statement the screen's connection executes, in order. */
    static final List<String> STATEMENTS = java.util.Collections.synchronizedList(new ArrayList<>());
    static DSLContext counted;
    static final FraudScreen.Rules RULES = new FraudScreen.Rules(1_000_000L, 3, Duration.ofHours(1), 4, Duration.ofMinutes(10),
            3, Duration.ofDays(7));

    @BeforeAll
    static void database() {
        db = TestDatabases.fresh();
        dsl = db.dsl();
        counted = DSL.using(dsl.configuration().deriveAppending(new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                STATEMENTS.add(ctx.sql());
            }
        }));
        for (String c : new String[] {"screen-community", "blocked-community", "capped-community"}) {
            dsl.execute("insert into community (community_id, name) values (?, ?)", c, c);
        }
        dsl.execute("update community set fraud_max_payment_paise = 5000 where community_id = 'capped-community'");
        // Cashfree payment cf-taken is booked under order-first.
        var demo = new CommunityRepository(dsl).find("demo-community").orElseThrow();
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(100_000L, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
        new PaymentLedger(new Ledger(dsl)).postPayment(new PaymentPosting("first", "demo-community", "EVENT", "e", "order-first",
                "cf-taken", "CARD", b, SplitEngine.splitRevenueAcrossRoles(b.netPaise(), demo.roles()), null, null, Map.of()));
        FraudRecords records = new FraudRecords(dsl);
        records.block("CUSTOMER", "bad-customer", "chargebacks", "risk-1");
        records.block("COMMUNITY", "blocked-community", "under investigation", "risk-1");
        records.block("ORDER", "bad-order", "reported stolen card", "risk-1");
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    static FraudScreen screen() {
        return new FraudScreen(new FraudRecords(counted), RULES, new SimpleMeterRegistry());
    }

    static FraudVerdict screen(String paymentId, String community, String order, String cfPaymentId, long amountPaise, String customer) {
        return screen().screen(new PaymentRequest(paymentId, community, "EVENT", paymentId, order, amountPaise, Map.of()),
                new VerifiedPayment(order, cfPaymentId, amountPaise, "INR", "UPI", null, customer));
    }

    static Map<String, Object> row(String paymentId) {
        return dsl.fetchOne("select flagged, reasons, screened_at from payment_screening where payment_id = ?", paymentId).intoMap();
    }

    @Test
    void everyReasonIsGivenInItsOrderAndStoredWithTheScreening() {
        FraudVerdict v = screen("p-all", "blocked-community", "bad-order", "cf-taken", 2_000_000L, "bad-customer");
        assertThat(v.flagged()).isTrue();
        assertThat(v.reasons()).containsExactly(
                "Cashfree payment cf-taken is already booked under order order-first",
                "customer bad-customer is blocklisted: chargebacks",
                "community is blocklisted: under investigation",
                "order is blocklisted: reported stolen card",
                "amount 2000000 paise is above the per-payment cap of 1000000");
        assertThat(row("p-all")).containsEntry("flagged", true).containsEntry("reasons", String.join("; ", v.reasons()));
    }

    @Test
    void theSamePaymentUnderItsOwnOrderAndACommunitysOwnCapAreWhatTheyShouldBe() {
        assertThat(screen("p-own", "screen-community", "order-first", "cf-taken", 100_000L, "someone").reasons())
                .as("cf-taken booked under order-first is this order's own").isEmpty();
        assertThat(screen("p-capped", "capped-community", "order-capped", "cf-capped", 5_001L, "someone-else").reasons())
                .containsExactly("amount 5001 paise is above the per-payment cap of 5000");
        assertThat(screen("p-at-cap", "capped-community", "order-at-cap", "cf-at-cap", 5_000L, "a-third").flagged()).isFalse();
    }

    @Test
    void velocityCountsOtherPaymentsOfTheCustomerAndTheCommunityWithinTheirWindows() {
        // Customer: 3 per hour. Community: floor 4 per 10 minutes (no volume of its own before).
        List<Boolean> customer = new ArrayList<>();
        for (int i = 1; i <= 4; i++) customer.add(screen("p-cust-" + i, "demo-community", "o-cust-" + i, "cf-cust-" + i, 1_000L, "busy-buyer").flagged());
        assertThat(customer).containsExactly(false, false, false, true);
        assertThat(screen("p-cust-4", "demo-community", "o-cust-4", "cf-cust-4", 1_000L, "busy-buyer").reasons())
                .as("a retry counts the others, not itself").containsExactly("velocity: customer busy-buyer made 4 payments within PT1H");

        dsl.execute("insert into community (community_id, name) values ('velocity-community', 'v')");
        List<Boolean> community = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            community.add(screen("p-comm-" + i, "velocity-community", "o-comm-" + i, "cf-comm-" + i, 1_000L, "buyer-" + i).flagged());
        }
        assertThat(community).containsExactly(false, false, false, false, true);
        assertThat(row("p-comm-5").get("reasons")).isEqualTo("velocity: community received 5 payments within PT10M (its limit now: 4)");
    }

    @Test
    void aRetriedScreenKeepsItsFirstTimeAndStoresTheVerdictItReachesNow() throws Exception {
        assertThat(screen("p-retry", "screen-community", "o-retry", "cf-retry", 1_000L, "retry-customer").flagged()).isFalse();
        OffsetDateTime first = (OffsetDateTime) row("p-retry").get("screened_at");

        new FraudRecords(dsl).block("CUSTOMER", "retry-customer", "found later", "risk-2");
        FraudVerdict again = screen("p-retry", "screen-community", "o-retry", "cf-retry", 1_000L, "retry-customer");
        assertThat(again.reasons()).containsExactly("customer retry-customer is blocklisted: found later");
        assertThat(row("p-retry")).containsEntry("screened_at", first).containsEntry("flagged", true)
                .containsEntry("reasons", "customer retry-customer is blocklisted: found later");

        try (LedgerDatabase owner = TestDatabases.owner(db)) { // unblocking is not built: the runtime role may not delete
            owner.dsl().execute("delete from fraud_blocklist where kind = 'CUSTOMER' and value = 'retry-customer'");
        }
        assertThat(screen("p-retry", "screen-community", "o-retry", "cf-retry", 1_000L, "retry-customer").flagged()).isFalse();
        assertThat(row("p-retry")).as("the flag is taken back by the verdict reached now")
                .containsEntry("screened_at", first).containsEntry("flagged", false).containsEntry("reasons", "");
    }

    @Test
    void aCleanPaymentCostsThreeStatements() {
        screen("p-warm", "screen-community", "o-warm", "cf-warm", 1_000L, "warm-customer");
        STATEMENTS.clear();
        assertThat(screen("p-clean", "screen-community", "o-clean", "cf-clean", 1_000L, "clean-customer").flagged()).isFalse();
        assertThat(STATEMENTS).as("facts (claims, blocklist, community settings), the screening, the counts").hasSize(3);
        assertThat(row("p-clean")).containsEntry("flagged", false).containsEntry("reasons", "");
    }
}
