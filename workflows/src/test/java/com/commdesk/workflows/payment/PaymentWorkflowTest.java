package com.commdesk.workflows.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import com.commdesk.workflows.SearchKeys;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Orchestration of one payment, on Temporal's test server with time skipping. */
class PaymentWorkflowTest {
    TestWorkflowEnvironment env;
    FakePaymentActivities activities;
    WorkflowClient client;

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        com.commdesk.workflows.client.SearchAttributeRegistration.ensure(env.getOperatorServiceStubs(), env.getNamespace());
        Worker worker = env.newWorker(PaymentWorkflow.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(PaymentWorkflowImpl.class);
        activities = new FakePaymentActivities();
        worker.registerActivitiesImplementations(activities);
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private PaymentWorkflow stub(String paymentId) {
        return client.newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PaymentWorkflow.TASK_QUEUE)
                .setWorkflowId(PaymentWorkflow.workflowId("order-" + paymentId))
                // As the API starts it: searchable by community, order, amount and stage.
                .setTypedSearchAttributes(PaymentWorkflow.searchAttributes(request(paymentId)))
                .build());
    }

    private String searchableStage(String paymentId) {
        return WorkflowStub.fromTyped(running(paymentId)).describe().getTypedSearchAttributes().get(SearchKeys.PAYMENT_STAGE);
    }

    private List<HistoryEvent> history(String paymentId) {
        return client.fetchHistory(PaymentWorkflow.workflowId("order-" + paymentId)).getEvents();
    }

    /** From its start to its close, by its history (after a failed run the test server's clock runs on). */
    private long ranMillis(String paymentId) {
        List<HistoryEvent> events = history(paymentId);
        return com.google.protobuf.util.Timestamps.toMillis(events.get(events.size() - 1).getEventTime())
                - com.google.protobuf.util.Timestamps.toMillis(events.get(0).getEventTime());
    }

    private PaymentWorkflow running(String paymentId) {
        return client.newWorkflowStub(PaymentWorkflow.class, PaymentWorkflow.workflowId("order-" + paymentId));
    }

    private static PaymentRequest request(String id) {
        return new PaymentRequest(id, "demo-community", "EVENT", "evt-1", "order-" + id, 1_000_000L, Map.of());
    }

    /** Waits (in real time: queries do not skip time) until the workflow reports this stage. */
    private PaymentStatus awaitStage(String paymentId, PaymentStage expected) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            PaymentStatus s = running(paymentId).status();
            if (s.stage() == expected) return s;
            Thread.sleep(25);
        }
        throw new AssertionError(paymentId + " never reached " + expected + ", is " + running(paymentId).status().stage());
    }

    private PaymentStatus result(String paymentId) {
        return WorkflowStub.fromTyped(running(paymentId)).getResult(PaymentStatus.class);
    }

    @Test
    void runsEveryStepInOrderAndReportsTheResult() {
        PaymentStatus status = stub("p1").process(request("p1"));

        assertThat(activities.calls).containsExactly("verify#1", "screen", "fees", "allocate", "post", "settle",
                "status:COMPLETED");
        assertThat(status.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(status.breakdown().netPaise()).isEqualTo(820_000L);
        assertThat(status.shares()).singleElement().satisfies(s -> assertThat(s.amountPaise()).isEqualTo(820_000L));
        assertThat(status.journalId()).isEqualTo(42L);
        assertThat(status.ruleId()).isEqualTo("rule-1");
        assertThat(status.ruleVersion()).isEqualTo(3);
        // A completed workflow still answers the status query (replayed from its history).
        assertThat(running("p1").status().stage()).isEqualTo(PaymentStage.COMPLETED);
    }

    @Test
    void onlyTheCashfreeCallIsAServerActivityTheDatabaseStepsRunLocally() {
        stub("p11").process(request("p11"));

        List<HistoryEvent> events = history("p11");
        assertThat(events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()))
                .containsExactly("VerifyWithCashfree");
        // screen, fees, allocate, post, settle, status: each a local-activity marker, no round trip (no hand-over since D13).
        assertThat(events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                && e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity"))).hasSize(6);
        // Two workflow tasks: the start, and the one after Cashfree answered that runs every local step.
        assertThat(events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).hasSize(2);
    }

    @Test
    void thePaymentStageSearchAttributeFollowsParkingAndTheEnd() throws Exception {
        activities.failSettlementTimes = 1;
        WorkflowClient.start(stub("p12")::process, request("p12"));

        awaitStage("p12", PaymentStage.NEEDS_ATTENTION);
        var attributes = WorkflowStub.fromTyped(running("p12")).describe().getTypedSearchAttributes();
        assertThat(attributes.get(SearchKeys.PAYMENT_STAGE)).isEqualTo("NEEDS_ATTENTION");
        assertThat(attributes.get(SearchKeys.COMMUNITY_ID)).isEqualTo("demo-community");
        assertThat(attributes.get(SearchKeys.CASHFREE_ORDER_ID)).isEqualTo("order-p12");
        assertThat(attributes.get(SearchKeys.PAYMENT_AMOUNT_PAISE)).isEqualTo(1_000_000L);
        running("p12").decide(new OperatorDecision(OperatorDecision.Action.RETRY, "ops-ravi", "fixed"));

        assertThat(result("p12").stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(searchableStage("p12")).isEqualTo("COMPLETED");
        // Upserted when parked, when it left the parked stage, and at the end: not at every step.
        assertThat(history("p12").stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES))
                .hasSize(3);
    }

    @Test
    void aRejectedReviewIsSearchableAsRejected() throws Exception {
        activities.verdict = new FraudVerdict(true, List.of("blocklisted customer"));
        WorkflowClient.start(stub("p13")::process, request("p13"));

        awaitStage("p13", PaymentStage.UNDER_REVIEW);
        assertThat(searchableStage("p13")).isEqualTo("UNDER_REVIEW");
        running("p13").review(new ReviewDecision(ReviewDecision.Outcome.REJECT, "risk-meera", "stolen card"));

        assertThat(result("p13").stage()).isEqualTo(PaymentStage.REJECTED);
        assertThat(searchableStage("p13")).isEqualTo("REJECTED");
    }

    @Test
    void survivesThirtyMinutesOfCashfreeDowntimeAndLosesNothing() {
        activities.cashfreeDownFor = Duration.ofMinutes(30);
        long before = env.currentTimeMillis();

        PaymentStatus status = stub("p2").process(request("p2"));

        assertThat(status.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(env.currentTimeMillis() - before).isGreaterThanOrEqualTo(Duration.ofMinutes(30).toMillis());
        // Retried with backoff (1s, 2s, 4s, ... capped at 60s): about 35 attempts, not thousands.
        long attempts = activities.calls.stream().filter(c -> c.startsWith("verify#")).count();
        assertThat(attempts).isBetween(30L, 45L);
        assertThat(activities.calls).containsOnlyOnce("post");
        assertThat(activities.calls).noneMatch(c -> c.startsWith("reverse:"));
    }

    @Test
    void aVerificationFailureStopsAtOnceWithNothingPosted() {
        activities.failVerificationWith = "order amount 999.00 differs from claimed 10000.00";

        assertThatThrownBy(() -> stub("p3").process(request("p3"))).isInstanceOf(WorkflowFailedException.class);

        assertThat(activities.calls).containsExactly("verify#1", "status:FAILED");
        PaymentStatus status = running("p3").status();
        assertThat(status.stage()).isEqualTo(PaymentStage.FAILED);
        assertThat(status.error()).contains("differs from claimed");
    }

    @Test
    void anOrderStillUnpaidAwaitsItsPaymentAndItsPaymentSuccessHasItLookedAtAgainAtOnce() throws Exception {
        // s13 left undone: "still ACTIVE" after the verify step's wait FAILED the payment, and its later PAYMENT_SUCCESS
        // could not start it again. It now awaits the payment; the webhook's signal has Cashfree looked at again at once.
        activities.unpaidLooks = 1;
        long before = env.currentTimeMillis();
        WorkflowClient.start(stub("p20")::process, request("p20"));

        PaymentStatus waiting = awaitStage("p20", PaymentStage.AWAITING_PAYMENT);
        assertThat(waiting.error()).contains("still ACTIVE");
        assertThat(searchableStage("p20")).isEqualTo("AWAITING_PAYMENT");
        running("p20").cashfreeEvent(new CashfreeEvent("evt-20", "PAYMENT_SUCCESS_WEBHOOK", "cf-20", "SUCCESS"));

        PaymentStatus status = result("p20");
        assertThat(status.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(status.error()).isNull();
        // Leaving AWAITING_PAYMENT is recorded (the stuck gauge counts the payment again), then the steps as ever.
        assertThat(activities.calls).containsExactly("verify#1", "status:AWAITING_PAYMENT", "late-look", "status:SCREENING",
                "screen", "fees", "allocate", "post", "settle", "status:COMPLETED");
        assertThat(env.currentTimeMillis() - before).as("looked at when the event came, not an hour later")
                .isLessThan(Duration.ofMinutes(30).toMillis());
        assertThat(searchableStage("p20")).isEqualTo("COMPLETED");
    }

    @Test
    void anOrderNeverPaidIsLookedAtHourlyForADayThenDailyAndFailsAfterThirtyDays() {
        activities.unpaidLooks = Integer.MAX_VALUE;

        assertThatThrownBy(() -> stub("p21").process(request("p21"))).isInstanceOf(WorkflowFailedException.class);

        List<HistoryEvent> events = history("p21");
        assertThat(ranMillis("p21")).as("refused when the wait ends (from the history: the test clock runs on after a failure)")
                .isBetween(Duration.ofDays(30).toMillis(), Duration.ofDays(30).plusHours(1).toMillis());
        // At 1 h, 2 h, ... 24 h, then 48 h, ... 720 h: 24 + 29.
        assertThat(activities.calls.stream().filter("late-look"::equals).count()).isEqualTo(53);
        // Refused only once Cashfree's order can no longer be paid ("unpaid-order-terminated").
        assertThat(activities.calls).doesNotContain("screen", "post").endsWith("late-look", "terminate", "status:FAILED");
        PaymentStatus status = running("p21").status();
        assertThat(status.stage()).isEqualTo(PaymentStage.FAILED);
        assertThat(status.error()).contains("still ACTIVE").contains("order was terminated");
        assertThat(events).as("a bounded history for a month's wait").hasSizeLessThan(1_000);
    }

    @Test
    void anOperatorCancelsAnAwaitedPaymentAndItFailsOnceItsOrderCanNoLongerBePaid() throws Exception {
        activities.unpaidLooks = Integer.MAX_VALUE;
        WorkflowClient.start(stub("p23")::process, request("p23"));
        awaitStage("p23", PaymentStage.AWAITING_PAYMENT);

        running("p23").cancel(new Cancellation("ops-meera", "customer bought another ticket"));

        assertThatThrownBy(() -> result("p23")).isInstanceOf(WorkflowFailedException.class);
        assertThat(activities.calls).containsExactly("verify#1", "status:AWAITING_PAYMENT", "terminate", "status:FAILED");
        PaymentStatus status = running("p23").status();
        assertThat(status.stage()).isEqualTo(PaymentStage.FAILED);
        assertThat(status.error()).contains("cancelled by ops-meera (customer bought another ticket)").contains("order was terminated");
        assertThat(status.decidedBy()).isEqualTo("ops-meera");
        assertThat(ranMillis("p23")).as("at the cancellation, not at the next look").isLessThan(Duration.ofMinutes(30).toMillis());
    }

    @Test
    void aCancelledPaymentWhoseOrderWasPaidMeanwhileIsBooked() throws Exception {
        // The customer's UPI attempt succeeded while the termination was pending: the money is Cashfree's to settle, so the
        // payment is booked and split, never left FAILED with money taken.
        activities.unpaidLooks = Integer.MAX_VALUE;
        activities.terminationPendingAnswers = 2;
        activities.paidBeforeTerminated = true;
        WorkflowClient.start(stub("p24")::process, request("p24"));
        awaitStage("p24", PaymentStage.AWAITING_PAYMENT);

        running("p24").cancel(new Cancellation("ops-meera", null));

        PaymentStatus status = result("p24");
        assertThat(status.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(status.error()).isNull();
        assertThat(activities.calls).containsSubsequence("status:AWAITING_PAYMENT", "terminate", "terminate", "terminate",
                "status:SCREENING", "screen", "post", "status:COMPLETED");
    }

    @Test
    void aCompensationAfterACancelTakenDuringAnUnansweredLookStillHasTheOrderTerminatedFirst() throws Exception {
        // Review s15 (last review, HIGH): a cancel taken while a look was retrying (Cashfree down) set the cancellation; the
        // look parked; one Compensate then failed the payment at once, "after its cancellation", though Cashfree had never
        // been asked to terminate the order. Only a termination actually asked for makes a compensation a failure.
        activities.unpaidLooks = Integer.MAX_VALUE;
        activities.lateLooksUnanswered = true;
        WorkflowClient.start(stub("p28")::process, request("p28"));
        env.sleep(Duration.ofMinutes(90)); // the first look began at an hour and is retrying: the stage is still AWAITING_PAYMENT
        assertThat(running("p28").status().stage()).isEqualTo(PaymentStage.AWAITING_PAYMENT);
        running("p28").cancel(new Cancellation("ops-meera", "duplicate checkout"));
        for (int hour = 0; hour < 24 && running("p28").status().stage() != PaymentStage.NEEDS_ATTENTION; hour++) env.sleep(Duration.ofHours(1));
        awaitStage("p28", PaymentStage.NEEDS_ATTENTION);
        assertThat(activities.calls).doesNotContain("terminate");

        activities.lateLooksUnanswered = false;
        running("p28").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-anita", null));

        assertThatThrownBy(() -> result("p28")).isInstanceOf(WorkflowFailedException.class);
        PaymentStatus done = running("p28").status();
        assertThat(activities.calls).containsSubsequence("status:NEEDS_ATTENTION", "late-look", "terminate", "status:FAILED");
        assertThat(done.error()).contains("cancelled by ops-meera (duplicate checkout)").contains("order was terminated");
        assertThat(done.decidedBy()).isEqualTo("ops-meera");
    }

    @Test
    void aCompensationAfterACancellationCashfreeCannotCarryOutFailsThePaymentAndSaysSo() throws Exception {
        // Review s15 follow-up M3: an order Cashfree never terminates (or can no longer be asked about) must not hold a
        // payment for ever; after a cancellation was tried, an operator's compensation fails it, saying what it risks.
        activities.unpaidLooks = Integer.MAX_VALUE;
        activities.terminationPendingAnswers = Integer.MAX_VALUE;
        WorkflowClient.start(stub("p27")::process, request("p27"));
        awaitStage("p27", PaymentStage.AWAITING_PAYMENT);
        running("p27").cancel(new Cancellation("ops-meera", null));
        for (int hour = 0; hour < 24 && running("p27").status().stage() != PaymentStage.NEEDS_ATTENTION; hour++) env.sleep(Duration.ofHours(1));
        awaitStage("p27", PaymentStage.NEEDS_ATTENTION);

        running("p27").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-anita", "Cashfree support confirmed"));

        assertThatThrownBy(() -> result("p27")).isInstanceOf(WorkflowFailedException.class);
        PaymentStatus done = running("p27").status();
        assertThat(done.stage()).isEqualTo(PaymentStage.FAILED);
        assertThat(done.error()).contains("compensated by ops-anita after Cashfree was asked to terminate its order, while the order may"
                + " still be paid");
    }

    @Test
    void aCancellationBeforeTheWaitIsIgnored() throws Exception {
        // Review s15 L3: sent while the verify step still asks Cashfree (VERIFYING), it must not end the wait that follows.
        activities.cashfreeDownFor = Duration.ofMinutes(30);
        activities.unpaidLooks = Integer.MAX_VALUE;
        WorkflowClient.start(stub("p25")::process, request("p25"));
        running("p25").cancel(new Cancellation("ops-meera", "too early"));

        env.sleep(Duration.ofMinutes(45)); // the verify step's retries end: the wait begins
        awaitStage("p25", PaymentStage.AWAITING_PAYMENT);
        env.sleep(Duration.ofHours(3));

        assertThat(running("p25").status().stage()).isEqualTo(PaymentStage.AWAITING_PAYMENT);
        assertThat(activities.calls).doesNotContain("terminate").contains("late-look");
    }

    @Test
    void aCompensationOfAPaymentParkedWhileAwaitingItsOrderIsACancellation() throws Exception {
        // Review s15 H1: parked because Cashfree did not answer a look (or the order's termination), COMPENSATE failed the
        // payment at once while the customer could still pay the order: money taken afterwards would be found only by
        // reconciliation. It now has Cashfree terminate the order first, like a cancellation.
        activities.unpaidLooks = Integer.MAX_VALUE;
        activities.lateLooksUnanswered = true;
        WorkflowClient.start(stub("p26")::process, request("p26"));
        // The first late look after an hour, then the Cashfree step's 6 hours of retries (each attempt run by the worker).
        for (int hour = 0; hour < 24 && running("p26").status().stage() != PaymentStage.NEEDS_ATTENTION; hour++) env.sleep(Duration.ofHours(1));
        PaymentStatus parked = awaitStage("p26", PaymentStage.NEEDS_ATTENTION);
        assertThat(parked.parkedStep()).isEqualTo(PaymentStage.AWAITING_PAYMENT);

        activities.lateLooksUnanswered = false;
        running("p26").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-anita", "customer gave up"));

        assertThatThrownBy(() -> result("p26")).isInstanceOf(WorkflowFailedException.class);
        PaymentStatus done = running("p26").status();
        assertThat(done.stage()).isEqualTo(PaymentStage.FAILED);
        assertThat(done.error()).contains("cancelled by ops-anita (customer gave up)").contains("order was terminated");
        assertThat(done.decidedBy()).isEqualTo("ops-anita");
        assertThat(activities.calls).containsSubsequence("status:NEEDS_ATTENTION", "late-look", "terminate", "status:FAILED");
    }

    /** Cashfree unanswered for longer than the Cashfree step's six hours of retries: the verify step parks. */
    private void parkVerifying(String paymentId) throws Exception {
        activities.cashfreeDownFor = Duration.ofHours(8);
        WorkflowClient.start(stub(paymentId)::process, request(paymentId));
        // Parked at 6 h, retried by itself at 7 h: half-way between, no timer is due while the test acts (a decision sent
        // while the automatic retry runs finds the payment not parked and is not taken).
        env.sleep(Duration.ofMinutes(6 * 60 + 30));
        assertThat(awaitStage(paymentId, PaymentStage.NEEDS_ATTENTION).parkedStep()).isEqualTo(PaymentStage.VERIFYING);
    }

    @Test
    void aCompensationOfAPaymentParkedVerifyingHasItsOrderTerminatedFirst() throws Exception {
        // Left undone in s15: parked in VERIFYING (Cashfree unanswered), COMPENSATE failed the payment at once while the
        // customer could still pay its order; money taken afterwards was booked by nothing (its webhook cannot start the
        // payment again) and found only by reconciliation. As while awaiting the order, Cashfree terminates it first.
        parkVerifying("p29");
        running("p29").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-anita", "customer gave up"));

        assertThatThrownBy(() -> result("p29")).isInstanceOf(WorkflowFailedException.class);
        PaymentStatus done = running("p29").status();
        assertThat(done.stage()).isEqualTo(PaymentStage.FAILED);
        assertThat(done.error()).contains("compensated by ops-anita (customer gave up)").contains("order was terminated");
        assertThat(done.decidedBy()).isEqualTo("ops-anita");
        assertThat(activities.calls).containsSubsequence("status:NEEDS_ATTENTION", "terminate", "status:FAILED")
                .doesNotContain("post");
    }

    @Test
    void aCompensationOfAPaymentParkedVerifyingWhoseOrderWasPaidMeanwhileBooksIt() throws Exception {
        activities.paidBeforeTerminated = true;
        parkVerifying("p30");
        running("p30").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-anita", null));

        PaymentStatus done = result("p30");
        assertThat(done.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(done.error()).isNull();
        assertThat(activities.calls).containsSubsequence("status:NEEDS_ATTENTION", "terminate", "screen", "post", "status:COMPLETED");
    }

    @Test
    void aPaidOrderOfASourceNoLongerOfferedParksAndItsCompensationFailsItWithoutAskingCashfree() throws Exception {
        // The order is PAID (its money taken): verification parks it for a person instead of failing it, and a compensation
        // fails it at once; there is no order to terminate, and what the person reads says the money was taken.
        activities.sourceNotOffered = true;
        WorkflowClient.start(stub("p31")::process, request("p31"));
        PaymentStatus parked = awaitStage("p31", PaymentStage.NEEDS_ATTENTION);
        assertThat(parked.parkedStep()).isEqualTo(PaymentStage.VERIFYING);
        assertThat(parked.error()).contains("does not offer source type 'EVENT'").contains("took the money");

        running("p31").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-anita", "community closed its memberships"));

        assertThatThrownBy(() -> result("p31")).isInstanceOf(WorkflowFailedException.class);
        PaymentStatus done = running("p31").status();
        assertThat(done.stage()).isEqualTo(PaymentStage.FAILED);
        assertThat(done.decidedBy()).isEqualTo("ops-anita");
        assertThat(activities.calls).doesNotContain("terminate", "post");
    }

    @Test
    void aCompensationOfAPaymentParkedVerifyingWhoseTerminationParksFailsItAndSaysTheOrderMayStillBePaid() throws Exception {
        activities.terminationPendingAnswers = Integer.MAX_VALUE;
        parkVerifying("p33");
        running("p33").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-anita", "customer gave up"));
        // The projection follows the termination at once (review s16, L1), then the termination parks after its retries.
        for (int i = 0; i < 200 && !activities.calls.contains("status:AWAITING_PAYMENT"); i++) Thread.sleep(25);
        assertThat(activities.calls).containsSubsequence("status:NEEDS_ATTENTION", "status:AWAITING_PAYMENT");
        env.sleep(Duration.ofMinutes(6 * 60 + 30)); // the termination's 6 h of retries end, its automatic retry is an hour later
        assertThat(awaitStage("p33", PaymentStage.NEEDS_ATTENTION).parkedStep()).isEqualTo(PaymentStage.AWAITING_PAYMENT);

        running("p33").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-ravi", "Cashfree support confirmed"));

        assertThatThrownBy(() -> result("p33")).isInstanceOf(WorkflowFailedException.class);
        PaymentStatus done = running("p33").status();
        assertThat(done.stage()).isEqualTo(PaymentStage.FAILED);
        assertThat(done.decidedBy()).isEqualTo("ops-ravi");
        assertThat(done.error()).contains("after Cashfree was asked to terminate its order, while the order may still be paid");
        assertThat(activities.calls).doesNotContain("post");
    }

    @Test
    void aPaymentAwaitingItsOrderThatParksOnASourceNoLongerOfferedIsCompensatedWithoutACancellationLoop() throws Exception {
        // Review s16, M1: the order was paid during the wait, but the community no longer offers the source; COMPENSATE was
        // taken as a cancellation, which looked again, parked again, and never ended.
        activities.unpaidLooks = 1;
        activities.sourceNotOfferedLate = true;
        WorkflowClient.start(stub("p32")::process, request("p32"));
        env.sleep(Duration.ofMinutes(90)); // the look at 1 h parks; its automatic retry is at 2 h
        PaymentStatus parked = awaitStage("p32", PaymentStage.NEEDS_ATTENTION);
        assertThat(parked.parkedStep()).isEqualTo(PaymentStage.AWAITING_PAYMENT);

        running("p32").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-anita", "community closed its events"));

        assertThatThrownBy(() -> result("p32")).isInstanceOf(WorkflowFailedException.class);
        PaymentStatus done = running("p32").status();
        assertThat(done.stage()).isEqualTo(PaymentStage.FAILED);
        assertThat(done.decidedBy()).isEqualTo("ops-anita");
        assertThat(activities.calls).doesNotContain("terminate", "post");
        assertThat(activities.calls.stream().filter("late-look"::equals)).as("one look, not a loop of them").hasSize(1);
    }

    @Test
    void anOrderThatExpiresWhileAwaitedIsRefusedAtTheNextLook() {
        activities.unpaidLooks = 1;
        activities.lateLookFailsWith = "order is EXPIRED, not PAID";

        assertThatThrownBy(() -> stub("p22").process(request("p22"))).isInstanceOf(WorkflowFailedException.class);

        assertThat(activities.calls).containsExactly("verify#1", "status:AWAITING_PAYMENT", "late-look", "status:FAILED");
        assertThat(running("p22").status().error()).contains("EXPIRED");
        assertThat(ranMillis("p22")).isBetween(Duration.ofHours(1).toMillis(), Duration.ofHours(2).toMillis());
    }

    @Test
    void aParkedStepIsRetriedByItselfOnADurableTimer() {
        activities.failSettlementTimes = 1;
        long before = env.currentTimeMillis();

        PaymentStatus status = stub("p4").process(request("p4"));

        assertThat(status.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(env.currentTimeMillis() - before).isGreaterThanOrEqualTo(Duration.ofHours(1).toMillis());
        assertThat(activities.calls).containsExactly("verify#1", "screen", "fees", "allocate", "post", "settle",
                "status:NEEDS_ATTENTION", "settle", "status:COMPLETED");
    }

    @Test
    void anOperatorCompensatesAParkedPaymentWithALinkedReversal() throws Exception {
        activities.failSettlementWith = "community has no hold policy";
        WorkflowClient.start(stub("p5")::process, request("p5"));

        PaymentStatus parked = awaitStage("p5", PaymentStage.NEEDS_ATTENTION);
        assertThat(parked.parkedStep()).isEqualTo(PaymentStage.QUEUING_SETTLEMENT);
        assertThat(parked.error()).contains("no hold policy");
        running("p5").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-anita", "bad config"));

        assertThatThrownBy(() -> result("p5")).isInstanceOf(WorkflowFailedException.class);
        assertThat(activities.calls).containsSubsequence("post", "settle", "status:NEEDS_ATTENTION", "reverse:p5", "status:COMPENSATED");
        PaymentStatus done = running("p5").status();
        assertThat(done.stage()).isEqualTo(PaymentStage.COMPENSATED);
        assertThat(done.decidedBy()).isEqualTo("ops-anita");
    }

    /** Parked verifying; an operator's RETRY runs the step again, which waits on the fake's gate meanwhile. */
    private void verifyingAgain(String paymentId) throws Exception {
        activities.sourceNotOffered = true; // parks the verify step (the order is PAID, its source no longer offered)
        WorkflowClient.start(stub(paymentId)::process, request(paymentId));
        awaitStage(paymentId, PaymentStage.NEEDS_ATTENTION);
        activities.verifyGate = new java.util.concurrent.CountDownLatch(1);
        running(paymentId).decide(new OperatorDecision(OperatorDecision.Action.RETRY, "ops-ravi", null));
        for (int i = 0; i < 400 && activities.calls.stream().filter(c -> c.startsWith("verify#")).count() < 2; i++) Thread.sleep(25);
        assertThat(activities.calls.stream().filter(c -> c.startsWith("verify#"))).as("the step runs again").hasSize(2);
        assertThat(running(paymentId).status().stage()).isEqualTo(PaymentStage.VERIFYING);
    }

    /**
     * Waits (real time) until the workflow has handled the last signal sent (a workflow task completed after it), so
     * the step's own result cannot land in the same workflow task as the signal (review s16: there the failure is handled
     * first, a path of its own: aDecisionHandledWhileTheParkIsRecordedIsTaken).
     */
    private void awaitSignalHandled(String paymentId) throws InterruptedException {
        awaitTasksAfterLastSignal(paymentId, 1);
    }

    /** Waits (real time) until {@code tasks} workflow tasks have completed after the last signal sent. */
    private void awaitTasksAfterLastSignal(String paymentId, int tasks) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            List<HistoryEvent> events = history(paymentId);
            int signalled = -1;
            for (int j = 0; j < events.size(); j++) {
                if (events.get(j).getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) signalled = j;
            }
            if (signalled >= 0 && events.subList(signalled, events.size()).stream()
                    .filter(e -> e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).count() >= tasks) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError(paymentId + ": the last signal was never handled (" + tasks + " workflow tasks after it)");
    }

    private PaymentStatus awaitEnd(String paymentId) throws Exception {
        try {
            WorkflowStub.fromTyped(running(paymentId)).getResult(20, java.util.concurrent.TimeUnit.SECONDS, PaymentStatus.class);
        } catch (java.util.concurrent.TimeoutException | WorkflowFailedException ended) {
            // a FAILED payment ends in a failed workflow; a timeout leaves the payment as it stands
        }
        return running(paymentId).status();
    }

    @Test
    void aDecisionSentWhileAParkedStepRunsAgainIsTakenWhenItFailsAgain() throws Exception {
        // s16: while a parked step runs again (its automatic retry, or an operator's RETRY; up to the Cashfree step's six
        // hours) the projection still says NEEDS_ATTENTION and the API answers 202, but the workflow took decisions only
        // while parked: a COMPENSATE sent then was dropped without a word.
        verifyingAgain("p34");
        running("p34").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-anita", "community closed its events"));
        awaitSignalHandled("p34");
        activities.verifyGate.countDown();

        PaymentStatus done = awaitEnd("p34");
        assertThat(done.stage()).isEqualTo(PaymentStage.FAILED);
        assertThat(done.decidedBy()).isEqualTo("ops-anita");
        assertThat(activities.calls.stream().filter(c -> c.startsWith("verify#"))).as("not run a third time").hasSize(2);
    }

    @Test
    void aDecisionSentWhileAParkedStepRunsAgainIsMootWhenItSucceeds() throws Exception {
        verifyingAgain("p35");
        running("p35").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-anita", null));
        awaitSignalHandled("p35");
        activities.sourceNotOffered = false; // offered again: the step succeeds
        activities.failSettlementTimes = 1; // a later step parks: the moot decision must not be applied to it
        activities.verifyGate.countDown();

        assertThat(result("p35").stage()).as("the step succeeded: the payment is booked").isEqualTo(PaymentStage.COMPLETED);
        assertThat(activities.calls).contains("post").noneMatch(c -> c.startsWith("reverse:"));
        assertThat(activities.calls.stream().filter("settle"::equals)).as("the later step retried by itself, not compensated")
                .hasSize(2);
    }

    /**
     * s17, the race s16's review found: a decision handled while the park's status record runs was cleared after the record,
     * dropped without a word though the API had answered 202. The record is a local activity, where the workflow's main
     * thread yields: a signal that reaches the workflow in the same workflow task as the step's failure is handled there (the
     * SDK runs the main thread first), and so is one that arrives while a slow record holds the task open (the SDK
     * heartbeats the task after 80 % of its timeout and delivers new signals in the next). The second is made here: the
     * workflow task times out after 2 s and the record waits until the decision has been handled.
     */
    @Test
    void aDecisionHandledWhileTheParkIsRecordedIsTaken() throws Exception {
        activities.sourceNotOffered = true; // the verify step parks (the order is PAID, its source no longer offered)
        activities.statusHoldFor = "p40:NEEDS_ATTENTION";
        activities.statusGate = new java.util.concurrent.CountDownLatch(1);
        WorkflowClient.start(client.newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PaymentWorkflow.TASK_QUEUE).setWorkflowId(PaymentWorkflow.workflowId("order-p40"))
                .setWorkflowTaskTimeout(Duration.ofSeconds(2))
                .setTypedSearchAttributes(PaymentWorkflow.searchAttributes(request("p40"))).build())::process, request("p40"));
        assertThat(activities.statusHeld.await(20, java.util.concurrent.TimeUnit.SECONDS)).as("the park is being recorded").isTrue();
        running("p40").decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops-anita", "community closed its events"));
        // Handled in a task the SDK's heartbeat opened while the record still runs: two tasks completed after the signal
        // (the one in flight when it came, and the one that handled it).
        awaitTasksAfterLastSignal("p40", 2);
        assertThat(activities.calls).as("while the record still runs").doesNotContain("status:NEEDS_ATTENTION");
        activities.statusGate.countDown();

        PaymentStatus done = awaitEnd("p40");
        assertThat(done.stage()).as("the compensation was taken").isEqualTo(PaymentStage.FAILED);
        assertThat(done.decidedBy()).isEqualTo("ops-anita");
        assertThat(activities.calls.stream().filter(c -> c.startsWith("verify#"))).as("not run again").hasSize(1);
    }

    @Test
    void anOperatorRetriesAParkedPayment() throws Exception {
        activities.failSettlementTimes = 1;
        WorkflowClient.start(stub("p6")::process, request("p6"));

        awaitStage("p6", PaymentStage.NEEDS_ATTENTION);
        running("p6").decide(new OperatorDecision(OperatorDecision.Action.RETRY, "ops-ravi", "fixed"));

        assertThat(result("p6").stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(activities.calls.stream().filter("settle"::equals)).hasSize(2);
        assertThat(activities.calls).noneMatch(c -> c.startsWith("reverse:"));
    }

    @Test
    void aFlaggedPaymentWaitsForReviewAndARejectionPostsNothing() throws Exception {
        activities.verdict = new FraudVerdict(true, List.of("velocity: 12 payments by customer c-1 in 10 minutes"));
        WorkflowClient.start(stub("p7")::process, request("p7"));

        PaymentStatus review = awaitStage("p7", PaymentStage.UNDER_REVIEW);
        assertThat(review.fraudReasons()).containsExactly("velocity: 12 payments by customer c-1 in 10 minutes");
        running("p7").decide(new OperatorDecision(OperatorDecision.Action.RETRY, "ops", "wrong signal: ignored"));
        running("p7").review(new ReviewDecision(ReviewDecision.Outcome.REJECT, "risk-meera", "stolen card"));

        PaymentStatus status = result("p7");
        assertThat(status.stage()).isEqualTo(PaymentStage.REJECTED);
        assertThat(status.decidedBy()).isEqualTo("risk-meera");
        assertThat(activities.calls).containsExactly("verify#1", "screen", "status:UNDER_REVIEW", "status:REJECTED");
    }

    @Test
    void anApprovedFlaggedPaymentCompletes() throws Exception {
        activities.verdict = new FraudVerdict(true, List.of("amount above the per-payment cap"));
        WorkflowClient.start(stub("p8")::process, request("p8"));

        awaitStage("p8", PaymentStage.UNDER_REVIEW);
        running("p8").review(new ReviewDecision(ReviewDecision.Outcome.APPROVE, "risk-meera", "known sponsor"));

        assertThat(result("p8").stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(activities.calls).containsOnlyOnce("post");
    }

    @Test
    void repeatedCashfreeEventsAreCountedOnce() {
        WorkflowClient.start(stub("p9")::process, request("p9"));
        for (int i = 0; i < 10; i++) running("p9").cashfreeEvent(new CashfreeEvent("evt-1", "PAYMENT_SUCCESS_WEBHOOK", "cf-1", "SUCCESS"));
        running("p9").cashfreeEvent(new CashfreeEvent("evt-2", "PAYMENT_SUCCESS_WEBHOOK", "cf-1", "SUCCESS"));

        assertThat(result("p9").cashfreeEvents()).isEqualTo(2);
    }

    @Test
    void theSameOrderNeverStartsASecondPayment() throws Exception {
        // The first payment is held at review so it is certainly running when the second start arrives (without
        // the hold, a fast first run could finish before it and the test would race the clock).
        activities.verdict = new FraudVerdict(true, List.of("held for this test"));
        var first = WorkflowClient.start(stub("p10")::process, request("p10"));
        awaitStage("p10", PaymentStage.UNDER_REVIEW);
        assertThatThrownBy(() -> WorkflowClient.start(stub("p10")::process, request("p10")))
                .isInstanceOf(WorkflowExecutionAlreadyStarted.class);

        // What the API and the webhook do: USE_EXISTING attaches to the running payment instead of failing,
        // and REJECT_DUPLICATE refuses a new run once it has ended.
        var second = WorkflowClient.start(asTheApiStartsIt("p10")::process, request("p10"));
        assertThat(second.getRunId()).isEqualTo(first.getRunId());

        running("p10").review(new ReviewDecision(ReviewDecision.Outcome.APPROVE, "risk-meera", "known sponsor"));
        assertThat(result("p10").stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThatThrownBy(() -> WorkflowClient.start(asTheApiStartsIt("p10")::process, request("p10")))
                .isInstanceOf(WorkflowExecutionAlreadyStarted.class);
        assertThat(activities.calls.stream().filter("post"::equals)).hasSize(1);
    }

    private PaymentWorkflow asTheApiStartsIt(String paymentId) {
        return client.newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PaymentWorkflow.TASK_QUEUE)
                .setWorkflowId(PaymentWorkflow.workflowId("order-" + paymentId))
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .build());
    }
}
