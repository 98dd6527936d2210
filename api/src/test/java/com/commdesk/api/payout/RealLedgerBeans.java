package com.commdesk.api.payout;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.HoldQueue;
import com.commdesk.ledger.HoldReleases;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.PaymentLedger;
import com.commdesk.ledger.PaymentPosting;
import com.commdesk.ledger.testing.TestDatabases;
import java.time.OffsetDateTime;
import java.util.Map;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** For a {@code @WebMvcTest} of a payout controller on a real database: a fresh test database and a meter registry. */
@TestConfiguration
class RealLedgerBeans {
    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean(destroyMethod = "close")
    LedgerDatabase ledgerDatabase() {
        return TestDatabases.fresh();
    }

    /**
     * The demo community paid ₹10,000 by card (payment {@code key}, the spec's Example 1), split across its roles, and
     * every hold released: its members' shares are available to settle.
     */
    static void demoCommunityPaidAndReleased(LedgerDatabase db, String key) {
        var dsl = db.dsl();
        var community = new CommunityRepository(dsl).find("demo-community").orElseThrow();
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(1_000_000L, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
        var posted = new PaymentLedger(new Ledger(dsl)).postPayment(new PaymentPosting(key, "demo-community", "EVENT", "evt",
                "order-" + key, "cf-" + key, "CARD", b, SplitEngine.splitRevenueAcrossRoles(b.netPaise(), community.roles()), null, null,
                Map.of()));
        new HoldQueue(dsl).queueHolds(posted.transactionId());
        new HoldReleases(new Ledger(dsl)).releaseDueHolds(OffsetDateTime.now().plusDays(400), 1000);
    }
}
