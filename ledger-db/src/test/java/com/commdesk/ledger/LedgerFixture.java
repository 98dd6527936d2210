package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.testing.TestDatabases;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh database per test with the demo community, and the books checked after every test: no
 * invariant violated, trial balance zero. Payments use the spec's schedule, intra-state (KA to KA).
 */
abstract class LedgerFixture {
    LedgerDatabase db;
    DSLContext dsl;
    LedgerRepository ledger;
    SettlementRepository settlement;
    CommunityConfig demo;

    @BeforeEach
    void openFreshDatabase() {
        db = TestDatabases.fresh();
        dsl = db.dsl();
        ledger = new LedgerRepository(dsl);
        settlement = new SettlementRepository(dsl);
        demo = new CommunityRepository(dsl).find("demo-community").orElseThrow();
    }

    @AfterEach
    void booksAreWholeAfterEveryTest() throws Exception {
        assertThat(new LedgerInvariants(dsl).check().violations()).as("invariants after every test").isEmpty();
        assertThat(new LedgerQueries(dsl).trialBalance().balanced()).isTrue();
        db.close();
    }

    PaymentPosting posting(String key, FeeBreakdown b) {
        return new PaymentPosting(key, "demo-community", "EVENT", "evt", "order-" + key, "cf-" + key, "CARD", b,
                SplitEngine.splitRevenueAcrossRoles(b.netPaise(), demo.roles()), null, null, Map.of());
    }

    /** Posts a card payment under the spec's schedule and queues its holds. */
    PostedPayment pay(String key, long amountPaise) {
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(amountPaise, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
        PostedPayment posted = ledger.postPayment(posting(key, b));
        settlement.queueSettlement(posted.transactionId());
        return posted;
    }

    /** The spec's Example 1: Rs 10,000; owner 3,603.50 of the net 7,207.00. */
    PostedPayment pay(String key) {
        return pay(key, 1_000_000L);
    }

    RefundPosting refund(String id, PostedPayment p, long amountPaise) {
        return new RefundPosting(id, p.transactionId(), RefundPosting.Kind.REFUND, amountPaise, "customer cancelled",
                RefundPosting.GatewayFee.BORNE_BY_COMMUNITY, RefundPosting.PlatformFee.REFUNDED);
    }

    /** A single number from SQL; NULL reads as 0. */
    long num(String sql, Object... binds) {
        Object v = dsl.fetchValue(sql, binds);
        return v == null ? 0 : ((Number) v).longValue();
    }

    /** Signed sum of an account's postings (debit > 0). */
    long balance(String accountCode) {
        return num("select coalesce(sum(p.amount_paise), 0) from posting p join ledger_account a using (account_id) where a.code = ?",
                accountCode);
    }
}
