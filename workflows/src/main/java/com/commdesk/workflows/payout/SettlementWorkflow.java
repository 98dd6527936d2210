package com.commdesk.workflows.payout;

import com.commdesk.workflows.payout.PayoutTypes.SettlementRequest;
import com.commdesk.workflows.payout.PayoutTypes.SettlementResult;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One settlement cycle of one community; workflow id = settlement id. */
@WorkflowInterface
public interface SettlementWorkflow {
    @WorkflowMethod
    SettlementResult settle(SettlementRequest request);

    @QueryMethod
    String settlementStatus();
}
