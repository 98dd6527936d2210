package com.commdesk.workflows.payment;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.RoleAllocation;
import static com.commdesk.workflows.Failures.describe;

import com.commdesk.workflows.SearchKeys;
import com.commdesk.workflows.StepOptions;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Deterministic orchestration only: no I/O, no clocks, no randomness but Temporal's. Each step is
 * an activity with explicit timeouts and retries; a compensable step registers its compensation
 * before it runs, and compensations run in a detached scope so a cancellation cannot stop them.
 *
 * <p>Versions (see {@link #OPERATIONS_CHANGE}): histories started before v1 replay through
 * {@link #processV0} unchanged; later runs take {@link #processV1}, which adds the fraud screen,
 * parking and operator signals. v2 ({@link #FAST_PATH}) runs the database and compute steps as local
 * activities (no server round trip per step: docs/performance.md) and keeps the {@code PaymentStage}
 * search attribute current at every notable stage, so ops can list payments in the Temporal Web UI
 * (docs/operations.md). Histories of every released version are replayed in the build.
 */
public class PaymentWorkflowImpl implements PaymentWorkflow {
    /** getVersion change id of v1: fraud screen, NEEDS_ATTENTION parking, status recording; v2: {@link #FAST_PATH}. */
    static final String OPERATIONS_CHANGE = "screen-park-record";
    /** v2 of {@link #OPERATIONS_CHANGE}: local activities for database and compute steps, PaymentStage search attribute. */
    static final int FAST_PATH = 2;
    /**
     * getVersion change id: the hand-over step is gone (docs/decisions.md D13). It wrote payout_instruction
     * rows nothing read; payouts come from AVAILABLE balances through each community's settlement cycle.
     * Histories recorded before it still run the step (the activity still answers, writing nothing).
     */
    static final String NO_HANDOVER = "no-payout-handover";

    /** Exponential backoff capped at a minute; errors retrying cannot fix are not retried. */
    static final RetryOptions RETRY = StepOptions.retry(PaymentFailures.NON_RETRYABLE.toArray(String[]::new));

    /** Cashfree may be down for a while: keep trying for up to six hours before parking. */
    static final ActivityOptions CASHFREE_STEP = StepOptions.activity(Duration.ofSeconds(30), Duration.ofHours(6), RETRY);

    /** Database and pure steps: short attempts, retried for up to an hour (a failover, a deadlock storm). */
    static final ActivityOptions LEDGER_STEP = StepOptions.activity(Duration.ofSeconds(30), Duration.ofHours(1), RETRY);

    /** Short reads/writes with no outside party: local activities (no extra server round trips). */
    static final LocalActivityOptions LOCAL_STEP = StepOptions.local(Duration.ofSeconds(10), Duration.ofMinutes(10), RETRY);

    /**
     * v2: the same database and pure steps as {@link #LEDGER_STEP}, as local activities. Same limits: an
     * attempt may take 30 s (a group commit under load), retries go on for an hour; past the SDK's local
     * retry threshold the backoff becomes a durable timer, so a long outage does not hold a workflow task.
     */
    static final LocalActivityOptions LOCAL_LEDGER_STEP = StepOptions.local(Duration.ofSeconds(30), Duration.ofHours(1), RETRY);

    /** A parked payment is retried automatically this often (durable timer), this many times, then waits for a human. */
    static final Duration AUTO_RETRY_AFTER = Duration.ofHours(1);
    static final int MAX_AUTO_RETRIES = 3;
    /** Bound on remembered webhook event ids (TIGER_STYLE: a limit on everything). */
    static final int MAX_EVENTS = 100;

    private final PaymentActivities cashfree = Workflow.newActivityStub(PaymentActivities.class, CASHFREE_STEP);
    private final PaymentActivities ledger = Workflow.newActivityStub(PaymentActivities.class, LEDGER_STEP);
    private final PaymentActivities local = Workflow.newLocalActivityStub(PaymentActivities.class, LOCAL_STEP);
    private final PaymentActivities localLedger = Workflow.newLocalActivityStub(PaymentActivities.class, LOCAL_LEDGER_STEP);

    /** v2: database steps run as local activities and the PaymentStage search attribute follows the stage. */
    private boolean fastPath;
    private PaymentStage searchableStage;

    private String paymentId;
    private PaymentStage stage = PaymentStage.VERIFYING;
    private FeeCalculation fees;
    private List<RoleAllocation> shares;
    private LedgerPosting posting;
    private Long releaseAtEpochMillis;
    private String error;
    private PaymentStage parkedStep;
    private List<String> fraudReasons = List.of();
    private String decidedBy;
    private OperatorDecision pendingDecision;
    private ReviewDecision pendingReview;
    private final Set<String> eventIds = new LinkedHashSet<>();

    /** Thrown inside the workflow when an operator chooses to compensate a parked payment. */
    private static final class CompensationRequested extends RuntimeException {
        CompensationRequested(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public PaymentStatus process(PaymentRequest request) {
        paymentId = request.paymentId();
        int version = Workflow.getVersion(OPERATIONS_CHANGE, Workflow.DEFAULT_VERSION, FAST_PATH);
        if (version == Workflow.DEFAULT_VERSION) return processV0(request);
        fastPath = version >= FAST_PATH;
        // Started with PaymentStage VERIFYING (PaymentWorkflow.searchAttributes): nothing to upsert yet.
        if (fastPath) searchableStage = PaymentStage.VERIFYING;
        return processV1(request);
    }

    /** v0, as released: kept byte-for-byte in behaviour so its histories replay. */
    private PaymentStatus processV0(PaymentRequest request) {
        Saga saga = new Saga(new Saga.Options.Builder().setParallelCompensation(false).build());
        try {
            VerifiedPayment verified = cashfree.verifyWithCashfree(request);
            stage = PaymentStage.CALCULATING_FEES;
            fees = ledger.calculateFees(request, verified);
            stage = PaymentStage.ALLOCATING_SHARES;
            shares = ledger.allocateShares(request.communityId(), fees.breakdown().netPaise(), fees.roles()).shares();
            stage = PaymentStage.POSTING_LEDGER;
            saga.addCompensation(ledger::reverseLedgerPosting, request.paymentId(), "payment workflow compensation");
            posting = ledger.postToLedger(request, verified, fees, new Allocation(shares));
            stage = PaymentStage.QUEUING_SETTLEMENT;
            releaseAtEpochMillis = ledger.queueSettlement(posting.transactionId()).releaseAtEpochMillis();
            stage = PaymentStage.HANDING_OVER_PAYOUT;
            ledger.handOverToPayouts(posting.transactionId());
            stage = PaymentStage.COMPLETED;
            return status();
        } catch (ActivityFailure e) {
            error = describe(e);
            boolean posted = stage.ordinal() >= PaymentStage.POSTING_LEDGER.ordinal();
            if (posted) {
                Workflow.newDetachedCancellationScope(saga::compensate).run();
                stage = PaymentStage.COMPENSATED;
            } else {
                stage = PaymentStage.FAILED;
            }
            throw ApplicationFailure.newNonRetryableFailureWithCause(
                    "payment " + paymentId + " " + stage.name().toLowerCase() + ": " + error, "PaymentFailed", e);
        }
    }

    /** v1 and v2: screen for fraud (review if flagged); park failed steps for an operator instead of failing. */
    private PaymentStatus processV1(PaymentRequest request) {
        Saga saga = new Saga(new Saga.Options.Builder().setParallelCompensation(false).build());
        boolean compensable = false;
        PaymentActivities db = fastPath ? localLedger : ledger;
        try {
            VerifiedPayment verified = step(PaymentStage.VERIFYING, () -> cashfree.verifyWithCashfree(request));

            FraudVerdict verdict = step(PaymentStage.SCREENING, () -> local.screenForFraud(request, verified));
            if (verdict.flagged()) {
                fraudReasons = verdict.reasons();
                stage = PaymentStage.UNDER_REVIEW;
                record("flagged: " + String.join("; ", fraudReasons));
                Workflow.await(() -> pendingReview != null);
                decidedBy = pendingReview.reviewer();
                if (pendingReview.outcome() == ReviewDecision.Outcome.REJECT) {
                    stage = PaymentStage.REJECTED;
                    error = "rejected by " + pendingReview.reviewer() + ": " + pendingReview.reason();
                    record(error);
                    return status();
                }
            }

            fees = step(PaymentStage.CALCULATING_FEES, () -> db.calculateFees(request, verified));
            shares = step(PaymentStage.ALLOCATING_SHARES,
                    () -> db.allocateShares(request.communityId(), fees.breakdown().netPaise(), fees.roles()).shares());

            // Registered before the call: if the posting committed but its completion was lost, the
            // reversal (keyed by paymentId) still finds and reverses it.
            saga.addCompensation(ledger::reverseLedgerPosting, request.paymentId(), "payment workflow compensation");
            compensable = true;
            posting = step(PaymentStage.POSTING_LEDGER, () -> db.postToLedger(request, verified, fees, new Allocation(shares)));
            releaseAtEpochMillis = step(PaymentStage.QUEUING_SETTLEMENT,
                    () -> db.queueSettlement(posting.transactionId()).releaseAtEpochMillis());
            if (Workflow.getVersion(NO_HANDOVER, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
                step(PaymentStage.HANDING_OVER_PAYOUT, () -> db.handOverToPayouts(posting.transactionId()));
            }

            stage = PaymentStage.COMPLETED;
            error = null;
            record(null);
            return status();
        } catch (ActivityFailure | CompensationRequested e) {
            if (error == null) error = e instanceof TemporalFailure tf ? describe(tf) : e.getMessage();
            if (compensable) {
                Workflow.newDetachedCancellationScope(saga::compensate).run();
                stage = PaymentStage.COMPENSATED;
            } else {
                stage = PaymentStage.FAILED;
            }
            Workflow.newDetachedCancellationScope(() -> record(error)).run();
            throw ApplicationFailure.newNonRetryableFailure(
                    "payment " + paymentId + " " + stage.name().toLowerCase() + ": " + error, "PaymentFailed");
        }
    }

    /**
     * Runs one step. If it fails for good (retries exhausted, or an error retrying cannot fix), the
     * payment parks as NEEDS_ATTENTION: it retries by itself after {@link #AUTO_RETRY_AFTER} (a durable
     * timer) up to {@link #MAX_AUTO_RETRIES} times, then waits for an operator to signal RETRY or
     * COMPENSATE. Cashfree saying the payment is not what was claimed is final: it fails at once.
     */
    private <T> T step(PaymentStage s, Functions.Func<T> call) {
        stage = s;
        leaveParkedStage();
        int autoRetries = 0;
        while (true) {
            try {
                T result = call.apply();
                parkedStep = null;
                return result;
            } catch (ActivityFailure e) {
                error = describe(e);
                if (isVerificationFailure(e)) throw e;
                parkedStep = s;
                stage = PaymentStage.NEEDS_ATTENTION;
                record(s + ": " + error);
                pendingDecision = null;
                boolean decided = autoRetries < MAX_AUTO_RETRIES
                        ? Workflow.await(AUTO_RETRY_AFTER, () -> pendingDecision != null)
                        : awaitDecision();
                if (decided && pendingDecision.action() == OperatorDecision.Action.COMPENSATE) {
                    decidedBy = pendingDecision.operator();
                    error = s + " failed (" + error + "); compensated by " + decidedBy;
                    throw new CompensationRequested(error);
                }
                if (decided) decidedBy = pendingDecision.operator();
                else autoRetries++;
                pendingDecision = null;
                stage = s;
                leaveParkedStage();
            }
        }
    }

    private boolean awaitDecision() {
        Workflow.await(() -> pendingDecision != null);
        return true;
    }

    /**
     * Best effort: a database outage must neither fail nor compensate a payment, so a failure to record is
     * only logged. The money's truth is the ledger (GET /api/v1/payments derives POSTED from it); this
     * status is the operators' projection of where the workflow stands.
     */
    private void record(String detail) {
        try {
            local.recordStatus(paymentId, stage.name(), detail);
        } catch (ActivityFailure e) {
            Workflow.getLogger(PaymentWorkflowImpl.class).warn("could not record status {} of {}: {}", stage, paymentId, describe(e));
        }
        publishStage();
    }

    /**
     * v2: the PaymentStage search attribute follows the notable stages (the ones {@link #record} writes,
     * and leaving them), so "parked payments of community X" is a Web UI query. Not upserted on every
     * step: each upsert is a history event, and the Web UI needs only where a payment stands or stopped.
     */
    private void leaveParkedStage() {
        if (searchableStage == PaymentStage.UNDER_REVIEW || searchableStage == PaymentStage.NEEDS_ATTENTION) publishStage();
    }

    private void publishStage() {
        if (!fastPath || stage == searchableStage) return;
        Workflow.upsertTypedSearchAttributes(SearchKeys.PAYMENT_STAGE.valueSet(stage.name()));
        searchableStage = stage;
    }

    @Override
    public void decide(OperatorDecision decision) {
        if (stage == PaymentStage.NEEDS_ATTENTION && decision != null && decision.action() != null) pendingDecision = decision;
    }

    @Override
    public void review(ReviewDecision decision) {
        if (stage == PaymentStage.UNDER_REVIEW && decision != null && decision.outcome() != null) pendingReview = decision;
    }

    @Override
    public void cashfreeEvent(CashfreeEvent event) {
        // Verification always asks Cashfree itself; events are recorded (deduplicated, bounded) for the status view.
        if (event == null || event.eventId() == null || eventIds.contains(event.eventId())) return;
        if (eventIds.size() >= MAX_EVENTS) eventIds.remove(eventIds.iterator().next());
        eventIds.add(event.eventId());
    }

    @Override
    public PaymentStatus status() {
        FeeBreakdown breakdown = fees == null ? null : fees.breakdown();
        return new PaymentStatus(paymentId, stage, breakdown, fees == null ? null : fees.ruleId(),
                fees == null ? null : fees.ruleVersion(), shares,
                posting == null ? null : posting.transactionId(), posting == null ? null : posting.journalId(),
                releaseAtEpochMillis, error, parkedStep, new ArrayList<>(fraudReasons), decidedBy, eventIds.size());
    }

    private static boolean isVerificationFailure(ActivityFailure e) {
        return e.getCause() instanceof ApplicationFailure af && PaymentFailures.VERIFICATION_FAILED.equals(af.getType());
    }
}
