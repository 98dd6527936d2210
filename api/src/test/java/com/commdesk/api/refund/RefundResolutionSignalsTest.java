package com.commdesk.api.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.commdesk.ledger.RefundMismatchVotes;
import com.commdesk.ledger.RefundMismatchVotes.Outcome;
import com.commdesk.ledger.RefundMismatchVotes.Vote;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Finance's ready resolution of a mismatched refund reaches its workflow once Temporal is back, and after a process died. */
class RefundResolutionSignalsTest {
    private final RefundMismatchVotes votes = mock(RefundMismatchVotes.class);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final List<String> signalled = new CopyOnWriteArrayList<>();

    static RefundMismatchVotes.Resolution ready(String refundId, Outcome outcome) {
        return ready(refundId, 1, outcome);
    }

    static RefundMismatchVotes.Resolution ready(String refundId, int round, Outcome outcome) {
        OffsetDateTime t = OffsetDateTime.now();
        return new RefundMismatchVotes.Resolution(refundId, round, List.of(new Vote(outcome, "fin-a", "dashboard", "CF-1", t),
                new Vote(outcome, "fin-b", "support ticket", "CF-1", t)));
    }

    @Test
    void aResolutionSignalThatFailedWhileTemporalWasDownIsSentByTheSweepOnceItIsBack() throws Exception {
        boolean[] temporalUp = {false};
        RefundResolutionSignals signals = new RefundResolutionSignals(votes, (refundId, d) -> {
            if (!temporalUp[0]) throw new io.grpc.StatusRuntimeException(io.grpc.Status.UNAVAILABLE.withDescription("connection refused"));
            signalled.add(refundId + " " + d.action() + " " + d.operator());
        }, metrics, false);
        when(votes.readyNotBooked(any(), anyInt())).thenReturn(List.of());

        signals.signalSoon(ready("rf_1", Outcome.RELEASED));
        assertThat(signals.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(signalled).isEmpty();
        assertThat(metrics.counter("commdesk.refunds.resolution.signal.failures").count()).isEqualTo(1.0);
        assertThat(signals.pending()).isEqualTo(1);

        temporalUp[0] = true;
        signals.sweep();
        assertThat(signals.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(signalled).containsExactly("rf_1 RESOLVE_RELEASED fin-a+fin-b");
        assertThat(signals.pending()).isZero();
    }

    @Test
    void aReadyResolutionRecordedByAProcessThatDiedIsSignalledFromTheLedger() throws Exception {
        when(votes.readyNotBooked(any(), anyInt())).thenReturn(List.of(ready("rf_2", Outcome.PAID)));
        RefundResolutionSignals signals = new RefundResolutionSignals(votes, (refundId, d) -> signalled.add(refundId + " " + d.action()
                + " " + d.note()), metrics, false);
        signals.sweep();
        assertThat(signals.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(signalled).singleElement().asString().startsWith("rf_2 RESOLVE_PAID finance resolved PAID")
                .contains("fin-a: dashboard (Cashfree ref CF-1)", "fin-b: support ticket");
    }

    @Test
    void aSingleVoteIsNeverSignalled() {
        RefundResolutionSignals signals = new RefundResolutionSignals(votes, (refundId, d) -> signalled.add(refundId), metrics, false);
        var one = new RefundMismatchVotes.Resolution("rf_3", 1, List.of(new Vote(Outcome.PAID, "fin-a", "r", "c", OffsetDateTime.now())));
        assertThatThrownBy(() -> signals.signalSoon(one)).isInstanceOf(IllegalArgumentException.class);
        assertThat(signalled).isEmpty();
    }

    @Test
    void aResolutionCarriesItsRoundAndALaterRoundsIsSentEvenIfThisProcessDeliveredAnEarlierOne() throws Exception {
        // Review s7 round 2 M2: the workflow takes a resolution only for the hold it was voted in. The outbox remembered
        // delivered resolutions by refund alone, so round 2's (the refund held again) would have been taken as delivered.
        RefundResolutionSignals signals = new RefundResolutionSignals(votes, (refundId, d) -> signalled.add(refundId + " " + d.action()
                + " round " + d.round()), metrics, false);
        signals.signalSoon(ready("rf_4", 1, Outcome.PAID));
        assertThat(signals.awaitIdle(Duration.ofSeconds(10))).isTrue();
        when(votes.readyNotBooked(any(), anyInt())).thenReturn(List.of(ready("rf_4", 2, Outcome.RELEASED)));
        signals.sweep();
        assertThat(signals.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(signalled).containsExactly("rf_4 RESOLVE_PAID round 1", "rf_4 RESOLVE_RELEASED round 2");
    }
}
