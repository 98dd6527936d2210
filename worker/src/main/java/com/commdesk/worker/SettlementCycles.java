package com.commdesk.worker;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.workflows.payout.PayoutWorkflow;
import com.commdesk.workflows.payout.SettlementCycleWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps one {@link SettlementCycleWorkflow} running per community (workflow id per community, so
 * every replica may do this at once: all but one start are refused). New communities are picked up
 * at the next scan. Disable with {@code commdesk.settlement.cycles=false}.
 */
@Component
public class SettlementCycles {
    private static final Logger log = LoggerFactory.getLogger(SettlementCycles.class);

    private final LedgerDatabase db;
    private final WorkflowClient client;
    private final boolean enabled;

    public SettlementCycles(LedgerDatabase db, WorkflowClient client, @Value("${commdesk.settlement.cycles:true}") boolean enabled) {
        this.db = db;
        this.client = client;
        this.enabled = enabled;
    }

    @Scheduled(fixedDelayString = "${commdesk.settlement.cycle-scan-interval:PT1H}", initialDelayString = "PT5S")
    public void ensureRunning() {
        if (!enabled) return;
        List<String> communities = db.dsl().fetch("select community_id from community order by community_id").getValues(0, String.class);
        int started = 0;
        for (String id : communities) {
            SettlementCycleWorkflow wf = client.newWorkflowStub(SettlementCycleWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE)
                    .setWorkflowId(SettlementCycleWorkflow.workflowId(id))
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                    .build());
            try {
                WorkflowClient.start(wf::run, id, 0); // 0: unbounded
                started++;
            } catch (WorkflowExecutionAlreadyStarted running) {
                // the usual case
            } catch (RuntimeException e) {
                log.warn("could not start the settlement cycle of {}: {}", id, e.getMessage());
            }
        }
        if (started > 0) log.info("started {} settlement cycle workflow(s)", started);
    }
}
