package com.commdesk.workflows.payment;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Records workflow histories for {@link PaymentWorkflowReplayTest} (a tool, not a test). Run it when
 * a workflow version is released, and commit its output; never regenerate old files:
 * <pre>
 * ./mvnw -q -pl workflows test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.commdesk.workflows.payment.RecordHistories -Dexec.args="v1"
 * </pre>
 */
public final class RecordHistories {
    public static void main(String[] args) throws Exception {
        String release = args.length > 0 ? args[0] : "dev";
        Path dir = Path.of("src/test/resources/histories");
        Files.createDirectories(dir);
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            Worker worker = env.newWorker(PaymentWorkflow.TASK_QUEUE);
            worker.registerWorkflowImplementationTypes(PaymentWorkflowImpl.class);
            FakePaymentActivities activities = new FakePaymentActivities();
            worker.registerActivitiesImplementations(activities);
            env.start();
            WorkflowClient client = env.getWorkflowClient();
            record(client, dir, release, "completed", activities, () -> {});
            record(client, dir, release, "cashfree-down-then-completed", activities,
                    () -> activities.cashfreeDownFor = java.time.Duration.ofMinutes(3));
            record(client, dir, release, "verification-failed", activities,
                    () -> activities.failVerificationWith = "order amount differs");
            record(client, dir, release, "compensated", activities,
                    () -> activities.failSettlementWith = "settlement refused");
        }
        System.exit(0);
    }

    private static void record(WorkflowClient client, Path dir, String release, String scenario,
                               FakePaymentActivities activities, Runnable arrange) throws Exception {
        activities.cashfreeDownFor = java.time.Duration.ZERO;
        activities.failVerificationWith = null;
        activities.failSettlementWith = null;
        arrange.run();
        String id = scenario + "-" + release;
        PaymentWorkflow wf = client.newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PaymentWorkflow.TASK_QUEUE).setWorkflowId(PaymentWorkflow.workflowId(id)).build());
        try {
            wf.process(new PaymentRequest(id, "demo-community", "EVENT", "evt-1", "order-" + id, 1_000_000L, Map.of()));
        } catch (RuntimeException expected) {
            // failing scenarios end in a failed workflow; their history is what we keep
        }
        Path file = dir.resolve("payment-" + scenario + "-" + release + ".json");
        Files.writeString(file, client.fetchHistory(PaymentWorkflow.workflowId(id)).toJson(true));
        System.out.println("wrote " + file);
    }
}
