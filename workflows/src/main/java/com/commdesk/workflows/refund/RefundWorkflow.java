package com.commdesk.workflows.refund;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * reserve in the books -> (refund at Cashfree, unless a chargeback) -> wait for Cashfree's outcome
 * (REFUND_STATUS webhook or status polling) -> paid, or the reservation given back.
 */
@WorkflowInterface
public interface RefundWorkflow {
    String TASK_QUEUE = "commdesk-payments";

    static String workflowId(String refundId) {
        return "refund-" + refundId;
    }

    @WorkflowMethod
    RefundStatus process(RefundRequest request);

    @QueryMethod
    RefundStatus status();

    /** Whether the refund is held for a mismatch now, and the hold's round (what finance's votes are cast in). */
    @QueryMethod
    RefundMismatchHold mismatchHold();

    /** v0: after Cashfree refunded but the posting failed for good, an operator's "try again". */
    @SignalMethod
    void retryPosting(String operator);

    /** A verified REFUND_STATUS webhook; repeats (same event id) are ignored. */
    @SignalMethod
    void cashfreeStatus(RefundStatusEvent event);

    /** An operator's RETRY or COMPENSATE while the refund waits (AWAITING_CASHFREE or NEEDS_ATTENTION). */
    @SignalMethod
    void decide(RefundDecision decision);
}
