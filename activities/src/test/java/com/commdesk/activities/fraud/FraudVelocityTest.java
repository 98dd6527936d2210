package com.commdesk.activities.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.FraudRecords;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.testing.TestDatabases;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.VerifiedPayment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Community velocity is measured against the community's own recent volume: a community that usually
 * sells many tickets is not parked on its event night, a dormant one that suddenly takes many is.
 */
class FraudVelocityTest {
    static LedgerDatabase db;
    static DSLContext dsl;
    /** Floor 5 payments per 10 minutes, or 3 x the community's own average window over the last 7 days. */
    static final FraudScreen.Rules RULES = new FraudScreen.Rules(50_000_000L, 1_000_000, Duration.ofHours(1), 5, Duration.ofMinutes(10),
            3, Duration.ofDays(7));

    @BeforeAll
    static void database() {
        db = TestDatabases.fresh();
        dsl = db.dsl();
        for (String c : new String[] {"busy-community", "quiet-community", "event-community", "unconfigured-event"}) {
            dsl.execute("insert into community (community_id, name) values (?, ?)", c, c);
        }
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    /** {@code perWindow} past payments in every 10-minute window of the last week (excluding the current one). */
    static void history(String community, int perWindow) {
        dsl.execute("""
                insert into payment_screening (payment_id, community_id, customer_id, amount_paise, flagged, screened_at)
                select ? || '-' || w || '-' || i, ?, 'c-' || w || '-' || i, 10000, false,
                       now() - make_interval(mins => 10 * w + 5)
                  from generate_series(1, 1007) w, generate_series(1, ?) i""", community, community, perWindow);
    }

    /** {@code payments} already screened into the community in the last five minutes, each by a customer of its own. */
    static void eventSoFar(String community, int payments) {
        dsl.execute("""
                insert into payment_screening (payment_id, community_id, customer_id, amount_paise, flagged, screened_at)
                select ? || '-event-' || i, ?, ? || '-buyer-' || i, 10000, false, now() - make_interval(secs => 300 * i / ?)
                  from generate_series(1, ?) i""", community, community, community, payments, payments);
    }

    static boolean screenOne(String community, String customer) {
        String id = community + "-now-" + SEQ.incrementAndGet();
        return screen().screen(new PaymentRequest(id, community, "EVENT", id, "ord-" + id, 10000, Map.of()),
                new VerifiedPayment("ord-" + id, "cf-" + id, 10000, "INR", "UPI", null, customer)).flagged();
    }

    static FraudScreen screen() {
        return new FraudScreen(new FraudRecords(dsl), RULES, new SimpleMeterRegistry());
    }

    static final java.util.concurrent.atomic.AtomicInteger SEQ = new java.util.concurrent.atomic.AtomicInteger();

    /** Screens {@code payments} new payments into the community now; whether the last was flagged. */
    static boolean burst(String community, int payments) {
        FraudScreen s = screen();
        boolean flagged = false;
        for (int i = 0; i < payments; i++) {
            String id = community + "-now-" + SEQ.incrementAndGet();
            flagged = s.screen(new PaymentRequest(id, community, "EVENT", id, "ord-" + id, 10000, Map.of()),
                    new VerifiedPayment("ord-" + id, "cf-" + id, 10000, "INR", "UPI", null, "cust-" + id)).flagged();
        }
        return flagged;
    }

    @Test
    void aBusyCommunitysEventNightIsNotParked() {
        history("busy-community", 20); // usually 20 per window: 3 x 20 = 60 allowed now
        assertThat(burst("busy-community", 50)).as("50 in ten minutes is within 3x its usual 20").isFalse();
    }

    @Test
    void aDormantCommunityThatSuddenlyTakesManyIsParked() {
        assertThat(burst("quiet-community", 5)).as("the floor").isFalse();
        assertThat(burst("quiet-community", 2)).as("beyond the floor, with no volume of its own").isTrue();
    }

    /**
     * The one-community load run (docs/performance.md): 5,000 payments in five minutes into a community
     * whose owner set fraud.velocityFloor 10,000 for the event park none; the same community without its
     * own floor parks them; one customer's burst inside the event is still parked by the customer rule.
     */
    @Test
    void aBigEventWithItsOwnFloorParksNoneWhileOneCustomersBurstIsParked() {
        dsl.execute("update community set fraud_velocity_floor = 10000 where community_id = 'event-community'");
        eventSoFar("event-community", 4_999);
        assertThat(screenOne("event-community", "buyer-5000")).as("the 5,000th ticket of the event").isFalse();

        eventSoFar("unconfigured-event", 4_999);
        assertThat(screenOne("unconfigured-event", "buyer-5000")).as("the platform's floor (5 here) without the community's own").isTrue();

        FraudScreen.Rules perCustomer = new FraudScreen.Rules(50_000_000L, 10, Duration.ofHours(1), 5, Duration.ofMinutes(10), 3,
                Duration.ofDays(7));
        FraudScreen s = new FraudScreen(new FraudRecords(dsl), perCustomer, new SimpleMeterRegistry());
        java.util.List<Boolean> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = "event-burst-" + SEQ.incrementAndGet();
            burst.add(s.screen(new PaymentRequest(id, "event-community", "EVENT", id, "ord-" + id, 10000, Map.of()),
                    new VerifiedPayment("ord-" + id, "cf-" + id, 10000, "INR", "UPI", null, "one-customer")).flagged());
        }
        assertThat(burst.subList(0, 10)).as("a customer's first ten in an hour").containsOnly(false);
        assertThat(burst.subList(10, 12)).as("the same customer's 11th and 12th").containsOnly(true);
    }
}
