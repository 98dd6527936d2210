package com.commdesk.workflows.payout;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.workflows.RunChain;
import com.commdesk.workflows.payout.PayoutTypes.SettlementRequest;
import com.commdesk.workflows.payout.PayoutTypes.SettlementResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, bounded histories: a settlement follows its payouts every 5 minutes for up to 14 days (about 4,000
 * checks, ~44,000 history events in one run before the fix). Its follow-up now continues as new every day of checks;
 * each run's history stays under {@link #MAX_EVENTS_PER_RUN}, the outcome is what one long run gave, and the status
 * query answers across runs. Time-skipping test server: 14 days pass in seconds.
 */
class SettlementFollowRunsTest {
    /** The stated bound: 288 checks of about 11 events each, plus the start, the pages and the continue-as-new. */
    static final int MAX_EVENTS_PER_RUN = 3_300;
    static final long CHECKS_IN_14_DAYS = Duration.ofDays(14).dividedBy(Duration.ofMinutes(5));

    TestWorkflowEnvironment env;
    FakePayoutActivities fake;
    WorkflowClient client;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(PayoutWorkflow.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(SettlementWorkflowImpl.class);
        fake = new FakePayoutActivities();
        worker.registerActivitiesImplementations(fake);
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    /** Payouts of the settlement (ids only; no payout workflows), each in {@code status}. */
    List<String> payouts(String settlementId, int n, String status) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.format("po_%s_%03d", settlementId, i);
            ids.add(id);
            fake.settlementOf.put(id, settlementId);
            fake.statuses.put(id, status);
        }
        fake.pagedPayouts.put(settlementId, ids);
        return ids;
    }

    SettlementWorkflow stub(String settlementId) {
        return client.newWorkflowStub(SettlementWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(settlementId).build());
    }

    @Test
    void payoutsUnresolvedForFourteenDaysContinueAsNewWithBoundedRunsAndTheSameOutcome() {
        String settlementId = "stl_stuck";
        List<String> ids = payouts(settlementId, 3, "PENDING_APPROVAL");

        SettlementResult r = stub(settlementId).settle(new SettlementRequest(settlementId, "c1", "MANUAL", env.currentTimeMillis(), "alice"));

        // The outcome one 14-day run gave: still PENDING, every payout counted and listed, the same checks.
        assertThat(r.status()).isEqualTo("PENDING");
        assertThat(r.payouts()).isEqualTo(3);
        assertThat(r.payoutIds()).isEqualTo(ids);
        long checks = fake.calls.stream().filter("refresh"::equals).count();
        assertThat(checks).as("one check after the pages, then one every 5 minutes for 14 days").isEqualTo(1 + CHECKS_IN_14_DAYS);

        List<WorkflowExecutionHistory> runs = RunChain.runs(client, settlementId);
        int largest = runs.stream().mapToInt(h -> h.getEvents().size()).max().orElseThrow();
        System.out.printf("settlement followed for 14 days: %d runs, %d events in all, largest run %d events%n", runs.size(),
                runs.stream().mapToInt(h -> h.getEvents().size()).sum(), largest);
        assertThat(runs).as("a run per day of checks").hasSize(14);
        for (WorkflowExecutionHistory run : runs.subList(0, runs.size() - 1)) {
            assertThat(RunChain.last(run)).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
        }
        assertThat(RunChain.last(runs.get(runs.size() - 1))).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        assertThat(largest).as("every run's history is bounded").isLessThan(MAX_EVENTS_PER_RUN);
    }

    @Test
    void theStatusQueryAnswersAcrossRunsAndAContinuedRunFinishesWithTheCarriedTotals() throws Exception {
        String settlementId = "stl_slow";
        List<String> ids = payouts(settlementId, 2, "PENDING_APPROVAL");
        SettlementWorkflow wf = stub(settlementId);
        WorkflowClient.start(wf::settle, new SettlementRequest(settlementId, "c1", "MANUAL", env.currentTimeMillis(), "alice"));

        // Half a minute after the first run continued as new (a day of checks): the new run answers with the
        // carried status, not the "OPENING" of a run that has not checked yet.
        env.sleep(Duration.ofDays(1).plusSeconds(30));
        assertThat(RunChain.runs(client, settlementId)).hasSize(2);
        SettlementWorkflow running = client.newWorkflowStub(SettlementWorkflow.class, settlementId);
        assertThat(running.settlementStatus()).isEqualTo("PENDING");

        // Approved on day 2 (another run later): the query follows.
        env.sleep(Duration.ofDays(1));
        ids.forEach(id -> fake.statuses.put(id, "SENT"));
        env.sleep(Duration.ofMinutes(6));
        assertThat(running.settlementStatus()).isEqualTo("APPROVED");

        ids.forEach(id -> fake.statuses.put(id, "PAID"));
        SettlementResult r = io.temporal.client.WorkflowStub.fromTyped(running).getResult(SettlementResult.class);
        assertThat(r.status()).isEqualTo("PAID");
        assertThat(r.payouts()).isEqualTo(2);
        assertThat(r.payoutIds()).isEqualTo(ids);
        assertThat(running.settlementStatus()).isEqualTo("PAID");
        assertThat(RunChain.runs(client, settlementId)).hasSize(3);
    }
}
