package com.commdesk.api.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.commdesk.ledger.WebhookEvents;
import com.commdesk.workflows.refund.RefundStatusEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A refund's answer from Cashfree reaches its workflow once Temporal is back, and after the process that took it died. */
class RefundSignalsTest {
    private static final RefundStatusEvent PAID = new RefundStatusEvent("evt-1", "77001", "SUCCESS");

    private final WebhookEvents events = mock(WebhookEvents.class);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final List<String> signalled = new CopyOnWriteArrayList<>();

    @Test
    void aSignalThatFailedWhileTemporalWasDownIsSentByTheSweepOnceItIsBack() throws Exception {
        boolean[] temporalUp = {false};
        RefundSignals signals = new RefundSignals(events, (refundId, e) -> {
            if (!temporalUp[0]) throw new io.grpc.StatusRuntimeException(io.grpc.Status.UNAVAILABLE.withDescription("connection refused"));
            signalled.add(refundId + " " + e.eventId() + " " + e.status() + " " + e.cfRefundId());
        }, metrics, false);
        when(events.refundAnswersNotBooked(any(), any(), anyInt())).thenReturn(List.of());

        signals.signalSoon("rf_1", PAID);
        assertThat(signals.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(signalled).isEmpty();
        assertThat(metrics.counter("commdesk.refunds.signal.failures").count()).isEqualTo(1.0);

        signals.sweep(); // still down: kept
        assertThat(signals.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(signalled).isEmpty();

        temporalUp[0] = true;
        signals.sweep();
        assertThat(signals.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(signalled).containsExactly("rf_1 evt-1 SUCCESS 77001");

        signals.sweep(); // delivered: not sent again
        assertThat(signals.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(signalled).hasSize(1);
    }

    @Test
    void anAnswerRecordedByAProcessThatDiedIsSignalledFromTheDatabaseOnceAndAnEndedWorkflowIsLeftAlone() throws Exception {
        // The webhook recorded the answer and answered 200; its process died before the signal. A new process reads it.
        when(events.refundAnswersNotBooked(any(), any(), anyInt())).thenReturn(List.of(
                new WebhookEvents.RefundAnswer("evt-1", "rf_1", "77001", "SUCCESS"),
                new WebhookEvents.RefundAnswer("evt-2", "rf_gone", "77002", "FAILED")));
        RefundSignals signals = new RefundSignals(events, (refundId, e) -> {
            if (refundId.equals("rf_gone")) throw new WorkflowNotFoundException(WorkflowExecution.newBuilder().setWorkflowId("refund-rf_gone").build(),
                    "RefundWorkflow", null);
            signalled.add(refundId + " " + e.eventId() + " " + e.status() + " " + e.cfRefundId());
        }, metrics, false);

        signals.sweep();
        assertThat(signals.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(signalled).containsExactly("rf_1 evt-1 SUCCESS 77001");
        assertThat(metrics.counter("commdesk.refunds.signal.failures").count()).isZero();
    }
}
