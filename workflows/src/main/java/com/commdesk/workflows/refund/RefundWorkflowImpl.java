package com.commdesk.workflows.refund;

import static com.commdesk.workflows.Failures.describe;

import com.commdesk.workflows.StepOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Deterministic orchestration of one refund. Before Cashfree has refunded, a permanent failure
 * simply fails the refund (nothing happened). After Cashfree has refunded, money has left: the
 * posting is retried for a day and then waits for an operator, never given up.
 */
public class RefundWorkflowImpl implements RefundWorkflow {
    static final RetryOptions RETRY = StepOptions.retry(RefundFailures.NOT_REFUNDABLE, RefundFailures.CASHFREE_REFUSED);

    /** Cashfree may be down a while before the refund is asked; after it refunded, the ledger must not give up for a day. */
    private final RefundActivities cashfree = Workflow.newActivityStub(RefundActivities.class,
            StepOptions.activity(Duration.ofSeconds(30), Duration.ofHours(6), RETRY));
    private final RefundActivities ledger = Workflow.newActivityStub(RefundActivities.class,
            StepOptions.activity(Duration.ofSeconds(30), Duration.ofHours(24), RETRY));

    private String refundId;
    private RefundStatus.Stage stage = RefundStatus.Stage.CHECKING;
    private String cashfreeRefundId;
    private RefundOutcome outcome;
    private String error;
    private boolean retryRequested;

    @Override
    public RefundStatus process(RefundRequest request) {
        refundId = request.refundId();
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

    @Override
    public RefundStatus status() {
        return new RefundStatus(refundId, stage, cashfreeRefundId, outcome, error);
    }

    @Override
    public void retryPosting(String operator) {
        if (stage == RefundStatus.Stage.NEEDS_ATTENTION) retryRequested = true;
    }
}
