package com.commdesk.fees;

import static com.commdesk.fees.SplitEngineTest.assertField;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The platform-wide bounds: the bounds themselves, and schedules checked against them, naming the field. */
class FeeBoundsTest {

    @Test
    void boundsAreValidatedThemselves() {
        assertThat(FeeBounds.DEFAULT.validate()).isEqualTo(new FeeBounds(500, 2000, 0));
        assertField(() -> new FeeBounds(-1, 2000, 0).validate(), "minPlatformFeeBps");
        assertField(() -> new FeeBounds(0, 10_001, 0).validate(), "maxPlatformFeeBps");
        assertField(() -> new FeeBounds(2001, 2000, 0).validate(), "minPlatformFeeBps");
        assertField(() -> new FeeBounds(0, 0, -1).validate(), "maxPlatformFixedPaise");
        assertField(() -> new FeeBounds(0, 0, Limits.MAX_FIXED_PAISE + 1).validate(), "maxPlatformFixedPaise");
    }

    @Test
    void everyPlatformRateAndFixedPartOfASchedule() {
        // the presets are 10 % / 12 % with no fixed part: inside the default bounds
        FeeBounds.DEFAULT.check(FeeSchedules.recommendedDefault(), "schedule");
        FeeBounds.DEFAULT.check(FeeSchedules.seedExamples(), "schedule");
        // SPONSOR 12 % is outside 5..11 %
        assertField(() -> new FeeBounds(500, 1100, 0).check(FeeSchedules.seedExamples(), "schedule"),
                "schedule.platformFee.SPONSOR.rate.rateBps");
        // a fixed part needs a bound that allows it
        FeeSchedule fixed = ScheduleBuilder.from(FeeSchedules.seedExamples()).platform("EVENT", new PlatformFeeRule(new FeeRate(1000, 500), List.of(), null)).build();
        assertField(() -> FeeBounds.DEFAULT.check(fixed, "schedule"), "schedule.platformFee.EVENT.rate.fixedPaise");
        new FeeBounds(500, 2000, 500).check(fixed, "schedule");
        // tiers: each band's rate and fixed part
        FeeSchedule tiered = ScheduleBuilder.from(FeeSchedules.seedExamples())
                .tiers("EVENT", TierMode.MARGINAL, new FeeTier(0, 1000, 0), new FeeTier(100_000, 400, 0)).build();
        assertField(() -> FeeBounds.DEFAULT.check(tiered, "rules[0].schedule"), "rules[0].schedule.platformFee.EVENT.tiers[1].rateBps");
        assertThat(new FeeBounds(400, 2000, 0).admits(tiered)).isTrue();
        // whoever bears the fee: a waived fee's rate is still the rule's rate
        assertThat(new FeeBounds(1100, 2000, 0).admits(FeeSchedules.seedExamples().withBearers(FeeBearer.COMMUNITY, FeeBearer.PLATFORM))).isFalse();
    }
}
