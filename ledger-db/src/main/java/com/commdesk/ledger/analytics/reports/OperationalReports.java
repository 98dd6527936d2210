package com.commdesk.ledger.analytics.reports;

import com.commdesk.ledger.analytics.Period;
import com.commdesk.ledger.analytics.ShareAnalytics;
import com.commdesk.ledger.recon.ReconciliationRepository;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Seed 002's operational reports: rule effectiveness (coverage and reconciliation match rates per
 * commission rule version), reconciliation exception tracking, the audit trail of which rule and split
 * applied to each transaction, and distribution summaries by role and recipient. Rates are integer
 * basis points (1/100 of a percent), rounded down.
 */
public final class OperationalReports {
    public static final int MAX_PAGE = 1000;

    private final DSLContext dsl;

    public OperationalReports(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * One rule version (null: no rule matched, the default preset priced it) over payments posted in the
     * period: how many it priced and its share of all ({@code coverageBps}); of those, how many Cashfree
     * has settled (a PAYMENT line in a reconciliation) and how many of the settled have no reconciliation
     * exception ({@code matchRateBps} = clean ÷ settled). {@code commissionPaise} is CommDesk's income, the
     * platform fee less the GST included in it, as the commission projections count it.
     */
    public record RuleEffectiveness(String ruleId, Integer ruleVersion, long payments, long coverageBps, long grossPaise,
                                    long commissionPaise, long settled, long withExceptions, long matchRateBps) {}

    public List<RuleEffectiveness> ruleEffectiveness(Period period) {
        var rows = dsl.fetch("""
                select t.rule_id, t.rule_version, count(*), coalesce(sum(t.gross_amount_paise), 0)::bigint,
                       coalesce(sum(t.platform_fee_paise
                                    - case when t.platform_fee_gst_mode = 'INCLUDED' then t.platform_fee_gst_paise else 0 end), 0)::bigint,
                       count(*) filter (where exists (select 1 from recon_line l where l.event_type = 'PAYMENT'
                                                        and l.order_id = t.cashfree_order_id)),
                       count(*) filter (where exists (select 1 from recon_line l where l.event_type = 'PAYMENT'
                                                        and l.order_id = t.cashfree_order_id)
                                          and exists (select 1 from recon_exception e where e.order_id = t.cashfree_order_id))
                  from revenue_transaction t
                 where t.created_at >= cast(? as timestamptz) and t.created_at < cast(? as timestamptz)
                 group by t.rule_id, t.rule_version
                 order by t.rule_id nulls last, t.rule_version
                """, period.startInstant().toString(), period.endInstant().toString());
        long all = rows.stream().mapToLong(r -> r.get(2, Long.class)).sum();
        List<RuleEffectiveness> out = new ArrayList<>();
        for (var r : rows) {
            long payments = r.get(2, Long.class), settled = r.get(5, Long.class), exceptions = r.get(6, Long.class);
            out.add(new RuleEffectiveness(r.get(0, String.class), r.get(1, Integer.class), payments, bps(payments, all),
                    r.get(3, Long.class), r.get(4, Long.class), settled, exceptions, bps(settled - exceptions, settled)));
        }
        return out;
    }

    public record KindCount(String kind, long open, long adjusted, long explained) {}

    /** Open exceptions by age: under a day, 1–7 days, 7–30 days, older. */
    public record Ageing(long underOneDay, long oneToSevenDays, long sevenToThirtyDays, long olderThanThirtyDays,
                         OffsetDateTime oldestOpenSince) {}

    public record ReconTracking(Period period, List<KindCount> detectedInPeriod, long resolvedInPeriod,
                                long averageHoursToResolve, Ageing openNow, List<RunLine> runs) {}

    public record RunLine(long runId, String source, OffsetDateTime periodFrom, OffsetDateTime periodTo, int paymentLines, int matched,
                          int exceptionsSeen, long matchRateBps, OffsetDateTime lastRunAt) {}

    public ReconTracking reconTracking(Period period) {
        String from = period.startInstant().toString(), to = period.endInstant().toString();
        List<KindCount> kinds = dsl.fetch("""
                select kind, count(*) filter (where status = 'OPEN'), count(*) filter (where status = 'ADJUSTED'),
                       count(*) filter (where status = 'EXPLAINED')
                  from recon_exception where detected_at >= cast(? as timestamptz) and detected_at < cast(? as timestamptz)
                 group by kind order by kind
                """, from, to).map(r -> new KindCount(r.get(0, String.class), r.get(1, Long.class), r.get(2, Long.class), r.get(3, Long.class)));
        var resolved = dsl.fetchSingle("""
                select count(*), coalesce(avg(extract(epoch from resolved_at - detected_at)) / 3600, 0)::bigint
                  from recon_exception where resolved_at >= cast(? as timestamptz) and resolved_at < cast(? as timestamptz)
                """, from, to);
        var age = dsl.fetchSingle("""
                select count(*) filter (where detected_at > now() - interval '1 day'),
                       count(*) filter (where detected_at <= now() - interval '1 day' and detected_at > now() - interval '7 days'),
                       count(*) filter (where detected_at <= now() - interval '7 days' and detected_at > now() - interval '30 days'),
                       count(*) filter (where detected_at <= now() - interval '30 days'), min(detected_at)
                  from recon_exception where status = 'OPEN'
                """);
        List<RunLine> runs = dsl.fetch("""
                select run_id, source, period_from, period_to, payment_lines, matched, exceptions_seen, last_run_at, missing_on_theirs
                  from recon_run where last_run_at >= cast(? as timestamptz) and last_run_at < cast(? as timestamptz)
                 order by run_id
                """, from, to).map(r -> new RunLine(r.get(0, Long.class), r.get(1, String.class), r.get(2, OffsetDateTime.class),
                r.get(3, OffsetDateTime.class), r.get(4, Integer.class), r.get(5, Integer.class), r.get(6, Integer.class),
                ReconciliationRepository.matchRateBps(r.get(5, Integer.class), r.get(4, Integer.class), r.get(6, Integer.class),
                        r.get(8, Integer.class)),
                r.get(7, OffsetDateTime.class)));
        return new ReconTracking(period, kinds, resolved.get(0, Long.class), resolved.get(1, Long.class),
                new Ageing(age.get(0, Long.class), age.get(1, Long.class), age.get(2, Long.class), age.get(3, Long.class),
                        age.get(4, OffsetDateTime.class)), runs);
    }

    /**
     * The audit trail of one transaction: the rule version and schedule that priced it (with the
     * version's effective window and who created it), the platform fee rate, and the split it was
     * distributed by (role shares in basis points, as applied) with the community's split agreement version
     * that produced it ({@code null} when a rule's own roles split it, or a community without agreements).
     */
    public record RuleAudit(OffsetDateTime postedAt, UUID transactionId, String communityId, String cashfreeOrderId, long grossPaise,
                            String ruleId, Integer ruleVersion, String scheduleName, OffsetDateTime ruleEffectiveFrom,
                            OffsetDateTime ruleEffectiveTo, String ruleVersionCreatedBy, Integer platformFeeBps,
                            Map<String, Integer> roleShares, Integer agreementVersion, long journalId) {}

    public record AuditPage(List<RuleAudit> lines, String next) {}

    public AuditPage ruleAudit(String communityId, Period period, String after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        long afterJournal = 0;
        if (after != null) {
            try {
                afterJournal = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("after is not a cursor of this report");
            }
        }
        String sql = """
                select t.created_at, t.transaction_id, t.community_id, t.cashfree_order_id, t.gross_amount_paise, t.rule_id,
                       t.rule_version, t.schedule_name, v.effective_from, v.effective_to, v.created_by, pr.fee_bps,
                       (select string_agg(distinct d.role_name || '=' || d.share_bps, ',') from revenue_distribution d
                         where d.transaction_id = t.transaction_id), t.journal_id, psa.agreement_version
                  from revenue_transaction t
                  left join commission_rule_version v on v.rule_id = t.rule_id and v.version = t.rule_version
                  left join platform_revenue pr on pr.transaction_id = t.transaction_id
                  left join payment_split_agreement psa on psa.payment_id = t.idempotency_key
                 where t.created_at >= cast(? as timestamptz) and t.created_at < cast(? as timestamptz) and t.journal_id > ?
                """ + (communityId == null ? "" : " and t.community_id = ?") + " order by t.journal_id limit ?";
        Object[] binds = communityId == null
                ? new Object[] {period.startInstant().toString(), period.endInstant().toString(), afterJournal, limit + 1}
                : new Object[] {period.startInstant().toString(), period.endInstant().toString(), afterJournal, communityId, limit + 1};
        List<RuleAudit> rows = dsl.fetch(sql, binds).map(r -> new RuleAudit(r.get(0, OffsetDateTime.class), r.get(1, UUID.class),
                r.get(2, String.class), r.get(3, String.class), r.get(4, Long.class), r.get(5, String.class), r.get(6, Integer.class),
                r.get(7, String.class), r.get(8, OffsetDateTime.class), r.get(9, OffsetDateTime.class), r.get(10, String.class),
                r.get(11, Integer.class), roleShares(r.get(12, String.class)), r.get(14, Integer.class), r.get(13, Long.class)));
        boolean more = rows.size() > limit;
        List<RuleAudit> page = more ? rows.subList(0, limit) : rows;
        return new AuditPage(List.copyOf(page), more ? Long.toString(page.get(page.size() - 1).journalId()) : null);
    }

    /** A recipient's earnings in the period and where its money is now, with its payouts by status. */
    public record Recipient(String role, String userId, long sharesInPeriod, long earnedInPeriodPaise, long pendingPaise,
                            long availablePaise, long lockedPaise, long paidOutPaise, long receivablePaise, Map<String, Long> payoutsByStatus) {}

    public record RoleSummary(String role, long earnedInPeriodPaise, List<Recipient> recipients) {}

    public record Distributions(String communityId, Period period, long earnedInPeriodPaise, List<RoleSummary> roles) {}

    /** Seed 002's "distribution summaries by recipient type and entity" for one community. */
    public Distributions distributions(String communityId, Period period) {
        List<ShareAnalytics.RoleShare> split = new ShareAnalytics(dsl).split(communityId, period);
        Map<String, long[]> wallets = new LinkedHashMap<>();
        dsl.fetch("select role, user_id, pending_paise, available_paise, locked_paise, paid_out_paise, receivable_paise"
                        + " from member_wallet where community_id = ?", communityId)
                .forEach(r -> wallets.put(r.get(0, String.class) + "\u0000" + r.get(1, String.class), new long[] {r.get(2, Long.class),
                        r.get(3, Long.class), r.get(4, Long.class), r.get(5, Long.class), r.get(6, Long.class)}));
        Map<String, Map<String, Long>> payouts = new LinkedHashMap<>();
        dsl.fetch("select role, user_id, status, count(*) from payout where community_id = ? group by 1, 2, 3 order by 3", communityId)
                .forEach(r -> payouts.computeIfAbsent(r.get(0, String.class) + "\u0000" + r.get(1, String.class), k -> new LinkedHashMap<>())
                        .put(r.get(2, String.class), r.get(3, Long.class)));
        List<RoleSummary> roles = new ArrayList<>();
        long total = 0;
        for (ShareAnalytics.RoleShare role : split) {
            List<Recipient> recipients = new ArrayList<>();
            for (ShareAnalytics.MemberShare m : role.members()) {
                String key = role.role() + "\u0000" + m.userId();
                long[] w = wallets.getOrDefault(key, new long[5]);
                recipients.add(new Recipient(role.role(), m.userId(), m.shares(), m.amountPaise(), w[0], w[1], w[2], w[3], w[4],
                        payouts.getOrDefault(key, Map.of())));
            }
            roles.add(new RoleSummary(role.role(), role.amountPaise(), List.copyOf(recipients)));
            total = Math.addExact(total, role.amountPaise());
        }
        return new Distributions(communityId, period, total, List.copyOf(roles));
    }

    private static Map<String, Integer> roleShares(String agg) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (agg == null) return out;
        for (String part : agg.split(",")) {
            int eq = part.lastIndexOf('=');
            out.put(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)));
        }
        return out;
    }

    static long bps(long part, long whole) {
        return whole == 0 ? 0 : part * 10_000 / whole;
    }
}
