package com.commdesk.workflows.payout;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.workflows.payout.PayoutTypes.SettlementRequest;
import com.commdesk.workflows.payout.PayoutTypes.SettlementResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 10: a settlement of 10,000 payees. Its payouts are started page by page; no activity
 * result carries more than one page, and the settlement's history stays small.
 */
class SettlementPagingTest {
    @Test
    void tenThousandPayeesArePagedAndNoActivityResultCarriesThemAll() {
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            Worker worker = env.newWorker(PayoutWorkflow.TASK_QUEUE);
            worker.registerWorkflowImplementationTypes(SettlementWorkflowImpl.class);
            FakePayoutActivities fake = new FakePayoutActivities();
            worker.registerActivitiesImplementations(fake);
            env.start();
            String settlementId = "stl_big";
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                String id = String.format("po_%05d", i);
                ids.add(id);
                fake.settlementOf.put(id, settlementId);
                fake.statuses.put(id, "PAID");
            }
            fake.pagedPayouts.put(settlementId, ids);

            SettlementResult r = env.getWorkflowClient().newWorkflowStub(SettlementWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(settlementId).build())
                    .settle(new SettlementRequest(settlementId, "c1", "MANUAL", env.currentTimeMillis(), "alice"));

            assertThat(r.payouts()).isEqualTo(10_000);
            assertThat(r.status()).isEqualTo("PAID");
            assertThat(r.payoutIds()).hasSize(SettlementResult.MAX_IDS).isEqualTo(ids.subList(0, SettlementResult.MAX_IDS));
            long pages = fake.calls.stream().filter(c -> c.startsWith("page:")).count();
            assertThat(pages).isEqualTo(10_000 / SettlementWorkflowImpl.PAGE + 1);
            var history = env.getWorkflowClient().fetchHistory(settlementId);
            int largest = history.getEvents().stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
                    .mapToInt(e -> e.getActivityTaskCompletedEventAttributes().getResult().getSerializedSize()).max().orElse(0);
            System.out.printf("settlement of 10,000 payees: %d events, largest activity result %d bytes, %d pages%n",
                    history.getEvents().size(), largest, pages);
            assertThat(largest).as("one page of ids, not every payout").isLessThan(SettlementWorkflowImpl.PAGE * 20);
            assertThat(history.getEvents().size()).isLessThan(200);
        }
    }
}
