package com.commdesk.ledger.analytics;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Invariants of the analytics rollups (changelogs 070, 121), in the form {@link com.commdesk.ledger.LedgerInvariants}
 * runs: a name and a query returning (subject, detail) per violation. Each rollup is compared, per day
 * and key and column by column, with the same sums over its facts view, which derives them from the
 * raw rows (revenue transactions, reversal journals, refunds, distributions, postings). And what each
 * community owes its members by the rollups must equal its member wallets, which the ledger's own
 * checks tie to the postings: a rollup that drifts, or a new kind of journal that moves members'
 * money without the rollups knowing, is reported like any other broken invariant. The coarser levels
 * of changelog 121 (per day, source and rule platform-wide; per month and community) are re-derived
 * from the daily rollup, which the first check ties to the raw rows.
 */
public final class AnalyticsChecks {
    private AnalyticsChecks() {}

    /** Compares {@code rollup} with {@code facts} grouped by {@code keys}, on every one of {@code columns}. */
    static String rollupEqualsFacts(String rollup, String facts, List<String> keys, List<String> columns) {
        String k = String.join(", ", keys);
        String sums = columns.stream().map(c -> "sum(" + c + ") as " + c).collect(Collectors.joining(", "));
        String subject = keys.stream().map(c -> "coalesce(w." + c + ", r." + c + ")::text").collect(Collectors.joining(" || ' ' || "));
        String values = "concat_ws(',', " + columns.stream().map(c -> "%1$s." + c).collect(Collectors.joining(", ")) + ")";
        String tuple = "(" + columns.stream().map(c -> "%1$s." + c).collect(Collectors.joining(", ")) + ")";
        return "select " + subject + ", 'rollup (' || " + values.formatted("r") + " || ') vs raw rows (' || " + values.formatted("w")
                + " || ')' from (select " + k + ", " + sums + " from " + facts + " group by " + k + ") w full join (select " + k + ", "
                + sums + " from " + rollup + " group by " + k + ") r using (" + k + ") where " + tuple.formatted("w")
                + " is distinct from " + tuple.formatted("r");
    }

    public static final List<String[]> CHECKS = List.of(
            new String[] {"revenue rollup equals payments, reversals and refunds", rollupEqualsFacts("analytics_revenue_delta",
                    "analytics_revenue_facts", List.of("day", "community_id", "source_type", "rule_id", "rule_version"),
                    RevenueFigures.COLUMNS)},
            new String[] {"platform revenue rollup equals the communities' daily rollup", rollupEqualsFacts(
                    "analytics_platform_revenue_delta", "analytics_revenue_delta", List.of("day", "source_type", "rule_id", "rule_version"),
                    RevenueFigures.COLUMNS)},
            new String[] {"monthly community revenue rollup equals the daily rollup", rollupEqualsFacts("analytics_community_month_delta",
                    "(select date_trunc('month', day)::date as month, * from analytics_revenue_delta) daily", List.of("month", "community_id"),
                    RevenueFigures.COLUMNS)},
            new String[] {"share rollup equals distributions less reversed payments", rollupEqualsFacts("analytics_share_delta",
                    "analytics_share_facts", List.of("day", "community_id", "role", "user_id"), List.of("shares", "amount_paise"))},
            new String[] {"account rollup equals the platform accounts' postings", rollupEqualsFacts("analytics_account_delta",
                    "analytics_account_facts", List.of("day", "account_id"), List.of("debit_paise", "credit_paise", "postings"))},
            new String[] {"payout rollup equals payout postings", rollupEqualsFacts("analytics_payout_delta", "analytics_payout_facts",
                    List.of("day", "community_id"), List.of("paid", "paid_paise", "reversed", "reversed_paise"))},
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
