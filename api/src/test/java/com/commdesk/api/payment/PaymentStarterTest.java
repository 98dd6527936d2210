package com.commdesk.api.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.commdesk.ledger.PaymentIntake;
import com.commdesk.ledger.PaymentIntake.AcceptedPayment;
import com.commdesk.workflows.payment.CashfreeEvent;
import com.commdesk.workflows.payment.PaymentRequest;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowServiceException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A payment's start is confirmed only when it happened; a lost one is started again by the sweep, with its metadata. */
class PaymentStarterTest {
    private static final AcceptedPayment PAYMENT = new AcceptedPayment("pay-1", "0".repeat(64), "demo-community", "EVENT",
            "order_1", "order_1", 10_000L, "payment-order_1", null);

    private final PaymentIntake intake = mock(PaymentIntake.class);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final List<PaymentRequest> started = new CopyOnWriteArrayList<>();

    @Test
    void aStartThatHappenedIsConfirmed() throws Exception {
        PaymentStarter starter = new PaymentStarter(intake, (r, event) -> started.add(r), metrics, false);
        starter.startSoon(PAYMENT, Map.of("tier", "gold"));
        assertThat(starter.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(started).singleElement().satisfies(r -> {
            assertThat(r.paymentId()).isEqualTo("pay-1");
            assertThat(r.metadata()).containsEntry("tier", "gold");
        });
        verify(intake).markStarted("pay-1");
    }

    @Test
    void aFailedStartIsNotConfirmedAndTheSweepStartsItWithItsMetadata() throws Exception {
        boolean[] temporalUp = {false};
        PaymentStarter starter = new PaymentStarter(intake, (r, event) -> {
            if (!temporalUp[0]) throw new IllegalStateException("UNAVAILABLE: connection refused");
            started.add(r);
        }, metrics, false);

        starter.startSoon(PAYMENT, Map.of("tier", "gold"));
        assertThat(starter.awaitIdle(Duration.ofSeconds(10))).isTrue();
        verify(intake, never()).markStarted(any());
        assertThat(metrics.get("commdesk.payments.start.failures").tag("code", "UNKNOWN").counter().count()).isEqualTo(1.0);

        temporalUp[0] = true;
        when(intake.unstarted(any(), anyInt())).thenReturn(List.of(new PaymentIntake.Unstarted(PAYMENT, Map.of("tier", "gold"))));
        starter.sweep();
        assertThat(starter.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(started).singleElement().satisfies(r -> assertThat(r.metadata()).containsEntry("tier", "gold"));
        verify(intake).markStarted("pay-1");
    }

    /** What the Temporal client throws when a start's RPC fails: the gRPC status is in the cause, not the message. */
    private static WorkflowServiceException rpcFailure(Status status) {
        return new WorkflowServiceException(WorkflowExecution.newBuilder().setWorkflowId("payment-order_1").build(),
                "PaymentWorkflow", new StatusRuntimeException(status.withDescription("deadline exceeded after 9.99s")));
    }

    @Test
    void aFailedStartSaysWhyInItsMetricAndItsLogLine() throws Exception {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger logger = (Logger) LoggerFactory.getLogger(PaymentStarter.class);
        logger.addAppender(lines);
        try {
            PaymentStarter starter = new PaymentStarter(intake, (r, event) -> {
                throw rpcFailure(Status.DEADLINE_EXCEEDED);
            }, metrics, false);
            starter.startSoon(PAYMENT, Map.of());
            assertThat(starter.awaitIdle(Duration.ofSeconds(10))).isTrue();
        } finally {
            logger.detachAppender(lines);
        }
        assertThat(metrics.find("commdesk.payments.start.failures").tag("code", "DEADLINE_EXCEEDED").counter())
                .as("failures tagged with the gRPC status code of the root cause").isNotNull()
                .satisfies(c -> assertThat(c.count()).isEqualTo(1.0));
        assertThat(lines.list).anySatisfy(line -> assertThat(line.getFormattedMessage())
                .contains("pay-1").contains("DEADLINE_EXCEEDED"));
    }

    /** Payments as PaymentIntake keeps them: recorded at a time, started (workflow_started_at) once confirmed. */
    private final Map<String, AcceptedPayment> recorded = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> marked = new ConcurrentHashMap<>();

    private void recordInIntake(int n, OffsetDateTime at) {
        for (int i = 0; i < n; i++) {
            String id = "pay-%05d".formatted(i);
            recorded.put(id, new AcceptedPayment(id, "0".repeat(64), "demo-community", "EVENT", "order_" + i, "order_" + i,
                    10_000L, "payment-order_" + i, at.plusNanos(i * 1_000L)));
        }
        when(intake.unstarted(any(), anyInt())).thenAnswer(call -> {
            OffsetDateTime before = call.getArgument(0);
            int limit = call.getArgument(1);
            return recorded.values().stream().filter(p -> !marked.containsKey(p.paymentId()))
                    .filter(p -> p.createdAt().isBefore(before))
                    .sorted(Comparator.comparing(AcceptedPayment::createdAt)).limit(limit)
                    .map(p -> new PaymentIntake.Unstarted(p, Map.of())).toList();
        });
        org.mockito.Mockito.doAnswer(call -> {
            marked.computeIfAbsent(call.getArgument(0), k -> new AtomicInteger()).incrementAndGet();
            return null;
        }).when(intake).markStarted(any());
    }

    /** A clock the test moves. */
    private static final class TestClock extends java.time.Clock {
        java.time.Instant now = java.time.Instant.parse("2026-12-02T12:00:00Z");
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public java.time.Instant instant() { return now; }
    }

    @Test
    void underTimeoutsStartAttemptsStayBoundedAndOnceTemporalRecoversEveryPaymentIsStartedOnce() {
        TestClock clock = new TestClock();
        recordInIntake(1_000, OffsetDateTime.ofInstant(clock.now, ZoneOffset.UTC));
        boolean[] temporalUp = {false};
        AtomicInteger attempts = new AtomicInteger();
        Map<String, AtomicInteger> startedById = new ConcurrentHashMap<>();
        // Starts run when the test says (no threads, no timing): each is one start RPC in flight until then.
        java.util.Queue<Runnable> inFlight = new java.util.concurrent.ConcurrentLinkedQueue<>();
        PaymentStarter starter = new PaymentStarter(intake, (r, event) -> {
            attempts.incrementAndGet();
            if (!temporalUp[0]) throw rpcFailure(Status.DEADLINE_EXCEEDED);
            startedById.computeIfAbsent(r.paymentId(), k -> new AtomicInteger()).incrementAndGet();
        }, metrics, 16, 10_000, clock, inFlight::add, false);

        // 1,000 payments recorded in a burst: 16 starts in flight, the rest queued.
        for (AcceptedPayment p : recorded.values()) starter.startSoon(p, Map.of());
        assertThat(inFlight).hasSize(16);

        // A minute in steps of 100 ms, the sweep every 2 s, while every start times out.
        assertThat(run(starter, clock, inFlight, 600, () -> false)).as("starts in flight at most").isLessThanOrEqualTo(16);
        assertThat(attempts.get()).as("start attempts while Temporal times out (1,000 payments, 60 s)").isBetween(17, 50);
        assertThat(metrics.get("commdesk.payments.start.failures").tag("code", "DEADLINE_EXCEEDED").counter().count())
                .isEqualTo(attempts.get());
        assertThat(marked).isEmpty();

        // Temporal recovers: within ten minutes of the clock every payment is started, each once.
        temporalUp[0] = true;
        assertThat(run(starter, clock, inFlight, 6_000, () -> marked.size() >= recorded.size()))
                .as("starts in flight at most").isLessThanOrEqualTo(16);
        assertThat(marked.keySet()).containsExactlyInAnyOrderElementsOf(recorded.keySet());
        assertThat(marked.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(startedById.values()).as("each payment's workflow started once").hasSize(1_000)
                .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }

    /**
     * Review of f8b61e0: a webhook's PAYMENT_SUCCESS is what wakes a payment awaiting its order's payment. For a payment
     * already started the sweep knows nothing of it, so a signal lost to a short Temporal outage was never sent again and
     * the payment waited for its next look, up to a day (while reconciliation could see the order settled).
     */
    @Test
    void aWebhooksEventWhoseSignalFailedIsSentAgainOnceTemporalIsBack() {
        TestClock clock = new TestClock();
        boolean[] temporalUp = {false};
        List<CashfreeEvent> signalled = new CopyOnWriteArrayList<>();
        java.util.Queue<Runnable> inFlight = new java.util.concurrent.ConcurrentLinkedQueue<>();
        PaymentStarter starter = new PaymentStarter(intake, (r, event) -> {
            if (!temporalUp[0]) throw rpcFailure(Status.UNAVAILABLE);
            if (event != null) signalled.add(event);
        }, metrics, 16, 10_000, clock, inFlight::add, false);
        CashfreeEvent success = new CashfreeEvent("evt-1", "PAYMENT_SUCCESS_WEBHOOK", "cf-1", "SUCCESS");

        starter.startSoon(PAYMENT, Map.of(), success); // the payment started long ago: the sweep has nothing of it
        run(starter, clock, inFlight, 600, () -> false); // a minute of Temporal away
        assertThat(signalled).isEmpty();
        temporalUp[0] = true;
        run(starter, clock, inFlight, 600, () -> !signalled.isEmpty());

        assertThat(signalled).containsExactly(success);
    }

    /** Review of e2057df: an event that came while its payment's start (without one) was in flight was dropped. */
    @Test
    void anEventThatComesWhileItsPaymentsStartIsInFlightIsSentAfterIt() {
        TestClock clock = new TestClock();
        List<CashfreeEvent> signalled = new CopyOnWriteArrayList<>();
        java.util.Queue<Runnable> inFlight = new java.util.concurrent.ConcurrentLinkedQueue<>();
        PaymentStarter starter = signalling(clock, inFlight, signalled, 16, 10_000);
        CashfreeEvent success = new CashfreeEvent("evt-2", "PAYMENT_SUCCESS_WEBHOOK", "cf-1", "SUCCESS");

        starter.startSoon(PAYMENT, Map.of()); // the API's start, in flight
        assertThat(inFlight).hasSize(1);
        starter.startSoon(PAYMENT, Map.of(), success); // the webhook, meanwhile
        run(starter, clock, inFlight, 50, () -> !signalled.isEmpty());

        assertThat(signalled).containsExactly(success);
    }

    @Test
    void anEventThatFindsTheQueueFullIsSentOnceThereIsRoom() {
        TestClock clock = new TestClock();
        List<CashfreeEvent> signalled = new CopyOnWriteArrayList<>();
        java.util.Queue<Runnable> inFlight = new java.util.concurrent.ConcurrentLinkedQueue<>();
        PaymentStarter starter = signalling(clock, inFlight, signalled, 1, 1);
        AcceptedPayment other = payment(2);
        AcceptedPayment third = payment(3);
        starter.startSoon(other, Map.of()); // in flight
        starter.startSoon(third, Map.of()); // fills the queue of 1
        CashfreeEvent success = new CashfreeEvent("evt-3", "PAYMENT_SUCCESS_WEBHOOK", "cf-1", "SUCCESS");
        starter.startSoon(PAYMENT, Map.of(), success); // the queue is full: the sweep starts a payment, but knows no event
        run(starter, clock, inFlight, 100, () -> !signalled.isEmpty());

        assertThat(signalled).containsExactly(success);
    }

    /** Review of 436585b: a held event was dropped when the sweep found its payment queued with another event. */
    @Test
    void twoEventsOfOnePaymentQueuedAtOnceAreBothSent() {
        TestClock clock = new TestClock();
        List<CashfreeEvent> signalled = new CopyOnWriteArrayList<>();
        java.util.Queue<Runnable> inFlight = new java.util.concurrent.ConcurrentLinkedQueue<>();
        PaymentStarter starter = signalling(clock, inFlight, signalled, 1, 10);
        AcceptedPayment other = payment(2);
        CashfreeEvent first = new CashfreeEvent("evt-a", "PAYMENT_SUCCESS_WEBHOOK", "cf-1", "SUCCESS");
        CashfreeEvent second = new CashfreeEvent("evt-b", "PAYMENT_SUCCESS_WEBHOOK", "cf-2", "SUCCESS");
        starter.startSoon(other, Map.of()); // takes the one slot
        starter.startSoon(PAYMENT, Map.of(), first); // queued with its event
        starter.startSoon(PAYMENT, Map.of(), second); // held
        starter.sweep(); // while the payment is still queued with the first
        run(starter, clock, inFlight, 100, () -> signalled.size() >= 2);

        assertThat(signalled).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void aSignalThatKeepsFailingIsGivenUpAfterItsAttempts() {
        TestClock clock = new TestClock();
        AtomicInteger attempts = new AtomicInteger();
        java.util.Queue<Runnable> inFlight = new java.util.concurrent.ConcurrentLinkedQueue<>();
        PaymentStarter starter = new PaymentStarter(intake, (r, event) -> {
            attempts.incrementAndGet();
            throw rpcFailure(Status.UNAVAILABLE);
        }, metrics, 16, 10_000, clock, inFlight::add, false);

        starter.startSoon(PAYMENT, Map.of(), new CashfreeEvent("evt-1", "PAYMENT_SUCCESS_WEBHOOK", "cf-1", "SUCCESS"));
        run(starter, clock, inFlight, 12_000, () -> false); // 20 minutes

        assertThat(attempts.get()).as("sent again every 15 s, then given up").isEqualTo(PaymentStarter.EVENT_ATTEMPTS);
    }

    /**
     * s14 left undone: an event whose signal failed was held in memory only, so a restart lost it and a payment awaiting its
     * order waited for its next look (up to a day). The webhook is recorded before it is answered: the next process finds
     * it in the database (a payment still awaiting, that has not looked since it came) and signals it, once.
     */
    @Test
    void aSuccessRecordedButNotSignalledBeforeARestartIsSignalledByTheNextProcessOnce() {
        TestClock clock = new TestClock();
        List<CashfreeEvent> signalled = new CopyOnWriteArrayList<>();
        java.util.Queue<Runnable> inFlight = new java.util.concurrent.ConcurrentLinkedQueue<>();
        when(intake.successesNotYetSeen(any(), any(), anyInt())).thenReturn(List.of(
                new com.commdesk.ledger.WebhookEvents.PaymentSuccess("pay-1", "evt-lost", "cf-1", "SUCCESS", OffsetDateTime.now())));
        when(intake.find("pay-1")).thenReturn(java.util.Optional.of(PAYMENT));
        when(intake.metadata("pay-1")).thenReturn(Map.of("tier", "gold"));
        PaymentStarter next = signalling(clock, inFlight, signalled, 16, 10_000); // a new process: nothing in its memory

        run(next, clock, inFlight, 600, () -> false); // a minute in which the workflow has not looked yet: found at every look

        assertThat(signalled).containsExactly(new CashfreeEvent("evt-lost", CashfreeEvent.PAYMENT_SUCCESS, "cf-1", "SUCCESS"));
        org.mockito.ArgumentCaptor<OffsetDateTime> before = org.mockito.ArgumentCaptor.forClass(OffsetDateTime.class);
        verify(intake, org.mockito.Mockito.atLeast(3)).successesNotYetSeen(before.capture(), any(), anyInt());
        verify(intake, org.mockito.Mockito.atMost(5)).successesNotYetSeen(any(), any(), anyInt()); // every 15 s, not every sweep
        verify(intake, org.mockito.Mockito.times(1)).metadata("pay-1"); // read only for what is held
        assertThat(before.getAllValues().get(0).toInstant()).as("received at least 15 s ago: the webhook's own signal first")
                .isBeforeOrEqualTo(clock.now.minusSeconds(15));
    }

    /** Review s15: the durable look pages on after a full page, and starts from the oldest again after a short one. */
    @Test
    void theDurableLookPagesOnAfterAFullPageAndStartsAgainAfterAShortOne() {
        TestClock clock = new TestClock();
        List<CashfreeEvent> signalled = new CopyOnWriteArrayList<>();
        java.util.Queue<Runnable> inFlight = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<com.commdesk.ledger.WebhookEvents.PaymentSuccess> full = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            full.add(new com.commdesk.ledger.WebhookEvents.PaymentSuccess("pay-x", "evt-" + i, "cf-" + i, "SUCCESS", OffsetDateTime.now()));
        }
        List<com.commdesk.ledger.WebhookEvents.PaymentSuccess> afters = new CopyOnWriteArrayList<>();
        when(intake.successesNotYetSeen(any(), any(), anyInt())).thenAnswer(call -> {
            afters.add(call.getArgument(1)); // null recorded as such
            return afters.size() == 1 ? full : List.of();
        });
        PaymentStarter starter = signalling(clock, inFlight, signalled, 16, 10_000);

        run(starter, clock, inFlight, 460, () -> false); // three looks, 15 s apart

        assertThat(afters).hasSizeGreaterThanOrEqualTo(3);
        assertThat(afters.get(0)).as("the first look from the oldest").isNull();
        assertThat(afters.get(1)).as("after a full page, on after its last row").isEqualTo(full.get(99));
        assertThat(afters.get(2)).as("after a short page, from the oldest again").isNull();
    }

    /** Review s15: an event the durable look held and then gave up on (Temporal away for its 40 attempts) is found again. */
    @Test
    void anEventTheDurableLookGaveUpOnIsHeldAgainByALaterLook() {
        TestClock clock = new TestClock();
        AtomicInteger attempts = new AtomicInteger();
        java.util.Queue<Runnable> inFlight = new java.util.concurrent.ConcurrentLinkedQueue<>();
        when(intake.successesNotYetSeen(any(), any(), anyInt())).thenReturn(List.of(
                new com.commdesk.ledger.WebhookEvents.PaymentSuccess("pay-1", "evt-given-up", "cf-1", "SUCCESS", OffsetDateTime.now())));
        when(intake.find("pay-1")).thenReturn(java.util.Optional.of(PAYMENT));
        PaymentStarter starter = new PaymentStarter(intake, (r, event) -> {
            if (event != null) attempts.incrementAndGet();
            throw rpcFailure(Status.UNAVAILABLE);
        }, metrics, 16, 10_000, clock, inFlight::add, false);

        run(starter, clock, inFlight, 12_000, () -> false); // 20 minutes: 40 attempts, given up, then held again

        assertThat(attempts.get()).as("held again after its attempts ran out").isGreaterThan(PaymentStarter.EVENT_ATTEMPTS);
    }

    /** A starter whose starts run when {@link #run} says and that records every event it signals; the sweep run by the test. */
    private PaymentStarter signalling(TestClock clock, java.util.Queue<Runnable> inFlight, List<CashfreeEvent> signalled,
                                      int concurrency, int queueCapacity) {
        return new PaymentStarter(intake, (r, event) -> {
            if (event != null) signalled.add(event);
        }, metrics, concurrency, queueCapacity, clock, inFlight::add, false);
    }

    /** Another recorded payment, pay-{@code n} of order_{@code n}. */
    private static AcceptedPayment payment(int n) {
        return new AcceptedPayment("pay-" + n, "0".repeat(64), "demo-community", "EVENT", "order_" + n, "order_" + n, 10_000L,
                "payment-order_" + n, null);
    }

    /**
     * Up to {@code steps} steps of 100 ms of the clock (the sweep every 2 s, the pump every step, every start handed to the
     * executor run at once) or until {@code done}; returns the most starts in flight seen at once.
     */
    private static int run(PaymentStarter starter, TestClock clock, java.util.Queue<Runnable> inFlight, int steps,
                           java.util.function.BooleanSupplier done) {
        int maxInFlight = 0;
        for (int step = 1; step <= steps && !done.getAsBoolean(); step++) {
            clock.now = clock.now.plusMillis(100);
            if (step % 20 == 0) starter.sweep();
            starter.pump();
            maxInFlight = Math.max(maxInFlight, inFlight.size());
            for (Runnable start; (start = inFlight.poll()) != null; ) start.run();
        }
        return maxInFlight;
    }

    @Test
    void theQueueIsBoundedAndTheSweepStartsWhatDidNotFitOldestFirstWithoutRequeuingWhatIsQueued() {
        TestClock clock = new TestClock();
        recordInIntake(10, OffsetDateTime.ofInstant(clock.now, ZoneOffset.UTC));
        List<String> startOrder = new CopyOnWriteArrayList<>();
        java.util.Queue<Runnable> inFlight = new java.util.concurrent.ConcurrentLinkedQueue<>();
        PaymentStarter starter = new PaymentStarter(intake, (r, event) -> startOrder.add(r.paymentId()),
                metrics, 2, 3, clock, inFlight::add, false);

        // Recorded newest first: 2 in flight, 3 queued, 5 left for the sweep.
        recorded.values().stream().sorted(Comparator.comparing(AcceptedPayment::createdAt).reversed())
                .forEach(p -> starter.startSoon(p, Map.of()));
        assertThat(inFlight).hasSize(2);
        assertThat(metrics.get("commdesk.payments.start.deferred").counter().count()).isEqualTo(5.0);

        clock.now = clock.now.plus(PaymentStarter.RETRY_AFTER).plusSeconds(1);
        for (int round = 0; round < 20 && marked.size() < 10; round++) {
            starter.sweep();
            for (Runnable start; (start = inFlight.poll()) != null; ) start.run();
        }
        assertThat(marked.keySet()).containsExactlyInAnyOrderElementsOf(recorded.keySet());
        assertThat(startOrder).as("each started once").doesNotHaveDuplicates().hasSize(10);
        // After the first two taken at once, the queue hands out the oldest recorded first.
        List<String> queuedOrder = startOrder.subList(2, 5);
        assertThat(queuedOrder).isSortedAccordingTo(Comparator.naturalOrder());
    }

    @Test
    void theOldestStartStillWaitingForTemporalIsMeasured() throws Exception {
        java.util.concurrent.CountDownLatch temporalBack = new java.util.concurrent.CountDownLatch(1);
        PaymentStarter starter = new PaymentStarter(intake, (r, event) -> {
            try {
                temporalBack.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            started.add(r);
        }, metrics, false);
        var oldest = metrics.find("commdesk.payments.start.oldest").gauge();
        assertThat(oldest).as("gauge commdesk.payments.start.oldest").isNotNull();
        assertThat(oldest.getId().getBaseUnit()).isEqualTo("seconds");
        assertThat(oldest.getId().getDescription()).isNotBlank();
        assertThat(oldest.value()).as("no start in flight").isZero();

        starter.startSoon(PAYMENT, Map.of());
        Thread.sleep(1_200);
        starter.startSoon(new AcceptedPayment("pay-2", "1".repeat(64), "demo-community", "EVENT", "order_2", "order_2", 10_000L,
                "payment-order_2", null), Map.of());
        assertThat(oldest.value()).as("the first start has waited since before the second began").isBetween(1.0, 30.0);

        temporalBack.countDown();
        assertThat(starter.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(oldest.value()).as("nothing waits once Temporal answered").isZero();
        assertThat(started).hasSize(2);
    }

    @Test
    void theOldestStartGaugeFollowsTheStartsInFlightAndNeverTheQueue() {
        // The gauge is read at every scrape: it reads the oldest start in flight (kept as starts are taken and answered), never
        // the queue. Here the clock and the starts run when the test says, so every value is exact.
        TestClock clock = new TestClock();
        java.util.Queue<Runnable> inFlight = new java.util.concurrent.ConcurrentLinkedQueue<>();
        PaymentStarter starter = new PaymentStarter(intake, (r, event) -> started.add(r), metrics, 2, 10, clock, inFlight::add, false);
        var oldest = metrics.get("commdesk.payments.start.oldest").gauge();
        java.util.function.IntFunction<AcceptedPayment> payment = i -> new AcceptedPayment("pay-" + i, "0".repeat(64),
                "demo-community", "EVENT", "order_" + i, "order_" + i, 10_000L, "payment-order_" + i,
                OffsetDateTime.ofInstant(clock.now, ZoneOffset.UTC).minusHours(1).plusSeconds(i)); // recorded an hour ago
        assertThat(oldest.value()).as("nothing in flight").isZero();

        starter.startSoon(payment.apply(1), Map.of()); // taken at 12:00:00
        Runnable first = inFlight.poll();
        clock.now = clock.now.plusSeconds(5);
        starter.startSoon(payment.apply(2), Map.of()); // taken at 12:00:05
        Runnable second = inFlight.poll();
        clock.now = clock.now.plusSeconds(5);
        starter.startSoon(payment.apply(3), Map.of()); // the limit is 2: queued, recorded an hour ago, not waiting for Temporal
        assertThat(inFlight).isEmpty();
        assertThat(oldest.value()).as("the first start, taken 10 s ago; the queued one is not in flight").isEqualTo(10.0);

        second.run(); // the younger one answered (pump takes the queued one now, at 12:00:10)
        Runnable third = inFlight.poll();
        assertThat(third).isNotNull();
        clock.now = clock.now.plusSeconds(2);
        assertThat(oldest.value()).as("still the first start").isEqualTo(12.0);

        first.run();
        assertThat(oldest.value()).as("the third start, taken 2 s ago").isEqualTo(2.0);

        third.run();
        assertThat(oldest.value()).as("nothing in flight").isZero();
        assertThat(started).extracting(PaymentRequest::paymentId).containsExactly("pay-2", "pay-1", "pay-3");
    }
}
