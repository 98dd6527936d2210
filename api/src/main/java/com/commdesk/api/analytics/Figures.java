package com.commdesk.api.analytics;

import com.commdesk.ledger.analytics.PayoutAnalytics;
import com.commdesk.ledger.analytics.PlatformAccounts;
import com.commdesk.ledger.analytics.RevenueFigures;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dashboard figures as JSON: each one an amount in paise with the link to the register or report
 * whose lines it sums, so a number on a page can always be traced to the ledger's rows.
 */
public final class Figures {
    private Figures() {}

    /** An amount in paise and where it comes from. */
    public record Figure(long paise, String href) {}

    /** Links to the raw rows behind a community's (or, with a null community, the platform's) figures. */
    public record Sources(String transactions, String refunds, String payouts) {}

    public static Map<String, Figure> revenue(RevenueFigures f, Sources s) {
        Map<String, Figure> out = new LinkedHashMap<>();
        out.put("gross", new Figure(f.grossPaise(), s.transactions()));
        out.put("gst", new Figure(f.gstPaise(), s.transactions()));
        out.put("gstCgst", new Figure(f.gstCgstPaise(), s.transactions()));
        out.put("gstSgst", new Figure(f.gstSgstPaise(), s.transactions()));
        out.put("gstIgst", new Figure(f.gstIgstPaise(), s.transactions()));
        out.put("cashfreeFee", new Figure(f.gatewayFeePaise(), s.transactions()));
        out.put("cashfreeFeeGst", new Figure(f.gatewayGstPaise(), s.transactions()));
        out.put("platformFee", new Figure(f.platformFeePaise(), s.transactions()));
        out.put("platformFeeGst", new Figure(f.platformGstPaise(), s.transactions()));
        out.put("tcs", new Figure(f.tcsPaise(), s.transactions()));
        out.put("tds", new Figure(f.tdsPaise(), s.transactions()));
        out.put("net", new Figure(f.netPaise(), s.transactions()));
        out.put("refunds", new Figure(f.refundPaise(), s.refunds()));
        out.put("chargebacks", new Figure(f.chargebackPaise(), s.refunds()));
        out.put("refundedByMembers", new Figure(f.refundMembersPaise(), s.refunds()));
        out.put("netAfterRefunds", new Figure(f.netAfterRefundsPaise(), s.transactions()));
        return out;
    }

    public static Map<String, Figure> payouts(PayoutAnalytics.Volume v, String href) {
        Map<String, Figure> out = new LinkedHashMap<>();
        out.put("payoutsPaid", new Figure(v.paidPaise(), href));
        out.put("payoutsReversed", new Figure(v.reversedPaise(), href));
        out.put("payoutVolume", new Figure(v.netPaise(), href));
        return out;
    }

    public static Map<String, Figure> platform(PlatformAccounts.PlatformFigures p, String statement) {
        Map<String, Figure> out = new LinkedHashMap<>();
        out.put("platformEarnings", new Figure(p.platformFeeIncomePaise(), statement));
        out.put("platformGst", new Figure(p.platformGstPaise(), statement));
        out.put("gatewayCharges", new Figure(p.gatewayChargesPaise(), statement));
        out.put("gatewayGstInputCredit", new Figure(p.gatewayGstInputCreditPaise(), statement));
        out.put("gatewayChargesRecovered", new Figure(p.gatewayFeeRecoveredPaise(), statement));
        out.put("gstOnSales", new Figure(p.gstOnSalesPaise(), statement));
        out.put("gstCollected", new Figure(p.gstCollectedPaise(), statement));
        out.put("tcs", new Figure(p.tcsPaise(), statement));
        out.put("tds", new Figure(p.tdsPaise(), statement));
        out.put("payoutVolume", new Figure(p.payoutVolumePaise(), statement));
        out.put("reconDifferences", new Figure(p.reconDifferencesPaise(), statement));
        return out;
    }

    public record Counts(long payments, long reversals, long refunds, long chargebacks, long payoutsPaid, long payoutsReversed) {
        public static Counts of(RevenueFigures f, PayoutAnalytics.Volume v) {
            return new Counts(f.payments(), f.reversals(), f.refunds(), f.chargebacks(), v.paid(), v.reversed());
        }
    }
}
