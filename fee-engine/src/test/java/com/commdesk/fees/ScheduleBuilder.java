package com.commdesk.fees;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: a mutable copy of a {@link FeeSchedule} to vary one field at a time. */
final class ScheduleBuilder {
    String name;
    GstMethod gstMethod;
    int gstRateBps;
    Map<String, FeeRate> gateway;
    GatewayFeeBase gatewayFeeBase;
    int gatewayGstRateBps;
    Map<String, PlatformFeeRule> platform;
    PlatformFeeGst platformFeeGst;
    int platformGstRateBps;
    int tcsRateBps;
    int tdsRateBps;
    Rounding rounding;
    int min;
    int max;
    FeeBearer gatewayBearer = FeeBearer.COMMUNITY;
    FeeBearer platformBearer = FeeBearer.COMMUNITY;

    static ScheduleBuilder from(FeeSchedule s) {
        ScheduleBuilder b = new ScheduleBuilder();
        b.name = s.name();
        b.gstMethod = s.gstMethod();
        b.gstRateBps = s.gstRateBps();
        b.gateway = s.gatewayFeeByMethod() == null ? null : new LinkedHashMap<>(s.gatewayFeeByMethod());
        b.gatewayFeeBase = s.gatewayFeeBase();
        b.gatewayGstRateBps = s.gatewayGstRateBps();
        b.platform = s.platformFeeBySource() == null ? null : new LinkedHashMap<>(s.platformFeeBySource());
        b.platformFeeGst = s.platformFeeGst();
        b.platformGstRateBps = s.platformGstRateBps();
        b.tcsRateBps = s.tcsRateBps();
        b.tdsRateBps = s.tdsRateBps();
        b.rounding = s.rounding();
        b.min = s.minPlatformFeeBps();
        b.max = s.maxPlatformFeeBps();
        b.gatewayBearer = s.gatewayFeeBearer();
        b.platformBearer = s.platformFeeBearer();
        return b;
    }

    /** A plain schedule where only what a test sets deducts anything: EXEMPT, UPI free, PAISE/HALF_UP. */
    static ScheduleBuilder plain() {
        ScheduleBuilder b = from(FeeSchedules.recommendedDefault());
        b.name = "plain";
        b.gstMethod = GstMethod.EXEMPT;
        b.tcsRateBps = 0;
        b.tdsRateBps = 0;
        return b;
    }

    ScheduleBuilder gst(GstMethod m, int bps) { gstMethod = m; gstRateBps = bps; return this; }
    ScheduleBuilder gateway(String method, int bps, long fixed) { gateway.put(method, new FeeRate(bps, fixed)); return this; }
    ScheduleBuilder gatewayBase(GatewayFeeBase b) { gatewayFeeBase = b; return this; }
    ScheduleBuilder platform(String source, PlatformFeeRule r) { platform.put(source, r); return this; }
    ScheduleBuilder platformGst(PlatformFeeGst g, int bps) { platformFeeGst = g; platformGstRateBps = bps; return this; }
    ScheduleBuilder withholding(int tcs, int tds) { tcsRateBps = tcs; tdsRateBps = tds; return this; }
    ScheduleBuilder rounding(RoundingUnit u, RoundingMode m) { rounding = new Rounding(u, m); return this; }
    ScheduleBuilder tiers(String source, TierMode mode, FeeTier... tiers) { platform.put(source, PlatformFeeRule.tiered(mode, List.of(tiers))); return this; }

    ScheduleBuilder bearers(FeeBearer gateway, FeeBearer platform) { gatewayBearer = gateway; platformBearer = platform; return this; }

    FeeSchedule build() {
        return new FeeSchedule(name, gstMethod, gstRateBps, gateway, gatewayFeeBase, gatewayGstRateBps, platform,
                platformFeeGst, platformGstRateBps, tcsRateBps, tdsRateBps, rounding, min, max, gatewayBearer, platformBearer);
    }
}
