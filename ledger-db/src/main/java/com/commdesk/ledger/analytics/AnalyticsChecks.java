package com.commdesk.ledger.analytics;

import java.util.List;

/**
 * Invariants of the analytics rollups (changelog 070), in the form {@link com.commdesk.ledger.LedgerInvariants}
 * runs: a name and a query returning (subject, detail) per violation. Each rollup is re-derived from
 * the raw rows it sums, per day and key, and compared column by column; and what each community owes
 * its members by the rollups must equal its member wallets, which the ledger's own checks tie to the
 * postings. So a rollup that drifts from the ledger, or a new kind of journal that moves members' money
 * without the rollups knowing, is reported like any other broken invariant.
 */
public final class AnalyticsChecks {
    private AnalyticsChecks() {}

    private static final String DAY = " at time zone 'Asia/Kolkata')::date";

    /** Per (day, community, source, rule): payments, reversals and refunds from the raw rows. */
    private static final String RAW_REVENUE = """
            select day, community_id, source_type, rule_id, rule_version,
                   sum(payments) payments, sum(reversals) reversals, sum(gross) gross, sum(gst) gst, sum(cgst) cgst,
                   sum(sgst) sgst, sum(igst) igst, sum(gw) gw, sum(gw_gst) gw_gst, sum(pf) pf, sum(pf_gst) pf_gst,
                   sum(pf_income) pf_income, sum(tcs) tcs, sum(tds) tds, sum(net) net, sum(refunds) refunds,
                   sum(refund_paise) refund_paise, sum(chargebacks) chargebacks, sum(chargeback_paise) chargeback_paise,
                   sum(r_gst) r_gst, sum(r_gw) r_gw, sum(r_pf) r_pf, sum(r_tcs) r_tcs, sum(r_tds) r_tds, sum(r_net) r_net,
                   sum(r_members) r_members
              from (
                select (t.created_at%1$s as day, t.community_id, t.source_type, coalesce(t.rule_id, '') rule_id,
                       coalesce(t.rule_version, 0) rule_version, 1 payments, 0 reversals, t.gross_amount_paise gross,
                       t.gst_amount_paise gst, t.gst_cgst_paise cgst, t.gst_sgst_paise sgst, t.gst_igst_paise igst,
                       t.payment_gateway_fee_paise gw, t.payment_gateway_gst_paise gw_gst, t.platform_fee_paise pf,
                       t.platform_fee_gst_paise pf_gst,
                       t.platform_fee_paise - case when t.platform_fee_gst_mode = 'INCLUDED' then t.platform_fee_gst_paise else 0 end pf_income,
                       t.tcs_paise tcs, t.tds_paise tds, t.net_revenue_paise net, 0 refunds, 0 refund_paise, 0 chargebacks,
                       0 chargeback_paise, 0 r_gst, 0 r_gw, 0 r_pf, 0 r_tcs, 0 r_tds, 0 r_net, 0 r_members
                  from revenue_transaction t
                union all
                select (j.created_at%1$s, t.community_id, t.source_type, coalesce(t.rule_id, ''), coalesce(t.rule_version, 0),
                       -1, 1, -t.gross_amount_paise, -t.gst_amount_paise, -t.gst_cgst_paise, -t.gst_sgst_paise, -t.gst_igst_paise,
                       -t.payment_gateway_fee_paise, -t.payment_gateway_gst_paise, -t.platform_fee_paise, -t.platform_fee_gst_paise,
                       -(t.platform_fee_paise - case when t.platform_fee_gst_mode = 'INCLUDED' then t.platform_fee_gst_paise else 0 end),
                       -t.tcs_paise, -t.tds_paise, -t.net_revenue_paise, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
                  from journal j join revenue_transaction t on t.journal_id = j.reverses_journal_id
                 where j.kind = 'REVERSAL'
                union all
                select (r.created_at%1$s, t.community_id, t.source_type, coalesce(t.rule_id, ''), coalesce(t.rule_version, 0),
                       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                       case when r.kind = 'REFUND' then 1 else 0 end, case when r.kind = 'REFUND' then r.amount_paise else 0 end,
                       case when r.kind = 'CHARGEBACK' then 1 else 0 end, case when r.kind = 'CHARGEBACK' then r.amount_paise else 0 end,
                       coalesce(r.part_gst_paise, 0), coalesce(r.part_gateway_paise, 0), coalesce(r.part_platform_paise, 0),
                       coalesce(r.part_tcs_paise, 0), coalesce(r.part_tds_paise, 0), coalesce(r.part_net_paise, 0),
                       r.from_pending_paise + r.from_available_paise + r.to_receivable_paise
                  from refund r join revenue_transaction t using (transaction_id)
              ) x
             group by 1, 2, 3, 4, 5
            """.formatted(DAY);

