package com.commdesk.activities.payout;

import com.commdesk.workflows.payout.PayoutTypes.PayoutTimings;
import java.time.Duration;

/**
 * Payout configuration (worker properties {@code commdesk.payouts.*}, see docs/payouts.md).
 *
 * @param approvalThresholdPaise payouts above this need a finance approval (four eyes)
 * @param escalateAfter          an approval still open after this is escalated
 * @param approvalTimeout        and rejected automatically after this
 * @param pollInterval           first wait for the webhook before asking Cashfree (doubles up to maxPollInterval)
 * @param reversalWindow         how long after SUCCESS a REVERSED is still acted on by the workflow
 * @param instantInterval        cycle length of INSTANT communities
 * @param resendGrace            a transfer that was requested but Cashfree does not know is re-requested
 *                               (same transfer_id: Cashfree refuses a duplicate) only after this long
 * @param attentionAfter         a transfer whose outcome is still unknown after this is NEEDS_ATTENTION for finance
 */
public record PayoutSettings(long approvalThresholdPaise, Duration escalateAfter, Duration approvalTimeout, Duration pollInterval,
                             Duration maxPollInterval, Duration reversalWindow, Duration instantInterval, Duration resendGrace,
                             Duration attentionAfter) {
    public PayoutSettings(long approvalThresholdPaise, Duration escalateAfter, Duration approvalTimeout, Duration pollInterval,
                          Duration maxPollInterval, Duration reversalWindow, Duration instantInterval, Duration resendGrace) {
        this(approvalThresholdPaise, escalateAfter, approvalTimeout, pollInterval, maxPollInterval, reversalWindow, instantInterval,
                resendGrace, Duration.ofHours(24));
    }

    public PayoutSettings {
        if (approvalThresholdPaise < 0) throw new IllegalArgumentException("approval threshold must be >= 0");
        if (escalateAfter.compareTo(approvalTimeout) > 0) throw new IllegalArgumentException("escalate-after must not exceed approval-timeout");
        if (pollInterval.isZero() || pollInterval.compareTo(maxPollInterval) > 0) throw new IllegalArgumentException("0 < poll-interval <= max-poll-interval");
        if (instantInterval.compareTo(Duration.ofMinutes(1)) < 0) throw new IllegalArgumentException("instant-interval must be >= 1 minute");
        if (attentionAfter.compareTo(resendGrace) < 0) throw new IllegalArgumentException("attention-after must be >= resend-grace");
    }

    /** ₹50,000 needs approval; escalate after 24 h, reject after 72 h; poll from 1 min to 1 h; watch reversals 7 days. */
    public static PayoutSettings defaults() {
        return new PayoutSettings(5_000_000L, Duration.ofHours(24), Duration.ofHours(72), Duration.ofMinutes(1), Duration.ofHours(1),
                Duration.ofDays(7), Duration.ofMinutes(15), Duration.ofMinutes(10));
    }

    public PayoutTimings timings() {
        return new PayoutTimings(escalateAfter.toMillis(), approvalTimeout.toMillis(), pollInterval.toMillis(),
                maxPollInterval.toMillis(), reversalWindow.toMillis(), attentionAfter.toMillis());
    }
}
