package com.commdesk.workflows.refund;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The I/O of a refund; every method is idempotent by refund id. */
@ActivityInterface
public interface RefundActivities {
    /** v0: the payment must be posted and not reversed, and the amount within what is still refundable. */
    @ActivityMethod
    RefundTarget check(RefundRequest request);

    /** v0: asks Cashfree to refund (refund_id = our refund id); returns Cashfree's refund id. */
    @ActivityMethod
    String refundAtCashfree(RefundRequest request, String cashfreeOrderId);

    /** v0: posts the refund as done (reserved and paid at once). */
    @ActivityMethod
    RefundOutcome post(RefundRequest request, String transactionId);

    /**
     * Reserves the refund in the books before Cashfree is asked (a chargeback is booked as final).
     * Non-retryable {@link RefundFailures#NOT_REFUNDABLE} when the payment cannot take it: nothing written.
     */
    @ActivityMethod
    RefundReservation reserve(RefundRequest request);

    /**
     * Asks Cashfree to refund; if Cashfree already has this refund id, fetches it. Non-retryable
     * {@link RefundFailures#CASHFREE_REFUSED} when Cashfree refuses it (no refund exists there).
     */
    @ActivityMethod
    CashfreeRefundState askCashfree(RefundRequest request, String cashfreeOrderId);

    /**
     * What Cashfree says about this refund now (NOT_FOUND only when Cashfree answers it has none). Non-retryable
     * {@link RefundFailures#CASHFREE_REFUND_MISMATCH} when Cashfree's record of our refund id has another amount or order:
     * then no status of it is an answer about our refund.
     */
    @ActivityMethod
    CashfreeRefundState cashfreeStatus(RefundRequest request, String cashfreeOrderId);

    /**
     * A REFUND_STATUS webhook arrived: what Cashfree's own record of the refund says now, checked as {@link #cashfreeStatus}
     * checks it (the webhook is a trigger; its status is used only where the record's cannot be read). Since
     * {@code getVersion("refund-outcome-confirmed")}.
     */
    @ActivityMethod
    CashfreeRefundState confirmOutcome(RefundRequest request, String cashfreeOrderId, RefundStatusEvent event);

    /** Cashfree paid it: the reservation becomes a paid refund. */
    @ActivityMethod
    RefundOutcome settle(RefundRequest request, String cashfreeRefundId);

    /**
     * Finance's two-person resolution PAID of a mismatch: as {@link #settle}, with {@code decidedBy} (both approvers) recorded
     * as the outcome's decided_by, as {@link #cancel} records a RELEASED one's. Since {@code getVersion("refund-mismatch-round")}.
     */
    @ActivityMethod
    RefundOutcome settleResolved(RefundRequest request, String cashfreeRefundId, String decidedBy);

    /** Cashfree cancelled or failed it (or has none): the reservation is given back. {@code outcome}: FAILED or CANCELLED. */
    @ActivityMethod
    RefundOutcome cancel(RefundRequest request, String outcome, String detail, String decidedBy);
}
