package com.commdesk.ledger;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Checks that the books are whole, from first principles (SQL over the postings), independently
 * of the code that wrote them. Each check reports at most {@link #MAX_VIOLATIONS_PER_CHECK} rows.
 */
public final class LedgerInvariants {
    static final int MAX_VIOLATIONS_PER_CHECK = 20;

    private final DSLContext dsl;

    public LedgerInvariants(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record Violation(String invariant, String subject, String detail) {}

    public record Report(boolean holds, List<Violation> violations, OffsetDateTime checkedAt, long journals, long postings) {
        /** Violations that are a balance on the wrong side of zero (alerting pages on these apart). */
        public long negativeBalances() {
            return violations.stream().filter(v -> NEGATIVE_BALANCE_CHECKS.contains(v.invariant())).count();
        }
    }

    /** The checks that find a balance on the wrong side of zero: a member overdrawn, a receivable or a tax payable negative. */
    public static final java.util.Set<String> NEGATIVE_BALANCE_CHECKS = java.util.Set.of(
            "no member account is overdrawn", "no receivable is negative", "tax payables are never in debit");

    /** Each check: a name and a query returning (subject, detail) for every violation; then the analytics rollups' own. */
    private static final List<String[]> CHECKS = java.util.stream.Stream.concat(List.of(
            new String[] {"trial balance is zero",
                    "select 'all postings', 'debits - credits = ' || sum(amount_paise) from posting having coalesce(sum(amount_paise), 0) <> 0"},
            new String[] {"every journal balances",
                    "select 'journal ' || journal_id, 'sum = ' || sum(amount_paise) from posting group by journal_id having sum(amount_paise) <> 0"},
            new String[] {"member wallets equal their postings", """
                    select w.community_id || '/' || w.role || '/' || w.user_id,
                           'wallet ' || w.pending_paise || '/' || w.available_paise || '/' || w.locked_paise || '/' || w.receivable_paise
                           || ' vs postings ' || coalesce(p.pending, 0) || '/' || coalesce(p.available, 0) || '/' || coalesce(p.locked, 0)
                           || '/' || coalesce(p.receivable, 0)
                      from member_wallet w
                      left join (select a.community_id, a.role, a.user_id,
                                        -sum(p.amount_paise) filter (where a.purpose = 'MEMBER_PENDING') pending,
                                        -sum(p.amount_paise) filter (where a.purpose = 'MEMBER_AVAILABLE') available,
                                        -sum(p.amount_paise) filter (where a.purpose = 'MEMBER_LOCKED') locked,
                                        sum(p.amount_paise) filter (where a.purpose = 'MEMBER_RECEIVABLE') receivable
                                   from posting p join ledger_account a using (account_id)
                                  where a.purpose like 'MEMBER_%'
                                  group by a.community_id, a.role, a.user_id) p
                        on p.community_id = w.community_id and p.role = w.role and p.user_id = w.user_id
                     where w.pending_paise <> coalesce(p.pending, 0) or w.available_paise <> coalesce(p.available, 0)
                        or w.locked_paise <> coalesce(p.locked, 0) or w.receivable_paise <> coalesce(p.receivable, 0)
                    """},
            new String[] {"paid out equals payout postings", """
                    select w.community_id || '/' || w.role || '/' || w.user_id, 'wallet ' || w.paid_out_paise || ' vs postings ' || coalesce(x.paid, 0)
                      from member_wallet w
                      left join (select a.community_id, a.role, a.user_id, sum(p.amount_paise) paid
                                   from posting p join ledger_account a using (account_id) join journal j using (journal_id)
                                  where j.kind in ('PAYOUT_PAID', 'PAYOUT_REVERSED') and a.purpose = 'MEMBER_LOCKED'
                                  group by a.community_id, a.role, a.user_id) x
                        on x.community_id = w.community_id and x.role = w.role and x.user_id = w.user_id
                     where w.paid_out_paise <> coalesce(x.paid, 0)
                    """},
            new String[] {"community wallets equal the sum of their members", """
                    select c.community_id, 'community ' || c.pending_settlement_paise || '/' || c.available_balance_paise || '/'
                           || c.locked_balance_paise || '/' || c.total_withdrawn_paise
                           || ' vs members ' || coalesce(m.pending, 0) || '/' || coalesce(m.available, 0) || '/' || coalesce(m.locked, 0)
                           || '/' || coalesce(m.paid_out, 0)
                      from community_wallet c
                      left join (select community_id, sum(pending_paise) pending, sum(available_paise) available, sum(locked_paise) locked,
                                        sum(paid_out_paise) paid_out
                                   from member_wallet group by community_id) m using (community_id)
                     where c.pending_settlement_paise <> coalesce(m.pending, 0) or c.available_balance_paise <> coalesce(m.available, 0)
                        or c.locked_balance_paise <> coalesce(m.locked, 0) or c.total_withdrawn_paise <> coalesce(m.paid_out, 0)
                    """},
            // Community totals, each proved against the postings of the community's journals that change it:
            // payments, refunds, chargebacks and reversals (of payments, and of refunds Cashfree cancelled).
            new String[] {"community totals equal their postings", """
                    select c.community_id, 'net ' || c.total_net_revenue_paise || ' vs ' || coalesce(x.net, 0)
                           || ', gst ' || c.total_gst_collected_paise || ' vs ' || coalesce(x.gst, 0)
                           || ', gateway ' || c.total_gateway_fees_paise || ' vs ' || coalesce(x.gateway, 0)
                      from community_wallet c
                      left join (select j.community_id,
                                        -sum(p.amount_paise) filter (where a.purpose like 'MEMBER\\_%') net,
                                        -sum(p.amount_paise) filter (where a.purpose = 'GST_OUTPUT_PAYABLE') gst,
                                        -sum(p.amount_paise) filter (where a.purpose = 'GATEWAY_FEE_RECOVERY') gateway
                                   from journal j join posting p using (journal_id) join ledger_account a using (account_id)
                                  where j.kind in ('PAYMENT', 'REFUND', 'CHARGEBACK', 'REVERSAL')
                                  group by j.community_id) x using (community_id)
                     where c.total_net_revenue_paise <> coalesce(x.net, 0) or c.total_gst_collected_paise <> coalesce(x.gst, 0)
                        or c.total_gateway_fees_paise <> coalesce(x.gateway, 0)
                    """},
            new String[] {"community gross and platform fees equal their revenue rows", """
                    select c.community_id, 'gross ' || c.total_gross_revenue_paise || ' vs ' || coalesce(t.gross, 0) - coalesce(r.refunded, 0)
                           || ', platform fees ' || c.total_platform_fees_paise || ' vs ' || coalesce(f.platform, 0)
                      from community_wallet c
                      left join (select rt.community_id, sum(rt.gross_amount_paise) gross from revenue_transaction rt
                                  where not exists (select 1 from journal x where x.reverses_journal_id = rt.journal_id)
                                  group by rt.community_id) t using (community_id)
                      left join (select rt.community_id, sum(r.amount_paise) refunded
                                   from refund r join revenue_transaction rt using (transaction_id)
                                  where not exists (select 1 from refund_outcome o where o.refund_id = r.refund_id
                                                     and o.outcome in ('FAILED', 'CANCELLED'))
                                  group by rt.community_id) r using (community_id)
                      left join (select rt.community_id, sum(pr.amount_paise) platform
                                   from platform_revenue pr join revenue_transaction rt using (transaction_id)
                                  group by rt.community_id) f using (community_id)
                     where c.total_gross_revenue_paise <> coalesce(t.gross, 0) - coalesce(r.refunded, 0)
                        or c.total_platform_fees_paise <> coalesce(f.platform, 0)
                    """},
            new String[] {"platform revenue equals its postings", """
                    select 'platform revenue', 'fee net of GST ' || coalesce(f.fee, 0) || ' vs income ' || coalesce(p.income, 0)
                           || ', GST ' || coalesce(f.gst, 0) || ' vs ' || coalesce(p.gst, 0)
                      from (select sum(pr.amount_paise - case when rt.platform_fee_gst_mode = 'INCLUDED' then pr.gst_amount_paise else 0 end) fee,
                                   sum(pr.gst_amount_paise) gst
                              from platform_revenue pr join revenue_transaction rt using (transaction_id)) f,
                           (select -sum(p.amount_paise) filter (where a.purpose = 'PLATFORM_FEE_INCOME') income,
                                   -sum(p.amount_paise) filter (where a.purpose = 'PLATFORM_GST_PAYABLE') gst
                              from posting p join ledger_account a using (account_id)
                             where a.purpose in ('PLATFORM_FEE_INCOME', 'PLATFORM_GST_PAYABLE')) p
                     where coalesce(f.fee, 0) <> coalesce(p.income, 0) or coalesce(f.gst, 0) <> coalesce(p.gst, 0)
                    """},
            new String[] {"refunds in flight equal the pending refunds", """
                    select 'refunds_in_flight', 'balance ' || coalesce(b.balance, 0) || ' vs pending refunds ' || coalesce(r.pending, 0)
                      from (select -sum(p.amount_paise) balance from posting p join ledger_account a using (account_id)
                             where a.code = 'refunds_in_flight') b,
                           (select sum(amount_paise) pending from refund r where r.kind = 'REFUND'
                               and not exists (select 1 from refund_outcome o where o.refund_id = r.refund_id)
                               and exists (select 1 from posting p join ledger_account a using (account_id)
                                            where p.journal_id = r.journal_id and a.code = 'refunds_in_flight')) r
                     where coalesce(b.balance, 0) <> coalesce(r.pending, 0)
                    """},
            new String[] {"every refund outcome has its journal", """
                    select 'refund ' || o.refund_id, o.outcome || ' with journal ' || o.journal_id || ' of kind ' || coalesce(j.kind, 'none')
                      from refund_outcome o join refund r using (refund_id) left join journal j on j.journal_id = o.journal_id
                     where not ((o.outcome = 'SUCCEEDED' and r.kind = 'CHARGEBACK' and o.journal_id = r.journal_id)
                             or (o.outcome = 'SUCCEEDED' and r.kind = 'REFUND' and j.kind = 'REFUND_PAID')
                             or (o.outcome in ('FAILED', 'CANCELLED') and j.kind = 'REVERSAL' and j.reverses_journal_id = r.journal_id))
                    """},
            new String[] {"nobody owes while having money available", """
                    select community_id || '/' || role || '/' || user_id, 'receivable ' || receivable_paise || ' with ' || available_paise || ' available'
                      from member_wallet where receivable_paise > 0 and available_paise > 0
                    """},
            new String[] {"community pools are empty", """
                    select a.code, 'balance ' || sum(p.amount_paise)
                      from posting p join ledger_account a using (account_id)
                     where a.purpose = 'COMMUNITY_POOL' group by a.code having sum(p.amount_paise) <> 0
                    """},
            new String[] {"no member account is overdrawn", """
                    select a.code, 'balance ' || -sum(p.amount_paise)
                      from posting p join ledger_account a using (account_id)
                     where a.purpose in ('MEMBER_PENDING', 'MEMBER_AVAILABLE', 'MEMBER_LOCKED')
                     group by a.code having sum(p.amount_paise) > 0
                    """},
            new String[] {"no receivable is negative", """
                    select a.code, 'balance ' || sum(p.amount_paise)
                      from posting p join ledger_account a using (account_id)
                     where a.purpose = 'MEMBER_RECEIVABLE' group by a.code having sum(p.amount_paise) < 0
                    """},
            new String[] {"refunds never exceed their payment", """
                    select 'transaction ' || rt.transaction_id, 'refunded ' || sum(r.amount_paise) || ' of ' || rt.gross_amount_paise
                      from refund r join revenue_transaction rt using (transaction_id)
                     where not exists (select 1 from refund_outcome o where o.refund_id = r.refund_id and o.outcome in ('FAILED', 'CANCELLED'))
                     group by rt.transaction_id, rt.gross_amount_paise having sum(r.amount_paise) > rt.gross_amount_paise
                    """},
            new String[] {"open holds never exceed pending", """
                    select w.community_id || '/' || w.role || '/' || w.user_id, 'holds ' || h.held || ' > pending ' || w.pending_paise
                      from member_wallet w
                      join (select community_id, role, user_id, sum(amount_paise) held from wallet_hold
                             where released_journal_id is null and cancelled_journal_id is null
                             group by community_id, role, user_id) h using (community_id, role, user_id)
                     where h.held > w.pending_paise
                    """},
            new String[] {"no hold is blocked", """
                    select 'hold ' || hold_id || ' of ' || community_id || '/' || role || '/' || user_id, blocked_reason
                      from wallet_hold where blocked_reason is not null and released_journal_id is null and cancelled_journal_id is null
                    """},
            new String[] {"tax payables are never in debit", """
                    select a.code, 'balance ' || sum(p.amount_paise)
                      from posting p join ledger_account a using (account_id)
                     where a.purpose in ('GST_OUTPUT_PAYABLE', 'PLATFORM_GST_PAYABLE', 'TCS_PAYABLE', 'TDS_PAYABLE')
                     group by a.code having sum(p.amount_paise) > 0
                    """},
            new String[] {"no payment is both reversed and refunded", """
                    select 'transaction ' || rt.transaction_id, 'reversed and refunded'
                      from revenue_transaction rt
                     where exists (select 1 from journal j where j.reverses_journal_id = rt.journal_id)
                       and exists (select 1 from refund r where r.transaction_id = rt.transaction_id
                                    and not exists (select 1 from refund_outcome o where o.refund_id = r.refund_id
                                                     and o.outcome in ('FAILED', 'CANCELLED')))
                    """},
            new String[] {"refund rows match their journals", """
                    select 'refund ' || r.refund_id, 'row ' || r.from_pending_paise || '/' || r.from_available_paise || '/'
                           || r.to_receivable_paise || '/' || r.amount_paise || ' vs journal ' || coalesce(x.pend, 0) || '/'
                           || coalesce(x.avail, 0) || '/' || coalesce(x.recv, 0) || '/' || coalesce(x.clearing, 0)
                      from refund r
                      left join lateral (
                        select sum(p.amount_paise) filter (where a.purpose = 'MEMBER_PENDING') pend,
                               sum(p.amount_paise) filter (where a.purpose = 'MEMBER_AVAILABLE') avail,
                               sum(p.amount_paise) filter (where a.purpose = 'MEMBER_RECEIVABLE') recv,
                               -sum(p.amount_paise) filter (where a.code in ('cashfree_clearing', 'refunds_in_flight')) clearing
                          from posting p join ledger_account a using (account_id) where p.journal_id = r.journal_id) x on true
                     where r.from_pending_paise <> coalesce(x.pend, 0) or r.from_available_paise <> coalesce(x.avail, 0)
                        or r.to_receivable_paise <> coalesce(x.recv, 0) or r.amount_paise <> coalesce(x.clearing, 0)
                    """},
            new String[] {"no distribution is allocated beyond its amount", """
                    select 'distribution ' || d.distribution_id, 'allocated ' || sum(a.amount_paise) || ' of ' || d.amount_paise
                      from distribution_allocation a join revenue_distribution d using (distribution_id)
                     where a.status <> 'FAILED'
                     group by d.distribution_id, d.amount_paise having sum(a.amount_paise) > d.amount_paise
                    """},
            new String[] {"paid allocations equal each member's paid payouts", """
                    select community_id || '/' || role || '/' || user_id,
                           'paid payouts ' || coalesce(p.paid, 0) || ', paid allocations ' || coalesce(a.paid, 0)
                      from (select community_id, role, user_id, sum(amount_paise) paid from payout
                             -- PAID, or a PAID payout on finance's list for Cashfree's refusal after its SUCCESS whose journals
                             -- say it is paid out (103): the settlement's paid_paise counts the same rows
                             where %paidOut
                             group by community_id, role, user_id) p
                      full join (select community_id, role, user_id, sum(amount_paise) paid from distribution_allocation
                                  where status = 'PAID' group by community_id, role, user_id) a using (community_id, role, user_id)
                     where coalesce(p.paid, 0) <> coalesce(a.paid, 0)
                    """.replace("%paidOut", com.commdesk.ledger.payout.PayoutStates.PAID_OUT_SQL)},
            new String[] {"every payment journal has its revenue transaction", """
                    select 'journal ' || j.journal_id, 'no revenue_transaction'
                      from journal j where j.kind = 'PAYMENT'
                       and not exists (select 1 from revenue_transaction rt where rt.journal_id = j.journal_id)
                    """}).stream(), com.commdesk.ledger.analytics.AnalyticsChecks.CHECKS.stream()).toList();

    static {
        // A renamed check must not silently drop out of the negative-balance count.
        java.util.Set<String> names = new java.util.HashSet<>();
        CHECKS.forEach(c -> names.add(c[0]));
        if (!names.containsAll(NEGATIVE_BALANCE_CHECKS)) {
            throw new IllegalStateException("NEGATIVE_BALANCE_CHECKS names a check that does not exist: " + NEGATIVE_BALANCE_CHECKS);
        }
    }

    public Report check() {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            // One consistent snapshot for every check, so concurrent postings cannot cause false alarms.
            tx.execute("set transaction isolation level repeatable read, read only");
            List<Violation> violations = new ArrayList<>();
            for (String[] check : CHECKS) {
                tx.fetch(check[1] + " limit " + MAX_VIOLATIONS_PER_CHECK)
                        .forEach(r -> violations.add(new Violation(check[0], r.get(0, String.class), r.get(1, String.class))));
            }
            long journals = ((Number) tx.fetchValue("select count(*) from journal")).longValue();
            long postings = ((Number) tx.fetchValue("select count(*) from posting")).longValue();
            return new Report(violations.isEmpty(), List.copyOf(violations), OffsetDateTime.now(), journals, postings);
        });
    }
}
