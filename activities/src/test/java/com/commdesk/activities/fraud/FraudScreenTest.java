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
import org.junit.jupiter.api.Nested;
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
        dsl.execute("insert into community (community_id, name) values ('blocked-community', 'blocked')");
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

    static final java.util.concurrent.atomic.AtomicInteger SEQ = new java.util.concurrent.atomic.AtomicInteger();

    /** A community of the test's own (no test counts another's payments); {@code settings} as SQL, or null. */
    static String community(String settings) {
        String c = "c-" + SEQ.incrementAndGet();
        dsl.execute("insert into community (community_id, name) values (?, ?)", c, c);
        if (settings != null) dsl.execute("update community set " + settings + " where community_id = ?", c);
        return c;
    }

    @Test
    void theSamePaymentUnderItsOwnOrderAndACommunitysOwnCapAreWhatTheyShouldBe() {
        assertThat(screen("p-own", community(null), "order-first", "cf-taken", 100_000L, "someone").reasons())
                .as("cf-taken booked under order-first is this order's own").isEmpty();
        String capped = community("fraud_max_payment_paise = 5000");
        assertThat(screen("p-capped", capped, "order-capped", "cf-capped", 5_001L, "someone-else").reasons())
                .containsExactly("amount 5001 paise is above the per-payment cap of 5000");
        assertThat(screen("p-at-cap", capped, "order-at-cap", "cf-at-cap", 5_000L, "a-third").flagged()).isFalse();
    }

    @Test
    void velocityCountsOtherPaymentsOfTheCustomerAndTheCommunityWithinTheirWindows() {
        // Customer: 3 per hour. Community: floor 4 per 10 minutes (no volume of its own before).
        String shop = community(null);
        List<Boolean> customer = new ArrayList<>();
        for (int i = 1; i <= 4; i++) customer.add(screen("p-cust-" + i, shop, "o-cust-" + i, "cf-cust-" + i, 1_000L, "busy-buyer").flagged());
        assertThat(customer).containsExactly(false, false, false, true);
        assertThat(screen("p-cust-4", shop, "o-cust-4", "cf-cust-4", 1_000L, "busy-buyer").reasons())
                .as("a retry counts the others, not itself").containsExactly("velocity: customer busy-buyer made 4 payments within PT1H");

        String busy = community(null);
        List<Boolean> community = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            community.add(screen("p-comm-" + i, busy, "o-comm-" + i, "cf-comm-" + i, 1_000L, "buyer-" + i).flagged());
        }
        assertThat(community).containsExactly(false, false, false, false, true);
        assertThat(row("p-comm-5").get("reasons")).isEqualTo("velocity: community received 5 payments within PT10M (its limit now: 4)");
    }

    /** The cap, then the customer's velocity, then the community's: one verdict, in that order. */
    @Test
    void theCapAndBothVelocitiesAreGivenInThatOrder() {
        String c = community("fraud_velocity_floor = 2");
        for (int i = 1; i <= 3; i++) screen("p-order-" + i, c, "o-order-" + i, "cf-order-" + i, 1_000L, "repeat-buyer");
        assertThat(screen("p-order-4", c, "o-order-4", "cf-order-4", 2_000_000L, "repeat-buyer").reasons()).containsExactly(
                "amount 2000000 paise is above the per-payment cap of 1000000",
                "velocity: customer repeat-buyer made 4 payments within PT1H",
                "velocity: community received 4 payments within PT10M (its limit now: 2)");
    }

    /**
     * Every bound of every window, one microsecond either side: the customer's window and the community's are inclusive
     * at both ends; the baseline counted from its first instant until (not including) its end; the payment itself and
     * later ones never count.
     */
    @Test
    void velocityCountsEveryBoundOfEveryWindow() {
        String c = community(null), other = community(null);
        OffsetDateTime at = OffsetDateTime.parse("2026-06-01T12:00:00Z");
        Duration hour = Duration.ofHours(1), window = Duration.ofMinutes(10);
        Duration micro = Duration.ofNanos(1_000);
        OffsetDateTime windowStart = at.minus(window), until = windowStart, from = until.minus(Duration.ofDays(7).minus(window));
        Object[][] rows = {
            {"v-self", c, "k", at},                                  // the payment itself
            {"v-1", c, "k", at},                                     // customer, community window
            {"v-2", other, "k", at.minus(hour)},                     // customer (its first instant)
            {"v-3", other, "k", at.minus(hour).minus(micro)},        // none
            {"v-4", c, "x4", windowStart},                           // community window; the baseline's end: not in it
            {"v-5", c, "x5", until.minus(micro)},                    // baseline (its last instant)
            {"v-6", c, "x6", from},                                  // baseline (its first instant)
            {"v-7", c, "x7", from.minus(micro)},                     // none
            {"v-8", c, "k", at.plus(micro)},                         // none: after
        };
        for (Object[] r : rows) {
            dsl.execute("insert into payment_screening (payment_id, community_id, customer_id, amount_paise, flagged, screened_at) "
                    + "values (?, ?, ?, 1000, false, cast(? as timestamptz))", r[0], r[1], r[2], r[3].toString());
        }
        FraudRecords records = new FraudRecords(dsl);
        assertThat(records.velocity("v-self", "k", hour, c, window, from, until, at)).isEqualTo(new FraudRecords.Velocity(2, 2, 2));
        assertThat(records.velocity("v-self", null, hour, c, window, from, until, at)).as("no customer")
                .isEqualTo(new FraudRecords.Velocity(0, 2, 2));
        assertThat(records.velocity("v-self", "k", hour, c, window, null, null, at)).as("no baseline asked for")
                .isEqualTo(new FraudRecords.Velocity(2, 2, 0));
        assertThat(records.velocity("v-1", "k", hour, c, window, from, until, at)).as("another payment: v-self counts, v-1 does not")
                .isEqualTo(new FraudRecords.Velocity(2, 2, 2));
    }

    /** No customer, no Cashfree payment id, a community not on record: the rules' thresholds, nothing to flag, three statements. */
    @Test
    void aPaymentWithNothingToLookUpIsScreenedByTheRules() {
        STATEMENTS.clear();
        FraudVerdict v = screen("p-bare", "not-on-record", "o-bare", null, 1_000_000L, null);
        assertThat(v.reasons()).isEmpty();
        assertThat(STATEMENTS).hasSize(3);
        for (int i = 1; i <= 4; i++) screen("p-bare-" + i, "not-on-record", "o-bare-" + i, null, 1_000L, null);
        assertThat(screen("p-bare-5", "not-on-record", "o-bare-5", null, 1_000_001L, null).reasons())
                .as("no customer velocity without a customer; the rules' cap and floor")
                .containsExactly("amount 1000001 paise is above the per-payment cap of 1000000",
                        "velocity: community received 6 payments within PT10M (its limit now: 4)");
    }

    @Test
    void aRetriedScreenKeepsItsFirstTimeAndStoresTheVerdictItReachesNow() throws Exception {
        String c = community(null);
        assertThat(screen("p-retry", c, "o-retry", "cf-retry", 1_000L, "retry-customer").flagged()).isFalse();
        OffsetDateTime first = (OffsetDateTime) row("p-retry").get("screened_at");

        new FraudRecords(dsl).block("CUSTOMER", "retry-customer", "found later", "risk-2");
        FraudVerdict again = screen("p-retry", c, "o-retry", "cf-retry", 1_000L, "retry-customer");
        assertThat(again.reasons()).containsExactly("customer retry-customer is blocklisted: found later");
        assertThat(row("p-retry")).containsEntry("screened_at", first).containsEntry("flagged", true)
                .containsEntry("reasons", "customer retry-customer is blocklisted: found later");

        try (LedgerDatabase owner = TestDatabases.owner(db)) { // unblocking is not built: the runtime role may not delete
            owner.dsl().execute("delete from fraud_blocklist where kind = 'CUSTOMER' and value = 'retry-customer'");
        }
        assertThat(screen("p-retry", c, "o-retry", "cf-retry", 1_000L, "retry-customer").flagged()).isFalse();
        assertThat(row("p-retry")).as("the flag is taken back by the verdict reached now")
                .containsEntry("screened_at", first).containsEntry("flagged", false).containsEntry("reasons", "");
    }

    @Test
    void aCleanPaymentCostsThreeStatements() {
        String c = community(null);
        screen("p-warm", c, "o-warm", "cf-warm", 1_000L, "warm-customer");
        STATEMENTS.clear();
        assertThat(screen("p-clean", c, "o-clean", "cf-clean", 1_000L, "clean-customer").flagged()).isFalse();
        assertThat(STATEMENTS).as("facts (claims, blocklist, community settings), the screening, the counts").hasSize(3);
        assertThat(row("p-clean")).containsEntry("flagged", false).containsEntry("reasons", "");
    }

    /**
     * Community velocity is measured against the community's own recent volume: a community that usually sells many
     * tickets is not parked on its event night, a dormant one that suddenly takes many is (docs/communities.md).
     */
    @Nested
    class CommunityVolume {
        /** Floor 5 payments per 10 minutes, or 3 x the community's own average window over the last 7 days. */
        final FraudScreen.Rules volumeRules = new FraudScreen.Rules(50_000_000L, 1_000_000, Duration.ofHours(1), 5,
                Duration.ofMinutes(10), 3, Duration.ofDays(7));

        /** {@code perWindow} past payments in every 10-minute window of the last week (excluding the current one). */
        void history(String community, int perWindow) {
            history(community, perWindow, "h");
        }

        /** The same, with payment ids tagged {@code tag} (a second history of one community needs ids of its own). */
        void history(String community, int perWindow, String tag) {
            dsl.execute("""
                    insert into payment_screening (payment_id, community_id, customer_id, amount_paise, flagged, screened_at)
                    select ? || '-' || ? || '-' || w || '-' || i, ?, 'c-' || w || '-' || i, 10000, false,
                           now() - make_interval(mins => 10 * w + 5)
                      from generate_series(1, 1007) w, generate_series(1, ?) i""", community, tag, community, perWindow);
        }

        /** {@code payments} already screened into the community in the last five minutes, each by a customer of its own. */
        void eventSoFar(String community, int payments) {
            dsl.execute("""
                    insert into payment_screening (payment_id, community_id, customer_id, amount_paise, flagged, screened_at)
                    select ? || '-event-' || i, ?, ? || '-buyer-' || i, 10000, false, now() - make_interval(secs => 300 * i / ?)
                      from generate_series(1, ?) i""", community, community, community, payments, payments);
        }

        /** Screens {@code payments} new payments into the community now, each by a customer of its own; each verdict. */
        List<Boolean> burst(FraudScreen.Rules rules, String community, int payments, String customer) {
            FraudScreen s = new FraudScreen(new FraudRecords(dsl), rules, new SimpleMeterRegistry());
            List<Boolean> flagged = new ArrayList<>();
            for (int i = 0; i < payments; i++) {
                String id = community + "-now-" + SEQ.incrementAndGet();
                flagged.add(s.screen(new PaymentRequest(id, community, "EVENT", id, "ord-" + id, 10000, Map.of()),
                        new VerifiedPayment("ord-" + id, "cf-" + id, 10000, "INR", "UPI", null, customer != null ? customer : "cust-" + id))
                        .flagged());
            }
            return flagged;
        }

        boolean lastOf(List<Boolean> verdicts) {
            return verdicts.get(verdicts.size() - 1);
        }

        @Test
        void aBusyCommunitysEventNightIsNotParked() {
            String busy = community(null);
            history(busy, 20); // usually 20 per window: 3 x 20 = 60 allowed now
            assertThat(burst(volumeRules, busy, 50, null)).as("50 in ten minutes is within 3x its usual 20").containsOnly(false);
        }

        @Test
        void aDormantCommunityThatSuddenlyTakesManyIsParked() {
            String quiet = community(null);
            assertThat(burst(volumeRules, quiet, 5, null)).as("the floor").containsOnly(false);
            assertThat(lastOf(burst(volumeRules, quiet, 2, null))).as("beyond the floor, with no volume of its own").isTrue();
        }

        /**
         * A community's own multiplier: 3 payments in each window of the last 7 days make its usual volume; with its
         * multiplier 2 the limit is 6, with the rules' 3 it would be 9.
         */
        @Test
        void aCommunitysOwnMultiplierScalesItsOwnVolume() {
            String c = community("fraud_velocity_multiplier = 2");
            history(c, 3);
            assertThat(burst(volumeRules, c, 7, null)).containsExactly(false, false, false, false, false, false, true);
        }

        /**
         * A community's baseline week is counted in whole minutes, once a minute by a worker. The screenings are written
         * beforehand with chosen times (each screen then takes a retry's path and uses that time), at minute M:
         * the week holds 1,007 screenings, one per window (limit 3 x 1 = 3; one more would make it 3 x 2 = 6), and one
         * more lies at M + 0.2 s, after the week of a window starting at M + 0.5 s and before that window.
         */
        @Test
        void aCommunitysBaselineWeekIsCountedOnceAMinute() {
            String c = community("fraud_velocity_floor = 1");
            OffsetDateTime m = OffsetDateTime.parse("2026-06-01T12:00:00Z");
            dsl.execute("""
                    insert into payment_screening (payment_id, community_id, customer_id, amount_paise, flagged, screened_at)
                    select ? || '-week-' || w, ?, 'week-' || w, 10000, false,
                           cast(? as timestamptz) - make_interval(mins => 10 * w) + interval '30 seconds'
                      from generate_series(1, 1007) w""", c, c, m.toString());
            insertScreening(c + "-gap", c, m.plusNanos(200_000_000L));
            for (int i = 1; i <= 3; i++) insertScreening(c + "-crowd-" + i, c, m.plusMinutes(5)); // in every window below
            FraudScreen worker = new FraudScreen(new FraudRecords(counted), RULES, new SimpleMeterRegistry());
            record Screen(String id, OffsetDateTime at, int counts, String reason) {}
            List<Screen> screens = List.of(
                    new Screen("s1", m.plusMinutes(10).plusNanos(500_000_000L), 3, "velocity: community received 4 payments within PT10M (its limit now: 3)"),
                    new Screen("s2", m.plusMinutes(10).plusSeconds(59).plusNanos(500_000_000L), 2,
                            "velocity: community received 6 payments within PT10M (its limit now: 3)"),
                    new Screen("s3", m.plusMinutes(11), 3, "velocity: community received 7 payments within PT10M (its limit now: 3)"),
                    new Screen("s4 retried in an older minute", m.plusMinutes(10).plusSeconds(30), 3,
                            "velocity: community received 5 payments within PT10M (its limit now: 3)"),
                    new Screen("s5", m.plusMinutes(11).plusSeconds(30), 2, "velocity: community received 8 payments within PT10M (its limit now: 3)"));
            for (Screen s : screens) insertScreening(c + "-" + s.id().split(" ")[0], c, s.at());
            for (Screen s : screens) {
                STATEMENTS.clear();
                String id = c + "-" + s.id().split(" ")[0];
                FraudVerdict v = worker.screen(new PaymentRequest(id, c, "EVENT", id, "ord-" + id, 10000, Map.of()),
                        new VerifiedPayment("ord-" + id, "cf-" + id, 10000, "INR", "UPI", null, "buyer-" + id));
                String velocity = STATEMENTS.stream().filter(q -> q.contains("count(*)")).findFirst().orElseThrow();
                assertThat(velocity.split("count\\(\\*\\)", -1).length - 1)
                        .as("%s: 3 counts when its minute's week is new to the worker, 2 when remembered", s.id()).isEqualTo(s.counts());
                assertThat(v.reasons()).as(s.id()).containsExactly(s.reason());
            }
        }

        void insertScreening(String paymentId, String community, OffsetDateTime at) {
            dsl.execute("insert into payment_screening (payment_id, community_id, customer_id, amount_paise, flagged, screened_at) "
                    + "values (?, ?, ?, 10000, false, cast(? as timestamptz))", paymentId, community, "buyer-" + paymentId, at.toString());
        }

        /**
         * The one-community load run (docs/performance.md § 6): 5,000 payments in five minutes into a community whose
         * owner set fraud.velocityFloor 10,000 for the event park none; the same community without its own floor parks
         * them; one customer's burst inside the event is still parked by the customer rule.
         */
        @Test
        void aBigEventWithItsOwnFloorParksNoneWhileOneCustomersBurstIsParked() {
            String event = community("fraud_velocity_floor = 10000");
            eventSoFar(event, 4_999);
            assertThat(burst(volumeRules, event, 1, "buyer-5000")).as("the 5,000th ticket of the event").containsOnly(false);

            String unconfigured = community(null);
            eventSoFar(unconfigured, 4_999);
            assertThat(burst(volumeRules, unconfigured, 1, "buyer-5000")).as("the platform's floor (5 here) without the community's own")
                    .containsOnly(true);

            FraudScreen.Rules perCustomer = new FraudScreen.Rules(50_000_000L, 10, Duration.ofHours(1), 5, Duration.ofMinutes(10), 3,
                    Duration.ofDays(7));
            List<Boolean> burst = burst(perCustomer, event, 12, "one-customer");
            assertThat(burst.subList(0, 10)).as("a customer's first ten in an hour").containsOnly(false);
            assertThat(burst.subList(10, 12)).as("the same customer's 11th and 12th").containsOnly(true);
        }
    }
}
