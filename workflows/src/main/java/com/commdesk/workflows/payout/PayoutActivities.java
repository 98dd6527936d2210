package com.commdesk.workflows.payout;

import com.commdesk.workflows.payout.PayoutTypes.TransferResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The I/O of one payout. Every method is idempotent (ledger journals keyed per payout, statuses
 * only move forward), and {@link #sendTransfer} never requests a second transfer.
 */
@ActivityInterface
public interface PayoutActivities {
    /** Non-retryable failure type when the member's available balance no longer covers the payout. */
    String INSUFFICIENT_FUNDS = "InsufficientFunds";

    /** available -> locked (PAYOUT_LOCK, keyed "payout-lock:&lt;id&gt;"). */
    @ActivityMethod
    void lockFunds(String payoutId);

    /** Records the payout's status for finance (payout row + audit event). */
    @ActivityMethod
    void recordPayoutStatus(String payoutId, String status, String actor, String detail);

    /** An approval has waited too long: log at WARN and count it (alerting watches the counter). */
    @ActivityMethod
    void escalate(String payoutId, long waitedMillis);

    /** The approver's decision, stored (the database refuses the requester as approver). */
    @ActivityMethod
    void recordDecision(String payoutId, boolean approved, String approver, String note);

    /**
     * The approver's decision, stored only if no flag was raised since the approver saw the payout
     * ({@code flagGeneration}, null: not known); a superseded approval is recorded as an event and the transfer keeps
     * waiting for a new approval (the send refuses it). Used since {@code getVersion("payout-decision-sees-flags")}.
     */
    @ActivityMethod
    void recordDecisionAsSeen(String payoutId, boolean approved, String approver, String note, Integer flagGeneration);

    /**
     * Registers the beneficiary if needed and requests THE transfer (transfer_id = payout id) —
     * at most once: a retry after a timeout, a 5xx or a lost completion asks Cashfree for the
     * transfer instead of sending again.
     */
    @ActivityMethod
    TransferResult sendTransfer(String payoutId);

    /**
     * Asks Cashfree for the transfer's status (safe to repeat). NOT_FOUND only for Cashfree's documented
     * not-found answer from the configured host, and only once the resend grace has passed since the
     * request; UNKNOWN for anything it cannot trust.
     */
    @ActivityMethod
    TransferResult transferStatus(String payoutId);

    /** The outcome has stayed unknown too long: NEEDS_ATTENTION for finance (money stays locked), logged and counted. */
    @ActivityMethod
    void markNeedsAttention(String payoutId, String why);

    /** locked -> paid out (PAYOUT_PAID); records the settlement delay. */
    @ActivityMethod
    void markPaid(String payoutId);

    /**
     * As {@link #markPaid}, because finance confirmed it paid ("confirm paid") and Cashfree has not said SUCCESS: recorded on
     * the payout, the only fact that lets a FAILED/REJECTED from Cashfree after the workflow ended return the money. Used
     * since {@code getVersion("payout-answers-rechecked")}.
     */
    @ActivityMethod
    void markPaidOnFinanceWord(String payoutId);

    /** Compensation: locked -> available (PAYOUT_FAILED) if locked, final status FAILED or REJECTED, with the reason. */
    @ActivityMethod
    void releaseFunds(String payoutId, String finalStatus, String reason);

    /** A paid transfer came back: PAYOUT_REVERSED + PAYOUT_FAILED, status REVERSED, with the reason. */
    @ActivityMethod
    void reversePaid(String payoutId, String reason);

    /**
     * Cashfree reported SUCCESS after the payout's money was returned (FAILED or REJECTED): posted by its own journals
     * (PAYOUT_LOCK again, then PAYOUT_PAID), status PAID. False, and recorded for finance (LATE_UNPOSTED), if the
     * member no longer has the money.
     */
    @ActivityMethod
    boolean latePaid(String payoutId, String detail);

    /**
     * As {@link #reversePaid}, and says what the ledger did: the money came back (REVERSED), or, Cashfree having said SUCCESS,
     * nothing moved and the payout is held for finance (HELD) or only recorded (UNCHANGED). Used since
     * {@code getVersion("payout-paid-contradiction-held")}.
     */
    @ActivityMethod
    PayoutTypes.PaidAnswerResult returnPaid(PayoutTypes.PaidAnswer answer);

    /**
     * Cashfree's FAILED/REJECTED after its own SUCCESS for a PAID payout (review M-2): nothing moves, the payout is
     * NEEDS_ATTENTION for finance (HELD), or, if the ledger's record does not show that contradiction, recorded for finance
     * (UNCHANGED). Used since {@code getVersion("payout-paid-contradiction-held")}.
     */
    @ActivityMethod
    PayoutTypes.PaidAnswerResult holdPaidForFinance(PayoutTypes.PaidAnswer answer);

    /** An answer about the transfer that cannot be acted on without a person: recorded for finance (LATE_UNPOSTED), logged. */
    @ActivityMethod
    void recordForFinance(String payoutId, String detail);
}