    private static final String ROLLED_REVENUE = """
            select day, community_id, source_type, rule_id, rule_version, sum(payments) payments, sum(reversals) reversals,
                   sum(gross_paise) gross, sum(gst_paise) gst, sum(gst_cgst_paise) cgst, sum(gst_sgst_paise) sgst,
                   sum(gst_igst_paise) igst, sum(gateway_fee_paise) gw, sum(gateway_gst_paise) gw_gst, sum(platform_fee_paise) pf,
                   sum(platform_gst_paise) pf_gst, sum(platform_income_paise) pf_income, sum(tcs_paise) tcs, sum(tds_paise) tds,
                   sum(net_paise) net, sum(refunds) refunds, sum(refund_paise) refund_paise, sum(chargebacks) chargebacks,
                   sum(chargeback_paise) chargeback_paise, sum(refund_gst_paise) r_gst, sum(refund_gateway_paise) r_gw,
                   sum(refund_platform_paise) r_pf, sum(refund_tcs_paise) r_tcs, sum(refund_tds_paise) r_tds,
                   sum(refund_net_paise) r_net, sum(refund_members_paise) r_members
              from analytics_revenue_delta group by 1, 2, 3, 4, 5
            """;

    private static final String REVENUE_COLUMNS = "payments, reversals, gross, gst, cgst, sgst, igst, gw, gw_gst, pf, pf_gst, pf_income,"
            + " tcs, tds, net, refunds, refund_paise, chargebacks, chargeback_paise, r_gst, r_gw, r_pf, r_tcs, r_tds, r_net, r_members";

    private static final String REVENUE = """
            select coalesce(w.community_id, r.community_id) || ' ' || coalesce(w.day, r.day) || ' ' || coalesce(w.source_type, r.source_type)
                   || ' rule ' || coalesce(w.rule_id, r.rule_id) || '@' || coalesce(w.rule_version, r.rule_version),
                   'rollup (' || concat_ws(',', %2$s) || ') vs raw rows (' || concat_ws(',', %3$s) || ')'
              from (%1$s) w full join (%4$s) r using (day, community_id, source_type, rule_id, rule_version)
             where (%5$s) is distinct from (%6$s)
            """.formatted(RAW_REVENUE, prefixed("r"), prefixed("w"), ROLLED_REVENUE, prefixed("w"), prefixed("r"));

