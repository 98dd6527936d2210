package com.commdesk.fees;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The two preset schedules and the schedule validator. See docs/fees.md for why each number is what it is. */
public final class FeeSchedules {
    private FeeSchedules() {}

    public static final String SEED_EXAMPLES = "seed-examples";
    public static final String RECOMMENDED_DEFAULT = "recommended-default";

    /** The payment methods of the presets' rate cards. */
    public static final List<String> METHODS = List.of("UPI", "CARD", "NETBANKING", "WALLET");

    /**
     * The spec's worked examples, reproduced: GST 18 % of the amount paid (ON_GROSS), gateway 2 % on
     * the amount after GST for every method plus 18 % GST on it, platform fee EVENT 10 %, SPONSOR 12 %,
     * PREMIUM 10 % with its GST included, every step rounded down to whole rupees, no TCS/TDS,
     * admin bounds 5 %..20 %. Not tax-correct: use {@link #recommendedDefault()}.
     */
    public static FeeSchedule seedExamples() {
        Map<String, FeeRate> card = new LinkedHashMap<>();
        for (String m : METHODS) card.put(m, FeeRate.bps(200));
        return new FeeSchedule(SEED_EXAMPLES,
                GstMethod.ON_GROSS, 1800,
                card, GatewayFeeBase.AFTER_GST, 1800,
                platformRates(), PlatformFeeGst.INCLUDED, 1800,
                0, 0,
                Rounding.RUPEE_FLOOR,
                500, 2000);
    }

    /**
     * Tax-correct default: GST extracted from the GST-inclusive price (amount × 18/118), the gateway's
     * MDR on the gross amount with an illustrative rate card (UPI 0 %, CARD 2 %, NETBANKING 1.9 %,
     * WALLET 1.9 % — replace with the merchant's contracted Cashfree rates) plus 18 % GST, the same
     * platform rates with GST included, every step rounded half-up to the paisa, TCS 0.5 % (CGST s.52)
     * and TDS 0.1 % (Income-tax s.194-O) on the amount excluding GST.
     */
    public static FeeSchedule recommendedDefault() {
        Map<String, FeeRate> card = new LinkedHashMap<>();
        card.put("UPI", FeeRate.bps(0));
        card.put("CARD", FeeRate.bps(200));
        card.put("NETBANKING", FeeRate.bps(190));
        card.put("WALLET", FeeRate.bps(190));
        return new FeeSchedule(RECOMMENDED_DEFAULT,
                GstMethod.INCLUSIVE, 1800,
                card, GatewayFeeBase.GROSS, 1800,
                platformRates(), PlatformFeeGst.INCLUDED, 1800,
                50, 10,
                Rounding.PAISE_HALF_UP,
                500, 2000);
    }

    private static Map<String, PlatformFeeRule> platformRates() {
        Map<String, PlatformFeeRule> p = new LinkedHashMap<>();
        p.put("EVENT", PlatformFeeRule.flat(1000));
        p.put("SPONSOR", PlatformFeeRule.flat(1200));
        p.put("PREMIUM", PlatformFeeRule.flat(1000));
        return p;
    }

    /** Validates every field; throws {@link FeeValidationException} naming the first bad one ("schedule.…"). */
    public static void validate(FeeSchedule s) {
        validate(s, "schedule");
    }

