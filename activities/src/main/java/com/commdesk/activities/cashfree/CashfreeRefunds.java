package com.commdesk.activities.cashfree;

/** Refunds through Cashfree PG. Throws the same exceptions as {@link CashfreeGateway}. */
public interface CashfreeRefunds {
    /** What Cashfree says about a refund: {@code status} is Cashfree's refund_status (SUCCESS, PENDING, CANCELLED, FAILED, ONHOLD). */
    record CashfreeRefund(String refundId, String cfRefundId, String orderId, long amountPaise, String status) {}

    /**
     * Asks Cashfree to refund {@code amountPaise} of the order's payment to the customer. Idempotent:
     * the refund id is ours, so a retry after a lost answer finds the same refund instead of a second one.
     */
    CashfreeRefund createRefund(String orderId, String refundId, long amountPaise, String note);

    /**
     * What Cashfree has for this refund now (PENDING, SUCCESS, CANCELLED, FAILED, ONHOLD), or empty when
     * Cashfree answers that it has no such refund (404). Unavailable/other errors are thrown, never
     * read as "not found".
     */
    java.util.Optional<CashfreeRefund> refund(String orderId, String refundId);
}
