package com.commdesk.activities.fraud;

import com.commdesk.ledger.FraudRecords;
import com.commdesk.workflows.payment.FraudVerdict;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.VerifiedPayment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * First version of the fraud screen, after Cashfree has confirmed the payment (amount or currency
 * mismatches never get here: verification fails them). Flags, for a human to review:
 * a Cashfree payment already booked under another order; a blocklisted customer, community or
 * order; an amount above the per-payment cap; too many payments by one customer or into one
 * community in a short window. Idempotent: a retried screen reuses its first screening time.
 */
public final class FraudScreen {
    /** Thresholds; defaults are conservative starting points to be tuned on real traffic. */
    public record Rules(long maxPaymentPaise, int maxPerCustomer, Duration customerWindow, int maxPerCommunity,
                        Duration communityWindow) {
        public static Rules defaults() {
            return new Rules(50_000_000L /* Rs 5,00,000 */, 10, Duration.ofHours(1), 500, Duration.ofMinutes(10));
        }
    }

    private final FraudRecords records;
    private final Rules rules;
    private final Counter flagged;

    public FraudScreen(FraudRecords records, Rules rules, MeterRegistry metrics) {
        this.records = records;
        this.rules = rules;
        this.flagged = Counter.builder("commdesk.fraud.flagged").description("Payments flagged for fraud review").register(metrics);
    }

    public FraudVerdict screen(PaymentRequest request, VerifiedPayment verified) {
        List<String> reasons = new ArrayList<>();
        records.paymentBookedUnderAnotherOrder(verified.cashfreePaymentId(), request.cashfreeOrderId())
                .ifPresent(other -> reasons.add("Cashfree payment " + verified.cashfreePaymentId() + " is already booked under order " + other));
        records.blocked("CUSTOMER", verified.customerId()).ifPresent(r -> reasons.add("customer " + verified.customerId() + " is blocklisted: " + r));
        records.blocked("COMMUNITY", request.communityId()).ifPresent(r -> reasons.add("community is blocklisted: " + r));
        records.blocked("ORDER", request.cashfreeOrderId()).ifPresent(r -> reasons.add("order is blocklisted: " + r));
        if (verified.amountPaise() > rules.maxPaymentPaise()) {
            reasons.add("amount " + verified.amountPaise() + " paise is above the per-payment cap of " + rules.maxPaymentPaise());
        }
        // Recorded first (unflagged until decided) so concurrent payments count each other.
        OffsetDateTime at = records.recordScreening(request.paymentId(), request.communityId(), verified.customerId(),
                verified.amountPaise(), false, "");
        if (verified.customerId() != null) {
            int n = records.recentForCustomer(verified.customerId(), request.paymentId(), at, rules.customerWindow());
            if (n >= rules.maxPerCustomer()) {
                reasons.add("velocity: customer " + verified.customerId() + " made " + (n + 1) + " payments within " + rules.customerWindow());
            }
        }
        int c = records.recentForCommunity(request.communityId(), request.paymentId(), at, rules.communityWindow());
        if (c >= rules.maxPerCommunity()) {
            reasons.add("velocity: community received " + (c + 1) + " payments within " + rules.communityWindow());
        }
        records.recordVerdict(request.paymentId(), !reasons.isEmpty(), String.join("; ", reasons));
        if (!reasons.isEmpty()) flagged.increment();
        return new FraudVerdict(!reasons.isEmpty(), reasons);
    }
}
