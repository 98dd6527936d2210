package com.commdesk.api.refund;

import com.commdesk.ledger.RefundMismatchVotes;
import com.commdesk.workflows.refund.RefundDecision;
import com.commdesk.workflows.refund.RefundWorkflow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Tells a refund's workflow finance's two-person resolution of a mismatch ({@link RefundMismatchVotes}) through the same
 * outbox as {@link RefundSignals} ({@link RefundSignalOutbox}): the votes are recorded first, in the ledger; the signal is
 * tried at once, off the request thread, retried while Temporal is away, and the ledger's ready resolutions whose refund
 * is not booked and that this process has not delivered are signalled again every
 * {@link RefundSignalOutbox#RECOVER_EVERY} (a signal lost with a process that died): only each refund's latest round's
 * ({@link RefundMismatchVotes#readyNotBooked}). Signalling twice is harmless: the workflow acts on the first and has ended
 * (or ignores it) by the second; it ignores a resolution of a round that is not its current hold.
 */
@Component
public class RefundResolutionSignals {
    static final Duration LOOKBACK = Duration.ofDays(2);
    private static final int BATCH = 200;

    /** Signals one refund's workflow, or throws ({@link io.temporal.client.WorkflowNotFoundException}: it has ended). */
    interface Signal {
        void send(String refundId, RefundDecision decision);
    }

    private final RefundSignalOutbox<RefundDecision> outbox;

    @org.springframework.beans.factory.annotation.Autowired
    public RefundResolutionSignals(RefundMismatchVotes votes, WorkflowClient workflows, MeterRegistry metrics) {
        this(votes, (refundId, d) -> workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(refundId)).decide(d),
                metrics, true);
    }

    RefundResolutionSignals(RefundMismatchVotes votes, Signal signal, MeterRegistry metrics, boolean sweeping) {
        Counter failed = Counter.builder("commdesk.refunds.resolution.signal.failures")
                .description("finance resolutions of mismatched refunds whose signal failed (Temporal unreachable) and are left to the sweep")
                .register(metrics);
        this.outbox = new RefundSignalOutbox<>("finance's resolution", "refund-resolution-signal", 100, signal::send,
                now -> votes.readyNotBooked(now.minus(LOOKBACK), BATCH).stream().map(RefundResolutionSignals::item).toList(),
                failed, sweeping);
    }

    /**
     * The workflow's decision for a ready resolution: both approvers, the reasons and Cashfree's references in the note, and
     * the round (the mismatch hold) it was voted in: the workflow ignores it in any other (review s7 round 2 M2).
     */
    static RefundDecision decision(RefundMismatchVotes.Resolution r) {
        RefundDecision.Action action = r.outcome() == RefundMismatchVotes.Outcome.PAID
                ? RefundDecision.Action.RESOLVE_PAID : RefundDecision.Action.RESOLVE_RELEASED;
        StringBuilder note = new StringBuilder("finance resolved " + r.outcome());
        for (RefundMismatchVotes.Vote v : r.votes()) {
            note.append("; ").append(v.votedBy()).append(": ").append(v.reason()).append(" (Cashfree ref ").append(v.cashfreeReference()).append(')');
        }
        return new RefundDecision(action, r.decidedBy(), note.toString(), r.round());
    }

    /**
     * One resolution is one signal, keyed by the refund and round (a round has at most one ready resolution; a refund held
     * again has another, which a delivered earlier one must not stand for).
     */
    private static RefundSignalOutbox.Item<RefundDecision> item(RefundMismatchVotes.Resolution r) {
        return new RefundSignalOutbox.Item<>(r.refundId() + "#" + r.round(), r.refundId(), decision(r));
    }

    /** Signals a ready resolution soon; never throws. The votes must already be recorded. */
    public void signalSoon(RefundMismatchVotes.Resolution r) {
        if (!r.ready()) throw new IllegalArgumentException("refund " + r.refundId() + ": a resolution needs two agreeing votes");
        outbox.submit(item(r));
    }

    void sweep() {
        outbox.sweep();
    }

    int pending() {
        return outbox.pending();
    }

    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return outbox.awaitIdle(timeout);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        outbox.stop();
    }
}
