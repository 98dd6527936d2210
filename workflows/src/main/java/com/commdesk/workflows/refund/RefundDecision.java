package com.commdesk.workflows.refund;

/**
 * An operator's decision on a refund that waits for attention: RETRY (ask Cashfree again) or COMPENSATE
 * (give the reserved money back, which happens only if Cashfree says the refund does not exist, was
 * cancelled or failed; a refund Cashfree paid or still holds is never compensated).
 */
public record RefundDecision(Action action, String operator, String note) {
    public enum Action { RETRY, COMPENSATE }
}
