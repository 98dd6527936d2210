package com.commdesk.activities.fraud;

import com.commdesk.ledger.CommunityConfig;
import com.commdesk.ledger.CommunityRepository;
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
 * order; an amount above the per-payment cap; too many payments by one customer, or into one
 * community, in a short window. A community's window may hold max(floor, multiplier x its own average
 * window over the baseline period) payments, so its own event night is not parked; its thresholds
 * (cap, floor, multiplier) come from its onboarding settings when set, else from {@link Rules}.
 * Idempotent: a retried screen reuses its first screening time.
 */
public final class FraudScreen {
    /** Thresholds; defaults are conservative starting points to be tuned on real traffic. */
    public record Rules(long maxPaymentPaise, int maxPerCustomer, Duration customerWindow, int maxPerCommunity,
                        Duration communityWindow, int communityVelocityMultiplier, Duration communityBaseline) {
        /** {@code maxPerCommunity} is the floor of a community's window; the multiplier scales its own average. */
        public Rules(long maxPaymentPaise, int maxPerCustomer, Duration customerWindow, int maxPerCommunity, Duration communityWindow) {
            this(maxPaymentPaise, maxPerCustomer, customerWindow, maxPerCommunity, communityWindow, 10, Duration.ofDays(7));
        }

        public static Rules defaults() {
            return new Rules(50_000_000L /* Rs 5,00,000 */, 10, Duration.ofHours(1), 500, Duration.ofMinutes(10));
        }
    }

    private final FraudRecords records;
    private final Rules rules;
    private final Counter flagged;
    private final CommunityRepository communities;

    public FraudScreen(FraudRecords records, Rules rules, MeterRegistry metrics) {
        this(records, rules, metrics, null);
    }

    /** With {@code communities}, each community's own thresholds (onboarding settings) override the rules'. */
    public FraudScreen(FraudRecords records, Rules rules, MeterRegistry metrics, CommunityRepository communities) {
        this.communities = communities;
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
        CommunityConfig community = communities == null ? null : communities.find(request.communityId()).orElse(null);
        long cap = community != null && community.fraudMaxPaymentPaise() != null ? community.fraudMaxPaymentPaise() : rules.maxPaymentPaise();
        if (verified.amountPaise() > cap) {
            reasons.add("amount " + verified.amountPaise() + " paise is above the per-payment cap of " + cap);
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
        long limit = communityLimit(request, community, at);
        if (c >= limit) {
            reasons.add("velocity: community received " + (c + 1) + " payments within " + rules.communityWindow()
                    + " (its limit now: " + limit + ")");
        }
        records.recordVerdict(request.paymentId(), !reasons.isEmpty(), String.join("; ", reasons));
        if (!reasons.isEmpty()) flagged.increment();
        return new FraudVerdict(!reasons.isEmpty(), reasons);
    }

    /** max(floor, multiplier x the community's average payments per window over the baseline before this window). */
    private long communityLimit(PaymentRequest request, CommunityConfig community, OffsetDateTime at) {
        int floor = community != null && community.fraudVelocityFloor() != null ? community.fraudVelocityFloor() : rules.maxPerCommunity();
        int multiplier = community != null && community.fraudVelocityMultiplier() != null
                ? community.fraudVelocityMultiplier() : rules.communityVelocityMultiplier();
        Duration window = rules.communityWindow();
        Duration baseline = rules.communityBaseline().minus(window);
        if (baseline.isNegative() || baseline.isZero()) return floor;
        long before = records.recentForCommunity(request.communityId(), request.paymentId(), at.minus(window), baseline);
        // average per window = before x window / baseline, rounded up; whole numbers only
        long average = (before * window.toMillis() + baseline.toMillis() - 1) / baseline.toMillis();
        return Math.max(floor, Math.multiplyExact(average, (long) multiplier));
    }
}
