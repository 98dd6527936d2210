package com.commdesk.fees;

/**
 * A validated {@link FeeSchedule} with its tables prepared for allocation-free, case-insensitive
 * lookup. Immutable and thread-safe; build once with {@link FeeEngine#compile(FeeSchedule)} and reuse.
 * Each operation is the arithmetic of one step of the flow (docs/fees.md, "Semantics").
 */
public final class CompiledFeeSchedule {
    private static final long ONE = Limits.BPS_ONE;

    private final FeeSchedule schedule;
    private final Rounding rounding;
    private final CaseFold.Table<FeeRate> gateway;
    private final CaseFold.Table<Tiers> platform;
    private final boolean customerBears;

    CompiledFeeSchedule(FeeSchedule schedule) {
        FeeSchedules.validate(schedule);
        this.schedule = schedule;
        this.rounding = schedule.rounding();
        CaseFold.Table.Builder<FeeRate> g = CaseFold.Table.builder();
        schedule.gatewayFeeByMethod().forEach(g::put);
        this.gateway = g.build();
        CaseFold.Table.Builder<Tiers> p = CaseFold.Table.builder();
        schedule.platformFeeBySource().forEach((k, v) -> p.put(k, compile(v)));
        this.platform = p.build();
        this.customerBears = schedule.customerBearsAFee();
    }

    /** A platform fee rule as tiers; a flat rule is a single tier from 0. */
    private static Tiers compile(PlatformFeeRule rule) {
        return rule.hasTiers() ? Tiers.of(rule.tiers(), rule.tierMode()) : Tiers.flat(rule.rate().rateBps(), rule.rate().fixedPaise());
    }

    public FeeSchedule schedule() {
        return schedule;
    }

    /** Step 1. GST on the amount (the ticket price): ON_GROSS amount × r / 10000; INCLUSIVE amount × r / (10000 + r); EXEMPT 0. */
    public long gst(long amountPaise) {
        amount(amountPaise, "amountPaise");
        int r = schedule.gstRateBps();
        return switch (schedule.gstMethod()) {
            case ON_GROSS -> rounding.round(Math.multiplyExact(amountPaise, r), ONE);
            case INCLUSIVE -> rounding.round(Math.multiplyExact(amountPaise, r), ONE + r);
            case EXEMPT -> 0L;
        };
    }

    /** Steps 2 and 3. The gateway fee for the method and its GST (on the rounded fee). */
    public GatewayFees gatewayFees(long amountPaise, long gstPaise, String paymentMethod) {
        amount(amountPaise, "amountPaise");
        Checks.range(gstPaise, 0, amountPaise, "gstPaise");
        FeeRate rate = gateway.get(paymentMethod);
        if (rate == null) {
            throw new FeeValidationException("paymentMethod", "'" + paymentMethod + "' is not on the rate card of schedule '"
                    + schedule.name() + "' " + gateway.keys());
        }
        long base = schedule.gatewayFeeBase() == GatewayFeeBase.GROSS ? amountPaise : amountPaise - gstPaise;
        long fee = rounding.round(Math.addExact(Math.multiplyExact(base, rate.rateBps()), Math.multiplyExact(rate.fixedPaise(), ONE)), ONE);
        long gst = rounding.round(Math.multiplyExact(fee, schedule.gatewayGstRateBps()), ONE);
        return new GatewayFees(paymentMethod, base, rate.rateBps(), rate.fixedPaise(), fee, gst);
    }

    /** Steps 4 and 5. The platform fee on {@code basePaise} (amount − GST − gateway fee − gateway GST) and its GST. */
    public PlatformFee platformFee(long basePaise, String sourceType) {
        Checks.range(basePaise, 0, Limits.MAX_AMOUNT_PAISE, "basePaise");
        Tiers p = platform.get(sourceType);
        if (p == null) {
            throw new FeeValidationException("sourceType", "'" + sourceType + "' has no platform fee in schedule '"
                    + schedule.name() + "' " + platform.keys());
        }
        int band = p.band(basePaise);
        long fee = rounding.round(p.exact(basePaise, band), ONE);
        int r = schedule.platformGstRateBps();
        long gst = schedule.platformFeeGst() == PlatformFeeGst.INCLUDED
                ? rounding.round(Math.multiplyExact(fee, r), ONE + r)
                : rounding.round(Math.multiplyExact(fee, r), ONE);
        return new PlatformFee(sourceType, basePaise, p.rate[band], fee, gst, schedule.platformFeeGst());
    }

    /** Step 6. TCS and TDS, each on {@code taxablePaise} = amount − GST. */
    public Withholding withholding(long taxablePaise) {
        Checks.range(taxablePaise, 0, Limits.MAX_AMOUNT_PAISE, "taxablePaise");
        return new Withholding(taxablePaise,
                rounding.round(Math.multiplyExact(taxablePaise, schedule.tcsRateBps()), ONE),
                rounding.round(Math.multiplyExact(taxablePaise, schedule.tdsRateBps()), ONE));
    }

