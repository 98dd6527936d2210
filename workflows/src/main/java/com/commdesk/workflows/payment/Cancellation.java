package com.commdesk.workflows.payment;

/**
 * An operator's cancellation of a payment that awaits its order's payment ({@code AWAITING_PAYMENT}): Cashfree is asked to
 * terminate the order, and the payment FAILS once the order can no longer be paid (or is booked, if it was paid meanwhile).
 *
 * @param operator the access token's subject of who cancelled
 * @param note     why, as the operator wrote it; may be null
 */
public record Cancellation(String operator, String note) {}
