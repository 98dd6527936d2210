package com.commdesk.ledger;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.MemberAllocation;
import com.commdesk.fees.RoleAllocation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Everything the ledger records for one verified payment. */
public record PaymentPosting(
        String idempotencyKey,
        String communityId,
        String sourceType,
        String sourceId,
        String cashfreeOrderId,
        String cashfreePaymentId,
        String paymentMethod,
        FeeBreakdown breakdown,
        List<RoleAllocation> shares,
        String ruleId,
        Integer ruleVersion,
        Map<String, String> metadata) {

    public PaymentPosting {
        require(idempotencyKey, "idempotencyKey", 200);
        require(communityId, "communityId", 64);
        require(sourceType, "sourceType", 32);
        require(sourceId, "sourceId", 200);
        require(cashfreeOrderId, "cashfreeOrderId", 200);
        require(paymentMethod, "paymentMethod", 32);
        if (breakdown == null) throw new IllegalArgumentException("breakdown is required");
        shares = List.copyOf(shares);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (metadata.size() > 50) throw new IllegalArgumentException("metadata has more than 50 entries");
    }

    /** The same key always maps to the same transaction id, so a retried posting is recognised. */
    public UUID transactionId() {
        return UUID.nameUUIDFromBytes(("revenue-transaction:" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * SHA-256 of the content that matters for money, in a fixed order. The same idempotency key
     * with a different digest is a conflict, never a second posting.
     */
    public String contentSha256() {
        StringBuilder s = new StringBuilder(512);
        s.append(communityId).append('|').append(sourceType).append('|').append(sourceId).append('|')
                .append(cashfreeOrderId).append('|').append(cashfreePaymentId).append('|').append(paymentMethod)
                .append('|').append(ruleId).append('|').append(ruleVersion);
        FeeBreakdown b = breakdown;
        for (long v : new long[] {b.amountPaise(), b.gstPaise(), b.gatewayFeePaise(), b.gatewayFeeGstPaise(),
                b.platformFeePaise(), b.platformFeeGstPaise(), b.tcsPaise(), b.tdsPaise(), b.netPaise()}) {
            s.append('|').append(v);
        }
        s.append('|').append(b.platformFeeGst());
        for (RoleAllocation r : shares) {
            s.append("|r:").append(r.role()).append(':').append(r.shareBps()).append(':').append(r.amountPaise());
            for (MemberAllocation m : r.members()) s.append("|m:").append(m.userId()).append(':').append(m.amountPaise());
        }
        new TreeMap<>(metadata).forEach((k, v) -> s.append("|k:").append(k).append('=').append(v));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void require(String value, String field, int maxLength) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(field + " is required");
        if (value.length() > maxLength) throw new IllegalArgumentException(field + " is longer than " + maxLength);
    }
}
