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
     */
    public record PayoutTimings(long escalateAfterMillis, long approvalTimeoutMillis, long pollIntervalMillis,
                                long maxPollIntervalMillis, long reversalWindowMillis) {}

    /** One payout: its id is the workflow id and Cashfree's transfer_id. */
    public record PayoutRequest(String payoutId, String settlementId, String communityId, String role, String userId,
                                long amountPaise, String requestedBy, boolean needsApproval, String flaggedReason,
                                PayoutTimings timings) {}

    /** A finance approver's decision; {@code approver} must not be the payout's requester (four eyes). */
    public record PayoutDecision(String approver, String note) {}

    /** A signature-checked payout webhook (or a poll result), deduplicated by {@code eventId}. */
    public record TransferUpdate(String eventId, String status, String statusCode, String description, String cfTransferId) {}

    /** Cashfree's answer about our transfer; status NOT_FOUND if Cashfree does not know it. */
    public record TransferResult(String status, String statusCode, String description, String cfTransferId) {
        public boolean success() { return "SUCCESS".equals(status); }

        /** Money did not reach the beneficiary and never will for this transfer. */
        public boolean failed() { return "FAILED".equals(status) || "REJECTED".equals(status) || "REVERSED".equals(status); }

        public boolean terminal() { return success() || failed(); }
    }

    public enum PayoutStage { LOCKING, AWAITING_APPROVAL, SENDING, AWAITING_RESULT, PAID, FAILED, REJECTED, REVERSED }

    public record PayoutStatus(String payoutId, PayoutStage stage, long amountPaise, boolean needsApproval, boolean escalated,
                               String decidedBy, String cashfreeStatus, String reason, int updatesSeen, int ignoredSignals) {}

    /** A settlement to run: its id names the community and the cycle's cut-off. */
    public record SettlementRequest(String settlementId, String communityId, String cycle, long cutOffMillis, String requestedBy) {}

    public record SettlementResult(String settlementId, String status, int payouts, List<String> payoutIds) {}

    /** The next cycle of a community: its policy and, unless MANUAL, when to cut it off. */
    public record CyclePlan(String communityId, String policy, long cutOffMillis, String settlementId) {}
}
