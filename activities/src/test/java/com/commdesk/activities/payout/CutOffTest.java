package com.commdesk.activities.payout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Cycle cut-offs: midnight IST (daily), Monday midnight IST (weekly), the next interval (instant), none (manual). */
class CutOffTest {
    static final Duration FIFTEEN = Duration.ofMinutes(15);

    @Test
    void dailyIsTheNextMidnightInIndia() {
        // 2026-11-21 13:00 UTC = 18:30 IST -> 2026-11-22 00:00 IST = 2026-11-21 18:30 UTC
        assertThat(Instant.ofEpochMilli(PayoutActivitiesImpl.nextCutOff("DAILY", Instant.parse("2026-11-21T13:00:00Z"), FIFTEEN)))
                .isEqualTo(Instant.parse("2026-11-21T18:30:00Z"));
        // exactly at a cut-off: the next one, a day later (a cycle never runs twice)
        assertThat(Instant.ofEpochMilli(PayoutActivitiesImpl.nextCutOff("DAILY", Instant.parse("2026-11-21T18:30:00Z"), FIFTEEN)))
                .isEqualTo(Instant.parse("2026-11-22T18:30:00Z"));
    }

    @Test
    void weeklyIsTheNextMondayMidnightInIndia() {
        // Saturday 2026-11-21 -> Monday 2026-11-23 00:00 IST = 2026-11-22 18:30 UTC
        assertThat(Instant.ofEpochMilli(PayoutActivitiesImpl.nextCutOff("WEEKLY", Instant.parse("2026-11-21T13:00:00Z"), FIFTEEN)))
                .isEqualTo(Instant.parse("2026-11-22T18:30:00Z"));
        // on Monday itself (IST): the Monday after
        assertThat(Instant.ofEpochMilli(PayoutActivitiesImpl.nextCutOff("WEEKLY", Instant.parse("2026-11-23T01:00:00Z"), FIFTEEN)))
                .isEqualTo(Instant.parse("2026-11-29T18:30:00Z"));
    }

    @Test
    void instantIsTheNextIntervalAndManualHasNone() {
        assertThat(Instant.ofEpochMilli(PayoutActivitiesImpl.nextCutOff("INSTANT", Instant.parse("2026-11-21T13:07:00Z"), FIFTEEN)))
                .isEqualTo(Instant.parse("2026-11-21T13:15:00Z"));
        assertThat(PayoutActivitiesImpl.nextCutOff("MANUAL", Instant.parse("2026-11-21T13:07:00Z"), FIFTEEN)).isZero();
    }

    @Test
    void settlementIdsNameCommunityCycleAndCutOff() {
        long cutOff = Instant.parse("2026-11-21T18:30:00Z").toEpochMilli();
        assertThat(PayoutActivitiesImpl.settlementId("demo-community", "DAILY", cutOff)).isEqualTo("stl_demo-community_daily_20261122T0000");
    }
}
