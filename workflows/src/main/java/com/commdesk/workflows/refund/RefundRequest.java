package com.commdesk.workflows.refund;

/**
 * A refund (money back to the customer through Cashfree) or a chargeback (Cashfree already took it
 * back after a dispute) of part or all of a payment. {@code refundId} is the caller's idempotency key.
 */
public record RefundRequest(String refundId, String paymentId, Kind kind, long amountPaise, String reason, String requestedBy) {
    public enum Kind { REFUND, CHARGEBACK }
}
