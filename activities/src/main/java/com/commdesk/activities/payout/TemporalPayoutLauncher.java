package com.commdesk.activities.payout;

import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
import com.commdesk.workflows.payout.PayoutWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;

/**
 * Starts a payout's workflow from the settlement's page activity: workflow id = payout id, a
 * duplicate refused (a retried page starts nothing twice).
 */
public final class TemporalPayoutLauncher implements PayoutActivitiesImpl.PayoutLauncher {
    private final WorkflowClient client;

    public TemporalPayoutLauncher(WorkflowClient client) {
        this.client = client;
    }

    @Override
    public void launch(PayoutRequest request) {
        PayoutWorkflow wf = client.newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(request.payoutId())
                .setTaskQueue(PayoutWorkflow.TASK_QUEUE)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
        try {
            WorkflowClient.start(wf::payout, request);
        } catch (WorkflowExecutionAlreadyStarted started) {
            // this page was started before (a retried activity): nothing to do
        }
    }
}
