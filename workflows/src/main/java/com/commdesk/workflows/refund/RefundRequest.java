package com.commdesk.workflows.refund;

/**
 * A refund (money back to the customer through Cashfree) or a chargeback (Cashfree already took it
 * back after a dispute) of part or all of a payment. {@code refundId} is the caller's idempotency key.
 * {@code approvedBy} is the finance approver of a community owner's refund above the approval threshold
 * (null when none was needed); never the requester, compared case-insensitively. {@code resume} is null
 * unless the workflow's wait for Cashfree continued as new.
 */
public record RefundRequest(String refundId, String paymentId, Kind kind, long amountPaise, String reason, String requestedBy,
                            String approvedBy, RefundResume resume) {
    public RefundRequest(String refundId, String paymentId, Kind kind, long amountPaise, String reason, String requestedBy) {
        this(refundId, paymentId, kind, amountPaise, reason, requestedBy, null, null);
    }

    public RefundRequest(String refundId, String paymentId, Kind kind, long amountPaise, String reason, String requestedBy,
                         String approvedBy) {
        this(refundId, paymentId, kind, amountPaise, reason, requestedBy, approvedBy, null);
    }

    /** The same refund, carrying the wait's state into the next run (null when the API starts it). */
    RefundRequest resumed(RefundResume state) {
        return new RefundRequest(refundId, paymentId, kind, amountPaise, reason, requestedBy, approvedBy, state);
    }

    /** Four eyes: an approval by the requester (any letter case) is none. */
    public boolean approvedByRequester() {
        return approvedBy != null && approvedBy.equalsIgnoreCase(requestedBy);
    }
    public enum Kind { REFUND, CHARGEBACK }
}
