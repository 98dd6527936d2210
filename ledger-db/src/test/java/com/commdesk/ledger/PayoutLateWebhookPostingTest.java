package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.ledger.payout.PayoutReturns;
import com.commdesk.ledger.payout.Settlements;
import com.commdesk.ledger.payout.Payout;
import com.commdesk.ledger.payout.LateAnswers.LateAction;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cashfree's answers that reach a payout after its workflow ended (issue 10, payout follow-up defects 7-9): what
 * {@link PayoutRepository#lateAnswer} posts, and what it refuses to post. The first two tests are the review's
 * (coord/review-tests), the rest added with the fix.
 */
class PayoutLateWebhookPostingTest extends LedgerFixture {
    PayoutRepository payouts;
    String id;
    long owner;

    long wallet(String column) {
        return num("select " + column + " from member_wallet where community_id = 'demo-community' and user_id = 'u-owner'");
    }

    long journals(String kind) {
        return num("select count(*) from journal where kind = ? and idempotency_key like ?", kind, "%:" + id);
    }

    PostedPayment first;

    @BeforeEach
    void aLockedPayout() {
        payouts = new PayoutRepository(dsl);
        first = pay("p1");
        holds.releaseDueHolds(OffsetDateTime.now().plusDays(400), 100);
        payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null, "u-owner");
        owner = wallet("available_paise");
        payouts.open("stl_t", "demo-community", "MANUAL", OffsetDateTime.now(), "alice", Long.MAX_VALUE);
        id = Settlements.payoutId("stl_t", "owner", "u-owner");
        payouts.lock(id);
        payouts.sendPermit(id);
    }

    void assertAllAvailableAgain() {
        assertThat(wallet("paid_out_paise")).as("nothing paid out").isZero();
        assertThat(wallet("locked_paise")).as("nothing may stay locked for a payout that has ended").isZero();
        assertThat(wallet("available_paise")).isEqualTo(owner);
    }

    /** Finance's one-person "confirm paid": Cashfree never said SUCCESS. */
    void paidOnFinancesWord() {
        payouts.markNeedsAttention(id, "unknown for a day");
        assertThat(payouts.resolve(id, "PAID", "alice", "the bank statement shows it").ready()).isTrue();
        payouts.markPaid(id, true); // the workflow acted on the resolution
    }

    @Test
    void aDelayedSuccessForATransferCashfreeReportedReversedIsNotPostedAsPaid() {
        payouts.recordCashfree(id, "cf-1", "REVERSED", "ACCOUNT_CLOSED"); // the poll saw REVERSED
        payouts.release(id, "FAILED", "Cashfree REVERSED ACCOUNT_CLOSED"); // the workflow's compensation
        try {
            payouts.latePaid(id, "TRANSFER_SUCCESS COMPLETED"); // Cashfree's retry of a SUCCESS delivery that had failed
        } catch (RuntimeException refused) {
            // refusing is fine
        }
        assertAllAvailableAgain();
    }

    @Test
    void aReversalAfterALateSuccessReturnsTheMoneyToAvailable() {
        payouts.release(id, "FAILED", "confirmed failed by alice and bob");
        payouts.latePaid(id, "TRANSFER_SUCCESS COMPLETED"); // relock + PAYOUT_PAID
        payouts.reversePaid(id, "late REVERSED ACCOUNT_CLOSED"); // its PAYOUT_FAILED used to reuse key payout_failed:payout:<id>
        assertAllAvailableAgain();
        payouts.reversePaid(id, "late REVERSED ACCOUNT_CLOSED, delivered again");
        assertAllAvailableAgain();
        assertThat(journals("PAYOUT_FAILED")).as("the first release and the one after the relock").isEqualTo(2);
        assertThat(journals("PAYOUT_LOCK")).as("the lock and the relock").isEqualTo(2);
    }

    @Test
    void aDelayedSuccessWebhookAfterCashfreesReversedWebhookIsRecordedForFinanceNotPaid() {
        // The workflow took Cashfree's REVERSED (webhook, recorded as Cashfree's answer) and released the money ...
        payouts.recordCashfreeAnswer(id, "REVERSED", "ACCOUNT_CLOSED");
        payouts.release(id, "FAILED", "Cashfree REVERSED ACCOUNT_CLOSED");
        // ... then Cashfree's retry of the earlier SUCCESS delivery arrives after the workflow ended.
        var done = payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS SUCCESS COMPLETED");
        assertThat(done.action()).isEqualTo(LateAction.UNPOSTED);
        assertAllAvailableAgain();
        assertThat(payouts.payout(id).orElseThrow().cashfreeStatus()).as("Cashfree's record never goes back from REVERSED")
                .isEqualTo("REVERSED");
        assertThat(payouts.events(id)).anySatisfy(e -> assertThat(e.status()).isEqualTo("LATE_UNPOSTED"));
    }

    @Test
    void aLateSuccessThenALateReversedAfterAConfirmFailedEndWithTheMoneyAvailable() {
        payouts.release(id, "FAILED", "confirmed failed by alice and bob");
        assertThat(payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS").action()).isEqualTo(LateAction.POSTED);
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED").action()).isEqualTo(LateAction.POSTED);
        assertAllAvailableAgain();
        assertThat(payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS delivered again").action())
                .isNotEqualTo(LateAction.POSTED);
        assertAllAvailableAgain();
    }

    @Test
    void aFailedWebhookForAPayoutPaidOnFinancesWordReturnsTheMoneyOnceAfterItsWorkflowEnded() {
        paidOnFinancesWord();
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        var done = payouts.lateAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL", "TRANSFER_FAILED FAILED INVALID_ACCOUNT_FAIL");
        assertThat(done.action()).isEqualTo(LateAction.POSTED);
        assertAllAvailableAgain();
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("REVERSED");
        // Cashfree delivers it again (and a REJECTED for good measure): nothing moves twice.
        payouts.lateAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL", "TRANSFER_FAILED again");
        payouts.lateAnswer(id, "REJECTED", "INVALID_ACCOUNT_FAIL", "TRANSFER_REJECTED");
        assertAllAvailableAgain();
        assertThat(journals("PAYOUT_REVERSED")).isEqualTo(1);
        assertThat(journals("PAYOUT_FAILED")).isEqualTo(1);
    }

    @Test
    void aReversedWebhookForAPaidPayoutAfterItsWorkflowEndedReturnsTheMoneyOnce() {
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.markPaid(id);
        assertThat(payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED").action()).isEqualTo(LateAction.POSTED);
        assertThat(payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED again").action())
                .isNotEqualTo(LateAction.UNPOSTED);
        assertAllAvailableAgain();
        assertThat(journals("PAYOUT_REVERSED")).isEqualTo(1);
    }

    @Test
    void aFailedWebhookAfterCashfreesOwnSuccessMovesNothingAndTellsFinance() {
        paidOnFinancesWord(); // the guard exists for this case: without Cashfree's SUCCESS, a FAILED returns the money
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED"); // Cashfree confirms the transfer after all
        var done = payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED");
        assertThat(done.action()).isEqualTo(LateAction.UNPOSTED);
        // The same delivery retried (the first answer died before its event was recorded) and a second refusal with
        // another event id: each must still see Cashfree's SUCCESS, never the contradicting FAILED it recorded (since
        // review L1 the payout is with finance after the first: the others are recorded only, nothing moves).
        assertThat(payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED again").action())
                .isNotEqualTo(LateAction.POSTED);
        assertThat(payouts.lateAnswer(id, "REJECTED", "INVALID_ACCOUNT_FAIL", "TRANSFER_REJECTED").action())
                .isNotEqualTo(LateAction.POSTED);
        assertThat(wallet("paid_out_paise")).as("Cashfree said SUCCESS: a contradicting FAILED is not a guess to act on").isEqualTo(owner);
        assertThat(journals("PAYOUT_REVERSED")).isZero();
        // Review L1: nothing moves, but the payout is on finance's list (it stayed PAID with only an event before).
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
        assertThat(payouts.payout(id).orElseThrow().cashfreeStatus()).as("a refusal never takes back Cashfree's SUCCESS")
                .isEqualTo("SUCCESS");
    }

    @Test
    void aFailedAfterAPaidWhoseResolutionTheWorkflowNeverActedOnMovesNothing() {
        // Review P10: finance's PAID is recorded but its signal was lost; the workflow paid the payout on Cashfree's word
        // (whose SUCCESS is not on the record, e.g. delivered before webhooks were recorded). A later FAILED contradicts
        // Cashfree: the resolution columns must not make it return the money.
        payouts.markNeedsAttention(id, "unknown for a day");
        assertThat(payouts.resolve(id, "PAID", "alice", "the bank statement shows it").ready()).isTrue();
        payouts.markPaid(id); // not on finance's word
        assertThat(payouts.lateAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL", "TRANSFER_FAILED").action()).isEqualTo(LateAction.UNPOSTED);
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(journals("PAYOUT_REVERSED")).isZero();
    }

    @Test
    void aLateSuccessForAPayoutNeverSentIsNotPosted() {
        // Review P9: latePaid must require that a transfer was requested. A second payout, rejected before any send.
        payouts.release(id, "REJECTED", "rejected by bob");
        payouts.open("stl_t2", "demo-community", "MANUAL", OffsetDateTime.now(), "alice", Long.MAX_VALUE);
        String unsent = Settlements.payoutId("stl_t2", "owner", "u-owner");
        payouts.lock(unsent);
        payouts.release(unsent, "REJECTED", "rejected by bob");
        assertThat(payouts.lateAnswer(unsent, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS").action()).isNotEqualTo(LateAction.POSTED);
        assertAllAvailableAgain();
    }

    @Test
    void aLatePostRefreshesTheSettlement() {
        // Review P9: the activity path refreshes the settlement's totals after a change; the webhook's late path did not.
        payouts.release(id, "FAILED", "confirmed failed by alice and bob");
        payouts.refreshSettlement("stl_t");
        assertThat(payouts.settlement("stl_t").orElseThrow().status()).isEqualTo("FAILED");
        assertThat(payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS").action()).isEqualTo(LateAction.POSTED);
        var s = payouts.settlement("stl_t").orElseThrow();
        assertThat(s.status()).isEqualTo("PAID");
        assertThat(s.paidPaise()).isEqualTo(owner);
    }

    @Test
    void anApprovalAfterTwoHundredFlagsStillCounts() {
        // Review P6: the generation was compared as Integer references (equal only inside the Integer cache, -128..127).
        for (int i = 0; i < 200; i++) dsl.execute("update payout set flag_generation = flag_generation + 1, status = 'PENDING_APPROVAL'"
                + " where payout_id = ?", id);
        int seen = payouts.payout(id).orElseThrow().flagGeneration();
        assertThat(seen).isEqualTo(200);
        assertThat(payouts.recordDecision(id, true, "bob", "checked", Integer.valueOf(seen))).as("no flag since bob looked").isTrue();
    }

    @Test
    void anIdenticalRepeatOfAReadyResolutionIsIdempotentAndADifferentOneIsRefused() {
        // Review P10: the resolution is written before its signal; a failed signal must be retryable by repeating it.
        payouts.markNeedsAttention(id, "unknown for a day");
        assertThat(payouts.resolve(id, "FAILED", "alice", "bank shows nothing").ready()).isFalse();
        assertThat(payouts.resolve(id, "FAILED", "bob", "agreed").ready()).isTrue();
        var again = payouts.resolve(id, "FAILED", "BOB", "agreed (retry)");
        assertThat(again.ready()).isTrue();
        assertThat(again.requestedBy()).isEqualTo("alice");
        assertThat(again.confirmedBy()).isEqualTo("bob");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> payouts.resolve(id, "FAILED", "carol", "me too"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already resolved");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> payouts.resolve(id, "PAID", "bob", "changed my mind"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already resolved");
    }

    @Test
    void anIdenticalRepeatOfAPaidResolutionIsIdempotent() {
        payouts.markNeedsAttention(id, "unknown for a day");
        assertThat(payouts.resolve(id, "PAID", "alice", "dashboard").ready()).isTrue();
        assertThat(payouts.resolve(id, "PAID", "Alice", "dashboard (retry)").ready()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> payouts.resolve(id, "PAID", "bob", "me too"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already resolved");
    }

    @Test
    void theSweepPostsAReversalTheWorkflowAcceptedButNeverActedOnOnceItsWorkflowHasEnded() {
        // Review P3's backstop: Cashfree's REVERSED was recorded (the controller does that before signalling) and the
        // workflow, which accepted the signal, ended PAID without posting it.
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.markPaid(id);
        payouts.recordCashfreeAnswer(id, "REVERSED", "ACCOUNT_CLOSED");
        var sweepWhileRunning = new com.commdesk.ledger.payout.PayoutLateSweep(new com.commdesk.ledger.payout.LateAnswers(dsl), payoutId -> true, com.commdesk.ledger.payout.PayoutLateSweep.Mode.POST).sweep(100);
        assertThat(sweepWhileRunning.running()).as("a running workflow still decides").isEqualTo(1);
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        var sweep = new com.commdesk.ledger.payout.PayoutLateSweep(new com.commdesk.ledger.payout.LateAnswers(dsl), payoutId -> false, com.commdesk.ledger.payout.PayoutLateSweep.Mode.POST);
        assertThat(sweep.sweep(100)).isEqualTo(new com.commdesk.ledger.payout.PayoutLateSweep.Result(1, 0, 0, 1, 0));
        assertAllAvailableAgain();
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("REVERSED");
        assertThat(sweep.sweep(100).found()).as("posted once; nothing left").isZero();
        assertThat(journals("PAYOUT_REVERSED")).isEqualTo(1);
    }

    @Test
    void theSweepReturnsMoneyPaidOnFinancesWordThatCashfreeRefusedButLeavesCashfreesOwnSuccessAlone() {
        paidOnFinancesWord();
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        assertThat(new com.commdesk.ledger.payout.PayoutLateSweep(new com.commdesk.ledger.payout.LateAnswers(dsl), payoutId -> false, com.commdesk.ledger.payout.PayoutLateSweep.Mode.POST).sweep(100).posted()).isEqualTo(1);
        assertAllAvailableAgain();
    }

    @Test
    void theSweepIgnoresAFailedThatContradictsCashfreesSuccess() {
        // Review P4-5: paid on finance's word too, so only Cashfree's SUCCESS can keep the sweep away from it.
        paidOnFinancesWord();
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.recordCashfreeAnswer(id, "FAILED", "BANK_OFFLINE"); // a contradiction: the record keeps SUCCESS
        assertThat(new com.commdesk.ledger.payout.PayoutLateSweep(new com.commdesk.ledger.payout.LateAnswers(dsl), payoutId -> false, com.commdesk.ledger.payout.PayoutLateSweep.Mode.POST).sweep(100).found()).isZero();
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
    }

    /** Review P4-1: Cashfree FAILED, the money returned, Cashfree SUCCESS (held for finance), finance confirms paid. */
    void heldAfterFailedThenSuccessAndConfirmedPaid() {
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        payouts.release(id, "FAILED", "Cashfree FAILED INVALID_ACCOUNT_FAIL");
        assertThat(payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS").action()).isEqualTo(LateAction.UNPOSTED);
        payouts.resolve(id, "PAID", "alice", "the bank statement shows it");
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
    }

    @Test
    void aHeldPayoutConfirmedPaidAfterCashfreesSuccessIsNotReturnedByTheSweep() {
        heldAfterFailedThenSuccessAndConfirmedPaid();
        var swept = new com.commdesk.ledger.payout.PayoutLateSweep(new com.commdesk.ledger.payout.LateAnswers(dsl), payoutId -> false, com.commdesk.ledger.payout.PayoutLateSweep.Mode.POST).sweep(100);
        assertThat(swept.found()).as("Cashfree said SUCCESS once: its FAILED on record is not a return").isZero();
        assertThat(wallet("paid_out_paise")).as("Cashfree said SUCCESS and finance confirmed paid: stays paid").isEqualTo(owner);
        assertThat(wallet("available_paise")).as("not spendable again").isZero();
    }

    @Test
    void aRedeliveredFailedAfterAHeldPayoutIsConfirmedPaidMovesNothing() {
        heldAfterFailedThenSuccessAndConfirmedPaid();
        assertThat(payouts.lateAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL", "TRANSFER_FAILED again").action())
                .isEqualTo(LateAction.UNPOSTED);
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(wallet("available_paise")).isZero();
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("PAID");
    }

    @Test
    void aWorkflowsReturnOnAFailedAfterCashfreesRecordedSuccessMovesNothing() {
        // Last review, M1: "confirm paid", then Cashfree's SUCCESS and FAILED race; the SUCCESS is recorded first, but the
        // FAILED's signal reaches the workflow first, and its in-memory state says "paid on finance's word, Cashfree
        // refused": it asks the ledger to return the money. The ledger's record says SUCCESS: nothing moves.
        paidOnFinancesWord();
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        assertThat(payouts.reversePaid(id, "confirmed paid by finance, but Cashfree says FAILED INVALID_ACCOUNT_FAIL"))
                .isEqualTo(PayoutReturns.PaidAction.HELD);
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(wallet("available_paise")).isZero();
        // Review M-2: held for finance (its workflow ends right after), no longer left PAID on nobody's list.
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
        assertThat(journals("PAYOUT_REVERSED")).isZero();
        assertThat(payouts.events(id)).anySatisfy(e -> assertThat(e.status()).isEqualTo("LATE_UNPOSTED"));
        // Cashfree's REVERSED, recorded, still returns the money once.
        payouts.recordCashfreeAnswer(id, "REVERSED", "ACCOUNT_CLOSED");
        payouts.reversePaid(id, "reversed after success: ACCOUNT_CLOSED");
        payouts.reversePaid(id, "reversed after success: ACCOUNT_CLOSED, again");
        assertThat(wallet("paid_out_paise")).isZero();
        assertThat(wallet("available_paise")).isEqualTo(owner);
        assertThat(journals("PAYOUT_REVERSED")).isEqualTo(1);
    }

    @Test
    void aSuccessContradictingCashfreesFailedRelocksTheMoneyForFinance() {
        // Review P4: Cashfree said FAILED, the money went back to available; its SUCCESS then contradicts it. Leaving the
        // money available lets the next settlement pay it while finance investigates: it is locked again and finance asked.
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        payouts.release(id, "FAILED", "Cashfree FAILED INVALID_ACCOUNT_FAIL");
        assertThat(payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS").action()).isEqualTo(LateAction.UNPOSTED);
        assertThat(wallet("available_paise")).as("not spendable while finance investigates").isZero();
        assertThat(wallet("locked_paise")).isEqualTo(owner);
        assertThat(payouts.needingAttention("demo-community", 10)).extracting(Payout::payoutId).containsExactly(id);
        // Redelivered: nothing more moves.
        payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS again");
        assertThat(wallet("locked_paise")).isEqualTo(owner);
        assertThat(journals("PAYOUT_LOCK")).isEqualTo(2);
        // Finance: paid after all (one person). No workflow is running: the repository acts on it.
        payouts.resolve(id, "PAID", "alice", "the bank statement shows it");
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(payouts.settleHeld(id)).as("idempotent").contains("PAID");
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(wallet("locked_paise") + wallet("available_paise")).isZero();
    }

    @Test
    void aHeldPayoutConfirmedFailedByTwoReturnsTheMoneyOnce() {
        payouts.recordCashfreeAnswer(id, "REJECTED", "BENEFICIARY_BLACKLISTED");
        payouts.release(id, "FAILED", "Cashfree REJECTED");
        payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS");
        payouts.resolve(id, "FAILED", "alice", "bank shows nothing");
        assertThat(payouts.settleHeld(id)).as("not ready: one person").isEmpty();
        payouts.resolve(id, "FAILED", "bob", "agreed");
        assertThat(payouts.settleHeld(id)).contains("FAILED");
        assertThat(payouts.settleHeld(id)).contains("FAILED");
        assertAllAvailableAgain();
        assertThat(journals("PAYOUT_FAILED")).isEqualTo(2);
    }

    @Test
    void aSuccessAfterAFailedDrivenReturnOfAConfirmedPaidPayoutRelocksTheMoneyForFinance() {
        // Review P5: confirm paid, Cashfree FAILED returned the money (REVERSED), then Cashfree's SUCCESS: only RECORDED before.
        paidOnFinancesWord();
        assertThat(payouts.lateAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL", "TRANSFER_FAILED").action()).isEqualTo(LateAction.POSTED);
        assertAllAvailableAgain();
        assertThat(payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS").action()).isEqualTo(LateAction.UNPOSTED);
        assertThat(wallet("available_paise")).isZero();
        assertThat(wallet("locked_paise")).isEqualTo(owner);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
        payouts.resolve(id, "FAILED", "alice", "bank shows nothing");
        payouts.resolve(id, "FAILED", "bob", "agreed");
        assertThat(payouts.settleHeld(id)).contains("REVERSED");
        assertAllAvailableAgain();
    }

    @Test
    void aSuccessTheWorkflowTookInWhileReturningAConfirmedPaidPayoutIsHeldForFinance() {
        // Review P4-2: the workflow returns money paid on finance's word on Cashfree's FAILED (reversePaid) and hands the
        // SUCCESS it took in meanwhile to latePaid: locked again for finance, never spendable while Cashfree says paid.
        paidOnFinancesWord();
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        payouts.reversePaid(id, "confirmed paid by finance, but Cashfree says FAILED");
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        assertThat(payouts.latePaid(id, "Cashfree SUCCESS COMPLETED after the payout ended REVERSED")).isFalse();
        assertThat(wallet("available_paise")).isZero();
        assertThat(wallet("locked_paise")).isEqualTo(owner);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
    }

    // ---- review M2 / L1 / settlement totals (issue 10, h-held5) ----------------------------------------------------

    long journalsKeyed(String key) {
        return num("select count(*) from journal where idempotency_key = ?", key);
    }

    void assertTrialBalance() {
        assertThat(new LedgerQueries(dsl).trialBalance().balanced()).isTrue();
        assertThat(new LedgerInvariants(dsl).check().violations()).isEmpty();
    }

    /** Paid on finance's word, returned on Cashfree's FAILED (REVERSED), then held again on Cashfree's SUCCESS. */
    void paidReturnedAndHeldAgain() {
        paidOnFinancesWord();
        assertThat(payouts.lateAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL", "TRANSFER_FAILED").action()).isEqualTo(LateAction.POSTED);
        assertThat(payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS").action()).isEqualTo(LateAction.UNPOSTED);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
        assertThat(wallet("locked_paise")).isEqualTo(owner);
    }

    @Test
    void aPayoutPaidReturnedAndHeldAgainIsPaidOnFinancesConfirmationByTheRelocksOwnJournal() {
        // Review M2: finance's PAID was saved as final, settleHeld refused it ("paid and returned once already"), and then
        // "confirm FAILED" was refused as "already resolved": the money stayed locked for ever.
        paidReturnedAndHeldAgain();
        assertThat(payouts.resolve(id, "PAID", "bob", "Cashfree's dashboard and the bank show it credited").ready()).isTrue();
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(payouts.settleHeld(id)).as("idempotent").contains("PAID");
        // The member had it (first SUCCESS), it came back (REVERSED), Cashfree's SUCCESS says the member has it again.
        assertThat(wallet("locked_paise")).as("nothing left locked").isZero();
        assertThat(wallet("available_paise")).as("not spendable again").isZero();
        assertThat(wallet("paid_out_paise")).as("paid out once, net of the return").isEqualTo(owner);
        assertThat(journals("PAYOUT_PAID")).as("the first payment and the relock's").isEqualTo(2);
        assertThat(journals("PAYOUT_REVERSED")).isEqualTo(1);
        assertThat(journalsKeyed("payout_paid:payout_relock:" + id)).isEqualTo(1);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("PAID");
        assertThat(num("select count(*) from payout where payout_id = ? and relock_paid_journal_id is not null", id)).isEqualTo(1);
        assertTrialBalance();
        // Redeliveries of Cashfree's answers move nothing more and do not reopen it.
        payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS again");
        payouts.lateAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL", "TRANSFER_FAILED again");
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("PAID");
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(wallet("locked_paise") + wallet("available_paise")).isZero();
        assertThat(journals("PAYOUT_PAID")).isEqualTo(2);
    }

    @Test
    void aSecondPaymentTheBankSendsBackReturnsTheMoneyOnceByTheRelocksOwnJournals() {
        paidReturnedAndHeldAgain();
        payouts.resolve(id, "PAID", "bob", "dashboard shows it");
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED").action()).isEqualTo(LateAction.POSTED);
        assertThat(payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED again").action()).isNotEqualTo(LateAction.POSTED);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("REVERSED");
        assertAllAvailableAgain();
        assertThat(journalsKeyed("payout_reversed:payout_relock:" + id)).isEqualTo(1);
        assertThat(journalsKeyed("payout_failed:payout_relock:" + id)).isEqualTo(1);
        assertTrialBalance();
    }

    @Test
    void aWorkflowsRequestToReturnThePaymentAfterTheRelockIsPaidMovesNothingWithoutCashfreesReversed() {
        // The M1 rule for the relock round: Cashfree said SUCCESS and its record is not REVERSED, so a request to return the
        // second payment (not a REVERSED from Cashfree) moves nothing. Finance settled the relock hold PAID already, so the
        // request is answered with that decision and does not reopen it (review s6 R2-L2; it used to be held again).
        paidReturnedAndHeldAgain();
        payouts.resolve(id, "PAID", "bob", "dashboard shows it");
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(payouts.reversePaid(id, "asked to return it without Cashfree's REVERSED")).isEqualTo(PayoutReturns.PaidAction.UNCHANGED);
        assertThat(payouts.payout(id).orElseThrow().status()).as("finance's decision stands").isEqualTo("PAID");
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(journalsKeyed("payout_reversed:payout_relock:" + id)).isZero();
    }

    @Test
    void aHeldPayoutPaidReturnedAndHeldAgainCanStillBeConfirmedFailedByTwo() {
        paidReturnedAndHeldAgain();
        payouts.resolve(id, "FAILED", "bob", "the bank shows nothing");
        payouts.resolve(id, "FAILED", "carol", "agreed");
        assertThat(payouts.settleHeld(id)).contains("REVERSED");
        assertAllAvailableAgain();
        assertTrialBalance();
    }

    @Test
    void aResolutionTheLedgerCouldNotActOnIsNeverSavedAsFinal() {
        // Review M2, second half: resolve() saved finance's PAID as final although settleHeld refused it, which then blocked
        // every other resolution. A held payout whose relocked money a manual posting already paid: PAID is refused before
        // anything is written, and the two-person FAILED stays open.
        paidReturnedAndHeldAgain();
        dsl.execute("update payout set relock_paid_journal_id = relock_journal_id where payout_id = ?", id);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> payouts.resolve(id, "PAID", "bob", "dashboard shows it"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(num("select count(*) from payout where payout_id = ? and resolution_outcome is null and resolution_requested_by is null",
                id)).as("nothing saved").isEqualTo(1);
        dsl.execute("update payout set relock_paid_journal_id = null where payout_id = ?", id);
        assertThat(payouts.resolve(id, "FAILED", "bob", "the bank shows nothing").ready()).isFalse();
    }

    /** Review L1: paid on finance's word, Cashfree then said SUCCESS, then FAILED (after the workflow ended). */
    void paidThenSuccessThenFailed() {
        paidOnFinancesWord();
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        assertThat(payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED").action())
                .isEqualTo(LateAction.UNPOSTED);
    }

    String allocationStatuses() {
        return dsl.fetchValue("select string_agg(distinct status, ',') from distribution_allocation where payout_id = ?", id).toString();
    }

    @Test
    void aFailedAfterCashfreesSuccessPutsThePaidPayoutOnFinancesListAndConfirmPaidMovesNothing() {
        paidThenSuccessThenFailed();
        var p = payouts.payout(id).orElseThrow();
        assertThat(p.status()).isEqualTo("NEEDS_ATTENTION");
        assertThat(p.reason()).contains("FAILED").contains("SUCCESS");
        assertThat(payouts.needingAttention("demo-community", 10)).extracting(Payout::payoutId).containsExactly(id);
        assertThat(wallet("paid_out_paise")).as("the money stays as it is: paid out").isEqualTo(owner);
        assertThat(wallet("locked_paise") + wallet("available_paise")).isZero();
        assertThat(allocationStatuses()).as("paid-out shares stay paid while finance looks").isEqualTo("PAID");
        // Redelivered: nothing more.
        payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED again");
        assertThat(payouts.events(id)).filteredOn(e -> e.status().equals("NEEDS_ATTENTION")).hasSize(2); // markNeedsAttention's and the hold's; the redelivery adds none
        long journalsBefore = num("select count(*) from journal where idempotency_key like ?", "%:" + id);
        // Finance: Cashfree's SUCCESS was right (one person; nothing moves).
        assertThat(payouts.resolve(id, "PAID", "bob", "the bank confirms the credit").ready()).isTrue();
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(num("select count(*) from journal where idempotency_key like ?", "%:" + id)).isEqualTo(journalsBefore);
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(allocationStatuses()).isEqualTo("PAID");
        // A later redelivery of the refusal does not reopen what finance decided.
        payouts.lateAnswer(id, "REJECTED", "INVALID_ACCOUNT_FAIL", "TRANSFER_REJECTED");
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("PAID");
        assertTrialBalance();
    }

    @Test
    void aFailedAfterCashfreesSuccessConfirmedFailedByTwoReturnsTheMoneyOnce() {
        paidThenSuccessThenFailed();
        payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED again");
        assertThat(payouts.resolve(id, "FAILED", "bob", "the bank returned it").ready()).isFalse();
        assertThat(payouts.settleHeld(id)).as("one person: not ready").isEmpty();
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(payouts.resolve(id, "FAILED", "carol", "agreed").ready()).isTrue();
        assertThat(payouts.settleHeld(id)).contains("REVERSED");
        assertThat(payouts.settleHeld(id)).contains("REVERSED");
        payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED once more");
        assertAllAvailableAgain();
        assertThat(journals("PAYOUT_REVERSED")).isEqualTo(1);
        assertThat(journalsKeyed("payout_reversed:payout:" + id)).isEqualTo(1);
        assertThat(allocationStatuses()).isEqualTo("FAILED");
        assertTrialBalance();
    }

    @Test
    void holdingAndSettlingAHeldPayoutRefreshesTheSettlement() {
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        payouts.release(id, "FAILED", "Cashfree FAILED INVALID_ACCOUNT_FAIL");
        assertThat(payouts.refreshSettlement("stl_t")).isEqualTo("FAILED");
        payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS"); // held for finance
        assertThat(payouts.settlement("stl_t").orElseThrow().status()).as("a payout of it is open again").isEqualTo("APPROVED");
        payouts.resolve(id, "PAID", "bob", "dashboard shows it");
        payouts.settleHeld(id);
        var s = payouts.settlement("stl_t").orElseThrow();
        assertThat(s.status()).isEqualTo("PAID");
        assertThat(s.paidPaise()).isEqualTo(owner);
    }

    @Test
    void aHoldByTheWorkflowsLatePaidRefreshesTheSettlement() {
        paidOnFinancesWord();
        payouts.refreshSettlement("stl_t");
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        payouts.reversePaid(id, "confirmed paid by finance, but Cashfree says FAILED");
        payouts.refreshSettlement("stl_t");
        assertThat(payouts.settlement("stl_t").orElseThrow().status()).isEqualTo("REVERSED");
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        assertThat(payouts.latePaid(id, "Cashfree SUCCESS COMPLETED after the payout ended REVERSED")).isFalse();
        assertThat(payouts.settlement("stl_t").orElseThrow().status()).isEqualTo("APPROVED");
    }

    @Test
    void aPaidPayoutPutOnFinancesListRefreshesTheSettlement() {
        paidOnFinancesWord();
        assertThat(payouts.refreshSettlement("stl_t")).isEqualTo("PAID");
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED");
        assertThat(payouts.settlement("stl_t").orElseThrow().status()).isEqualTo("APPROVED");
        payouts.resolve(id, "PAID", "bob", "the bank confirms the credit");
        payouts.settleHeld(id);
        assertThat(payouts.settlement("stl_t").orElseThrow().status()).isEqualTo("PAID");
    }

    @Test
    void aRelockHoldSettledPaidIsNeverASweepCandidateEvenWithoutARecordedSuccessTime() throws Exception {
        // Review L-2: a relock hold exists only because Cashfree said SUCCESS; a legacy row whose cashfree_success_at is null
        // (104's patterns missed it) settled PAID must not read "paid on finance's word, Cashfree never paid" to the sweep.
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        payouts.release(id, "FAILED", "Cashfree FAILED INVALID_ACCOUNT_FAIL");
        assertThat(payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS").action()).isEqualTo(LateAction.UNPOSTED);
        asOwner("update payout set cashfree_success_at = null where payout_id = ?", id);
        payouts.resolve(id, "PAID", "bob", "the bank shows the credit");
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(num("select count(*) from payout where payout_id = ? and not paid_on_finance_word and cashfree_success_at is not null", id))
                .isEqualTo(1);
        assertThat(payouts.unpostedReturns(100)).isEmpty();
        var swept = new com.commdesk.ledger.payout.PayoutLateSweep(new com.commdesk.ledger.payout.LateAnswers(dsl), payoutId -> false,
                com.commdesk.ledger.payout.PayoutLateSweep.Mode.POST).sweep(100);
        assertThat(swept.found()).isZero();
        assertThat(wallet("paid_out_paise")).as("money Cashfree paid is not returned").isEqualTo(owner);
    }

    @Test
    void aRefusalAfterSuccessForAPaidPayoutWithNoLivePaymentJournalIsNotHeldForEver() throws Exception {
        // Review L-1: a PAID row without paid_journal_id (legacy or damaged, as PayoutLateSweepTest simulates) gets Cashfree's
        // FAILED after its SUCCESS. A hold no resolution could settle kept it NEEDS_ATTENTION for ever (every resolve 409).
        paidOnFinancesWord();
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        asOwner("update payout set paid_journal_id = null where payout_id = ?", id);
        assertThat(payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED").action()).isEqualTo(LateAction.UNPOSTED);
        assertThat(payouts.payout(id).orElseThrow().status()).as("recorded for finance, not held").isEqualTo("PAID");
        assertThat(payouts.events(id)).filteredOn(e -> e.status().equals("LATE_UNPOSTED")).isNotEmpty();
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
    }

    @Test
    void aRefusalHoldConfirmedPaidIsSettledEvenIfItsPaymentJournalIsGone() throws Exception {
        // Review L-1/L-8: PAID on a refusal hold moves nothing, so nothing about the journals can refuse it.
        paidThenSuccessThenFailed();
        asOwner("update payout set paid_journal_id = null where payout_id = ?", id);
        assertThat(payouts.resolve(id, "PAID", "bob", "the bank confirms the credit").ready()).isTrue();
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
    }

    @Test
    void aReversedWhileOnFinancesListSettlesTheContradictionAndReturnsTheMoneyOnce() {
        // Review L-3: Cashfree's REVERSED for a payout held for its refusal after SUCCESS was only recorded; finance's PAID
        // then left a PAID payout the sweep would undo, with no event on the hold explaining it.
        paidThenSuccessThenFailed();
        assertThat(payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED").action()).isEqualTo(LateAction.POSTED);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("REVERSED");
        assertThat(payouts.needingAttention("demo-community", 10)).isEmpty();
        payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED again");
        assertAllAvailableAgain();
        assertThat(journalsKeyed("payout_reversed:payout:" + id)).isEqualTo(1);
        assertThat(allocationStatuses()).isEqualTo("FAILED");
        assertTrialBalance();
    }

    /** Review M-2 (c): "confirm paid", Cashfree's SUCCESS recorded, then its FAILED, and the running workflow asks to return it. */
    void paidThenSuccessThenAReturnAsked() {
        paidOnFinancesWord();
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        payouts.reversePaid(id, "confirmed paid by finance, but Cashfree says FAILED INVALID_ACCOUNT_FAIL");
    }

    @Test
    void m2cAWorkflowsReturnRefusedOnCashfreesSuccessPutsThePaidPayoutOnFinancesList() {
        // The return is refused (Cashfree said SUCCESS), and used to be only an event: the payout stayed PAID, on no list.
        paidThenSuccessThenAReturnAsked();
        var p = payouts.payout(id).orElseThrow();
        assertThat(p.status()).as("held for finance").isEqualTo("NEEDS_ATTENTION");
        assertThat(payouts.needingAttention("demo-community", 10)).extracting(Payout::payoutId).containsExactly(id);
        assertThat(payouts.heldByLedger(id)).isTrue();
        assertThat(wallet("paid_out_paise")).as("the money stays paid out").isEqualTo(owner);
        assertThat(journals("PAYOUT_REVERSED")).isZero();
        // Finance's two-person FAILED returns it once (settleHeld, as the controller calls it).
        assertThat(payouts.resolve(id, "FAILED", "bob", "the bank returned it").ready()).isFalse();
        assertThat(payouts.resolve(id, "FAILED", "carol", "agreed").ready()).isTrue();
        assertThat(payouts.settleHeld(id)).contains("REVERSED");
        assertAllAvailableAgain();
        assertThat(journals("PAYOUT_REVERSED")).isEqualTo(1);
        assertTrialBalance();
    }

    @Test
    void m2cAHeldReturnConfirmedPaidMovesNothing() {
        paidThenSuccessThenAReturnAsked();
        long journalsBefore = num("select count(*) from journal where idempotency_key like ?", "%:" + id);
        assertThat(payouts.resolve(id, "PAID", "bob", "the bank confirms the credit").ready()).isTrue();
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(num("select count(*) from journal where idempotency_key like ?", "%:" + id)).isEqualTo(journalsBefore);
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertTrialBalance();
    }

    @Test
    void m2abAFailedTheRunningWorkflowTookInAfterCashfreesSuccessHoldsThePaidPayoutOnce() {
        // (a) paid on Cashfree's SUCCESS, (b) or on finance's word with Cashfree's SUCCESS since: the workflow asks the ledger
        // to hold it (it used to end PAID, or write a LATE_UNPOSTED event only).
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.markPaid(id);
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        assertThat(payouts.holdPaid(id, "Cashfree said FAILED after its SUCCESS")).isEqualTo(PayoutReturns.PaidAction.HELD);
        assertThat(payouts.holdPaid(id, "Cashfree said FAILED after its SUCCESS, again")).isEqualTo(PayoutReturns.PaidAction.HELD);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
        assertThat(payouts.events(id)).filteredOn(e -> e.status().equals("NEEDS_ATTENTION")).hasSize(1);
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(payouts.resolve(id, "PAID", "bob", "the bank confirms the credit").ready()).isTrue();
        assertThat(payouts.settleHeld(id)).contains("PAID");
        // Once settled, a later hold request reopens nothing.
        assertThat(payouts.holdPaid(id, "a redelivered FAILED")).isEqualTo(PayoutReturns.PaidAction.UNCHANGED);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("PAID");
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertTrialBalance();
    }

    @Test
    void m2aHoldingAPayoutCashfreeNeverSaidSuccessForMovesNothingAndHoldsNothing() {
        paidOnFinancesWord();
        assertThat(payouts.holdPaid(id, "Cashfree said FAILED")).isEqualTo(PayoutReturns.PaidAction.UNCHANGED);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("PAID");
        assertThat(payouts.events(id)).anySatisfy(e -> assertThat(e.status()).isEqualTo("LATE_UNPOSTED"));
    }

    // ---- Review L-4: settlement and statement figures for the new states ---------------------------------------------

    @Test
    void l4ARefusalHeldPayoutStillCountsAsPaidInItsSettlementWhichIsNoLongerComplete() {
        paidThenSuccessThenFailed(); // held for finance: the money stays paid out
        var held = payouts.settlement("stl_t").orElseThrow();
        assertThat(held.status()).isEqualTo("APPROVED");
        assertThat(held.paidPaise()).as("the journals say it is paid out").isEqualTo(owner);
        assertThat(held.completedAt()).as("a payout of it is open again").isNull();
        payouts.resolve(id, "PAID", "bob", "the bank confirms the credit");
        payouts.settleHeld(id);
        var settled = payouts.settlement("stl_t").orElseThrow();
        assertThat(settled.status()).isEqualTo("PAID");
        assertThat(settled.paidPaise()).isEqualTo(owner);
        assertThat(settled.completedAt()).isNotNull();
    }

    @Test
    void l4TheRelockRoundsPaymentAndReversalNameTheirPayoutInTheStatement() {
        paidReturnedAndHeldAgain();
        payouts.resolve(id, "PAID", "bob", "dashboard shows it");
        payouts.settleHeld(id);
        payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED");
        var today = java.time.LocalDate.now(com.commdesk.ledger.analytics.Period.INDIA);
        var moves = new com.commdesk.ledger.analytics.PayoutAnalytics(dsl).movements("demo-community",
                new com.commdesk.ledger.analytics.Period(today.minusDays(1), today.plusDays(1)));
        assertThat(moves).extracting(m -> m.kind()).containsExactly("PAYOUT_PAID", "PAYOUT_REVERSED", "PAYOUT_PAID", "PAYOUT_REVERSED");
        assertThat(moves).allSatisfy(m -> {
            assertThat(m.payoutId()).as("journal " + m.journalId() + " names its payout").isEqualTo(id);
            assertThat(m.userId()).isEqualTo("u-owner");
            assertThat(m.status()).isEqualTo("REVERSED");
        });
    }

    // ---- Review s6 F-M1: a refusal hold only where no relock can follow it ------------------------------------------------

    /** "Confirm paid"; Cashfree's FAILED recorded, then its SUCCESS (the record keeps the FAILED); the workflow asks to return it. */
    void paidThenFailedThenSuccessThenAReturnAsked() {
        paidOnFinancesWord();
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        assertThat(payouts.reversePaid(id, "confirmed paid by finance, but Cashfree says FAILED INVALID_ACCOUNT_FAIL"))
                .isEqualTo(PayoutReturns.PaidAction.HELD);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
        assertThat(wallet("available_paise")).as("never spendable while Cashfree said SUCCESS").isZero();
        assertThat(wallet("locked_paise")).as("returned and locked again at once").isEqualTo(owner);
        // A retry of the workflow's call (its answer lost) finds the hold: nothing moves, the payout is not set REVERSED.
        assertThat(payouts.reversePaid(id, "the same request, retried")).isEqualTo(PayoutReturns.PaidAction.HELD);
        assertThat(payouts.holdPaid(id, "a hold request, retried")).isEqualTo(PayoutReturns.PaidAction.HELD);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
        assertThat(wallet("locked_paise")).isEqualTo(owner);
    }

    @Test
    void fm1AFailedRecordedBeforeTheSuccessConfirmedFailedByTwoStaysSettledWhenTheSuccessIsDeliveredAgain() {
        // Review s6 F-M1: the hold was a refusal hold on a record that says FAILED; finance's FAILED returned the money, the
        // redelivered SUCCESS locked it again, and the refusal marker then made PAID leave it locked for ever and FAILED
        // "nothing to return".
        paidThenFailedThenSuccessThenAReturnAsked();
        payouts.resolve(id, "FAILED", "bob", "the bank shows nothing");
        payouts.resolve(id, "FAILED", "carol", "agreed");
        assertThat(payouts.settleHeld(id)).contains("REVERSED");
        assertAllAvailableAgain();
        payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS delivered again");
        var p = payouts.payout(id).orElseThrow();
        if ("NEEDS_ATTENTION".equals(p.status())) {
            // Reopened: both resolutions must be settleable, and PAID must pay the money out, never leave it locked.
            assertThat(payouts.resolve(id, "PAID", "dave", "the bank shows it credited").ready()).isTrue();
            assertThat(payouts.settleHeld(id)).contains("PAID");
            assertThat(wallet("paid_out_paise")).as("paid out, not left locked").isEqualTo(owner);
        } else {
            assertThat(p.status()).isEqualTo("REVERSED");
            assertAllAvailableAgain();
        }
        assertThat(wallet("locked_paise")).as("never locked for ever").isZero();
        assertTrialBalance();
    }

    @Test
    void fm1AFailedRecordedBeforeTheSuccessCanBeConfirmedPaidAndPaysTheMoneyOut() {
        paidThenFailedThenSuccessThenAReturnAsked();
        assertThat(payouts.resolve(id, "PAID", "bob", "the bank shows it credited").ready()).isTrue();
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(wallet("locked_paise") + wallet("available_paise")).isZero();
        payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS delivered again");
        payouts.lateAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL", "TRANSFER_FAILED delivered again");
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("PAID");
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        var s = payouts.settlement("stl_t").orElseThrow();
        assertThat(s.paidPaise()).isEqualTo(owner);
        assertTrialBalance();
    }

    @Test
    void fm1AHoldAskedOnARecordThatSaysFailedLocksTheMoneyAndBothResolutionsSettle() {
        // Paid on Cashfree's SUCCESS, whose FAILED was recorded first: the running workflow asks to hold it (M-2 (a)).
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.markPaid(id);
        assertThat(payouts.holdPaid(id, "Cashfree said FAILED and SUCCESS")).isEqualTo(PayoutReturns.PaidAction.HELD);
        assertThat(payouts.holdPaid(id, "again")).isEqualTo(PayoutReturns.PaidAction.HELD);
        payouts.refreshSettlement("stl_t");
        assertThat(payouts.settlement("stl_t").orElseThrow().paidPaise()).as("locked, not paid out").isZero();
        payouts.resolve(id, "FAILED", "bob", "the bank shows nothing");
        payouts.resolve(id, "FAILED", "carol", "agreed");
        assertThat(payouts.settleHeld(id)).isPresent();
        assertAllAvailableAgain();
        payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS delivered again");
        assertThat(wallet("locked_paise")).as("never locked for ever").isZero();
        assertTrialBalance();
    }

    /** Paid on Cashfree's SUCCESS recorded after its FAILED, the member then owing (a refund), and the running workflow asks to hold it. */
    void heldWhileTheMemberOwes() {
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.markPaid(id);
        refunds.postRefund(refund("rf-owes", first, 1_000_000L)); // the owner's share was paid out: they owe it
        assertThat(wallet("receivable_paise")).as("the member owes money").isPositive();
        assertThat(payouts.holdPaid(id, "Cashfree said FAILED and SUCCESS")).isEqualTo(PayoutReturns.PaidAction.HELD);
    }

    @Test
    void rm1AHoldAskedOnARecordThatSaysFailedForAMemberWhoOwesMoneyPutsItOnFinancesList() {
        // Review s6 R2-M1: returning and locking again repays the receivable first, so the relock was refused (INSUFFICIENT_FUNDS),
        // the transaction rolled back and the payout stayed PAID, on nobody's list.
        heldWhileTheMemberOwes();
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
        assertThat(wallet("paid_out_paise")).as("held as paid out").isEqualTo(owner);
        assertThat(payouts.resolve(id, "PAID", "bob", "the bank shows it credited").ready()).isTrue();
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(wallet("locked_paise")).isZero();
        assertTrialBalance();
    }

    @Test
    void rm1ARefusalHoldFinanceReturnedIsNotLockedAgainByASuccessDeliveredAgainOnceTheMemberHasMoney() {
        // Re-read of s6: the R2-M1 refusal hold (record FAILED, the member owing) resolved FAILED by two, then Cashfree's SUCCESS
        // delivered again once the member has money again: holdForFinance locked it again, heldBy still said REFUSAL, and
        // PAID would have left the money locked for ever, FAILED moved nothing.
        heldWhileTheMemberOwes();
        payouts.resolve(id, "FAILED", "bob", "the bank shows nothing");
        payouts.resolve(id, "FAILED", "carol", "agreed");
        assertThat(payouts.settleHeld(id)).contains("REVERSED");
        pay("p2"); // new earnings: what the member owes is repaid, the rest available
        pay("p3");
        holds.releaseDueHolds(OffsetDateTime.now().plusDays(400), 100);
        assertThat(wallet("available_paise")).as("the member has the payout's amount again").isGreaterThanOrEqualTo(owner);
        long available = wallet("available_paise");
        payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS delivered again");
        assertThat(payouts.payout(id).orElseThrow().status()).as("finance decided it").isEqualTo("REVERSED");
        assertThat(wallet("locked_paise")).as("not locked again").isZero();
        assertThat(wallet("available_paise")).isEqualTo(available);
        assertTrialBalance();
    }

    /** The one-off query docs/payouts.md gives finance for payouts inside their reversal window at the deploy (review s6 L-1). */
    static String inWindowRefusalsQuery() throws java.io.IOException {
        return documentedQuery("payouts-in-window-refusals");
    }

    /** A query docs/payouts.md gives finance, by the name on its first line ({@code -- <name>: ...}). */
    static String documentedQuery(String name) throws java.io.IOException {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "payouts.md"));
        int at = doc.indexOf("-- " + name);
        assertThat(at).as("the query is in docs/payouts.md").isPositive();
        return doc.substring(doc.indexOf('\n', at) + 1, doc.indexOf("```", at)).trim().replaceAll(";$", "");
    }

    @Test
    void l1TheDocumentedQueryFindsAPaidPayoutRefusedByWebhookAfterItsSuccessUntilItIsHeld() throws Exception {
        String query = inWindowRefusalsQuery();
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.markPaid(id);
        payouts.recordEvent(id, "WEBHOOK", "cashfree", "TRANSFER_SUCCESS SUCCESS COMPLETED");
        assertThat(dsl.fetch(query)).as("a SUCCESS webhook alone").isEmpty();
        Thread.sleep(5);
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        payouts.recordEvent(id, "WEBHOOK", "cashfree", "TRANSFER_FAILED FAILED INVALID_ACCOUNT_FAIL");
        assertThat(dsl.fetch(query)).extracting(r -> r.get("payout_id", String.class)).containsExactly(id);
        payouts.holdPaid(id, "found by the query");
        assertThat(dsl.fetch(query)).as("held for finance: no longer found").isEmpty();
    }

    // ---- h-relock (issue 10, review s6 R2-L2..L4) -------------------------------------------------------------------

    long events(String status) {
        return num("select count(*) from payout_event where payout_id = ? and status = ?", id, status);
    }

    @Test
    void rl2AHoldRetriedAfterFinanceSettledItPaidAnswersPaidAndDoesNotReopenIt() {
        // Review s6 R2-L2: the workflow's hold call retried (its answer lost) after finance had settled the relock hold PAID
        // held the payout again, as a refusal hold: back on finance's list, the decision reopened.
        paidThenFailedThenSuccessThenAReturnAsked(); // a relock hold
        assertThat(payouts.resolve(id, "PAID", "bob", "the bank shows it credited").ready()).isTrue();
        assertThat(payouts.settleHeld(id)).contains("PAID");
        long unposted = events("LATE_UNPOSTED");
        assertThat(payouts.holdPaid(id, "the hold request, retried")).as("finance's decision: paid")
                .isEqualTo(PayoutReturns.PaidAction.UNCHANGED);
        assertThat(payouts.reversePaid(id, "the return request, retried")).isEqualTo(PayoutReturns.PaidAction.UNCHANGED);
        assertThat(payouts.payout(id).orElseThrow().status()).as("not reopened").isEqualTo("PAID");
        assertThat(payouts.needingAttention(null, 10)).isEmpty();
        assertThat(num("select count(*) from payout where payout_id = ? and refusal_after_success_at is null", id)).isEqualTo(1);
        assertThat(events("LATE_UNPOSTED")).as("an answer, not news for finance").isEqualTo(unposted);
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(wallet("locked_paise") + wallet("available_paise")).isZero();
        assertTrialBalance();
    }

    @Test
    void rl2AHoldRetriedAfterFinanceSettledItFailedAnswersReversed() {
        // The same retry after finance's FAILED (by two): it answered UNCHANGED, so the workflow would have ended PAID while
        // the books say REVERSED.
        paidThenFailedThenSuccessThenAReturnAsked();
        payouts.resolve(id, "FAILED", "bob", "the bank shows nothing");
        payouts.resolve(id, "FAILED", "carol", "agreed");
        assertThat(payouts.settleHeld(id)).contains("REVERSED");
        assertThat(payouts.holdPaid(id, "the hold request, retried")).isEqualTo(PayoutReturns.PaidAction.ALREADY_REVERSED);
        assertThat(payouts.reversePaid(id, "the return request, retried")).isEqualTo(PayoutReturns.PaidAction.ALREADY_REVERSED);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("REVERSED");
        assertAllAvailableAgain();
        assertTrialBalance();
    }

    @Test
    void rl2ARefusalHoldRetriedAfterFinanceSettledItAnswersTheDecision() {
        paidThenSuccessThenFailed(); // a refusal hold: the money stays paid out
        payouts.resolve(id, "FAILED", "bob", "the bank shows nothing");
        payouts.resolve(id, "FAILED", "carol", "agreed");
        assertThat(payouts.settleHeld(id)).contains("REVERSED");
        assertThat(payouts.holdPaid(id, "the hold request, retried")).isEqualTo(PayoutReturns.PaidAction.ALREADY_REVERSED);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("REVERSED");
        assertAllAvailableAgain();
        assertTrialBalance();
    }

    @Test
    void rl4CashfreesReversedForARelockHeldPayoutKeepsItHeldShowsItAndOnlyAFailedByTwoSettlesIt() {
        // Review s6 R2-L4: Cashfree's REVERSED for a payout whose money the ledger had locked again for finance was only
        // recorded: nothing on finance's list said so, and finance's "confirm paid" would have paid out money the bank sent back.
        paidThenFailedThenSuccessThenAReturnAsked(); // a relock hold: returned and locked again
        assertThat(payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED").action())
                .as("held for finance, not only recorded").isEqualTo(LateAction.UNPOSTED);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
        assertThat(payouts.needingAttention("demo-community", 10)).singleElement()
                .satisfies(p -> assertThat(p.reason()).as("finance's list shows the reversal").contains("REVERSED"));
        assertThat(wallet("locked_paise")).as("the money stays held").isEqualTo(owner);
        assertThat(wallet("available_paise")).isZero();
        long unposted = events("LATE_UNPOSTED");
        payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED delivered again");
        assertThat(events("LATE_UNPOSTED")).as("a redelivery is no news").isEqualTo(unposted);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> payouts.resolve(id, "PAID", "bob", "the dashboard showed SUCCESS"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("REVERSED");
        assertThat(payouts.resolve(id, "FAILED", "bob", "the bank sent it back").ready()).isFalse();
        assertThat(payouts.resolve(id, "FAILED", "carol", "agreed").ready()).isTrue();
        assertThat(payouts.settleHeld(id)).contains("REVERSED");
        assertAllAvailableAgain();
        assertTrialBalance();
    }

    @Test
    void theDocumentedQueryFindsARelockHeldPayoutWhoseReversedWasOnlyRecordedUntilItIsMarked() throws Exception {
        // Review s7 L3: a REVERSED that reached the payout only as a record (signalled while the workflow's hold ran, or
        // before R2-L4's change) leaves finance's list without the reversal; docs/payouts.md's query finds it.
        String query = documentedQuery("relock-held payouts Cashfree said REVERSED for");
        paidThenFailedThenSuccessThenAReturnAsked(); // a relock hold
        assertThat(dsl.fetch(query)).as("Cashfree has not said REVERSED").isEmpty();
        payouts.recordCashfreeAnswer(id, "REVERSED", "ACCOUNT_CLOSED");
        assertThat(dsl.fetch(query)).extracting(r -> r.get("payout_id", String.class)).containsExactly(id);
        payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED delivered again");
        assertThat(dsl.fetch(query)).as("its reason says so now").isEmpty();
    }

    @Test
    void rl4APaidResolutionSavedBeforeCashfreesReversedIsClearedNotActedOn() {
        paidThenFailedThenSuccessThenAReturnAsked();
        assertThat(payouts.resolve(id, "PAID", "bob", "the dashboard showed SUCCESS").ready()).isTrue(); // not yet acted on
        payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED");
        assertThat(payouts.settleHeld(id)).as("the PAID given before the reversal was known is cleared").isEmpty();
        assertThat(wallet("paid_out_paise")).as("never paid out on it").isZero();
        assertThat(payouts.resolve(id, "FAILED", "bob", "the bank sent it back").ready()).isFalse();
        assertThat(payouts.resolve(id, "FAILED", "carol", "agreed").ready()).isTrue();
        assertThat(payouts.settleHeld(id)).contains("REVERSED");
        assertAllAvailableAgain();
        assertTrialBalance();
    }

    java.util.List<com.commdesk.ledger.analytics.PayoutAnalytics.PayoutMovement> statementMovements() {
        var today = java.time.LocalDate.now(com.commdesk.ledger.analytics.Period.INDIA);
        return new com.commdesk.ledger.analytics.PayoutAnalytics(dsl).movements("demo-community",
                new com.commdesk.ledger.analytics.Period(today.minusDays(1), today.plusDays(1)));
    }

    @Test
    void rl3ARelockHoldsReturnIsNotABankReversalInTheStatementOrItsJournal() {
        // Review s6 R2-L3: the return that starts a relock hold was written and listed as "reversed by the bank".
        paidThenFailedThenSuccessThenAReturnAsked();
        var moves = statementMovements();
        assertThat(moves).extracting(m -> m.kind()).containsExactly("PAYOUT_PAID", "PAYOUT_REVERSED");
        assertThat(moves.get(1).heldForFinance()).as("the hold's return, no bank's reversal").isTrue();
        assertThat(moves.get(0).heldForFinance()).isFalse();
        assertThat(dsl.fetchValue("select description from journal where idempotency_key = ?", "payout_reversed:payout:" + id)
                .toString()).contains("held for finance").doesNotContain("reversed by the bank");
        // Keys unchanged: the hold's journals are the ones production already has.
        assertThat(journalsKeyed("payout_reversed:payout:" + id)).isEqualTo(1);
        assertThat(journalsKeyed("payout_failed:payout:" + id)).isEqualTo(1);
        assertThat(journalsKeyed("payout_lock:payout_relock:" + id)).isEqualTo(1);
        // Rows written before this change (their description says "reversed by the bank") are recognised the same way: the
        // flag reads the journal's kind and transaction and the payout's journal ids, never the description.
    }

    /** The owner's wallet history (every line, oldest first) as a member's dashboard shows it. */
    java.util.List<WalletStatements.Line> walletHistory() {
        return new WalletStatements(dsl).member("demo-community", "u-owner", 0, WalletStatements.MAX_PAGE).lines();
    }

    /** Rewrites a journal's description as it was written before R2-L3 (journals are append-only: the trigger is lifted). */
    void writtenBeforeRl3(String key, String description) throws Exception {
        asOwner("alter table journal disable trigger journal_append_only");
        try {
            asOwner("update journal set description = ? where idempotency_key = ?", description, key);
        } finally {
            asOwner("alter table journal enable trigger journal_append_only");
        }
    }

    @Test
    void rl3AWalletHistoryOfARelockHoldsReturnWrittenBeforeTheChangeIsNoBankReversalEither() throws Exception {
        // Issue 10 leftover: the statement recognises a relock hold's return by journal.tx_id, old rows included; the member's
        // wallet history showed the journal's own description, which on rows written before R2-L3 says "reversed by the bank".
        paidThenFailedThenSuccessThenAReturnAsked();
        writtenBeforeRl3("payout_reversed:payout:" + id, "payout " + id + " reversed by the bank after success: not returned");
        writtenBeforeRl3("payout_failed:payout:" + id, "payout " + id + " returned to available after reversal: not returned");
        var history = walletHistory();
        assertThat(history).filteredOn(l -> l.journalKind().equals("PAYOUT_REVERSED")).isNotEmpty()
                .allSatisfy(l -> assertThat(l.description()).startsWith("payout " + id + " returned to be held for finance")
                        .doesNotContain("reversed by the bank").endsWith(": not returned"));
        assertThat(history).filteredOn(l -> l.journalKind().equals("PAYOUT_FAILED")).isNotEmpty()
                .allSatisfy(l -> assertThat(l.description()).startsWith("payout " + id + " returned, to be locked again for finance")
                        .doesNotContain("after reversal").endsWith(": not returned"));
    }

    @Test
    void rl3AWalletHistoryOfABanksReversalStillSaysSo() {
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.markPaid(id);
        payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED");
        var history = walletHistory();
        assertThat(history).filteredOn(l -> l.journalKind().equals("PAYOUT_REVERSED")).isNotEmpty()
                .allSatisfy(l -> assertThat(l.description()).contains("reversed by the bank after success"));
        assertThat(history).filteredOn(l -> l.journalKind().equals("PAYOUT_FAILED")).isNotEmpty()
                .allSatisfy(l -> assertThat(l.description()).contains("returned to available after reversal"));
    }

    @Test
    void rl3ABanksReversalIsStillOne() {
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.markPaid(id);
        payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED");
        var moves = statementMovements();
        assertThat(moves).extracting(m -> m.kind()).containsExactly("PAYOUT_PAID", "PAYOUT_REVERSED");
        assertThat(moves).noneMatch(m -> m.heldForFinance());
    }

    @Test
    void oneDefinitionOfPaidOutServesTheSettlementAndTheInvariantsForARefusalHoldNoJournalShowsPaid() throws Exception {
        // Left as found in s6: the invariant counted every refusal-held row as paid out, the settlement only one whose
        // journals show a payment. A refusal hold whose payment journal is gone (legacy or damaged) was paid for one, not
        // for the other.
        paidThenSuccessThenFailed();
        assertThat(payouts.settlement("stl_t").orElseThrow().paidPaise()).isEqualTo(owner);
        asOwner("update payout set paid_journal_id = null where payout_id = ?", id);
        payouts.refreshSettlement("stl_t");
        assertThat(payouts.settlement("stl_t").orElseThrow().paidPaise()).as("no journal shows it paid out").isZero();
        assertThat(new LedgerInvariants(dsl).check().violations()).as("the invariant reads the row the same way: its PAID"
                + " allocations have no paid-out payout").extracting(LedgerInvariants.Violation::invariant)
                .contains("paid allocations equal each member's paid payouts");
        // Finance settles it PAID (it moves nothing): PAID for both.
        payouts.resolve(id, "PAID", "bob", "the bank confirms the credit");
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(payouts.settlement("stl_t").orElseThrow().paidPaise()).isEqualTo(owner);
    }

    /** The settlement row's version: every UPDATE of it (a refresh, even one that changes no value) writes a new one. */
    String settlementVersion() {
        return dsl.fetchValue("select xmin::text from settlement where settlement_id = 'stl_t'").toString();
    }

    @Test
    void aLateAnswerOrLatePaidThatChangesNothingDoesNotRefreshTheSettlementAgain() {
        // Left as found in s6: latePaid refreshed the settlement on every call and lateAnswer on every answer it told finance
        // about, though nothing the settlement reads had changed.
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.markPaid(id);
        payouts.refreshSettlement("stl_t");
        String version = settlementVersion();
        assertThat(payouts.latePaid(id, "TRANSFER_SUCCESS delivered again")).as("paid already").isTrue();
        assertThat(settlementVersion()).as("latePaid on a paid payout").isEqualTo(version);
        assertThat(payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS again").action()).isEqualTo(LateAction.RECORDED);
        assertThat(settlementVersion()).isEqualTo(version);
        assertThat(payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED").action())
                .as("held for finance: the payout is open again").isEqualTo(LateAction.UNPOSTED);
        assertThat(settlementVersion()).as("a hold changes the settlement: refreshed").isNotEqualTo(version);
        assertThat(payouts.settlement("stl_t").orElseThrow().status()).isEqualTo("APPROVED");
        payouts.resolve(id, "PAID", "bob", "the bank confirms the credit");
        assertThat(payouts.settleHeld(id)).contains("PAID");
        assertThat(payouts.settlement("stl_t").orElseThrow().status()).isEqualTo("PAID");
        version = settlementVersion();
        assertThat(payouts.lateAnswer(id, "REJECTED", "INVALID_ACCOUNT_FAIL", "TRANSFER_REJECTED").action())
                .as("told to finance by an event only").isEqualTo(LateAction.UNPOSTED);
        assertThat(settlementVersion()).as("an event only").isEqualTo(version);
    }

    @Test
    void aRetriedLateAnswerRepairsASettlementWhoseRefreshWasLost() throws Exception {
        // Review s7 L2: the hold committed, then the settlement's refresh failed (a failover); Cashfree delivers again. The
        // retry finds the payout unchanged, and must still bring the settlement's totals up to date (it did before the
        // refresh became "only on change").
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.markPaid(id);
        payouts.refreshSettlement("stl_t");
        assertThat(payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED").action()).isEqualTo(LateAction.UNPOSTED);
        assertThat(payouts.settlement("stl_t").orElseThrow().status()).isEqualTo("APPROVED");
        // The refresh that followed the hold, lost: the row still says what it said before.
        asOwner("update settlement set status = 'PAID', completed_at = now() where settlement_id = ?", "stl_t");
        payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED delivered again");
        assertThat(payouts.settlement("stl_t").orElseThrow().status()).as("repaired by the retry").isEqualTo("APPROVED");
        assertThat(payouts.settlement("stl_t").orElseThrow().completedAt()).isNull();
        asOwner("update settlement set status = 'PAID', completed_at = now() where settlement_id = ?", "stl_t");
        payouts.latePaid(id, "TRANSFER_SUCCESS delivered again");
        assertThat(payouts.settlement("stl_t").orElseThrow().status()).as("repaired by latePaid's retry").isEqualTo("APPROVED");
    }
}
