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
    /**
     * getVersion change id: an order still ACTIVE when the verify step stops asking ({@link PaymentFailures#ORDER_UNPAID})
     * is waited for ({@link PaymentStage#AWAITING_PAYMENT}) instead of failing the payment, whose later PAYMENT_SUCCESS
     * could not start it again. Recorded only where it applies, when that answer arrives: a run that parked on it under
     * an older worker replays as it ran.
     */
    static final String LATE_PAYMENT = "late-payment-awaited";
    /**
     * getVersion change id: a wait for an unpaid order ends only once Cashfree's order can no longer be paid. When the
     * wait's {@link #LATE_PAYMENT_WAIT} is over, or an operator cancels the payment ({@link #cancel}, or COMPENSATE while
     * parked awaiting it), Cashfree is asked to terminate the order ({@link PaymentActivities#terminateUnpaidOrder}); paid
     * meanwhile, the payment is booked. Before it, the wait's end (and a compensation) FAILED the payment with the order
     * still payable (its own expiry may be later), and money paid after it was found only by reconciliation. Recorded
     * where it changes what happens: at the wait's end and at such a compensation ({@link #CANCEL_TAKEN} decides a cancel).
     */
    static final String UNPAID_ORDER_TERMINATED = "unpaid-order-terminated";
    /**
     * getVersion change id prefix, one id per cancel signal received while awaiting ({@link #cancel}): whether that cancel
     * is taken. A worker from before {@link #UNPAID_ORDER_TERMINATED} had no handler for the signal and ignored it; a run
     * it recorded replays here without the marker, so that cancel is ignored as it was. An id of its own per cancel, not
     * {@link #UNPAID_ORDER_TERMINATED}: a version answered DEFAULT on replay stays DEFAULT for the rest of the run, and must
     * neither make a later cancel (from the new API, on a new worker) do nothing nor keep the wait's end from terminating
     * the order (review s15).
     */
    static final String CANCEL_TAKEN = "unpaid-order-cancel-";
    /**
     * getVersion change id: COMPENSATE of a payment parked in {@link PaymentStage#VERIFYING} (Cashfree unanswered for the
     * step's six hours) has Cashfree terminate the order first, as a compensation while awaiting it does
     * ({@link #UNPAID_ORDER_TERMINATED}): paid meanwhile, the payment is booked; else it FAILED once the order can no longer
     * be paid. Before it, the payment FAILED at once with its order still payable, and money paid afterwards was booked by
     * nothing (left undone in s15). Recorded only at such a compensation: a run compensated before it replays as it ran.
     * Not for {@link PaymentFailures#SOURCE_NOT_OFFERED}: that order is PAID, there is nothing to terminate.
     */
    static final String VERIFY_COMPENSATION_TERMINATES = "verify-compensation-terminates";
    /**
     * getVersion change id prefix, one id per decision received while a parked step runs again (its automatic retry, or an
     * operator's RETRY, up to the Cashfree step's six hours): whether it is taken. The projection still says
     * NEEDS_ATTENTION then and the API answers 202, but the handler took decisions only while parked, so such a decision
     * was dropped without a word (s16). Now it is kept: acted on if the step fails again, moot if it succeeds (the step
     * did what was asked of it). Decided in the handler under an id of its own, as {@link #CANCEL_TAKEN}: a decision an
     * older worker dropped replays as dropped.
     */
    static final String DECISION_DURING_RETRY = "decision-during-retry-";
    /**
     * getVersion change id, at every park: a step's stale decision is cleared before the park is recorded, not after. A
     * decision signalled in the same workflow task as a retried step's failure is handled while the park is recorded (the
     * main thread runs first and yields in the status record, a local activity; the handler then sees NEEDS_ATTENTION and
     * takes it), and clearing after the record dropped it without a word (the race s16's review found; fixed in s17). A run
     * recorded before it replays as it ran.
     */
    static final String CLEAR_BEFORE_PARK_RECORDED = "clear-decision-before-park-recorded";
    /** While a payment awaits its order's payment, Cashfree is looked at again this often for its first day... */
    static final Duration LATE_LOOK_FIRST_DAY = Duration.ofHours(1);
    /** ...then this often (a bounded history however long the wait: 53 looks in 30 days, PaymentWorkflowTest). */
    static final Duration LATE_LOOK_AFTER = Duration.ofDays(1);
    /**
     * How long a payment waits for its order to be paid: Cashfree's default order lifetime (a customer may try again on
     * the same order until it expires; an EXPIRED or TERMINATED order is refused at the next look). A payment still
     * unpaid after it has Cashfree terminate the order ({@link #UNPAID_ORDER_TERMINATED}), and FAILED once it can no
     * longer be paid.
     */
    static final Duration LATE_PAYMENT_WAIT = Duration.ofDays(30);

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
    /** PAYMENT_SUCCESS webhooks delivered (distinct event ids): a payment awaiting its order looks again on a new one. */
    private int paymentSuccessEvents;
    /** The projection says AWAITING_PAYMENT: the next step records where the payment went from there. */
    private boolean awaitingRecorded;
    /** An operator's cancellation of the wait for an unpaid order (the first one taken while AWAITING_PAYMENT). */
    private Cancellation cancellation;
    /** Cancel signals received while awaiting and not yet taken: numbers each one's {@link #CANCEL_TAKEN} id. */
    private int cancelsReceived;
    /** Decisions received while a parked step ran again: numbers each one's {@link #DECISION_DURING_RETRY} id. */
    private int decisionsDuringRetry;
    /** {@link #pendingDecision} was taken while the parked step ran again: kept if it fails again, dropped if it succeeds. */
    private boolean decisionTakenDuringRetry;
    /** Cashfree has been asked to terminate the order ({@link #terminateUnpaidOrder} began): only then may COMPENSATE fail it. */
    private boolean terminationAsked;

    /**
     * Thrown by {@link #step} when an operator compensates a payment parked verifying whose order may still be paid
     * ({@link #VERIFY_COMPENSATION_TERMINATES}): the verify step has the order terminated instead.
     */
    private static final class TerminationRequested extends RuntimeException {
        final String operator;

        TerminationRequested(String operator, String message) {
            super(message, null, false, false);
            this.operator = operator;
        }
    }

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
            VerifiedPayment verified = verify(request);

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
     * The verify step. An order still ACTIVE when it stops asking ({@link PaymentFailures#ORDER_UNPAID}, since
     * {@link #LATE_PAYMENT}) is waited for: {@link #awaitPayment}.
     */
    private VerifiedPayment verify(PaymentRequest request) {
        int eventsBefore = paymentSuccessEvents;
        try {
            return step(PaymentStage.VERIFYING, () -> cashfree.verifyWithCashfree(request));
        } catch (ActivityFailure e) {
            if (!isUnpaidOrder(e)) throw e; // step() lets ORDER_UNPAID through only where LATE_PAYMENT applies
            return awaitPayment(request, e, eventsBefore);
        } catch (TerminationRequested t) {
            // The projection (the ops list, the parked gauge, what the API lets ops do) follows: the payment no longer waits for
            // a person but for Cashfree to close its order (review s16, L1).
            stage = PaymentStage.AWAITING_PAYMENT;
            record(t.getMessage() + ": Cashfree is asked to terminate its order first");
            return terminateUnpaidOrder(request, new CompensationRequested(t.getMessage()), t.getMessage(), t.operator);
        }
    }

    /**
     * The customer may still pay the order (a UPI payment pending, another attempt on the same order): the payment waits
     * as AWAITING_PAYMENT, nothing posted, not a person's to act on (the stuck gauge does not count it), and looks at
     * Cashfree again when a PAYMENT_SUCCESS webhook arrives, else hourly for a day and daily after it. Paid: it goes on
     * from the fraud screen. Any other answer ends it as the verify step's would (EXPIRED or TERMINATED: refused, FAILED).
     * Still ACTIVE after {@link #LATE_PAYMENT_WAIT}, or cancelled by an operator: {@link #terminateUnpaidOrder}. A look that finds the order unpaid is an answer, not
     * an activity failure (a month of looks at thousands of abandoned claims must not read as failures on the dashboards).
     *
     * @param unpaid       the verify step's answer, thrown (with the wait's own reason) when the wait ends unpaid
     * @param eventsBefore PAYMENT_SUCCESS events delivered before the verify step began: one delivered during it or during
     *                     a later look has the payment look again at once
     */
    private VerifiedPayment awaitPayment(PaymentRequest request, ActivityFailure unpaid, int eventsBefore) {
        long waitBeganMillis = Workflow.currentTimeMillis();
        long waitEndsMillis = waitBeganMillis + LATE_PAYMENT_WAIT.toMillis();
        String firstAnswer = error;
        while (true) {
            long now = Workflow.currentTimeMillis();
            if (now >= waitEndsMillis) {
                String why = "order is still ACTIVE, not PAID, " + LATE_PAYMENT_WAIT.toDays() + " days after its payment was first awaited ("
                        + firstAnswer + ")";
                // Decided where it applies: a wait that ended before the change replays as it ran (FAILED, order untouched).
                if (terminatesUnpaidOrders()) return terminateUnpaidOrder(request, unpaid, why, null);
                error = why;
                throw unpaid;
            }
            // A cancellation (taken by the signal's handler, CANCEL_TAKEN) ends the wait whenever the wait began: a wait begun
            // before the deploy is cancelled like any other.
            if (cancellation != null) {
                return terminateUnpaidOrder(request, unpaid, "cancelled by " + cancellation.operator()
                        + (cancellation.note() == null || cancellation.note().isBlank() ? "" : " (" + cancellation.note() + ")")
                        + " while its order was unpaid", cancellation.operator());
            }
            stage = PaymentStage.AWAITING_PAYMENT;
            record(firstAnswer + "; awaiting its payment: looked at again on its PAYMENT_SUCCESS webhook, hourly for a day, then"
                    + " daily, for " + LATE_PAYMENT_WAIT.toDays() + " days");
            awaitingRecorded = true;
            Duration every = now - waitBeganMillis < Duration.ofDays(1).toMillis() ? LATE_LOOK_FIRST_DAY : LATE_LOOK_AFTER;
            Duration next = Duration.ofMillis(Math.min(every.toMillis(), waitEndsMillis - now));
            int seen = eventsBefore;
            Workflow.await(next, () -> paymentSuccessEvents > seen || cancellation != null);
            if (cancellation != null) continue;
            eventsBefore = paymentSuccessEvents;
            VerifiedPayment paid = step(PaymentStage.AWAITING_PAYMENT, () -> cashfree.verifyLatePayment(request));
            if (paid != null) return paid;
        }
    }

    /** Whether {@link #UNPAID_ORDER_TERMINATED} applies; asked only where it changes what happens (the wait's end, COMPENSATE). */
    private boolean terminatesUnpaidOrders() {
        return Workflow.getVersion(UNPAID_ORDER_TERMINATED, Workflow.DEFAULT_VERSION, 1) == 1;
    }

    /**
     * Since {@link #UNPAID_ORDER_TERMINATED}: the wait ends only when Cashfree's order can no longer be paid. Cashfree is
     * asked to terminate it: paid meanwhile, the payment goes on and is booked (an operator's cancellation included: the
     * money is the customer's payment, booked and split as any other, refundable as any other); terminated or expired, the
     * payment FAILED with {@code why} ({@code cancelledBy}: the operator whose cancel ended it; null at the wait's end). A termination still pending (a payment attempt in flight), refused, or a look that
     * cannot say, is asked again with the Cashfree step's retries, then parks for a person like any step: RETRY asks again,
     * and COMPENSATE asks again too (a compensation while the order may still be paid is a cancellation, {@link #step}).
     */
    private VerifiedPayment terminateUnpaidOrder(PaymentRequest request, RuntimeException unpaid, String why, String cancelledBy) {
        terminationAsked = true;
        VerifiedPayment paid = step(PaymentStage.AWAITING_PAYMENT, () -> cashfree.terminateUnpaidOrder(request));
        if (paid != null) return paid;
        if (cancelledBy != null) decidedBy = cancelledBy; // who decided the payment's end: not set when it was paid after all
        error = why + "; Cashfree's order was terminated (no payment can be made on it)";
        throw unpaid;
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
                if (decisionTakenDuringRetry) {
                    // Moot: the step did what was asked of it (a COMPENSATE sent while it ran does not undo a step that
                    // succeeded; the payment goes on).
                    pendingDecision = null;
                    decisionTakenDuringRetry = false;
                }
                return result;
            } catch (ActivityFailure e) {
                error = describe(e);
                // A decision sent while the step ran again (DECISION_DURING_RETRY) is acted on if it parks again, and only then.
                boolean keepDecision = decisionTakenDuringRetry;
                decisionTakenDuringRetry = false;
                if (keepDecision && (isVerificationFailure(e) || isUnpaidOrder(e))) pendingDecision = null;
                if (isVerificationFailure(e)) throw e;
                if (isUnpaidOrder(e) && Workflow.getVersion(LATE_PAYMENT, Workflow.DEFAULT_VERSION, 1) == 1) throw e;
                parkedStep = s;
                boolean clearedFirst = Workflow.getVersion(CLEAR_BEFORE_PARK_RECORDED, Workflow.DEFAULT_VERSION, 1) == 1;
                if (clearedFirst && !keepDecision) pendingDecision = null;
                stage = PaymentStage.NEEDS_ATTENTION;
                record(s + ": " + error); // a decision handled while this records is taken (CLEAR_BEFORE_PARK_RECORDED)
                if (!clearedFirst && !keepDecision) pendingDecision = null;
                boolean decided = autoRetries < MAX_AUTO_RETRIES
                        ? Workflow.await(AUTO_RETRY_AFTER, () -> pendingDecision != null)
                        : awaitDecision();
                // SourceNotOffered: Cashfree says the order is PAID, so there is nothing to terminate and a cancellation would
                // only look again and park again (review s16, M1). It is compensated as any step is. Not versioned: no run
                // recorded before it could park on that failure (it was a verification failure that failed the payment).
                if (decided && pendingDecision.action() == OperatorDecision.Action.COMPENSATE && s == PaymentStage.AWAITING_PAYMENT
                        && !terminationAsked && !isSourceNotOffered(e) && terminatesUnpaidOrders()) {
                    // Parked while its order may still be paid (a look at Cashfree that got no answer): nothing is posted, but
                    // failing the payment now would leave money the customer pays later unbooked (review s15, H1). Until
                    // Cashfree has been asked to terminate the order, a compensation is a cancellation (a cancel taken during
                    // the look counts too: its termination has not been asked yet either): the look is asked again, and the
                    // wait ends once the order can no longer be paid. Once the termination was asked and parked (Cashfree
                    // would not terminate it, or cannot be asked), a compensation is an operator's decision to fail the
                    // payment anyway: taken, and said.
                    if (cancellation == null) cancellation = new Cancellation(pendingDecision.operator(), pendingDecision.note());
                    pendingDecision = null;
                    stage = s;
                    leaveParkedStage();
                    continue;
                }
                if (decided && pendingDecision.action() == OperatorDecision.Action.COMPENSATE && s == PaymentStage.VERIFYING
                        && !isSourceNotOffered(e)
                        && Workflow.getVersion(VERIFY_COMPENSATION_TERMINATES, Workflow.DEFAULT_VERSION, 1) == 1) {
                    // Parked verifying (Cashfree unanswered): the order may still be paid. Failing the payment now would leave
                    // money the customer pays later booked by nothing; Cashfree is asked to terminate the order first
                    // (verify(): paid meanwhile, it is booked).
                    OperatorDecision d = pendingDecision;
                    pendingDecision = null;
                    throw new TerminationRequested(d.operator(), s + " failed (" + error + "); compensated by " + d.operator()
                            + (d.note() == null || d.note().isBlank() ? "" : " (" + d.note() + ")"));
                }
                if (decided && pendingDecision.action() == OperatorDecision.Action.COMPENSATE) {
                    decidedBy = pendingDecision.operator();
                    error = s + " failed (" + error + "); compensated by " + decidedBy
                            + (s == PaymentStage.AWAITING_PAYMENT && terminationAsked
                                    ? " after Cashfree was asked to terminate its order, while the order may still be paid (reconciliation"
                                            + " finds money taken later)"
                                    : "");
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
        if (awaitingRecorded && stage != PaymentStage.AWAITING_PAYMENT) {
            // Paid at last: the projection (and the stuck gauge, which does not count AWAITING_PAYMENT) follows it again, and
            // "still ACTIVE" is no longer what the payment shows.
            awaitingRecorded = false;
            error = null;
            record(null);
            return;
        }
        if (searchableStage == PaymentStage.UNDER_REVIEW || searchableStage == PaymentStage.NEEDS_ATTENTION) publishStage();
    }

    private void publishStage() {
        if (!fastPath || stage == searchableStage) return;
        Workflow.upsertTypedSearchAttributes(SearchKeys.PAYMENT_STAGE.valueSet(stage.name()));
        searchableStage = stage;
    }

    @Override
    public void decide(OperatorDecision decision) {
        if (decision == null || decision.action() == null) return;
        if (stage == PaymentStage.NEEDS_ATTENTION) {
            pendingDecision = decision;
        } else if (parkedStep != null && stage == parkedStep && pendingDecision == null
                && Workflow.getVersion(DECISION_DURING_RETRY + ++decisionsDuringRetry, Workflow.DEFAULT_VERSION, 1) == 1) {
            pendingDecision = decision;
            decisionTakenDuringRetry = true;
        }
    }

    @Override
    public void review(ReviewDecision decision) {
        if (stage == PaymentStage.UNDER_REVIEW && decision != null && decision.outcome() != null) pendingReview = decision;
    }

    @Override
    public void cancel(Cancellation c) {
        // Accepted while the payment awaits its order (a look at Cashfree, or the order's termination, included); the first
        // one taken counts. Whether this one is taken is decided here, where the signal lands in the history, under an id of
        // its own (CANCEL_TAKEN): one an old worker ignored replays as ignored (not waking a wait that could not act on it),
        // and a later one is taken.
        if (stage == PaymentStage.AWAITING_PAYMENT && cancellation == null && c != null && c.operator() != null
                && Workflow.getVersion(CANCEL_TAKEN + ++cancelsReceived, Workflow.DEFAULT_VERSION, 1) == 1) {
            cancellation = c;
        }
    }

    @Override
    public void cashfreeEvent(CashfreeEvent event) {
        // Verification always asks Cashfree itself; events are recorded (deduplicated, bounded) for the status view.
        if (event == null || event.eventId() == null || eventIds.contains(event.eventId())) return;
        if (eventIds.size() >= MAX_EVENTS) eventIds.remove(eventIds.iterator().next());
        eventIds.add(event.eventId());
        if (CashfreeEvent.PAYMENT_SUCCESS.equals(event.type())) paymentSuccessEvents++;
    }

    @Override
    public PaymentStatus status() {
        FeeBreakdown breakdown = fees == null ? null : fees.breakdown();
        return new PaymentStatus(paymentId, stage, breakdown, fees == null ? null : fees.ruleId(),
                fees == null ? null : fees.ruleVersion(), shares,
                posting == null ? null : posting.transactionId(), posting == null ? null : posting.journalId(),
                releaseAtEpochMillis, error, parkedStep, new ArrayList<>(fraudReasons), decidedBy, eventIds.size());
    }

    private static boolean isUnpaidOrder(ActivityFailure e) {
        return e.getCause() instanceof ApplicationFailure af && PaymentFailures.ORDER_UNPAID.equals(af.getType());
    }

    private static boolean isSourceNotOffered(ActivityFailure e) {
        return e.getCause() instanceof ApplicationFailure af && PaymentFailures.SOURCE_NOT_OFFERED.equals(af.getType());
    }

    private static boolean isVerificationFailure(ActivityFailure e) {
        return e.getCause() instanceof ApplicationFailure af && PaymentFailures.VERIFICATION_FAILED.equals(af.getType());
    }
}