    private static String prefixed(String alias) {
        return java.util.Arrays.stream(REVENUE_COLUMNS.split(",\\s*")).map(c -> alias + "." + c)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    public static final List<String[]> CHECKS = List.of(
            new String[] {"revenue rollup equals payments, reversals and refunds", REVENUE},
            new String[] {"share rollup equals distributions less reversed payments", """
                    select coalesce(w.community_id, r.community_id) || '/' || coalesce(w.role, r.role) || '/' || coalesce(w.user_id, r.user_id)
                           || ' ' || coalesce(w.day, r.day),
                           'rollup ' || coalesce(r.shares, 0) || '/' || coalesce(r.amount, 0) || ' vs raw ' || coalesce(w.shares, 0) || '/'
                           || coalesce(w.amount, 0)
                      from (select day, community_id, role, user_id, sum(shares) shares, sum(amount) amount from (
                              select (d.created_at%1$s as day, d.community_id, d.role_name role, d.user_id, 1 shares, d.amount_paise amount
                                from revenue_distribution d
                              union all
                              select (j.created_at%1$s, d.community_id, d.role_name, d.user_id, -1, -d.amount_paise
                                from journal j join revenue_transaction t on t.journal_id = j.reverses_journal_id
                                join revenue_distribution d on d.transaction_id = t.transaction_id
                               where j.kind = 'REVERSAL') x group by 1, 2, 3, 4) w
                      full join (select day, community_id, role, user_id, sum(shares) shares, sum(amount_paise) amount
                                   from analytics_share_delta group by 1, 2, 3, 4) r using (day, community_id, role, user_id)
                     where (w.shares, w.amount) is distinct from (r.shares, r.amount)
                    """.formatted(DAY)},
            new String[] {"account rollup equals the platform accounts' postings", """
                    select a.code || ' ' || coalesce(w.day, r.day),
                           'rollup ' || coalesce(r.debit, 0) || '/' || coalesce(r.credit, 0) || '/' || coalesce(r.n, 0) || ' vs postings '
                           || coalesce(w.debit, 0) || '/' || coalesce(w.credit, 0) || '/' || coalesce(w.n, 0)
                      from (select (p.created_at%1$s as day, p.account_id,
                                   coalesce(sum(p.amount_paise) filter (where p.amount_paise > 0), 0) debit,
                                   coalesce(-sum(p.amount_paise) filter (where p.amount_paise < 0), 0) credit, count(*) n
                              from posting p join ledger_account pa on pa.account_id = p.account_id
                             where pa.community_id is null group by 1, 2) w
                      full join (select day, account_id, sum(debit_paise) debit, sum(credit_paise) credit, sum(postings) n
                                   from analytics_account_delta group by 1, 2) r using (day, account_id)
                      join ledger_account a on a.account_id = coalesce(w.account_id, r.account_id)
                     where (w.debit, w.credit, w.n) is distinct from (r.debit, r.credit, r.n)
                    """.formatted(DAY)},
            new String[] {"payout rollup equals payout postings", """
                    select coalesce(w.community_id, r.community_id) || ' ' || coalesce(w.day, r.day),
                           'rollup ' || coalesce(r.paid, 0) || '/' || coalesce(r.paid_paise, 0) || '/' || coalesce(r.reversed, 0) || '/'
                           || coalesce(r.reversed_paise, 0) || ' vs postings ' || coalesce(w.paid, 0) || '/' || coalesce(w.paid_paise, 0)
                           || '/' || coalesce(w.reversed, 0) || '/' || coalesce(w.reversed_paise, 0)
                      from (select (p.created_at%1$s as day, j.community_id,
                                   count(*) filter (where p.amount_paise < 0) paid,
                                   coalesce(-sum(p.amount_paise) filter (where p.amount_paise < 0), 0) paid_paise,
                                   count(*) filter (where p.amount_paise > 0) reversed,
                                   coalesce(sum(p.amount_paise) filter (where p.amount_paise > 0), 0) reversed_paise
                              from posting p join ledger_account a on a.account_id = p.account_id
                              join journal j on j.journal_id = p.journal_id
                             where a.code = 'cashfree_payout_balance' group by 1, 2) w
                      full join (select day, community_id, sum(paid) paid, sum(paid_paise) paid_paise, sum(reversed) reversed,
                                        sum(reversed_paise) reversed_paise from analytics_payout_delta group by 1, 2) r
                        using (day, community_id)
                     where (w.paid, w.paid_paise, w.reversed, w.reversed_paise)
                           is distinct from (r.paid, r.paid_paise, r.reversed, r.reversed_paise)
                    """.formatted(DAY)},
            new String[] {"what each community owes its members by the rollups equals their wallets", """
                    select coalesce(w.community_id, r.community_id),
                           'rollups ' || coalesce(r.owed, 0) || ' vs member wallets ' || coalesce(w.owed, 0)
                      from (select community_id, sum(pending_paise + available_paise + locked_paise - receivable_paise) owed
                              from member_wallet group by community_id) w
                      full join (select community_id, sum(owed) owed from (
                                   select community_id, net_paise - refund_members_paise owed from analytics_revenue_delta
                                   union all
                                   select community_id, reversed_paise - paid_paise from analytics_payout_delta) x
                                 group by community_id) r using (community_id)
                     where coalesce(w.owed, 0) <> coalesce(r.owed, 0)
                    """});
}
