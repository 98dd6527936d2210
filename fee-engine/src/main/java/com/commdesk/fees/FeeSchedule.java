package com.commdesk.fees;

import java.util.Map;

/**
 * Every admin-configurable number that turns a payment into deductions. Validate with
 * {@link FeeSchedules#validate(FeeSchedule)}; see docs/fees.md for the meaning of each field.
 *
 * @param gatewayFeeByMethod  rate card keyed by payment method ("UPI", "CARD", "NETBANKING", "WALLET", ...);
 *                            looked up case-insensitively
 * @param platformFeeBySource platform fee keyed by revenue source ("EVENT", "SPONSOR", "PREMIUM", custom);
 *                            looked up case-insensitively
 * @param minPlatformFeeBps   admin lower bound for every platform rate (the presets use 500)
 * @param maxPlatformFeeBps   admin upper bound for every platform rate (the presets use 2000)
 */
public record FeeSchedule(
        String name,
        GstMethod gstMethod, int gstRateBps,
        Map<String, FeeRate> gatewayFeeByMethod,
        GatewayFeeBase gatewayFeeBase, int gatewayGstRateBps,
        Map<String, PlatformFeeRule> platformFeeBySource,
        PlatformFeeGst platformFeeGst, int platformGstRateBps,
        int tcsRateBps, int tdsRateBps,
        Rounding rounding,
        int minPlatformFeeBps, int maxPlatformFeeBps) {

    public FeeSchedule {
        gatewayFeeByMethod = Copies.map(gatewayFeeByMethod);
        platformFeeBySource = Copies.map(platformFeeBySource);
    }

    /** Income-tax s.194-O: TDS on a payee without a PAN is 5 % (FACTS.md), whatever the schedule's usual rate. */
    public static final int TDS_WITHOUT_PAN_BPS = 500;

    /** This schedule for a payee without a PAN: TDS at {@link #TDS_WITHOUT_PAN_BPS} (never lower than the schedule's own). */
    public FeeSchedule withoutPan() {
        return new FeeSchedule(name, gstMethod, gstRateBps, gatewayFeeByMethod, gatewayFeeBase, gatewayGstRateBps, platformFeeBySource,
                platformFeeGst, platformGstRateBps, tcsRateBps, Math.max(tdsRateBps, TDS_WITHOUT_PAN_BPS), rounding, minPlatformFeeBps,
                maxPlatformFeeBps);
    }
}
