package com.commdesk.ledger.analytics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Gross, GST heads, Cashfree fee + GST, platform fee + GST, TCS, TDS, net and refunds for a period,
 * per community or platform-wide, read from the insert-only rollups: a community's from
 * {@code analytics_revenue_delta} (changelog 070), the platform's from {@code analytics_platform_revenue_delta}
 * and the top-communities ranking from {@code analytics_community_month_delta} (changelog 121). A month
 * costs at most one row per day and key however many payments it had, and the platform's month does
 * not grow with the number of communities.
 */
public final class RevenueAnalytics {
    private final DSLContext dsl;

    public RevenueAnalytics(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record Point(LocalDate bucket, RevenueFigures figures) {}

    public record SourceLine(String sourceType, RevenueFigures figures) {}

    public record CommunityLine(String communityId, String name, RevenueFigures figures) {}

    /** {@code communityId} null: the whole platform. */
    public RevenueFigures totals(String communityId, Period period) {
        var r = dsl.fetchSingle("select " + RevenueFigures.SUMS + " from " + rollup(communityId) + " where " + where(communityId),
                binds(communityId, period));
        return RevenueFigures.read(r, 0);
    }

    /** One point per day or month of the period, oldest first, empty buckets included as zero. */
    public List<Point> series(String communityId, Period period, Granularity granularity) {
        Map<LocalDate, RevenueFigures> found = new HashMap<>();
        dsl.fetch("select " + granularity.bucket("day") + " as bucket, " + RevenueFigures.SUMS + " from " + rollup(communityId)
                        + " where " + where(communityId) + " group by 1", binds(communityId, period))
                .forEach(r -> found.put(r.get(0, LocalDate.class), RevenueFigures.read(r, 1)));
        List<Point> out = new ArrayList<>();
        for (LocalDate b : buckets(period, granularity)) out.add(new Point(b, found.getOrDefault(b, RevenueFigures.ZERO)));
        return out;
    }

    /** Per revenue source (EVENT, SPONSORSHIP, …), largest gross first. */
    public List<SourceLine> bySource(String communityId, Period period) {
        return dsl.fetch("select source_type, " + RevenueFigures.SUMS + " from " + rollup(communityId) + " where " + where(communityId)
                        + " group by source_type order by 4 desc, source_type", binds(communityId, period))
                .map(r -> new SourceLine(r.get(0, String.class), RevenueFigures.read(r, 1)));
    }

    /** The communities that earned the most gross in the period (ties by id), with their names. */
    public List<CommunityLine> topCommunities(Period period, int limit) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be 1..1000");
        Object[] binds = Arrays.copyOf(communityRowsBinds(period), 7);
        binds[6] = limit;
        return dsl.fetch("select t.*, c.name from (select community_id, " + RevenueFigures.SUMS + " from (" + COMMUNITY_ROWS
                        + ") x group by community_id order by 4 desc, community_id limit ?) t join community c using (community_id)"
                        + " order by 4 desc, community_id", binds)
                .map(r -> new CommunityLine(r.get(0, String.class), r.get("name", String.class), RevenueFigures.read(r, 1)));
    }

    public record RuleLine(String ruleId, Integer ruleVersion, RevenueFigures figures) {}

    /** Per commission rule version that priced payments in the period (rule null: the default preset). */
    public List<RuleLine> byRule(String communityId, Period period) {
        return dsl.fetch("select rule_id, rule_version, " + RevenueFigures.SUMS + " from " + rollup(communityId) + " where "
                        + where(communityId) + " group by rule_id, rule_version order by rule_id, rule_version",
                        binds(communityId, period))
                .map(r -> {
                    String id = r.get(0, String.class);
                    return new RuleLine(id.isEmpty() ? null : id, id.isEmpty() ? null : r.get(1, Integer.class), RevenueFigures.read(r, 2));
                });
    }

    /** Totals, the series, by source and (platform-wide) the top communities of a period, from one scan of the rollup. */
    public record Overview(RevenueFigures totals, List<Point> series, List<SourceLine> bySource, List<CommunityLine> topCommunities) {}

