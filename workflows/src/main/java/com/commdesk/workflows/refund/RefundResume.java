package com.commdesk.workflows.refund;

import java.util.List;

/**
 * Where a refund's wait for Cashfree's outcome stood when its run continued as new: the order and Cashfree's refund,
 * the reservation, who decided last, the webhook ids already taken in, the next poll interval and how long this
 * 10-day window has waited; {@code runs} before this one.
 */
public record RefundResume(String cashfreeOrderId, String cashfreeRefundId, String cashfreeStatus, RefundOutcome outcome,
                           String error, String decidedBy, List<String> eventIds, long waitMillis, long waitedMillis, int runs) {}
