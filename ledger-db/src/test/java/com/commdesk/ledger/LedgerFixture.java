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
    Ledger core;
    PaymentLedger payments;
    RefundLedger refunds;
    HoldReleases holds;
    WalletMovements movements;
    HoldQueue holdQueue;
    CommunityConfig demo;

    @BeforeEach
    void openFreshDatabase() {
        db = TestDatabases.fresh(); // the runtime role, as the API and the worker connect
        dsl = db.dsl();
        core = new Ledger(dsl);
        payments = new PaymentLedger(core);
        refunds = new RefundLedger(core);
        holds = new HoldReleases(core);
        movements = new WalletMovements(core);
        holdQueue = new HoldQueue(dsl);
        demo = new CommunityRepository(dsl).find("demo-community").orElseThrow();
    }

    @AfterEach
    void booksAreWholeAfterEveryTest() throws Exception {
        assertThat(new LedgerInvariants(dsl).check().violations()).as("invariants after every test").isEmpty();
        assertThat(new LedgerQueries(dsl).trialBalance().balanced()).isTrue();
        db.close();
    }

    /**
     * The demo community's owner paid (payment "p1", holds released), a bank beneficiary saved and a manual
     * settlement {@code settlementId} opened: returns its one payout's id.
     */
    String aSettlementWithOnePayout(com.commdesk.ledger.payout.PayoutRepository payouts, String settlementId) {
        pay("p1");
        holds.releaseDueHolds(java.time.OffsetDateTime.now().plusDays(400), 100);
        payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null, "u-owner");
        payouts.open(settlementId, "demo-community", "MANUAL", java.time.OffsetDateTime.now(), "alice", Long.MAX_VALUE);
        return com.commdesk.ledger.payout.Settlements.payoutId(settlementId, "owner", "u-owner");
    }

    PaymentPosting posting(String key, FeeBreakdown b) {
        return new PaymentPosting(key, "demo-community", "EVENT", "evt", "order-" + key, "cf-" + key, "CARD", b,
                SplitEngine.splitRevenueAcrossRoles(b.netPaise(), demo.roles()), null, null, Map.of());
    }

    /** Posts a card payment under the spec's schedule and queues its holds. */
    PostedPayment pay(String key, long amountPaise) {
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(amountPaise, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
        PostedPayment posted = payments.postPayment(posting(key, b));
        holdQueue.queueHolds(posted.transactionId());
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

    /** Runs SQL as the owner, for what only a bug or a person with the owner's password could do (simulated damage). */
    void asOwner(String sql, Object... binds) throws Exception {
        try (LedgerDatabase owner = TestDatabases.owner(db)) {
            owner.dsl().execute(sql, binds);
        }
    }

    static WalletMovements.Member member(String role, String userId) {
        return new WalletMovements.Member("demo-community", role, userId);
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
