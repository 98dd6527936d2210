package com.commdesk.workflows.refund;

import java.util.Set;

/**
 * What Cashfree says about a refund: {@code status} is its refund_status (PENDING, SUCCESS, CANCELLED,
 * FAILED, ONHOLD), UNKNOWN for a value we cannot read, or NOT_FOUND when Cashfree answers it has no such
 * refund. Only SUCCESS, CANCELLED and FAILED end a refund.
 */
public record CashfreeRefundState(String cfRefundId, String status) {
    public static final Set<String> OUTCOMES = Set.of("SUCCESS", "CANCELLED", "FAILED");
    public static final String NOT_FOUND = "NOT_FOUND";
}
