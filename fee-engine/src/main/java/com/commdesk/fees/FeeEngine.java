package com.commdesk.fees;

/**
 * The spec's "financial calculation engine" (calculateGST, calculateGatewayFees,
 * calculatePlatformFee, calculateNetRevenue) as pure static functions on long paise and int basis
 * points. Each function validates the schedule; to calculate many payments with one schedule,
 * {@link #compile(FeeSchedule)} it once and call the {@link CompiledFeeSchedule}.
 */
public final class FeeEngine {
    private FeeEngine() {}

    /** Validates the schedule and prepares it for repeated use. */
    public static CompiledFeeSchedule compile(FeeSchedule schedule) {
        return new CompiledFeeSchedule(schedule);
    }

    /** The whole flow: GST, gateway fee and its GST, platform fee and its GST, TCS, TDS, net, GST heads. */
    public static FeeBreakdown calculate(PaymentFacts facts, FeeSchedule schedule) {
        return compile(schedule).calculate(facts);
    }

    /** GST on the amount paid, by the schedule's GST method. */
    public static long calculateGst(long amountPaise, FeeSchedule schedule) {
        return compile(schedule).gst(amountPaise);
    }

    /** Gateway fee and its GST for the payment method, given the GST already computed. */
    public static GatewayFees calculateGatewayFees(long amountPaise, long gstPaise, String paymentMethod, FeeSchedule schedule) {
        return compile(schedule).gatewayFees(amountPaise, gstPaise, paymentMethod);
    }

    /** Platform fee and its GST on {@code basePaise} = amount − GST − gateway fee − gateway GST. */
    public static PlatformFee calculatePlatformFee(long basePaise, String sourceType, FeeSchedule schedule) {
        return compile(schedule).platformFee(basePaise, sourceType);
    }

    /** TCS and TDS on {@code taxablePaise} = amount − GST. */
    public static Withholding calculateWithholding(long taxablePaise, FeeSchedule schedule) {
        return compile(schedule).withholding(taxablePaise);
    }

    /**
     * The community's net revenue: amount − GST − gateway fee − gateway GST − platform fee
     * − (platform GST if ON_TOP) − TCS − TDS. Throws on "amountPaise" if that would be negative.
     */
    public static long calculateNetRevenue(long amountPaise, long gstPaise, GatewayFees gateway,
                                           PlatformFee platform, Withholding withholding) {
        Checks.range(amountPaise, 1, Limits.MAX_AMOUNT_PAISE, "amountPaise");
        Checks.range(gstPaise, 0, amountPaise, "gstPaise");
        Checks.notNull(gateway, "gateway");
        Checks.notNull(platform, "platform");
        Checks.notNull(withholding, "withholding");
        Checks.notNull(platform.gstTreatment(), "platform.gstTreatment");
        long[] parts = {gateway.feePaise(), gateway.gstPaise(), platform.feePaise(), platform.gstPaise(),
                withholding.tcsPaise(), withholding.tdsPaise()};
        String[] names = {"gateway.feePaise", "gateway.gstPaise", "platform.feePaise", "platform.gstPaise",
                "withholding.tcsPaise", "withholding.tdsPaise"};
        for (int i = 0; i < parts.length; i++) Checks.range(parts[i], 0, Limits.MAX_AMOUNT_PAISE * 4, names[i]);
        long net = amountPaise - gstPaise - gateway.totalPaise() - platform.deductedPaise() - withholding.totalPaise();
        if (net < 0) {
            throw new FeeValidationException("amountPaise", amountPaise + " paise does not cover the deductions (short by " + (-net) + " paise)");
        }
        return net;
    }

    /** Net revenue of one payment: {@code calculate(facts, schedule).netPaise()}. */
    public static long calculateNetRevenue(PaymentFacts facts, FeeSchedule schedule) {
        return calculate(facts, schedule).netPaise();
    }

    /** Splits a GST amount into CGST + SGST (intra-state) or IGST; see {@link GstHeads#of}. */
    public static GstHeads gstHeads(long taxPaise, String supplierState, String placeOfSupply) {
        return GstHeads.of(taxPaise, supplierState, placeOfSupply);
    }
}
