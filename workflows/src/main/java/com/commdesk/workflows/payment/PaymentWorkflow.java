package com.commdesk.workflows.payment;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One payment, end to end: verify with Cashfree -> calculate fees -> allocate shares -> post the
 * ledger -> queue settlement -> hand over to payouts. Durable: a worker crash or Cashfree downtime
 * only delays it.
 */
@WorkflowInterface
public interface PaymentWorkflow {
    String TASK_QUEUE = "commdesk-payments";

    /** The workflow id of a payment: derived from the caller's idempotency key, so a repeat finds the same run. */
    static String workflowId(String paymentId) {
        return "payment-" + paymentId;
    }

    @WorkflowMethod
    PaymentStatus process(PaymentRequest request);

    @QueryMethod
    PaymentStatus status();
}
