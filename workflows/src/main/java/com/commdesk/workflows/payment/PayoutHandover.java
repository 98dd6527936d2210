package com.commdesk.workflows.payment;

/** How many payout instructions the payout pipeline now holds for this payment, and under which policy. */
public record PayoutHandover(int instructions, String payoutPolicy) {}