    /**
     * Everything a month view shows: totals, series and by source in one pass over the period's rows of
     * the community's (or the platform's) rollup ({@code GROUPING SETS}), the query a dashboard page waits
     * for. Platform-wide, {@code top} communities are ranked by gross (ties by id) from the monthly
     * level ({@link #COMMUNITY_ROWS}); 0 skips them (a community's own view).
     */
    public Overview overview(String communityId, Period period, Granularity granularity, int top) {
        if (top < 0 || top > 1000) throw new IllegalArgumentException("top must be 0..1000");
        boolean ranked = top > 0 && communityId == null;
        RevenueFigures totals = RevenueFigures.ZERO;
        Map<LocalDate, RevenueFigures> days = new HashMap<>();
        List<SourceLine> sources = new ArrayList<>();
        // grouping() bits: bucket 2, source 1 (set when that column is summed over)
        for (var r : dsl.fetch("select grouping(bucket, source_type), bucket, source_type, " + RevenueFigures.SUMS + " from (select "
                + granularity.bucket("day") + " as bucket, * from " + rollup(communityId) + " where " + where(communityId)
                + ") d group by grouping sets ((), (bucket), (source_type))", binds(communityId, period))) {
            RevenueFigures f = RevenueFigures.read(r, 3);
            switch (r.get(0, Integer.class)) {
                case 3 -> totals = f;                                               // ()
                case 1 -> days.put(r.get(1, LocalDate.class), f);                   // (bucket)
                case 2 -> sources.add(new SourceLine(r.get(2, String.class), f));   // (source_type)
                default -> throw new IllegalStateException("unexpected grouping " + r.get(0));
            }
        }
        List<Point> series = new ArrayList<>();
        for (LocalDate b : buckets(period, granularity)) series.add(new Point(b, days.getOrDefault(b, RevenueFigures.ZERO)));
        sources.sort(java.util.Comparator.comparingLong((SourceLine l) -> -l.figures().grossPaise()).thenComparing(SourceLine::sourceType));
        List<CommunityLine> communities = new ArrayList<>();
        if (ranked) {
            dsl.fetch("select community_id, " + RevenueFigures.SUMS + " from (" + COMMUNITY_ROWS + ") x group by community_id",
                            communityRowsBinds(period))
                    .forEach(r -> communities.add(new CommunityLine(r.get(0, String.class), null, RevenueFigures.read(r, 1))));
        }
        communities.sort(java.util.Comparator.comparingLong((CommunityLine l) -> -l.figures().grossPaise())
                .thenComparing(CommunityLine::communityId));
        List<CommunityLine> best = communities.subList(0, Math.min(top, communities.size()));
        Map<String, String> names = new HashMap<>();
        if (!best.isEmpty()) {
            dsl.fetch("select community_id, name from community where community_id = any(?)",
                            (Object) best.stream().map(CommunityLine::communityId).toArray(String[]::new))
                    .forEach(r -> names.put(r.get(0, String.class), r.get(1, String.class)));
        }
        List<CommunityLine> named = best.stream().map(l -> new CommunityLine(l.communityId(), names.get(l.communityId()), l.figures())).toList();
        return new Overview(totals, series, List.copyOf(sources), named);
    }

    /** The rollup a read sums: a community's daily rows, or (null) the platform's, one row per day, source and rule. */
    public static String rollup(String communityId) {
        return communityId == null ? "analytics_platform_revenue_delta" : "analytics_revenue_delta";
    }

    /**
     * Every community's revenue rows of a period, for ranking: the whole months inside it from the monthly
     * level (one row per community and month), the days before the first and after the last whole month
     * from the daily level. Binds: {@link #communityRowsBinds}.
     */
    static final String COMMUNITY_ROWS = "select community_id, " + String.join(", ", RevenueFigures.COLUMNS)
            + " from analytics_revenue_delta where day >= ? and day < ?"
            + " union all select community_id, " + String.join(", ", RevenueFigures.COLUMNS)
            + " from analytics_community_month_delta where month >= ? and month < ?"
            + " union all select community_id, " + String.join(", ", RevenueFigures.COLUMNS)
            + " from analytics_revenue_delta where day >= ? and day < ?";

    /** [from, a) by day, [a, b) by month, [b, to] by day; a = b = the day after {@code to} when no whole month fits. */
    static Object[] communityRowsBinds(Period period) {
        LocalDate after = period.to().plusDays(1);
        LocalDate a = period.from().getDayOfMonth() == 1 ? period.from() : period.from().withDayOfMonth(1).plusMonths(1);
        LocalDate b = after.withDayOfMonth(1);
        if (!a.isBefore(b)) a = b = after;
        return new Object[] {period.from(), a, a, b, b, after};
    }

    static String where(String communityId) {
        return communityId == null ? "day between ? and ?" : "community_id = ? and day between ? and ?";
    }

    static Object[] binds(String communityId, Period period) {
        return communityId == null ? new Object[] {period.from(), period.to()}
                : new Object[] {communityId, period.from(), period.to()};
    }

    /** The first day of every bucket of the period. */
    static List<LocalDate> buckets(Period period, Granularity granularity) {
        List<LocalDate> out = new ArrayList<>();
        if (granularity == Granularity.DAY) {
            for (LocalDate d = period.from(); !d.isAfter(period.to()); d = d.plusDays(1)) out.add(d);
        } else {
            for (LocalDate d = period.from().withDayOfMonth(1); !d.isAfter(period.to()); d = d.plusMonths(1)) out.add(d);
        }
        return out;
    }
}
