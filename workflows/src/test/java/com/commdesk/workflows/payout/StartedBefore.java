package com.commdesk.workflows.payout;

import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import java.util.Set;

/**
 * Makes a new execution take the path of one started before the named {@code getVersion} changes: those calls
 * answer DEFAULT_VERSION and record no marker, so its history is what such an execution's history is, and
 * today's code, replaying it, takes the same path. Every other change id is decided as usual. Tests only.
 */
final class StartedBefore extends WorkerInterceptorBase {
    private final Set<String> changeIds;

    private StartedBefore(Set<String> changeIds) {
        this.changeIds = changeIds;
    }

    /**
     * An environment whose workflow cache holds one execution (another one's task evicts it: its next task replays the
     * whole history, as after a deploy) and whose
     * worker takes the paths of executions started before the change ids in {@code releasedSince}, a set the test may
     * change: removing one is deploying it, for executions that were already running.
     */
    static TestEnvironmentOptions deployable(Set<String> releasedSince) {
        return TestEnvironmentOptions.newBuilder().setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(1)
                .setWorkerInterceptors(new StartedBefore(releasedSince)).build()).build();
    }

    static TestEnvironmentOptions environment(String... changeIds) {
        return TestEnvironmentOptions.newBuilder().setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(new StartedBefore(Set.of(changeIds))).build()).build();
    }

    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
        return new WorkflowInboundCallsInterceptorBase(next) {
            @Override
            public void init(WorkflowOutboundCallsInterceptor outbound) {
                super.init(new WorkflowOutboundCallsInterceptorBase(outbound) {
                    @Override
                    public int getVersion(String changeId, int minSupported, int maxSupported) {
                        return changeIds.contains(changeId) ? Workflow.DEFAULT_VERSION : super.getVersion(changeId, minSupported, maxSupported);
                    }
                });
            }
        };
    }
}
