package com.commdesk.workflows.payment;

/** Where a payment is. The order is the order of the steps. */
public enum PaymentStage {
    VERIFYING,
    /**
     * The order was still ACTIVE (not paid) when the verify step's wait ended: waits for its PAYMENT_SUCCESS webhook,
     * looking at Cashfree again now and then, until it is paid or refused (since "late-payment-awaited"). Nothing posted;
     * not a person's to act on.
     */
    AWAITING_PAYMENT,
    /** Fraud screen (since v1). */
    SCREENING,
    /** Flagged by the fraud screen; waits for an approve/reject review signal. */
    UNDER_REVIEW,
    CALCULATING_FEES,
    ALLOCATING_SHARES,
    POSTING_LEDGER,
    QUEUING_SETTLEMENT,
    HANDING_OVER_PAYOUT,
    COMPLETED,
    /** A step failed for good or ran out of retries; waits for an operator's retry/compensate signal. */
    NEEDS_ATTENTION,
    /** Rejected in fraud review; nothing was posted. */
    REJECTED,
    /** A step failed for good before anything was posted; nothing to undo. */
    FAILED,
    /** A step failed for good after posting; the journal was reversed by a linked reversal journal. */
    COMPENSATED
}
