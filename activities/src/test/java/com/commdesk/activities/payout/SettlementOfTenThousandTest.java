package com.commdesk.activities.payout;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.activities.cashfree.CashfreePayouts;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.HoldQueue;
import com.commdesk.ledger.HoldReleases;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.PaymentLedger;
import com.commdesk.ledger.PaymentPosting;
import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.ledger.testing.TestDatabases;
import com.commdesk.workflows.payout.PayoutTypes.SettlementRequest;
import com.commdesk.workflows.payout.PayoutTypes.SettlementResult;
import com.commdesk.workflows.payout.PayoutWorkflow;
import com.commdesk.workflows.payout.PayoutWorkflowImpl;
import com.commdesk.workflows.payout.SettlementWorkflow;
import com.commdesk.workflows.payout.SettlementWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 10: one settlement of a community with 10,000 members who all have available money, with
 * the real payout activities and workflows on PostgreSQL in Temporal's time-skipping environment (Cashfree
 * Payouts is an in-memory fake that pays at once). Every member is paid exactly once (one transfer request
 * per payout, each wallet emptied into paid-out), no activity result carries more than a page, the
 * settlement's history stays small, and the books check passes afterwards. Minutes long, so tagged "large":
 * .ci/run runs it ({@code ./mvnw -B verify -pl activities -Dtest=SettlementOfTenThousandTest -Dcommdesk.test.excludedGroups=none});
 * it prints its figures.
 */
@org.junit.jupiter.api.Tag("large")
@org.junit.jupiter.api.Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
class SettlementOfTenThousandTest {
    /** 10,000; {@code -Dcommdesk.settlement.payees=N} tries the same with N (figures for a smaller run say so). */
    static final int PAYEES = Integer.getInteger("commdesk.settlement.payees", 10_000);
    static final String COMMUNITY = "big-community";
    /** Temporal's default payload limit (2 MB); results must stay far below. */
    static final int PAYLOAD_LIMIT = 2 * 1024 * 1024;

    /** Cashfree Payouts in memory: every transfer succeeds at once; counts what was asked. */
    static final class InMemoryPayouts implements CashfreePayouts {
        final Map<String, NewBeneficiary> beneficiaries = new ConcurrentHashMap<>();
        final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

        @Override public Optional<NewBeneficiary> beneficiary(String id) { return Optional.ofNullable(beneficiaries.get(id)); }
        @Override public Optional<NewBeneficiary> beneficiaryByAccount(String account, String ifsc) {
            return beneficiaries.values().stream().filter(b -> account.equals(b.bankAccountNumber()) && ifsc.equals(b.bankIfsc())).findFirst();
        }
        @Override public void createBeneficiary(NewBeneficiary b) { beneficiaries.putIfAbsent(b.beneficiaryId(), b); }
        @Override public Transfer createTransfer(NewTransfer t) {
            requests.computeIfAbsent(t.transferId(), k -> new AtomicInteger()).incrementAndGet();
            return transfers.computeIfAbsent(t.transferId(),
                    id -> new Transfer(id, "cf_" + id, "SUCCESS", "COMPLETED", "paid", t.amountPaise(), null));
        }
        @Override public Optional<Transfer> transfer(String id) { return Optional.ofNullable(transfers.get(id)); }
    }

