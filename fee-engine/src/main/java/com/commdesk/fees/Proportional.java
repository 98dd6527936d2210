package com.commdesk.fees;

import java.math.BigInteger;

/**
 * Splits an amount of paise in proportion to weights, exactly: floor each exact share, then hand
 * the leftover paise one at a time by largest remainder, ties to the earlier index (the split
 * engine's rule). Weights may be any size (paise amounts up to 10^12): products are computed in
 * BigInteger. The parts always sum to exactly the amount.
 */
public final class Proportional {
    private Proportional() {}

    /** {@code amount} (>= 0) over {@code weights} (each >= 0, not all 0 unless the amount is 0). */
    public static long[] split(long amount, long[] weights) {
        if (amount < 0) throw new FeeValidationException("amount", "must be >= 0, got " + amount);
        long[] out = new long[weights.length];
        if (amount == 0) return out;
        BigInteger total = BigInteger.ZERO;
        for (long w : weights) {
            if (w < 0) throw new FeeValidationException("weights", "must be >= 0, got " + w);
            total = total.add(BigInteger.valueOf(w));
        }
        if (total.signum() == 0) throw new FeeValidationException("weights", "cannot split " + amount + " paise over weights that are all 0");
        BigInteger a = BigInteger.valueOf(amount);
        BigInteger[] remainders = new BigInteger[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] qr = a.multiply(BigInteger.valueOf(weights[i])).divideAndRemainder(total);
            out[i] = qr[0].longValueExact();
            remainders[i] = qr[1];
            given = Math.addExact(given, out[i]);
        }
        for (long left = amount - given; left > 0; left--) {
            int best = -1;
            for (int i = 0; i < weights.length; i++) {
                if (remainders[i].signum() > 0 && (best < 0 || remainders[i].compareTo(remainders[best]) > 0)) best = i;
            }
            out[best]++;
            remainders[best] = BigInteger.ZERO;
        }
        return out;
    }

    /** Like {@link #split}, for an amount of either sign: the parts carry the amount's sign. */
    public static long[] splitSigned(long amount, long[] weights) {
        long[] parts = split(Math.absExact(amount), weights);
        if (amount < 0) for (int i = 0; i < parts.length; i++) parts[i] = -parts[i];
        return parts;
    }
}
