package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.analytics.Granularity;
import com.commdesk.ledger.analytics.Period;
import com.commdesk.ledger.analytics.RevenueAnalytics;
import com.commdesk.ledger.analytics.RevenueFigures;
import com.commdesk.ledger.analytics.RollupCompactor;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The coarser rollup levels of changelog 121: the platform's rows per day, source and rule, and the
 * monthly rows per community that rank the top communities. Written by the ledger's own statement-level
 * triggers (through a trigger on the daily rollup), merged by compaction without counting twice, read
 * by every platform-wide view, and re-derived by the invariant checker (which the fixture runs after
 * every test, so every test here also proves the levels equal the daily rollup).
 */
class AnalyticsLevelsTest extends LedgerFixture {

    private static Period today() {
        return Period.day(Period.todayInIndia());
    }

    @Test
    void everyPaymentStatementAlsoWritesThePlatformAndMonthlyLevels() {
        pay("lv-1", 1_000_000L);
        pay("lv-2", 250_000L);
        payments.reversePayment("lv-2", "compensated");
        refunds.postRefund(refund("rf-lv-1", pay("lv-3", 500_000L), 100_000L));

        RevenueFigures community = new RevenueAnalytics(dsl).totals("demo-community", today());
        assertThat(community.payments()).isEqualTo(2);
        assertThat(community.reversals()).isEqualTo(1);
        assertThat(community.refunds()).isEqualTo(1);
        // one community: the platform's figures are its figures, read from the platform level
        assertThat(num("select count(*) from analytics_platform_revenue_delta")).as("platform rows written by the triggers").isPositive();
        assertThat(num("select count(*) from analytics_community_month_delta")).as("monthly rows written by the triggers").isPositive();
        assertThat(new RevenueAnalytics(dsl).totals(null, today())).isEqualTo(community);
        assertThat(new RevenueAnalytics(dsl).overview(null, today(), Granularity.DAY, 10).totals()).isEqualTo(community);
        assertThat(num("select sum(gross_paise) from analytics_community_month_delta where community_id = 'demo-community'"))
                .isEqualTo(community.grossPaise());
    }

    @Test
    void compactionMergesTheNewLevelsWithoutCountingTwice() {
        for (int i = 0; i < 5; i++) pay("cp-" + i, 100_000L + i);
        RevenueFigures before = new RevenueAnalytics(dsl).totals(null, today());
        long monthBefore = num("select sum(gross_paise) from analytics_community_month_delta");
        assertThat(num("select count(*) from analytics_platform_revenue_delta")).as("one delta per payment statement").isGreaterThan(1);

        assertThat(new RollupCompactor(dsl).compact()).isPositive();

        // the merged daily rows are inserted by compaction, not by a ledger trigger: they must not be rolled up again
        assertThat(num("select count(*) from analytics_platform_revenue_delta")).isEqualTo(1);
        assertThat(num("select count(*) from analytics_community_month_delta")).isEqualTo(1);
        assertThat(new RevenueAnalytics(dsl).totals(null, today())).isEqualTo(before);
        assertThat(num("select sum(gross_paise) from analytics_community_month_delta")).isEqualTo(monthBefore);
        assertThat(before.payments()).isEqualTo(5);
    }