    /** As {@link #validate(FeeSchedule)} with field paths under {@code path}. */
    public static void validate(FeeSchedule s, String path) {
        Checks.notNull(s, path);
        Checks.name(s.name(), Limits.MAX_NAME_LENGTH, path + ".name");
        Checks.notNull(s.gstMethod(), path + ".gstMethod");
        Checks.bps(s.gstRateBps(), path + ".gstRateBps");

        Map<String, FeeRate> card = Checks.notNull(s.gatewayFeeByMethod(), path + ".gatewayFeeByMethod");
        if (card.isEmpty()) throw new FeeValidationException(path + ".gatewayFeeByMethod", "must have at least one payment method");
        if (card.size() > Limits.MAX_TABLE_ENTRIES) {
            throw new FeeValidationException(path + ".gatewayFeeByMethod", "must have at most " + Limits.MAX_TABLE_ENTRIES + " entries");
        }
        CaseFold.Table.Builder<Boolean> seen = CaseFold.Table.builder();
        for (Map.Entry<String, FeeRate> e : card.entrySet()) {
            String key = Checks.key(e.getKey(), path + ".gatewayFeeByMethod.<key>");
            String f = path + ".gatewayFee." + key;
            if (seen.put(key, Boolean.TRUE) != null) throw new FeeValidationException(f, "duplicate payment method (keys are case-insensitive)");
            FeeRate r = Checks.notNull(e.getValue(), f);
            Checks.bps(r.rateBps(), f + ".rateBps");
            Checks.range(r.fixedPaise(), 0, Limits.MAX_FIXED_PAISE, f + ".fixedPaise");
        }
        Checks.notNull(s.gatewayFeeBase(), path + ".gatewayFeeBase");
        Checks.bps(s.gatewayGstRateBps(), path + ".gatewayGstRateBps");

        Checks.bps(s.minPlatformFeeBps(), path + ".minPlatformFeeBps");
        Checks.bps(s.maxPlatformFeeBps(), path + ".maxPlatformFeeBps");
        if (s.minPlatformFeeBps() > s.maxPlatformFeeBps()) {
            throw new FeeValidationException(path + ".minPlatformFeeBps",
                    "must not exceed maxPlatformFeeBps (" + s.minPlatformFeeBps() + " > " + s.maxPlatformFeeBps() + ")");
        }
        Map<String, PlatformFeeRule> platform = Checks.notNull(s.platformFeeBySource(), path + ".platformFeeBySource");
        if (platform.isEmpty()) throw new FeeValidationException(path + ".platformFeeBySource", "must have at least one revenue source");
        if (platform.size() > Limits.MAX_TABLE_ENTRIES) {
            throw new FeeValidationException(path + ".platformFeeBySource", "must have at most " + Limits.MAX_TABLE_ENTRIES + " entries");
        }
        CaseFold.Table.Builder<Boolean> seenSources = CaseFold.Table.builder();
        for (Map.Entry<String, PlatformFeeRule> e : platform.entrySet()) {
            String key = Checks.key(e.getKey(), path + ".platformFeeBySource.<key>");
            String f = path + ".platformFee." + key;
            if (seenSources.put(key, Boolean.TRUE) != null) throw new FeeValidationException(f, "duplicate revenue source (keys are case-insensitive)");
            validateRule(Checks.notNull(e.getValue(), f), f);
        }
        Checks.notNull(s.platformFeeGst(), path + ".platformFeeGst");
        Checks.bps(s.platformGstRateBps(), path + ".platformGstRateBps");
        Checks.bps(s.tcsRateBps(), path + ".tcsRateBps");
        Checks.bps(s.tdsRateBps(), path + ".tdsRateBps");
        Rounding rounding = Checks.notNull(s.rounding(), path + ".rounding");
        Checks.notNull(rounding.unit(), path + ".rounding.unit");
        Checks.notNull(rounding.mode(), path + ".rounding.mode");
    }

    /**
     * A platform rule's shape; every rate 0..10000 bps. The platform's policy on the rates is
     * {@link FeeBounds}, checked where rules are saved and quotes made; the schedule's own
     * min/maxPlatformFeeBps no longer constrain them (they are kept, validated as a pair, so that
     * stored schedules and recorded payloads still read).
     */
    private static void validateRule(PlatformFeeRule rule, String f) {
        if (!rule.hasTiers()) {
            FeeRate r = Checks.notNull(rule.rate(), f + ".rate");
            Checks.bps(r.rateBps(), f + ".rate.rateBps");
            Checks.range(r.fixedPaise(), 0, Limits.MAX_FIXED_PAISE, f + ".rate.fixedPaise");
            return;
        }
        if (rule.rate() != null) {
            throw new FeeValidationException(f + ".rate", "must be null when tiers are given (the tiers define the fee)");
        }
        Tiers.validate(rule.tiers(), rule.tierMode(), f, Checks::bps);
    }
}
