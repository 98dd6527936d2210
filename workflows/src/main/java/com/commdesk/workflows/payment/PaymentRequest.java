package com.commdesk.workflows.payment;

import java.util.Map;

/**
 * A payment the API accepted. {@code paymentId} is the caller's idempotency key; the workflow id
 * derives from it ({@link PaymentWorkflow#workflowId}), so the same key can never start a second
 * payment.
 */
public record PaymentRequest(String paymentId, String communityId, String sourceType, String sourceId,
                             String cashfreeOrderId, long amountPaise, Map<String, String> metadata) {
    public PaymentRequest {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