    @Test
    void rankingFromMonthlyRowsEqualsRankingFromDailyRowsForAnyPeriod() throws Exception {
        // Days of three communities over four months of 2025 (the ledger cannot backdate a payment, so the owner writes
        // daily rows by hand, and the monthly level from them as the trigger does); b leads in February, a overall.
        asOwner("""
                insert into analytics_revenue_delta (day, community_id, source_type, rule_id, rule_version, payments, gross_paise, net_paise)
                select d, c, 'EVENT', '', 0, 1,
                       case c when 'rank-a' then 1000 when 'rank-b' then (case when extract(month from d) = 2 then 5000 else 100 end)
                              else 10 * extract(day from d)::bigint end,
                       0
                  from generate_series(date '2025-01-01', date '2025-04-30', interval '1 day') d,
                       unnest(array['rank-a', 'rank-b', 'rank-c']) c
                """);
        asOwner("""
                insert into analytics_community_month_delta (month, community_id, payments, gross_paise, net_paise)
                select date_trunc('month', day)::date, community_id, sum(payments), sum(gross_paise), sum(net_paise)
                  from analytics_revenue_delta where community_id like 'rank-%' group by 1, 2
                """);
        try {
            RevenueAnalytics revenue = new RevenueAnalytics(dsl);
            for (Period p : List.of(
                    new Period(LocalDate.parse("2025-01-15"), LocalDate.parse("2025-03-10")),  // part, whole, part
                    new Period(LocalDate.parse("2025-02-01"), LocalDate.parse("2025-02-28")),  // one whole month
                    new Period(LocalDate.parse("2025-02-03"), LocalDate.parse("2025-02-20")),  // inside one month
                    new Period(LocalDate.parse("2025-01-01"), LocalDate.parse("2025-02-14")),  // whole then part
                    new Period(LocalDate.parse("2025-02-10"), LocalDate.parse("2025-04-30")),  // part then whole
                    new Period(LocalDate.parse("2024-12-20"), LocalDate.parse("2025-01-05")),  // across a year, no whole month
                    new Period(LocalDate.parse("2024-12-01"), LocalDate.parse("2025-05-31")))) {
                List<RevenueAnalytics.CommunityLine> ranked = revenue.overview(null, p, Granularity.MONTH, 1000).topCommunities();
                List<String> expected = dsl.fetch("select community_id from analytics_revenue_delta where community_id like 'rank-%'"
                                + " and day between ? and ? group by community_id order by sum(gross_paise) desc, community_id",
                                p.from(), p.to()).map(r -> r.get(0, String.class));
                assertThat(ranked).as("ranking of %s", p).extracting(RevenueAnalytics.CommunityLine::communityId)
                        .containsExactlyElementsOf(expected);
                for (RevenueAnalytics.CommunityLine line : ranked) {
                    assertThat(line.figures().grossPaise()).as("%s in %s", line.communityId(), p).isEqualTo(num(
                            "select sum(gross_paise) from analytics_revenue_delta where community_id = ? and day between ? and ?",
                            line.communityId(), p.from(), p.to()));
                    assertThat(line.figures().payments()).isEqualTo(p.to().toEpochDay() - p.from().toEpochDay() + 1
                            - Math.max(0, LocalDate.parse("2025-01-01").toEpochDay() - p.from().toEpochDay())
                            - Math.max(0, p.to().toEpochDay() - LocalDate.parse("2025-04-30").toEpochDay()));
                }
            }
            assertThat(revenue.overview(null, new Period(LocalDate.parse("2025-02-01"), LocalDate.parse("2025-02-28")), Granularity.DAY, 1)
                    .topCommunities()).extracting(RevenueAnalytics.CommunityLine::communityId).containsExactly("rank-b");
        } finally {
            asOwner("delete from analytics_revenue_delta where community_id like 'rank-%'");
            asOwner("delete from analytics_community_month_delta where community_id like 'rank-%'");
        }
    }

    @Test
    void aTamperedPlatformOrMonthlyRowIsReported() throws Exception {
        pay("tamper-1");
        assertThat(new LedgerInvariants(dsl).check().holds()).isTrue();

        asOwner("update analytics_platform_revenue_delta set gross_paise = gross_paise + 1");
        assertThat(new LedgerInvariants(dsl).check().violations()).extracting(LedgerInvariants.Violation::invariant)
                .containsExactly("platform revenue rollup equals the communities' daily rollup");
        asOwner("update analytics_platform_revenue_delta set gross_paise = gross_paise - 1");

        asOwner("update analytics_community_month_delta set tds_paise = tds_paise - 7");
        assertThat(new LedgerInvariants(dsl).check().violations()).extracting(LedgerInvariants.Violation::invariant)
                .containsExactly("monthly community revenue rollup equals the daily rollup");
        asOwner("update analytics_community_month_delta set tds_paise = tds_paise + 7");

        // a daily row the platform level never saw (written outside the ledger's triggers) breaks both the daily and the platform check
        asOwner("insert into analytics_revenue_delta (day, community_id, source_type, rule_id, rule_version, gross_paise)"
                + " values (current_date, 'demo-community', 'EVENT', '', 0, 1)");
        assertThat(new LedgerInvariants(dsl).check().violations()).extracting(LedgerInvariants.Violation::invariant)
                .contains("revenue rollup equals payments, reversals and refunds",
                        "platform revenue rollup equals the communities' daily rollup",
                        "monthly community revenue rollup equals the daily rollup");
        asOwner("delete from analytics_revenue_delta where gross_paise = 1 and payments = 0");
        assertThat(new LedgerInvariants(dsl).check().holds()).isTrue();
    }
}
