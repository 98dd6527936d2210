package com.commdesk.workflows.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Orchestration of one payment, on Temporal's test server with time skipping. */
class PaymentWorkflowTest {
    TestWorkflowEnvironment env;
    FakePaymentActivities activities;
    WorkflowClient client;

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(PaymentWorkflow.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(PaymentWorkflowImpl.class);
        activities = new FakePaymentActivities();
        worker.registerActivitiesImplementations(activities);
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private PaymentWorkflow stub(String paymentId) {
        return client.newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PaymentWorkflow.TASK_QUEUE)
                .setWorkflowId(PaymentWorkflow.workflowId(paymentId))
                .build());
    }

    private static PaymentRequest request(String id) {
        return new PaymentRequest(id, "demo-community", "EVENT", "evt-1", "order-" + id, 1_000_000L, Map.of());
    }

    @Test
    void runsTheSixStepsInOrderAndReportsTheResult() {
        PaymentStatus status = stub("p1").process(request("p1"));

        assertThat(activities.calls).containsExactly("verify#1", "fees", "allocate", "post", "settle", "payout");
        assertThat(status.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(status.breakdown().netPaise()).isEqualTo(820_000L);
        assertThat(status.shares()).singleElement().satisfies(s -> assertThat(s.amountPaise()).isEqualTo(820_000L));
        assertThat(status.journalId()).isEqualTo(42L);
        assertThat(status.ruleId()).isEqualTo("rule-1");
        assertThat(status.ruleVersion()).isEqualTo(3);
        // A completed workflow still answers the status query (replayed from its history).
        assertThat(client.newWorkflowStub(PaymentWorkflow.class, PaymentWorkflow.workflowId("p1")).status().stage())
                .isEqualTo(PaymentStage.COMPLETED);
    }

    @Test
    void survivesThirtyMinutesOfCashfreeDowntimeAndLosesNothing() {
        activities.cashfreeDownFor = Duration.ofMinutes(30);
        long before = env.currentTimeMillis();

        PaymentStatus status = stub("p2").process(request("p2"));

        assertThat(status.stage()).isEqualTo(PaymentStage.COMPLETED);
        assertThat(env.currentTimeMillis() - before).isGreaterThanOrEqualTo(Duration.ofMinutes(30).toMillis());
        // Retried with backoff (1s, 2s, 4s, ... capped at 60s): about 35 attempts, not thousands.
        long attempts = activities.calls.stream().filter(c -> c.startsWith("verify#")).count();
        assertThat(attempts).isBetween(30L, 45L);
        assertThat(activities.calls).containsOnlyOnce("post");
        assertThat(activities.calls).doesNotContain("reverse:p2");
    }

    @Test
    void aVerificationFailureStopsAtOnceWithNothingPosted() {
        activities.failVerificationWith = "order amount 999.00 differs from claimed 10000.00";

        assertThatThrownBy(() -> stub("p3").process(request("p3"))).isInstanceOf(WorkflowFailedException.class);

        assertThat(activities.calls).containsExactly("verify#1");
        PaymentStatus status = client.newWorkflowStub(PaymentWorkflow.class, PaymentWorkflow.workflowId("p3")).status();
        assertThat(status.stage()).isEqualTo(PaymentStage.FAILED);
        assertThat(status.error()).contains("differs from claimed");
    }

    @Test
    void aFailureAfterPostingIsCompensatedByAReversal() {
        activities.failSettlementWith = "community has no hold policy";

        assertThatThrownBy(() -> stub("p4").process(request("p4"))).isInstanceOf(WorkflowFailedException.class);

        assertThat(activities.calls).containsExactly("verify#1", "fees", "allocate", "post", "settle", "reverse:p4");
        PaymentStatus status = client.newWorkflowStub(PaymentWorkflow.class, PaymentWorkflow.workflowId("p4")).status();
        assertThat(status.stage()).isEqualTo(PaymentStage.COMPENSATED);
        assertThat(status.error()).contains("no hold policy");
    }

    @Test
    void theSameIdempotencyKeyNeverStartsASecondPayment() {
        var first = WorkflowClient.start(stub("p5")::process, request("p5"));
        assertThatThrownBy(() -> WorkflowClient.start(stub("p5")::process, request("p5")))
                .isInstanceOf(WorkflowExecutionAlreadyStarted.class);

        // What the API does: USE_EXISTING attaches to the running payment instead of failing.
        PaymentWorkflow again = client.newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PaymentWorkflow.TASK_QUEUE)
                .setWorkflowId(PaymentWorkflow.workflowId("p5"))
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .build());
        var second = WorkflowClient.start(again::process, request("p5"));
        assertThat(second.getRunId()).isEqualTo(first.getRunId());

        client.newUntypedWorkflowStub(first, java.util.Optional.empty()).getResult(PaymentStatus.class);
        assertThat(activities.calls.stream().filter("post"::equals)).hasSize(1);
    }
}
