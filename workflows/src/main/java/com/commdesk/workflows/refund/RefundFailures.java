package com.commdesk.workflows.refund;

/** Failure types no retry can fix. */
public final class RefundFailures {
    /** The payment cannot take this refund (not posted, reversed, or not enough left): nothing was reserved. */
    public static final String NOT_REFUNDABLE = "NotRefundable";
    /** Cashfree refused to create the refund (a 4xx other than "already exists"): no refund exists there. */
    public static final String CASHFREE_REFUSED = "CashfreeRefusedRefund";
    /** The books refuse the step for good (e.g. Cashfree's outcome contradicts the refund's recorded one). */
    public static final String LEDGER_REFUSED = "LedgerRefused";
    /**
     * Cashfree holds our refund id for another amount or order: not a refusal (money may be leaving there) and no retry
     * changes it. From the create (askCashfree), a status look (cashfreeStatus) or a webhook's confirmation (confirmOutcome):
     * the workflow never books a status of that record, keeps the reservation and waits for an operator (awaitOperator).
     */
    public static final String CASHFREE_REFUND_MISMATCH = "CashfreeRefundMismatch";

    private RefundFailures() {}
}
