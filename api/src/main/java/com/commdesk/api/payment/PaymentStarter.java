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
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts payment workflows after {@code POST /api/v1/payments} has answered, so the request never waits
 * on Temporal (under load a start waits for the server, seconds at a time). The payment is recorded first
 * (PaymentIntake, with everything a start needs); a start here is tried at once and confirmed in the row
 * ({@code workflow_started_at}); every {@link #SWEEP_EVERY} the sweep starts again whatever is still
 * unconfirmed after {@link #RETRY_AFTER} (a start lost to a crash, a full queue or Temporal being down).
 * Starting twice is harmless: the workflow id is the order's, and the id policies join a running
 * workflow and refuse a finished one ({@link PaymentsController#start}).
 */
@Component
public class PaymentStarter {
    private static final Logger log = LoggerFactory.getLogger(PaymentStarter.class);
    /** Starts in flight at once; beyond it a payment waits for the sweep (bounded memory, bounded load on Temporal). */
    static final int MAX_IN_FLIGHT = 2_000;
    static final Duration SWEEP_EVERY = Duration.ofSeconds(2);
    static final Duration RETRY_AFTER = Duration.ofSeconds(15);
    private static final int SWEEP_BATCH = 500;

    private final PaymentIntake intake;
    /** Starts one workflow idempotently, with the webhook event as a signal when there is one (null: none), or throws. */
    private final java.util.function.BiConsumer<PaymentRequest, CashfreeEvent> starter;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "payment-start-sweep");
        t.setDaemon(true);
        return t;
    });
    /** Virtual threads: a start is a blocking gRPC call that mostly waits. */
    private final java.util.concurrent.ExecutorService starts = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("payment-start-", 0).factory());
    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    /** Payment id to the System.nanoTime() its start began: one start per payment at a time, and how long each has waited. */
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();
    private final Counter failed;
    private final Counter deferred;

    @org.springframework.beans.factory.annotation.Autowired
    public PaymentStarter(PaymentIntake intake, WorkflowClient own, MeterRegistry metrics,
                          org.springframework.beans.factory.ObjectProvider<com.commdesk.api.ApiConfiguration.SharedWorkflowClient> shared) {
        this(intake, starter(shared.getIfAvailable() != null ? shared.getIfAvailable().client() : own), metrics, true);
    }

    /** Starts through {@code workflows}: the worker's own client where one shares this process (eager starts). */
    private static java.util.function.BiConsumer<PaymentRequest, CashfreeEvent> starter(WorkflowClient workflows) {
        return (request, event) -> {
            if (event == null) PaymentsController.start(workflows, request);
            else signalWithStart(workflows, request, event);
        };
    }

    /** {@code starter} starts one workflow idempotently or throws; {@code sweeping}: run the sweep on its own. */
    PaymentStarter(PaymentIntake intake, java.util.function.BiConsumer<PaymentRequest, CashfreeEvent> starter, MeterRegistry metrics,
                   boolean sweeping) {
        this.intake = intake;
        this.starter = starter;
        this.failed = Counter.builder("commdesk.payments.start.failures")
                .description("workflow starts that failed and are left to the sweep").register(metrics);
        this.deferred = Counter.builder("commdesk.payments.start.deferred")
                .description("starts not tried at once because MAX_IN_FLIGHT were in flight").register(metrics);
        Gauge.builder("commdesk.payments.start.in.flight", inFlight, Map::size)
                .description("payment workflow starts in flight").register(metrics);
        // While Temporal does not answer, a start first waits inside the SDK's own retries (about 7 s against a refused
        // connection, measured on the pinned dev server) before it fails and is left to the sweep: how long the oldest one has
        // waited shows the outage from its first second (alert CommDeskPaymentStartsDelayed, docs/operations.md).
        Gauge.builder("commdesk.payments.start.oldest", inFlight, PaymentStarter::oldestSeconds).baseUnit("seconds")
                .description("how long the oldest payment workflow start still in flight has waited for Temporal (0: none in flight)")
                .register(metrics);
        if (sweeping) sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_EVERY.toMillis(), SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Tries to start the payment's workflow now, off the request thread; never throws. */
    public void startSoon(AcceptedPayment payment, Map<String, String> metadata) {
        startSoon(payment, metadata, null);
    }

    /**
     * The same for a verified Cashfree webhook: its event goes with the start as a signal (signal-with-start).
     * The event only feeds the workflow's own count of deliveries (verification always asks Cashfree, and the
     * delivery is in webhook_event): if this start is lost, the sweep starts the payment without it.
     */
    public void startSoon(AcceptedPayment payment, Map<String, String> metadata, CashfreeEvent event) {
        if (!slots.tryAcquire()) {
            deferred.increment();
            return; // the sweep starts it
        }
        if (inFlight.putIfAbsent(payment.paymentId(), System.nanoTime()) != null) {
            slots.release();
            return;
        }
        // The request's log context (request id) goes with the start: Temporal's context propagator carries
        // it from the MDC into the workflow's logs, so a payment's lines are found by the API's request id.
        Map<String, String> logContext = org.slf4j.MDC.getCopyOfContextMap();
        try {
            starts.execute(() -> {
                if (logContext != null) org.slf4j.MDC.setContextMap(logContext);
                try {
                    start(payment, metadata, event);
                } finally {
                    org.slf4j.MDC.clear();
                    inFlight.remove(payment.paymentId());
                    slots.release();
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            inFlight.remove(payment.paymentId());
            slots.release();
        }
    }

    private void start(AcceptedPayment p, Map<String, String> metadata, CashfreeEvent event) {
        try {
            starter.accept(new PaymentRequest(p.paymentId(), p.communityId(), p.sourceType(),
                    p.sourceId(), p.cashfreeOrderId(), p.amountPaise(), metadata), event);
            intake.markStarted(p.paymentId());
        } catch (RuntimeException e) {
            failed.increment();
            log.warn("workflow start of payment {} failed, the sweep retries it: {}", p.paymentId(), e.getMessage());
        }
    }

    /** Starts what is recorded but not confirmed started after RETRY_AFTER. */
    void sweep() {
        try {
            for (PaymentIntake.Unstarted u : intake.unstarted(OffsetDateTime.now().minus(RETRY_AFTER), SWEEP_BATCH)) {
                if (inFlight.containsKey(u.payment().paymentId())) continue;
                startSoon(u.payment(), u.metadata());
            }
        } catch (RuntimeException e) {
            log.warn("payment start sweep failed, next one in {}: {}", SWEEP_EVERY, e.getMessage());
        }
    }

    private static double oldestSeconds(Map<String, Long> inFlight) {
        long now = System.nanoTime();
        long oldest = 0;
        for (long began : inFlight.values()) oldest = Math.max(oldest, now - began);
        return oldest / 1e9;
    }

    /** Waits until no start is in flight (tests; and shutdown, bounded). */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (!slots.tryAcquire(MAX_IN_FLIGHT, timeout.toMillis(), TimeUnit.MILLISECONDS)) return false;
        slots.release(MAX_IN_FLIGHT);
        return true;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        sweeper.shutdownNow();
        starts.shutdown();
        starts.awaitTermination(10, TimeUnit.SECONDS);
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
