package com.commdesk.ledger.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.FeeSchedules;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.bench.BulkLedger;
import com.commdesk.ledger.testing.TestDatabases;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Analytics queries against expectations computed by hand from the spec's worked examples
 * (seed 000, at the spec's rupee-floor schedule: docs/fees.md). Example 1: ₹10,000 event payment →
 * GST ₹1,800, Cashfree ₹164 + ₹29 GST, platform fee ₹800, net ₹7,207. Example 2: ₹50,000 sponsorship
 * → GST ₹9,000, Cashfree ₹820 + ₹147, platform fee (12 %) ₹4,803, net ₹35,230.
 *
 * <p>Seeded with chosen timestamps: community a: Example 1 twice on 5 October 2026, once at
 * 23:59:59 IST on 31 October and once at 00:00:00 IST on 1 November (the month boundary is India's
 * midnight, not UTC's); community b: Example 2 on 15 November.
 */
class SeededAnalyticsTest {
    static final long EX1_GROSS = 1_000_000, EX1_GST = 180_000, EX1_FEE = 16_400, EX1_FEE_GST = 2_900, EX1_PLATFORM = 80_000,
            EX1_NET = 720_700;
    static final long EX2_GROSS = 5_000_000, EX2_GST = 900_000, EX2_FEE = 82_000, EX2_FEE_GST = 14_700, EX2_PLATFORM = 480_300,
            EX2_NET = 3_523_000;
    static final Period OCTOBER = Period.of(YearMonth.of(2026, 10));
    static final Period NOVEMBER = Period.of(YearMonth.of(2026, 11));

    LedgerDatabase db;
    DSLContext dsl;

    @BeforeEach
    void seed() throws Exception {
        db = TestDatabases.fresh();
        dsl = db.dsl();
        BulkLedger bulk = new BulkLedger(db.dataSource(), FeeSchedules.seedExamples(),
                List.of(new BulkLedger.Shape(EX1_GROSS, "EVENT", "CARD"), new BulkLedger.Shape(EX2_GROSS, "SPONSOR", "CARD")));
        bulk.createCommunities("c", 2);
        bulk.write(List.of(
                new BulkLedger.Payment("a1", "c-0", 0, BulkLedger.at(LocalDate.of(2026, 10, 5), 3_600)),
                new BulkLedger.Payment("a2", "c-0", 0, BulkLedger.at(LocalDate.of(2026, 10, 5), 80_000)),
                new BulkLedger.Payment("a3", "c-0", 0, BulkLedger.at(LocalDate.of(2026, 10, 31), 86_399))));
        bulk.write(List.of(
                new BulkLedger.Payment("a4", "c-0", 0, BulkLedger.at(LocalDate.of(2026, 11, 1), 0)),
                new BulkLedger.Payment("b1", "c-1", 1, BulkLedger.at(LocalDate.of(2026, 11, 15), 43_200))));
    }

    @AfterEach
    void booksAndRollupsAreWhole() throws Exception {
        assertThat(new LedgerInvariants(dsl).check().violations()).isEmpty();
        db.close();
    }

    @Test
    void octoberOfCommunityAByDay() {
        RevenueAnalytics revenue = new RevenueAnalytics(dsl);
        RevenueFigures oct = revenue.totals("c-0", OCTOBER);
        assertThat(oct.payments()).isEqualTo(3);
        assertThat(oct.grossPaise()).isEqualTo(3 * EX1_GROSS);
        assertThat(oct.gstPaise()).isEqualTo(3 * EX1_GST);
        assertThat(oct.gstCgstPaise()).isEqualTo(3 * EX1_GST / 2);
        assertThat(oct.gstSgstPaise()).isEqualTo(3 * EX1_GST / 2);
        assertThat(oct.gatewayFeePaise()).isEqualTo(3 * EX1_FEE);
        assertThat(oct.gatewayGstPaise()).isEqualTo(3 * EX1_FEE_GST);
        assertThat(oct.platformFeePaise()).isEqualTo(3 * EX1_PLATFORM);
        assertThat(oct.netPaise()).isEqualTo(3 * EX1_NET);
        List<RevenueAnalytics.Point> days = revenue.series("c-0", OCTOBER, Granularity.DAY);
        assertThat(days).hasSize(31);
        assertThat(days.get(4).bucket()).isEqualTo(LocalDate.of(2026, 10, 5));
        assertThat(days.get(4).figures().grossPaise()).isEqualTo(2 * EX1_GROSS);
        assertThat(days.get(30).figures().grossPaise()).as("23:59:59 IST on the 31st").isEqualTo(EX1_GROSS);
        assertThat(days.stream().mapToLong(p -> p.figures().grossPaise()).sum()).isEqualTo(3 * EX1_GROSS);
    }

    @Test
    void platformByMonthTopCommunitiesAndSources() {
        RevenueAnalytics revenue = new RevenueAnalytics(dsl);
        Period autumn = new Period(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 30));
        List<RevenueAnalytics.Point> months = revenue.series(null, autumn, Granularity.MONTH);
        assertThat(months).extracting(RevenueAnalytics.Point::bucket).containsExactly(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1));
        assertThat(months.get(0).figures().grossPaise()).isEqualTo(3 * EX1_GROSS);
        assertThat(months.get(1).figures().grossPaise()).as("midnight IST on 1 November is November").isEqualTo(EX1_GROSS + EX2_GROSS);
        assertThat(months.get(1).figures().netPaise()).isEqualTo(EX1_NET + EX2_NET);
        assertThat(revenue.topCommunities(NOVEMBER, 10)).extracting(RevenueAnalytics.CommunityLine::communityId).containsExactly("c-1", "c-0");
        assertThat(revenue.topCommunities(NOVEMBER, 1)).singleElement().satisfies(l -> {
            assertThat(l.name()).isEqualTo("Community 1");
            assertThat(l.figures().platformFeePaise()).isEqualTo(EX2_PLATFORM);
        });
        assertThat(revenue.bySource(null, autumn)).extracting(RevenueAnalytics.SourceLine::sourceType).containsExactly("SPONSOR", "EVENT");
        assertThat(revenue.bySource(null, autumn).get(1).figures().grossPaise()).isEqualTo(4 * EX1_GROSS);
        assertThat(revenue.byRule(null, autumn)).singleElement().satisfies(r -> assertThat(r.ruleId()).isNull());
    }

    @Test
    void seed002ReportsOverTheSeededMonths() {
        // Commission = platform fee without its GST (INCLUDED in the spec's schedule).
        long ex1Commission = dsl.fetchSingle("select platform_fee_paise - platform_fee_gst_paise from revenue_transaction"
                + " where idempotency_key = 'a1'").get(0, Long.class);
        long ex2Commission = dsl.fetchSingle("select platform_fee_paise - platform_fee_gst_paise from revenue_transaction"
                + " where idempotency_key = 'b1'").get(0, Long.class);
        var report = new com.commdesk.ledger.analytics.reports.CommissionProjections(dsl).project(null, YearMonth.of(2026, 12), 2, 2);
        assertThat(report.totalHistory()).extracting(m -> m.commissionPaise()).containsExactly(3 * ex1Commission, ex1Commission + ex2Commission);
        // two points: the line through them, continued: Dec = Nov + (Nov − Oct), Jan = Nov + 2·(Nov − Oct), never below zero
        long oct = 3 * ex1Commission, nov = ex1Commission + ex2Commission;
        assertThat(report.totalProjection()).extracting(m -> m.commissionPaise())
                .containsExactly(Math.max(0, nov + (nov - oct)), Math.max(0, nov + 2 * (nov - oct)));
        assertThat(report.sources()).extracting(s -> s.sourceType()).containsExactly("EVENT", "SPONSOR");
        assertThat(report.method()).contains("Least-squares");

        var reports = new com.commdesk.ledger.analytics.reports.OperationalReports(dsl);
        var rules = reports.ruleEffectiveness(NOVEMBER);
        assertThat(rules).singleElement().satisfies(r -> {
            assertThat(r.ruleId()).isNull();
            assertThat(r.payments()).isEqualTo(2);
            assertThat(r.coverageBps()).isEqualTo(10_000);
            assertThat(r.settled()).isZero();
        });
        // a1 was split by c-0's agreement version 2 (recorded as calculateFees records it); a2 by no agreement.
        dsl.execute("insert into split_agreement (community_id, version, effective_from, roles, created_by)"
                + " values ('c-0', 2, '2026-10-01T00:00:00Z', '[]'::jsonb, 'owner-c0') on conflict do nothing");
        dsl.execute("insert into payment_split_agreement (payment_id, community_id, agreement_version) values ('a1', 'c-0', 2)"
                + " on conflict do nothing");
        var audit = reports.ruleAudit("c-0", new Period(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 30)), null, 3);
        assertThat(audit.lines()).hasSize(3);
        assertThat(audit.lines()).extracting(l -> l.agreementVersion()).containsExactly(2, null, null);
        assertThat(audit.next()).isNotNull();
        assertThat(audit.lines().get(0).roleShares()).containsEntry("owner", 5000).containsEntry("admins", 2000);
        assertThat(audit.lines().get(0).scheduleName()).isEqualTo("seed-examples");
        var rest = reports.ruleAudit("c-0", new Period(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 30)), audit.next(), 3);
        assertThat(rest.lines()).hasSize(1);
        assertThat(rest.next()).isNull();
        var distributions = reports.distributions("c-0", OCTOBER);
        assertThat(distributions.earnedInPeriodPaise()).isEqualTo(3 * EX1_NET);
        assertThat(distributions.roles().get(0).recipients()).hasSize(3);
    }

    @Test
    void theOnePassOverviewEqualsTheSeparateQueries() {
        RevenueAnalytics revenue = new RevenueAnalytics(dsl);
        Period autumn = new Period(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 30));
        for (Granularity g : Granularity.values()) {
            RevenueAnalytics.Overview platform = revenue.overview(null, autumn, g, 10);
            assertThat(platform.totals()).isEqualTo(revenue.totals(null, autumn));
            assertThat(platform.series()).isEqualTo(revenue.series(null, autumn, g));
            assertThat(platform.bySource()).isEqualTo(revenue.bySource(null, autumn));
            assertThat(platform.topCommunities()).isEqualTo(revenue.topCommunities(autumn, 10));
            RevenueAnalytics.Overview community = revenue.overview("c-0", autumn, g, 0);
            assertThat(community.totals()).isEqualTo(revenue.totals("c-0", autumn));
            assertThat(community.series()).isEqualTo(revenue.series("c-0", autumn, g));
            assertThat(community.bySource()).isEqualTo(revenue.bySource("c-0", autumn));
            assertThat(community.topCommunities()).isEmpty();
        }
        assertThat(revenue.overview(null, NOVEMBER, Granularity.DAY, 1).topCommunities()).extracting(RevenueAnalytics.CommunityLine::communityId)
                .containsExactly("c-1");
    }

    @Test
    void theRegisterAddsUpToTheFigures() {
        Registers registers = new Registers(dsl);
        Registers.Page first = registers.transactions(null, NOVEMBER, null, 1);
        assertThat(first.lines()).hasSize(1);
        Registers.Page second = registers.transactions(null, NOVEMBER, first.next(), 10);
        assertThat(second.lines()).hasSize(1);
        assertThat(second.next()).isNull();
        assertThat(first.lines().get(0).grossPaise() + second.lines().get(0).grossPaise()).isEqualTo(EX1_GROSS + EX2_GROSS);
        assertThat(registers.transactions("c-1", NOVEMBER, null, 10).lines()).extracting(Registers.Line::cashfreeOrderId)
                .containsExactly("order-b1");
    }

    @Test
    void platformAccountsAndStatements() {
        PlatformAccounts accounts = new PlatformAccounts(dsl);
        PlatformAccounts.PlatformFigures nov = accounts.totals(NOVEMBER);
        assertThat(nov.gstOnSalesPaise()).isEqualTo(EX1_GST + EX2_GST);
        assertThat(nov.gatewayChargesPaise()).isEqualTo(EX1_FEE + EX2_FEE);
        assertThat(nov.gatewayGstInputCreditPaise()).isEqualTo(EX1_FEE_GST + EX2_FEE_GST);
        assertThat(nov.gatewayFeeRecoveredPaise()).isEqualTo(EX1_FEE + EX1_FEE_GST + EX2_FEE + EX2_FEE_GST);
        assertThat(nov.platformFeeIncomePaise() + nov.platformGstPaise()).as("the fee includes its GST").isEqualTo(EX1_PLATFORM + EX2_PLATFORM);
        assertThat(nov.payoutVolumePaise()).isZero();
        assertThat(accounts.series(OCTOBER, Granularity.DAY).get(4).figures().gstOnSalesPaise()).isEqualTo(2 * EX1_GST);

        // cashfree_clearing: what Cashfree owes, gross less its fee and GST, month after month
        PlatformAccounts.AccountMovement clearing = accounts.movements(NOVEMBER).stream()
                .filter(m -> m.code().equals("cashfree_clearing")).findFirst().orElseThrow();
        long octClearing = 3 * (EX1_GROSS - EX1_FEE - EX1_FEE_GST);
        assertThat(clearing.openingPaise()).isEqualTo(octClearing);
        assertThat(clearing.debitsPaise()).isEqualTo(EX1_GROSS + EX2_GROSS);
        assertThat(clearing.creditsPaise()).isEqualTo(EX1_FEE + EX1_FEE_GST + EX2_FEE + EX2_FEE_GST);
        assertThat(clearing.closingPaise()).isEqualTo(octClearing + EX1_GROSS - EX1_FEE - EX1_FEE_GST + EX2_GROSS - EX2_FEE - EX2_FEE_GST);

        MonthlyStatements statements = new MonthlyStatements(dsl);
        MonthlyStatements.CommunityStatement octA = statements.community("c-0", YearMonth.of(2026, 10)).orElseThrow();
        assertThat(octA.openingOwedPaise()).isZero();
        assertThat(octA.closingOwedPaise()).isEqualTo(3 * EX1_NET);
        assertThat(octA.shares().stream().mapToLong(ShareAnalytics.RoleShare::amountPaise).sum()).isEqualTo(3 * EX1_NET);
        MonthlyStatements.CommunityStatement novA = statements.community("c-0", YearMonth.of(2026, 11)).orElseThrow();
        assertThat(novA.openingOwedPaise()).isEqualTo(3 * EX1_NET);
        assertThat(novA.closingOwedPaise()).isEqualTo(4 * EX1_NET);
        assertThat(statements.community("nobody", YearMonth.of(2026, 11))).isEmpty();
        MonthlyStatements.PlatformStatement platform = statements.platform(YearMonth.of(2026, 11), 5);
        assertThat(platform.figures().grossPaise()).isEqualTo(EX1_GROSS + EX2_GROSS);
        assertThat(platform.accounts()).extracting(PlatformAccounts.AccountMovement::code).contains("cashfree_clearing", "tcs_payable");
        long debits = platform.accounts().stream().mapToLong(PlatformAccounts.AccountMovement::debitsPaise).sum();
        assertThat(debits).as("November's debits on platform accounts: clearing, gateway fee, input GST")
                .isEqualTo(EX1_GROSS + EX2_GROSS + EX1_FEE + EX1_FEE_GST + EX2_FEE + EX2_FEE_GST);
    }
}
