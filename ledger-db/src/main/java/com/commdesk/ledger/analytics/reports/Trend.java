package com.commdesk.ledger.analytics.reports;

import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A least-squares straight line through n monthly values (x = 0 … n−1), evaluated exactly: slope and
 * intercept are kept as one fraction of integers, so the projection is {@code (Σy·D + Nₛ·(n·x − Σx)) / (n·D)}
 * with {@code Nₛ = n·Σxy − Σx·Σy} and {@code D = n·Σx² − (Σx)²}, rounded half up to the paisa once, at the end,
 * and never below zero (income cannot be negative). One month of history projects itself (a flat line).
 */
public final class Trend {
    private final BigInteger n, sumX, sumY, numerator, denominator;

    private Trend(long[] values) {
        long count = values.length;
        BigInteger sx = BigInteger.ZERO, sy = BigInteger.ZERO, sxx = BigInteger.ZERO, sxy = BigInteger.ZERO;
        for (int x = 0; x < values.length; x++) {
            BigInteger bx = BigInteger.valueOf(x), by = BigInteger.valueOf(values[x]);
            sx = sx.add(bx);
            sy = sy.add(by);
            sxx = sxx.add(bx.multiply(bx));
            sxy = sxy.add(bx.multiply(by));
        }
        this.n = BigInteger.valueOf(count);
        this.sumX = sx;
        this.sumY = sy;
        this.numerator = n.multiply(sxy).subtract(sx.multiply(sy));
        this.denominator = n.multiply(sxx).subtract(sx.multiply(sx));
    }

    public static Trend through(long[] values) {
        if (values.length == 0) throw new IllegalArgumentException("a trend needs at least one value");
        return new Trend(values);
    }

    /** The line's value at {@code x} (x = n is the month after the last one), in paise. */
    public long at(long x) {
        if (denominator.signum() == 0) return Math.max(0, divideHalfUp(sumY, n)); // one point: flat
        BigInteger top = sumY.multiply(denominator).add(numerator.multiply(n.multiply(BigInteger.valueOf(x)).subtract(sumX)));
        return Math.max(0, divideHalfUp(top, n.multiply(denominator)));
    }

    /** Slope in paise per month, rounded half up (for display only). */
    public long slopePerMonth() {
        return denominator.signum() == 0 ? 0 : divideHalfUp(numerator, denominator);
    }

    private static long divideHalfUp(BigInteger a, BigInteger b) {
        return new java.math.BigDecimal(a).divide(new java.math.BigDecimal(b), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