    /**
     * The whole flow for one payment (docs/fees.md §1). The flow runs on the ticket price
     * ({@code facts.ticketPricePaise()}, or the amount when null); the amount paid must then be the
     * ticket price plus the convenience fee (the customer-borne charges), else it fails on "amountPaise".
     */
    public FeeBreakdown calculate(PaymentFacts facts) {
        Checks.notNull(facts, "facts");
        long amount = facts.amountPaise();
        amount(amount, "amountPaise");
        Checks.name(facts.sourceType(), Limits.MAX_KEY_LENGTH, "sourceType");
        Checks.name(facts.paymentMethod(), Limits.MAX_KEY_LENGTH, "paymentMethod");
        Checks.optional(facts.supplierState(), Limits.MAX_NAME_LENGTH, "supplierState");
        Checks.optional(facts.placeOfSupply(), Limits.MAX_NAME_LENGTH, "placeOfSupply");
        boolean intra = GstHeads.intraState(facts.supplierState(), facts.placeOfSupply());

        Long ticketPrice = facts.ticketPricePaise();
        if (!customerBears) {
            if (ticketPrice != null && ticketPrice != amount) {
                throw new FeeValidationException("ticketPricePaise", "must equal amountPaise (" + amount + "), was " + ticketPrice
                        + ": schedule '" + schedule.name() + "' makes the customer bear no fee, so there is no convenience fee");
            }
            return flow(amount, facts.sourceType(), facts.paymentMethod(), intra, "amountPaise");
        }
        if (ticketPrice == null) {
            throw new FeeValidationException("ticketPricePaise", "is required: schedule '" + schedule.name() + "' makes the customer bear "
                    + customerBorne() + ", so the amount paid is the ticket price plus a convenience fee");
        }
        amount(ticketPrice, "ticketPricePaise");
        FeeBreakdown b = flow(ticketPrice, facts.sourceType(), facts.paymentMethod(), intra, "ticketPricePaise");
        if (b.amountPaise() != amount) {
            throw new FeeValidationException("amountPaise", amount + " paise is not the order amount for a ticket price of " + ticketPrice
                    + " paise: with the convenience fee of " + b.convenienceFeePaise() + " paise the customer pays " + b.amountPaise());
        }
        return b;
    }

    /**
     * What the customer pays for a ticket: the ticket price plus the convenience fee (the charges the
     * schedule makes the customer bear). Equal to the ticket price when the customer bears no fee.
     */
    public long orderAmount(long ticketPricePaise, String sourceType, String paymentMethod) {
        amount(ticketPricePaise, "ticketPricePaise");
        Checks.name(sourceType, Limits.MAX_KEY_LENGTH, "sourceType");
        Checks.name(paymentMethod, Limits.MAX_KEY_LENGTH, "paymentMethod");
        return flow(ticketPricePaise, sourceType, paymentMethod, false, "ticketPricePaise").amountPaise();
    }

    /** The flow on ticket price {@code t}; the breakdown's amount is t + the convenience fee. */
    private FeeBreakdown flow(long t, String sourceType, String paymentMethod, boolean intra, String field) {
        FeeBearer gatewayBearer = schedule.gatewayFeeBearer();
        FeeBearer platformBearer = schedule.platformFeeBearer();
        long gst = gst(t);
        long left = exceeds(t - gst, t, "GST", field);
        GatewayFees g = gatewayFees(t, gst, paymentMethod);
        long gatewayCharges = g.totalPaise();
        if (gatewayBearer == FeeBearer.COMMUNITY) {
            left = exceeds(left - gatewayCharges, t, "GST and gateway charges", field);
        } else if (gatewayBearer == FeeBearer.PLATFORM) {
            // the gateway keeps its charges from what it settles: they can never exceed the payment
            exceeds(t - gatewayCharges, t, "the gateway charges", field);
        }
        PlatformFee p = platformFee(left, sourceType);
        long platformFee = p.feePaise();
        long platformGst = p.gstPaise();
        long waived = 0;
        if (platformBearer == FeeBearer.PLATFORM) { // waived: nothing charged, no consideration, no GST
            waived = platformFee;
            platformFee = 0;
            platformGst = 0;
        }
        long platformCharges = schedule.platformFeeGst() == PlatformFeeGst.ON_TOP ? platformFee + platformGst : platformFee;
        if (platformBearer == FeeBearer.COMMUNITY) {
            left = exceeds(left - platformCharges, t, "GST, gateway charges and the platform fee", field);
        }
        Withholding w = withholding(t - gst);
        long net = exceeds(left - w.tcsPaise() - w.tdsPaise(), t, "the deductions", field);
        long convenience = (gatewayBearer == FeeBearer.CUSTOMER ? gatewayCharges : 0)
                + (platformBearer == FeeBearer.CUSTOMER ? platformCharges : 0);
        long amount = t + convenience;
        if (amount > Limits.MAX_AMOUNT_PAISE) {
            throw new FeeValidationException(field, "a ticket price of " + t + " paise plus its convenience fee of " + convenience
                    + " paise exceeds the largest amount " + Limits.MAX_AMOUNT_PAISE);
        }
        return new FeeBreakdown(amount, gst, g.feePaise(), g.gstPaise(), platformFee, platformGst,
                w.tcsPaise(), w.tdsPaise(), net,
                heads(gst, intra), heads(g.gstPaise(), intra), heads(platformGst, intra),
                schedule.platformFeeGst(), schedule.name(), p.rateBps(),
                t, convenience, gatewayBearer, platformBearer, waived);
    }

    private String customerBorne() {
        boolean gw = schedule.gatewayFeeBearer() == FeeBearer.CUSTOMER;
        boolean pf = schedule.platformFeeBearer() == FeeBearer.CUSTOMER;
        return gw && pf ? "the gateway and platform fees" : gw ? "the gateway fee" : "the platform fee";
    }

    private static GstHeads heads(long tax, boolean intra) {
        if (tax == 0) return GstHeads.ZERO;
        if (intra) {
            long sgst = tax / 2;
            return new GstHeads(tax - sgst, sgst, 0);
        }
        return new GstHeads(0, 0, tax);
    }

    private static long exceeds(long left, long amount, String what, String field) {
        if (left < 0) {
            throw new FeeValidationException(field, amount + " paise does not cover " + what + " (short by " + (-left) + " paise)");
        }
        return left;
    }

    private static void amount(long paise, String field) {
        Checks.range(paise, 1, Limits.MAX_AMOUNT_PAISE, field);
    }
}
