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
import com.commdesk.workflows.payment.PaymentRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
        assertThat(metrics.counter("commdesk.payments.start.failures").count()).isEqualTo(1.0);

        temporalUp[0] = true;
        when(intake.unstarted(any(), anyInt())).thenReturn(List.of(new PaymentIntake.Unstarted(PAYMENT, Map.of("tier", "gold"))));
        starter.sweep();
        assertThat(starter.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(started).singleElement().satisfies(r -> assertThat(r.metadata()).containsEntry("tier", "gold"));
        verify(intake).markStarted("pay-1");
    }

    /**
     * While Temporal does not answer, a start first waits inside the SDK's own retries (seconds) before anything fails:
     * the age of the oldest start still waiting shows it from the first second (alert CommDeskPaymentStartsDelayed).
     */
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
}
