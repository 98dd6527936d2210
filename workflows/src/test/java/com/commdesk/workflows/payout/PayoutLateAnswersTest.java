package com.commdesk.workflows.payout;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.workflows.payout.PayoutTypes.*;
import io.temporal.client.*;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.*;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.*;

/**
 * Cashfree answers that reach a payout's workflow after it decided, or after finance decided for Cashfree (defects 5 and 6
 * of the payout review; its two cases, the first two below, failed on the code before {@code payout-late-answers-acted-on}).
 */
@Timeout(60)
class PayoutLateAnswersTest {
    static final TransferUpdate SUCCESS = new TransferUpdate("evt-ok", "SUCCESS", "COMPLETED", "paid", "cf-1");
    static final TransferUpdate FAILED = new TransferUpdate("evt-fail", "FAILED", "INVALID_ACCOUNT_FAIL", "no such account", "cf-1");

    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    WorkflowClient client = env.getWorkflowClient();
    final FakePayoutActivities fake = new FakePayoutActivities();

    @AfterEach
    void tearDown() { env.close(); }

    PayoutWorkflow signals(String id) { return client.newWorkflowStub(PayoutWorkflow.class, id); }

    /** Starts the payout with Cashfree's scripted answers and waits for its end. */
    PayoutStatus runScripted(String id, List<TransferResult> answers) {
        var w = env.newWorker(PayoutWorkflow.TASK_QUEUE);
        w.registerWorkflowImplementationTypes(PayoutWorkflowImpl.class);
        w.registerActivitiesImplementations(fake);
        env.start();
        fake.statusAnswers.put(id, new ArrayList<>(answers));
        PayoutWorkflow wf = client.newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
        WorkflowClient.start(wf::payout, new PayoutRequest(id, "stl_t", "c1", "owner", "u1", 700_000L, "system", false, null,
                FakePayoutActivities.TIMINGS));
        return WorkflowStub.fromTyped(wf).getResult(PayoutStatus.class);
    }

    /** Runs the payout (Cashfree answers PENDING); the first poll after it needs attention brings finance's resolution. */
    PayoutStatus run(String id, PayoutResolution resolution, String statusAfterwards) {
        AtomicBoolean resolved = new AtomicBoolean();
        fake.duringAsk = (p, n) -> {
            if (!"NEEDS_ATTENTION".equals(fake.statuses.get(p)) || !resolved.compareAndSet(false, true)) return;
            signals(p).resolve(resolution);
            fake.statusAnswers.put(p, new ArrayList<>(List.of(FakePayoutActivities.result(statusAfterwards))));
        };
        return runScripted(id, List.of(FakePayoutActivities.result("PENDING")));
    }

    static PayoutResolution confirmedFailed() {
        return new PayoutResolution("FAILED", "finance-alice", "finance-bob", "bank shows nothing");
    }

    static PayoutResolution confirmedPaid() {
        return new PayoutResolution("PAID", "finance-alice", null, "dashboard shows it paid");
    }

    /** Cashfree's SUCCESS webhook reaches the workflow while releaseFunds runs (the controller then records the event). */
    void successWhileReleasing() {
        fake.duringRelease = p -> signals(p).transferUpdate(SUCCESS);
    }

    @Test
    void aSuccessWebhookAcceptedWhileTheWorkflowReleasesTheMoneyIsNotLost() {
        // "Confirm failed" by two; while releaseFunds runs (retried up to a day if the database is down) Cashfree's SUCCESS
        // webhook arrives: the signal succeeds, the controller records the event, Cashfree never retries, nothing posts it.
        String id = "po_success_during_release";
        successWhileReleasing();
        PayoutStatus end = run(id, confirmedFailed(), "PENDING");
        assertThat(end.ignoredSignals()).as("the SUCCESS signal was taken in, not refused").isZero();
        assertThat(fake.statuses.get(id)).as("Cashfree paid it: the payout must end up booked as paid").isEqualTo("PAID");
    }

    @Test
    void cashfreesFailureAfterAConfirmedPaidReturnsTheMoney() {
        // "Confirm paid" needs one person; Cashfree then says FAILED (webhook, and the ask at the end of the reversal window).
        String id = "po_failed_after_confirmed_paid";
        fake.duringMarkPaid = p -> signals(p).transferUpdate(FAILED);
        run(id, confirmedPaid(), "FAILED");
        assertThat(fake.calls).contains("paid:" + id);
        assertThat(fake.statuses.get(id)).as("Cashfree says FAILED after a confirmed PAID: the money must come back").isNotEqualTo("PAID");
    }

