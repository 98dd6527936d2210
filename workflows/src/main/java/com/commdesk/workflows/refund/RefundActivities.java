package com.commdesk.workflows.refund;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The I/O of a refund; every method is idempotent by refund id. */
@ActivityInterface
public interface RefundActivities {
    /** The payment must be posted and not reversed, and the amount within what is still refundable. */
    @ActivityMethod
    RefundTarget check(RefundRequest request);

    /** Asks Cashfree to refund the customer (refund_id = our refund id); returns Cashfree's refund id. */
    @ActivityMethod
    String refundAtCashfree(RefundRequest request, String cashfreeOrderId);

    /** Posts the proportional REFUND journal (members, taxes, fees, receivables). */
    @ActivityMethod
    RefundOutcome post(RefundRequest request, String transactionId);
}
