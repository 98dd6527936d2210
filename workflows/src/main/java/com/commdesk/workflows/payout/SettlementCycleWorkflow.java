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

    @WorkflowMethod
    void run(String communityId);

    /** Epoch millis of the next cut-off, or 0 while the policy is MANUAL. */
    @QueryMethod
    long nextCutOffMillis();
}
