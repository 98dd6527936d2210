package com.commdesk.workflows.payment;

/** Where a payment is. The order is the order of the steps. */
public enum PaymentStage {
    VERIFYING,
    CALCULATING_FEES,
    ALLOCATING_SHARES,
    POSTING_LEDGER,
    QUEUING_SETTLEMENT,
    HANDING_OVER_PAYOUT,
    COMPLETED,
    /** A step failed for good before anything was posted; nothing to undo. */
    FAILED,
    /** A step failed for good after posting; the journal was reversed by a linked reversal journal. */
    COMPENSATED
}
