package com.commdesk.workflows.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Orchestration of refunds on Temporal's test server with time skipping. */
class RefundWorkflowTest {
    static final class Fake implements RefundActivities {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile String notRefundable;
        volatile Duration cashfreeDownFor = Duration.ZERO;
        volatile int postFailures;

        public RefundTarget check(RefundRequest r) {
            calls.add("check");
            if (notRefundable != null) throw ApplicationFailure.newNonRetryableFailure(notRefundable, RefundFailures.NOT_REFUNDABLE);
            return new RefundTarget("tx-1", "order-1", 1_000_000L);
        }

        public String refundAtCashfree(RefundRequest r, String orderId) {
            ActivityInfo info = Activity.getExecutionContext().getInfo();
            calls.add("cashfree#" + info.getAttempt());
            if (info.getCurrentAttemptScheduledTimestamp() - info.getScheduledTimestamp() < cashfreeDownFor.toMillis()) {
                throw ApplicationFailure.newFailure("Cashfree answered 503", "CashfreeUnavailable");
            }
            return "cf-refund-1";
        }

        public RefundOutcome post(RefundRequest r, String transactionId) {
            calls.add("post");
            if (postFailures > 0) {
                postFailures--;
                throw ApplicationFailure.newNonRetryableFailure("ledger refused", "LedgerRefused");
            }
            return new RefundOutcome(7, 100, 0, 0);
        }
    }

    TestWorkflowEnvironment env;
    Fake fake;
    WorkflowClient client;

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(RefundWorkflow.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(RefundWorkflowImpl.class);
        fake = new Fake();
        worker.registerActivitiesImplementations(fake);
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    RefundWorkflow stub(String id) {
        return client.newWorkflowStub(RefundWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(RefundWorkflow.TASK_QUEUE).setWorkflowId(RefundWorkflow.workflowId(id)).build());
    }

    static RefundRequest request(String id, RefundRequest.Kind kind) {
        return new RefundRequest(id, "pay-1", kind, 250_000L, "customer cancelled", "support-1");
    }

    @Test
    void aRefundIsRefundedAtCashfreeThenPosted() {
        RefundStatus s = stub("r1").process(request("r1", RefundRequest.Kind.REFUND));
        assertThat(s.stage()).isEqualTo(RefundStatus.Stage.COMPLETED);
        assertThat(s.cashfreeRefundId()).isEqualTo("cf-refund-1");
        assertThat(fake.calls).containsExactly("check", "cashfree#1", "post");
    }

    @Test
    void aChargebackIsPostedWithoutAskingCashfree() {
        assertThat(stub("r2").process(request("r2", RefundRequest.Kind.CHARGEBACK)).stage()).isEqualTo(RefundStatus.Stage.COMPLETED);
        assertThat(fake.calls).containsExactly("check", "post");
    }

    @Test
    void aRefundBeyondThePaymentFailsBeforeAnyMoneyMoves() {
        fake.notRefundable = "refunding 250000 paise would exceed the payment";
        assertThatThrownBy(() -> stub("r3").process(request("r3", RefundRequest.Kind.REFUND))).isInstanceOf(WorkflowFailedException.class);
        assertThat(fake.calls).containsExactly("check");
    }

    @Test
    void cashfreeDowntimeOnlyDelaysTheRefund() {
        fake.cashfreeDownFor = Duration.ofMinutes(30);
        assertThat(stub("r4").process(request("r4", RefundRequest.Kind.REFUND)).stage()).isEqualTo(RefundStatus.Stage.COMPLETED);
        assertThat(fake.calls).containsOnlyOnce("post");
    }

    @Test
    void afterCashfreeRefundedAFailedPostingWaitsForAnOperatorAndIsNeverDropped() throws Exception {
        fake.postFailures = 1;
        WorkflowClient.start(stub("r5")::process, request("r5", RefundRequest.Kind.REFUND));
        RefundWorkflow running = client.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId("r5"));
        for (int i = 0; i < 200 && running.status().stage() != RefundStatus.Stage.NEEDS_ATTENTION; i++) Thread.sleep(25);
        assertThat(running.status().stage()).isEqualTo(RefundStatus.Stage.NEEDS_ATTENTION);
        assertThat(running.status().error()).contains("ledger refused");

        running.retryPosting("ops-anita");

        assertThat(WorkflowStub.fromTyped(running).getResult(RefundStatus.class).stage()).isEqualTo(RefundStatus.Stage.COMPLETED);
        assertThat(fake.calls).containsExactly("check", "cashfree#1", "post", "post");
    }
}
