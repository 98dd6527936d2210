package com.commdesk.workflows.payment;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.RoleAllocation;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * Deterministic orchestration only: no I/O, no clocks, no randomness but Temporal's. Each step is
 * an activity with explicit timeouts and retries; a compensable step registers its compensation
 * before it runs, and compensations run in a detached scope so a cancellation cannot stop them.
 */
public class PaymentWorkflowImpl implements PaymentWorkflow {

    /** Exponential backoff capped at a minute; errors retrying cannot fix are not retried. */
    static final RetryOptions RETRY = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2.0)
            .setMaximumInterval(Duration.ofMinutes(1))
            .setDoNotRetry(PaymentFailures.NON_RETRYABLE.toArray(String[]::new))
            .build();

    /** Cashfree may be down for a while: keep trying for up to six hours before giving up. */
    static final ActivityOptions CASHFREE_STEP = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setScheduleToCloseTimeout(Duration.ofHours(6))
            .setRetryOptions(RETRY)
            .build();

    /** Database and pure steps: short attempts, retried for up to an hour (a failover, a deadlock storm). */
    static final ActivityOptions LEDGER_STEP = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setScheduleToCloseTimeout(Duration.ofHours(1))
            .setRetryOptions(RETRY)
            .build();

    private final PaymentActivities cashfree = Workflow.newActivityStub(PaymentActivities.class, CASHFREE_STEP);
    private final PaymentActivities ledger = Workflow.newActivityStub(PaymentActivities.class, LEDGER_STEP);

    private String paymentId;
    private PaymentStage stage = PaymentStage.VERIFYING;
    private FeeCalculation fees;
    private List<RoleAllocation> shares;
    private LedgerPosting posting;
    private Long releaseAtEpochMillis;
    private String error;

    @Override
    public PaymentStatus process(PaymentRequest request) {
        paymentId = request.paymentId();
        Saga saga = new Saga(new Saga.Options.Builder().setParallelCompensation(false).build());
        try {
            VerifiedPayment verified = cashfree.verifyWithCashfree(request);

            stage = PaymentStage.CALCULATING_FEES;
            fees = ledger.calculateFees(request, verified);

            stage = PaymentStage.ALLOCATING_SHARES;
            shares = ledger.allocateShares(request.communityId(), fees.breakdown().netPaise(), fees.roles()).shares();

            stage = PaymentStage.POSTING_LEDGER;
            // Registered before the call: if the posting committed but its completion was lost, the
            // reversal (keyed by paymentId) still finds and reverses it.
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

    @Override
    public PaymentStatus status() {
        FeeBreakdown breakdown = fees == null ? null : fees.breakdown();
        return new PaymentStatus(paymentId, stage, breakdown, fees == null ? null : fees.ruleId(),
                fees == null ? null : fees.ruleVersion(), shares,
                posting == null ? null : posting.transactionId(), posting == null ? null : posting.journalId(),
                releaseAtEpochMillis, error);
    }

    /** The innermost failure's message: what an operator needs to read. */
    private static String describe(TemporalFailure e) {
        Throwable t = e;
        while (t.getCause() instanceof TemporalFailure next) t = next;
        String message = t instanceof ApplicationFailure af ? af.getOriginalMessage() : t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
