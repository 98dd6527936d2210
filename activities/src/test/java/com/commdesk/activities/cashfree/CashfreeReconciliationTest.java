package com.commdesk.activities.cashfree;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.activities.recon.ReconciliationActivitiesImpl;
import com.commdesk.cashfree.sim.CashfreeSimulator;
import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.cashfree.sim.SettlementDesk;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.CommunityConfig;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.PaymentLedger;
import com.commdesk.ledger.PaymentPosting;
import com.commdesk.ledger.recon.ReconException;
import com.commdesk.ledger.recon.ReconciliationRepository;
import com.commdesk.ledger.testing.TestDatabases;
import com.commdesk.workflows.recon.ReconPeriod;
import com.commdesk.workflows.recon.ReconRunSummary;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation over HTTP: the simulator's settlement recon API read through the cashfree_pg SDK, with a
 * missing settlement, an extra one, a different amount and a different fee planted, on real PostgreSQL.
 */
class CashfreeReconciliationTest {
    static CashfreeSimulator sim;
    static CashfreePgAdapter adapter;
    static LedgerDatabase db;
    static PaymentLedger ledger;
    static ReconciliationRepository recon;
    static CommunityConfig demo;

    @BeforeAll
    static void start() {
        sim = CashfreeTestSupport.startSimulator();
        adapter = new CashfreePgAdapter(CashfreeTestSupport.configFor(sim, Duration.ofSeconds(10)));
        db = TestDatabases.fresh();
        ledger = new PaymentLedger(new Ledger(db.dsl()));
        recon = new ReconciliationRepository(db.dsl());
        demo = new CommunityRepository(db.dsl()).find("demo-community").orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        adapter.close();
        sim.close();
        db.close();
    }

