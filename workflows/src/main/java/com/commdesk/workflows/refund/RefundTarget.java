package com.commdesk.workflows.refund;

/** The posted payment a refund applies to, and how much of it is still refundable. */
public record RefundTarget(String transactionId, String cashfreeOrderId, long refundablePaise) {}
