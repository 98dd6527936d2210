package com.commdesk.workflows.recon;

/**
 * When {@link ReconciliationWorkflow} runs: periods of {@code periodMillis} from {@code firstPeriodStartMillis},
 * each reconciled {@code lagMillis} after it ends (lag >= grace, so Cashfree has settled it); {@code periods}
 * periods in all (0: forever); the workflow continues as new after {@code periodsPerRun} periods, so its
 * history stays small.
 */
public record ReconSchedule(long firstPeriodStartMillis, long periodMillis, long lagMillis, long graceMillis, int periods,
                            int periodsPerRun) {
    public ReconSchedule {
        if (periodMillis < 60_000) throw new IllegalArgumentException("period must be at least a minute");
        if (graceMillis < 0 || lagMillis < graceMillis) throw new IllegalArgumentException("need 0 <= grace <= lag");
        if (periods < 0) throw new IllegalArgumentException("periods must be >= 0");
        if (periodsPerRun < 1 || periodsPerRun > 1000) throw new IllegalArgumentException("periodsPerRun must be 1..1000");
    }

    /** The same schedule, starting {@code done} periods later, with that many fewer to go. */
    ReconSchedule after(int done) {
        return new ReconSchedule(firstPeriodStartMillis + done * periodMillis, periodMillis, lagMillis, graceMillis,
                periods == 0 ? 0 : periods - done, periodsPerRun);
    }
}
