package com.commdesk.fees;

import java.util.List;

/**
 * Tiered amounts as parallel arrays, shared by the platform fee and tiered recipient splits
 * (docs/fees.md). Tier i covers [from[i], from[i+1]); the first starts at 0; "the band" of a base is
 * the last tier whose start is ≤ base. SLAB: base × rate(band); MARGINAL: Σ over bands of the portion
 * of the base inside the band × its rate; both + fixed(band) once. Results are exact numerators over
 * 10000 (no rounding here).
 */
final class Tiers {
    final long[] from;
    final int[] rate;
    final long[] fixed;
    final boolean marginal;

    Tiers(long[] from, int[] rate, long[] fixed, boolean marginal) {
        this.from = from;
        this.rate = rate;
        this.fixed = fixed;
        this.marginal = marginal;
    }

    /** A flat rate: one tier from 0. */
    static Tiers flat(int rateBps, long fixedPaise) {
        return new Tiers(new long[] {0}, new int[] {rateBps}, new long[] {fixedPaise}, false);
    }

    /** Validated tiers ({@link #validate}) as arrays. */
    static Tiers of(List<FeeTier> tiers, TierMode mode) {
        int n = tiers.size();
        long[] from = new long[n];
        int[] rate = new int[n];
        long[] fixed = new long[n];
        for (int i = 0; i < n; i++) {
            from[i] = tiers.get(i).fromPaise();
            rate[i] = tiers.get(i).rateBps();
            fixed[i] = tiers.get(i).fixedPaise();
        }
        return new Tiers(from, rate, fixed, mode == TierMode.MARGINAL);
    }

    /** The index of the band {@code base} falls in. */
    int band(long base) {
        int band = 0;
        while (band + 1 < from.length && from[band + 1] <= base) band++;
        return band;
    }

    /** The exact amount on {@code base} (0..10^12) × 10000, fixed part of the band included. At most 2·10^16. */
    long exact(long base, int band) {
        long exact;
        if (marginal) {
            exact = 0;
            for (int i = 0; i <= band; i++) {
                long hi = i + 1 < from.length ? Math.min(base, from[i + 1]) : base;
                exact = Math.addExact(exact, Math.multiplyExact(hi - from[i], rate[i]));
            }
        } else {
            exact = Math.multiplyExact(base, rate[band]);
        }
        return Math.addExact(exact, Math.multiplyExact(fixed[band], Limits.BPS_ONE));
    }

    /** Checks one rate of a tier, naming the field. */
    @FunctionalInterface
    interface RateCheck {
        void check(int rateBps, String field);
    }

    /**
     * Validates a tier list under {@code f}: mode given, 1..32 tiers, the first from 0 and each start
     * strictly greater than the one before (ordered, no gaps: a band ends where the next begins), starts
     * and fixed parts 0..10^12, every rate by {@code rates}.
     */
    static void validate(List<FeeTier> tiers, TierMode mode, String f, RateCheck rates) {
        Checks.notNull(mode, f + ".tierMode");
        if (tiers.isEmpty() || tiers.size() > Limits.MAX_TIERS) {
            throw new FeeValidationException(f + ".tiers", "must have 1.." + Limits.MAX_TIERS + " tiers, had " + tiers.size());
        }
        long previous = -1;
        for (int i = 0; i < tiers.size(); i++) {
            String tf = f + ".tiers[" + i + "]";
            FeeTier t = Checks.notNull(tiers.get(i), tf);
            if (i == 0 && t.fromPaise() != 0) throw new FeeValidationException(tf + ".fromPaise", "the first tier must start at 0, was " + t.fromPaise());
            if (i > 0 && t.fromPaise() <= previous) {
                throw new FeeValidationException(tf + ".fromPaise", "must be greater than the previous tier's (" + previous + "), was " + t.fromPaise());
            }
            Checks.range(t.fromPaise(), 0, Limits.MAX_AMOUNT_PAISE, tf + ".fromPaise");
            rates.check(t.rateBps(), tf + ".rateBps");
            Checks.range(t.fixedPaise(), 0, Limits.MAX_FIXED_PAISE, tf + ".fixedPaise");
            previous = t.fromPaise();
        }
    }
}
