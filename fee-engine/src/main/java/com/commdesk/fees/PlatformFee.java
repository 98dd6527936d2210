package com.commdesk.fees;

/**
 * The platform's fee on one payment.
 *
 * @param basePaise amount − GST − gateway fee − gateway GST
 * @param rateBps   the flat rate, or the rate of the tier the base fell in
 * @param feePaise  the rounded fee
 * @param gstPaise  INCLUDED: round(fee × r / (10000 + r)), part of the fee; ON_TOP: round(fee × r / 10000), on top
 */
public record PlatformFee(String sourceType, long basePaise, int rateBps, long feePaise, long gstPaise,
                          PlatformFeeGst gstTreatment) {
    /** What the community loses to the platform: the fee, plus its GST when ON_TOP. */
    public long deductedPaise() {
        return gstTreatment == PlatformFeeGst.ON_TOP ? feePaise + gstPaise : feePaise;
    }
}
