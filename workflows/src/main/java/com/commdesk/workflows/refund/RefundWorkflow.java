package com.commdesk.workflows.refund;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** check -> (refund at Cashfree, unless a chargeback) -> post the proportional reversal. */
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

    /** After Cashfree refunded but the posting failed for good: an operator's "try again". */
    @SignalMethod
    void retryPosting(String operator);
}
