package com.commdesk.ledger;

import java.math.BigInteger;

/**
 * Splits an amount of paise in proportion to weights, exactly: floor each exact share, then hand
 * the leftover paise one at a time by largest remainder, ties to the earlier index (the fee
 * engine's rule). Unlike the engine's allocator it takes weights of any size (paise amounts up to
 * 10^12), computing the products in BigInteger.
 */
final class Proportional {
    private Proportional() {}

    static long[] split(long amount, long[] weights) {
        if (amount < 0) throw new IllegalArgumentException("amount must be >= 0, got " + amount);
        long[] out = new long[weights.length];
        if (amount == 0) return out;
        BigInteger total = BigInteger.ZERO;
        for (long w : weights) {
            if (w < 0) throw new IllegalArgumentException("weights must be >= 0");
            total = total.add(BigInteger.valueOf(w));
        }
        if (total.signum() == 0) throw new IllegalArgumentException("cannot split " + amount + " paise over weights that are all 0");
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
}
