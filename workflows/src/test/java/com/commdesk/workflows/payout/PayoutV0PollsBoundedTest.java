package com.commdesk.workflows.payout;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.workflows.RunChain;
import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
import com.commdesk.workflows.payout.PayoutTypes.PayoutStage;
import com.commdesk.workflows.payout.PayoutTypes.PayoutStatus;
import com.commdesk.workflows.payout.PayoutTypes.TransferUpdate;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, bounded histories: a payout started before "payout-fail-closed" (the v0 path, which today's code
 * still runs for those executions) polled in one run for as long as Cashfree said PENDING. Its wait now
 * continues as new after {@link PayoutWorkflowImpl#POLLS_PER_RUN} polls into the fail-closed wait: money locked,
 * NEEDS_ATTENTION, and a later SUCCESS webhook pays it.
 */
class PayoutV0PollsBoundedTest {
    static final int MAX_EVENTS_PER_RUN = 2_400;

    /** Starts payout {@code id} of an old settlement on {@code env}, Cashfree answering PENDING to every poll of {@code fake}. */
    private static WorkflowClient startPending(TestWorkflowEnvironment env, FakePayoutActivities fake, String id) {
        Worker worker = env.newWorker(PayoutWorkflow.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(PayoutWorkflowImpl.class);
        worker.registerActivitiesImplementations(fake);
        env.start();
        WorkflowClient client = env.getWorkflowClient();
        fake.statusAnswers.put(id, new java.util.ArrayList<>(List.of(FakePayoutActivities.result("PENDING"))));
        PayoutWorkflow wf = client.newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
        WorkflowClient.start(wf::payout, new PayoutRequest(id, "stl_old", "c1", "owner", "u-owner", 700_000L, "system", false, null,
                FakePayoutActivities.TIMINGS));
        return client;
    }

    @Test
    void aV0PayoutThatCashfreeKeepsPendingContinuesAsNewIntoTheFailClosedWait() throws Exception {
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(StartedBefore.environment(PayoutWorkflowImpl.FAIL_CLOSED))) {
            FakePayoutActivities fake = new FakePayoutActivities();
            String id = "po_v0_pending";
            WorkflowClient client = startPending(env, fake, id);
            PayoutWorkflow running = client.newWorkflowStub(PayoutWorkflow.class, id);

            // Polls every 2 minutes at most: 300 polls take 10 hours. Before the fix this was one run of 300+ polls.
            for (int i = 0; i < 200 && fake.asks.getOrDefault(id, new java.util.concurrent.atomic.AtomicInteger()).get() < 300; i++) {
                env.sleep(Duration.ofHours(1));
            }
            List<WorkflowExecutionHistory> runs = RunChain.runs(client, id);
            assertThat(runs).as("the v0 wait continued as new").hasSizeGreaterThanOrEqualTo(2);
            WorkflowExecutionHistory first = runs.get(0);
            assertThat(first.getEvents()).as("the first run took the v0 path (no fail-closed marker)")
                    .noneMatch(e -> e.hasMarkerRecordedEventAttributes() && e.toString().contains(PayoutWorkflowImpl.FAIL_CLOSED));
            assertThat(RunChain.last(first)).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
            for (WorkflowExecutionHistory run : runs) assertThat(run.getEvents().size()).isLessThan(MAX_EVENTS_PER_RUN);
            System.out.printf("v0 payout polled %d times: %d runs, first run %d events%n", fake.asks.get(id).get(), runs.size(),
                    first.getEvents().size());

            // The continued run is the fail-closed wait: unknown for longer than attentionAfter -> NEEDS_ATTENTION, money locked.
            assertThat(running.status().stage()).isEqualTo(PayoutStage.NEEDS_ATTENTION);
            assertThat(fake.calls).contains("attention:" + id).noneMatch(c -> c.startsWith("release:"));

            running.transferUpdate(new TransferUpdate("evt-late", "SUCCESS", "COMPLETED", "done", "cf-1"));
            PayoutStatus end = WorkflowStub.fromTyped(running).getResult(PayoutStatus.class);
            assertThat(end.stage()).isEqualTo(PayoutStage.PAID);
            assertThat(fake.calls).containsOnlyOnce("paid:" + id).containsOnlyOnce("send:" + id).noneMatch(c -> c.startsWith("release:"));
        }
    }

    /**
     * Review S2: a v0 payout already past POLLS_PER_RUN polls when payout-v0-polls-continue-as-new was deployed replays
     * that getVersion call without a marker (DEFAULT_VERSION), and Temporal keeps that answer for the change id for the
     * rest of the execution: it polled in one run for ever. Since payout-v0-polls-continue-as-new-N (a fresh change id per
     * block of POLLS_PER_RUN polls) it continues as new at the end of the block it is in when today's code takes it over.
     */
    @Test
    void aV0PayoutAlreadyPastTheFirstBlockAtDeployContinuesAsNewAtTheEndOfItsBlock() throws Exception {
        // The release before payout-v0-polls-continue-as-new runs it first (a v0 execution: before payout-fail-closed too).
        Set<String> notYetReleased = ConcurrentHashMap.newKeySet();
        notYetReleased.addAll(List.of(PayoutWorkflowImpl.FAIL_CLOSED, PayoutWorkflowImpl.V0_POLLS_BOUNDED));
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(StartedBefore.deployable(notYetReleased))) {
            FakePayoutActivities fake = new FakePayoutActivities();
            String id = "po_v0_past_a_block";
            WorkflowClient client = startPending(env, fake, id);
            for (int i = 0; i < 100 && asks(fake, id) < 250; i++) env.sleep(Duration.ofMinutes(30));
            assertThat(RunChain.runs(client, id)).as("one run of " + asks(fake, id) + " polls so far").hasSize(1);

            // payout-v0-polls-continue-as-new deployed: the next task replays the first 250 polls with it, then goes on.
            notYetReleased.remove(PayoutWorkflowImpl.V0_POLLS_BOUNDED);
            // Another execution's task takes the one-entry cache: the payout's next task replays it from its start.
            PayoutWorkflow other = client.newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId("po_evicts_the_cache").build());
            WorkflowClient.start(other::payout, new PayoutRequest("po_evicts_the_cache", "stl_new", "c1", "owner", "u-other", 1_000L,
                    "system", false, null, FakePayoutActivities.TIMINGS));
            for (int i = 0; i < 100 && asks(fake, id) < 2 * PayoutWorkflowImpl.POLLS_PER_RUN + 50; i++) env.sleep(Duration.ofMinutes(30));
            List<WorkflowExecutionHistory> runs = RunChain.runs(client, id);
            assertThat(runs).as("continued as new after " + asks(fake, id) + " polls").hasSizeGreaterThanOrEqualTo(2);
            assertThat(RunChain.last(runs.get(0))).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
            assertThat(runs.get(0).getEvents().size()).as("the first run ended with its second block").isLessThan(2 * MAX_EVENTS_PER_RUN);
            PayoutWorkflow running = client.newWorkflowStub(PayoutWorkflow.class, id);
            running.transferUpdate(new TransferUpdate("evt-late", "SUCCESS", "COMPLETED", "done", "cf-1"));
            assertThat(WorkflowStub.fromTyped(running).getResult(PayoutStatus.class).stage()).isEqualTo(PayoutStage.PAID);
        }
    }

    static int asks(FakePayoutActivities fake, String id) {
        return fake.asks.getOrDefault(id, new java.util.concurrent.atomic.AtomicInteger()).get();
    }
}
