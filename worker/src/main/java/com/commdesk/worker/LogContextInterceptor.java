package com.commdesk.worker;

import com.commdesk.workflows.client.LogContext;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts the ids of the payment, community, payout or refund an activity works on (from its arguments,
 * see {@link LogContext#idsOf}) and its workflow id into the MDC, so every log line of the activity
 * carries them. Temporal's own keys (WorkflowId, ActivityType, ...) and the request id (propagated from
 * the API) are there too. After a success the ids are removed; after a failure they stay until the
 * thread's next activity replaces them, so the SDK's own "Activity failure" line carries them as well.
 */
public final class LogContextInterceptor extends WorkerInterceptorBase {
    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {
            private String workflowId;

            @Override
            public void init(ActivityExecutionContext context) {
                workflowId = LogContext.safe(context.getInfo().getWorkflowId());
                super.init(context);
            }

            @Override
            public ActivityOutput execute(ActivityInput input) {
                Map<String, String> ids = LogContext.idsOf(input.getArguments());
                LogContext.replaceIds(ids);
                if (workflowId == null) MDC.remove(LogContext.WORKFLOW_ID);
                else MDC.put(LogContext.WORKFLOW_ID, workflowId);
                ActivityOutput out = super.execute(input);
                LogContext.replaceIds(Map.of());
                MDC.remove(LogContext.WORKFLOW_ID);
                return out;
            }
        };
    }
}
