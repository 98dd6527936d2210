package com.commdesk.workflows.recon;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Reconciles Cashfree's settlements with our payments, period after period (docs/reconciliation.md).
 * A long-running workflow with durable timers and continue-as-new rather than a Temporal Schedule:
 * Temporal's Java test server, which the dev stack runs, does not implement Schedules.
 */
@WorkflowInterface
public interface ReconciliationWorkflow {
    String TASK_QUEUE = "commdesk-reconciliation";
    /** The one scheduled instance. */
    String SCHEDULED_ID = "reconciliation-scheduled";

    /** Returns the last period's summary when {@code periods} are done (never, for 0 = forever). */
    @WorkflowMethod
    ReconRunSummary run(ReconSchedule schedule);

    /** The last period's summary, or null before the first. */
    @QueryMethod
    ReconRunSummary lastRun();

    static String periodWorkflowId(ReconPeriod p) {
        return "reconciliation-period-" + p.fromEpochMillis() + "-" + p.toEpochMillis();
    }
}
