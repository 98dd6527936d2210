package com.commdesk.workflows.refund;

import static com.commdesk.workflows.Failures.describe;

import com.commdesk.workflows.StepOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Deterministic orchestration of one refund.
 *
 * <p>v1 ({@link #RESERVE_FIRST}): the refund is reserved in the books before Cashfree is asked, so
 * concurrent refunds and chargebacks of one payment can never exceed it (the ledger decides under the
 * payment's lock). Cashfree's refund is PENDING until it says SUCCESS (the reservation becomes a paid
 * refund), CANCELLED or FAILED (the reservation is given back); the outcome comes from a verified
 * REFUND_STATUS webhook or from polling with a doubling interval. While the outcome is unknown the money
 * stays reserved — it is never given back on a guess: a refund Cashfree could not be reached for, or
 * still has PENDING after {@link #MAX_WAIT}, waits for an operator (NEEDS_ATTENTION), who may RETRY or
 * COMPENSATE; compensation gives the money back only when Cashfree says the refund does not exist, was
 * cancelled or failed. Since {@link #OUTCOME_CONFIRMED} a webhook only makes the workflow ask Cashfree, and a
 * Cashfree record of our refund id with another amount or order is never followed: the refund waits for an operator.
 *
 * <p>v0 (histories started before): check, refund at Cashfree, post as done — kept as released.
 */
public class RefundWorkflowImpl implements RefundWorkflow {
    /** getVersion change id of v1: reserve first, follow Cashfree's refund lifecycle. */
    static final String RESERVE_FIRST = "reserve-first-cashfree-lifecycle";
    static final RetryOptions RETRY = StepOptions.retry(RefundFailures.NOT_REFUNDABLE, RefundFailures.CASHFREE_REFUSED,
            RefundFailures.LEDGER_REFUSED);
    static final Duration FIRST_POLL = Duration.ofMinutes(1);
    static final Duration MAX_POLL = Duration.ofHours(1);
    /** Looks an hour apart while held on Cashfree's "not found" for a refund it acknowledged; then one a day. */
    static final int NOT_FOUND_HOURLY_LOOKS = 24;
    /** Cashfree's refunds take days (5-7 working days to the customer's bank); after this, an operator looks. */
    static final Duration MAX_WAIT = Duration.ofDays(10);
    static final int MAX_EVENTS = 100;
    /**
     * getVersion change id: the wait for Cashfree's outcome continues as new every {@value #ROUNDS_PER_RUN} rounds
     * (polls, webhooks, decisions). Before it a 10-day window of polls was ~2,700 events and every operator RETRY
     * added another window to the same run.
     */
    static final String WAIT_RUNS = "refund-wait-continues-as-new";
    static final int ROUNDS_PER_RUN = 200;
    /**
     * getVersion change id (review R2-M2): a REFUND_STATUS webhook's outcome is booked only as Cashfree's own record
     * confirms it ({@link RefundActivities#confirmOutcome}), and a record of another amount or order (from that, a poll
     * or the create) holds the refund for an operator with the money reserved. Before it a webhook's SUCCESS was booked
     * as our amount whatever Cashfree had refunded.
     */
    static final String OUTCOME_CONFIRMED = "refund-outcome-confirmed";
    /**
     * getVersion change id (issue 10): a refund held for a mismatch takes finance's two-person resolution
     * ({@link RefundDecision.Action#RESOLVE_PAID} settles it, {@link RefundDecision.Action#RESOLVE_RELEASED} gives the
     * reservation back). Only a decision no recorded history carries reaches it; the marker records the rule all the same.
     */
    static final String MISMATCH_RESOLVED = "refund-mismatch-resolved";
    /**
     * getVersion change id (review s7 round 2 M2): each mismatch hold is a round ({@link #mismatchHolds}); a resolution is
     * taken only for the round it was voted in ({@link RefundDecision#round}), and a PAID one records both approvers as
     * the outcome's decided_by ({@link RefundActivities#settleResolved}). Before it a resolution voted for one hold, whose
     * signal was dropped while an operator's RETRY had the workflow ask Cashfree again, was re-sent for 2 days and ended a
     * later hold of the same refund. Recorded where a resolution meets a held refund: old histories took it unchecked.
     */
    static final String MISMATCH_ROUND = "refund-mismatch-round";
    /**
     * getVersion change id (review s12): an operator's COMPENSATE no longer gives the reservation back on Cashfree's
     * "not found" for a refund Cashfree acknowledged (its cf_refund_id known): that answer contradicts Cashfree's own, so
     * the outcome is unknown and the money stays reserved. Recorded only where such a compensation meets a not-found.
     */
    static final String ACKNOWLEDGED_NOT_FOUND = "refund-acknowledged-not-found";

    /**
     * getVersion change id (review s13): Cashfree's "not found" for a refund it acknowledged holds the refund for finance's
     * two-person resolution, as a record of another amount does. Refused a COMPENSATE since {@value #ACKNOWLEDGED_NOT_FOUND},
     * such a refund had no way out: its money stayed reserved for good. Recorded only where such a not-found is met.
     */
    static final String ACKNOWLEDGED_NOT_FOUND_HELD = "refund-acknowledged-not-found-held";

    /**
     * getVersion change id (review of s13): an operator's decision taken while the refund is held for finance keeps the hold
     * and its round. It ended the hold and looked again, and the same finding began a new round, so the votes finance had
     * cast for the hold no longer counted. Recorded only where a decision leaves the refund held.
     */
    static final String HOLD_KEPT_BY_DECISION = "refund-hold-kept-by-decision";

    /**
     * getVersion change id (review of s13, LOW): a hold whose finding changes while held (Cashfree's "not found" for a
     * refund it acknowledged, then a record of another amount or order, or back) is a new round. It kept its round, so
     * finance's votes cast on one finding settled the other. Recorded only where a finding changes during a hold.
     */
    static final String HOLD_FINDING_CHANGED = "refund-hold-finding-changed";

    /** Cashfree may be down a while before the refund is asked; after it refunded, the ledger must not give up for a day. */
    private final RefundActivities cashfree = Workflow.newActivityStub(RefundActivities.class,
            StepOptions.activity(Duration.ofSeconds(30), Duration.ofHours(6), RETRY));
    private final RefundActivities ledger = Workflow.newActivityStub(RefundActivities.class,
            StepOptions.activity(Duration.ofSeconds(30), Duration.ofHours(24), RETRY));
    /** One quick look at Cashfree (a poll): a failure just means "ask again later". */
    private final RefundActivities look = Workflow.newActivityStub(RefundActivities.class,
            StepOptions.activity(Duration.ofSeconds(30), Duration.ofMinutes(5), RETRY));

    private String refundId;
    private RefundStatus.Stage stage = RefundStatus.Stage.CHECKING;
    private String cashfreeRefundId;
    private String cashfreeStatus;
    private RefundOutcome outcome;
    private String error;
    private String decidedBy;
    private boolean retryRequested;
    private RefundStatusEvent pendingEvent;
    private RefundDecision pendingDecision;
    /** Cashfree's record of our refund id has another amount or order (since OUTCOME_CONFIRMED): an operator looks. */
    private boolean mismatched;
    /**
     * Cashfree's last conclusive answer about our refund id (create, poll or a webhook's confirmation) was a record of
     * another amount or order: only then is finance's resolution taken. Not used by any path a recorded history takes.
     */
    private boolean heldForMismatch;
    /**
     * Held because Cashfree answers "not found" for a refund it acknowledged (since {@value #ACKNOWLEDGED_NOT_FOUND_HELD}):
     * Cashfree is looked at again while held ({@link #MAX_POLL} apart for {@value #NOT_FOUND_HOURLY_LOOKS} looks, then a day
     * apart), and a look or a webhook that finds the refund ends the hold.
     */
    private boolean heldForNotFound;
    /**
     * How many times the refund has been held for a mismatch (carried over continue-as-new): the current hold's round.
     * A hold begins when a look at Cashfree finds the other record while the refund is not held; an operator's RETRY ends
     * it (the workflow looks again), as does any look that finds our refund. State only: no command depends on it.
     */
    private int mismatchHolds;
    /** What the current hold found: Cashfree has no record of our refund (true) or one of another amount or order (false). */
    private boolean holdFindsNone;
    private final Set<String> eventIds = new LinkedHashSet<>();
    private int runs;

    /**
     * Restores a continued run's state before any signal handler runs (Temporal runs the handlers of signals that come
     * with a run's first task before the workflow method): a webhook or decision sent at the boundary is taken. No commands.
     */
    @WorkflowInit
    public RefundWorkflowImpl(RefundRequest request) {
        RefundResume state = request == null ? null : request.resume();
        if (state == null) return;
        refundId = request.refundId();
        cashfreeRefundId = state.cashfreeRefundId();
        cashfreeStatus = state.cashfreeStatus();
        outcome = state.outcome();
        error = state.error();
        decidedBy = state.decidedBy();
        runs = state.runs();
        // No count: an old worker continued this run. Votes cast before the deploy carry no round and count as round 1, so
        // this run's first hold must not be round 1 (review s8 M1). A run never continues as new while held, so a hold
        // here is always a new one; votes the old API took in this window are asked again, never booked on a guess.
        mismatchHolds = state.mismatchHolds() == null ? 1 : state.mismatchHolds();
        if (state.eventIds() != null) eventIds.addAll(state.eventIds());
        stage = RefundStatus.Stage.AWAITING_CASHFREE;
    }

    @Override
    public RefundStatus process(RefundRequest request) {
        refundId = request.refundId();
        RefundResume carried = request.resume();
        if (carried != null) { // a run continued by followCashfree (only code since WAIT_RUNS makes one): wait on
            return followCashfree(request, carried.cashfreeOrderId(), Duration.ofMillis(carried.waitMillis()),
                    Duration.ofMillis(carried.waitedMillis()));
        }
        int version = Workflow.getVersion(RESERVE_FIRST, Workflow.DEFAULT_VERSION, 1);
        return version == Workflow.DEFAULT_VERSION ? processV0(request) : processV1(request);
    }

    /** v0, as released. */
    private RefundStatus processV0(RefundRequest request) {
        RefundTarget target;
        try {
            target = ledger.check(request);
            if (request.kind() == RefundRequest.Kind.REFUND) {
                stage = RefundStatus.Stage.REFUNDING_AT_CASHFREE;
                cashfreeRefundId = cashfree.refundAtCashfree(request, target.cashfreeOrderId());
            }
        } catch (ActivityFailure e) {
            error = describe(e);
            stage = RefundStatus.Stage.FAILED;
            throw ApplicationFailure.newNonRetryableFailure("refund " + refundId + " failed: " + error, "RefundFailed");
        }
        stage = RefundStatus.Stage.POSTING;
        while (true) {
            try {
                outcome = ledger.post(request, target.transactionId());
                stage = RefundStatus.Stage.COMPLETED;
                error = null;
                return status();
            } catch (ActivityFailure e) {
                error = describe(e);
                stage = RefundStatus.Stage.NEEDS_ATTENTION;
                retryRequested = false;
                Workflow.await(() -> retryRequested);
                stage = RefundStatus.Stage.POSTING;
            }
        }
    }

    /** v1: reserve, ask Cashfree, follow its refund to SUCCESS, CANCELLED or FAILED. */
    private RefundStatus processV1(RefundRequest request) {
        // Four eyes, before anything is reserved. A check of the input only: no input before approvals carried an
        // approver, so every recorded history takes the same path (no getVersion needed; the replay tests show it).
        if (request.approvedByRequester()) {
            error = "four eyes: refund " + refundId + " cannot be approved by its requester";
            stage = RefundStatus.Stage.FAILED;
            throw ApplicationFailure.newNonRetryableFailure(error, "RefundFailed");
        }
        stage = RefundStatus.Stage.RESERVING;
        RefundReservation reservation;
        try {
            reservation = ledger.reserve(request);
        } catch (ActivityFailure e) {
            error = describe(e);
            stage = RefundStatus.Stage.FAILED;
            throw ApplicationFailure.newNonRetryableFailure("refund " + refundId + " failed: " + error, "RefundFailed");
        }
        outcome = new RefundOutcome(reservation.journalId(), reservation.fromPendingPaise(), reservation.fromAvailablePaise(),
                reservation.toReceivablePaise());
        if (request.kind() == RefundRequest.Kind.CHARGEBACK) {
            stage = RefundStatus.Stage.COMPLETED; // Cashfree already took the money back: booked as final
            return status();
        }
        String orderId = reservation.cashfreeOrderId();
        while (cashfreeStatus == null) {
            stage = RefundStatus.Stage.REFUNDING_AT_CASHFREE;
            try {
                CashfreeRefundState state = cashfree.askCashfree(request, orderId);
                cashfreeRefundId = state.cfRefundId();
                cashfreeStatus = state.status();
                mismatched = false;
                heldForMismatch = false;
                error = null;
            } catch (ActivityFailure e) {
                error = describe(e);
                if (isType(e, RefundFailures.CASHFREE_REFUND_MISMATCH)) holdForMismatch(false);
                else heldForMismatch = false;
                if (isType(e, RefundFailures.CASHFREE_REFUSED)) {
                    // Cashfree refused it: no refund exists there, so the reservation goes back.
                    giveBack(request, RefundStatus.Stage.FAILED, "FAILED", "Cashfree refused the refund: " + error, null);
                    return status();
                }
                // Cashfree unreachable for hours: it may or may not have the refund. The money stays reserved.
                if (awaitOperator(request, orderId)) return status();
            }
        }
        return followCashfree(request, orderId, FIRST_POLL, Duration.ZERO);
    }

    /**
     * Waits for Cashfree's outcome (webhook or polling), then books it. Since {@value #WAIT_RUNS} the wait continues
     * as new after {@value #ROUNDS_PER_RUN} rounds, never while a webhook or decision it took in is not acted on.
     */
    private RefundStatus followCashfree(RefundRequest request, String orderId, Duration firstWait, Duration waitedBefore) {
        Duration wait = firstWait;
        Duration waited = waitedBefore;
        int rounds = 0;
        while (!CashfreeRefundState.OUTCOMES.contains(cashfreeStatus)) {
            if (mismatched) { // only set since OUTCOME_CONFIRMED: Cashfree's record is not our refund; nothing of it is booked
                if (awaitOperator(request, orderId)) return status();
                mismatched = false; // the operator decided: look again now, then wait from the start
                heldForMismatch = false; // held again only if this look finds the other record again (review s7 round 2 L2)
                heldForNotFound = false;
                waited = Duration.ZERO;
                wait = FIRST_POLL;
                poll(request, orderId);
                continue;
            }
            if (rounds++ >= ROUNDS_PER_RUN && pendingEvent == null && pendingDecision == null
                    && Workflow.getVersion(WAIT_RUNS, Workflow.DEFAULT_VERSION, 1) >= 1) {
                Workflow.await(Workflow::isEveryHandlerFinished);
                Workflow.continueAsNew(request.resumed(new RefundResume(orderId, cashfreeRefundId, cashfreeStatus, outcome, error,
                        decidedBy, List.copyOf(eventIds), wait.toMillis(), waited.toMillis(), runs + 1, mismatchHolds)));
            }
            if (waited.compareTo(MAX_WAIT) >= 0) {
                error = "Cashfree still has refund " + refundId + " " + cashfreeStatus + " after " + MAX_WAIT.toDays() + " days";
                if (awaitOperator(request, orderId)) return status();
                waited = Duration.ZERO;
                wait = FIRST_POLL;
                continue;
            }
            stage = RefundStatus.Stage.AWAITING_CASHFREE;
            Workflow.await(wait, () -> pendingEvent != null || pendingDecision != null);
            if (pendingEvent != null) {
                RefundStatusEvent event = pendingEvent;
                pendingEvent = null;
                take(request, orderId, event);
                continue;
            }
            if (pendingDecision != null) {
                RefundDecision d = pendingDecision;
                pendingDecision = null;
                if (decideNow(request, orderId, d)) return status();
                continue;
            }
            poll(request, orderId);
            waited = waited.plus(wait);
            wait = wait.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : wait.multipliedBy(2);
        }
        if (cashfreeStatus.equals("SUCCESS")) {
            RefundOutcome paid = ledgerStep(() -> ledger.settle(request, cashfreeRefundId));
            outcome = paid;
            stage = RefundStatus.Stage.COMPLETED;
            error = null;
        } else {
            giveBack(request, cashfreeStatus.equals("CANCELLED") ? RefundStatus.Stage.CANCELLED : RefundStatus.Stage.FAILED,
                    cashfreeStatus, "Cashfree " + cashfreeStatus.toLowerCase() + " the refund", null);
        }
        return status();
    }

    /**
     * NEEDS_ATTENTION until an operator decides (or Cashfree's webhook brings the outcome). True when
     * the refund is finished (compensated), false to carry on (retry, or the outcome is known now).
     */
    private boolean awaitOperator(RefundRequest request, String orderId) {
        // A hold this wait kept through an operator's decision (since HOLD_KEPT_BY_DECISION): its RETRY looks afresh.
        boolean keptByDecision = false;
        int looksWhileHeld = 0;
        while (true) {
            stage = RefundStatus.Stage.NEEDS_ATTENTION;
            if (heldForNotFound) {
                // Held on Cashfree's own contradiction: keep asking, as while it has the refund PENDING; finding it ends the
                // hold. Hourly for a day, then daily: a hold of months stays far inside Temporal's history limits (no
                // continue-as-new while held).
                Duration every = looksWhileHeld < NOT_FOUND_HOURLY_LOOKS ? MAX_POLL : Duration.ofDays(1);
                if (!Workflow.await(every, () -> pendingDecision != null || pendingEvent != null)) {
                    looksWhileHeld++;
                    poll(request, orderId);
                    if (!heldForMismatch) return false;
                    continue;
                }
            } else {
                Workflow.await(() -> pendingDecision != null || pendingEvent != null);
            }
            if (pendingEvent != null) {
                RefundStatusEvent event = pendingEvent;
                pendingEvent = null;
                boolean heldOnNotFound = heldForNotFound;
                take(request, orderId, event);
                if (cashfreeStatus != null && CashfreeRefundState.OUTCOMES.contains(cashfreeStatus)) return false;
                // A webhook whose look found the refund (PENDING) ended a not-found hold: follow it, do not wait for a person.
                if (heldOnNotFound && !heldForMismatch) return false;
                continue;
            }
            RefundDecision d = pendingDecision;
            pendingDecision = null;
            if (d.action() == RefundDecision.Action.RESOLVE_PAID || d.action() == RefundDecision.Action.RESOLVE_RELEASED) {
                // Finance's resolution of a mismatch: taken only while the refund is held for one; otherwise ignored (the
                // API refuses it too). No recorded history carries such a decision.
                if (heldForMismatch && Workflow.getVersion(MISMATCH_RESOLVED, Workflow.DEFAULT_VERSION, 1) >= 1) {
                    boolean rounds = Workflow.getVersion(MISMATCH_ROUND, Workflow.DEFAULT_VERSION, 1) >= 1;
                    // Since MISMATCH_ROUND: votes cast for another hold (or with no round) do not end this one.
                    if (rounds && (d.round() == null || d.round() != mismatchHolds)) continue;
                    resolveMismatch(request, d, rounds);
                    return true;
                }
                continue;
            }
            if (d.action() == RefundDecision.Action.RETRY) {
                decidedBy = d.operator();
                // The hold ends: the workflow looks at Cashfree again, and a record of another amount found then is a new
                // round (review s7 round 2 M2). State only; the look that follows is the same in every version.
                heldForMismatch = false;
                if (heldForNotFound || keptByDecision) {
                    // Only since ACKNOWLEDGED_NOT_FOUND_HELD or HOLD_KEPT_BY_DECISION: the caller may be any wait, not only
                    // the mismatch's; the look that follows decides afresh (the same finding again is a new hold, as a
                    // RETRY's always was), and one RETRY is enough.
                    heldForNotFound = false;
                    mismatched = false;
                }
                return false;
            }
            if (decideNow(request, orderId, d)) return true;
            // Still held for finance after the decision's look: the hold and its round stand (finance's votes count).
            if (heldForMismatch && Workflow.getVersion(HOLD_KEPT_BY_DECISION, Workflow.DEFAULT_VERSION, 1) >= 1) {
                keptByDecision = true;
                continue;
            }
            if (cashfreeStatus != null) return false; // Cashfree knows the refund now: follow it
        }
    }

    /**
     * Two finance approvers agreed (recorded in the ledger, changeset 113) on what Cashfree's dashboard shows for a refund
     * whose record there has another amount or order. PAID: our amount left for our refund, booked as Cashfree's SUCCESS
     * is ({@code settle}); RELEASED: Cashfree did not refund ours, the reservation goes back as for CANCELLED
     * ({@code cancel}, decided by both). Whatever Cashfree's other amount is, finance settles it with Cashfree.
     */
    private void resolveMismatch(RefundRequest request, RefundDecision d, boolean rounds) {
        decidedBy = d.operator();
        heldForMismatch = false;
        heldForNotFound = false;
        mismatched = false;
        String why = "mismatch resolved by " + d.operator() + (d.note() == null ? "" : ": " + d.note());
        stage = RefundStatus.Stage.POSTING; // booking finance's resolution: no longer waiting for anyone (a books failure waits again)
        if (d.action() == RefundDecision.Action.RESOLVE_PAID) {
            // Since MISMATCH_ROUND the outcome names both approvers, as RELEASED's always did (review s7 round 2 LOW).
            outcome = ledgerStep(() -> rounds ? ledger.settleResolved(request, cashfreeRefundId, d.operator())
                    : ledger.settle(request, cashfreeRefundId));
            stage = RefundStatus.Stage.COMPLETED;
            error = null;
        } else {
            giveBack(request, RefundStatus.Stage.CANCELLED, "CANCELLED", why, d.operator());
        }
    }

    /**
     * An operator's decision: asks Cashfree first. COMPENSATE gives the money back only if Cashfree has
     * no such refund (and never acknowledged it), or cancelled or failed it; never while Cashfree has it PENDING or paid it. True when
     * the refund is finished.
     */
    private boolean decideNow(RefundRequest request, String orderId, RefundDecision d) {
        decidedBy = d.operator();
        CashfreeRefundState now = poll(request, orderId);
        if (d.action() != RefundDecision.Action.COMPENSATE || now == null) return false;
        if (now.status().equals(CashfreeRefundState.NOT_FOUND) && cashfreeRefundId != null
                && Workflow.getVersion(ACKNOWLEDGED_NOT_FOUND, Workflow.DEFAULT_VERSION, 1) >= 1) {
            error = "not compensated: Cashfree acknowledged refund " + refundId + " as " + cashfreeRefundId
                    + " and now answers it does not exist; the outcome is unknown, the money stays reserved";
            return false;
        }
        if (now.status().equals(CashfreeRefundState.NOT_FOUND) || now.status().equals("CANCELLED") || now.status().equals("FAILED")) {
            String result = now.status().equals("CANCELLED") ? "CANCELLED" : "FAILED";
            giveBack(request, result.equals("CANCELLED") ? RefundStatus.Stage.CANCELLED : RefundStatus.Stage.FAILED, result,
                    "compensated by " + d.operator() + (d.note() == null ? "" : ": " + d.note()) + " (Cashfree: " + now.status() + ")",
                    d.operator());
            return true;
        }
        error = "not compensated: Cashfree has refund " + refundId + " " + now.status();
        return false;
    }

    /** One look at Cashfree; null (and the error noted) if Cashfree could not be asked. */
    private CashfreeRefundState poll(RefundRequest request, String orderId) {
        try {
            CashfreeRefundState s = look.cashfreeStatus(request, orderId);
            follow(s);
            return s;
        } catch (ActivityFailure e) {
            if (!heldAsMismatch(e)) error = "could not ask Cashfree: " + describe(e);
            return null;
        }
    }

    /** Cashfree's answer about our refund (the activity checked the record is ours). */
    private void follow(CashfreeRefundState s) {
        if (s.status().equals(CashfreeRefundState.NOT_FOUND) && cashfreeRefundId != null
                && Workflow.getVersion(ACKNOWLEDGED_NOT_FOUND_HELD, Workflow.DEFAULT_VERSION, 1) >= 1) {
            // Cashfree contradicts itself: what happened to the money is for people to find out (its dashboard, the bank),
            // not to guess. Held until finance's two approvers resolve it (PAID or RELEASED) or a later look finds it.
            mismatched = true;
            holdForMismatch(true);
            heldForNotFound = true;
            error = "Cashfree acknowledged refund " + refundId + " as " + cashfreeRefundId + " and now answers it does not exist:"
                    + " held for finance (two approvers resolve it from Cashfree's dashboard and the bank); the money stays reserved";
            return;
        }
        mismatched = false;
        heldForMismatch = false;
        heldForNotFound = false;
        if (!s.status().equals(CashfreeRefundState.NOT_FOUND)) {
            cashfreeStatus = s.status();
            if (s.cfRefundId() != null) cashfreeRefundId = s.cfRefundId();
        }
    }

    /**
     * A verified REFUND_STATUS webhook with an outcome. Since {@value #OUTCOME_CONFIRMED} it only makes the workflow ask
     * Cashfree ({@link RefundActivities#confirmOutcome}); an answer that cannot be had leaves the status as it was (polls
     * and the operator go on), one about a record of another amount or order holds the refund for an operator.
     */
    private void take(RefundRequest request, String orderId, RefundStatusEvent event) {
        if (Workflow.getVersion(OUTCOME_CONFIRMED, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
            if (event.cfRefundId() != null) cashfreeRefundId = event.cfRefundId();
            cashfreeStatus = event.status(); // as released: the webhook's word
            return;
        }
        try {
            // One look (5 minutes of retries), as a poll: the webhook only triggers it, and a read outage must not stop the
            // polls and an operator's decisions for the 6 hours the create's stub retries (review s7 L5).
            follow(look.confirmOutcome(request, orderId, event));
        } catch (ActivityFailure e) {
            if (!heldAsMismatch(e)) error = "Cashfree's " + event.status() + " webhook could not be confirmed: " + describe(e);
        }
    }

    /**
     * True if Cashfree's record of our refund id has another amount or order: the reason is recorded and the refund is
     * held for an operator (nothing of that record is followed). A failure of that type reaches this only since the
     * activities check for it, so recorded histories never do; the getVersion keeps the rule all the same.
     */
    private boolean heldAsMismatch(ActivityFailure e) {
        if (!isType(e, RefundFailures.CASHFREE_REFUND_MISMATCH)
                || Workflow.getVersion(OUTCOME_CONFIRMED, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
            return false;
        }
        mismatched = true;
        holdForMismatch(false);
        error = describe(e);
        return true;
    }

    /**
     * Held for a mismatch ({@code findsNone}: Cashfree has no record of our refund, else one of another amount or order): a
     * new round unless the refund is held already for the same finding (another look finding the same again). Finance's
     * votes are cast on what they saw: since {@value #HOLD_FINDING_CHANGED} another finding during a hold is a new round.
     */
    private void holdForMismatch(boolean findsNone) {
        if (!heldForMismatch) {
            mismatchHolds++;
        } else if (holdFindsNone != findsNone && Workflow.getVersion(HOLD_FINDING_CHANGED, Workflow.DEFAULT_VERSION, 1) >= 1) {
            mismatchHolds++;
        }
        heldForMismatch = true;
        holdFindsNone = findsNone;
    }

    /** The reservation goes back (REVERSAL of the refund journal), recorded with the outcome. */
    private void giveBack(RefundRequest request, RefundStatus.Stage end, String result, String detail, String operator) {
        error = detail;
        outcome = ledgerStep(() -> ledger.cancel(request, result, detail, operator));
        stage = end;
    }

    /** A books step after Cashfree acted: retried for a day, then it waits for an operator's RETRY; never dropped. */
    private RefundOutcome ledgerStep(Functions.Func<RefundOutcome> call) {
        while (true) {
            try {
                return call.apply();
            } catch (ActivityFailure e) {
                error = describe(e);
                stage = RefundStatus.Stage.NEEDS_ATTENTION;
                pendingDecision = null;
                Workflow.await(() -> pendingDecision != null && pendingDecision.action() == RefundDecision.Action.RETRY);
                decidedBy = pendingDecision.operator();
                pendingDecision = null;
            }
        }
    }

    private static boolean isType(ActivityFailure e, String type) {
        return e.getCause() instanceof ApplicationFailure af && type.equals(af.getType());
    }

    @Override
    public RefundStatus status() {
        return new RefundStatus(refundId, stage, cashfreeRefundId, outcome, error, cashfreeStatus, decidedBy, heldForMismatch);
    }

    @Override
    public RefundMismatchHold mismatchHold() {
        return new RefundMismatchHold(heldForMismatch && stage == RefundStatus.Stage.NEEDS_ATTENTION, mismatchHolds);
    }

    @Override
    public void retryPosting(String operator) {
        if (stage == RefundStatus.Stage.NEEDS_ATTENTION) retryRequested = true;
    }

    @Override
    public void cashfreeStatus(RefundStatusEvent event) {
        if (event == null || event.eventId() == null || event.status() == null || eventIds.contains(event.eventId())) return;
        if (eventIds.size() >= MAX_EVENTS) eventIds.remove(eventIds.iterator().next());
        eventIds.add(event.eventId());
        if (CashfreeRefundState.OUTCOMES.contains(event.status())) pendingEvent = event;
    }

    @Override
    public void decide(RefundDecision decision) {
        if (decision == null || decision.action() == null) return;
        boolean resolution = decision.action() == RefundDecision.Action.RESOLVE_PAID || decision.action() == RefundDecision.Action.RESOLVE_RELEASED;
        // Finance's resolution is for a refund held for a mismatch only (no recorded history carries one): any other refund
        // drops it here, so it neither asks Cashfree nor names finance as the last decision's operator.
        if (resolution && !(heldForMismatch && stage == RefundStatus.Stage.NEEDS_ATTENTION)) return;
        if (stage == RefundStatus.Stage.NEEDS_ATTENTION || stage == RefundStatus.Stage.AWAITING_CASHFREE) pendingDecision = decision;
    }
}