    @Test
    void aSuccessPostedAfterReleaseIsWatchedForAReversal() {
        // The late SUCCESS is posted, and the bank's REVERSED (taken in before the payout was PAID again) returns the money.
        String id = "po_success_then_reversed";
        fake.duringRelease = p -> {
            signals(p).transferUpdate(SUCCESS);
            signals(p).transferUpdate(new TransferUpdate("evt-rev", "REVERSED", "REVERSED", "account closed", "cf-1"));
        };
        PayoutStatus end = run(id, confirmedFailed(), "PENDING");
        assertThat(fake.calls).containsSubsequence("release:FAILED", "late-paid:" + id, "reversed");
        assertThat(end.stage()).isEqualTo(PayoutStage.REVERSED);
    }

    @Test
    void aSuccessContradictingCashfreesOwnFailureIsNotPostedButGoesToFinance() {
        // Cashfree said FAILED (poll); a SUCCESS webhook then arrives while the money is released: two Cashfree answers
        // disagree, so nothing is posted on a guess and finance is told.
        String id = "po_failed_then_success";
        successWhileReleasing();
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("FAILED")));
        assertThat(fake.calls).contains("for-finance:" + id).doesNotContain("late-paid:" + id);
        assertThat(end.stage()).isEqualTo(PayoutStage.FAILED);
        assertThat(fake.statuses.get(id)).isEqualTo("FAILED");
    }

    @Test
    void aLateSuccessThatCannotBePostedStaysFailedForFinance() {
        String id = "po_success_money_gone";
        successWhileReleasing();
        fake.moneyGone.add(id);
        PayoutStatus end = run(id, confirmedFailed(), "PENDING");
        assertThat(fake.calls).contains("for-finance:" + id);
        assertThat(end.stage()).isEqualTo(PayoutStage.FAILED);
        assertThat(end.reason()).contains("finance must look");
    }

    @Test
    void cashfreesFailedAnswerAtTheEndOfTheWindowAfterAConfirmedPaidReturnsTheMoney() {
        // No webhook: only the ask at the end of the reversal window says FAILED.
        String id = "po_confirmed_paid_asked_failed";
        PayoutStatus end = run(id, confirmedPaid(), "FAILED");
        assertThat(fake.calls).containsSubsequence("paid:" + id, "reversed");
        assertThat(end.stage()).isEqualTo(PayoutStage.REVERSED);
        assertThat(end.reason()).contains("Cashfree says FAILED");
    }

    @Test
    void aConfirmedPaidThatCashfreeStillDoesNotConfirmGoesToFinanceAndStaysPaid() {
        String id = "po_confirmed_paid_still_pending";
        PayoutStatus end = run(id, confirmedPaid(), "PENDING");
        assertThat(fake.calls).contains("paid:" + id, "for-finance:" + id).doesNotContain("reversed");
        assertThat(end.stage()).isEqualTo(PayoutStage.PAID);
    }

    @Test
    void aFailedWebhookAfterCashfreesOwnSuccessReversesNothing() {
        // Paid on Cashfree's SUCCESS: a FAILED afterwards contradicts it and is not a reason to release the money.
        String id = "po_success_then_failed";
        fake.duringMarkPaid = p -> signals(p).transferUpdate(FAILED);
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("SUCCESS")));
        assertThat(fake.calls).doesNotContain("reversed");
        assertThat(end.stage()).isEqualTo(PayoutStage.PAID);
    }

    static final TransferUpdate REVERSED = new TransferUpdate("evt-rev", "REVERSED", "ACCOUNT_CLOSED", "account closed", "cf-1");

    /** Signals {@code update} once, while the workflow asks Cashfree after the payout was marked PAID (the end-of-window ask). */
    void duringTheEndOfWindowAsk(TransferUpdate update) {
        AtomicBoolean sent = new AtomicBoolean();
        fake.duringAsk = (p, n) -> {
            if ("PAID".equals(fake.statuses.get(p)) && sent.compareAndSet(false, true)) signals(p).transferUpdate(update);
        };
    }

    @Test
    void aReversedSignalledWhileTheEndOfWindowAskRunsIsActedOn() {
        // Review P3: the REVERSED is accepted (the controller records the event; Cashfree never sends it again) while the
        // workflow asks Cashfree once at the end of the window; the ask answers SUCCESS and the workflow used to end PAID.
        String id = "po_reversed_during_final_ask";
        duringTheEndOfWindowAsk(REVERSED);
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("SUCCESS")));
        assertThat(fake.calls).containsSubsequence("paid:" + id, "reversed");
        assertThat(end.stage()).isEqualTo(PayoutStage.REVERSED);
    }

    @Test
    void aFailedSignalledWhileTheEndOfWindowAskRunsReturnsMoneyPaidOnFinancesWord() {
        String id = "po_failed_during_final_ask";
        AtomicBoolean failed = confirmedPaidOnceItNeedsAttention(p -> signals(p).transferUpdate(FAILED));
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("PENDING")));
        assertThat(failed).as("the FAILED arrived during the end-of-window ask").isTrue();
        assertThat(fake.calls).containsSubsequence("paid:" + id, "reversed").doesNotContain("for-finance:" + id);
        assertThat(end.stage()).isEqualTo(PayoutStage.REVERSED);
    }

    @Test
    void aSuccessAndAReversedTakenInTogetherWhileAwaitingTheResultReverseThePayout() {
        // The poll answers SUCCESS while Cashfree's REVERSED webhook is signalled (before the workflow knew of the success,
        // so it went to "latest"): the payout is paid and must be reversed, not watched for a whole window and kept PAID.
        String id = "po_success_and_reversed_together";
        AtomicBoolean sent = new AtomicBoolean();
        fake.duringAsk = (p, n) -> {
            if (sent.compareAndSet(false, true)) signals(p).transferUpdate(REVERSED);
        };
        fake.statusAnswers.put(id, new ArrayList<>(List.of(FakePayoutActivities.result("SUCCESS"))));
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("SUCCESS")));
        assertThat(fake.calls).containsSubsequence("paid:" + id, "reversed");
        assertThat(end.stage()).isEqualTo(PayoutStage.REVERSED);
        assertThat(fake.asks.get(id).get()).as("reversed on the webhook it had, without waiting for the end-of-window ask").isEqualTo(1);
    }

    @Test
    void aTransferRequestWhoseOutcomeStaysUnknownNeedsAttentionWithinTheBound() {
        // The dev stack's observation: an undocumented 404 answered the transfer request; with attention-after 30 s the
        // payout stayed SENT for minutes, because the send step retried for its own 30 minutes before the bound started.
        String id = "po_send_unknown";
        fake.sendUnknown.add(id);
        fake.statusAnswers.put(id, new ArrayList<>(List.of(FakePayoutActivities.result("PENDING"))));
        var t = FakePayoutActivities.TIMINGS;
        var timings = new PayoutTimings(t.escalateAfterMillis(), t.approvalTimeoutMillis(), t.pollIntervalMillis(),
                t.maxPollIntervalMillis(), t.reversalWindowMillis(), java.time.Duration.ofMinutes(5).toMillis());
        var w = env.newWorker(PayoutWorkflow.TASK_QUEUE);
        w.registerWorkflowImplementationTypes(PayoutWorkflowImpl.class);
        w.registerActivitiesImplementations(fake);
        env.start();
        PayoutWorkflow wf = client.newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
        WorkflowClient.start(wf::payout, new PayoutRequest(id, "stl_t", "c1", "owner", "u1", 700_000L, "system", false, null, timings));
        env.sleep(java.time.Duration.ofMinutes(12));
        assertThat(fake.calls).as("NEEDS_ATTENTION within the bound (5 min), not after the send's own retries").contains("attention:" + id);
        assertThat(fake.calls).doesNotContain("release:FAILED");
    }

    /**
     * Finance's "confirm paid" at the first poll after the payout needs attention (Cashfree keeps saying PENDING), and
     * {@code whenPaid} during the first ask after it is PAID (the end-of-window ask); returns whether that ran.
     */
    AtomicBoolean confirmedPaidOnceItNeedsAttention(java.util.function.Consumer<String> whenPaid) {
        AtomicBoolean resolved = new AtomicBoolean(), paid = new AtomicBoolean();
        fake.duringAsk = (p, n) -> {
            if ("NEEDS_ATTENTION".equals(fake.statuses.get(p)) && resolved.compareAndSet(false, true)) signals(p).resolve(confirmedPaid());
            if ("PAID".equals(fake.statuses.get(p)) && paid.compareAndSet(false, true)) whenPaid.accept(p);
        };
        return paid;
    }

    @Test
    void aSuccessTakenInWhileMoneyPaidOnFinancesWordIsReturnedIsHeldForFinance() {
        // Review P4-2: confirm paid, Cashfree's FAILED returns the money, and its SUCCESS is accepted meanwhile (the controller
        // recorded it; Cashfree will not send it again): it used to be dropped, the money spendable while Cashfree says paid.
        String id = "po_success_during_reverse";
        confirmedPaidOnceItNeedsAttention(p -> signals(p).transferUpdate(FAILED));
        fake.duringReverse = p -> signals(p).transferUpdate(SUCCESS);
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("PENDING")));
        assertThat(end.ignoredSignals()).as("the SUCCESS was accepted").isZero();
        assertThat(fake.calls).as("Cashfree's SUCCESS after the return reaches the ledger, which holds the money for finance")
                .containsSubsequence("paid:" + id, "reversed", "for-finance:" + id);
    }

    @Test
    void cashfreesFailedAndSuccessTogetherOnAConfirmedPaidPayoutReturnNothingAndTellFinance() {
        // Confirm paid, then Cashfree's FAILED and its SUCCESS taken in together: they contradict each other; the money is
        // not returned on a guess (it used to be, and the SUCCESS dropped), finance is told (review P4-1/P4-2).
        String id = "po_confirmed_paid_failed_and_success";
        confirmedPaidOnceItNeedsAttention(p -> { });
        AtomicBoolean sent = new AtomicBoolean();
        fake.duringMarkPaid = p -> {
            if (!sent.compareAndSet(false, true)) return;
            fake.cashfreeSuccess.add(p); // the controller records each answer before it signals
            signals(p).transferUpdate(FAILED);
            signals(p).transferUpdate(SUCCESS);
        };
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("PENDING")));
        assertThat(sent).isTrue();
        // Since payout-paid-contradiction-held (review M-2): on finance's list, no longer an event only.
        assertThat(fake.calls).contains("held:" + id).doesNotContain("reversed");
        assertThat(end.stage()).isEqualTo(PayoutStage.NEEDS_ATTENTION);
    }

    @Test
    void aConfirmedPaidWhoseEndOfWindowAskKeepsFailingGoesToFinance() {
        // Review P4-4: docs/payouts.md says finance is told (LATE_UNPOSTED) when Cashfree does not confirm a confirm-paid.
        String id = "po_confirmed_paid_ask_fails";
        confirmedPaidOnceItNeedsAttention(p -> { });
        fake.askFails.add(id); // every end-of-window ask from now on, for its 3 days of retries
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("PENDING")));
        assertThat(fake.calls).containsSubsequence("paid:" + id, "for-finance:" + id).doesNotContain("reversed");
        assertThat(end.stage()).isEqualTo(PayoutStage.PAID);
    }

    // ---- Review M-2: Cashfree's FAILED/REJECTED after its own SUCCESS while the reversal window runs --------------------

    @Test
    void m2aAFailedWebhookAfterCashfreesOwnSuccessDuringTheWindowPutsThePayoutOnFinancesList() {
        // (a) Paid on Cashfree's SUCCESS; its FAILED arrives within the reversal window. The workflow used to end PAID and
        // nothing reached finance: not on the attention list, not a sweep candidate.
        String id = "po_m2a_success_then_failed";
        fake.cashfreeSuccess.add(id);
        fake.duringMarkPaid = p -> signals(p).transferUpdate(FAILED);
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("SUCCESS")));
        assertThat(fake.statuses.get(id)).as("the ledger holds the PAID payout for finance").isEqualTo("NEEDS_ATTENTION");
        assertThat(fake.calls).contains("held:" + id).doesNotContain("reversed");
        assertThat(end.stage()).isEqualTo(PayoutStage.NEEDS_ATTENTION);
    }

    @Test
    void m2bAFailedAfterCashfreesSuccessOnAConfirmedPaidPayoutPutsItOnFinancesList() {
        // (b) Paid on finance's word; Cashfree's SUCCESS is signalled, then its FAILED (webhook, and the end-of-window ask).
        // The workflow used to write a LATE_UNPOSTED event only and end PAID.
        String id = "po_m2b_confirmed_paid_success_then_failed";
        confirmedPaidOnceItNeedsAttention(p -> { });
        AtomicBoolean sent = new AtomicBoolean();
        fake.duringMarkPaid = p -> {
            if (!sent.compareAndSet(false, true)) return;
            fake.cashfreeSuccess.add(p);
            signals(p).transferUpdate(SUCCESS);
            signals(p).transferUpdate(FAILED);
            fake.statusAnswers.put(p, new ArrayList<>(List.of(FakePayoutActivities.result("FAILED"))));
        };
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("PENDING")));
        assertThat(sent).isTrue();
        assertThat(fake.statuses.get(id)).as("the ledger holds the PAID payout for finance").isEqualTo("NEEDS_ATTENTION");
        assertThat(fake.calls).contains("held:" + id).doesNotContain("reversed");
        assertThat(end.stage()).isEqualTo(PayoutStage.NEEDS_ATTENTION);
    }

    @Test
    void m2cAReturnTheLedgerRefusesIsNotReportedAsReversed() {
        // (c) Paid on finance's word; the controller recorded Cashfree's SUCCESS but its signal is not taken in yet; then
        // Cashfree's FAILED. The workflow asks the ledger to return the money, the ledger refuses (Cashfree said SUCCESS),
        // and the workflow used to say REVERSED while the books said PAID, with the payout on nobody's list.
        String id = "po_m2c_confirmed_paid_unsignalled_success_then_failed";
        fake.cashfreeSuccess.add(id);
        confirmedPaidOnceItNeedsAttention(p -> { });
        AtomicBoolean sent = new AtomicBoolean();
        fake.duringMarkPaid = p -> {
            if (sent.compareAndSet(false, true)) signals(p).transferUpdate(FAILED);
        };
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("PENDING")));
        assertThat(sent).isTrue();
        assertThat(fake.statuses.get(id)).as("the ledger holds the PAID payout for finance").isEqualTo("NEEDS_ATTENTION");
        assertThat(end.stage().name()).as("the workflow's status says what the ledger did").isEqualTo(fake.statuses.get(id));
        assertThat(fake.calls).contains("held:" + id).doesNotContain("reversed");
    }

    // ---- Review s6 L-4 --------------------------------------------------------------------------------------------------

    @Test
    void l4AFailedThenAReversedInTheWindowReturnTheMoneyOnceNotAHold() {
        // Paid on Cashfree's SUCCESS; within the window its FAILED, then its REVERSED (recorded by the controller before each
        // signal): the bank sent the money back, which settles the contradiction: returned once, never held.
        String id = "po_l4_success_failed_reversed";
        fake.cashfreeSuccess.add(id);
        fake.duringMarkPaid = p -> {
            fake.cashfreeRecord.put(p, "FAILED");
            signals(p).transferUpdate(FAILED);
            fake.cashfreeRecord.put(p, "REVERSED");
            signals(p).transferUpdate(REVERSED);
        };
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("SUCCESS")));
        assertThat(fake.calls).contains("reversed").doesNotContain("held:" + id, "relocked:" + id);
        assertThat(fake.statuses.get(id)).isEqualTo("REVERSED");
        assertThat(end.stage()).isEqualTo(PayoutStage.REVERSED);
    }

    @Test
    void fm1AFailedRecordedBeforeTheSuccessIsARelockHoldAndTheStageSaysSo() {
        // Review s6 F-M1 in the workflow: Cashfree's record says FAILED (its SUCCESS came after): the ledger returns the money
        // and locks it again at once; the workflow's stage follows the ledger (NEEDS_ATTENTION), not REVERSED.
        String id = "po_fm1_failed_recorded_first";
        fake.cashfreeSuccess.add(id);
        fake.cashfreeRecord.put(id, "FAILED");
        fake.duringMarkPaid = p -> signals(p).transferUpdate(FAILED);
        PayoutStatus end = runScripted(id, List.of(FakePayoutActivities.result("SUCCESS")));
        assertThat(fake.calls).contains("relocked:" + id).doesNotContain("held:" + id, "reversed");
        assertThat(end.stage()).isEqualTo(PayoutStage.NEEDS_ATTENTION);
    }
}
