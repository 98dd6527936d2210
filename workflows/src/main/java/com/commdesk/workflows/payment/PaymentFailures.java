package com.commdesk.workflows.payment;

import java.util.List;

/** Failure types that no retry can fix: the workflow stops retrying them at once. */
public final class PaymentFailures {
    public static final String VERIFICATION_FAILED = "VerificationFailed";
    public static final String INVALID_PAYMENT = "InvalidPayment";
    public static final String UNKNOWN_COMMUNITY = "UnknownCommunity";
    public static final String LEDGER_CONFLICT = "LedgerConflict";

    public static final List<String> NON_RETRYABLE = List.of(VERIFICATION_FAILED, INVALID_PAYMENT, UNKNOWN_COMMUNITY, LEDGER_CONFLICT);

    private PaymentFailures() {}
}
