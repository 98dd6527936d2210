package com.commdesk.workflows.payment;

import com.commdesk.workflows.SearchKeys;
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

    /**
     * The search attributes a payment's workflow starts with (the API and the webhook controller set them
     * when they start it), so ops find it in the Temporal Web UI by community, order, amount and stage;
     * the workflow keeps PaymentStage current from there (docs/operations.md).
     */
    static io.temporal.common.SearchAttributes searchAttributes(PaymentRequest request) {
        return io.temporal.common.SearchAttributes.newBuilder()
                .set(SearchKeys.COMMUNITY_ID, request.communityId())
                .set(SearchKeys.CASHFREE_ORDER_ID, request.cashfreeOrderId())
                .set(SearchKeys.PAYMENT_AMOUNT_PAISE, request.amountPaise())
                .set(SearchKeys.PAYMENT_STAGE, PaymentStage.VERIFYING.name())
                .build();
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

    /**
     * Operator's cancellation of a payment AWAITING_PAYMENT (since "unpaid-order-terminated"); ignored in any other stage,
     * and after the first.
     */
    @SignalMethod
    void cancel(Cancellation cancellation);

    /** A verified Cashfree webhook for this order. Repeats (same event id) are ignored. */
    @SignalMethod
    void cashfreeEvent(CashfreeEvent event);
}
