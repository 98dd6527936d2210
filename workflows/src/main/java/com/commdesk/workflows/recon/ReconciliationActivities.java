package com.commdesk.workflows.recon;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface ReconciliationActivities {
    /**
     * Fetches Cashfree's settlement recon data for the period and records every difference. Idempotent:
     * running a period again records no duplicate.
     */
    @ActivityMethod
    ReconRunSummary reconcilePeriod(ReconPeriod period);
}
