package com.commdesk.fees;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Slow, obviously-correct reference implementations written independently of the engine (BigInteger
 * fractions, java.math.RoundingMode), used by the property tests to cross-check every number.
 */
final class Reference {
    private Reference() {}

    /** Round num/den (non-negative) to the unit by the mode: BigDecimal's correctly rounded division. */
    static long round(BigInteger num, BigInteger den, Rounding r) {
        long step = r.unit() == RoundingUnit.RUPEE ? 100 : 1;
        java.math.RoundingMode m = switch (r.mode()) {
            case HALF_UP -> java.math.RoundingMode.HALF_UP;
            case HALF_EVEN -> java.math.RoundingMode.HALF_EVEN;
            case FLOOR -> java.math.RoundingMode.FLOOR;
            case CEILING -> java.math.RoundingMode.CEILING;
        };
        BigDecimal units = new BigDecimal(num).divide(new BigDecimal(den.multiply(BigInteger.valueOf(step))), 0, m);
        return units.longValueExact() * step;
    }

    static long round(long num, long den, Rounding r) {
        return round(BigInteger.valueOf(num), BigInteger.valueOf(den), r);
    }

    static BigInteger bi(long x) {
        return BigInteger.valueOf(x);
    }

    /**
     * The whole flow with BigIntegers, straight from docs/fees.md, on the ticket price
     * {@code f.ticketPriceOrAmount()}; the result's amount is the ticket price plus the convenience fee
     * (whatever {@code f.amountPaise()} says). Null when the deductions exceed the ticket price.
     */
    static FeeBreakdown calculate(PaymentFacts f, FeeSchedule s) {
        Rounding r = s.rounding();
        long amount = f.ticketPriceOrAmount();
        long gst = switch (s.gstMethod()) {
            case ON_GROSS -> round(bi(amount).multiply(bi(s.gstRateBps())), bi(10_000), r);
            case INCLUSIVE -> round(bi(amount).multiply(bi(s.gstRateBps())), bi(10_000 + s.gstRateBps()), r);
            case EXEMPT -> 0;
        };
        FeeRate card = null;
        for (var e : s.gatewayFeeByMethod().entrySet()) if (e.getKey().equalsIgnoreCase(f.paymentMethod())) card = e.getValue();
        long gwBase = s.gatewayFeeBase() == GatewayFeeBase.GROSS ? amount : amount - gst;
        long gw = round(bi(gwBase).multiply(bi(card.rateBps())).add(bi(card.fixedPaise()).multiply(bi(10_000))), bi(10_000), r);
        long gwGst = round(bi(gw).multiply(bi(s.gatewayGstRateBps())), bi(10_000), r);
        boolean communityPaysGateway = s.gatewayFeeBearer() == FeeBearer.COMMUNITY;
        long base = amount - gst - (communityPaysGateway ? gw + gwGst : 0);
        if (gst > amount || base < 0) return null;
        if (s.gatewayFeeBearer() == FeeBearer.PLATFORM && gw + gwGst > amount) return null;
        PlatformFeeRule rule = null;
        for (var e : s.platformFeeBySource().entrySet()) if (e.getKey().equalsIgnoreCase(f.sourceType())) rule = e.getValue();
        BigInteger exact;
        int rate;
        if (!rule.hasTiers()) {
            rate = rule.rate().rateBps();
            exact = bi(base).multiply(bi(rate)).add(bi(rule.rate().fixedPaise()).multiply(bi(10_000)));
        } else {
            List<FeeTier> t = rule.tiers();
            int band = 0;
            for (int i = 0; i < t.size(); i++) if (t.get(i).fromPaise() <= base) band = i;
            rate = t.get(band).rateBps();
            if (rule.tierMode() == TierMode.SLAB) {
                exact = bi(base).multiply(bi(rate));
            } else {
                exact = BigInteger.ZERO;
                for (int i = 0; i < t.size(); i++) {
                    long lo = t.get(i).fromPaise();
                    long hi = i + 1 < t.size() ? t.get(i + 1).fromPaise() : Long.MAX_VALUE;
                    long portion = Math.max(0, Math.min(base, hi) - lo);
                    exact = exact.add(bi(portion).multiply(bi(t.get(i).rateBps())));
                }
            }
            exact = exact.add(bi(t.get(band).fixedPaise()).multiply(bi(10_000)));
        }
        long pf = round(exact, bi(10_000), r);
        int pr = s.platformGstRateBps();
        long pfGst = s.platformFeeGst() == PlatformFeeGst.INCLUDED
                ? round(bi(pf).multiply(bi(pr)), bi(10_000 + pr), r)
                : round(bi(pf).multiply(bi(pr)), bi(10_000), r);
        long waived = 0;
        if (s.platformFeeBearer() == FeeBearer.PLATFORM) {
            waived = pf;
            pf = 0;
            pfGst = 0;
        }
        long taxable = amount - gst;
        long tcs = round(bi(taxable).multiply(bi(s.tcsRateBps())), bi(10_000), r);
        long tds = round(bi(taxable).multiply(bi(s.tdsRateBps())), bi(10_000), r);
        long pfCharges = pf + (s.platformFeeGst() == PlatformFeeGst.ON_TOP ? pfGst : 0);
        long communityPlatform = s.platformFeeBearer() == FeeBearer.COMMUNITY ? pfCharges : 0;
        if (base - communityPlatform < 0) return null;
        long net = base - communityPlatform - tcs - tds;
        if (net < 0) return null;
        long convenience = (s.gatewayFeeBearer() == FeeBearer.CUSTOMER ? gw + gwGst : 0)
                + (s.platformFeeBearer() == FeeBearer.CUSTOMER ? pfCharges : 0);
        if (amount + convenience > Limits.MAX_AMOUNT_PAISE) return null;
        return new FeeBreakdown(amount + convenience, gst, gw, gwGst, pf, pfGst, tcs, tds, net,
                GstHeads.of(gst, f.supplierState(), f.placeOfSupply()), GstHeads.of(gwGst, f.supplierState(), f.placeOfSupply()),
                GstHeads.of(pfGst, f.supplierState(), f.placeOfSupply()), s.platformFeeGst(), s.name(), rate,
                amount, convenience, s.gatewayFeeBearer(), s.platformFeeBearer(), waived);
    }

    /** Largest remainder by sorting (remainder desc, index asc) with BigIntegers. */
    static long[] largestRemainder(long amount, long[] weights) {
        BigInteger total = BigInteger.ZERO;
        for (long w : weights) total = total.add(bi(w));
        long[] out = new long[weights.length];
        BigInteger[] rem = new BigInteger[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] qr = bi(amount).multiply(bi(weights[i])).divideAndRemainder(total);
            out[i] = qr[0].longValueExact();
            rem[i] = qr[1];
            given += out[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) order.add(i);
        order.sort(Comparator.<Integer, BigInteger>comparing(i -> rem[i]).reversed().thenComparing(i -> i));
        for (int k = 0; k < amount - given; k++) out[order.get(k)]++;
        return out;
    }
}
