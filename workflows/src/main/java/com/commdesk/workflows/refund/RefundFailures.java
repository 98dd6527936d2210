package com.commdesk.workflows.refund;

/** Failure types no retry can fix. */
public final class RefundFailures {
    public static final String NOT_REFUNDABLE = "NotRefundable";
    public static final String CASHFREE_REFUSED = "CashfreeRefusedRefund";

    private RefundFailures() {}
}
