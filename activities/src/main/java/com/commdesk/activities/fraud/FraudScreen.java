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
import java.util.concurrent.ConcurrentHashMap;

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

    /**
     * How long a community's baseline count is reused. The baseline is the week before the window; between two screens
     * a minute apart it moves by a minute, so its average per window moves by a few parts in ten thousand, while counting
     * it reads every screening of the week (a community with 100,000 payments a week: 100,000 index entries per screen).
     * A reused count differs from a fresh one by the payments of at most a minute at either end of the week. Each worker
     * keeps its own; a retried screen, whose time is older than the count, counts afresh.
     */
    public static final Duration BASELINE_REUSE = Duration.ofMinutes(1);
    /** Bound on remembered baselines (TIGER_STYLE: a limit on everything); past it the memory starts again. */
    static final int MAX_BASELINES = 10_000;

    private final FraudRecords records;
    private final Rules rules;
    private final Counter flagged;
    private final Duration baselineReuse;
    /** Community id → its baseline count and the screening time it was counted at. */
    private final ConcurrentHashMap<String, Baseline> baselines = new ConcurrentHashMap<>();

    private record Baseline(OffsetDateTime countedAt, int before) {}

    /** A community's own thresholds (onboarding settings) override the rules' where it set them. */
    public FraudScreen(FraudRecords records, Rules rules, MeterRegistry metrics) {
        this(records, rules, metrics, BASELINE_REUSE);
    }

    /** {@code baselineReuse}: how long a community's baseline count is reused ({@link #BASELINE_REUSE}; zero: never). */
    public FraudScreen(FraudRecords records, Rules rules, MeterRegistry metrics, Duration baselineReuse) {
        if (baselineReuse.isNegative()) throw new IllegalArgumentException("baselineReuse must not be negative");
        this.records = records;
        this.rules = rules;
        this.baselineReuse = baselineReuse;
        this.flagged = Counter.builder("commdesk.fraud.flagged").description("Payments flagged for fraud review").register(metrics);
    }

    /** Three statements for a clean payment (FraudRecords), one more to store a flag or a retry's verdict. */
    public FraudVerdict screen(PaymentRequest request, VerifiedPayment verified) {
        List<String> reasons = new ArrayList<>();
        FraudRecords.Facts facts = records.facts(verified.cashfreePaymentId(), request.cashfreeOrderId(), verified.customerId(),
                request.communityId());
        if (facts.bookedUnderOrder() != null) {
            reasons.add("Cashfree payment " + verified.cashfreePaymentId() + " is already booked under order " + facts.bookedUnderOrder());
        }
        if (facts.customerBlocked() != null) reasons.add("customer " + verified.customerId() + " is blocklisted: " + facts.customerBlocked());
        if (facts.communityBlocked() != null) reasons.add("community is blocklisted: " + facts.communityBlocked());
        if (facts.orderBlocked() != null) reasons.add("order is blocklisted: " + facts.orderBlocked());
        long cap = facts.communityMaxPaymentPaise() != null ? facts.communityMaxPaymentPaise() : rules.maxPaymentPaise();
        if (verified.amountPaise() > cap) {
            reasons.add("amount " + verified.amountPaise() + " paise is above the per-payment cap of " + cap);
        }
        // Recorded first (unflagged until decided) so concurrent payments count each other.
        FraudRecords.Screening screening = records.recordScreening(request.paymentId(), request.communityId(), verified.customerId(),
                verified.amountPaise());
        Duration window = rules.communityWindow();
        Duration baseline = rules.communityBaseline().minus(window);
        if (baseline.isNegative() || baseline.isZero()) baseline = null;
        Baseline known = baseline == null ? null : reusable(request.communityId(), screening.at());
        FraudRecords.Velocity v = records.velocity(request.paymentId(), verified.customerId(), rules.customerWindow(),
                request.communityId(), window, known == null ? baseline : null, screening.at());
        int before = 0;
        if (known != null) {
            before = known.before();
        } else if (baseline != null) {
            before = v.communityBefore();
            remember(request.communityId(), new Baseline(screening.at(), before));
        }
        if (verified.customerId() != null && v.customerRecent() >= rules.maxPerCustomer()) {
            reasons.add("velocity: customer " + verified.customerId() + " made " + (v.customerRecent() + 1) + " payments within "
                    + rules.customerWindow());
        }
        long limit = communityLimit(facts, before, baseline);
        if (v.communityRecent() >= limit) {
            reasons.add("velocity: community received " + (v.communityRecent() + 1) + " payments within " + window
                    + " (its limit now: " + limit + ")");
        }
        boolean isFlagged = !reasons.isEmpty();
        // A new screening was recorded unflagged, which is this verdict when clean; a retry's row may hold another one.
        // Two attempts of one payment at once (a local activity run again after a workflow task timed out) may leave the
        // row with the other attempt's verdict, as when the last writer won before: the row is the screen's record for
        // operators; what parks the payment is the verdict its workflow received (its status and history say which).
        if (isFlagged || !screening.recordedNow()) records.recordVerdict(request.paymentId(), isFlagged, String.join("; ", reasons));
        if (isFlagged) flagged.increment();
        return new FraudVerdict(isFlagged, reasons);
    }

    /** The community's baseline counted at most {@link #baselineReuse} before {@code at} (not after it: a retry's is older). */
    private Baseline reusable(String communityId, OffsetDateTime at) {
        Baseline b = baselines.get(communityId);
        if (b == null || at.isBefore(b.countedAt())) return null;
        return Duration.between(b.countedAt(), at).compareTo(baselineReuse) < 0 ? b : null;
    }

    private void remember(String communityId, Baseline counted) {
        if (baselines.size() >= MAX_BASELINES) baselines.clear();
        baselines.merge(communityId, counted, (old, now) -> now.countedAt().isAfter(old.countedAt()) ? now : old);
    }

    /**
     * max(floor, multiplier x the community's average payments per window over the baseline before this window);
     * the floor alone without a baseline.
     */
    private long communityLimit(FraudRecords.Facts facts, long before, Duration baseline) {
        int floor = facts.communityVelocityFloor() != null ? facts.communityVelocityFloor() : rules.maxPerCommunity();
        int multiplier = facts.communityVelocityMultiplier() != null ? facts.communityVelocityMultiplier() : rules.communityVelocityMultiplier();
        if (baseline == null) return floor;
        Duration window = rules.communityWindow();
        // average per window = before x window / baseline, rounded up; whole numbers only
        long average = (before * window.toMillis() + baseline.toMillis() - 1) / baseline.toMillis();
        return Math.max(floor, Math.multiplyExact(average, (long) multiplier));
    }
}
