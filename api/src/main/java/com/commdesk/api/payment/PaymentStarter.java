package com.commdesk.api.payment;

import com.commdesk.ledger.PaymentIntake;
import com.commdesk.ledger.PaymentIntake.AcceptedPayment;
import com.commdesk.workflows.payment.CashfreeEvent;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.PaymentWorkflow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.BatchRequest;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Starts payment workflows after {@code POST /api/v1/payments} has answered, so the request never waits
 * on Temporal (under load a start waits for the server, seconds at a time). The payment is recorded first
 * (PaymentIntake, with everything a start needs); a start here is queued and confirmed in the row
 * ({@code workflow_started_at}) once it happened; every {@link #SWEEP_EVERY} the sweep queues again, oldest
 * first, whatever is still unconfirmed after {@link #RETRY_AFTER} and neither queued nor in flight (a start
 * lost to a crash, a full queue, a failure or Temporal being down).
 *
 * <p>Starts pace themselves (docs/performance.md § 3): at most {@code commdesk.payments.start.concurrency}
 * start RPCs are in flight, the oldest recorded payment first; the rest wait in a queue of
 * {@code commdesk.payments.start.queue-capacity} (beyond it, for the sweep). A start that fails because
 * Temporal is overloaded or unreachable (DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE) halves the
 * number allowed in flight and pauses all starts ({@link #FIRST_PAUSE}, doubling to {@link #LONGEST_PAUSE}
 * while failures go on); each start that succeeds allows one more in flight again, up to the concurrency.
 * So a backlog costs one probe per pause, not a storm of starts that each time out.
 * Starting twice is harmless: the workflow id is the order's, and the id policies join a running
 * workflow and refuse a finished one ({@link PaymentsController#startOptions}).
 */
@Component
public class PaymentStarter {
    private static final Logger log = LoggerFactory.getLogger(PaymentStarter.class);
    static final int DEFAULT_CONCURRENCY = 32;
    static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    static final Duration SWEEP_EVERY = Duration.ofSeconds(2);
    static final Duration RETRY_AFTER = Duration.ofSeconds(15);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);
    private static final int SWEEP_BATCH = 500;
    /**
     * A webhook's event whose signal failed is sent again every {@link #RETRY_AFTER}, this many times in all (about 10
     * minutes): for a payment already started the sweep knows nothing of it, and the event is what wakes a payment that
     * awaits its order's payment (AWAITING_PAYMENT). After that its workflow's own look at Cashfree (hourly, then daily)
     * finds the payment.
     */
    static final int EVENT_ATTEMPTS = 40;
    /** Bound on {@link #signalled}. */
    static final int SIGNALLED_REMEMBERED = 10_000;
    /** Bound on the deliveries one durable look hands over. */
    private static final int AWAITED_BATCH = 100;
    /** gRPC status codes that say Temporal cannot keep up or cannot be reached: back off. */
    private static final Set<Status.Code> OVERLOAD = EnumSet.of(Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAVAILABLE);

    private final PaymentIntake intake;
    /** Starts one workflow idempotently, with the webhook event as a signal when there is one (null: none), or throws. */
    private final BiConsumer<PaymentRequest, CashfreeEvent> starter;
    private final MeterRegistry metrics;
    private final Clock clock;
    /** Runs one start; virtual threads in production (a start is a blocking gRPC call that mostly waits). */
    private final Executor starts;
    private final ScheduledExecutorService scheduler;
    private final int concurrency;
    private final int queueCapacity;

    // Guarded by "this".
    /** Waiting starts, the oldest recorded payment first. */
    private final PriorityQueue<Pending> queue = new PriorityQueue<>(
            Comparator.comparing(Pending::recordedAt).thenComparingLong(Pending::seq));
    /** Payment id → its start, queued or in flight: never queued twice. */
    private final Map<String, Pending> pending = new HashMap<>();
    /**
     * The starts in flight, the one taken first (earliest {@code beganAt}) first: the oldest-start gauge reads its head at
     * every scrape instead of walking every start queued or in flight.
     */
    private final java.util.TreeSet<Pending> flying = new java.util.TreeSet<>(
            Comparator.comparing((Pending p) -> p.beganAt).thenComparingLong(Pending::seq));
    /** Webhook events whose signal failed, each sent again once due (by the sweep); at most queueCapacity. */
    private final List<Pending> resends = new ArrayList<>();
    private int inFlight;
    /** Starts allowed in flight now: 1..concurrency, halved on overload, one more per success. */
    private int limit;
    private Instant pausedUntil = Instant.MIN;
    private Duration nextPause = FIRST_PAUSE;
    private long seq;
    private boolean stopped;
    /** When the sweep last looked for PAYMENT_SUCCESS deliveries that payments awaiting their order have not seen. */
    private Instant awaitedLookedAt = Instant.MIN;
    /** The last delivery the durable look handed over (its next page starts after it); null: from the oldest. */
    private com.commdesk.ledger.WebhookEvents.PaymentSuccess awaitedCursor;
    /** Event ids the durable look held, until they are signalled (bounded, oldest forgotten first). */
    private final Set<String> heldFromDatabase = bounded();
    /**
     * Event ids the durable look had signalled (bounded, oldest forgotten first; only those: a webhook's own signals do not
     * push them out): it finds a delivery again until its workflow records a look at Cashfree, and must not signal it every
     * {@link #RETRY_AFTER} meanwhile (a worker down for hours would otherwise fill the workflow's history with repeats).
     */
    private final Set<String> signalled = bounded();

    private static Set<String> bounded() {
        return java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > SIGNALLED_REMEMBERED;
            }
        });
    }

    private final Counter deferred;

    @org.springframework.beans.factory.annotation.Autowired
    public PaymentStarter(PaymentIntake intake, WorkflowClient own, MeterRegistry metrics,
                          org.springframework.beans.factory.ObjectProvider<com.commdesk.api.ApiConfiguration.SharedWorkflowClient> shared,
                          @Value("${commdesk.payments.start.concurrency:" + DEFAULT_CONCURRENCY + "}") int concurrency,
                          @Value("${commdesk.payments.start.queue-capacity:" + DEFAULT_QUEUE_CAPACITY + "}") int queueCapacity) {
        this(intake, starter(shared.getIfAvailable() != null ? shared.getIfAvailable().client() : own), metrics,
                concurrency, queueCapacity, Clock.systemUTC(),
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("payment-start-", 0).factory()), true);
    }

    /** Starts through {@code workflows}: the worker's own client where one shares this process (eager starts). */
    private static BiConsumer<PaymentRequest, CashfreeEvent> starter(WorkflowClient workflows) {
        return (request, event) -> {
            if (event == null) start(workflows, request);
            else signalWithStart(workflows, request, event);
        };
    }

    /** Tests: the defaults, starts on virtual threads, the sweep run by the test. */
    PaymentStarter(PaymentIntake intake, BiConsumer<PaymentRequest, CashfreeEvent> starter, MeterRegistry metrics, boolean sweeping) {
        this(intake, starter, metrics, DEFAULT_CONCURRENCY, DEFAULT_QUEUE_CAPACITY, Clock.systemUTC(),
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("payment-start-", 0).factory()), sweeping);
    }

    /**
     * {@code starter} starts one workflow idempotently or throws; {@code starts} runs each start; {@code clock}
     * times the pauses; {@code sweeping}: run the sweep (and resume after a pause) on its own, else the caller
     * calls {@link #sweep()} and {@link #pump()}.
     */
    PaymentStarter(PaymentIntake intake, BiConsumer<PaymentRequest, CashfreeEvent> starter, MeterRegistry metrics,
                   int concurrency, int queueCapacity, Clock clock, Executor starts, boolean sweeping) {
        if (concurrency < 1) throw new IllegalArgumentException("commdesk.payments.start.concurrency must be at least 1");
        if (queueCapacity < 0) throw new IllegalArgumentException("commdesk.payments.start.queue-capacity must not be negative");
        this.intake = intake;
        this.starter = starter;
        this.metrics = metrics;
        this.clock = clock;
        this.starts = starts;
        this.concurrency = concurrency;
        this.queueCapacity = queueCapacity;
        this.limit = concurrency;
        this.deferred = Counter.builder("commdesk.payments.start.deferred")
                .description("payment starts not queued because the start queue was full; the sweep starts them").register(metrics);
        Gauge.builder("commdesk.payments.start.in.flight", this, s -> s.snapshot()[0])
                .description("payment workflow starts in flight").register(metrics);
        Gauge.builder("commdesk.payments.start.queued", this, s -> s.snapshot()[1])
                .description("payment workflow starts waiting in the starter's queue").register(metrics);
        Gauge.builder("commdesk.payments.start.limit", this, s -> s.snapshot()[2])
                .description("payment workflow starts allowed in flight now (lowered while Temporal is overloaded)").register(metrics);
        // The codes an overloaded or absent Temporal answers, and "no gRPC status", exist from the start at 0: the alert on
        // start failures (CommDeskPaymentStartsDelayed) reads an increase, which a series born at its first failure never shows.
        for (Status.Code code : List.of(Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAVAILABLE,
                Status.Code.UNKNOWN)) {
            failureCounter(metrics, code);
        }
        // While Temporal does not answer, a start first waits inside the SDK's own retries (about 7 s against a refused
        // connection, measured on the pinned dev server) before it fails and is left to the sweep: how long the oldest one in
        // flight has waited shows the outage from its first second (alert CommDeskPaymentStartsDelayed, docs/operations.md).
        Gauge.builder("commdesk.payments.start.oldest", this, PaymentStarter::oldestSeconds).baseUnit("seconds")
                .description("how long the oldest payment workflow start still in flight has waited for Temporal (0: none in flight)")
                .register(metrics);
        if (sweeping) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "payment-start-sweep");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(this::sweep, SWEEP_EVERY.toMillis(), SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            scheduler = null;
        }
    }

    private static Counter failureCounter(MeterRegistry metrics, Status.Code code) {
        return Counter.builder("commdesk.payments.start.failures")
                .description("workflow starts that failed and are left to the sweep, by the gRPC status code of the cause")
                .tag("code", code.name()).register(metrics);
    }

    private synchronized int[] snapshot() {
        return new int[] {inFlight, queue.size(), limit};
    }

    /** Seconds the oldest start in flight (taken from the queue, its RPC not yet answered) has waited; 0 when none is. */
    private synchronized double oldestSeconds() {
        if (flying.isEmpty()) return 0;
        return Math.max(0, Duration.between(flying.first().beganAt, clock.instant()).toNanos()) / 1e9;
    }

    /** A start waiting or in flight; {@code event} may be attached later by a webhook while it waits. */
    private static final class Pending {
        final AcceptedPayment payment;
        final Map<String, String> metadata;
        final Map<String, String> logContext;
        final Instant recordedAt;
        final long seq;
        CashfreeEvent event;
        /** Which attempt this is at sending {@link #event} (1: the webhook's own). */
        final int attempt;
        /** A resend: not before this (null: at once). */
        final Instant due;
        /** Taken from the queue: its start is in flight. */
        boolean taken;
        /** When it was taken (its start RPC began). */
        Instant beganAt;

        Pending(AcceptedPayment payment, Map<String, String> metadata, CashfreeEvent event, Map<String, String> logContext,
                Instant recordedAt, long seq) {
            this(payment, metadata, event, logContext, recordedAt, seq, 1, null);
        }

        Pending(AcceptedPayment payment, Map<String, String> metadata, CashfreeEvent event, Map<String, String> logContext,
                Instant recordedAt, long seq, int attempt, Instant due) {
            this.attempt = attempt;
            this.due = due;
            this.payment = payment;
            this.metadata = metadata;
            this.event = event;
            this.logContext = logContext;
            this.recordedAt = recordedAt;
            this.seq = seq;
        }

        Instant recordedAt() { return recordedAt; }
        long seq() { return seq; }
    }

    /** Queues the start of the payment's workflow, off the request thread; never throws. */
    public void startSoon(AcceptedPayment payment, Map<String, String> metadata) {
        startSoon(payment, metadata, null);
    }

    /**
     * The same for a verified Cashfree webhook: its event goes with the start as a signal (signal-with-start).
     * Verification always asks Cashfree itself, so the event decides nothing; but it wakes a payment that awaits its
     * order's payment (AWAITING_PAYMENT) to look again at once. A signal that fails is sent again every RETRY_AFTER, up to
     * {@link #EVENT_ATTEMPTS} attempts (held in memory: a restart loses them, and the workflow's own looks remain); a
     * payment not yet started is also started by the sweep, without the event.
     */
    public void startSoon(AcceptedPayment payment, Map<String, String> metadata, CashfreeEvent event) {
        // The request's log context (request id) goes with the start: Temporal's context propagator carries
        // it from the MDC into the workflow's logs, so a payment's lines are found by the API's request id.
        enqueue(payment, metadata, event, org.slf4j.MDC.getCopyOfContextMap());
        pump();
    }

    private synchronized void enqueue(AcceptedPayment payment, Map<String, String> metadata, CashfreeEvent event,
                                      Map<String, String> logContext) {
        if (stopped) return;
        Pending already = pending.get(payment.paymentId());
        if (already != null) {
            if (event != null && already.event == null && !already.taken) already.event = event;
            // In flight, or queued with another event: sent after it (review of e2057df: it was dropped).
            else if (event != null && (already.event == null || !event.eventId().equals(already.event.eventId()))) {
                holdForLater(payment, metadata, event, logContext);
            }
            return; // queued or in flight: never started twice at once
        }
        if (queue.size() >= queueCapacity) {
            deferred.increment();
            // The sweep starts it if it never was, but knows nothing of the event: held, sent once there is room.
            if (event != null) holdForLater(payment, metadata, event, logContext);
            return;
        }
        Pending p = new Pending(payment, metadata, event, logContext, recordedAt(payment), seq++);
        pending.put(payment.paymentId(), p);
        queue.add(p);
    }

    /**
     * Holds a webhook's event to be sent by the sweep (first attempt, due now); dropped, with a warning, when too many wait.
     * Returns whether it is held.
     */
    private boolean holdForLater(AcceptedPayment payment, Map<String, String> metadata, CashfreeEvent event,
                                 Map<String, String> logContext) {
        if (resends.size() >= queueCapacity) {
            log.warn("Cashfree event {} for payment {} not signalled: {} events already wait to be; its workflow looks at"
                    + " Cashfree itself", event.eventId(), payment.paymentId(), resends.size());
            return false;
        }
        resends.add(new Pending(payment, metadata, event, logContext, recordedAt(payment), seq++, 1, clock.instant()));
        return true;
    }

    /** When the payment was recorded (its queue order: oldest first); now if the row did not say. */
    private Instant recordedAt(AcceptedPayment payment) {
        return payment.createdAt() != null ? payment.createdAt().toInstant() : clock.instant();
    }

    /**
     * Every {@link #RETRY_AFTER}: PAYMENT_SUCCESS deliveries recorded at least that long ago for a payment that still awaits
     * its order and has not looked since (WebhookEvents.paymentSuccessesNotYetSeen) are held to be signalled, unless this
     * process signalled them already or holds them. The in-memory resends are lost with the process; this is read from the
     * database, so the next process signals them (s14 left undone: a restart lost them, and the payment waited for its next
     * look, up to a day).
     */
    private void holdUnseenSuccesses() {
        Instant now = clock.instant();
        com.commdesk.ledger.WebhookEvents.PaymentSuccess after;
        synchronized (this) {
            if (stopped || now.isBefore(awaitedLookedAt.plus(RETRY_AFTER))) return;
            awaitedLookedAt = now;
            after = awaitedCursor;
        }
        List<com.commdesk.ledger.WebhookEvents.PaymentSuccess> found = intake.successesNotYetSeen(
                OffsetDateTime.ofInstant(now.minus(RETRY_AFTER), java.time.ZoneOffset.UTC), after, AWAITED_BATCH);
        if (found == null) found = List.of();
        List<com.commdesk.ledger.WebhookEvents.PaymentSuccess> toHold = new ArrayList<>();
        synchronized (this) {
            // A full page: the next look goes on after it; a short one: the next starts from the oldest again.
            awaitedCursor = found.size() < AWAITED_BATCH ? null : found.get(found.size() - 1);
            for (var e : found) {
                if (!signalled.contains(e.eventId()) && !heldFromDatabase.contains(e.eventId()) && !holds(e.paymentId(), e.eventId())) {
                    toHold.add(e);
                }
            }
        }
        for (var e : toHold) { // the payment and its metadata read only for what is held, outside the lock
            AcceptedPayment payment = intake.find(e.paymentId()).orElse(null);
            if (payment == null) continue;
            Map<String, String> metadata = intake.metadata(e.paymentId());
            synchronized (this) {
                if (stopped) return;
                // Remembered only when held: one dropped (too many waiting) is found again by a later look.
                if (holdForLater(payment, metadata, new CashfreeEvent(e.eventId(), CashfreeEvent.PAYMENT_SUCCESS, e.cfPaymentId(),
                        e.paymentStatus()), null)) {
                    heldFromDatabase.add(e.eventId());
                }
            }
        }
    }

    /** Whether this event of this payment is queued, in flight or held to be sent again. */
    private boolean holds(String paymentId, String eventId) {
        Pending p = pending.get(paymentId);
        if (p != null && p.event != null && p.event.eventId().equals(eventId)) return true;
        for (Pending r : resends) {
            if (r.event.eventId().equals(eventId)) return true;
        }
        return false;
    }

    /** Queues the resends that are due (the sweep's first act); one already queued for the payment takes the event. */
    private synchronized void queueDueResends() {
        if (stopped || resends.isEmpty()) return;
        Instant now = clock.instant();
        for (java.util.Iterator<Pending> it = resends.iterator(); it.hasNext(); ) {
            Pending r = it.next();
            if (r.due.isAfter(now)) continue;
            Pending already = pending.get(r.payment.paymentId());
            if (already != null) {
                if (already.taken) continue; // in flight: sent after it ends
                if (already.event == null) {
                    already.event = r.event;
                    it.remove();
                } else if (already.event.eventId().equals(r.event.eventId())) {
                    it.remove(); // the same event goes with the queued start
                }
                continue; // queued with another event: sent after it (review of 436585b: it was dropped)
            }
            if (queue.size() >= queueCapacity) return;
            it.remove();
            Pending p = new Pending(r.payment, r.metadata, r.event, r.logContext, r.recordedAt, seq++, r.attempt, null);
            pending.put(p.payment.paymentId(), p);
            queue.add(p);
        }
    }

    /** Starts queued payments, oldest first, while fewer than the limit are in flight and starts are not paused. */
    void pump() {
        List<Pending> go = new ArrayList<>();
        synchronized (this) {
            if (stopped || clock.instant().isBefore(pausedUntil)) return;
            while (inFlight < limit && !queue.isEmpty()) {
                Pending p = queue.poll();
                p.taken = true;
                p.beganAt = clock.instant();
                flying.add(p);
                go.add(p);
                inFlight++;
            }
        }
        for (Pending p : go) {
            try {
                starts.execute(() -> run(p));
            } catch (RejectedExecutionException shuttingDown) {
                done(p, null);
            }
        }
    }

    private void run(Pending p) {
        if (p.logContext != null) org.slf4j.MDC.setContextMap(p.logContext);
        Status.Code failure = null;
        try {
            AcceptedPayment a = p.payment;
            CashfreeEvent event;
            synchronized (this) {
                event = p.event;
            }
            starter.accept(new PaymentRequest(a.paymentId(), a.communityId(), a.sourceType(), a.sourceId(),
                    a.cashfreeOrderId(), a.amountPaise(), p.metadata), event);
            intake.markStarted(a.paymentId());
        } catch (RuntimeException e) {
            failure = codeOf(e);
            Throwable root = rootCause(e);
            failureCounter(metrics, failure).increment();
            log.warn("workflow start of payment {} failed ({}), the sweep retries it: {}: {}", p.payment.paymentId(),
                    failure, root.getClass().getSimpleName(), root.getMessage());
        } finally {
            org.slf4j.MDC.clear();
            done(p, failure);
        }
        pump();
    }

    /** A start has ended ({@code failure}: null if it happened): free its slot, and back off if Temporal is overloaded. */
    private void done(Pending p, Status.Code failure) {
        Duration pause = null;
        synchronized (this) {
            inFlight--;
            pending.remove(p.payment.paymentId());
            flying.remove(p);
            if (failure != null && p.event != null && !stopped) {
                if (p.attempt < EVENT_ATTEMPTS && resends.size() < queueCapacity) {
                    resends.add(new Pending(p.payment, p.metadata, p.event, p.logContext, p.recordedAt, p.seq, p.attempt + 1,
                            clock.instant().plus(RETRY_AFTER)));
                } else {
                    heldFromDatabase.remove(p.event.eventId()); // given up here: a later durable look finds it again
                    log.warn("Cashfree event {} for payment {} not signalled ({} attempts, {} events waiting); its workflow looks"
                            + " at Cashfree itself", p.event.eventId(), p.payment.paymentId(), p.attempt, resends.size());
                }
            }
            if (failure == null) {
                if (p.event != null && heldFromDatabase.remove(p.event.eventId())) signalled.add(p.event.eventId());
                if (limit < concurrency) limit++;
                nextPause = FIRST_PAUSE;
            } else if (OVERLOAD.contains(failure)) {
                limit = Math.max(1, limit / 2);
                Instant now = clock.instant();
                if (!now.isBefore(pausedUntil)) {
                    // One pause per wave of failures: starts already in flight when it began fail into it.
                    pause = nextPause;
                    pausedUntil = now.plus(pause);
                    nextPause = nextPause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : nextPause.multipliedBy(2);
                }
            }
            notifyAll();
        }
        if (pause != null) {
            log.warn("Temporal is not keeping up ({}): payment starts paused for {}, at most {} in flight after it",
                    failure, pause, snapshot()[2]);
            if (scheduler != null) {
                try {
                    scheduler.schedule(this::pump, pause.toMillis() + 1, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    // stopping
                }
            }
        }
    }

    /** The gRPC status code of the failure's cause (the Temporal client wraps it), or UNKNOWN. */
    public static Status.Code codeOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StatusRuntimeException s) return s.getStatus().getCode();
            if (t instanceof StatusException s) return s.getStatus().getCode();
        }
        return Status.Code.UNKNOWN;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    /**
     * Queues what is recorded but not confirmed started after RETRY_AFTER (oldest first) and neither queued
     * nor in flight, as far as the queue has room; then starts what the limit allows.
     */
    void sweep() {
        try {
            holdUnseenSuccesses();
            queueDueResends();
            int room;
            synchronized (this) {
                room = Math.min(SWEEP_BATCH, queueCapacity - queue.size());
            }
            if (room > 0) {
                for (PaymentIntake.Unstarted u : intake.unstarted(OffsetDateTime.ofInstant(clock.instant().minus(RETRY_AFTER),
                        java.time.ZoneOffset.UTC), room)) {
                    enqueue(u.payment(), u.metadata(), null, null);
                }
            }
            pump();
        } catch (RuntimeException e) {
            log.warn("payment start sweep failed, next one in {}: {}", SWEEP_EVERY, e.getMessage());
        }
    }

    /** Waits until nothing is in flight and nothing that may start now is queued (tests; and shutdown, bounded). */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight > 0 || (!queue.isEmpty() && !clock.instant().isBefore(pausedUntil))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
        return true;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        synchronized (this) {
            stopped = true;
            queue.clear(); // recorded, so the sweep of the next process starts them
        }
        if (scheduler != null) scheduler.shutdownNow();
        if (starts instanceof ExecutorService es) {
            es.shutdown();
            es.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the payment's workflow, or joins the one already running for its order; idempotent; throws what Temporal threw. */
    static void start(WorkflowClient workflows, PaymentRequest request) {
        PaymentWorkflow stub = workflows.newWorkflowStub(PaymentWorkflow.class, PaymentsController.startOptions(request));
        try {
            WorkflowClient.start(stub::process, request);
        } catch (WorkflowExecutionAlreadyStarted e) {
            // A closed run for this order exists: it is this payment, already processed.
        }
    }

    /** Signals the payment's workflow with a webhook event, starting it if need be (off the request thread). */
    private static void signalWithStart(WorkflowClient workflows, PaymentRequest request, CashfreeEvent event) {
        PaymentWorkflow stub = workflows.newWorkflowStub(PaymentWorkflow.class, PaymentsController.startOptions(request));
        BatchRequest batch = workflows.newSignalWithStartRequest();
        batch.add(stub::process, request);
        batch.add(stub::cashfreeEvent, event);
        try {
            workflows.signalWithStart(batch);
        } catch (WorkflowExecutionAlreadyStarted e) {
            // The payment's workflow has already finished: nothing left to tell it.
        }
    }
}
