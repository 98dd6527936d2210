package com.commdesk.workflows.payout;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.workflows.payout.PayoutTypes.PayoutDecision;
import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
import com.commdesk.workflows.payout.PayoutTypes.PayoutStage;
import com.commdesk.workflows.payout.PayoutTypes.PayoutStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Four eyes in the workflow itself: the approver is an authenticated subject, and subjects are the
 * same person whatever their letter case. Neither the requester ("alice" vs "Alice") nor the payout's
 * recipient may decide it; their signals are ignored and counted.
 */
class PayoutFourEyesTest {
    TestWorkflowEnvironment env;
    WorkflowClient client;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(PayoutWorkflow.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(PayoutWorkflowImpl.class);
        worker.registerActivitiesImplementations(new FakePayoutActivities());
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    PayoutWorkflow payout(String id, String requestedBy, String recipient) {
        PayoutWorkflow wf = client.newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
        WorkflowClient.start(wf::payout, new PayoutRequest(id, "stl_test", "demo-community", "owner", recipient, 700_000L, requestedBy,
                true, null, FakePayoutActivities.TIMINGS));
        PayoutWorkflow running = client.newWorkflowStub(PayoutWorkflow.class, id);
        RecordPayoutHistories.await(running, PayoutStage.AWAITING_APPROVAL);
        return running;
    }

    @Test
    void theRequesterInAnotherLetterCaseCannotApprove() {
        PayoutWorkflow wf = payout("po_case", "alice", "u-owner");
        wf.approve(new PayoutDecision("Alice", "it is me, capitalised"));
        wf.approve(new PayoutDecision("ALICE", "and shouting"));
        assertThat(wf.status().stage()).isEqualTo(PayoutStage.AWAITING_APPROVAL);
        assertThat(wf.status().ignoredSignals()).isEqualTo(2);
        wf.approve(new PayoutDecision("bob", "checked"));
        PayoutStatus end = WorkflowStub.fromTyped(wf).getResult(PayoutStatus.class);
        assertThat(end.decidedBy()).isEqualTo("bob");
        assertThat(end.stage()).isNotEqualTo(PayoutStage.REJECTED);
    }

    @Test
    void theRecipientCannotApproveItsOwnPayout() {
        PayoutWorkflow wf = payout("po_self", "alice", "u-owner");
        wf.approve(new PayoutDecision("U-Owner", "paying myself"));
        assertThat(wf.status().stage()).isEqualTo(PayoutStage.AWAITING_APPROVAL);
        assertThat(wf.status().ignoredSignals()).isEqualTo(1);
        wf.reject(new PayoutDecision("bob", "no"));
        assertThat(WorkflowStub.fromTyped(wf).getResult(PayoutStatus.class).stage()).isEqualTo(PayoutStage.REJECTED);
    }
}
