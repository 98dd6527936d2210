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
            rate = bandRate(rule.tiers(), base);
            exact = tiers(rule.tiers(), rule.tierMode(), base);
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

    /**
     * Role amounts of a split with FIXED and TIERED roles, straight from docs/fees.md §4 with
     * BigIntegers: every role's exact amount over 10^8 (served roles first, PERCENT roles sharing what
     * is left), floors, then the leftover paise by sorting remainders (largest first, earlier role on a
     * tie). Null when the served roles take more than the net.
     */
    static long[] roleAmounts(long net, List<RoleSplit> roles) {
        BigInteger one = bi(10_000);
        BigInteger[] exact = new BigInteger[roles.size()]; // over 10^8
        BigInteger taken = BigInteger.ZERO;                 // over 10^4
        for (int i = 0; i < roles.size(); i++) {
            RoleSplit r = roles.get(i);
            if (r.method() == ShareMethod.PERCENT) continue;
            BigInteger e;
            if (r.method() == ShareMethod.FIXED) {
                e = bi(r.fixedPaise()).multiply(one);
            } else {
                e = tiers(r.tiers(), r.tierMode(), net);
            }
            exact[i] = e.multiply(one);
            taken = taken.add(e);
        }
        BigInteger rest = bi(net).multiply(one).subtract(taken);
        if (rest.signum() < 0) return null;
        for (int i = 0; i < roles.size(); i++) {
            if (exact[i] == null) exact[i] = rest.multiply(bi(roles.get(i).shareBps()));
        }
        return distribute(net, exact, one.multiply(one));
    }

    /** Tiered amount on {@code base} × 10^4 (the band's fixed part included), straight from the definition. */
    static BigInteger tiers(List<FeeTier> t, TierMode mode, long base) {
        int band = band(t, base);
        BigInteger exact;
        if (mode == TierMode.SLAB) {
            exact = bi(base).multiply(bi(t.get(band).rateBps()));
        } else {
            exact = BigInteger.ZERO;
            for (int i = 0; i < t.size(); i++) {
                long lo = t.get(i).fromPaise();
                long hi = i + 1 < t.size() ? t.get(i + 1).fromPaise() : Long.MAX_VALUE;
                exact = exact.add(bi(Math.max(0, Math.min(base, hi) - lo)).multiply(bi(t.get(i).rateBps())));
            }
        }
        return exact.add(bi(t.get(band).fixedPaise()).multiply(bi(10_000)));
    }

    static int bandRate(List<FeeTier> t, long base) {
        return t.get(band(t, base)).rateBps();
    }

    /** The last tier starting at or below {@code base}. */
    static int band(List<FeeTier> t, long base) {
        int band = 0;
        for (int i = 0; i < t.size(); i++) if (t.get(i).fromPaise() <= base) band = i;
        return band;
    }

    /** exact[i] / den floored, the leftover of {@code amount} one each by sorting remainders (largest first, earlier index on a tie). */
    static long[] distribute(long amount, BigInteger[] exact, BigInteger den) {
        long[] out = new long[exact.length];
        BigInteger[] rem = new BigInteger[exact.length];
        long given = 0;
        for (int i = 0; i < out.length; i++) {
            BigInteger[] qr = exact[i].divideAndRemainder(den);
            out[i] = qr[0].longValueExact();
            rem[i] = qr[1];
            given += out[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < out.length; i++) order.add(i);
        order.sort(Comparator.<Integer, BigInteger>comparing(i -> rem[i]).reversed().thenComparing(i -> i));
        for (int k = 0; k < amount - given; k++) out[order.get(k)]++;
        return out;
    }

    /** Largest remainder by sorting (remainder desc, index asc) with BigIntegers. */
    static long[] largestRemainder(long amount, long[] weights) {
        BigInteger total = BigInteger.ZERO;
        for (long w : weights) total = total.add(bi(w));
        BigInteger[] exact = new BigInteger[weights.length];
        for (int i = 0; i < weights.length; i++) exact[i] = bi(amount).multiply(bi(weights[i]));
        return distribute(amount, exact, total);
    }
}
