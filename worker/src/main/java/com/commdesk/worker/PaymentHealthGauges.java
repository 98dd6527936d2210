package com.commdesk.worker;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.OperationalCounts;
import com.commdesk.workflows.payment.PaymentStage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Payment inconsistencies as gauges, read from PostgreSQL when scraped (one indexed query each):
 * <ul>
 *   <li>{@code commdesk_payments_parked{status}}: payments waiting for a person, UNDER_REVIEW (fraud) or
 *       NEEDS_ATTENTION (a step failed for good);</li>
 *   <li>{@code commdesk_payments_stuck}: payments still in progress whose recorded status has not changed
 *       for {@code commdesk.payments.stuck-after} (default 15 min): Temporal, the worker or Cashfree is not
 *       moving them (a payment AWAITING_PAYMENT waits for its customer, not for us, and is not counted);</li>
 *   <li>{@code commdesk_settlement_holds_overdue}: holds due more than {@code commdesk.settlement.overdue-after}
 *       (default 1 h) ago that are still not released: the release job is not running or failing.</li>
 * </ul>
 * Every worker replica reports the same numbers; alert on {@code max}. The gauges hold their counter
 * strongly (Micrometer's default is a weak reference, which would read NaN once collected). Alert rules: ops/prometheus/alerts.yml.
 */
@Component
public class PaymentHealthGauges {
    /** Statuses of a payment that waits for a person. */
    static final List<String> PARKED = List.of(PaymentStage.UNDER_REVIEW.name(), PaymentStage.NEEDS_ATTENTION.name());

    /**
     * Statuses of a payment still on its way: accepted by the API, or in any step before an end or a parking. Not
     * AWAITING_PAYMENT: such a payment waits for its customer (its order is not paid yet), up to 30 days, and moves when
     * the order's PAYMENT_SUCCESS arrives or a later look finds it paid.
     */
    static final List<String> IN_PROGRESS;

    static {
        Set<PaymentStage> notMoving = EnumSet.of(PaymentStage.COMPLETED, PaymentStage.REJECTED, PaymentStage.FAILED,
                PaymentStage.COMPENSATED, PaymentStage.UNDER_REVIEW, PaymentStage.NEEDS_ATTENTION, PaymentStage.AWAITING_PAYMENT);
        List<String> moving = new ArrayList<>(List.of("ACCEPTED"));
        for (PaymentStage s : PaymentStage.values()) if (!notMoving.contains(s)) moving.add(s.name());
        IN_PROGRESS = List.copyOf(moving);
    }

    public PaymentHealthGauges(LedgerDatabase db, MeterRegistry metrics,
                               @Value("${commdesk.payments.stuck-after:PT15M}") Duration stuckAfter,
                               @Value("${commdesk.settlement.overdue-after:PT1H}") Duration overdueAfter) {
        OperationalCounts counts = new OperationalCounts(db.dsl());
        for (String status : PARKED) {
            Gauge.builder("commdesk.payments.parked", counts, c -> c.paymentsByStatus(List.of(status)).getOrDefault(status, 0L))
                    .tag("status", status).strongReference(true).description("Payments waiting for a person (fraud review or a failed step)").register(metrics);
        }
        Gauge.builder("commdesk.payments.stuck", counts, c -> c.paymentsUnchangedSince(IN_PROGRESS, OffsetDateTime.now().minus(stuckAfter)))
                .strongReference(true)
                .description("Payments in progress whose status has not changed for " + stuckAfter).register(metrics);
        Gauge.builder("commdesk.settlement.holds.overdue", counts, c -> c.holdsDueBefore(OffsetDateTime.now().minus(overdueAfter)))
                .strongReference(true)
                .description("Holds due more than " + overdueAfter + " ago and still not released").register(metrics);
    }
}
