package com.commdesk.fees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The presets and the schedule validator: every bad field is named. */
class FeeSchedulesTest {

    @Test
    void presetsAreValidAndSayWhatTheBriefSays() {
        FeeSchedule seed = FeeSchedules.seedExamples();
        FeeSchedule rec = FeeSchedules.recommendedDefault();
        assertThatCode(() -> FeeSchedules.validate(seed)).doesNotThrowAnyException();
        assertThatCode(() -> FeeSchedules.validate(rec)).doesNotThrowAnyException();

        assertThat(seed.gstMethod()).isEqualTo(GstMethod.ON_GROSS);
        assertThat(seed.gstRateBps()).isEqualTo(1800);
        assertThat(seed.gatewayFeeByMethod().values()).allMatch(r -> r.equals(FeeRate.bps(200)));
        assertThat(seed.gatewayFeeBase()).isEqualTo(GatewayFeeBase.AFTER_GST);
        assertThat(seed.rounding()).isEqualTo(new Rounding(RoundingUnit.RUPEE, RoundingMode.FLOOR));
        assertThat(seed.tcsRateBps() + seed.tdsRateBps()).isZero();

        assertThat(rec.gstMethod()).isEqualTo(GstMethod.INCLUSIVE);
        assertThat(rec.gatewayFeeBase()).isEqualTo(GatewayFeeBase.GROSS);
        assertThat(rec.gatewayFeeByMethod()).containsExactly(Map.entry("UPI", FeeRate.bps(0)), Map.entry("CARD", FeeRate.bps(200)),
                Map.entry("NETBANKING", FeeRate.bps(190)), Map.entry("WALLET", FeeRate.bps(190)));
        assertThat(rec.rounding()).isEqualTo(Rounding.PAISE_HALF_UP);
        assertThat(rec.tcsRateBps()).isEqualTo(50);
        assertThat(rec.tdsRateBps()).isEqualTo(10);

        for (FeeSchedule s : List.of(seed, rec)) {
            assertThat(s.platformFeeBySource()).containsExactly(Map.entry("EVENT", PlatformFeeRule.flat(1000)),
                    Map.entry("SPONSOR", PlatformFeeRule.flat(1200)), Map.entry("PREMIUM", PlatformFeeRule.flat(1000)));
            assertThat(s.platformFeeGst()).isEqualTo(PlatformFeeGst.INCLUDED);
            assertThat(s.gatewayGstRateBps()).isEqualTo(1800);
            assertThat(s.platformGstRateBps()).isEqualTo(1800);
            assertThat(s.minPlatformFeeBps()).isEqualTo(500);
            assertThat(s.maxPlatformFeeBps()).isEqualTo(2000);
        }
    }

    @Test
    void schedulesAreImmutableCopies() {
        Map<String, FeeRate> card = new HashMap<>(Map.of("UPI", FeeRate.bps(0)));
        ScheduleBuilder b = ScheduleBuilder.plain();
        b.gateway = card;
        FeeSchedule s = b.build();
        card.put("CARD", FeeRate.bps(200));
        assertThat(s.gatewayFeeByMethod()).containsOnlyKeys("UPI");
        assertThatThrownBy(() -> s.gatewayFeeByMethod().put("X", FeeRate.bps(1))).isInstanceOf(UnsupportedOperationException.class);
    }

