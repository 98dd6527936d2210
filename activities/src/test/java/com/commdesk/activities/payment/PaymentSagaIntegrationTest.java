package com.commdesk.activities.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.activities.cashfree.CashfreeConfig;
import com.commdesk.activities.cashfree.CashfreePgAdapter;
import com.commdesk.activities.fraud.FraudScreen;
import com.commdesk.cashfree.sim.CashfreeSimulator;
import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.cashfree.sim.SimulatorConfig;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.RoleSplit;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.FraudRecords;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.LedgerQueries;
import com.commdesk.ledger.HoldReleases;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.PaymentLedger;
import com.commdesk.ledger.RefundLedger;
import com.commdesk.ledger.WalletMovements;
import com.commdesk.ledger.PaymentOperations;
import com.commdesk.ledger.HoldQueue;
import com.commdesk.ledger.testing.TestDatabases;
import com.commdesk.workflows.payment.Allocation;
import com.commdesk.workflows.payment.FeeCalculation;
import com.commdesk.workflows.payment.FraudVerdict;
import com.commdesk.workflows.payment.LedgerPosting;
import com.commdesk.workflows.payment.PaymentActivities;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.PaymentStage;
import com.commdesk.workflows.payment.PaymentStatus;
import com.commdesk.workflows.payment.PaymentWorkflow;
import com.commdesk.workflows.payment.PaymentWorkflowImpl;
import com.commdesk.workflows.payment.PayoutHandover;
import com.commdesk.workflows.payment.HoldsQueued;
import com.commdesk.workflows.payment.VerifiedPayment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The payment and refund workflows on the real activities, real PostgreSQL and the real SDK against
 * the simulator: a worker that commits the posting and dies before telling Temporal (the retry must
 * post nothing twice), the community's hold period, and a refund after the member was paid out.
 */
class PaymentSagaIntegrationTest {
    static final String CLIENT_ID = "TEST_CF_CLIENT_ID"; // the SDK's credentials are JVM-global: same as the adapter tests
    static final String CLIENT_SECRET = "cfsk_test_0123456789abcdef_SECRET";

    LedgerDatabase db;
    CashfreeSimulator sim;
    CashfreePgAdapter adapter;
    TestWorkflowEnvironment env;

    /** Delegates every step to the real activities; a scenario overrides the step it changes. */
    static class Delegating implements PaymentActivities {
        final PaymentActivities real;

        Delegating(PaymentActivities real) {
            this.real = real;
        }

        public LedgerPosting postToLedger(PaymentRequest r, VerifiedPayment v, FeeCalculation f, Allocation a) { return real.postToLedger(r, v, f, a); }
        public VerifiedPayment verifyWithCashfree(PaymentRequest r) { return real.verifyWithCashfree(r); }
        public VerifiedPayment verifyLatePayment(PaymentRequest r) { return real.verifyLatePayment(r); }
        public VerifiedPayment terminateUnpaidOrder(PaymentRequest r) { return real.terminateUnpaidOrder(r); }
        public FraudVerdict screenForFraud(PaymentRequest r, VerifiedPayment v) { return real.screenForFraud(r, v); }
        public void recordStatus(String id, String stage, String detail) { real.recordStatus(id, stage, detail); }
        public FeeCalculation calculateFees(PaymentRequest r, VerifiedPayment v) { return real.calculateFees(r, v); }
        public Allocation allocateShares(String c, long net, List<RoleSplit> roles) { return real.allocateShares(c, net, roles); }
        public void reverseLedgerPosting(String id, String reason) { real.reverseLedgerPosting(id, reason); }
        public HoldsQueued queueSettlement(String tx) { return real.queueSettlement(tx); }
        public PayoutHandover handOverToPayouts(String tx) { return real.handOverToPayouts(tx); }
    }

    /** The first postToLedger commits and then "crashes" before reporting. */
    static final class LosesFirstPostingCompletion extends Delegating {
        final AtomicInteger postings = new AtomicInteger();

