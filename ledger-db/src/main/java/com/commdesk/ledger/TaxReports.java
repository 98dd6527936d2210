package com.commdesk.ledger;

import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Tax-ready figures for a calendar month in India time, read from the postings, so reversals net
 * out by construction. Amounts are paise; rounding to the rupee (CGST s.170) happens on the return,
 * not here.
 */
public final class TaxReports {
    public static final ZoneId INDIA = com.commdesk.fees.IndiaTime.ZONE;

    private final DSLContext dsl;

    public TaxReports(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record Heads(long cgstPaise, long sgstPaise, long igstPaise) {
        public long totalPaise() { return cgstPaise + sgstPaise + igstPaise; }
    }

    public record GstSummary(YearMonth month, Heads outputGst, Heads inputCreditOnGatewayFees, Heads platformGst,
                             long platformFeeIncomePaise, long gatewayFeesPaise, long tcsPaise, long tdsPaise,
                             long paymentsPosted, long paymentsReversed) {}

    public record WithholdingLine(String transactionId, String communityId, OffsetDateTime postedAt, long grossPaise,
                                  long taxableValuePaise, long tcsPaise, long tdsPaise, boolean reversed) {}

    public GstSummary monthlyGst(YearMonth month) {
        OffsetDateTime from = com.commdesk.fees.IndiaTime.monthStart(month).atOffset(java.time.ZoneOffset.UTC);
        OffsetDateTime to = com.commdesk.fees.IndiaTime.monthStart(month.plusMonths(1)).atOffset(java.time.ZoneOffset.UTC);
        var r = dsl.fetchSingle("""
                select
                  coalesce(-sum(p.amount_paise) filter (where a.code = 'gst_output_payable:CGST'), 0),
                  coalesce(-sum(p.amount_paise) filter (where a.code = 'gst_output_payable:SGST'), 0),
                  coalesce(-sum(p.amount_paise) filter (where a.code = 'gst_output_payable:IGST'), 0),
                  coalesce(sum(p.amount_paise) filter (where a.code = 'gst_input_credit:CGST'), 0),
                  coalesce(sum(p.amount_paise) filter (where a.code = 'gst_input_credit:SGST'), 0),
                  coalesce(sum(p.amount_paise) filter (where a.code = 'gst_input_credit:IGST'), 0),
                  coalesce(-sum(p.amount_paise) filter (where a.code = 'platform_gst_payable:CGST'), 0),
                  coalesce(-sum(p.amount_paise) filter (where a.code = 'platform_gst_payable:SGST'), 0),
                  coalesce(-sum(p.amount_paise) filter (where a.code = 'platform_gst_payable:IGST'), 0),
                  coalesce(-sum(p.amount_paise) filter (where a.code = 'platform_fee_income'), 0),
                  coalesce(sum(p.amount_paise) filter (where a.code = 'gateway_fee_expense'), 0),
                  coalesce(-sum(p.amount_paise) filter (where a.code = 'tcs_payable'), 0),
                  coalesce(-sum(p.amount_paise) filter (where a.code = 'tds_payable'), 0),
                  count(distinct j.journal_id) filter (where j.kind = 'PAYMENT'),
                  count(distinct j.journal_id) filter (where j.kind = 'REVERSAL' and o.kind = 'PAYMENT')
                from posting p join ledger_account a using (account_id) join journal j using (journal_id)
                left join journal o on o.journal_id = j.reverses_journal_id
                where j.created_at >= cast(? as timestamptz) and j.created_at < cast(? as timestamptz)
                """, from.toString(), to.toString());
        return new GstSummary(month,
                new Heads(n(r.get(0)), n(r.get(1)), n(r.get(2))),
                new Heads(n(r.get(3)), n(r.get(4)), n(r.get(5))),
                new Heads(n(r.get(6)), n(r.get(7)), n(r.get(8))),
                n(r.get(9)), n(r.get(10)), n(r.get(11)), n(r.get(12)), n(r.get(13)), n(r.get(14)));
    }

    /** The TCS (CGST s.52) and TDS (s.194-O) register: one line per payment posted in the month. */
    public List<WithholdingLine> withholdingRegister(YearMonth month) {
        OffsetDateTime from = com.commdesk.fees.IndiaTime.monthStart(month).atOffset(java.time.ZoneOffset.UTC);
        OffsetDateTime to = com.commdesk.fees.IndiaTime.monthStart(month.plusMonths(1)).atOffset(java.time.ZoneOffset.UTC);
        return dsl.fetch("""
                select rt.transaction_id::text, rt.community_id, rt.created_at, rt.gross_amount_paise,
                       rt.gross_amount_paise - rt.gst_amount_paise, rt.tcs_paise, rt.tds_paise,
                       exists (select 1 from journal r where r.reverses_journal_id = rt.journal_id)
                  from revenue_transaction rt
                 where rt.created_at >= cast(? as timestamptz) and rt.created_at < cast(? as timestamptz)
                 order by rt.created_at, rt.transaction_id
                """, from.toString(), to.toString())
                .map(x -> new WithholdingLine(x.get(0, String.class), x.get(1, String.class), x.get(2, OffsetDateTime.class),
                        x.get(3, Long.class), x.get(4, Long.class), x.get(5, Long.class), x.get(6, Long.class),
                        x.get(7, Boolean.class)));
    }

    private static long n(Object v) {
        return v == null ? 0 : ((Number) v).longValue();
    }
}
