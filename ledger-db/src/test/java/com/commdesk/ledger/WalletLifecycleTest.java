package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.WalletMovements.Movement;
import com.commdesk.ledger.testing.TestDatabases;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Money after posting: hold release, payout lock / paid / failed, reversal, statements, reports, invariants. */
class WalletLifecycleTest extends LedgerFixture {
    LedgerInvariants invariants;

    @BeforeEach
    void invariants() {
        invariants = new LedgerInvariants(dsl);
    }

    long wallet(String column, String userId) {
        Object v = dsl.fetchValue("select " + column + " from member_wallet where user_id = ?", userId);
        return v == null ? 0 : ((Number) v).longValue();
    }

    @Test
    void holdsReleaseOnlyWhenDueAndOnlyOnce() {
        pay("h1", 1_000_000L); // owner gets 3,603.50
        OffsetDateTime releaseAt = dsl.select(org.jooq.impl.DSL.min(com.commdesk.ledger.jooq.Tables.WALLET_HOLD.RELEASE_AT)).from(com.commdesk.ledger.jooq.Tables.WALLET_HOLD).fetchSingle().value1();

        assertThat(holds.releaseDueHolds(releaseAt.minusSeconds(1), 100)).isZero();
        assertThat(wallet("available_paise", "u-owner")).isZero();

        assertThat(holds.releaseDueHolds(releaseAt, 100)).isEqualTo(7);
        assertThat(holds.releaseDueHolds(releaseAt.plusDays(1), 100)).isZero();
        assertThat(wallet("pending_paise", "u-owner")).isZero();
        assertThat(wallet("available_paise", "u-owner")).isEqualTo(360_350L);
        assertThat(((Number) dsl.fetchValue("select available_balance_paise from community_wallet")).longValue()).isEqualTo(720_700L);
    }

    @Test
    void aReversedPaymentsHoldsAreNeverReleased() {
        PostedPayment p = pay("h2", 1_000_000L);
        payments.reversePayment("h2", "refund");

        assertThat(holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100)).isZero();
        assertThat(wallet("available_paise", "u-owner")).isZero();
        assertThat(((Number) dsl.fetchValue("select count(*) from payout_instruction where status = 'CANCELLED'")).longValue()).isZero();
    }

    @Test
    void aPayoutLocksThenPaysOutOrReturnsTheMoneyExactly() {
        pay("h3", 1_000_000L);
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100);
        long lock = movements.payoutMovement(Movement.PAYOUT_LOCK, "po-1", member("owner", "u-owner"), 300_000L, "payout po-1");
        assertThat(movements.payoutMovement(Movement.PAYOUT_LOCK, "po-1", member("owner", "u-owner"), 300_000L, "payout po-1"))
                .as("idempotent").isEqualTo(lock);
        assertThat(wallet("available_paise", "u-owner")).isEqualTo(60_350L);
        assertThat(wallet("locked_paise", "u-owner")).isEqualTo(300_000L);

        movements.payoutMovement(Movement.PAYOUT_PAID, "po-1", member("owner", "u-owner"), 300_000L, "paid");
        assertThat(wallet("locked_paise", "u-owner")).isZero();
        assertThat(wallet("paid_out_paise", "u-owner")).isEqualTo(300_000L);
        assertThat(((Number) dsl.fetchValue("select total_withdrawn_paise from community_wallet")).longValue()).isEqualTo(300_000L);

        movements.payoutMovement(Movement.PAYOUT_LOCK, "po-2", member("owner", "u-owner"), 60_350L, "po-2");
        movements.payoutMovement(Movement.PAYOUT_FAILED, "po-2", member("owner", "u-owner"), 60_350L, "bank rejected");
        assertThat(wallet("available_paise", "u-owner")).isEqualTo(60_350L);
        assertThat(wallet("locked_paise", "u-owner")).isZero();
    }

    @Test
    void nobodyCanLockMoreThanIsAvailable() {
        pay("h4", 1_000_000L);
        assertThatThrownBy(() -> movements.payoutMovement(Movement.PAYOUT_LOCK, "po-3", member("owner", "u-owner"), 1L, "still pending"))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.code()).isEqualTo(LedgerException.Code.INSUFFICIENT_FUNDS));
        assertThat(((Number) dsl.fetchValue("select count(*) from journal where idempotency_key = 'payout_lock:payout:po-3'")).longValue()).isZero();
    }

    @Test
    void statementsCarryARunningBalanceAndPageByPostingId() {
        pay("h5", 1_000_000L);
        pay("h6", 500_000L);
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100);

        WalletStatements statements = new WalletStatements(dsl);
        var first = statements.member("demo-community", "u-owner", 0, 3);
        assertThat(first.lines()).hasSize(3);
        assertThat(first.nextAfter()).isNotNull();
        var rest = statements.member("demo-community", "u-owner", first.nextAfter(), 100);
        var all = new java.util.ArrayList<>(first.lines());
        all.addAll(rest.lines());
        assertThat(rest.nextAfter()).isNull();
        // two pending credits, then two releases (pending -> available: -x then +x)
        assertThat(all).hasSize(6);
        long running = 0;
        for (var line : all) {
            running += line.amountPaise();
            assertThat(line.balancePaise()).isEqualTo(running);
        }
        assertThat(running).isEqualTo(wallet("pending_paise", "u-owner") + wallet("available_paise", "u-owner"));
        // every member has the owner's shape: 2 pending credits + 2 releases of 2 lines each
        assertThat(statements.community("demo-community", 0, 500).lines()).hasSize(7 * 6);
    }

    @Test
    void theMonthlyGstSummaryNetsReversals() {
        pay("h7", 1_000_000L);
        PostedPayment refunded = pay("h8", 1_000_000L);
        payments.reversePayment("h8", "refund");

        var summary = new TaxReports(dsl).monthlyGst(YearMonth.now(TaxReports.INDIA));
        // Example 1, intra-state (KA -> KA): GST 1,800.00 = CGST 900 + SGST 900; gateway GST 29.00 -> 14.50 + 14.50
        assertThat(summary.outputGst()).isEqualTo(new TaxReports.Heads(90_000L, 90_000L, 0));
        assertThat(summary.inputCreditOnGatewayFees().totalPaise()).isEqualTo(2_900L);
        assertThat(summary.gatewayFeesPaise()).isEqualTo(16_400L);
        assertThat(summary.paymentsPosted()).isEqualTo(2);
        assertThat(summary.paymentsReversed()).isEqualTo(1);
        var register = new TaxReports(dsl).withholdingRegister(YearMonth.now(TaxReports.INDIA));
        assertThat(register).hasSize(2).filteredOn(TaxReports.WithholdingLine::reversed).hasSize(1);
    }

    @Test
    void theInvariantCheckerCatchesAProjectionThatDriftedFromThePostings() throws Exception {
        pay("h9", 1_000_000L);
        assertThat(invariants.check().holds()).isTrue();

        // Only the owner can still edit a projection by hand (a bug in a migration, a person with its password).
        asOwner("update member_wallet set available_paise = available_paise + 1 where user_id = 'u-owner'");
        var report = invariants.check();

        assertThat(report.holds()).isFalse();
        assertThat(report.violations()).extracting(LedgerInvariants.Violation::invariant)
                .contains("member wallets equal their postings", "community wallets equal the sum of their members");
        asOwner("update member_wallet set available_paise = available_paise - 1 where user_id = 'u-owner'");
    }
}
