package com.commdesk.workflows.payment;

import java.util.List;

/** Failure types that no retry can fix: the workflow stops retrying them at once. */
public final class PaymentFailures {
    public static final String VERIFICATION_FAILED = "VerificationFailed";
    public static final String INVALID_PAYMENT = "InvalidPayment";
    public static final String UNKNOWN_COMMUNITY = "UnknownCommunity";
    public static final String LEDGER_CONFLICT = "LedgerConflict";
    /**
     * The order is still ACTIVE, not paid, when the verify step stops asking: not a refusal (the customer may still pay
     * on the same order); the workflow waits for the payment ({@code PaymentStage.AWAITING_PAYMENT}).
     */
    public static final String ORDER_UNPAID = "OrderUnpaid";
    /**
     * The order is PAID, but the community does not offer the payment's source type (its configuration changed after the
     * order was made): the customer's money is taken, so the payment is not refused (a FAILED payment books nothing and
     * its webhook cannot start it again) but parks for a person: RETRY once the community offers it again, or COMPENSATE
     * (nothing is booked; reconciliation finds the settled money, MISSING_ON_OUR_SIDE, for a refund). No retry changes a
     * configuration.
     */
    public static final String SOURCE_NOT_OFFERED = "SourceNotOffered";

    public static final List<String> NON_RETRYABLE = List.of(VERIFICATION_FAILED, INVALID_PAYMENT, UNKNOWN_COMMUNITY, LEDGER_CONFLICT,
            ORDER_UNPAID, SOURCE_NOT_OFFERED);

    private PaymentFailures() {}
}
