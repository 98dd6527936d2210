package com.commdesk.api.refund;

import com.commdesk.api.web.OffRequestThread;
import com.commdesk.ledger.WebhookEvents;
import com.commdesk.workflows.refund.RefundStatusEvent;
import com.commdesk.workflows.refund.RefundWorkflow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Signals Cashfree's REFUND_STATUS answers to the refund's workflow after the webhook has answered, so a delivery never
 * waits on Temporal (an 8 s outage used to fail or block webhook requests and tie up Tomcat's threads). The answer is
 * recorded first, by the webhook, in {@code webhook_event}; a signal here is tried at once ({@link OffRequestThread}).
 * One that fails stays pending in memory and is tried again by the sweep every {@link #SWEEP_EVERY}; every
 * {@link #RECOVER_EVERY} (first at start) the sweep also reads from the database the answers recorded in the last
 * {@link #LOOKBACK} whose refund is not booked yet and that this process has not delivered: signals lost with a process
 * that died. Signalling twice is harmless: the workflow ignores an event id it has taken. A refund whose workflow has
 * ended (the signal finds none) needs nothing more: its outcome is booked, or an operator decides it.
 */
@Component
public class RefundSignals {
    private static final Logger log = LoggerFactory.getLogger(RefundSignals.class);
    static final int MAX_IN_FLIGHT = 500;
    static final Duration SWEEP_EVERY = Duration.ofSeconds(5);
    /** The database is read this often (a window of LOOKBACK through changeset 106's partial index). */
    static final Duration RECOVER_EVERY = Duration.ofMinutes(5);
    /** A recorded answer is left to its own first attempt this long before the database sweep signals it again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);
    static final Duration LOOKBACK = Duration.ofDays(2);
    private static final int SWEEP_BATCH = 500;
    /** Event ids this process delivered (or found the workflow ended for), remembered so the database sweep skips them. */
    private static final int REMEMBERED = 20_000;
    /** Signals not yet delivered, kept in memory; beyond it an answer waits for the database sweep (bounded memory in a long outage). */
    private static final int MAX_PENDING = 10_000;

    /** Signals one refund's workflow, or throws ({@link WorkflowNotFoundException}: it has ended). */
    interface Signal {
        void send(String refundId, RefundStatusEvent event);
    }

    private record Pending(String refundId, RefundStatusEvent event) {}

    private final WebhookEvents events;
    private final Signal signal;
    private final OffRequestThread offThread = new OffRequestThread("refund-signal", MAX_IN_FLIGHT);
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Set<String> delivered = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    }));
    private final Counter failed;
    private volatile OffsetDateTime recoveredAt;

    @org.springframework.beans.factory.annotation.Autowired
    public RefundSignals(WebhookEvents events, WorkflowClient workflows, MeterRegistry metrics) {
        this(events, (refundId, event) -> workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(refundId))
                .cashfreeStatus(event), metrics, true);
    }

    /** {@code sweeping}: run the sweep on its own (tests call {@link #sweep} themselves). */
    RefundSignals(WebhookEvents events, Signal signal, MeterRegistry metrics, boolean sweeping) {
        this.events = events;
        this.signal = signal;
        this.failed = Counter.builder("commdesk.refunds.signal.failures")
                .description("refund webhook signals that failed (Temporal unreachable) and are left to the sweep").register(metrics);
        Gauge.builder("commdesk.refunds.signal.pending", pending, Map::size)
                .description("refund webhook answers not yet signalled to their workflow").register(metrics);
        if (sweeping) offThread.sweepEvery(SWEEP_EVERY, this::sweep);
    }

    /** Signals the refund's workflow now, off the request thread; never throws. The answer must already be recorded. */
    public void signalSoon(String refundId, RefundStatusEvent event) {
        if (pending.size() < MAX_PENDING) pending.put(event.eventId(), new Pending(refundId, event));
        offThread.submit(event.eventId(), () -> deliver(refundId, event)); // not run now (full, stopping): the sweep tries
    }

    private void deliver(String refundId, RefundStatusEvent event) {
        try {
            signal.send(refundId, event);
            log.info("refund {}: Cashfree's {} signalled to its workflow", refundId, event.status());
        } catch (WorkflowNotFoundException ended) {
            log.info("refund {}: Cashfree's {} not signalled: no running workflow (its outcome is booked or an operator decides)",
                    refundId, event.status());
        } catch (RuntimeException e) {
            failed.increment();
            log.warn("refund {}: signalling Cashfree's {} failed, the sweep retries it: {}", refundId, event.status(), e.getMessage());
            return;
        }
        delivered.add(event.eventId());
        pending.remove(event.eventId());
    }

    /** Tries again what failed here; every RECOVER_EVERY, also what the database holds and this process never delivered. */
    void sweep() {
        pending.forEach((eventId, p) -> {
            offThread.submit(eventId, () -> deliver(p.refundId(), p.event())); // one already in flight is left to run
        });
        OffsetDateTime now = OffsetDateTime.now();
        if (recoveredAt != null && recoveredAt.plus(RECOVER_EVERY).isAfter(now)) return;
        recoveredAt = now;
        try {
            for (WebhookEvents.RefundAnswer a : events.refundAnswersNotBooked(now.minus(LOOKBACK), now.minus(RETRY_AFTER), SWEEP_BATCH)) {
                if (delivered.contains(a.eventId()) || pending.containsKey(a.eventId())) continue;
                signalSoon(a.refundId(), new RefundStatusEvent(a.eventId(), a.cfRefundId(), a.status()));
            }
        } catch (RuntimeException e) {
            recoveredAt = null; // read again at the next sweep
            log.warn("refund signal recovery could not read the database, next sweep in {}: {}", SWEEP_EVERY, e.getMessage());
        }
    }

    /** Waits until no signal is in flight (tests; and shutdown, bounded). */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return offThread.awaitIdle(timeout);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        offThread.stop();
    }
}
