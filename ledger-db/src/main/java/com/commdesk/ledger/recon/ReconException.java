package com.commdesk.ledger.recon;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A difference between Cashfree's records and ours, with the drill-down to our transaction and the rule applied. */
public record ReconException(long exceptionId, String kind, String status, long firstRunId, String orderId, String cfPaymentId,
                             String cfSettlementId, String settlementUtr, UUID transactionId, String communityId,
                             Long paymentJournalId, String ruleId, Integer ruleVersion, String scheduleName,
                             Long ourAmountPaise, Long ourFeePaise, Long ourFeeGstPaise,
                             Long theirAmountPaise, Long theirFeePaise, Long theirFeeTaxPaise, Long theirSettlementPaise,
                             long differencePaise, OffsetDateTime detectedAt, String resolvedBy, OffsetDateTime resolvedAt,
                             String resolutionNote, Long adjustmentJournalId) {

    /** UNMATCHED_EVENT: a Cashfree event naming no order and no payment (an adjustment); finance explains it. */
    public enum Kind { MISSING_ON_OUR_SIDE, MISSING_ON_THEIRS, AMOUNT_MISMATCH, FEE_MISMATCH, UNMATCHED_EVENT }

    public enum Status { OPEN, ADJUSTED, EXPLAINED }

    /** The exception's identity for tests and reports: kind and what it is about. */
    public String subject() {
        return kind + ":" + (orderId != null ? orderId : cfPaymentId != null ? cfPaymentId : cfSettlementId);
    }
}
