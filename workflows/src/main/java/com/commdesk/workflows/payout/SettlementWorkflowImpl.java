package com.commdesk.workflows.payout;

import com.commdesk.workflows.payout.PayoutTypes.PayoutPage;
import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
import com.commdesk.workflows.payout.PayoutTypes.SettlementFollow;
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
 *
 * <p>Version {@value #FOLLOW_RUNS}: the follow-up (a check every {@link #FOLLOW_EVERY} for up to
 * {@link #FOLLOW_AT_MOST}, about 4,000 checks) continues as new every {@value #CHECKS_PER_RUN} checks, or
 * sooner when the server suggests it, carrying exactly what the result and the rest of the follow-up need
 * ({@link SettlementFollow}); a continued run starts by sleeping, as the loop it continues would have. The
 * workflow has no signals (only the {@link #settlementStatus} query, which a continued run answers with
 * the carried status from its first task); should one be added, the wait for every handler to finish
 * before continuing is already in place.
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
    /** getVersion change id: the follow-up continues as new (issue 10, bounded histories). */
    static final String FOLLOW_RUNS = "settlement-follow-continues-as-new";
    /** Checks of one run (a day of 5-minute checks, about 11 history events each) before the follow-up continues as new. */
    static final int CHECKS_PER_RUN = 288;
    /** Payouts started per activity (issue 10 item 10: no single activity result carries every payout). */
    static final int PAGE = 500;

    @Override
    public SettlementResult settle(SettlementRequest r) {
        SettlementFollow carried = r.follow();
        if (carried != null) { // a run continued by follow() (only code since FOLLOW_RUNS makes one): follow on
            status = carried.status();
            return follow(r, carried);
        }
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
        status = activities.refreshSettlement(r.settlementId());
        return follow(r, new SettlementFollow(started, ids, status, 0, 0));
    }

    /**
     * Until no payout is open (or for at most FOLLOW_AT_MOST in all runs): the settlement's status from its
     * payouts, checked every FOLLOW_EVERY. Since {@value #FOLLOW_RUNS} a run continues as new after
     * {@value #CHECKS_PER_RUN} checks or when the server suggests it; runs from before take no new command.
     */
    private SettlementResult follow(SettlementRequest r, SettlementFollow from) {
        long followed = from.followedMillis();
        int checks = 0;
        while (("PENDING".equals(status) || "APPROVED".equals(status)) && followed < FOLLOW_AT_MOST.toMillis()) {
            if ((checks >= CHECKS_PER_RUN || Workflow.getInfo().isContinueAsNewSuggested())
                    && Workflow.getVersion(FOLLOW_RUNS, Workflow.DEFAULT_VERSION, 1) >= 1) {
                // Temporal's pattern: let every handler finish before continuing (none today; see the class comment).
                Workflow.await(Workflow::isEveryHandlerFinished);
                Workflow.continueAsNew(r.following(new SettlementFollow(from.payouts(), from.payoutIds(), status, followed,
                        from.runs() + 1)));
            }
            Workflow.sleep(FOLLOW_EVERY);
            followed += FOLLOW_EVERY.toMillis();
            status = activities.refreshSettlement(r.settlementId());
            checks++;
        }
        return new SettlementResult(r.settlementId(), status, from.payouts(), from.payoutIds());
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
        status = activities.refreshSettlement(r.settlementId());
        return follow(r, new SettlementFollow(ids.size(), ids, status, 0, 0));
    }

    @Override
    public String settlementStatus() {
        return status;
    }
}
