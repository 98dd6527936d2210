package com.commdesk.workflows.payout;

import com.commdesk.workflows.StepOptions;
import com.commdesk.workflows.payout.PayoutTypes.PayoutDecision;
import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
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
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Deterministic orchestration of one payout (docs/payouts.md). The money is locked first, so an
 * approval wait or a slow bank never lets the same balance be paid twice; every way out that is
 * not SUCCESS returns it to available with the reason. The transfer is requested by one activity
 * call whose implementation never sends twice; webhooks and approvals are deduplicated here.
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

    private final PayoutActivities ledger = Workflow.newActivityStub(PayoutActivities.class, LEDGER_STEP);
    private final PayoutActivities cashfree = Workflow.newActivityStub(PayoutActivities.class, CASHFREE_STEP);
    private final PayoutActivities local = Workflow.newLocalActivityStub(PayoutActivities.class, LOCAL_STEP);

    private PayoutRequest request;
    private boolean fourEyesIgnoresCase;
    private PayoutStage stage = PayoutStage.LOCKING;
    private PayoutDecision decision;
    private boolean approved;
    private boolean escalated;
    private String decidedBy;
    private String reason;
    private String cashfreeStatus;
    private TransferUpdate latest;
    private TransferUpdate reversal;
    private int ignoredSignals;
    private final Set<String> eventIds = new LinkedHashSet<>();

    @Override
    public PayoutStatus payout(PayoutRequest r) {
        request = r;
        fourEyesIgnoresCase = Workflow.getVersion(FOUR_EYES_IGNORES_CASE, Workflow.DEFAULT_VERSION, 1) >= 1;
        String id = r.payoutId();
        try {
            ledger.lockFunds(id);
        } catch (ActivityFailure e) {
            // Nothing was locked (the ledger writes nothing on INSUFFICIENT_FUNDS): only the status is recorded.
            return finish(PayoutStage.FAILED, "could not lock " + r.amountPaise() + " paise: " + describe(e));
        }

        if (r.needsApproval()) {
            stage = PayoutStage.AWAITING_APPROVAL;
            local.recordPayoutStatus(id, "PENDING_APPROVAL", null,
                    r.flaggedReason() != null ? "flagged: " + r.flaggedReason() : "above the approval threshold");
            var t = r.timings();
            long escalateAfter = Math.min(t.escalateAfterMillis(), t.approvalTimeoutMillis());
            boolean decided = Workflow.await(Duration.ofMillis(escalateAfter), () -> decision != null);
            if (!decided) {
                escalated = true;
                ledger.escalate(id, escalateAfter);
                decided = Workflow.await(Duration.ofMillis(t.approvalTimeoutMillis() - escalateAfter), () -> decision != null);
            }
            if (!decided) {
                return finish(PayoutStage.REJECTED, "no decision within " + Duration.ofMillis(t.approvalTimeoutMillis())
                        + ": rejected automatically");
            }
            decidedBy = decision.approver();
            ledger.recordDecision(id, approved, decidedBy, decision.note());
            if (!approved) {
                return finish(PayoutStage.REJECTED, "rejected by " + decidedBy + (decision.note() == null ? "" : ": " + decision.note()));
            }
        }

        stage = PayoutStage.SENDING;
        TransferResult result = cashfree.sendTransfer(id);
        cashfreeStatus = result.status();
        stage = PayoutStage.AWAITING_RESULT;
        long wait = r.timings().pollIntervalMillis();
        while (!result.terminal()) {
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

        // The bank can still send the money back: act on a REVERSED webhook within the window, and ask once at its end.
        boolean reversed = Workflow.await(Duration.ofMillis(r.timings().reversalWindowMillis()), () -> reversal != null);
        TransferResult last;
        try {
            last = reversed ? outcome(reversal) : cashfree.transferStatus(id);
        } catch (ActivityFailure e) {
            log.warn("payout {}: could not ask Cashfree at the end of the reversal window: {}", id, describe(e));
            return status();
        }
        if ("REVERSED".equals(last.status())) {
            reason = "reversed after success: " + last.statusCode() + (last.description() == null ? "" : " " + last.description());
            cashfreeStatus = last.status();
            ledger.reversePaid(id, reason);
            stage = PayoutStage.REVERSED;
        }
        return status();
    }

    /** Compensation and final status: locked money (if any) back to available, with the reason. */
    private PayoutStatus finish(PayoutStage end, String why) {
        reason = why;
        stage = end;
        Workflow.newDetachedCancellationScope(() -> ledger.releaseFunds(request.payoutId(), end.name(), why)).run();
        log.info("payout {} {}: {}", request.payoutId(), end, why);
        return status();
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
        if (stage != PayoutStage.AWAITING_APPROVAL || decision != null || !fourEyes) {
            ignoredSignals++;
            return;
        }
        decision = d;
        approved = approve;
    }

    @Override
    public void transferUpdate(TransferUpdate u) {
        if (u == null || u.eventId() == null || u.status() == null || eventIds.contains(u.eventId())) {
            ignoredSignals++;
            return;
        }
        if (eventIds.size() >= MAX_EVENTS) eventIds.remove(eventIds.iterator().next());
        eventIds.add(u.eventId());
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
