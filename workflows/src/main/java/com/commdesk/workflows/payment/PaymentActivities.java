package com.commdesk.workflows.payment;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The I/O behind each step of a payment; implemented in the activities module. Every method is
 * idempotent: Temporal may run it again after a timeout, a crash or a lost completion. A failure
 * that retrying cannot fix is thrown as a non-retryable ApplicationFailure whose type is one of
 * {@link PaymentFailures}.
 */
@ActivityInterface
public interface PaymentActivities {
    /**
     * Fetches the order and its payments from Cashfree: PAID, same amount and currency, this community's order. An order
     * still ACTIVE is asked again with the step's backoff for a while, then answered {@link PaymentFailures#ORDER_UNPAID}.
     */
    @ActivityMethod
    VerifiedPayment verifyWithCashfree(PaymentRequest request);

    /**
     * The same checks for a payment that waits for its order to be paid ({@code AWAITING_PAYMENT}): one look; null while
     * the order is still ACTIVE (the workflow decides when to look again), a refusal as {@link #verifyWithCashfree}'s.
     */
    @ActivityMethod
    VerifiedPayment verifyLatePayment(PaymentRequest request);

    /**
     * Ends the wait of a payment whose order is unpaid (an operator's cancellation, or the wait's end): has Cashfree
     * terminate the order, then looks at it as {@link #verifyLatePayment} does. Paid meanwhile: the verified payment, to be
     * booked as any other. Can no longer be paid ({@code TERMINATED}, {@code EXPIRED}): null. Termination still pending
     * ({@code TERMINATION_REQUESTED}: a payment attempt in flight may still succeed): a retryable failure, asked again.
     * Idempotent: terminating a terminated order changes nothing.
     */
    @ActivityMethod
    VerifiedPayment terminateUnpaidOrder(PaymentRequest request);

    /** Velocity, blocklists, caps and double claims; idempotent per payment (since v1). */
    @ActivityMethod
    FraudVerdict screenForFraud(PaymentRequest request, VerifiedPayment verified);

    /** Records the payment's notable stage for operators (parked, under review, done); idempotent. */
    @ActivityMethod
    void recordStatus(String paymentId, String stage, String detail);

    /** Picks the fee schedule (rule engine) and computes GST, gateway, platform fee, withholding and net. */
    @ActivityMethod
    FeeCalculation calculateFees(PaymentRequest request, VerifiedPayment verified);

    /**
     * Splits the net across roles, then members: the rule's roles when {@code ruleRoles} is non-empty
     * (from {@link FeeCalculation#roles()}), else the community's.
     */
    @ActivityMethod
    Allocation allocateShares(String communityId, long netPaise, java.util.List<com.commdesk.fees.RoleSplit> ruleRoles);

    /** Posts one balanced journal with the revenue rows and pending wallet credits; keyed by paymentId. */
    @ActivityMethod
    LedgerPosting postToLedger(PaymentRequest request, VerifiedPayment verified, FeeCalculation fees, Allocation allocation);

    /** Compensation of postToLedger: a linked reversal journal, if the payment was posted; else nothing. */
    @ActivityMethod
    void reverseLedgerPosting(String paymentId, String reason);

    /** Holds each member credit for the community's hold period. */
    @ActivityMethod
    HoldsQueued queueSettlement(String transactionId);

    /** Hands member shares to the payout pipeline under the community's payout policy. */
    @ActivityMethod
    PayoutHandover handOverToPayouts(String transactionId);
}