    @Test
    void tenThousandMembersArePaidExactlyOnceInPages() throws Exception {
        long started = System.nanoTime();
        try (LedgerDatabase db = TestDatabases.fresh(); TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            DSLContext dsl = db.dsl();
            long credited = fund(dsl);
            long funded = System.nanoTime();

            InMemoryPayouts cashfree = new InMemoryPayouts();
            PayoutSettings settings = new PayoutSettings(Long.MAX_VALUE, Duration.ofHours(1), Duration.ofHours(3), Duration.ofSeconds(1),
                    Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofHours(24));
            Clock testTime = new Clock() {
                @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
                @Override public Clock withZone(java.time.ZoneId zone) { return this; }
                @Override public java.time.Instant instant() { return java.time.Instant.ofEpochMilli(env.currentTimeMillis()); }
            };
            PayoutActivitiesImpl activities = new PayoutActivitiesImpl(new PayoutRepository(dsl), cashfree, settings, testTime,
                    new SimpleMeterRegistry(), new TemporalPayoutLauncher(env.getWorkflowClient()));
            Worker worker = env.newWorker(PayoutWorkflow.TASK_QUEUE);
            worker.registerWorkflowImplementationTypes(PayoutWorkflowImpl.class, SettlementWorkflowImpl.class);
            worker.registerActivitiesImplementations(activities);
            env.start();

            long now = env.currentTimeMillis();
            String id = PayoutActivitiesImpl.settlementId(COMMUNITY, "MANUAL", now);
            SettlementResult r = env.getWorkflowClient().newWorkflowStub(SettlementWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(id).build())
                    .settle(new SettlementRequest(id, COMMUNITY, "MANUAL", now, "finance"));
            long settled = System.nanoTime();

            // Every member paid exactly once.
            assertThat(r.payouts()).isEqualTo(PAYEES);
            assertThat(r.status()).isEqualTo("PAID");
            assertThat(cashfree.requests).hasSize(PAYEES);
            assertThat(cashfree.requests.values()).allSatisfy(n -> assertThat(n.get()).as("transfer requests per payout").isEqualTo(1));
            assertThat(dsl.fetchValue("select count(*) from payout where settlement_id = ? and status = 'PAID'", id)).isEqualTo((Object) (long) PAYEES);
            assertThat(((Number) dsl.fetchValue("select count(distinct user_id) from payout where settlement_id = ?", id)).intValue()).isEqualTo(PAYEES);
            long paidOut = ((Number) dsl.fetchValue("select sum(paid_out_paise) from member_wallet where community_id = ?", COMMUNITY)).longValue();
            long available = ((Number) dsl.fetchValue("select sum(available_paise) from member_wallet where community_id = ?", COMMUNITY)).longValue();
            assertThat(paidOut).as("everything credited is paid out").isEqualTo(credited);
            assertThat(available).isZero();

            // No activity result near the payload limit; a small settlement history.
            var history = env.getWorkflowClient().fetchHistory(id);
            int largest = history.getEvents().stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
                    .mapToInt(e -> e.getActivityTaskCompletedEventAttributes().getResult().getSerializedSize()).max().orElse(0);
            assertThat(largest).as("largest activity result, bytes").isLessThan(PAYLOAD_LIMIT / 20);
            assertThat(history.getEvents().size()).isLessThan(500);

            // The books.
            assertThat(new LedgerInvariants(dsl).check().violations()).as("ledger invariants").isEmpty();
            System.out.printf("settlement of %,d payees: funding %.1f s, settlement %.1f s, %d settlement history events, "
                            + "largest activity result %,d bytes, %,d paise paid out%n", PAYEES, (funded - started) / 1e9,
                    (settled - funded) / 1e9, history.getEvents().size(), largest, paidOut);
        }
    }

    /** One payment split equally among 10,000 members, its holds released, a beneficiary each. Returns the credited total. */
    static long fund(DSLContext dsl) {
        dsl.execute("insert into community (community_id, name, supplier_state, hold_days, payout_policy, min_payout_paise)"
                + " values (?, 'Big', 'KA', 0, 'MANUAL', 100)", COMMUNITY);
        dsl.execute("insert into community_role (community_id, role, share_bps, position) values (?, 'members', 10000, 0)", COMMUNITY);
        dsl.execute("insert into community_member (community_id, role, user_id, position)"
                + " select ?, 'members', 'u' || lpad(i::text, 5, '0'), i from generate_series(0, ?) i", COMMUNITY, PAYEES - 1);
        dsl.execute("""
                insert into payout_beneficiary (beneficiary_id, community_id, role, user_id, name, kind, bank_account_number, bank_ifsc, created_by)
                select 'bene_big_' || i, ?, 'members', 'u' || lpad(i::text, 5, '0'), 'Member Big', 'BANK',
                       lpad(i::text, 12, '0'), 'HDFC0000001', 'u' || lpad(i::text, 5, '0')
                  from generate_series(0, ?) i""", COMMUNITY, PAYEES - 1);
        var community = new CommunityRepository(dsl).find(COMMUNITY).orElseThrow();
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(100_000_000L, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
        var posted = new PaymentLedger(new Ledger(dsl)).postPayment(new PaymentPosting("big-pay", COMMUNITY, "EVENT", "evt", "order-big",
                "cf-big", "CARD", b, SplitEngine.splitRevenueAcrossRoles(b.netPaise(), community.roles()), null, null, Map.of()));
        new HoldQueue(dsl).queueHolds(posted.transactionId());
        // Every member's hold released (one journal each), by a few threads at once as the worker's maintenance may.
        HoldReleases releases = new HoldReleases(new Ledger(dsl));
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var runs = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    while (releases.releaseDueHolds(OffsetDateTime.now().plusDays(1), 1000) > 0) {
                        // until every hold is released
                    }
                }));
            }
            for (var run : runs) run.get();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        assertThat(dsl.fetchValue("select count(*) from wallet_hold where released_journal_id is null")).isEqualTo((Object) 0L);
        return b.netPaise();
    }
}
