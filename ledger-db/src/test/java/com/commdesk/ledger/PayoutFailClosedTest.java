package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.ledger.payout.FinanceResolutions;
import com.commdesk.ledger.payout.Beneficiaries;
import com.commdesk.ledger.payout.Payout;
import com.commdesk.ledger.payout.PayoutTransfers.SendPermit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The payout table's part in "payouts fail closed" (issue 10 items 5, 6, 10; issue 16 item 3): a late
 * lock, a flag before SENT, finance's four-eyes resolution, a late SUCCESS, Cashfree's name rules.
 */
class PayoutFailClosedTest extends LedgerFixture {
    PayoutRepository payouts;
    String payoutId;
    long owner;

    @BeforeEach
    void aSettlementWithOnePayout() {
        payouts = new PayoutRepository(dsl);
        payoutId = aSettlementWithOnePayout(payouts, "stl_t");
        owner = available("u-owner");
        assertThat(payouts.payout(payoutId)).isPresent();
    }

    long available(String user) {
        return num("select available_paise from member_wallet where community_id = 'demo-community' and user_id = ?", user);
    }

    long locked(String user) {
        return num("select locked_paise from member_wallet where community_id = 'demo-community' and user_id = ?", user);
    }

    @Test
    void aLockThatCommitsAfterThePayoutWasReleasedLocksNothing() {
        // The workflow gave up on a lock attempt that timed out and released the payout (nothing was locked yet) ...
        payouts.release(payoutId, "FAILED", "could not lock: timed out");
        // ... then the timed-out attempt (a zombie) reaches the database.
        assertThatThrownBy(() -> payouts.lock(payoutId)).isInstanceOf(LedgerException.class)
                .extracting(e -> ((LedgerException) e).code()).isEqualTo(LedgerException.Code.WRONG_STATE);
        assertThat(locked("u-owner")).isZero();
        assertThat(available("u-owner")).isEqualTo(owner);
    }

    @Test
    void aLockBeforeTheReleaseIsSeenByTheRelease() {
        payouts.lock(payoutId);
        payouts.lock(payoutId); // a retry: the same journal
        assertThat(locked("u-owner")).isEqualTo(owner);
        payouts.release(payoutId, "FAILED", "bank refused");
        payouts.release(payoutId, "FAILED", "bank refused"); // a retry: nothing more
        assertThat(locked("u-owner")).isZero();
        assertThat(available("u-owner")).isEqualTo(owner);
    }

    @Test
    void aFlagRaisedBeforeTheTransferMakesItWaitForAnApproval() {
        payouts.lock(payoutId);
        assertThat(payouts.flagPayout(payoutId, "unusual account change", "carol")).isTrue();
        assertThat(payouts.sendPermit(payoutId)).isEqualTo(SendPermit.NEEDS_APPROVAL);
        assertThat(payouts.payout(payoutId).orElseThrow().transferRequestedAt()).isNull();
        payouts.recordDecision(payoutId, true, "bob", "checked with the member");
        assertThat(payouts.sendPermit(payoutId)).isEqualTo(SendPermit.MARKED);
        assertThat(payouts.sendPermit(payoutId)).isEqualTo(SendPermit.ALREADY_MARKED);
        assertThat(payouts.flagPayout(payoutId, "too late", "carol")).as("a flag after the transfer was requested").isFalse();
        payouts.release(payoutId, "FAILED", "test over");
    }

    @Test
    void anApprovalGivenBeforeAFlagButRecordedAfterItDoesNotLetTheTransferOut() {
        payouts.lock(payoutId);
        int seen = payouts.payout(payoutId).orElseThrow().flagGeneration(); // what bob saw when he approved
        assertThat(payouts.flagPayout(payoutId, "account changed an hour ago", "carol")).isTrue(); // before bob's approval is recorded
        assertThat(payouts.recordDecision(payoutId, true, "bob", "looks fine", seen)).isFalse();
        assertThat(payouts.sendPermit(payoutId)).isEqualTo(SendPermit.NEEDS_APPROVAL);
        assertThat(payouts.events(payoutId)).anySatisfy(e -> assertThat(e.status()).isEqualTo("APPROVAL_SUPERSEDED"));
        // An approval given seeing the flag counts.
        int now = payouts.payout(payoutId).orElseThrow().flagGeneration();
        assertThat(now).isEqualTo(seen + 1);
        assertThat(payouts.recordDecision(payoutId, true, "dave", "spoke to the member", now)).isTrue();
        assertThat(payouts.sendPermit(payoutId)).isEqualTo(SendPermit.MARKED);
        payouts.release(payoutId, "FAILED", "test over");
    }

