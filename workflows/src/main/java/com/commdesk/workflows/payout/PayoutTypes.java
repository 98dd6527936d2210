package com.commdesk.workflows.payout;

import java.util.List;

/** Payloads of the settlement and payout workflows (Jackson-serialized by Temporal; money in paise, times in millis). */
public final class PayoutTypes {
    private PayoutTypes() {}

    /**
     * How long a payout waits, decided when its settlement opens (so a running workflow never
     * changes behaviour when configuration does).
     *
     * @param escalateAfterMillis   an undecided approval is escalated (log + metric) after this
     * @param approvalTimeoutMillis and rejected automatically after this (measured from the start of the wait)
     * @param pollIntervalMillis    first wait for the webhook before asking Cashfree; doubles up to {@code maxPollIntervalMillis}
     * @param reversalWindowMillis  after SUCCESS, how long a REVERSED webhook is still acted on
     * @param attentionAfterMillis  how long a transfer's outcome may stay unknown before the payout is
     *                              NEEDS_ATTENTION for finance (0, as in payloads from before it existed: {@link #DEFAULT_ATTENTION_AFTER_MILLIS})
     */
    public record PayoutTimings(long escalateAfterMillis, long approvalTimeoutMillis, long pollIntervalMillis,
                                long maxPollIntervalMillis, long reversalWindowMillis, long attentionAfterMillis) {
        public static final long DEFAULT_ATTENTION_AFTER_MILLIS = 24L * 60 * 60 * 1000;

        public PayoutTimings(long escalateAfterMillis, long approvalTimeoutMillis, long pollIntervalMillis, long maxPollIntervalMillis,
                             long reversalWindowMillis) {
            this(escalateAfterMillis, approvalTimeoutMillis, pollIntervalMillis, maxPollIntervalMillis, reversalWindowMillis, 0);
        }

        public long attentionAfter() {
            return attentionAfterMillis > 0 ? attentionAfterMillis : DEFAULT_ATTENTION_AFTER_MILLIS;
        }
    }

    /**
     * One payout: its id is the workflow id and Cashfree's transfer_id. {@code resume} is null when a
     * settlement starts it, and carries the state across a continue-as-new of its polling loop.
     */
    public record PayoutRequest(String payoutId, String settlementId, String communityId, String role, String userId,
                                long amountPaise, String requestedBy, boolean needsApproval, String flaggedReason,
                                PayoutTimings timings, PayoutResume resume) {
        public PayoutRequest(String payoutId, String settlementId, String communityId, String role, String userId, long amountPaise,
                             String requestedBy, boolean needsApproval, String flaggedReason, PayoutTimings timings) {
            this(payoutId, settlementId, communityId, role, userId, amountPaise, requestedBy, needsApproval, flaggedReason, timings, null);
        }

        PayoutRequest resumed(PayoutResume state) {
            return new PayoutRequest(payoutId, settlementId, communityId, role, userId, amountPaise, requestedBy, needsApproval,
                    flaggedReason, timings, state);
        }
    }

    /** Where a payout's wait for Cashfree's answer stood when its run continued as new. */
    public record PayoutResume(String cashfreeStatus, String decidedBy, boolean escalated, long unknownSinceMillis, long waitMillis,
                               boolean attention, List<String> eventIds, int ignoredSignals, int runs, boolean restoredBeforeSignals) {
        /**
         * {@code restoredBeforeSignals}: set only by a run continuing as new under {@code payout-resume-restored-before-signals}
         * (absent, so false, in a resume written by older code): the next run restores this state before its first signal
         * handlers run. A run continued by older code keeps that code's handler semantics, so its history replays.
         */
        public PayoutResume(String cashfreeStatus, String decidedBy, boolean escalated, long unknownSinceMillis, long waitMillis,
                            boolean attention, List<String> eventIds, int ignoredSignals, int runs) {
            this(cashfreeStatus, decidedBy, escalated, unknownSinceMillis, waitMillis, attention, eventIds, ignoredSignals, runs, false);
        }
    }

    /**
     * Finance's resolution of a NEEDS_ATTENTION payout: PAID (Cashfree or the bank shows it paid), or
     * FAILED (it was not, and will not be), which returns money and so names two different people.
     */
    public record PayoutResolution(String outcome, String requestedBy, String confirmedBy, String note) {}

    /**
     * A finance approver's decision; {@code approver} must not be the payout's requester (four eyes).
     * {@code flagGeneration}: the payout's flag generation the approver saw when deciding (the API reads it before it
     * signals); an approval given before a later flag then no longer counts. Null: not known (decisions signalled
     * before it was carried), recorded as before.
     */
    public record PayoutDecision(String approver, String note, Integer flagGeneration) {
        public PayoutDecision(String approver, String note) {
            this(approver, note, null);
        }
    }

