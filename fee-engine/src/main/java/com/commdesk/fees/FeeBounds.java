package com.commdesk.fees;

import java.util.Map;

/**
 * The platform's policy on platform fees (docs/rules.md, "Platform-wide fee bounds"): every platform
 * rate of every schedule — flat and each tier, whoever bears the fee — lies in
 * [{@code minPlatformFeeBps}, {@code maxPlatformFeeBps}] and every fixed part of a platform fee is at
 * most {@code maxPlatformFixedPaise}. Stored once, changed only by a platform admin; every rule save and
 * every quote is checked against them. A schedule's own min/max fields can only narrow them further.
 */
public record FeeBounds(int minPlatformFeeBps, int maxPlatformFeeBps, long maxPlatformFixedPaise) {

    /** The seed's "5–20 %", no fixed part: what the platform starts with. */
    public static final FeeBounds DEFAULT = new FeeBounds(500, 2000, 0);

    /** Checks the bounds themselves: rates 0..10000 with min ≤ max, fixed 0..10^12 (fields named as the components). */
    public FeeBounds validate() {
        Checks.bps(minPlatformFeeBps, "minPlatformFeeBps");
        Checks.bps(maxPlatformFeeBps, "maxPlatformFeeBps");
        if (minPlatformFeeBps > maxPlatformFeeBps) {
            throw new FeeValidationException("minPlatformFeeBps", "must not exceed maxPlatformFeeBps (" + minPlatformFeeBps + " > "
                    + maxPlatformFeeBps + ")");
        }
        Checks.range(maxPlatformFixedPaise, 0, Limits.MAX_FIXED_PAISE, "maxPlatformFixedPaise");
        return this;
    }

    /**
     * Throws {@link FeeValidationException} naming the first platform rate or fixed part of {@code s}
     * outside these bounds, e.g. {@code schedule.platformFee.EVENT.rate.rateBps} or
     * {@code schedule.platformFee.EVENT.tiers[1].fixedPaise} (with {@code path} = "schedule").
     */
    public void check(FeeSchedule s, String path) {
        Checks.notNull(s, path);
        Map<String, PlatformFeeRule> platform = Checks.notNull(s.platformFeeBySource(), path + ".platformFeeBySource");
        for (Map.Entry<String, PlatformFeeRule> e : platform.entrySet()) {
            String f = path + ".platformFee." + e.getKey();
            PlatformFeeRule rule = Checks.notNull(e.getValue(), f);
            if (!rule.hasTiers()) {
                FeeRate r = Checks.notNull(rule.rate(), f + ".rate");
                rate(r.rateBps(), f + ".rate.rateBps");
                fixed(r.fixedPaise(), f + ".rate.fixedPaise");
            } else {
                for (int i = 0; i < rule.tiers().size(); i++) {
                    FeeTier t = Checks.notNull(rule.tiers().get(i), f + ".tiers[" + i + "]");
                    rate(t.rateBps(), f + ".tiers[" + i + "].rateBps");
                    fixed(t.fixedPaise(), f + ".tiers[" + i + "].fixedPaise");
                }
            }
        }
    }

    /** True when {@link #check} passes. */
    public boolean admits(FeeSchedule s) {
        try {
            check(s, "schedule");
            return true;
        } catch (FeeValidationException e) {
            return false;
        }
    }

    private void rate(int bps, String field) {
        if (bps < minPlatformFeeBps || bps > maxPlatformFeeBps) {
            throw new FeeValidationException(field, "must be within the platform's fee bounds " + minPlatformFeeBps + ".."
                    + maxPlatformFeeBps + " bps, was " + bps);
        }
    }

    private void fixed(long paise, String field) {
        if (paise > maxPlatformFixedPaise) {
            throw new FeeValidationException(field, "must be at most the platform's bound of " + maxPlatformFixedPaise
                    + " paise for a fixed platform fee, was " + paise);
        }
    }
}
