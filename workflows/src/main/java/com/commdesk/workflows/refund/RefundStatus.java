package com.commdesk.workflows.refund;

/** A refund as its workflow knows it. */
public record RefundStatus(String refundId, Stage stage, String cashfreeRefundId, RefundOutcome outcome, String error) {
    public enum Stage { CHECKING, REFUNDING_AT_CASHFREE, POSTING, COMPLETED, FAILED, NEEDS_ATTENTION }
}
