package com.commdesk.workflows.payout;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
import com.commdesk.workflows.payout.PayoutTypes.PayoutResolution;
import com.commdesk.workflows.payout.PayoutTypes.PayoutStage;
import com.commdesk.workflows.payout.PayoutTypes.PayoutStatus;
import com.commdesk.workflows.payout.PayoutTypes.TransferUpdate;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What reaches a payout's workflow while it is busy asking Cashfree (a webhook, a finance resolution)
 * is acted on, and Cashfree's own answer outranks a finance guess. The fake's transferStatus delivers
 * the signals while it runs, as the webhook controller and the resolve endpoint would.
 */
@org.junit.jupiter.api.Timeout(value = 60)
class PayoutSignalsTest {
    TestWorkflowEnvironment env;
    WorkflowClient client;
    final FakePayoutActivities fake = new FakePayoutActivities();

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(PayoutWorkflow.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(PayoutWorkflowImpl.class);
        worker.registerActivitiesImplementations(fake);
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    WorkflowStub start(String id) {
        fake.statusAnswers.put(id, new ArrayList<>(List.of(FakePayoutActivities.result("PENDING"))));
        PayoutWorkflow wf = client.newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
        WorkflowClient.start(wf::payout, new PayoutRequest(id, "stl_t", "c1", "owner", "u1", 700_000L, "system", false, null,
                FakePayoutActivities.TIMINGS));
        return WorkflowStub.fromTyped(wf);
    }

    PayoutWorkflow signals(String id) {
        return client.newWorkflowStub(PayoutWorkflow.class, id);
    }

    /** During the first poll after the payout needs attention, {@code arrive} signals it; returns whether that happened. */
    AtomicBoolean duringFirstPollInAttention(java.util.function.Consumer<PayoutWorkflow> arrive) {
        AtomicBoolean sent = new AtomicBoolean();
        fake.duringAsk = (payoutId, n) -> {
            if ("NEEDS_ATTENTION".equals(fake.statuses.get(payoutId)) && sent.compareAndSet(false, true)) arrive.accept(signals(payoutId));
        };
        return sent;
    }

    @Test
    void cashfreesSuccessOutranksAFailedResolutionThatArrivesWithIt() throws Exception {
        // While the payout waits for finance, Cashfree's SUCCESS webhook and a two-person "confirm failed" both arrive
        // during one poll. Releasing the money would pay the member twice (Cashfree did pay; the webhook is used up).
        String id = "po_success_and_failed_resolution";
        AtomicBoolean sent = duringFirstPollInAttention(wf -> {
            wf.transferUpdate(new TransferUpdate("evt-ok", "SUCCESS", "COMPLETED", "paid", "cf-1"));
            wf.resolve(new PayoutResolution("FAILED", "finance-alice", "finance-bob", "bank shows nothing"));
        });
        PayoutStatus end = start(id).getResult(PayoutStatus.class);

        assertThat(sent).isTrue();
        assertThat(end.stage()).isEqualTo(PayoutStage.PAID);
        assertThat(fake.calls).contains("paid:" + id).doesNotContain("release:FAILED");
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(id), PayoutWorkflowImpl.class);
    }

