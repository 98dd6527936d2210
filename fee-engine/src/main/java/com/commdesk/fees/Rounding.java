package com.commdesk.fees;

/**
 * How every deduction is rounded: the exact rational result is rounded once, to a multiple of the
 * {@link RoundingUnit} (1 paisa or 100 paise), by the {@link RoundingMode}. All inputs are
 * non-negative, so FLOOR = towards zero and CEILING = away from zero.
 */
public record Rounding(RoundingUnit unit, RoundingMode mode) {

    public static final Rounding PAISE_HALF_UP = new Rounding(RoundingUnit.PAISE, RoundingMode.HALF_UP);
    public static final Rounding RUPEE_FLOOR = new Rounding(RoundingUnit.RUPEE, RoundingMode.FLOOR);

    /**
     * Rounds the exact quotient {@code numerator / denominator} (in paise) to this unit and mode.
     *
     * @param numerator   0 or more
     * @param denominator 1 or more
     * @return paise, a multiple of 100 when the unit is RUPEE
     */
    public long round(long numerator, long denominator) {
        if (numerator < 0) throw new FeeValidationException("numerator", "must be >= 0, was " + numerator);
        if (denominator <= 0) throw new FeeValidationException("denominator", "must be > 0, was " + denominator);
        long step = unit == RoundingUnit.RUPEE ? 100L : 1L;
        long den = Math.multiplyExact(denominator, step);
        long q = numerator / den;
        long r = numerator - q * den;
        if (r != 0) {
            switch (mode) {
                case FLOOR -> { }
                case CEILING -> q++;
                case HALF_UP -> { if (r >= den - r) q++; }
                case HALF_EVEN -> {
                    long other = den - r;
                    if (r > other || (r == other && (q & 1L) == 1L)) q++;
                }
            }
        }
        return Math.multiplyExact(q, step);
    }
}
