package com.commdesk.ledger.analytics.reports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The projection line, against values worked out by hand. */
class TrendTest {
    @Test
    void aStraightLineContinues() {
        Trend t = Trend.through(new long[] {100, 200, 300});
        assertThat(t.at(3)).isEqualTo(400);
        assertThat(t.at(4)).isEqualTo(500);
        assertThat(t.slopePerMonth()).isEqualTo(100);
    }

    @Test
    void noisyValuesFollowTheLeastSquaresLine() {
        // x = 0..3, y = 10, 30, 20, 40: Σx = 6, Σy = 100, Σx² = 14, Σxy = 0 + 30 + 40 + 120 = 190
        // slope = (4·190 − 6·100) / (4·14 − 36) = 160 / 20 = 8; intercept = (100 − 8·6) / 4 = 13
        // at x = 4: 13 + 32 = 45; at x = 5: 53
        Trend t = Trend.through(new long[] {10, 30, 20, 40});
        assertThat(t.at(4)).isEqualTo(45);
        assertThat(t.at(5)).isEqualTo(53);
    }

    @Test
    void roundsHalfUpOnceAndNeverGoesBelowZero() {
        // y = 0, 1: slope 1, intercept 0 → x = 2: 2. y = 1, 2, 2: slope 0.5, intercept 7/6 → x = 3: 2.6667 → 3
        assertThat(Trend.through(new long[] {1, 2, 2}).at(3)).isEqualTo(3);
        assertThat(Trend.through(new long[] {500, 300, 100}).at(5)).as("falling income stops at zero").isZero();
        assertThat(Trend.through(new long[] {777}).at(1)).as("one month projects itself").isEqualTo(777);
    }

    @Test
    void largeAmountsDoNotOverflow() {
        long big = 4_000_000_000_000_000L; // 4e15 rupees in paise: Σxy overflows a long, not a BigInteger
        assertThat(Trend.through(new long[] {big, big, big}).at(10)).isEqualTo(big);
    }
}
