package com.commdesk.ledger.payout;

import java.time.OffsetDateTime;

/** A payout: one member's share of a settlement, its approval, its transfer and Cashfree's answer. */
public record Payout(String payoutId, String settlementId, String communityId, String role, String userId,
                     String beneficiaryId, long amountPaise, String requestedBy, String status, boolean needsApproval,
                     String flaggedReason, String decidedBy, OffsetDateTime transferRequestedAt, String cfTransferId,
                     String cashfreeStatus, String reason, OffsetDateTime createdAt, OffsetDateTime paidAt, int flagGeneration,
                     String bankUtr) {}
