package com.commdesk.api.analytics;

import static com.commdesk.api.analytics.StatementDocument.Row;
import static com.commdesk.api.analytics.StatementDocument.Section;

import com.commdesk.ledger.analytics.MonthlyStatements.CommunityStatement;
import com.commdesk.ledger.analytics.MonthlyStatements.PlatformStatement;
import com.commdesk.ledger.analytics.PayoutAnalytics;
import com.commdesk.ledger.analytics.PlatformAccounts;
import com.commdesk.ledger.analytics.Registers;
import com.commdesk.ledger.analytics.RevenueAnalytics;
import com.commdesk.ledger.analytics.RevenueFigures;
import com.commdesk.ledger.analytics.ShareAnalytics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Monthly statements as documents: the sections and lines a community's or the platform's month is reported in. */
final class Statements {
    private Statements() {}

    static final String BALANCE = "Balance owed to members";
    static final String PAYMENTS = "Payments";
    static final String REFUNDS = "Refunds and chargebacks";
    static final String PAYOUTS = "Payouts";
    static final String EARNINGS = "Earnings by role and member";
    static final String AMOUNT = "Amount";

    /**
     * A payout's line in the monthly statement: paid (out), reversed by the bank (back), or, for the return that starts a relock
     * hold, returned and locked again for finance's review, which is no bank reversal (review s6 R2-L3).
     */
    static Row payoutLine(PayoutAnalytics.PayoutMovement m) {
        boolean paid = "PAYOUT_PAID".equals(m.kind());
        String what = paid ? "paid " : m.heldForFinance()
                ? "returned and locked again for finance's review (Cashfree contradicted itself; not a bank reversal) "
                : "reversed by the bank ";
        return Row.of(m.payoutId() == null ? "journal " + m.journalId() : m.payoutId(), paid ? -m.amountPaise() : m.amountPaise(),
                what + IndianMoney.ist(m.at()) + "; " + m.role() + "/" + m.userId()
                        + "; status " + m.status() + "; UTR " + (m.bankUtr() == null ? "not reported" : m.bankUtr())
                        + (m.cfTransferId() == null ? "" : "; Cashfree transfer " + m.cfTransferId())
                        + "; journal " + m.journalId());
    }

    static StatementDocument community(CommunityStatement s) {
        RevenueFigures f = s.figures();
        List<Section> sections = new ArrayList<>();
        sections.add(new Section(BALANCE, List.of(AMOUNT), List.of(
                Row.of("Opening balance", s.openingOwedPaise(), "at 00:00 IST on " + s.month().atDay(1)),
                Row.of("Net credited to members", f.netPaise()),
                Row.of("Refunds and chargebacks taken from members", -f.refundMembersPaise()),
                Row.of("Payouts paid", -s.payouts().paidPaise(), s.payouts().paid() + " payouts"),
                Row.of("Payouts reversed or held for finance", s.payouts().reversedPaise(), s.payouts().reversed() + " payouts"),
                Row.of("Closing balance", s.closingOwedPaise(), "at 00:00 IST on " + s.month().plusMonths(1).atDay(1)))));
        sections.add(payments(f));
        sections.add(refunds(f, s.refunds()));
        List<Row> payouts = new ArrayList<>();
        for (PayoutAnalytics.PayoutMovement m : s.payoutLines()) payouts.add(payoutLine(m));
        sections.add(new Section(PAYOUTS, List.of(AMOUNT), payouts));
        List<Row> earnings = new ArrayList<>();
        for (ShareAnalytics.RoleShare role : s.shares()) {
            earnings.add(Row.of(role.role(), role.amountPaise(), "role total"));
            for (ShareAnalytics.MemberShare m : role.members()) {
                earnings.add(Row.of(role.role() + "/" + m.userId(), m.amountPaise(), m.shares() + " shares"));
            }
        }
        sections.add(new Section(EARNINGS, List.of(AMOUNT), earnings));
        return new StatementDocument("Monthly statement " + s.month() + " - " + s.communityName(),
                List.of("Community: " + s.communityId(), "Period: " + s.month().atDay(1) + " to " + s.month().atEndOfMonth()
                        + " (India time)", "Generated: " + IndianMoney.ist(s.generatedAt()),
                        "Amounts in rupees (INR); every figure is read from the ledger."), sections);
    }

    static final String ACCOUNTS = "Platform accounts";
    static final String PLATFORM = "Platform earnings and taxes";
    static final String TOP = "Top earning communities";

