package com.commdesk.workflows.payout;

import com.commdesk.workflows.payment.PaymentWorkflow;
import com.commdesk.workflows.payout.PayoutTypes.PayoutDecision;
import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
import com.commdesk.workflows.payout.PayoutTypes.PayoutResolution;
import com.commdesk.workflows.payout.PayoutTypes.PayoutStatus;
import com.commdesk.workflows.payout.PayoutTypes.TransferUpdate;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One payout; workflow id = payout id = Cashfree transfer_id. Lock the amount -> approval if needed
 * (four eyes, escalation, automatic rejection) -> one transfer -> final status from the webhook or
 * by polling -> paid, or compensated back to available. See docs/payouts.md.
 */
@WorkflowInterface
public interface PayoutWorkflow {
    String TASK_QUEUE = PaymentWorkflow.TASK_QUEUE;

    @WorkflowMethod
    PayoutStatus payout(PayoutRequest request);

    /** Approve; ignored unless awaiting approval, after a decision, or when sent by the requester. */
    @SignalMethod
    void approve(PayoutDecision decision);

    /** Reject; ignored unless awaiting approval or after a decision. */
    @SignalMethod
    void reject(PayoutDecision decision);

    /** A verified payout webhook for this transfer; repeats (same event id) are ignored. */
    @SignalMethod
    void transferUpdate(TransferUpdate update);

    /** Finance resolves a NEEDS_ATTENTION payout (ignored otherwise, and FAILED unless two different people). */
    @SignalMethod
    void resolve(PayoutResolution resolution);

    @QueryMethod
    PayoutStatus status();
}
