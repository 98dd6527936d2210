package com.commdesk.workflows.refund;

/**
 * A refund as its workflow knows it. {@code cashfreeStatus} is the last refund_status Cashfree gave;
 * {@code decidedBy} the operator of the last decision. {@code mismatched}: Cashfree's last conclusive answer was a record
 * of our refund id with another amount or order (the refund is held for finance's two-person resolution).
 */
public record RefundStatus(String refundId, Stage stage, String cashfreeRefundId, RefundOutcome outcome, String error,
                           String cashfreeStatus, String decidedBy, boolean mismatched) {
    public RefundStatus(String refundId, Stage stage, String cashfreeRefundId, RefundOutcome outcome, String error,
                        String cashfreeStatus, String decidedBy) {
        this(refundId, stage, cashfreeRefundId, outcome, error, cashfreeStatus, decidedBy, false);
    }

    public RefundStatus(String refundId, Stage stage, String cashfreeRefundId, RefundOutcome outcome, String error) {
        this(refundId, stage, cashfreeRefundId, outcome, error, null, null);
    }

    /**
     * CHECKING / RESERVING: the books are asked; REFUNDING_AT_CASHFREE: Cashfree is asked; AWAITING_CASHFREE:
     * Cashfree has it PENDING (money reserved); COMPLETED: Cashfree paid it (or a chargeback is booked);
     * CANCELLED / FAILED: Cashfree cancelled, failed or refused it, or it was not refundable (the
     * reservation, if any, is given back); NEEDS_ATTENTION: waiting for an operator (money reserved).
     * AWAITING_APPROVAL / REJECTED are never a workflow's: a community owner's refund above the approval
     * threshold waits for finance before its workflow starts (nothing reserved), and a rejected one never starts.
     */
    public enum Stage { CHECKING, RESERVING, REFUNDING_AT_CASHFREE, AWAITING_CASHFREE, POSTING, COMPLETED, CANCELLED, FAILED, NEEDS_ATTENTION,
        AWAITING_APPROVAL, REJECTED }
}
