package com.commdesk.workflows.refund;

import java.util.List;

/**
 * Where a refund's wait for Cashfree's outcome stood when its run continued as new: the order and Cashfree's refund,
 * the reservation, who decided last, the webhook ids already taken in, the next poll interval and how long this
 * 10-day window has waited; {@code runs} before this one; {@code mismatchHolds}: the mismatch holds so far (the next
 * hold is a new round, never a round an earlier run's votes were cast in; null in runs continued by a worker before it: counted as 1, so that
 * votes without a round, which count as round 1, never decide such a run's next hold).
 */
public record RefundResume(String cashfreeOrderId, String cashfreeRefundId, String cashfreeStatus, RefundOutcome outcome,
                           String error, String decidedBy, List<String> eventIds, long waitMillis, long waitedMillis, int runs,
                           Integer mismatchHolds) {
    public RefundResume(String cashfreeOrderId, String cashfreeRefundId, String cashfreeStatus, RefundOutcome outcome,
                        String error, String decidedBy, List<String> eventIds, long waitMillis, long waitedMillis, int runs) {
        this(cashfreeOrderId, cashfreeRefundId, cashfreeStatus, outcome, error, decidedBy, eventIds, waitMillis, waitedMillis, runs, null);
    }
}