    static StatementDocument platform(PlatformStatement s) {
        List<Section> sections = new ArrayList<>();
        List<Row> accounts = new ArrayList<>();
        for (PlatformAccounts.AccountMovement a : s.accounts()) {
            accounts.add(new Row(a.code(), Arrays.asList(a.openingPaise(), a.debitsPaise(), a.creditsPaise(), a.closingPaise()),
                    a.kind().toLowerCase(java.util.Locale.ROOT) + ", balances debit-positive"));
        }
        sections.add(new Section(ACCOUNTS, List.of("Opening", "Debits", "Credits", "Closing"), accounts));
        PlatformAccounts.PlatformFigures p = s.platform();
        sections.add(new Section(PLATFORM, List.of(AMOUNT), List.of(
                Row.of("Platform fee income (excl. GST)", p.platformFeeIncomePaise()),
                Row.of("GST on platform fee", p.platformGstPaise()),
                Row.of("GST on sales (output)", p.gstOnSalesPaise()),
                Row.of("GST collected (sales + platform fee)", p.gstCollectedPaise()),
                Row.of("Gateway charges (Cashfree fee)", p.gatewayChargesPaise()),
                Row.of("GST input credit on gateway charges", p.gatewayGstInputCreditPaise()),
                Row.of("Gateway charges recovered from communities", p.gatewayFeeRecoveredPaise()),
                Row.of("TCS payable (CGST s.52)", p.tcsPaise()),
                Row.of("TDS payable (s.194-O)", p.tdsPaise()),
                Row.of("Payout volume (paid less reversed)", p.payoutVolumePaise(), s.payouts().paid() + " paid, " + s.payouts().reversed()
                        + " reversed"),
                Row.of("Reconciliation differences", p.reconDifferencesPaise()))));
        sections.add(payments(s.figures()));
        sections.add(refunds(s.figures(), List.of()));
        List<Row> top = new ArrayList<>();
        int rank = 1;
        for (RevenueAnalytics.CommunityLine c : s.topCommunities()) {
            top.add(Row.of((rank++) + ". " + c.communityId(), c.figures().grossPaise(), c.name() + "; " + c.figures().payments() + " payments"));
        }
        sections.add(new Section(TOP, List.of("Gross"), top));
        return new StatementDocument("Platform monthly statement " + s.month(),
                List.of("Period: " + s.month().atDay(1) + " to " + s.month().atEndOfMonth() + " (India time)",
                        "Generated: " + IndianMoney.ist(s.generatedAt()), "Amounts in rupees (INR); every figure is read from the ledger."),
                sections);
    }

    private static Section payments(RevenueFigures f) {
        return new Section(PAYMENTS, List.of(AMOUNT), List.of(
                Row.of("Gross received", f.grossPaise(), f.payments() + " payments (" + f.reversals() + " reversed)"),
                Row.of("GST on sales - CGST", f.gstCgstPaise()),
                Row.of("GST on sales - SGST", f.gstSgstPaise()),
                Row.of("GST on sales - IGST", f.gstIgstPaise()),
                Row.of("GST on sales - total", f.gstPaise()),
                Row.of("Cashfree fee", f.gatewayFeePaise()),
                Row.of("GST on Cashfree fee", f.gatewayGstPaise()),
                Row.of("Platform fee", f.platformFeePaise()),
                Row.of("GST on platform fee", f.platformGstPaise()),
                Row.of("TCS (CGST s.52)", f.tcsPaise()),
                Row.of("TDS (s.194-O)", f.tdsPaise()),
                Row.of("Net to the community", f.netPaise())));
    }

    private static Section refunds(RevenueFigures f, List<Registers.RefundLine> lines) {
        List<Row> rows = new ArrayList<>(List.of(
                Row.of("Refunds", f.refundPaise(), f.refunds() + " refunds"),
                Row.of("Chargebacks", f.chargebackPaise(), f.chargebacks() + " chargebacks"),
                Row.of("GST reversed", f.refundGstPaise()),
                Row.of("Cashfree fee part", f.refundGatewayPaise()),
                Row.of("Platform fee part", f.refundPlatformPaise()),
                Row.of("TCS reversed", f.refundTcsPaise()),
                Row.of("TDS reversed", f.refundTdsPaise()),
                Row.of("Net part", f.refundNetPaise()),
                Row.of("Taken from members", f.refundMembersPaise())));
        for (Registers.RefundLine r : lines) {
            rows.add(Row.of(r.refundId(), r.amountPaise(), r.kind().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " of order " + r.cashfreeOrderId()
                    + ", " + IndianMoney.ist(r.at()) + "; members " + IndianMoney.amount(r.membersPaise()) + "; journal " + r.journalId()));
        }
        return new Section(REFUNDS, List.of(AMOUNT), rows);
    }
}
