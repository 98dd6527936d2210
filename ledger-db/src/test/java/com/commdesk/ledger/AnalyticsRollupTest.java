package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.ledger.WalletMovements.Movement;
import com.commdesk.ledger.analytics.Granularity;
import com.commdesk.ledger.analytics.MemberWallets;
import com.commdesk.ledger.analytics.MonthlyStatements;
import com.commdesk.ledger.analytics.PayoutAnalytics;
import com.commdesk.ledger.analytics.Period;
import com.commdesk.ledger.analytics.PlatformAccounts;
import com.commdesk.ledger.analytics.RevenueAnalytics;
import com.commdesk.ledger.analytics.RevenueFigures;
import com.commdesk.ledger.analytics.RollupCompactor;
import com.commdesk.ledger.analytics.ShareAnalytics;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The analytics rollups (changelog 070) after a mixed workload through the real ledger code: payments,
 * a reversal, partial and full refunds, a chargeback, hold releases, payouts paid, failed and reversed,
 * compaction in between. Every figure is checked against sums computed by hand from the breakdowns, and
 * the invariant checker (run after every test by the fixture) re-derives every rollup from the raw rows.
 */
class AnalyticsRollupTest extends LedgerFixture {

    private static FeeBreakdown spec(long amountPaise) {
        return FeeEngine.calculate(new PaymentFacts(amountPaise, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
    }

    private Period today() {
        return Period.day(Period.todayInIndia());
    }

    @Test
    void figuresEqualTheBreakdownsOfAMixedWorkload() {
        long[] amounts = {1_000_000L, 5_000_000L, 123_457L, 250_000L};
        PostedPayment[] p = new PostedPayment[amounts.length];
        for (int i = 0; i < amounts.length; i++) p[i] = pay("mix-" + i, amounts[i]);
        new RollupCompactor(dsl).compact();
        // p[3] is compensated: a reversal takes it back out of every figure.
        payments.reversePayment("mix-3", "compensated");
        // a partial refund, a full refund and a chargeback
        var r1 = refunds.postRefund(refund("rf-mix-1", p[0], 300_000L));
        var r2 = refunds.postRefund(refund("rf-mix-2", p[2], 123_457L));
        var cb = refunds.postRefund(new RefundPosting("cb-mix-1", p[1].transactionId(), RefundPosting.Kind.CHARGEBACK, 1_000_000L,
                "disputed", RefundPosting.GatewayFee.BORNE_BY_COMMUNITY, RefundPosting.PlatformFee.KEPT));

        RevenueFigures f = new RevenueAnalytics(dsl).totals("demo-community", today());
        FeeBreakdown a = spec(amounts[0]), b = spec(amounts[1]), c = spec(amounts[2]);
        assertThat(f.payments()).isEqualTo(3);
        assertThat(f.reversals()).isEqualTo(1);
        assertThat(f.grossPaise()).isEqualTo(a.amountPaise() + b.amountPaise() + c.amountPaise());
        assertThat(f.gstPaise()).isEqualTo(a.gstPaise() + b.gstPaise() + c.gstPaise());
        assertThat(f.gstCgstPaise() + f.gstSgstPaise() + f.gstIgstPaise()).isEqualTo(f.gstPaise());
        assertThat(f.gstIgstPaise()).as("KA to KA is intra-state").isZero();
        assertThat(f.gatewayFeePaise()).isEqualTo(a.gatewayFeePaise() + b.gatewayFeePaise() + c.gatewayFeePaise());
        assertThat(f.gatewayGstPaise()).isEqualTo(a.gatewayFeeGstPaise() + b.gatewayFeeGstPaise() + c.gatewayFeeGstPaise());
        assertThat(f.platformFeePaise()).isEqualTo(a.platformFeePaise() + b.platformFeePaise() + c.platformFeePaise());
        assertThat(f.platformGstPaise()).isEqualTo(a.platformFeeGstPaise() + b.platformFeeGstPaise() + c.platformFeeGstPaise());
        assertThat(f.tcsPaise()).isEqualTo(a.tcsPaise() + b.tcsPaise() + c.tcsPaise());
        assertThat(f.tdsPaise()).isEqualTo(a.tdsPaise() + b.tdsPaise() + c.tdsPaise());
        assertThat(f.netPaise()).isEqualTo(a.netPaise() + b.netPaise() + c.netPaise());
        assertThat(f.refunds()).isEqualTo(2);
        assertThat(f.refundPaise()).isEqualTo(300_000L + 123_457L);
        assertThat(f.chargebacks()).isEqualTo(1);
        assertThat(f.chargebackPaise()).isEqualTo(1_000_000L);
        assertThat(f.refundMembersPaise()).isEqualTo(sumMembers(r1) + sumMembers(r2) + sumMembers(cb));
        assertThat(f.refundGstPaise() + f.refundGatewayPaise() + f.refundPlatformPaise() + f.refundTcsPaise() + f.refundTdsPaise()
                + f.refundNetPaise()).as("refund parts add up to the refunds").isEqualTo(f.refundedPaise());

        // The register lists what the figures sum: three payments, the reversed one, and its reversal as a negative line.
        var register = new com.commdesk.ledger.analytics.Registers(dsl).transactions("demo-community", today(), null, 100);
        assertThat(register.lines()).extracting(com.commdesk.ledger.analytics.Registers.Line::kind)
                .containsExactly("PAYMENT", "PAYMENT", "PAYMENT", "PAYMENT", "REVERSAL");
        assertThat(register.lines().stream().mapToLong(com.commdesk.ledger.analytics.Registers.Line::grossPaise).sum())
                .isEqualTo(f.grossPaise());
        assertThat(register.lines().stream().mapToLong(com.commdesk.ledger.analytics.Registers.Line::netPaise).sum())
                .isEqualTo(f.netPaise());
        assertThat(new com.commdesk.ledger.analytics.Registers(dsl).refunds("demo-community", today(), 100)).hasSize(3);

        // The platform's accounts say the same as the ledger's own monthly GST report.
        TaxReports.GstSummary gst = new TaxReports(dsl).monthlyGst(YearMonth.now(TaxReports.INDIA));
        PlatformAccounts.PlatformFigures platform = new PlatformAccounts(dsl).totals(Period.of(YearMonth.now(TaxReports.INDIA)));
        assertThat(platform.gstOnSalesPaise()).isEqualTo(gst.outputGst().totalPaise());
        assertThat(platform.platformGstPaise()).isEqualTo(gst.platformGst().totalPaise());
        assertThat(platform.platformFeeIncomePaise()).isEqualTo(gst.platformFeeIncomePaise());
        assertThat(platform.gatewayChargesPaise()).isEqualTo(gst.gatewayFeesPaise());
        assertThat(platform.tcsPaise()).isEqualTo(gst.tcsPaise());
        assertThat(platform.tdsPaise()).isEqualTo(gst.tdsPaise());
    }

    @Test
    void payoutsAndTheStatementBalanceAgreeWithTheWallets() {
        PostedPayment first = pay("po-1", 1_000_000L);
        pay("po-2", 2_000_000L);
        assertThat(holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100)).isEqualTo(14);
        String owner = dsl.fetchSingle("select user_id from community_member where community_id = 'demo-community' and role = 'owner'")
                .get(0, String.class);
        long available = num("select available_paise from member_wallet where community_id = 'demo-community' and user_id = ?", owner);
        // paid, failed, paid then reversed by the bank
        move(Movement.PAYOUT_LOCK, "a", owner, 100_000L);
        move(Movement.PAYOUT_PAID, "a", owner, 100_000L);
        move(Movement.PAYOUT_LOCK, "b", owner, 50_000L);
        move(Movement.PAYOUT_FAILED, "b", owner, 50_000L);
        move(Movement.PAYOUT_LOCK, "c", owner, 70_000L);
        move(Movement.PAYOUT_PAID, "c", owner, 70_000L);
        new RollupCompactor(dsl).compact();
        move(Movement.PAYOUT_REVERSED, "c", owner, 70_000L);
        refunds.postRefund(refund("rf-po", first, 400_000L));

        PayoutAnalytics.Volume v = new PayoutAnalytics(dsl).totals("demo-community", today());
        assertThat(v).isEqualTo(new PayoutAnalytics.Volume(2, 170_000L, 1, 70_000L));
        assertThat(new PayoutAnalytics(dsl).series(null, today(), Granularity.DAY).get(0).volume()).isEqualTo(v);
        assertThat(new PlatformAccounts(dsl).totals(today()).payoutVolumePaise()).isEqualTo(100_000L);

        YearMonth month = YearMonth.now(TaxReports.INDIA);
        MonthlyStatements.CommunityStatement s = new MonthlyStatements(dsl).community("demo-community", month).orElseThrow();
        long owedNow = new MemberWallets(dsl).community("demo-community").stream().mapToLong(MemberWallets.Wallet::owedPaise).sum();
        assertThat(s.openingOwedPaise()).isZero();
        assertThat(s.closingOwedPaise()).as("closing balance of the current month = today's member wallets").isEqualTo(owedNow);
        assertThat(s.closingOwedPaise()).isEqualTo(spec(1_000_000L).netPaise() + spec(2_000_000L).netPaise()
                - s.figures().refundMembersPaise() - 100_000L);
        assertThat(s.payoutLines()).extracting(PayoutAnalytics.PayoutMovement::kind)
                .containsExactly("PAYOUT_PAID", "PAYOUT_PAID", "PAYOUT_REVERSED");
        assertThat(s.refunds()).hasSize(1);
        assertThat(available).isPositive();

        // next month opens with this month's closing balance
        MonthlyStatements.CommunityStatement next = new MonthlyStatements(dsl).community("demo-community", month.plusMonths(1)).orElseThrow();
        assertThat(next.openingOwedPaise()).isEqualTo(s.closingOwedPaise());
        assertThat(next.closingOwedPaise()).isEqualTo(s.closingOwedPaise());
    }

    @Test
    void aRefundCashfreeCancelledIsTakenBackOutOfTheFigures() {
        PostedPayment p = pay("rc-1", 1_000_000L);
        var reserved = refunds.reserve(refund("rf-rc-1", p, 250_000L));
        RevenueFigures pending = new RevenueAnalytics(dsl).totals("demo-community", today());
        assertThat(pending.refunds()).as("booked when reserved, as the wallets show").isEqualTo(1);
        assertThat(pending.refundMembersPaise()).isEqualTo(sumMembers(reserved));

        refunds.cancel("rf-rc-1", RefundLedger.Status.CANCELLED, "Cashfree cancelled it", null);
        RevenueFigures after = new RevenueAnalytics(dsl).totals("demo-community", today());
        assertThat(after.refunds()).isZero();
        assertThat(after.refundPaise()).isZero();
        assertThat(after.refundMembersPaise()).isZero();
        assertThat(after.refundGstPaise() + after.refundGatewayPaise() + after.refundPlatformPaise() + after.refundTcsPaise()
                + after.refundTdsPaise() + after.refundNetPaise()).isZero();
        assertThat(new com.commdesk.ledger.analytics.Registers(dsl).refunds("demo-community", today(), 100))
                .extracting(com.commdesk.ledger.analytics.Registers.RefundLine::kind, com.commdesk.ledger.analytics.Registers.RefundLine::amountPaise)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("REFUND", 250_000L),
                        org.assertj.core.groups.Tuple.tuple("REFUND_CANCELLED", -250_000L));
        // the fixture's invariant check then compares the rollup with its facts and with the member wallets
    }

