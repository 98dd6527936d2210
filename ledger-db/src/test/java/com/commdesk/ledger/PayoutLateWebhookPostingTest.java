package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.ledger.payout.PayoutRepository.LateAction;
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

    @BeforeEach
    void aLockedPayout() {
        payouts = new PayoutRepository(dsl);
        pay("p1");
        holds.releaseDueHolds(OffsetDateTime.now().plusDays(400), 100);
        payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null, "ops");
        owner = wallet("available_paise");
        payouts.open("stl_t", "demo-community", "MANUAL", OffsetDateTime.now(), "alice", Long.MAX_VALUE);
        id = PayoutRepository.payoutId("stl_t", "owner", "u-owner");
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
        payouts.markPaid(id);
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
        // another event id: each must still see Cashfree's SUCCESS, never the contradicting FAILED it recorded.
        assertThat(payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED again").action())
                .isEqualTo(LateAction.UNPOSTED);
        assertThat(payouts.lateAnswer(id, "REJECTED", "INVALID_ACCOUNT_FAIL", "TRANSFER_REJECTED").action())
                .isEqualTo(LateAction.UNPOSTED);
        assertThat(wallet("paid_out_paise")).as("Cashfree said SUCCESS: a contradicting FAILED is not a guess to act on").isEqualTo(owner);
        assertThat(journals("PAYOUT_REVERSED")).isZero();
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("PAID");
        assertThat(payouts.payout(id).orElseThrow().cashfreeStatus()).as("a refusal never takes back Cashfree's SUCCESS")
                .isEqualTo("SUCCESS");
    }
}
