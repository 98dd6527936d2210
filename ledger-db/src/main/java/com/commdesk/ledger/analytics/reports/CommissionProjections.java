package com.commdesk.ledger.analytics.reports;

import com.commdesk.ledger.analytics.Period;
import com.commdesk.ledger.analytics.RevenueAnalytics;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jooq.DSLContext;

/**
 * Seed 002's "commission income projections by supplier and period": CommDesk's commission (the
 * platform fee without its GST, on payments posted less reversed, from the revenue rollup) per
 * revenue source and month for the last {@code months} complete months, and the next {@code ahead}
 * months projected by {@link Trend} (least squares, exact integer arithmetic). Refunds are not
 * deducted from the history; {@link #METHOD} says so in every answer.
 */
public final class CommissionProjections {
    public static final String METHOD = "Least-squares straight line through the monthly commission (platform fee excluding"
            + " its GST, payments posted less reversed, refunds not deducted) of the last complete months, per revenue source;"
            + " computed with exact integer fractions, rounded half up to the paisa, never below zero.";

    private final DSLContext dsl;

    public CommissionProjections(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record MonthValue(YearMonth month, long commissionPaise) {}

    public record SourceProjection(String sourceType, List<MonthValue> history, List<MonthValue> projection, long slopePaisePerMonth) {}

    public record Report(String communityId, YearMonth asOf, String method, List<SourceProjection> sources, List<MonthValue> totalHistory,
                         List<MonthValue> totalProjection) {}

    /** {@code communityId} null: the platform. History ends with the month before {@code asOf}. */
    public Report project(String communityId, YearMonth asOf, int months, int ahead) {
        if (months < 1 || months > 24 || ahead < 1 || ahead > 12) throw new IllegalArgumentException("months 1..24, ahead 1..12");
        YearMonth first = asOf.minusMonths(months);
        Period history = new Period(first.atDay(1), asOf.minusMonths(1).atEndOfMonth());
        Map<String, long[]> bySource = new LinkedHashMap<>();
        TreeSet<String> sources = new TreeSet<>();
        dsl.fetch("select source_type, date_trunc('month', day)::date, coalesce(sum(platform_income_paise), 0)::bigint"
                        + " from " + RevenueAnalytics.rollup(communityId) + " where " + (communityId == null ? "" : "community_id = ? and ")
                        + "day between ? and ? group by 1, 2",
                        communityId == null ? new Object[] {history.from(), history.to()}
                                : new Object[] {communityId, history.from(), history.to()})
                .forEach(r -> {
                    String source = r.get(0, String.class);
                    sources.add(source);
                    YearMonth m = YearMonth.from(r.get(1, LocalDate.class));
                    int index = (int) (m.getYear() * 12L + m.getMonthValue() - (first.getYear() * 12L + first.getMonthValue()));
                    bySource.computeIfAbsent(source, k -> new long[months])[index] = r.get(2, Long.class);
                });
        List<SourceProjection> out = new ArrayList<>();
        long[] total = new long[months];
        for (String source : sources) {
            long[] values = bySource.get(source);
            for (int i = 0; i < months; i++) total[i] = Math.addExact(total[i], values[i]);
            Trend t = Trend.through(values);
            out.add(new SourceProjection(source, values(first, values), projected(asOf, t, months, ahead), t.slopePerMonth()));
        }
        Trend all = Trend.through(total);
        return new Report(communityId, asOf, METHOD, List.copyOf(out), values(first, total), projected(asOf, all, months, ahead));
    }

    private static List<MonthValue> values(YearMonth first, long[] values) {
        List<MonthValue> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) out.add(new MonthValue(first.plusMonths(i), values[i]));
        return out;
    }

    private static List<MonthValue> projected(YearMonth asOf, Trend t, int months, int ahead) {
        List<MonthValue> out = new ArrayList<>();
        // x = months is asOf itself (the month after the last complete one)
        for (int k = 0; k < ahead; k++) out.add(new MonthValue(asOf.plusMonths(k), t.at(months + k)));
        return out;
    }
}
