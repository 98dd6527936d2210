package com.commdesk.fees;

/**
 * Where every paisa of one payment goes. Invariant:
 * {@code amount = gst + gatewayFee + gatewayFeeGst + platformFee + (platformFeeGst if ON_TOP) + tcs + tds + net}.
 * With INCLUDED, {@code platformFeeGstPaise} is the part of {@code platformFeePaise} that is GST.
 *
 * @param platformFeeRateBps the platform rate applied: the flat rate, or the rate of the tier the base fell in
 */
public record FeeBreakdown(long amountPaise, long gstPaise, long gatewayFeePaise, long gatewayFeeGstPaise,
                           long platformFeePaise, long platformFeeGstPaise, long tcsPaise, long tdsPaise,
                           long netPaise,
                           GstHeads gstHeads, GstHeads gatewayGstHeads, GstHeads platformGstHeads,
                           PlatformFeeGst platformFeeGst, String scheduleName, int platformFeeRateBps) {

    /** Everything taken out of the amount before the community's net: amount − net. */
    public long deductionsPaise() {
        return amountPaise - netPaise;
    }

    /** The platform's own revenue excluding GST: fee − GST when INCLUDED, the fee when ON_TOP. */
    public long platformRevenueExGstPaise() {
        return platformFeeGst == PlatformFeeGst.INCLUDED ? platformFeePaise - platformFeeGstPaise : platformFeePaise;
    }

    /** Gateway fee plus its GST (the spec's "Cashfree charges"). */
    public long gatewayChargesPaise() {
        return gatewayFeePaise + gatewayFeeGstPaise;
    }
}
