package com.commdesk.workflows.payment;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
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

    /**
     * The workflow id of a payment: derived from its Cashfree order, so the API (any number of
     * retries) and Cashfree's webhooks (any number of deliveries) all reach the same single run.
     */
    static String workflowId(String cashfreeOrderId) {
        return "payment-" + cashfreeOrderId;
    }

    @WorkflowMethod
    PaymentStatus process(PaymentRequest request);

    @QueryMethod
    PaymentStatus status();

    /** Operator's decision on a payment parked as NEEDS_ATTENTION; ignored in any other stage. */
    @SignalMethod
    void decide(OperatorDecision decision);

    /** Fraud reviewer's decision on a payment UNDER_REVIEW; ignored in any other stage. */
    @SignalMethod
    void review(ReviewDecision decision);

    /** A verified Cashfree webhook for this order. Repeats (same event id) are ignored. */
    @SignalMethod
    void cashfreeEvent(CashfreeEvent event);
}
