package com.commdesk.workflows.payout;

import com.commdesk.workflows.payout.PayoutTypes.CyclePlan;
import com.commdesk.workflows.payout.PayoutTypes.SettlementRequest;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * A durable clock per community: plan the next cut-off (the policy is re-read every cycle, so a
 * change applies from the next one), sleep until it on a durable timer, start that cycle's
 * settlement (id derived from the cut-off: a cycle can never run twice), and after
 * {@link #CYCLES_PER_RUN} cycles continue as new to keep the history short. MANUAL communities
 * re-check their policy daily (each re-check counts as a cycle); finance starts their settlements
 * through the API. A positive {@code maxCycles} bounds the run (tests); 0 runs for ever.
 */
public class SettlementCycleWorkflowImpl implements SettlementCycleWorkflow {
    static final int CYCLES_PER_RUN = 30;
    static final Duration MANUAL_RECHECK = Duration.ofDays(1);
    public static final String REQUESTER = "system:settlement-cycle";

    private final SettlementActivities activities = Workflow.newActivityStub(SettlementActivities.class, SettlementWorkflowImpl.STEP);
    private long nextCutOff;

    @Override
    public void run(String communityId, int maxCycles) {
        // Unbounded (0, the production case) is exactly the loop as it always was: no new commands.
        int cycles = maxCycles > 0 ? Math.min(maxCycles, CYCLES_PER_RUN) : CYCLES_PER_RUN;
        for (int i = 0; i < cycles; i++) {
            CyclePlan plan = activities.nextCycle(communityId, Workflow.currentTimeMillis());
            if ("MANUAL".equals(plan.policy())) {
                nextCutOff = 0;
                Workflow.sleep(MANUAL_RECHECK);
                continue;
            }
            nextCutOff = plan.cutOffMillis();
            long wait = plan.cutOffMillis() - Workflow.currentTimeMillis();
            if (wait > 0) Workflow.sleep(Duration.ofMillis(wait));
            SettlementWorkflow settlement = Workflow.newChildWorkflowStub(SettlementWorkflow.class, ChildWorkflowOptions.newBuilder()
                    .setWorkflowId(plan.settlementId())
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE)
                    .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                    .build());
            Async.function(settlement::settle, new SettlementRequest(plan.settlementId(), communityId, plan.policy(),
                    plan.cutOffMillis(), REQUESTER));
            Workflow.getWorkflowExecution(settlement).get(); // started; it runs on without us
        }
        if (maxCycles > 0) {
            if (maxCycles <= CYCLES_PER_RUN) return;
            Workflow.continueAsNew(communityId, maxCycles - CYCLES_PER_RUN);
        }
        Workflow.continueAsNew(communityId);
    }

    @Override
    public long nextCutOffMillis() {
        return nextCutOff;
    }
}
