package com.commdesk.fees;

/**
 * Where every paisa of one payment goes. Invariant (docs/fees.md §1):
 * <pre>
 * amount = ticketPrice + convenienceFee
 * ticketPrice = gst + tcs + tds + net + (the community-borne charges)
 * convenienceFee = (the customer-borne charges)
 * </pre>
 * where the charges of a fee are the gateway fee + its GST, or the platform fee (+ its GST when ON_TOP).
 * Charges borne by the platform are in neither: the gateway keeps them from what it settles and
 * CommDesk pays them; a platform fee borne by the platform is waived ({@code platformFeePaise} and
 * {@code platformFeeGstPaise} are 0 and {@code platformFeeWaivedPaise} says what it would have been).
 * With INCLUDED, {@code platformFeeGstPaise} is the part of {@code platformFeePaise} that is GST.
 *
 * @param amountPaise            what the customer paid: the ticket price plus the convenience fee
 * @param platformFeeRateBps     the platform rate applied: the flat rate, or the rate of the tier the base fell in
 * @param ticketPricePaise       the price of what was sold (GST-inclusive under INCLUSIVE GST); = amount when
 *                               the customer bears no fee
 * @param convenienceFeePaise    the customer-borne charges added on top of the ticket price (0 when none)
 * @param platformFeeWaivedPaise the platform fee the rule would have charged when the platform bears (waives) it, else 0
 */
public record FeeBreakdown(long amountPaise, long gstPaise, long gatewayFeePaise, long gatewayFeeGstPaise,
                           long platformFeePaise, long platformFeeGstPaise, long tcsPaise, long tdsPaise,
                           long netPaise,
                           GstHeads gstHeads, GstHeads gatewayGstHeads, GstHeads platformGstHeads,
                           PlatformFeeGst platformFeeGst, String scheduleName, int platformFeeRateBps,
                           long ticketPricePaise, long convenienceFeePaise,
                           FeeBearer gatewayFeeBearer, FeeBearer platformFeeBearer, long platformFeeWaivedPaise) {

    /**
     * Null bearers are COMMUNITY, and a breakdown without a ticket price (recorded before bearers
     * existed: no convenience fee) has the amount as its ticket price.
     */
    public FeeBreakdown {
        if (gatewayFeeBearer == null) gatewayFeeBearer = FeeBearer.COMMUNITY;
        if (platformFeeBearer == null) platformFeeBearer = FeeBearer.COMMUNITY;
        if (ticketPricePaise == 0 && convenienceFeePaise == 0) ticketPricePaise = amountPaise;
    }

    /** A breakdown where the community bore every fee (the shape before bearers existed). */
    public FeeBreakdown(long amountPaise, long gstPaise, long gatewayFeePaise, long gatewayFeeGstPaise,
                        long platformFeePaise, long platformFeeGstPaise, long tcsPaise, long tdsPaise, long netPaise,
                        GstHeads gstHeads, GstHeads gatewayGstHeads, GstHeads platformGstHeads,
                        PlatformFeeGst platformFeeGst, String scheduleName, int platformFeeRateBps) {
        this(amountPaise, gstPaise, gatewayFeePaise, gatewayFeeGstPaise, platformFeePaise, platformFeeGstPaise, tcsPaise,
                tdsPaise, netPaise, gstHeads, gatewayGstHeads, platformGstHeads, platformFeeGst, scheduleName,
                platformFeeRateBps, amountPaise, 0, FeeBearer.COMMUNITY, FeeBearer.COMMUNITY, 0);
    }

    /** Everything taken out of the amount before the community's net: amount − net (includes the convenience fee). */
    public long deductionsPaise() {
        return amountPaise - netPaise;
    }

    /** The platform's own revenue excluding GST: fee − GST when INCLUDED, the fee when ON_TOP. */
    public long platformRevenueExGstPaise() {
        return platformFeeGst == PlatformFeeGst.INCLUDED ? platformFeePaise - platformFeeGstPaise : platformFeePaise;
    }

    /** Gateway fee plus its GST (the spec's "Cashfree charges"), whoever bears them. */
    public long gatewayChargesPaise() {
        return gatewayFeePaise + gatewayFeeGstPaise;
    }

    /** What the platform fee costs its bearer: the fee, plus its GST when ON_TOP (0 when waived). */
    public long platformChargesPaise() {
        return platformFeeGst == PlatformFeeGst.ON_TOP ? platformFeePaise + platformFeeGstPaise : platformFeePaise;
    }

    /** The gateway and platform charges {@code bearer} pays on this payment. */
    public long chargesBorneBy(FeeBearer bearer) {
        long total = 0;
        if (gatewayFeeBearer == bearer) total += gatewayChargesPaise();
        if (platformFeeBearer == bearer) total += platformChargesPaise();
        return total;
    }
}