    @Test
    void splitByRoleAndMemberEqualsTheDistributions() {
        pay("sp-1", 1_000_000L);
        pay("sp-2", 3_333_333L);
        PostedPayment gone = pay("sp-3", 777_777L);
        payments.reversePayment("sp-3", "compensated");
        List<ShareAnalytics.RoleShare> split = new ShareAnalytics(dsl).split("demo-community", today());
        long total = split.stream().mapToLong(ShareAnalytics.RoleShare::amountPaise).sum();
        assertThat(total).isEqualTo(spec(1_000_000L).netPaise() + spec(3_333_333L).netPaise());
        for (ShareAnalytics.RoleShare role : split) {
            long expected = num("""
                    select coalesce(sum(d.amount_paise), 0) from revenue_distribution d join revenue_transaction t using (transaction_id)
                     where t.idempotency_key in ('sp-1', 'sp-2') and d.role_name = ?""", role.role());
            assertThat(role.amountPaise()).as(role.role()).isEqualTo(expected);
            assertThat(role.members().stream().mapToLong(ShareAnalytics.MemberShare::amountPaise).sum()).isEqualTo(expected);
        }
        assertThat(split.get(0).role()).as("largest role first").isEqualTo("owner");
    }

    @Test
    void compactionRacingPaymentsAndReadersLosesNothing() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            var writer = pool.submit(() -> {
                for (int i = 0; i < 40; i++) pay("race-" + i, 100_000L + i);
                return null;
            });
            var compactor = pool.submit(() -> {
                long merged = 0;
                while (!writer.isDone()) merged += new RollupCompactor(dsl).compact();
                return merged;
            });
            // gross only grows while payments post: a reader must never see it shrink (a half-done merge) or jump past the ledger
            var reader = pool.submit(() -> {
                long last = 0;
                while (!writer.isDone()) {
                    long gross = new RevenueAnalytics(dsl).totals("demo-community", today()).grossPaise();
                    long ledgerGross = num("select coalesce(sum(gross_amount_paise), 0) from revenue_transaction");
                    assertThat(gross).isGreaterThanOrEqualTo(last).isLessThanOrEqualTo(ledgerGross);
                    last = gross;
                }
                return last;
            });
            writer.get();
            assertThat(compactor.get()).as("compaction merged rows while payments posted").isPositive();
            reader.get();
        } finally {
            pool.shutdown();
        }
        new RollupCompactor(dsl).compact();
        RevenueFigures f = new RevenueAnalytics(dsl).totals("demo-community", today());
        assertThat(f.payments()).isEqualTo(40);
        long expected = 0;
        for (int i = 0; i < 40; i++) expected += 100_000L + i;
        assertThat(f.grossPaise()).isEqualTo(expected);
        assertThat(num("select count(*) from analytics_revenue_delta where community_id = 'demo-community'"))
                .as("one row per key after compaction").isEqualTo(1);
    }

    @Test
    void aRollupThatDriftsFromTheLedgerIsReported() throws Exception {
        pay("drift-1");
        assertThat(new LedgerInvariants(dsl).check().holds()).isTrue();
        // the rollups are written by the database's triggers only: a stray row takes the owner (simulated damage)
        asOwner("insert into analytics_revenue_delta (day, community_id, source_type, rule_id, rule_version, gross_paise)"
                + " values (current_date, 'demo-community', 'EVENT', '', 0, 1)");
        LedgerInvariants.Report report = new LedgerInvariants(dsl).check();
        assertThat(report.violations()).extracting(LedgerInvariants.Violation::invariant)
                .contains("revenue rollup equals payments, reversals and refunds");
        asOwner("delete from analytics_revenue_delta where gross_paise = 1 and payments = 0");
    }

    private long move(Movement m, String payoutId, String user, long amount) {
        return movements.payoutMovement(m, payoutId, member("owner", user), amount, m + " " + payoutId);
    }

    private static long sumMembers(RefundPosting.Posted r) {
        return r.fromPendingPaise() + r.fromAvailablePaise() + r.toReceivablePaise();
    }
}