    /** A signature-checked payout webhook (or a poll result), deduplicated by {@code eventId}. */
    public record TransferUpdate(String eventId, String status, String statusCode, String description, String cfTransferId) {}

    /**
     * Cashfree's answer about our transfer. Besides Cashfree's statuses: NOT_FOUND (Cashfree's documented
     * "does not exist", long enough after the request to be believed), UNKNOWN (no answer we can trust),
     * APPROVAL_REQUIRED (nothing sent: flagged since, needs an approval) and NOT_SENT (nothing was ever
     * requested and nothing will be: e.g. Cashfree refused the beneficiary).
     */
    public record TransferResult(String status, String statusCode, String description, String cfTransferId) {
        public static final String NOT_FOUND = "NOT_FOUND";
        public static final String UNKNOWN = "UNKNOWN";
        public static final String APPROVAL_REQUIRED = "APPROVAL_REQUIRED";
        public static final String NOT_SENT = "NOT_SENT";

        public boolean success() { return "SUCCESS".equals(status); }

        /** Money did not reach the beneficiary and never will for this transfer. */
        public boolean failed() { return "FAILED".equals(status) || "REJECTED".equals(status) || "REVERSED".equals(status); }

        public boolean terminal() { return success() || failed(); }
    }

    /**
     * A PAID payout the workflow asks the ledger to act on, on Cashfree's answer within the reversal window (return its money,
     * or hold it for finance); {@code reason} says why. Used since {@code getVersion("payout-paid-contradiction-held")}.
     */
    public record PaidAnswer(String payoutId, String reason) {}

    /**
     * What the ledger did with a {@link PaidAnswer}: {@code REVERSED} (the money came back), {@code HELD} (nothing moved; the
     * payout is NEEDS_ATTENTION for finance, its money paid out) or {@code UNCHANGED} (nothing moved; recorded for finance);
     * {@code detail} is the payout's reason as the ledger left it.
     */
    public record PaidAnswerResult(String action, String detail) {
        public static final String REVERSED = "REVERSED";
        public static final String HELD = "HELD";
        public static final String UNCHANGED = "UNCHANGED";

        public boolean reversed() { return REVERSED.equals(action); }

        public boolean held() { return HELD.equals(action); }
    }

    public enum PayoutStage { LOCKING, AWAITING_APPROVAL, SENDING, AWAITING_RESULT, NEEDS_ATTENTION, PAID, FAILED, REJECTED, REVERSED }

    public record PayoutStatus(String payoutId, PayoutStage stage, long amountPaise, boolean needsApproval, boolean escalated,
                               String decidedBy, String cashfreeStatus, String reason, int updatesSeen, int ignoredSignals) {}

    /**
     * A settlement to run: its id names the community and the cycle's cut-off. {@code follow} is null when a
     * cycle or finance starts it, and carries the follow-up's state across a continue-as-new.
     */
    public record SettlementRequest(String settlementId, String communityId, String cycle, long cutOffMillis, String requestedBy,
                                    SettlementFollow follow) {
        public SettlementRequest(String settlementId, String communityId, String cycle, long cutOffMillis, String requestedBy) {
            this(settlementId, communityId, cycle, cutOffMillis, requestedBy, null);
        }

        SettlementRequest following(SettlementFollow state) {
            return new SettlementRequest(settlementId, communityId, cycle, cutOffMillis, requestedBy, state);
        }
    }

    /**
     * Where a settlement's follow-up stood when its run continued as new: what its result reports (how many payouts, the
     * listed ids, the last status) and how long it has followed them (of at most 14 days); {@code runs} before this one.
     */
    public record SettlementFollow(int payouts, List<String> payoutIds, String status, long followedMillis, int runs) {}

    /**
     * A settlement's outcome. {@code payoutIds} lists at most {@link #MAX_IDS} of its payouts (all of them in
     * results from before paging); {@code payouts} counts them all.
     */
    public record SettlementResult(String settlementId, String status, int payouts, List<String> payoutIds) {
        public static final int MAX_IDS = 1000;
    }

    /** One page of a settlement's payouts whose workflows were started; {@code lastPayoutId} is where the next page begins. */
    public record PayoutPage(List<String> payoutIds, String lastPayoutId) {}

    /** The next cycle of a community: its policy and, unless MANUAL, when to cut it off. */
    public record CyclePlan(String communityId, String policy, long cutOffMillis, String settlementId) {}
}
