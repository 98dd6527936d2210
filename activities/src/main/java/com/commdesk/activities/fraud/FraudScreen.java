package com.commdesk.activities.fraud;

import com.commdesk.ledger.FraudRecords;
import com.commdesk.workflows.payment.FraudVerdict;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.VerifiedPayment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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

    /** Bound on remembered baselines (TIGER_STYLE: a limit on everything): past it, older minutes are forgotten first. */
    static final int MAX_BASELINES = 10_000;

    private final FraudRecords records;
    private final Rules rules;
    private final Counter flagged;
    /** Community id → its baseline count for one minute (see {@link #screen}). */
    private final ConcurrentHashMap<String, Baseline> baselines = new ConcurrentHashMap<>();

    /** The community's baseline week until {@code until} (exclusive, a whole minute) held {@code before} screenings. */
    private record Baseline(OffsetDateTime until, int before) {}

    /** A community's own thresholds (onboarding settings) override the rules' where it set them. */
    public FraudScreen(FraudRecords records, Rules rules, MeterRegistry metrics) {
        this.records = records;
        this.rules = rules;
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
        // The baseline week is counted in whole minutes: it ends where the minute in which the window starts begins, so
        // every screen of a community in that minute counts the same rows (its own screening is never among them). A
        // worker counts a community's week once a minute and remembers it for the rest of the minute; counting it reads
        // every screening of the week (a community with 100,000 payments a week: 100,000 index entries), and the
        // limit a screen used can be recounted from the community and the minute.
        OffsetDateTime until = screening.at().withOffsetSameInstant(ZoneOffset.UTC).minus(window).truncatedTo(ChronoUnit.MINUTES);
        Baseline known = baseline == null ? null : baselines.get(request.communityId());
        if (known != null && !known.until().isEqual(until)) known = null;
        boolean count = baseline != null && known == null;
        FraudRecords.Velocity v = records.velocity(request.paymentId(), verified.customerId(), rules.customerWindow(),
                request.communityId(), window, count ? until.minus(baseline) : null, count ? until : null, screening.at());
        int before = known != null ? known.before() : v.communityBefore();
        if (count) remember(request.communityId(), new Baseline(until, before));
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

    /**
     * Keeps the later minute of a community's (a retry's minute is an older one). When full, forgets every minute before
     * the newest one held first, then everything.
     */
    private void remember(String communityId, Baseline counted) {
        if (baselines.size() >= MAX_BASELINES) {
            OffsetDateTime newest = counted.until();
            for (Baseline b : baselines.values()) if (b.until().isAfter(newest)) newest = b.until();
            OffsetDateTime keep = newest;
            baselines.values().removeIf(b -> b.until().isBefore(keep));
            if (baselines.size() >= MAX_BASELINES) baselines.clear();
        }
        baselines.merge(communityId, counted, (old, now) -> now.until().isAfter(old.until()) ? now : old);
    }

    /**
     * max(floor, multiplier x the community's average payments per window over the baseline week before this window);
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
