package com.commdesk.fees;

import java.util.List;

/**
 * The platform fee for one revenue source. Either flat ({@code tiers} null or empty: {@code rate}
 * applies, {@code tierMode} is ignored) or tiered ({@code tiers} non-empty: {@code rate} must be
 * null and {@code tierMode} is required).
 */
public record PlatformFeeRule(FeeRate rate, List<FeeTier> tiers, TierMode tierMode) {
    public PlatformFeeRule {
        tiers = Copies.list(tiers);
    }

    public static PlatformFeeRule flat(int rateBps) {
        return new PlatformFeeRule(FeeRate.bps(rateBps), List.of(), null);
    }

    public static PlatformFeeRule tiered(TierMode mode, List<FeeTier> tiers) {
        return new PlatformFeeRule(null, tiers, mode);
    }

    /** True when {@code tiers} is non-empty. */
    public boolean hasTiers() {
        return tiers != null && !tiers.isEmpty();
    }
}
