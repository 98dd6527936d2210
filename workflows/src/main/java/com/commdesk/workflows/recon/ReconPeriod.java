package com.commdesk.workflows.recon;

/**
 * One reconciliation period: our payments posted in [from, to) against Cashfree's settlements made in
 * [from, to + grace] (Cashfree settles T+1 or later, so a payment late in the period settles after it).
 * Epoch milliseconds: workflow payloads carry no clocks or zone rules.
 */
public record ReconPeriod(long fromEpochMillis, long toEpochMillis, long graceMillis) {
    public ReconPeriod {
        if (fromEpochMillis >= toEpochMillis) throw new IllegalArgumentException("from must be before to");
        if (graceMillis < 0) throw new IllegalArgumentException("grace must be >= 0");
    }
}