    @Test
    void aRecipientFlagAlsoHoldsTheirUnsentPayout() {
        payouts.lock(payoutId);
        payouts.flagRecipient("demo-community", "owner", "u-owner", "fraud check", "carol");
        assertThat(payouts.sendPermit(payoutId)).isEqualTo(SendPermit.NEEDS_APPROVAL);
        assertThat(payouts.payout(payoutId).orElseThrow().needsApproval()).isTrue();
        payouts.release(payoutId, "REJECTED", "test over");
    }

    @Test
    void confirmFailedNeedsTwoPeopleConfirmPaidOne() {
        payouts.lock(payoutId);
        payouts.sendPermit(payoutId);
        assertThatThrownBy(() -> payouts.resolve(payoutId, "FAILED", "alice", "no")).isInstanceOf(IllegalStateException.class);
        assertThat(payouts.markNeedsAttention(payoutId, "Cashfree has not answered for 24 h")).isTrue();
        assertThat(payouts.markNeedsAttention(payoutId, "again")).isFalse();
        assertThat(payouts.needingAttention(null, 10)).extracting(Payout::payoutId).containsExactly(payoutId);

        var first = payouts.resolve(payoutId, "FAILED", "alice", "bank statement shows nothing");
        assertThat(first.ready()).isFalse();
        assertThat(payouts.resolve(payoutId, "FAILED", "ALICE", "me again"))
                .as("the requester repeating it (a retry after a lost 202): as it stands, still not ready (review P10)")
                .isEqualTo(new FinanceResolutions.Resolution("FAILED", "alice", null, false));
        assertThatThrownBy(() -> asOwner("update payout set resolution_confirmed_by = 'Alice' where payout_id = ?", payoutId))
                .as("the database refuses the requester as confirmer, whatever the case (a check, so even the owner)").isInstanceOf(RuntimeException.class);
        var second = payouts.resolve(payoutId, "FAILED", "bob", "agreed");
        assertThat(second).isEqualTo(new FinanceResolutions.Resolution("FAILED", "alice", "bob", true));
        assertThat(locked("u-owner")).as("resolving releases nothing by itself: the workflow does").isEqualTo(owner);

        // Resolved (and signalled): another user's PAID must not overwrite who decided what (the resolve-audit finding).
        assertThatThrownBy(() -> payouts.resolve(payoutId, "PAID", "carol", "Cashfree dashboard shows it paid"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already resolved");
        assertThat(payouts.payout(payoutId).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
        assertThat(dsl.fetchValue("select resolution_outcome || '/' || resolution_requested_by || '/' || resolution_confirmed_by"
                + " from payout where payout_id = ?", payoutId)).isEqualTo("FAILED/alice/bob");
        payouts.release(payoutId, "FAILED", "test over");
    }

    @Test
    void noOneConfirmsAPayoutFailedOnceCashfreesSuccessIsOnRecord() {
        // Review s12: Cashfree's signed SUCCESS was recorded but its signal to the workflow was lost (Temporal away); two
        // finance users then confirmed FAILED, the workflow returned the locked money to available, and the next settlement
        // paid it again. Cashfree's own SUCCESS outranks finance's word, as it does inside the workflow (CASHFREE_FIRST).
        payouts.lock(payoutId);
        payouts.sendPermit(payoutId);
        assertThat(payouts.markNeedsAttention(payoutId, "Cashfree has not answered for 24 h")).isTrue();
        payouts.resolve(payoutId, "FAILED", "alice", "bank statement shows nothing"); // asked before Cashfree's answer came
        payouts.recordCashfreeAnswer(payoutId, "SUCCESS", "COMPLETED");
        assertThatThrownBy(() -> payouts.resolve(payoutId, "FAILED", "bob", "agreed")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cashfree said SUCCESS");
        assertThatThrownBy(() -> payouts.resolve(payoutId, "FAILED", "carol", "a new request")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cashfree said SUCCESS");
        assertThat(dsl.fetchValue("select resolution_confirmed_by from payout where payout_id = ?", payoutId)).isNull();
        assertThat(locked("u-owner")).as("still locked: nothing to release on a contradiction").isEqualTo(owner);
        assertThat(payouts.resolve(payoutId, "PAID", "bob", "Cashfree's record says SUCCESS").ready()).isTrue();
        payouts.markPaid(payoutId);
        assertThat(locked("u-owner")).isZero();
        assertThat(available("u-owner")).isZero();
    }

    @Test
    void thePayoutsRecipientNeverResolvesItNorDoesTheDatabaseLetThem() {
        payouts.lock(payoutId);
        payouts.sendPermit(payoutId);
        payouts.markNeedsAttention(payoutId, "Cashfree has not answered for 24 h");
        assertThatThrownBy(() -> payouts.resolve(payoutId, "FAILED", "U-Owner", "my bank shows nothing"))
                .as("review M-4: the recipient of the payout").isInstanceOf(FinanceResolutions.FourEyes.class);
        assertThatThrownBy(() -> payouts.resolve(payoutId, "PAID", "u-owner", "I have it")).isInstanceOf(FinanceResolutions.FourEyes.class);
        payouts.resolve(payoutId, "FAILED", "bob", "bank statement shows nothing");
        assertThatThrownBy(() -> payouts.resolve(payoutId, "FAILED", "u-owner", "agreed")).isInstanceOf(FinanceResolutions.FourEyes.class);
        assertThatThrownBy(() -> dsl.execute("update payout set resolution_confirmed_by = 'U-OWNER' where payout_id = ?", payoutId))
                .as("the database refuses the recipient as confirmer, even to the runtime role").isInstanceOf(RuntimeException.class)
                .hasMessageContaining("four eyes");
        assertThatThrownBy(() -> asOwner("update payout set resolution_outcome = 'PAID', resolution_requested_by = 'u-owner'"
                + " where payout_id = ?", payoutId)).as("and as requester, even to the owner").isInstanceOf(RuntimeException.class);
        assertThat(dsl.fetchValue("select resolution_outcome || '/' || resolution_requested_by || '/' || coalesce(resolution_confirmed_by, '-')"
                + " from payout where payout_id = ?", payoutId)).isEqualTo("FAILED/bob/-");
        assertThat(payouts.resolve(payoutId, "FAILED", "carol", "agreed").ready()).isTrue();
        payouts.release(payoutId, "FAILED", "test over");
    }

    @Test
    void aConfirmPaidIsFinal() {
        payouts.lock(payoutId);
        payouts.sendPermit(payoutId);
        payouts.markNeedsAttention(payoutId, "Cashfree has not answered for 24 h");
        assertThat(payouts.resolve(payoutId, "PAID", "alice", "dashboard shows it paid").ready()).isTrue();
        assertThatThrownBy(() -> payouts.resolve(payoutId, "FAILED", "bob", "no, it failed"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already resolved");
        payouts.release(payoutId, "FAILED", "test over");
    }

    @Test
    void aLateSuccessAfterTheMoneyWasReturnedIsPostedByItsOwnJournals() {
        payouts.lock(payoutId);
        payouts.sendPermit(payoutId); // a transfer was requested (a SUCCESS for one never requested is not posted)
        payouts.release(payoutId, "FAILED", "confirmed failed by alice and bob");
        assertThat(available("u-owner")).isEqualTo(owner);
        payouts.latePaid(payoutId, "TRANSFER_SUCCESS");
        payouts.latePaid(payoutId, "TRANSFER_SUCCESS again");
        assertThat(available("u-owner")).isZero();
        assertThat(locked("u-owner")).isZero();
        assertThat(num("select paid_out_paise from member_wallet where community_id = 'demo-community' and user_id = 'u-owner'"))
                .isEqualTo(owner);
        assertThat(payouts.payout(payoutId).orElseThrow().status()).isEqualTo("PAID");
        assertThat(num("select count(*) from journal where idempotency_key in (?, ?)", "payout_lock:payout_relock:" + payoutId,
                "payout_paid:payout:" + payoutId)).isEqualTo(2);
    }

    @Test
    void namesFollowCashfreesAlphabet() {
        assertThat(Beneficiaries.cashfreeName("J. D'Souza")).isEqualTo("J D Souza");
        assertThat(Beneficiaries.cashfreeName("  José   Müller-Lüdenscheidt ")).isEqualTo("Jose Muller Ludenscheidt");
        assertThat(Beneficiaries.cashfreeName("Agent 007")).isNull();
        assertThat(Beneficiaries.cashfreeName("राम")).isNull();
        assertThat(Beneficiaries.cashfreeName("x".repeat(101))).isNull();
        var b = payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "J. D'Souza", "000111222334", "HDFC0000001", null, "u-admin1");
        assertThat(b.name()).isEqualTo("J D Souza");
        assertThatThrownBy(() -> payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Agent 007", "000111222334",
                "HDFC0000001", null, "u-admin1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("letters and spaces");
        assertThatThrownBy(() -> asOwner("update payout_beneficiary set name = 'Agent 007' where beneficiary_id = ?", b.beneficiaryId()))
                .as("new names are held to Cashfree's alphabet by the database too (a check, so even the owner)").isInstanceOf(RuntimeException.class);
    }
}
