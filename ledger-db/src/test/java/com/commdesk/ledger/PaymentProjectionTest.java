package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.testing.TestDatabases;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What GET /api/v1/payments/{id} shows, from the payment row and the books. */
class PaymentProjectionTest {
    LedgerDatabase db;
    DSLContext dsl;
    PaymentLedger payments;

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        dsl = db.dsl();
        payments = new PaymentLedger(new Ledger(dsl));
    }

    /** The spec's Example 1 (as PaymentLedgerTest's) under the seed's schedule, split by the demo community's roles. */
    PaymentPosting example1(String key, String orderId) {
        var b = com.commdesk.fees.FeeEngine.calculate(new com.commdesk.fees.PaymentFacts(1_000_000L, "EVENT", "CARD", "KA", "KA"),
                com.commdesk.fees.FeeSchedules.seedExamples());
        var roles = new CommunityRepository(dsl).find("demo-community").orElseThrow().roles();
        return new PaymentPosting(key, "demo-community", "EVENT", "evt-1", orderId, "cf-" + orderId, "CARD", b,
                com.commdesk.fees.SplitEngine.splitRevenueAcrossRoles(b.netPaise(), roles), null, null, java.util.Map.of());
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    @Test
    void aBookedPaymentWhoseLastRecordedStageIsAStepOnTheWayShowsPosted() {
        // A payment paid after it awaited its order records the step it went on from (SCREENING) as it leaves
        // AWAITING_PAYMENT (review of f8b61e0): once booked, GET shows POSTED, as for a payment whose row still says ACCEPTED.
        // A stage that ended or parked is shown as recorded.
        var projection = new PaymentProjection(dsl);
        for (String[] c : new String[][] {{"proj-accepted", "ACCEPTED", "POSTED"}, {"proj-late", "SCREENING", "POSTED"},
                {"proj-parked", "NEEDS_ATTENTION", "NEEDS_ATTENTION"}, {"proj-done", "COMPLETED", "COMPLETED"}}) {
            dsl.execute("insert into payment (payment_id, request_sha256, community_id, source_type, source_id, cashfree_order_id, "
                    + "amount_paise, workflow_id, status) values (?, repeat('0', 64), 'demo-community', 'EVENT', 'evt-1', ?, 1000000, ?, ?)",
                    c[0], "order-" + c[0], "w-" + c[0], c[1]);
            assertThat(projection.find(c[0]).orElseThrow().stage()).as(c[0] + " before posting").isEqualTo(c[1]);
            payments.postPayment(example1(c[0], "order-" + c[0]));
            assertThat(projection.find(c[0]).orElseThrow().stage()).as(c[0] + " once booked").isEqualTo(c[2]);
        }
    }
}
