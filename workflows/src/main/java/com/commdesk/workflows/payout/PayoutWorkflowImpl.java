package com.commdesk.workflows.payout;

import com.commdesk.workflows.StepOptions;
import com.commdesk.workflows.payout.PayoutTypes.PayoutDecision;
import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
import com.commdesk.workflows.payout.PayoutTypes.PayoutResolution;
import com.commdesk.workflows.payout.PayoutTypes.PayoutResume;
import com.commdesk.workflows.payout.PayoutTypes.PayoutStage;
import com.commdesk.workflows.payout.PayoutTypes.PayoutStatus;
import com.commdesk.workflows.payout.PayoutTypes.TransferResult;
import com.commdesk.workflows.payout.PayoutTypes.TransferUpdate;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Deterministic orchestration of one payout (docs/payouts.md). The money is locked first, so an
 * approval wait or a slow bank never lets the same balance be paid twice. The transfer is requested
 * by one activity call whose implementation never sends twice; webhooks and approvals are
 * deduplicated here.
 *
 * <p>Version {@value #FAIL_CLOSED} (payouts fail closed): the money goes back to available only when
 * Cashfree definitively says the transfer failed or does not exist, or when nothing was ever sent
 * (refused beneficiary, rejection, no approval). While the outcome is unknown (timeouts, 5xx, 401/403,
 * a 404 that is not Cashfree's, RECEIVED, PENDING, APPROVAL_PENDING) the money stays locked and the
 * transfer is polled by its id with backoff; after {@code attentionAfter} the payout is NEEDS_ATTENTION
 * for finance, who resolve it by signal (PAID, or FAILED named by two people). A flag raised before
 * the transfer makes it wait for an approval. The polling loop continues as new every
 * {@value #POLLS_PER_RUN} polls. Histories recorded before this version replay the old path.
 *
 * <p>Version {@value #LATE_ANSWERS}: Cashfree's answers that arrive after the workflow decided are acted on (a SUCCESS
 * taken in while the money is released is posted as paid; a FAILED after finance's "confirm paid" returns the money).
 *
 * <p>Version {@value #DECISION_SEES_FLAGS}: an approval counts only if no flag was raised since the approver saw the payout.
 */
public class PayoutWorkflowImpl implements PayoutWorkflow {
    private static final Logger log = Workflow.getLogger(PayoutWorkflowImpl.class);

    static final RetryOptions RETRY = StepOptions.retry(PayoutActivities.INSUFFICIENT_FUNDS);

    /** Ledger steps: short attempts, retried for up to a day (a database failover must not lose a payout). */
    static final ActivityOptions LEDGER_STEP = StepOptions.activity(Duration.ofSeconds(30), Duration.ofDays(1), RETRY);

    /** Cashfree steps: one attempt is bounded by the client timeout; retried for up to three days. */
    static final ActivityOptions CASHFREE_STEP = StepOptions.activity(Duration.ofMinutes(1), Duration.ofDays(3), RETRY);

    static final LocalActivityOptions LOCAL_STEP = StepOptions.local(Duration.ofSeconds(10), Duration.ofMinutes(10), RETRY);

    /**
     * getVersion change id: four eyes compares subjects ignoring letter case ("alice" is "Alice") and also
     * refuses the payout's recipient as its approver. Histories recorded before it keep the exact match.
     */
    static final String FOUR_EYES_IGNORES_CASE = "four-eyes-ignores-case";

    /** Bound on remembered webhook event ids. */
    static final int MAX_EVENTS = 100;

    static final String FAIL_CLOSED = "payout-fail-closed";
    /** Cashfree's terminal webhook wins over a finance resolution that arrived with it. */
    static final String CASHFREE_FIRST = "payout-cashfree-answer-first";
    /** A resolution or terminal webhook that arrived during the last poll of a run is acted on, not dropped by continue-as-new. */
    static final String ANSWERS_KEPT = "payout-answers-kept-across-runs";
    /**
     * Cashfree's answers that reach the workflow after it decided are acted on: a SUCCESS taken in while the money was
     * being released is posted by its own journals, and a FAILED/REJECTED after a finance-only "confirm paid" returns
     * the money like a REVERSED.
     */
    static final String LATE_ANSWERS = "payout-late-answers-acted-on";
    /**
     * The decision is recorded with the flag generation the approver saw: an approval signalled before a flag but
     * recorded after it no longer counts (the send then finds the payout flagged and waits for a new approval).
     */
    static final String DECISION_SEES_FLAGS = "payout-decision-sees-flags";
    /**
     * Cashfree's REVERSED (or, paid on finance's word alone, its FAILED/REJECTED) taken in while the payout was being
     * marked paid or while the end-of-window ask ran is acted on: the watch starts from a REVERSED already seen, and
     * looks again at what arrived during the ask before it ends (review P3). A payout paid on finance's word alone is
     * marked so by its own step ({@code markPaidOnFinanceWord}), the fact a late FAILED after the workflow ended is
     * checked against (review P10).
     */
    static final String ANSWERS_RECHECKED = "payout-answers-rechecked";
    /**
     * The transfer request's retries end within {@code attentionAfter} (they had their own 30 minutes), and the bound
     * runs from the request, not from when the request step gave up: a transfer whose outcome stays unknown (e.g. an
     * undocumented 404 to the POST and every GET) is NEEDS_ATTENTION within the bound (dev-stack observation).
     */
    static final String SEND_BOUNDED = "payout-send-bounded-by-attention";
    /** Polls (or webhook wake-ups) of one run before the wait continues as new: a bounded history. */
    static final int POLLS_PER_RUN = 200;
    /**
     * A payout started before {@value #FAIL_CLOSED} polled in one run for as long as Cashfree said PENDING (an unbounded
     * history). Since this version its wait, too, continues as new after {@value #POLLS_PER_RUN} polls, into the
     * fail-closed wait: the money stays locked, the payout becomes NEEDS_ATTENTION once its outcome has been unknown
     * for {@code attentionAfter} since the transfer was sent, and Cashfree's answer or finance's resolution settles it.
     */
    static final String V0_POLLS_BOUNDED = "payout-v0-polls-continue-as-new";

    /**
     * The change id deciding whether a v0 payout's wait continues as new at poll {@code 200 * block + 1}: block 1 keeps
     * {@value #V0_POLLS_BOUNDED} (its histories replay), every later block has its own, {@code V0_POLLS_BOUNDED + "-" + block}.
     * A v0 execution already past a block boundary when that code was deployed replays the call without a marker
     * (DEFAULT_VERSION), and Temporal keeps a change id's answer for the whole execution: with one id it polled in one run
     * for ever (review S2). A fresh id per block is decided the first time an execution reaches it live, so such an
     * execution continues as new at the end of the block it is in. A history that passed a boundary without its marker
     * replays too: each id answers DEFAULT_VERSION there, with no command.
     */
    static String v0PollsBoundedChange(int block) {
        return block <= 1 ? V0_POLLS_BOUNDED : V0_POLLS_BOUNDED + "-" + block;
    }
    /**
     * A run continuing as new marks its {@link PayoutResume} {@code restoredBeforeSignals}: the next run restores the
     * carried state in its {@link WorkflowInit} constructor, before the handlers of signals that came with its first task
     * (review S1). A run continued by older code restored it in the workflow method, after those handlers; its history was
     * recorded that way (a resolution at the boundary dropped), so it keeps that order and replays.
     */
    static final String RESTORED_BEFORE_SIGNALS = "payout-resume-restored-before-signals";
    /**
     * A decision signalled after one was taken in the same approval round (while that one is recorded, or while the send
     * runs) is kept, not dropped: if the first turns out superseded by a flag raised since (the send answers
     * APPROVAL_REQUIRED), the kept one is the new decision at once (review P12: a re-approval given while the superseded
     * approval was recorded was dropped; the payout waited, was escalated and rejected automatically). If the first
     * counted, the kept one changes nothing, like any later signal. Histories recorded before it dropped it, and replay so.
     */
    static final String REAPPROVAL_KEPT = "payout-reapproval-kept";
    /**
     * Cashfree's FAILED/REJECTED after its own SUCCESS, taken in within the reversal window, reaches finance (review M-2):
     * it wakes the watch, and the ledger holds the PAID payout for finance ({@code holdPaidForFinance}: NEEDS_ATTENTION, the
     * money stays paid out), as it does when the refusal arrives after the workflow ended. A return the ledger refuses
     * because Cashfree said SUCCESS ({@code returnPaid}) is held the same way, and the stage is REVERSED only when the
     * ledger says the money came back. Histories recorded before it ended PAID (or REVERSED with the books PAID), and replay so.
     */
    static final String CONTRADICTION_HELD = "payout-paid-contradiction-held";

    /** Version 1 Cashfree steps: short, so an unreachable or refusing Cashfree becomes "unknown" in minutes, not days. */
    static final ActivityOptions CASHFREE_SEND = StepOptions.activity(Duration.ofMinutes(1), Duration.ofMinutes(30), RETRY);
    static final ActivityOptions CASHFREE_ASK = StepOptions.activity(Duration.ofMinutes(1), Duration.ofMinutes(10), RETRY);

    private final PayoutActivities ledger = Workflow.newActivityStub(PayoutActivities.class, LEDGER_STEP);
    private final PayoutActivities cashfree = Workflow.newActivityStub(PayoutActivities.class, CASHFREE_STEP);
    private final PayoutActivities local = Workflow.newLocalActivityStub(PayoutActivities.class, LOCAL_STEP);
    private final PayoutActivities send = Workflow.newActivityStub(PayoutActivities.class, CASHFREE_SEND);
    private final PayoutActivities ask = Workflow.newActivityStub(PayoutActivities.class, CASHFREE_ASK);

    private PayoutRequest request;
    private boolean fourEyesIgnoresCase;
    private PayoutStage stage = PayoutStage.LOCKING;
    private PayoutDecision decision;
    private boolean approved;
    /** Since {@value #REAPPROVAL_KEPT}: the first decision signalled after {@link #decision} was taken, and whether it approves. */
    private PayoutDecision nextDecision;
    private boolean nextApproved;
    private boolean keepNextDecision;
    private boolean escalated;
    private String decidedBy;
    private String reason;
    private String cashfreeStatus;
    private TransferUpdate latest;
    private TransferUpdate reversal;
    /** The first SUCCESS and REVERSED webhooks taken in, whatever the workflow was doing then. */
    private TransferUpdate success;
    private TransferUpdate reversedSeen;
    /** The first FAILED/REJECTED webhook taken in (acted on since {@value #CONTRADICTION_HELD}). */
    private TransferUpdate refusalSeen;
    /** PAID on finance's word alone ("confirm paid"): Cashfree has not said SUCCESS. */
    private boolean paidOnFinanceWord;
    private int ignoredSignals;
    private final Set<String> eventIds = new LinkedHashSet<>();
    private PayoutResolution resolution;
    /** The stub that requests the transfer: {@code send}, or one whose retries end within attentionAfter. */
    private PayoutActivities sender = send;
    private boolean attention;
    private int runs;

    /**
     * Restores a continued run's state before any signal handler runs: Temporal runs the handlers of signals that
     * arrive with a run's first task before the workflow method, so a finance resolution or a webhook sent at the
     * continue-as-new boundary would otherwise meet an empty payout (a resolution was dropped). No commands. Only when
     * the continuing run asked for it ({@value #RESTORED_BEFORE_SIGNALS}); a run continued by older code restores in the
     * workflow method, as that code did.
     */
    @WorkflowInit
    public PayoutWorkflowImpl(PayoutRequest r) {
        request = r;
        PayoutResume state = r == null ? null : r.resume();
        if (state != null && state.restoredBeforeSignals()) restore(state);
    }

    private void restore(PayoutResume state) {
        cashfreeStatus = state.cashfreeStatus();
        decidedBy = state.decidedBy();
        escalated = state.escalated();
        attention = state.attention();
        ignoredSignals = state.ignoredSignals();
        runs = state.runs();
        if (state.eventIds() != null) eventIds.addAll(state.eventIds());
        stage = attention ? PayoutStage.NEEDS_ATTENTION : PayoutStage.AWAITING_RESULT;
    }

    @Override
    public PayoutStatus payout(PayoutRequest r) {
        request = r;
        // Set before any path (a continued run, v0, fail-closed): the decide() signal handler reads it.
        fourEyesIgnoresCase = Workflow.getVersion(FOUR_EYES_IGNORES_CASE, Workflow.DEFAULT_VERSION, 1) >= 1;
        if (r.resume() != null) { // a continued run: the fail-closed wait for Cashfree's answer
            PayoutResume state = r.resume();
            if (!state.restoredBeforeSignals()) restore(state); // continued by older code: restored here, after the first handlers
            TransferResult pending = new TransferResult(cashfreeStatus == null ? TransferResult.UNKNOWN : cashfreeStatus, null, null, null);
            return awaitOutcome(pending, state.unknownSinceMillis(), state.waitMillis());
        }
        if (Workflow.getVersion(FAIL_CLOSED, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
            return payoutV0(r);
        }
        String id = r.payoutId();
        if (!lockedAndApproved(r)) return status();
        boolean bounded = Workflow.getVersion(SEND_BOUNDED, Workflow.DEFAULT_VERSION, 1) >= 1;
        long attentionAfter = r.timings().attentionAfter();
        if (bounded && attentionAfter > 0 && attentionAfter < CASHFREE_SEND.getScheduleToCloseTimeout().toMillis()) {
            sender = Workflow.newActivityStub(PayoutActivities.class, ActivityOptions.newBuilder(CASHFREE_SEND)
                    .setScheduleToCloseTimeout(Duration.ofMillis(attentionAfter)).build());
        }
        TransferResult result;
        long requested;
        while (true) {
            stage = PayoutStage.SENDING;
            requested = Workflow.currentTimeMillis();
            result = trySend(id);
            if (TransferResult.APPROVAL_REQUIRED.equals(result.status())) {
                // Flagged after the settlement opened and before the transfer: wait for a (new) approval. One signalled
                // while the superseded one was recorded or sent (REAPPROVAL_KEPT) is that new approval.
                decision = nextDecision;
                approved = nextDecision != null && nextApproved;
                nextDecision = null;
                if (!approval("flagged before the transfer: " + result.description())) return status();
                continue;
            }
            if (TransferResult.NOT_SENT.equals(result.status())) {
                return finish(PayoutStage.FAILED, "no transfer was requested: " + result.description());
            }
            break;
        }
        if (nextDecision != null) { // the decision taken counted: a later one changes nothing
            nextDecision = null;
            ignoredSignals++;
        }
        return awaitOutcome(result, bounded ? requested : Workflow.currentTimeMillis(), r.timings().pollIntervalMillis());
    }

    /**
     * Locks the money and, if the payout needs it, waits for an approval; false when the payout has
     * finished instead (could not lock: FAILED, with whatever a late lock did released by the ledger,
     * which reads the payout's own lock record under its row lock; or REJECTED).
     */
    private boolean lockedAndApproved(PayoutRequest r) {
        try {
            ledger.lockFunds(r.payoutId());
        } catch (ActivityFailure e) {
            finish(PayoutStage.FAILED, "could not lock " + r.amountPaise() + " paise: " + describe(e));
            return false;
        }
        return !r.needsApproval() || approval(r.flaggedReason() != null ? "flagged: " + r.flaggedReason() : "above the approval threshold");
    }

    /** Waits for a four-eyes decision; false (and finished REJECTED) unless approved. */
    private boolean approval(String why) {
        String id = request.payoutId();
        keepNextDecision = Workflow.getVersion(REAPPROVAL_KEPT, Workflow.DEFAULT_VERSION, 1) >= 1;
        stage = PayoutStage.AWAITING_APPROVAL;
        local.recordPayoutStatus(id, "PENDING_APPROVAL", null, why);
        var t = request.timings();
        long escalateAfter = Math.min(t.escalateAfterMillis(), t.approvalTimeoutMillis());
        boolean decided = Workflow.await(Duration.ofMillis(escalateAfter), () -> decision != null);
        if (!decided) {
            escalated = true;
            ledger.escalate(id, escalateAfter);
            decided = Workflow.await(Duration.ofMillis(t.approvalTimeoutMillis() - escalateAfter), () -> decision != null);
        }
        if (!decided) {
            finish(PayoutStage.REJECTED, "no decision within " + Duration.ofMillis(t.approvalTimeoutMillis()) + ": rejected automatically");
            return false;
        }
        decidedBy = decision.approver();
        if (Workflow.getVersion(DECISION_SEES_FLAGS, Workflow.DEFAULT_VERSION, 1) >= 1) {
            ledger.recordDecisionAsSeen(id, approved, decidedBy, decision.note(), decision.flagGeneration());
        } else {
            ledger.recordDecision(id, approved, decidedBy, decision.note());
        }
        if (!approved) {
            finish(PayoutStage.REJECTED, "rejected by " + decidedBy + (decision.note() == null ? "" : ": " + decision.note()));
            return false;
        }
        return true;
    }

    /** The one transfer request; a failure that outlasts the step's retries is an unknown outcome, never a refusal. */
    private TransferResult trySend(String id) {
        try {
            return sender.sendTransfer(id);
        } catch (ActivityFailure e) {
            if (isType(e, TransferResult.NOT_SENT)) return new TransferResult(TransferResult.NOT_SENT, null, describe(e), null);
            log.warn("payout {}: transfer request outcome unknown: {}", id, describe(e));
            return new TransferResult(TransferResult.UNKNOWN, null, describe(e), null);
        }
    }

    private TransferResult tryAsk(String id) {
        try {
            return ask.transferStatus(id);
        } catch (ActivityFailure e) {
            return new TransferResult(TransferResult.UNKNOWN, null, describe(e), null);
        }
    }

    /**
     * Until Cashfree gives a terminal answer (webhook or poll, backing off to the maximum interval) or
     * finance resolves it: the money stays locked; after attentionAfter the payout is NEEDS_ATTENTION.
     */
    private PayoutStatus awaitOutcome(TransferResult first, long unknownSince, long firstWait) {
        String id = request.payoutId();
        var t = request.timings();
        TransferResult result = first;
        cashfreeStatus = result.status();
        stage = attention ? PayoutStage.NEEDS_ATTENTION : PayoutStage.AWAITING_RESULT;
        long wait = firstWait;
        int polls = 0;
        while (!result.terminal()) {
            if (polls++ >= POLLS_PER_RUN && (!answered() || Workflow.getVersion(ANSWERS_KEPT, Workflow.DEFAULT_VERSION, 1)
                    == Workflow.DEFAULT_VERSION)) {
                // A resolution or a terminal webhook taken in during the last poll is not carried by PayoutResume:
                // since ANSWERS_KEPT it is acted on below instead of being lost with this run.
                boolean restoredFirst = Workflow.getVersion(RESTORED_BEFORE_SIGNALS, Workflow.DEFAULT_VERSION, 1) >= 1;
                Workflow.continueAsNew(request.resumed(new PayoutResume(cashfreeStatus, decidedBy, escalated, unknownSince, wait, attention,
                        List.copyOf(eventIds), ignoredSignals, runs + 1, restoredFirst)));
            }
            if (!attention && Workflow.currentTimeMillis() - unknownSince >= t.attentionAfter()) {
                attention = true;
                stage = PayoutStage.NEEDS_ATTENTION;
                reason = "Cashfree's answer about the transfer is unknown after " + Duration.ofMillis(t.attentionAfter()) + " (last: "
                        + result.status() + (result.description() == null ? "" : ", " + result.description()) + "); the money stays locked";
                ledger.markNeedsAttention(id, reason);
            }
            boolean woken = Workflow.await(Duration.ofMillis(wait),
                    () -> (latest != null && outcome(latest).terminal()) || resolution != null);
            boolean cashfreeAnswered = latest != null && outcome(latest).terminal();
            // Cashfree's own terminal answer outranks finance's resolution when both arrived (since CASHFREE_FIRST):
            // releasing after a SUCCESS webhook pays twice; booking PAID after a FAILED one takes the member's money.
            if (resolution != null && (!cashfreeAnswered
                    || Workflow.getVersion(CASHFREE_FIRST, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION)) {
                PayoutResolution done = resolution;
                if ("FAILED".equals(done.outcome())) {
                    return finish(PayoutStage.FAILED, "confirmed failed by " + done.requestedBy() + " and " + done.confirmedBy()
                            + (done.note() == null ? "" : ": " + done.note()));
                }
                result = new TransferResult("SUCCESS", "CONFIRMED_BY_FINANCE", "confirmed paid by " + done.requestedBy(), null);
                paidOnFinanceWord = true;
                break;
            }
            result = woken ? outcome(latest) : tryAsk(id);
            if (TransferResult.NOT_FOUND.equals(result.status())) {
                // Cashfree definitively does not have it: request it again, with the same transfer_id.
                result = trySend(id);
                if (TransferResult.NOT_SENT.equals(result.status()) || TransferResult.APPROVAL_REQUIRED.equals(result.status())) {
                    return finish(PayoutStage.FAILED, "Cashfree has no such transfer and none can be requested: " + result.description());
                }
            }
            cashfreeStatus = result.status();
            wait = Math.min(wait * 2, t.maxPollIntervalMillis());
        }
        if (result.failed()) {
            return finish(PayoutStage.FAILED, "Cashfree " + result.status() + " " + result.statusCode()
                    + (result.description() == null ? "" : ": " + result.description()));
        }
        cashfreeStatus = result.status();
        if (paidOnFinanceWord && Workflow.getVersion(ANSWERS_RECHECKED, Workflow.DEFAULT_VERSION, 1) >= 1) {
            ledger.markPaidOnFinanceWord(id);
        } else {
            ledger.markPaid(id);
        }
        stage = PayoutStage.PAID;
        return watchForReversal(id);
    }

    /** Finance resolved it, or Cashfree's webhook gave a terminal status, and the wait has not acted on it yet. */
    private boolean answered() {
        return resolution != null || (latest != null && outcome(latest).terminal());
    }

    /**
     * The bank can still send the money back: act on a REVERSED webhook within the window, and ask once at its end.
     * Paid on finance's word alone (since {@value #LATE_ANSWERS}), Cashfree's definitive FAILED or REJECTED (webhook, or
     * the answer at the end of the window) means the money never left: it comes back exactly as after a reversal.
     */
    private PayoutStatus watchForReversal(String id) {
        boolean financeWordOnly = paidOnFinanceWord && Workflow.getVersion(LATE_ANSWERS, Workflow.DEFAULT_VERSION, 1) >= 1;
        boolean recheck = Workflow.getVersion(ANSWERS_RECHECKED, Workflow.DEFAULT_VERSION, 1) >= 1;
        boolean holds = Workflow.getVersion(CONTRADICTION_HELD, Workflow.DEFAULT_VERSION, 1) >= 1;
        // A REVERSED taken in before the payout was PAID (with the SUCCESS, in one task) went to "latest", not "reversal".
        if (recheck && reversal == null) reversal = reversedSeen;
        boolean answered = Workflow.await(Duration.ofMillis(request.timings().reversalWindowMillis()),
                () -> reversal != null || (financeWordOnly && cashfreeRefused()) || (holds && refusalSeen != null));
        TransferResult last;
        try {
            last = reversal != null ? outcome(reversal) : answered ? outcome(holds && refusalSeen != null ? refusalSeen : latest)
                    : cashfree.transferStatus(id);
        } catch (ActivityFailure e) {
            log.warn("payout {}: could not ask Cashfree at the end of the reversal window: {}", id, describe(e));
            // Since ANSWERS_RECHECKED a payout paid on finance's word alone is not left PAID in silence (review P4-4): finance is told.
            if (!recheck || (reversal == null && !financeWordOnly && !(holds && refusalSeen != null))) return status();
            last = new TransferResult(TransferResult.UNKNOWN, null, describe(e), null);
        }
        if (recheck) {
            // Signals accepted while the ask ran: the controller recorded their events, Cashfree will not send them again.
            if (reversal != null) last = outcome(reversal);
            else if (financeWordOnly && cashfreeRefused() && !last.failed()) last = outcome(latest);
            else if (holds && refusalSeen != null && !last.failed()) last = outcome(refusalSeen);
        }
        if (holds) return actOnPaidAnswer(id, last, financeWordOnly);
        if ("REVERSED".equals(last.status())) {
            reason = "reversed after success: " + last.statusCode() + (last.description() == null ? "" : " " + last.description());
            cashfreeStatus = last.status();
            ledger.reversePaid(id, reason);
            stage = PayoutStage.REVERSED;
        } else if (financeWordOnly && last.failed() && recheck && success != null) {
            // Cashfree said SUCCESS too: its refusal contradicts it. Never released on a guess (review P4-1, as the ledger decides).
            ledger.recordForFinance(id, "confirmed paid by finance and Cashfree said SUCCESS; its later " + last.status() + " "
                    + last.statusCode() + " contradicts it: nothing moved");
        } else if (financeWordOnly && last.failed()) {
            reason = "confirmed paid by finance, but Cashfree says " + last.status() + " " + last.statusCode()
                    + (last.description() == null ? "" : ": " + last.description()) + "; the money is back in available";
            cashfreeStatus = last.status();
            ledger.reversePaid(id, reason);
            stage = PayoutStage.REVERSED;
            if (recheck && success != null) {
                // Cashfree's SUCCESS taken in while the money was returned (review P4-2): the ledger locks it again for finance.
                return successAfterRelease(id);
            }
        } else if (financeWordOnly && !last.success()) {
            // Cashfree still does not confirm what finance did: nothing is released on a guess, finance is told.
            ledger.recordForFinance(id, "confirmed paid by finance; at the end of the reversal window Cashfree says " + last.status()
                    + (last.description() == null ? "" : " (" + last.description() + ")"));
        }
        return status();
    }

    /**
     * Since {@value #CONTRADICTION_HELD}: the end of the reversal window, Cashfree's last answer {@code last} in hand. The
     * ledger decides from its own record, read under the payout's row lock, and says what it did: the stage follows it.
     * <ul>
     * <li>REVERSED: the money comes back ({@code returnPaid}).</li>
     * <li>FAILED/REJECTED for a payout paid on finance's word alone, no SUCCESS taken in: the money comes back, unless the
     * ledger recorded Cashfree's SUCCESS meanwhile (its signal not yet taken in): then it holds the payout for finance.</li>
     * <li>FAILED/REJECTED after Cashfree's SUCCESS (paid on it, or taken in after finance's "confirm paid"): a contradiction,
     * held for finance ({@code holdPaidForFinance}: NEEDS_ATTENTION, the money stays paid out).</li>
     * <li>Paid on finance's word and Cashfree still does not say SUCCESS: finance is told (LATE_UNPOSTED), as before.</li>
     * </ul>
     */
    private PayoutStatus actOnPaidAnswer(String id, TransferResult last, boolean financeWordOnly) {
        String said = last.status() + " " + last.statusCode() + (last.description() == null ? "" : ": " + last.description());
        if ("REVERSED".equals(last.status())) {
            cashfreeStatus = last.status();
            return ledgerDid(ledger.returnPaid(new PayoutTypes.PaidAnswer(id, "reversed after success: " + last.statusCode()
                    + (last.description() == null ? "" : " " + last.description()))));
        }
        if (last.failed() && financeWordOnly && success == null) {
            PayoutTypes.PaidAnswerResult did = ledger.returnPaid(new PayoutTypes.PaidAnswer(id, "confirmed paid by finance, but"
                    + " Cashfree says " + said + "; the money is back in available"));
            if (did.reversed()) cashfreeStatus = last.status();
            ledgerDid(did);
            // Cashfree's SUCCESS taken in while the money was returned (review P4-2): the ledger locks it again for finance.
            return did.reversed() && success != null ? successAfterRelease(id) : status();
        }
        if (last.failed()) {
            return ledgerDid(ledger.holdPaidForFinance(new PayoutTypes.PaidAnswer(id, (financeWordOnly
                    ? "confirmed paid by finance and Cashfree said SUCCESS" : "paid on Cashfree's SUCCESS") + "; its later " + said
                    + " contradicts it")));
        }
        if (financeWordOnly && !last.success()) {
            ledger.recordForFinance(id, "confirmed paid by finance; at the end of the reversal window Cashfree says " + last.status()
                    + (last.description() == null ? "" : " (" + last.description() + ")"));
        }
        return status();
    }

    /** The stage says what the ledger did: REVERSED only if the money came back, NEEDS_ATTENTION if it holds the payout. */
    private PayoutStatus ledgerDid(PayoutTypes.PaidAnswerResult did) {
        if (did.reversed()) stage = PayoutStage.REVERSED;
        else if (did.held()) stage = PayoutStage.NEEDS_ATTENTION;
        if (did.detail() != null && (did.reversed() || did.held())) reason = did.detail();
        log.info("payout {}: the ledger answered {} ({})", request.payoutId(), did.action(), did.detail());
        return status();
    }

    /** Cashfree's webhook says the transfer failed or was rejected (a REVERSED is kept apart, in {@code reversal}). */
    private boolean cashfreeRefused() {
        return latest != null && outcome(latest).failed();
    }

    private static boolean isType(ActivityFailure e, String type) {
        return e.getCause() instanceof ApplicationFailure af && type.equals(af.getType());
    }

    /**
     * The payout as released before {@value #FAIL_CLOSED}: the same commands in the same order (the shared
     * steps are the same methods), so its histories replay; since {@value #V0_POLLS_BOUNDED} its polling
     * continues as new into the fail-closed wait after {@value #POLLS_PER_RUN} polls.
     */
    private PayoutStatus payoutV0(PayoutRequest r) {
        String id = r.payoutId();
        if (!lockedAndApproved(r)) return status();

        stage = PayoutStage.SENDING;
        TransferResult result = cashfree.sendTransfer(id);
        long sentAt = Workflow.currentTimeMillis();
        cashfreeStatus = result.status();
        stage = PayoutStage.AWAITING_RESULT;
        long wait = r.timings().pollIntervalMillis();
        int polls = 0;
        while (!result.terminal()) {
            // Since V0_POLLS_BOUNDED: a bounded run. A terminal webhook taken in during the last poll is acted on first.
            int block = polls / POLLS_PER_RUN;
            if (polls++ >= POLLS_PER_RUN && !answered()
                    && Workflow.getVersion(v0PollsBoundedChange(block), Workflow.DEFAULT_VERSION, 1) >= 1) {
                // Only code that restores before the first handlers continues a v0 run (this version is as new).
                Workflow.continueAsNew(request.resumed(new PayoutResume(cashfreeStatus, decidedBy, escalated, sentAt, wait, false,
                        List.copyOf(eventIds), ignoredSignals, runs + 1, true)));
            }
            boolean heard = Workflow.await(Duration.ofMillis(wait), () -> latest != null && outcome(latest).terminal());
            result = heard ? outcome(latest) : cashfree.transferStatus(id);
            cashfreeStatus = result.status();
            wait = Math.min(wait * 2, r.timings().maxPollIntervalMillis());
        }

        if (result.failed()) {
            return finish(PayoutStage.FAILED, "Cashfree " + result.status() + " " + result.statusCode()
                    + (result.description() == null ? "" : ": " + result.description()));
        }
        ledger.markPaid(id);
        stage = PayoutStage.PAID;
        return watchForReversal(id);
    }

    /** Compensation and final status: locked money (if any) back to available, with the reason. */
    private PayoutStatus finish(PayoutStage end, String why) {
        reason = why;
        stage = end;
        Workflow.newDetachedCancellationScope(() -> ledger.releaseFunds(request.payoutId(), end.name(), why)).run();
        log.info("payout {} {}: {}", request.payoutId(), end, why);
        if (success != null && Workflow.getVersion(LATE_ANSWERS, Workflow.DEFAULT_VERSION, 1) >= 1) {
            return successAfterRelease(request.payoutId());
        }
        return status();
    }

    /**
     * Cashfree's SUCCESS webhook was taken in while the workflow was deciding or releasing the money (the signal was
     * accepted, the event recorded: Cashfree will not send it again, and nothing else would post it). Cashfree's word
     * outranks finance's "confirm failed" and a transfer we could not find: the payout is posted as paid by its own
     * journals and watched for a reversal. If Cashfree itself had said FAILED/REJECTED/REVERSED, the two answers
     * contradict each other: nothing is posted on a guess, finance is told.
     */
    private PayoutStatus successAfterRelease(String id) {
        TransferResult paid = outcome(success);
        String detail = "Cashfree SUCCESS " + paid.statusCode() + " after the payout ended " + stage + " (" + reason + ")";
        if (cashfreeStatus != null && new TransferResult(cashfreeStatus, null, null, null).failed()
                && Workflow.getVersion(ANSWERS_RECHECKED, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
            ledger.recordForFinance(id, detail + ", contradicting Cashfree's " + cashfreeStatus + ": not posted");
            return status();
        }
        // Since ANSWERS_RECHECKED the ledger decides a contradiction too: after Cashfree's own FAILED/REJECTED it locks the
        // money again and asks finance (never spendable meanwhile); after a REVERSED it posts nothing (review P4).
        boolean posted;
        try {
            posted = ledger.latePaid(id, detail);
        } catch (ActivityFailure e) {
            posted = false;
            log.error("payout {}: {}; posting it failed ({}): finance must look", id, detail, describe(e));
        }
        if (!posted) {
            reason = detail + "; could not be posted: finance must look";
            return status();
        }
        reason = detail + "; posted as paid";
        cashfreeStatus = paid.status();
        stage = PayoutStage.PAID;
        log.warn("payout {}: {}", id, reason);
        if (reversal == null) reversal = reversedSeen; // a REVERSED taken in before the payout was PAID again
        return watchForReversal(id);
    }

    private static TransferResult outcome(TransferUpdate u) {
        return new TransferResult(u.status(), u.statusCode(), u.description(), u.cfTransferId());
    }

    @Override
    public void approve(PayoutDecision d) {
        decide(d, true);
    }

    @Override
    public void reject(PayoutDecision d) {
        decide(d, false);
    }

    private void decide(PayoutDecision d, boolean approve) {
        // Once decided, later signals (a double click, a retried request) change nothing.
        boolean valid = d != null && d.approver() != null && !d.approver().isBlank();
        boolean fourEyes = valid && request != null && (fourEyesIgnoresCase
                ? !d.approver().equalsIgnoreCase(request.requestedBy()) && !d.approver().equalsIgnoreCase(request.userId())
                : !d.approver().equals(request.requestedBy()));
        if (fourEyes && keepNextDecision && decision != null && nextDecision == null
                && (stage == PayoutStage.AWAITING_APPROVAL || stage == PayoutStage.SENDING)) {
            // The decision taken may yet prove superseded by a flag (the send tells): this one is kept for that case.
            nextDecision = d;
            nextApproved = approve;
            return;
        }
        if (stage != PayoutStage.AWAITING_APPROVAL || decision != null || !fourEyes) {
            ignoredSignals++;
            return;
        }
        decision = d;
        approved = approve;
    }

    @Override
    public void resolve(PayoutResolution res) {
        boolean valid = res != null && res.requestedBy() != null && !res.requestedBy().isBlank()
                && ("PAID".equals(res.outcome()) || ("FAILED".equals(res.outcome()) && res.confirmedBy() != null
                        && !res.confirmedBy().isBlank() && !res.confirmedBy().equalsIgnoreCase(res.requestedBy())));
        if (!valid || !attention || resolution != null || stage != PayoutStage.NEEDS_ATTENTION) {
            ignoredSignals++;
            return;
        }
        resolution = res;
    }

    @Override
    public void transferUpdate(TransferUpdate u) {
        if (u == null || u.eventId() == null || u.status() == null || eventIds.contains(u.eventId())) {
            ignoredSignals++;
            return;
        }
        if (eventIds.size() >= MAX_EVENTS) eventIds.remove(eventIds.iterator().next());
        eventIds.add(u.eventId());
        if ("SUCCESS".equals(u.status()) && success == null) success = u;
        if ("REVERSED".equals(u.status()) && reversedSeen == null) reversedSeen = u;
        if (("FAILED".equals(u.status()) || "REJECTED".equals(u.status())) && refusalSeen == null) refusalSeen = u;
        if ("REVERSED".equals(u.status()) && (stage == PayoutStage.PAID || "SUCCESS".equals(cashfreeStatus))) {
            reversal = u;
        } else if (latest == null || !outcome(latest).terminal()) {
            latest = u;
        }
    }

    @Override
    public PayoutStatus status() {
        PayoutRequest r = request;
        return new PayoutStatus(r == null ? null : r.payoutId(), stage, r == null ? 0 : r.amountPaise(),
                r != null && r.needsApproval(), escalated, decidedBy, cashfreeStatus, reason, eventIds.size(), ignoredSignals);
    }

    private static String describe(TemporalFailure e) {
        Throwable t = e;
        while (t.getCause() instanceof TemporalFailure next) t = next;
        String message = t instanceof ApplicationFailure af ? af.getOriginalMessage() : t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
