package com.commdesk.workflows.payout;

import com.commdesk.workflows.payout.PayoutTypes.PayoutPage;
import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
import com.commdesk.workflows.payout.PayoutTypes.SettlementRequest;
import com.commdesk.workflows.payout.PayoutTypes.SettlementResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the settlement (payouts for every member with enough available money), starts one
 * {@link PayoutWorkflow} per payout, page by page through an activity (a payout outlives its
 * settlement: it waits for approvals and watches for reversals), then follows the settlement's
 * status until no payout is open. Before version {@value #PAGES} the payouts came back from one
 * activity and were started as abandoned children; that path is kept for its histories.
 */
public class SettlementWorkflowImpl implements SettlementWorkflow {
    static final ActivityOptions STEP = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(60))
            .setScheduleToCloseTimeout(Duration.ofDays(1))
            .setRetryOptions(PayoutWorkflowImpl.RETRY)
            .build();
    /** How often the settlement looks at its payouts, and for how long at most. */
    static final Duration FOLLOW_EVERY = Duration.ofMinutes(5);
    static final Duration FOLLOW_AT_MOST = Duration.ofDays(14);

    private final SettlementActivities activities = Workflow.newActivityStub(SettlementActivities.class, STEP);
    private String status = "OPENING";

    static final String PAGES = "settlement-pages";
    /** Payouts started per activity (issue 10 item 10: no single activity result carries every payout). */
    static final int PAGE = 500;

    @Override
    public SettlementResult settle(SettlementRequest r) {
        if (Workflow.getVersion(PAGES, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) return settleV0(r);
        activities.openSettlementCount(r);
        List<String> ids = new ArrayList<>();
        int started = 0;
        String after = null;
        while (true) {
            PayoutPage page = activities.startPayouts(r.settlementId(), after, PAGE);
            started += page.payoutIds().size();
            for (String id : page.payoutIds()) if (ids.size() < SettlementResult.MAX_IDS) ids.add(id);
            if (page.payoutIds().size() < PAGE) break;
            after = page.lastPayoutId();
        }
        follow(r);
        return new SettlementResult(r.settlementId(), status, started, ids);
    }

    /** Until no payout is open (or for at most FOLLOW_AT_MOST): the settlement's status from its payouts. */
    private void follow(SettlementRequest r) {
        status = activities.refreshSettlement(r.settlementId());
        long followed = 0;
        while (("PENDING".equals(status) || "APPROVED".equals(status)) && followed < FOLLOW_AT_MOST.toMillis()) {
            Workflow.sleep(FOLLOW_EVERY);
            followed += FOLLOW_EVERY.toMillis();
            status = activities.refreshSettlement(r.settlementId());
        }
    }

    /** As released before paging (payouts started as children from one activity result): kept so its histories replay. */
    private SettlementResult settleV0(SettlementRequest r) {
        List<PayoutRequest> payouts = activities.openSettlement(r);
        List<String> ids = new ArrayList<>();
        for (PayoutRequest p : payouts) {
            PayoutWorkflow child = Workflow.newChildWorkflowStub(PayoutWorkflow.class, ChildWorkflowOptions.newBuilder()
                    .setWorkflowId(p.payoutId())
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE)
                    .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                    .build());
            Async.function(child::payout, p);
            Promise<?> started = Workflow.getWorkflowExecution(child);
            started.get();
            ids.add(p.payoutId());
        }
        follow(r);
        return new SettlementResult(r.settlementId(), status, ids.size(), ids);
    }

    @Override
    public String settlementStatus() {
        return status;
    }
}
