package com.commdesk.api.refund;

import com.commdesk.api.web.OffRequestThread;
import com.commdesk.ledger.RefundMismatchVotes;
import com.commdesk.workflows.refund.RefundDecision;
import com.commdesk.workflows.refund.RefundWorkflow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells a refund's workflow finance's two-person resolution of a mismatch ({@link RefundMismatchVotes}), as
 * {@link RefundSignals} does Cashfree's webhook answers: the votes are recorded first, in the ledger; the signal is tried
 * at once, off the request thread; one that fails (Temporal away) stays pending and is tried again every
 * {@link #SWEEP_EVERY}, and every {@link #RECOVER_EVERY} (first at start) the ledger's ready resolutions whose refund is
 * not booked yet are signalled again (a signal lost with a process that died). Signalling twice is harmless: the workflow
 * acts on the first and has ended (or ignores it) by the second.
 */
@Component
public class RefundResolutionSignals {
    private static final Logger log = LoggerFactory.getLogger(RefundResolutionSignals.class);
    static final Duration SWEEP_EVERY = Duration.ofSeconds(5);
    static final Duration RECOVER_EVERY = Duration.ofMinutes(5);
    static final Duration LOOKBACK = Duration.ofDays(2);
    private static final int BATCH = 200;

    /** Signals one refund's workflow, or throws ({@link WorkflowNotFoundException}: it has ended). */
    interface Signal {
        void send(String refundId, RefundDecision decision);
    }

    private final RefundMismatchVotes votes;
    private final Signal signal;
    private final OffRequestThread offThread = new OffRequestThread("refund-resolution-signal", 100);
    private final Map<String, RefundDecision> pending = new ConcurrentHashMap<>();
    private final Counter failed;
    private volatile OffsetDateTime recoveredAt;

    @org.springframework.beans.factory.annotation.Autowired
    public RefundResolutionSignals(RefundMismatchVotes votes, WorkflowClient workflows, MeterRegistry metrics) {
        this(votes, (refundId, d) -> workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(refundId)).decide(d),
                metrics, true);
    }

    RefundResolutionSignals(RefundMismatchVotes votes, Signal signal, MeterRegistry metrics, boolean sweeping) {
        this.votes = votes;
        this.signal = signal;
        this.failed = Counter.builder("commdesk.refunds.resolution.signal.failures")
                .description("finance resolutions of mismatched refunds whose signal failed (Temporal unreachable) and are left to the sweep")
                .register(metrics);
        if (sweeping) offThread.sweepEvery(SWEEP_EVERY, this::sweep);
    }

    /** The workflow's decision for a ready resolution: both approvers, the reasons and Cashfree's references in the note. */
    static RefundDecision decision(RefundMismatchVotes.Resolution r) {
        RefundDecision.Action action = r.outcome() == RefundMismatchVotes.Outcome.PAID
                ? RefundDecision.Action.RESOLVE_PAID : RefundDecision.Action.RESOLVE_RELEASED;
        StringBuilder note = new StringBuilder("finance resolved " + r.outcome());
        for (RefundMismatchVotes.Vote v : r.votes()) {
            note.append("; ").append(v.votedBy()).append(": ").append(v.reason()).append(" (Cashfree ref ").append(v.cashfreeReference()).append(')');
        }
        return new RefundDecision(action, r.decidedBy(), note.toString());
    }

    /** Signals a ready resolution soon; never throws. The votes must already be recorded. */
    public void signalSoon(RefundMismatchVotes.Resolution r) {
        if (!r.ready()) throw new IllegalArgumentException("refund " + r.refundId() + ": a resolution needs two agreeing votes");
        RefundDecision d = decision(r);
        pending.put(r.refundId(), d);
        offThread.submit(r.refundId(), () -> deliver(r.refundId(), d));
    }

    private void deliver(String refundId, RefundDecision d) {
        try {
            signal.send(refundId, d);
            log.info("refund {}: finance's resolution {} signalled to its workflow", refundId, d.action());
        } catch (WorkflowNotFoundException ended) {
            log.info("refund {}: finance's resolution not signalled: no running workflow", refundId);
        } catch (RuntimeException e) {
            failed.increment();
            log.warn("refund {}: signalling finance's resolution failed, the sweep retries it: {}", refundId, e.getMessage());
            return;
        }
        pending.remove(refundId, d);
    }

    void sweep() {
        pending.forEach((refundId, d) -> offThread.submit(refundId, () -> deliver(refundId, d)));
        OffsetDateTime now = OffsetDateTime.now();
        if (recoveredAt != null && recoveredAt.plus(RECOVER_EVERY).isAfter(now)) return;
        recoveredAt = now;
        try {
            for (RefundMismatchVotes.Resolution r : votes.readyNotBooked(now.minus(LOOKBACK), BATCH)) {
                if (!pending.containsKey(r.refundId())) signalSoon(r);
            }
        } catch (RuntimeException e) {
            recoveredAt = null;
            log.warn("refund resolution recovery could not read the database, next sweep in {}: {}", SWEEP_EVERY, e.getMessage());
        }
    }

    int pending() {
        return pending.size();
    }

    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return offThread.awaitIdle(timeout);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        offThread.stop();
    }
}