    @Test
    void cashfreesFailureOutranksAPaidResolutionThatArrivesWithIt() throws Exception {
        // The other way round: "confirm paid" (one person) must not book as paid a transfer Cashfree says FAILED.
        String id = "po_failed_and_paid_resolution";
        AtomicBoolean sent = duringFirstPollInAttention(wf -> {
            wf.resolve(new PayoutResolution("PAID", "finance-alice", null, "dashboard shows it paid"));
            wf.transferUpdate(new TransferUpdate("evt-fail", "FAILED", "INVALID_ACCOUNT_FAIL", "no such account", "cf-1"));
        });
        PayoutStatus end = start(id).getResult(PayoutStatus.class);

        assertThat(sent).isTrue();
        assertThat(end.stage()).isEqualTo(PayoutStage.FAILED);
        assertThat(fake.calls).contains("release:FAILED").doesNotContain("paid:" + id);
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(id), PayoutWorkflowImpl.class);
    }

    @Test
    void aResolutionThatArrivesDuringTheLastPollOfARunIsNotLostWithTheRun() throws Exception {
        // The resolution arrives while the poll that ends a run (continue-as-new after POLLS_PER_RUN) asks Cashfree.
        // The API answered 200 and the database records the confirmation; the next run must not forget it.
        String id = "po_resolution_at_continue_as_new";
        AtomicBoolean sentInAttention = new AtomicBoolean();
        fake.duringAsk = (payoutId, n) -> {
            if (n == PayoutWorkflowImpl.POLLS_PER_RUN) {
                sentInAttention.set("NEEDS_ATTENTION".equals(fake.statuses.get(payoutId)));
                signals(payoutId).resolve(new PayoutResolution("FAILED", "finance-alice", "finance-bob", "bank shows nothing"));
            }
        };
        WorkflowStub wf = start(id);
        String firstRun = wf.getExecution().getRunId();
        PayoutStatus end;
        try {
            end = wf.getResult(20, TimeUnit.SECONDS, PayoutStatus.class);
        } catch (TimeoutException lost) {
            throw new AssertionError("the resolution was lost: the payout still waits, its money locked; calls: "
                    + fake.calls.stream().filter(c -> !c.startsWith("ask:")).toList());
        }
        assertThat(sentInAttention).as("resolved while it needed attention").isTrue();
        assertThat(end.stage()).isEqualTo(PayoutStage.FAILED);
        assertThat(end.reason()).contains("finance-alice").contains("finance-bob");
        assertThat(fake.calls).contains("release:FAILED");
        var events = client.fetchHistory(id, firstRun).getEvents();
        assertThat(events.get(events.size() - 1).getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(id, firstRun), PayoutWorkflowImpl.class);
    }

    @Test
    void aResolutionDeliveredWithTheFirstTaskOfAContinuedRunIsTaken() throws Exception {
        // A continued run (the wait after 200 polls) whose first workflow task also carries finance's "confirm failed":
        // Temporal runs signal handlers before the workflow method, so the handler must see the carried state.
        // signalWithStart puts the start and the signal in one first task, as a signal sent at the boundary is. A run
        // continued by older code (restoredBeforeSignals false) kept that code's order: histories/payout-resolution-at-run-boundary-v5.
        String id = "po_resolution_at_the_boundary";
        fake.statusAnswers.put(id, new ArrayList<>(List.of(FakePayoutActivities.result("PENDING"))));
        PayoutRequest continued = new PayoutRequest(id, "stl_t", "c1", "owner", "u1", 700_000L, "system", false, null,
                FakePayoutActivities.TIMINGS).resumed(new PayoutTypes.PayoutResume("PENDING", null, false, env.currentTimeMillis()
                - java.time.Duration.ofDays(1).toMillis(), 60_000, true, List.of("evt-1"), 0, 1, true)); // as today's code continues it
        WorkflowStub stub = client.newUntypedWorkflowStub("PayoutWorkflow", WorkflowOptions.newBuilder()
                .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
        stub.signalWithStart("resolve", new Object[] {new PayoutResolution("FAILED", "finance-alice", "finance-bob", "bank shows nothing")},
                new Object[] {continued});

        env.sleep(java.time.Duration.ofMinutes(5));
        assertThat(signals(id).status().stage()).as("finance's resolution was taken, not dropped before the state was restored")
                .isEqualTo(PayoutStage.FAILED);
        PayoutStatus end = stub.getResult(10, TimeUnit.SECONDS, PayoutStatus.class);
        assertThat(end.stage()).isEqualTo(PayoutStage.FAILED);
        assertThat(end.reason()).contains("confirmed failed by finance-alice and finance-bob");
        assertThat(end.ignoredSignals()).isZero();
        assertThat(fake.calls).contains("release:FAILED");
    }

    /**
     * Review P12: finance-bob approved having seen flag generation 1; a flag (generation 2) is raised before his approval
     * is recorded, so the ledger records it as superseded. finance-carol, seeing generation 2, re-approves while bob's
     * approval is being recorded. That re-approval was dropped (a decision was already taken): the send found the payout
     * flagged, the payout waited for a new approval, was escalated and rejected automatically, its money released.
     */
    @Test
    void aReApprovalGivenWhileASupersededApprovalIsRecordedCounts() throws Exception {
        String id = "po_reapproval_during_superseded_record";
        fake.flagGenerations.put(id, 1);
        AtomicBoolean reApproved = new AtomicBoolean();
        fake.duringDecision = (payoutId, seen) -> {
            if (!reApproved.compareAndSet(false, true)) return;
            fake.flagGenerations.put(payoutId, 2); // flagged again since bob looked
            signals(payoutId).approve(new PayoutTypes.PayoutDecision("finance-carol", "checked the new flag", 2));
        };
        PayoutWorkflow wf = client.newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
        WorkflowClient.start(wf::payout, new PayoutRequest(id, "stl_t", "c1", "owner", "u1", 700_000L, "system", true,
                "flagged: bank account changed", FakePayoutActivities.TIMINGS));
        RecordPayoutHistories.await(wf, PayoutStage.AWAITING_APPROVAL);
        wf.approve(new PayoutTypes.PayoutDecision("finance-bob", "looks fine", 1));
        PayoutStatus end = WorkflowStub.fromTyped(wf).getResult(PayoutStatus.class);

        assertThat(reApproved).isTrue();
        assertThat(fake.calls).contains("decision:superseded:finance-bob");
        assertThat(end.stage()).as("carol's re-approval counts; calls: " + fake.calls).isEqualTo(PayoutStage.PAID);
        assertThat(end.decidedBy()).isEqualTo("finance-carol");
        assertThat(fake.calls).doesNotContain("escalate").contains("decision:true", "paid:" + id);
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(id), PayoutWorkflowImpl.class);
    }
}
