package com.commdesk.fees;

/**
 * The payment gateway's charge on one payment.
 *
 * @param basePaise    what the percentage applied to (amount, or amount − GST)
 * @param feePaise     round(base × rateBps / 10000 + fixedPaise)
 * @param gstPaise     round(feePaise × gatewayGstRateBps / 10000), on the rounded fee
 */
public record GatewayFees(String paymentMethod, long basePaise, int rateBps, long fixedPaise,
                          long feePaise, long gstPaise) {
    public long totalPaise() {
        return feePaise + gstPaise;
    }
}
