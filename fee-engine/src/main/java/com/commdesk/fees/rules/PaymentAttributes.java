package com.commdesk.fees.rules;

import com.commdesk.fees.FeeValidationException;
import com.commdesk.fees.PaymentFacts;
import java.time.LocalDate;
import java.util.Map;

/**
 * What a rule's condition can look at. Condition fields: {@code sourceType}, {@code communityId},
 * {@code communityTier}, {@code paymentMethod}, {@code amountPaise}, {@code paymentDate} and
 * {@code metadata.<key>}. Strings are compared case-insensitively. Every string is at most 256
 * characters; metadata has at most 32 entries with keys of 1..64 characters (null → empty).
 */
public record PaymentAttributes(String sourceType, String communityId, String communityTier, String paymentMethod,
                                long amountPaise, LocalDate paymentDate, Map<String, String> metadata) {

    public PaymentAttributes {
        text(sourceType, "sourceType");
        text(communityId, "communityId");
        text(communityTier, "communityTier");
        text(paymentMethod, "paymentMethod");
        if (metadata == null || metadata.isEmpty()) {
            metadata = Map.of();
        } else {
            if (metadata.size() > RuleLimits.MAX_METADATA_ENTRIES) {
                throw new FeeValidationException("metadata", "must have at most " + RuleLimits.MAX_METADATA_ENTRIES + " entries");
            }
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                String k = e.getKey();
                if (k == null || k.isEmpty() || k.length() > RuleLimits.MAX_METADATA_KEY_LENGTH) {
                    throw new FeeValidationException("metadata", "keys must be 1.." + RuleLimits.MAX_METADATA_KEY_LENGTH + " characters");
                }
                if (e.getValue() == null) throw new FeeValidationException("metadata." + k, "must not be null");
                text(e.getValue(), "metadata." + k);
            }
            metadata = Map.copyOf(metadata);
        }
    }

    /** The attributes of a payment: the facts' amount, source and method plus the community and date. */
    public static PaymentAttributes of(PaymentFacts facts, String communityId, String communityTier,
                                       LocalDate paymentDate, Map<String, String> metadata) {
        return new PaymentAttributes(facts.sourceType(), communityId, communityTier, facts.paymentMethod(),
                facts.amountPaise(), paymentDate, metadata);
    }

    /** The metadata value for {@code key}, looked up case-insensitively; null when absent. */
    public String metadataValue(String key) {
        String v = metadata.get(key);
        if (v != null || metadata.isEmpty()) return v;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (com.commdesk.fees.CaseFold.equal(e.getKey(), key)) return e.getValue();
        }
        return null;
    }

    private static void text(String s, String field) {
        if (s != null && s.length() > RuleLimits.MAX_VALUE_LENGTH) {
            throw new FeeValidationException(field, "must be at most " + RuleLimits.MAX_VALUE_LENGTH + " characters");
        }
    }
}
