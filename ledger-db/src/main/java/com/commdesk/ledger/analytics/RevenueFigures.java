package com.commdesk.ledger.analytics;

import java.util.List;
import java.util.stream.Collectors;
import org.jooq.Record;

/**
 * The money figures of a set of payments and refunds, in paise, as the rollup sums them
 * ({@code analytics_revenue_delta}, docs/analytics.md). Payments are net of reversals: a reversed
 * payment counts in {@code reversals} and its amounts are taken back out on the reversal's day.
 * Refund parts cover refunds and chargebacks together.
 */
public record RevenueFigures(long payments, long reversals, long grossPaise, long gstPaise, long gstCgstPaise,
                             long gstSgstPaise, long gstIgstPaise, long gatewayFeePaise, long gatewayGstPaise,
                             long platformFeePaise, long platformGstPaise, long platformIncomePaise, long tcsPaise,
                             long tdsPaise, long netPaise, long refunds, long refundPaise, long chargebacks,
                             long chargebackPaise, long refundGstPaise, long refundGatewayPaise, long refundPlatformPaise,
                             long refundTcsPaise, long refundTdsPaise, long refundNetPaise, long refundMembersPaise) {

    /** The rollup's columns in the order of the record's components. */
    static final List<String> COLUMNS = List.of("payments", "reversals", "gross_paise", "gst_paise", "gst_cgst_paise",
            "gst_sgst_paise", "gst_igst_paise", "gateway_fee_paise", "gateway_gst_paise", "platform_fee_paise",
            "platform_gst_paise", "platform_income_paise", "tcs_paise", "tds_paise", "net_paise", "refunds", "refund_paise",
            "chargebacks", "chargeback_paise", "refund_gst_paise", "refund_gateway_paise", "refund_platform_paise",
            "refund_tcs_paise", "refund_tds_paise", "refund_net_paise", "refund_members_paise");

    /** {@code coalesce(sum(c), 0)::bigint} for every column, comma-separated (sum over bigint is numeric). */
    static final String SUMS = COLUMNS.stream().map(c -> "coalesce(sum(" + c + "), 0)::bigint")
            .collect(Collectors.joining(", "));

    public static final RevenueFigures ZERO = new RevenueFigures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Reads the {@link #SUMS} columns starting at {@code first}. */
    static RevenueFigures read(Record r, int first) {
        long[] v = new long[COLUMNS.size()];
        for (int i = 0; i < v.length; i++) {
            Object o = r.get(first + i);
            v[i] = o == null ? 0 : ((Number) o).longValue();
        }
        return new RevenueFigures(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
                v[14], v[15], v[16], v[17], v[18], v[19], v[20], v[21], v[22], v[23], v[24], v[25]);
    }

    /** Refunds and chargebacks together. */
    public long refundedPaise() {
        return Math.addExact(refundPaise, chargebackPaise);
    }

    /** What the community keeps: its net less what its members gave back for refunds and chargebacks. */
    public long netAfterRefundsPaise() {
        return Math.subtractExact(netPaise, refundMembersPaise);
    }

    /** Everything taken out of the gross before the community's net (the waterfall's deductions). */
    public long deductionsPaise() {
        return Math.subtractExact(grossPaise, netPaise);
    }
}