        LosesFirstPostingCompletion(PaymentActivities real) {
            super(real);
        }

        @Override
        public LedgerPosting postToLedger(PaymentRequest r, VerifiedPayment v, FeeCalculation f, Allocation a) {
            LedgerPosting posted = real.postToLedger(r, v, f, a);
            if (postings.incrementAndGet() == 1) {
                throw ApplicationFailure.newFailure("worker died after the commit, before reporting " + posted, "WorkerCrash");
            }
            return posted;
        }
    }

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        sim = CashfreeSimulator.start(new SimulatorConfig("127.0.0.1", 0, CLIENT_ID, CLIENT_SECRET));
        adapter = new CashfreePgAdapter(new CashfreeConfig(CLIENT_ID, CLIENT_SECRET, CashfreeConfig.Environment.SANDBOX,
                sim.baseUrl(), null, Duration.ofSeconds(5)));
        env = TestWorkflowEnvironment.newInstance();
        com.commdesk.workflows.client.SearchAttributeRegistration.ensure(env.getOperatorServiceStubs(), env.getNamespace());
    }

    @AfterEach
    void tearDown() throws Exception {
        env.close();
        adapter.close();
        sim.close();
        db.close();
    }

    /** The real payment activities on this test's database, Cashfree adapter and the seed schedules. */
    PaymentActivitiesImpl realActivities() {
        var metrics = new SimpleMeterRegistry();
        var dsl = db.dsl();
        return new PaymentActivitiesImpl(adapter, new CommunityRepository(dsl), new PaymentLedger(new Ledger(dsl)),
                new HoldQueue(dsl), FeePolicy.fixed(FeeSchedules.seedExamples()),
                new FraudScreen(new FraudRecords(dsl), FraudScreen.Rules.defaults(), metrics), new PaymentOperations(dsl), metrics);
    }

    /** The payment row the API records for {@code orderId} (Rs 10,000, the demo community), and its workflow's stub. */
    PaymentWorkflow claimed(String paymentId, String orderId) {
        db.dsl().execute("insert into payment (payment_id, request_sha256, community_id, source_type, source_id, cashfree_order_id, "
                + "amount_paise, workflow_id) values (?, repeat('0', 64), 'demo-community', 'EVENT', 'e', ?, 1000000, 'w')", paymentId, orderId);
        return env.getWorkflowClient().newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PaymentWorkflow.TASK_QUEUE).setWorkflowId(PaymentWorkflow.workflowId(orderId)).build());
    }

    static PaymentRequest request(String paymentId, String orderId) {
        return new PaymentRequest(paymentId, "demo-community", "EVENT", "e", orderId, 1_000_000L, Map.of());
    }

    /** A worker of the payment workflow with {@code activities}, and the test environment started. */
    void startPaymentWorker(PaymentActivities activities) {
        Worker worker = env.newWorker(PaymentWorkflow.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(PaymentWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        env.start();
    }

    @Test
    void anOrderClaimedBeforeItIsPaidWaitsForItsPaymentInsteadOfFailing() {
        // Review s12: the app may claim an order on the customer's return from checkout while a UPI payment is still pending.
        // "ACTIVE, not PAID" was a final refusal: the payment FAILED, its later signed PAYMENT_SUCCESS could not start it
        // again (same workflow id), and money Cashfree took was never booked. Not paid yet is asked again; only Cashfree's
        // other answers (an amount, currency or community that differ; an EXPIRED or TERMINATED order) are refusals.
        var dsl = db.dsl();
        PaymentActivitiesImpl real = realActivities();
        AtomicInteger looks = new AtomicInteger();
        PaymentActivities paysAfterTheFirstLook = new Delegating(real) {
            @Override
            public VerifiedPayment verifyWithCashfree(PaymentRequest r) {
                try {
                    return real.verifyWithCashfree(r);
                } finally {
                    if (looks.incrementAndGet() == 1) sim.pay("pending_1", PaymentMethod.UPI); // the customer's UPI app confirms
                }
            }
        };
        startPaymentWorker(paysAfterTheFirstLook);
        sim.createOrder("pending_1", 1_000_000L, "INR", Map.of("community_id", "demo-community"));

        PaymentStatus status = claimed("pending-1", "pending_1")
                .process(request("pending-1", "pending_1"));

        assertThat(status.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(looks.get()).as("asked again once paid").isEqualTo(2);
        assertThat(((Number) dsl.fetchValue("select count(*) from revenue_transaction where idempotency_key = 'pending-1'")).longValue())
                .isEqualTo(1);
    }

    /** The workflow of {@code orderId}'s payment, by its id. */
    PaymentWorkflow byOrder(String orderId) {
        return env.getWorkflowClient().newWorkflowStub(PaymentWorkflow.class, PaymentWorkflow.workflowId(orderId));
    }

    /** A worker of the real activities, and a payment claimed for an order its customer has not paid yet (Rs 10,000). */
    void claimedUnpaid(String paymentId, String orderId) {
        startPaymentWorker(realActivities());
        sim.createOrder(orderId, 1_000_000L, "INR", Map.of("community_id", "demo-community"));
        io.temporal.client.WorkflowClient.start(claimed(paymentId, orderId)::process, request(paymentId, orderId));
    }

    long booked(String paymentId) {
        return ((Number) db.dsl().fetchValue("select count(*) from revenue_transaction where idempotency_key = ?", paymentId)).longValue();
    }

    String recordedStatus(String paymentId) {
        return (String) db.dsl().fetchValue("select status from payment where payment_id = ?", paymentId);
    }

    @Test
    void anOrderPaidAfterTheVerifyWaitIsBookedWhenItsPaymentSuccessArrives() {
        // Left undone in s13: an order paid more than 10 minutes after its claim (a UPI payment pending that long; Cashfree
        // lets a customer try again on the same order until it expires) FAILED, its later PAYMENT_SUCCESS could not start it
        // again (the workflow id refuses reuse), and the money was found only by reconciliation. The payment now waits for
        // its order to be paid, and the webhook's signal has it verified again at once.
        claimedUnpaid("late-1", "late_1");

        env.sleep(Duration.ofMinutes(20));
        assertThat(byOrder("late_1").status().stage()).isEqualTo(PaymentStage.AWAITING_PAYMENT);
        assertThat(recordedStatus("late-1")).isEqualTo("AWAITING_PAYMENT");
        long asksBefore = sim.requestCount("/pg/orders/late_1");
        sim.pay("late_1", PaymentMethod.UPI);
        byOrder("late_1").cashfreeEvent(new com.commdesk.workflows.payment.CashfreeEvent("evt-late-1", "PAYMENT_SUCCESS_WEBHOOK",
                "cf-late-1", "SUCCESS"));

        PaymentStatus status = io.temporal.client.WorkflowStub.fromTyped(byOrder("late_1")).getResult(PaymentStatus.class);
        assertThat(status.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(booked("late-1")).isEqualTo(1);
        assertThat(recordedStatus("late-1")).isEqualTo("COMPLETED");
        assertThat(sim.requestCount("/pg/orders/late_1") - asksBefore).as("one look: the order and its payments").isEqualTo(2);
        // By the history (the test server's clock runs on after a run ends): from the signal to the close.
        var events = env.getWorkflowClient().fetchHistory(PaymentWorkflow.workflowId("late_1")).getEvents();
        long signalled = events.stream().filter(e -> e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                .mapToLong(e -> com.google.protobuf.util.Timestamps.toMillis(e.getEventTime())).max().orElseThrow();
        assertThat(com.google.protobuf.util.Timestamps.toMillis(events.get(events.size() - 1).getEventTime()) - signalled)
                .as("at the webhook, not at the next scheduled look").isLessThan(Duration.ofMinutes(5).toMillis());
    }

    @Test
    void anOrderPaidLateWithNoWebhookIsFoundByTheNextLook() {
        claimedUnpaid("late-2", "late_2");

        env.sleep(Duration.ofHours(3));
        assertThat(byOrder("late_2").status().stage()).isEqualTo(PaymentStage.AWAITING_PAYMENT);
        sim.pay("late_2", PaymentMethod.UPI);

        PaymentStatus status = io.temporal.client.WorkflowStub.fromTyped(byOrder("late_2")).getResult(PaymentStatus.class);
        assertThat(status.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(booked("late-2")).isEqualTo(1);
    }

    @Test
    void anOperatorCancelsAnAwaitedPaymentAndItsOrderCanNoLongerBePaid() {
        claimedUnpaid("cancelled-1", "cancelled_1");
        env.sleep(Duration.ofMinutes(20));
        assertThat(byOrder("cancelled_1").status().stage()).isEqualTo(PaymentStage.AWAITING_PAYMENT);

        byOrder("cancelled_1").cancel(new com.commdesk.workflows.payment.Cancellation("ops-meera", "duplicate checkout"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.temporal.client.WorkflowStub.fromTyped(byOrder("cancelled_1"))
                .getResult(PaymentStatus.class)).isInstanceOf(io.temporal.client.WorkflowFailedException.class);
        assertThat(byOrder("cancelled_1").status().error()).contains("cancelled by ops-meera (duplicate checkout)");
        assertThat(recordedStatus("cancelled-1")).isEqualTo("FAILED");
        assertThat(sim.order("cancelled_1").orElseThrow().status()).isEqualTo("TERMINATED");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sim.pay("cancelled_1", PaymentMethod.UPI))
                .as("the customer can no longer pay it").isInstanceOf(IllegalStateException.class);
        assertThat(booked("cancelled-1")).isZero();
    }

    @Test
    void aCancellationDuringAPaymentAttemptWaitsForTheAttemptAndBooksItsSuccess() {
        // Cashfree: a termination asked for while an attempt is in flight is TERMINATION_REQUESTED, and the attempt may still
        // succeed. Failing the payment then would leave the customer's money unbooked (found only by reconciliation).
        claimedUnpaid("cancelled-2", "cancelled_2");
        env.sleep(Duration.ofMinutes(20));
        sim.beginAttempt("cancelled_2");

        byOrder("cancelled_2").cancel(new com.commdesk.workflows.payment.Cancellation("ops-meera", null));
        env.sleep(Duration.ofMinutes(10));
        assertThat(sim.order("cancelled_2").orElseThrow().status()).isEqualTo("TERMINATION_REQUESTED");
        assertThat(byOrder("cancelled_2").status().stage()).as("still awaiting: the attempt may succeed").isEqualTo(PaymentStage.AWAITING_PAYMENT);
        assertThat(booked("cancelled-2")).isZero();
        sim.pay("cancelled_2", PaymentMethod.UPI);

        PaymentStatus status = io.temporal.client.WorkflowStub.fromTyped(byOrder("cancelled_2")).getResult(PaymentStatus.class);
        assertThat(status.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(booked("cancelled-2")).isEqualTo(1);
    }

    @Test
    void anOrderNeverPaidWaitsWithoutPagingAndIsRefusedWhenTheWaitEndsWithNothingBooked() {
        // Review s12 of the first wait: asked for the step's 6 hours (then parked), an abandoned checkout paged on-call
        // (stuck after 15 minutes) and cost thousands of Cashfree calls. Now it waits as AWAITING_PAYMENT (not a stage the
        // stuck gauge counts), looked at hourly for a day and then daily, and is refused when Cashfree's default order
        // lifetime has passed: a bounded number of asks over the whole wait.
        claimedUnpaid("abandoned-1", "abandoned_1");
        env.sleep(Duration.ofDays(2));
        assertThat(byOrder("abandoned_1").status().stage()).isEqualTo(PaymentStage.AWAITING_PAYMENT);
        assertThat(recordedStatus("abandoned-1")).isEqualTo("AWAITING_PAYMENT");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.temporal.client.WorkflowStub.fromTyped(byOrder("abandoned_1"))
                .getResult(PaymentStatus.class)).isInstanceOf(io.temporal.client.WorkflowFailedException.class);
        PaymentStatus status = byOrder("abandoned_1").status();
        assertThat(status.stage()).isEqualTo(PaymentStage.FAILED);
        assertThat(status.error()).contains("still ACTIVE");
        assertThat(recordedStatus("abandoned-1")).isEqualTo("FAILED");
        var events = env.getWorkflowClient().fetchHistory(PaymentWorkflow.workflowId("abandoned_1")).getEvents();
        assertThat(com.google.protobuf.util.Timestamps.toMillis(events.get(events.size() - 1).getEventTime())
                - com.google.protobuf.util.Timestamps.toMillis(events.get(0).getEventTime())).as("refused when the wait ends")
                .isBetween(Duration.ofDays(30).toMillis(), Duration.ofDays(31).toMillis());
        // 10 minutes of the step's backoff (≈ 20 looks), then 24 hourly and 29 daily looks; a look reads the order and its payments.
        assertThat(sim.requestCount("/pg/orders/abandoned_1")).as("a bounded number of asks").isBetween(100L, 250L);
        assertThat(booked("abandoned-1")).isZero();
        // Refused only once the customer can no longer pay: an order may live longer than the wait (its own
        // order_expiry_time), and money taken for a FAILED payment would be found only by reconciliation.
        assertThat(sim.order("abandoned_1").orElseThrow().status()).as("Cashfree's order ended with the wait").isEqualTo("TERMINATED");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sim.pay("abandoned_1", PaymentMethod.UPI))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPostingWhoseCompletionWasLostIsRetriedWithoutASecondJournal() {
        var dsl = db.dsl();
        PaymentActivitiesImpl real = realActivities();
        LosesFirstPostingCompletion activities = new LosesFirstPostingCompletion(real);
        startPaymentWorker(activities);
        sim.createPaidOrder("lost_1", 1_000_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.CARD);

        PaymentStatus status = claimed("lost-1", "lost_1")
                .process(request("lost-1", "lost_1"));

        assertThat(status.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(activities.postings.get()).as("the posting step ran twice").isEqualTo(2);
        assertThat(((Number) dsl.fetchValue("select count(*) from journal where idempotency_key = 'payment:demo-community:lost-1'")).longValue()).isEqualTo(1);
        assertThat(((Number) dsl.fetchValue("select count(*) from revenue_transaction where idempotency_key = 'lost-1'")).longValue())
                .isEqualTo(1);
        // The spec's Example 1 under its own schedule: net Rs 7,207.00, owner Rs 3,603.50.
        assertThat(status.breakdown().netPaise()).isEqualTo(720_700L);
        assertThat(((Number) dsl.fetchValue("select pending_paise from member_wallet where user_id = 'u-owner'")).longValue())
                .isEqualTo(360_350L);
        assertThat(new LedgerInvariants(dsl).check().violations()).isEmpty();
        assertThat(sim.requestCount("/pg/orders/lost_1")).isPositive();
    }

    @Test
    void theHoldPeriodKeepsCreditsPendingUntilItEndsAndARefundAfterPayoutBecomesAReceivable() {
        var metrics = new SimpleMeterRegistry();
        var dsl = db.dsl();
        Ledger core = new Ledger(dsl);
        HoldReleases holds = new HoldReleases(core);
        PaymentActivitiesImpl payments = new PaymentActivitiesImpl(adapter, new CommunityRepository(dsl), new PaymentLedger(core),
                new HoldQueue(dsl), FeePolicy.fixed(FeeSchedules.seedExamples()),
                new FraudScreen(new FraudRecords(dsl), FraudScreen.Rules.defaults(), metrics), new PaymentOperations(dsl), metrics);
        var refunds = new com.commdesk.activities.refund.RefundActivitiesImpl(new LedgerQueries(dsl), new RefundLedger(core), adapter,
                com.commdesk.ledger.RefundPosting.GatewayFee.BORNE_BY_COMMUNITY, com.commdesk.ledger.RefundPosting.PlatformFee.REFUNDED, metrics);
        Worker worker = env.newWorker(PaymentWorkflow.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(PaymentWorkflowImpl.class, com.commdesk.workflows.refund.RefundWorkflowImpl.class);
        worker.registerActivitiesImplementations(payments, refunds);
        env.start();
        sim.createPaidOrder("hold_1", 1_000_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.CARD);
        dsl.execute("insert into payment (payment_id, request_sha256, community_id, source_type, source_id, cashfree_order_id, "
                + "amount_paise, workflow_id) values ('hold-1', repeat('0', 64), 'demo-community', 'EVENT', 'e', 'hold_1', 1000000, 'w')");

        PaymentStatus status = env.getWorkflowClient().newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                        .setTaskQueue(PaymentWorkflow.TASK_QUEUE).setWorkflowId(PaymentWorkflow.workflowId("hold_1")).build())
                .process(new PaymentRequest("hold-1", "demo-community", "EVENT", "e", "hold_1", 1_000_000L, Map.of()));

        // The demo community holds credits 7 days (its refund window).
        var postedAt = ((java.time.OffsetDateTime) dsl.fetchValue("select created_at from revenue_transaction where idempotency_key = 'hold-1'"));
        assertThat(status.releaseAtEpochMillis()).isEqualTo(postedAt.plusDays(7).toInstant().toEpochMilli());
        assertThat(holds.releaseDueHolds(postedAt.plusDays(7).minusSeconds(1), 100)).as("still in the hold period").isZero();
        assertThat(holds.releaseDueHolds(postedAt.plusDays(7), 100)).isEqualTo(7);
        assertThat(((Number) dsl.fetchValue("select available_paise from member_wallet where user_id = 'u-owner'")).longValue()).isEqualTo(360_350L);

        // The owner is paid out; then the customer is refunded in full.
        WalletMovements movements = new WalletMovements(core);
        var owner = new WalletMovements.Member("demo-community", "owner", "u-owner");
        movements.payoutMovement(WalletMovements.Movement.PAYOUT_LOCK, "po-hold-1", owner, 360_350L, "payout");
        movements.payoutMovement(WalletMovements.Movement.PAYOUT_PAID, "po-hold-1", owner, 360_350L, "paid");
        var refund = env.getWorkflowClient().newWorkflowStub(com.commdesk.workflows.refund.RefundWorkflow.class, WorkflowOptions.newBuilder()
                        .setTaskQueue(PaymentWorkflow.TASK_QUEUE).setWorkflowId("refund-rf-hold-1").build())
                .process(new com.commdesk.workflows.refund.RefundRequest("rf-hold-1", "hold-1",
                        com.commdesk.workflows.refund.RefundRequest.Kind.REFUND, 1_000_000L, "event cancelled", "support"));

        assertThat(refund.stage()).isEqualTo(com.commdesk.workflows.refund.RefundStatus.Stage.COMPLETED);
        assertThat(sim.refunds().refundedPaise("hold_1")).isEqualTo(1_000_000L);
        // The owner's half of net + Cashfree's kept fee (740,000 / 2) is owed back, never a negative balance.
        assertThat(((Number) dsl.fetchValue("select receivable_paise from member_wallet where user_id = 'u-owner'")).longValue()).isEqualTo(370_000L);
        assertThat(((Number) dsl.fetchValue("select available_paise from member_wallet where user_id = 'u-owner'")).longValue()).isZero();
        assertThat(new LedgerInvariants(dsl).check().violations()).isEmpty();
    }
}
