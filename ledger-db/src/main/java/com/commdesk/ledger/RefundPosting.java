package com.commdesk.ledger;

import java.util.UUID;

/**
 * A refund (or chargeback) of part or all of a posted payment. Who bears what is policy:
 * Cashfree usually keeps its fee on a refund, so the refunded share of the gateway fee is borne by
 * the community (default) or by the platform; the platform fee is refunded proportionally (default)
 * or kept (then the community bears it).
 */
public record RefundPosting(String refundId, UUID transactionId, Kind kind, long amountPaise, String reason,
                            GatewayFee gatewayFee, PlatformFee platformFee) {
    public enum Kind { REFUND, CHARGEBACK }

    public enum GatewayFee { BORNE_BY_COMMUNITY, BORNE_BY_PLATFORM }

    public enum PlatformFee { REFUNDED, KEPT }

    public RefundPosting {
        if (refundId == null || !refundId.matches("[A-Za-z0-9_.:-]{1,64}")) throw new IllegalArgumentException("refundId must be 1-64 of A-Z a-z 0-9 _ . : -");
        if (transactionId == null || kind == null || gatewayFee == null || platformFee == null) throw new IllegalArgumentException("missing field");
        if (amountPaise <= 0) throw new IllegalArgumentException("amountPaise must be positive, got " + amountPaise);
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("reason is required");
    }

    /** Who bore what of one refund; {@code newlyPosted} is false when the refund id had been posted before. */
    public record Posted(String refundId, long journalId, long amountPaise, long fromPendingPaise, long fromAvailablePaise,
                         long toReceivablePaise, boolean newlyPosted) {}
}
