package com.commdesk.dev.bench;

import com.commdesk.workflows.SearchKeys;
import com.commdesk.workflows.StepOptions;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * A workflow of PaymentWorkflow v2's shape with no-op bodies, for {@link WorkflowShapeBenchmark}: one
 * server activity (Cashfree's verify), then seven local activities (screen, fees, shares, post, settle,
 * hand-over, status) in the next workflow task, one PaymentStage upsert, done. Same options as the real one.
 */
@WorkflowInterface
public interface BareWorkflow {
    String TASK_QUEUE = "commdesk-bench-bare";

    @WorkflowMethod
    String run(String id);

    @ActivityInterface
    interface Steps {
        @ActivityMethod
        String step(String id);
    }

    final class Impl implements BareWorkflow {
        private final Steps remote = Workflow.newActivityStub(Steps.class,
                StepOptions.activity(Duration.ofSeconds(30), Duration.ofHours(6), StepOptions.retry()));
        private final Steps local = Workflow.newLocalActivityStub(Steps.class,
                StepOptions.local(Duration.ofSeconds(30), Duration.ofHours(1), StepOptions.retry()));

        @Override
        public String run(String id) {
            remote.step(id);
            for (int i = 0; i < 7; i++) local.step(id);
            Workflow.upsertTypedSearchAttributes(SearchKeys.PAYMENT_STAGE.valueSet("COMPLETED"));
            return id;
        }
    }

    final class NoOp implements Steps {
        @Override
        public String step(String id) {
            return id;
        }
    }
}
