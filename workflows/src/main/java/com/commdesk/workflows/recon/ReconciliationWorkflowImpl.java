package com.commdesk.workflows.recon;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Deterministic: time comes from Workflow.currentTimeMillis, waiting is a durable timer. */
public class ReconciliationWorkflowImpl implements ReconciliationWorkflow {
    /** Fetching a period's recon data pages through Cashfree: long attempts, retried for up to a day. */
    static final ActivityOptions RECONCILE = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(15))
            .setScheduleToCloseTimeout(Duration.ofHours(24))
            .setRetryOptions(RetryOptions.newBuilder()
                    .setInitialInterval(Duration.ofSeconds(5))
                    .setBackoffCoefficient(2.0)
                    .setMaximumInterval(Duration.ofMinutes(10))
                    .setDoNotRetry("CashfreeRejected", "InvalidReconciliation")
                    .build())
            .build();

    private final ReconciliationActivities activities = Workflow.newActivityStub(ReconciliationActivities.class, RECONCILE);
    private ReconRunSummary last;

    @Override
    public ReconRunSummary run(ReconSchedule s) {
        int done = 0;
        while (s.periods() == 0 || done < s.periods()) {
            if (done == s.periodsPerRun()) {
                ReconciliationWorkflow next = Workflow.newContinueAsNewStub(ReconciliationWorkflow.class);
                return next.run(s.after(done));
            }
            long from = s.firstPeriodStartMillis() + done * s.periodMillis();
            long to = from + s.periodMillis();
            long wait = to + s.lagMillis() - Workflow.currentTimeMillis();
            if (wait > 0) Workflow.sleep(Duration.ofMillis(wait));
            last = activities.reconcilePeriod(new ReconPeriod(from, to, s.graceMillis()));
            done++;
        }
        return last;
    }

    @Override
    public ReconRunSummary lastRun() {
        return last;
    }
}
