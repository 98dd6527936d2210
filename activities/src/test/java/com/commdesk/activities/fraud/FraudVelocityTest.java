package com.commdesk.activities.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.CommunityRepository;
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
        for (String c : new String[] {"busy-community", "quiet-community"}) {
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

    static FraudScreen screen() {
        return new FraudScreen(new FraudRecords(dsl), RULES, new SimpleMeterRegistry(), new CommunityRepository(dsl));
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
}