    /** A card payment in the simulator and the same payment booked by us (2 % + 18 % GST, as the simulator charges). */
    static String paid(String orderId, long amountPaise) {
        sim.createPaidOrder(orderId, amountPaise, "INR", Map.of(), PaymentMethod.CARD);
        String cfPaymentId = sim.order(orderId).orElseThrow().payments().get(0).cfPaymentId();
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(amountPaise, "EVENT", "CARD", "KA", "KA"), FeeSchedules.recommendedDefault());
        assertThat(b.gatewayFeePaise()).isEqualTo(amountPaise * 2 / 100);
        assertThat(b.gatewayFeeGstPaise()).isEqualTo(b.gatewayFeePaise() * 18 / 100);
        ledger.postPayment(new PaymentPosting("pay-" + orderId, "demo-community", "EVENT", "evt", orderId, cfPaymentId, "CARD", b,
                SplitEngine.splitRevenueAcrossRoles(b.netPaise(), demo.roles()), "rule-1", 2, Map.of()));
        return cfPaymentId;
    }

    @Test
    void plantedDifferencesAreReportedExactlyOnceAndAdjustmentsKeepTheBooksWhole() {
        paid("rc-ok-1", 1_000_000L);
        paid("rc-ok-2", 250_000L);
        paid("rc-amount", 500_000L);
        paid("rc-fee", 300_000L);
        paid("rc-unsettled", 150_000L);
        SettlementDesk desk = sim.settlements();
        desk.settle(List.of("rc-ok-1", "rc-amount"), null,
                Map.of("rc-amount", new SettlementDesk.Plant("rc-amount", null, 499_900L, null, null)), Set.of(), List.of());
        desk.settle(List.of("rc-ok-2", "rc-fee", "rc-unsettled"), null,
                Map.of("rc-fee", new SettlementDesk.Plant("rc-fee", null, null, 6_250L, null)), Set.of("rc-unsettled"),
                List.of(new SettlementDesk.Plant("rc-ghost", "88887777", 42_000L, 840L, null)));

        // pagination through the SDK: 5 events in pages of 2
        OffsetDateTime from = OffsetDateTime.now().minusHours(1);
        OffsetDateTime to = OffsetDateTime.now().plusHours(1);
        var page1 = adapter.fetchSettlementRecon(from, to, null, 2);
        var page2 = adapter.fetchSettlementRecon(from, to, page1.nextCursor(), 2);
        var page3 = adapter.fetchSettlementRecon(from, to, page2.nextCursor(), 2);
        assertThat(page1.events()).hasSize(2);
        assertThat(page3.events()).hasSize(1);
        assertThat(page3.nextCursor()).isNull();
        var amount = page1.events().get(1);
        assertThat(amount.orderId()).isEqualTo("rc-amount");
        assertThat(amount.amountPaise()).isEqualTo(499_900L);
        assertThat(amount.serviceChargePaise()).isEqualTo(10_000L);
        assertThat(amount.serviceTaxPaise()).isEqualTo(1_800L);
        assertThat(amount.settlementAmountPaise()).isEqualTo(499_900L - 11_800L);

        // the settlements call (PGFetchSettlements, one SettlementEntity in this API version)
        String firstId = page1.events().get(0).cfSettlementId();
        var summary = adapter.fetchSettlement(firstId);
        assertThat(summary.settlementAmountPaise()).isEqualTo((1_000_000L - 23_600L) + (499_900L - 11_800L));
        assertThat(summary.transferUtr()).isEqualTo("SIMUTR" + firstId);

        ReconciliationActivitiesImpl activities = new ReconciliationActivitiesImpl(adapter, recon);
        ReconPeriod period = new ReconPeriod(from.toInstant().toEpochMilli(), to.toInstant().toEpochMilli(), 0);
        ReconRunSummary first = activities.reconcilePeriod(period);
        assertThat(first.subjects()).containsExactlyInAnyOrder("AMOUNT_MISMATCH:rc-amount", "FEE_MISMATCH:rc-fee",
                "MISSING_ON_OUR_SIDE:rc-ghost", "MISSING_ON_THEIRS:rc-unsettled");
        assertThat(first.newExceptions()).isEqualTo(4);
        assertThat(first.matched()).isEqualTo(2);

        ReconRunSummary again = activities.reconcilePeriod(period);
        assertThat(again.subjects()).isEqualTo(first.subjects());
        assertThat(again.newExceptions()).isZero();
        assertThat(recon.list(null, null, null, null, 100)).filteredOn(e -> !e.kind().equals("UNMATCHED_EVENT")).hasSize(4);

        ReconException fee = recon.list("FEE_MISMATCH", "OPEN", null, null, 10).get(0);
        assertThat(fee.theirFeePaise()).isEqualTo(6_250L);
        assertThat(fee.theirFeeTaxPaise()).isEqualTo(1_125L);
        assertThat(fee.differencePaise()).isEqualTo((6_250L + 1_125L) - (6_000L + 1_080L));
        var adjusted = recon.adjust(fee.exceptionId(), "fin.meera", "Cashfree's invoice confirms the higher MDR");
        assertThat(recon.adjust(fee.exceptionId(), "fin.meera", "Cashfree's invoice confirms the higher MDR").exception().adjustmentJournalId())
                .isEqualTo(adjusted.exception().adjustmentJournalId());
        assertThat(adjusted.postings()).extracting(ReconciliationRepository.PostingLine::accountCode)
                .contains("gateway_fee_expense", "cashfree_clearing");
        assertThat(new LedgerInvariants(db.dsl()).check().violations()).isEmpty();
    }

    @Test
    void anEventOfNoPaymentIsRecordedForFinanceAndTheRunCarriesOnWithWholeMinutePeriods() {
        // Issue 16 item 6: OTHER_ADJUSTMENT lines carry neither order_id nor cf_payment_id; and a period of whole
        // minutes was sent as "...T00:00Z", not Cashfree's documented "...T00:00:00Z" (the simulator now refuses it).
        paid("rc-adj-ok", 400_000L);
        OffsetDateTime day = OffsetDateTime.now(java.time.ZoneOffset.UTC).plusDays(30).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        sim.settlements().settle(List.of("rc-adj-ok"), day.plusHours(6), Map.of(), Set.of(),
                List.of(new SettlementDesk.Plant(null, null, -12_345L, 0L, 0L, "OTHER_ADJUSTMENT")));
        ReconciliationActivitiesImpl activities = new ReconciliationActivitiesImpl(adapter, recon);
        ReconPeriod period = new ReconPeriod(day.toInstant().toEpochMilli(), day.plusDays(1).toInstant().toEpochMilli(), 0);
        ReconRunSummary run = activities.reconcilePeriod(period);
        assertThat(run.lines()).isEqualTo(2);
        assertThat(run.matched()).isEqualTo(1);
        assertThat(run.subjects()).containsExactly("UNMATCHED_EVENT:OTHER_ADJUSTMENT:" + sim.settlements().settlements()
                .get(sim.settlements().settlements().size() - 1).cfSettlementId() + "-1");
        ReconException adjustment = recon.list("UNMATCHED_EVENT", "OPEN", null, null, 10).get(0);
        assertThat(adjustment.theirSettlementPaise()).isEqualTo(-12_345L);
        assertThat(activities.reconcilePeriod(period).newExceptions()).isZero();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> recon.adjust(adjustment.exceptionId(), "fin.meera", "book it")))
                .isInstanceOf(com.commdesk.ledger.recon.ReconciliationFailure.class).hasMessageContaining("explain it");
        assertThat(recon.explain(adjustment.exceptionId(), "fin.meera", "Cashfree's monthly fee adjustment, invoice 42").exception()
                .status()).isEqualTo("EXPLAINED");
        assertThat(CashfreePgAdapter.reconDate(day)).endsWith("T00:00:00Z");
    }
}