    static Stream<Arguments> badSchedules() {
        List<Arguments> cases = new ArrayList<>();
        add(cases, "schedule.name", b -> b.name = null);
        add(cases, "schedule.name", b -> b.name = "  ");
        add(cases, "schedule.gstMethod", b -> b.gstMethod = null);
        add(cases, "schedule.gstRateBps", b -> b.gstRateBps = 10_001);
        add(cases, "schedule.gstRateBps", b -> b.gstRateBps = -1);
        add(cases, "schedule.gatewayFeeByMethod", b -> b.gateway = null);
        add(cases, "schedule.gatewayFeeByMethod", b -> b.gateway = Map.of());
        add(cases, "schedule.gatewayFee.UPI.rateBps", b -> b.gateway("UPI", 10_001, 0));
        add(cases, "schedule.gatewayFee.UPI.rateBps", b -> b.gateway("UPI", -5, 0));
        add(cases, "schedule.gatewayFee.UPI.fixedPaise", b -> b.gateway("UPI", 0, -1));
        add(cases, "schedule.gatewayFee.UPI.fixedPaise", b -> b.gateway("UPI", 0, Limits.MAX_FIXED_PAISE + 1));
        add(cases, "schedule.gatewayFee.upi", b -> b.gateway("upi", 0, 0));
        add(cases, "schedule.gatewayFeeByMethod.<key>", b -> b.gateway("BAD KEY", 0, 0));
        add(cases, "schedule.gatewayFee.UPI", b -> b.gateway.put("UPI", null));
        add(cases, "schedule.gatewayFeeBase", b -> b.gatewayFeeBase = null);
        add(cases, "schedule.gatewayGstRateBps", b -> b.gatewayGstRateBps = 10_001);
        add(cases, "schedule.platformFeeBySource", b -> b.platform = Map.of());
        add(cases, "schedule.platformFee.EVENT", b -> b.platform.put("EVENT", null));
        add(cases, "schedule.platformFee.EVENT.rate", b -> b.platform("EVENT", new PlatformFeeRule(null, List.of(), null)));
        add(cases, "schedule.platformFee.EVENT.rate.rateBps", b -> b.platform("EVENT", PlatformFeeRule.flat(-1)));
        add(cases, "schedule.platformFee.EVENT.rate.rateBps", b -> b.platform("EVENT", PlatformFeeRule.flat(10_001)));
        add(cases, "schedule.platformFee.EVENT.rate.fixedPaise", b -> b.platform("EVENT", new PlatformFeeRule(new FeeRate(1000, -1), null, null)));
        add(cases, "schedule.minPlatformFeeBps", b -> { b.min = 1500; b.max = 1000; });
        add(cases, "schedule.maxPlatformFeeBps", b -> b.max = 10_001);
        add(cases, "schedule.minPlatformFeeBps", b -> b.min = -1);
        add(cases, "schedule.platformFee.EVENT.tiers[0].fromPaise", b -> b.tiers("EVENT", TierMode.SLAB, new FeeTier(5, 1000, 0)));
        add(cases, "schedule.platformFee.EVENT.tiers[1].fromPaise", b -> b.tiers("EVENT", TierMode.SLAB,
                new FeeTier(0, 1000, 0), new FeeTier(0, 900, 0)));
        add(cases, "schedule.platformFee.EVENT.tiers[2].fromPaise", b -> b.tiers("EVENT", TierMode.SLAB,
                new FeeTier(0, 1000, 0), new FeeTier(500, 900, 0), new FeeTier(400, 800, 0)));
        add(cases, "schedule.platformFee.EVENT.tiers[1].rateBps", b -> b.tiers("EVENT", TierMode.MARGINAL,
                new FeeTier(0, 1000, 0), new FeeTier(500, 10_001, 0)));
        add(cases, "schedule.platformFee.EVENT.tiers[1].fixedPaise", b -> b.tiers("EVENT", TierMode.MARGINAL,
                new FeeTier(0, 1000, 0), new FeeTier(500, 900, -3)));
        add(cases, "schedule.platformFee.EVENT.tiers[1]", b -> b.platform("EVENT", PlatformFeeRule.tiered(TierMode.SLAB,
                java.util.Arrays.asList(new FeeTier(0, 1000, 0), null))));
        add(cases, "schedule.platformFee.EVENT.tierMode", b -> b.platform("EVENT", PlatformFeeRule.tiered(null, List.of(new FeeTier(0, 1000, 0)))));
        add(cases, "schedule.platformFee.EVENT.rate", b -> b.platform("EVENT", new PlatformFeeRule(FeeRate.bps(1000),
                List.of(new FeeTier(0, 1000, 0)), TierMode.SLAB)));
        add(cases, "schedule.platformFee.EVENT.tiers", b -> {
            FeeTier[] many = new FeeTier[Limits.MAX_TIERS + 1];
            for (int i = 0; i < many.length; i++) many[i] = new FeeTier(i * 100L, 1000, 0);
            b.tiers("EVENT", TierMode.SLAB, many);
        });
        add(cases, "schedule.platformFeeGst", b -> b.platformFeeGst = null);
        add(cases, "schedule.platformGstRateBps", b -> b.platformGstRateBps = 20_000);
        add(cases, "schedule.tcsRateBps", b -> b.tcsRateBps = 10_001);
        add(cases, "schedule.tdsRateBps", b -> b.tdsRateBps = -1);
        add(cases, "schedule.rounding", b -> b.rounding = null);
        add(cases, "schedule.rounding.unit", b -> b.rounding = new Rounding(null, RoundingMode.FLOOR));
        add(cases, "schedule.rounding.mode", b -> b.rounding = new Rounding(RoundingUnit.PAISE, null));
        add(cases, "schedule.gatewayFeeByMethod", b -> {
            Map<String, FeeRate> big = new LinkedHashMap<>();
            for (int i = 0; i <= Limits.MAX_TABLE_ENTRIES; i++) big.put("M" + i, FeeRate.bps(0));
            b.gateway = big;
        });
        return cases.stream();
    }

    private static void add(List<Arguments> cases, String field, Consumer<ScheduleBuilder> change) {
        cases.add(Arguments.of(field, change));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badSchedules")
    void validatorNamesTheField(String field, Consumer<ScheduleBuilder> change) {
        ScheduleBuilder b = ScheduleBuilder.from(FeeSchedules.recommendedDefault());
        change.accept(b);
        FeeSchedule s = b.build();
        assertThatThrownBy(() -> FeeSchedules.validate(s)).isInstanceOfSatisfying(FeeValidationException.class,
                e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
        // calculate() validates the schedule too
        assertThatThrownBy(() -> FeeEngine.calculate(new PaymentFacts(1_000_000, "EVENT", "CARD", null, null), s))
                .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    /* The schedule's own min/max no longer bound its rates: the platform's FeeBounds, in one place, do. */
    @Test
    void theSchedulesOwnBoundsAreNoLongerPolicy() {
        ScheduleBuilder b = ScheduleBuilder.from(FeeSchedules.seedExamples());
        b.max = 1100; // SPONSOR is 1200
        FeeSchedules.validate(b.build());
        assertThat(new FeeBounds(500, 1100, 0).admits(b.build())).isFalse();
    }

    @Test
    void nullScheduleAndCustomPath() {
        assertThatThrownBy(() -> FeeSchedules.validate(null)).isInstanceOfSatisfying(FeeValidationException.class,
                e -> assertThat(e.field()).isEqualTo("schedule"));
        ScheduleBuilder b = ScheduleBuilder.plain();
        b.tcsRateBps = 20_000;
        assertThatThrownBy(() -> FeeSchedules.validate(b.build(), "rules[3].schedule"))
                .isInstanceOfSatisfying(FeeValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("rules[3].schedule.tcsRateBps");
                    assertThat(e.getMessage()).startsWith("rules[3].schedule.tcsRateBps: ");
                    assertThat(e.reason()).contains("0..10000");
                });
    }
}
