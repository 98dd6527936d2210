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
 * @param minPlatformFeeBps   no longer a bound (the platform's bounds are {@link FeeBounds}, in one place);
 *                            kept, 0..10000 and ≤ max, so stored schedules and recorded payloads still read
 * @param maxPlatformFeeBps   likewise (the presets keep 500 and 2000)
 * @param gatewayFeeBearer    who pays the gateway fee and its GST; null = {@link FeeBearer#COMMUNITY}
 * @param platformFeeBearer   who pays the platform fee and its GST; null = {@link FeeBearer#COMMUNITY}
 *                            ({@link FeeBearer#PLATFORM} waives it)
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
        int minPlatformFeeBps, int maxPlatformFeeBps,
        FeeBearer gatewayFeeBearer, FeeBearer platformFeeBearer) {

    public FeeSchedule {
        gatewayFeeByMethod = Copies.map(gatewayFeeByMethod);
        platformFeeBySource = Copies.map(platformFeeBySource);
        if (gatewayFeeBearer == null) gatewayFeeBearer = FeeBearer.COMMUNITY;
        if (platformFeeBearer == null) platformFeeBearer = FeeBearer.COMMUNITY;
    }

    /** A schedule where the community bears every fee (the shape before bearers existed). */
    public FeeSchedule(String name, GstMethod gstMethod, int gstRateBps, Map<String, FeeRate> gatewayFeeByMethod,
                       GatewayFeeBase gatewayFeeBase, int gatewayGstRateBps, Map<String, PlatformFeeRule> platformFeeBySource,
                       PlatformFeeGst platformFeeGst, int platformGstRateBps, int tcsRateBps, int tdsRateBps, Rounding rounding,
                       int minPlatformFeeBps, int maxPlatformFeeBps) {
        this(name, gstMethod, gstRateBps, gatewayFeeByMethod, gatewayFeeBase, gatewayGstRateBps, platformFeeBySource,
                platformFeeGst, platformGstRateBps, tcsRateBps, tdsRateBps, rounding, minPlatformFeeBps, maxPlatformFeeBps,
                FeeBearer.COMMUNITY, FeeBearer.COMMUNITY);
    }

    /** This schedule with the given bearers (null = COMMUNITY). */
    public FeeSchedule withBearers(FeeBearer gateway, FeeBearer platform) {
        return new FeeSchedule(name, gstMethod, gstRateBps, gatewayFeeByMethod, gatewayFeeBase, gatewayGstRateBps,
                platformFeeBySource, platformFeeGst, platformGstRateBps, tcsRateBps, tdsRateBps, rounding,
                minPlatformFeeBps, maxPlatformFeeBps, gateway, platform);
    }

    /** True when the customer bears the gateway fee or the platform fee (the order amount includes a convenience fee). */
    public boolean customerBearsAFee() {
        return gatewayFeeBearer == FeeBearer.CUSTOMER || platformFeeBearer == FeeBearer.CUSTOMER;
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
