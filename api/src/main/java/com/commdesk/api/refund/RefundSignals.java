package com.commdesk.api.refund;

import com.commdesk.ledger.WebhookEvents;
import com.commdesk.workflows.refund.RefundStatusEvent;
import com.commdesk.workflows.refund.RefundWorkflow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Signals Cashfree's REFUND_STATUS answers to the refund's workflow after the webhook has answered, so a delivery never
 * waits on Temporal (an 8 s outage used to fail or block webhook requests and tie up Tomcat's threads). The answer is
 * recorded first, by the webhook, in {@code webhook_event}; a signal here is tried at once ({@link OffRequestThread}).
 * One that fails stays pending in memory and is tried again by the sweep every {@link RefundSignalOutbox#SWEEP_EVERY}; every
 * {@link RefundSignalOutbox#RECOVER_EVERY} (first at start) the sweep also reads from the database the answers recorded in the last
 * {@link #LOOKBACK} whose refund is not booked yet and that this process has not delivered: signals lost with a process
 * that died. Signalling twice is harmless: the workflow ignores an event id it has taken. A refund whose workflow has
 * ended (the signal finds none) needs nothing more: its outcome is booked, or an operator decides it.
 */
@Component
public class RefundSignals {
    static final int MAX_IN_FLIGHT = 500;
    /** A recorded answer is left to its own first attempt this long before the database sweep signals it again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);
    /** Answers recorded this far back are read again (a window through changeset 106's partial index). */
    static final Duration LOOKBACK = Duration.ofDays(2);
    private static final int SWEEP_BATCH = 500;

    /** Signals one refund's workflow, or throws ({@link io.temporal.client.WorkflowNotFoundException}: it has ended). */
    interface Signal {
        void send(String refundId, RefundStatusEvent event);
    }

    private final RefundSignalOutbox<RefundStatusEvent> outbox;

    @org.springframework.beans.factory.annotation.Autowired
    public RefundSignals(WebhookEvents events, WorkflowClient workflows, MeterRegistry metrics) {
        this(events, (refundId, event) -> workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(refundId))
                .cashfreeStatus(event), metrics, true);
    }

    /** {@code sweeping}: run the sweep on its own (tests call {@link #sweep} themselves). */
    RefundSignals(WebhookEvents events, Signal signal, MeterRegistry metrics, boolean sweeping) {
        Counter failed = Counter.builder("commdesk.refunds.signal.failures")
                .description("refund webhook signals that failed (Temporal unreachable) and are left to the sweep").register(metrics);
        this.outbox = new RefundSignalOutbox<>("Cashfree's answer", "refund-signal", MAX_IN_FLIGHT, signal::send,
                now -> events.refundAnswersNotBooked(now.minus(LOOKBACK), now.minus(RETRY_AFTER), SWEEP_BATCH).stream()
                        .map(a -> new RefundSignalOutbox.Item<>(a.eventId(), a.refundId(), new RefundStatusEvent(a.eventId(), a.cfRefundId(), a.status())))
                        .toList(),
                failed, sweeping);
        Gauge.builder("commdesk.refunds.signal.pending", outbox, RefundSignalOutbox::pending)
                .description("refund webhook answers not yet signalled to their workflow").register(metrics);
    }

    /** Signals the refund's workflow now, off the request thread; never throws. The answer must already be recorded. */
    public void signalSoon(String refundId, RefundStatusEvent event) {
        outbox.submit(new RefundSignalOutbox.Item<>(event.eventId(), refundId, event));
    }

    /** Tries again what failed here; every RECOVER_EVERY, also what the database holds and this process never delivered. */
    void sweep() {
        outbox.sweep();
    }

    /** Waits until no signal is in flight (tests; and shutdown, bounded). */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return outbox.awaitIdle(timeout);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        outbox.stop();
    }
}
