package com.commdesk.workflows.payout;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The settlement clock of one community (workflow id {@link #workflowId}): sleeps on a durable timer
 * until the next cut-off of its payout policy, starts that cycle's {@link SettlementWorkflow}, and
 * continues as new. Stands in for Temporal Schedules, which Temporal's Java test server (our
 * embedded server) does not implement (docs/payouts.md).
 */
@WorkflowInterface
public interface SettlementCycleWorkflow {
    static String workflowId(String communityId) {
        return "settlement-cycle-" + communityId;
    }

    /**
     * Runs the community's cycles for ever (continuing as new), or, if {@code maxCycles > 0}, for that
     * many cycles and then ends (tests block on the result; time skipping advances while they wait).
     * Started with only a community id (as before this parameter existed), {@code maxCycles} is 0:
     * unbounded, so histories and running workflows keep their behaviour.
     */
    @WorkflowMethod
    void run(String communityId, int maxCycles);

    /** Epoch millis of the next cut-off, or 0 while the policy is MANUAL. */
    @QueryMethod
    long nextCutOffMillis();
}
