package com.commdesk.workflows.payment;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;

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
            com.commdesk.workflows.client.SearchAttributeRegistration.ensure(env.getOperatorServiceStubs(), env.getNamespace());
            Worker worker = env.newWorker(PaymentWorkflow.TASK_QUEUE);
            worker.registerWorkflowImplementationTypes(PaymentWorkflowImpl.class);
            FakePaymentActivities activities = new FakePaymentActivities();
            worker.registerActivitiesImplementations(activities);
            env.start();
            WorkflowClient client = env.getWorkflowClient();
            record(client, dir, release, "completed", activities, () -> {}, null);
            record(client, dir, release, "cashfree-down-then-completed", activities,
                    () -> activities.cashfreeDownFor = java.time.Duration.ofMinutes(3), null);
            record(client, dir, release, "verification-failed", activities,
                    () -> activities.failVerificationWith = "order amount differs", null);
            record(client, dir, release, "parked-then-auto-retried", activities, () -> activities.failSettlementTimes = 1, null);
            record(client, dir, release, "parked-then-compensated", activities,
                    () -> activities.failSettlementWith = "settlement refused",
                    wf -> wf.decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops", "recording")));
            record(client, dir, release, "flagged-then-approved", activities,
                    () -> activities.verdict = new FraudVerdict(true, java.util.List.of("recording")),
                    wf -> wf.review(new ReviewDecision(ReviewDecision.Outcome.APPROVE, "risk", "recording")));
            // Since LATE_PAYMENT: the verify step and one later look find the order ACTIVE; its PAYMENT_SUCCESS arrives.
            record(client, dir, release, "awaited-then-paid", activities, () -> activities.unpaidLooks = 2,
                    wf -> wf.cashfreeEvent(new CashfreeEvent("evt-recording", CashfreeEvent.PAYMENT_SUCCESS, "cf-1", "SUCCESS")));
            // Since UNPAID_ORDER_TERMINATED: an operator cancels a payment awaiting its order; the order's termination is
            // pending once (asked again), then Cashfree has terminated it and the payment FAILS.
            record(client, dir, release, "awaited-then-cancelled", activities, () -> {
                activities.unpaidLooks = Integer.MAX_VALUE;
                activities.terminationPendingAnswers = 1;
            }, wf -> wf.cancel(new Cancellation("ops", "recording")));
            // Since UNPAID_ORDER_TERMINATED: never paid; at the wait's end Cashfree terminates the order and the payment FAILS.
            record(client, dir, release, "awaited-then-ended", activities, () -> activities.unpaidLooks = Integer.MAX_VALUE, null);
            // Since DECISION_DURING_RETRY: parked verifying, run again on a RETRY, and compensated while that attempt runs:
            // "compensated-while-retried" fails again (the decision is taken), "decided-while-retried-moot" succeeds (moot;
            // an older worker dropped the decision, and both end COMPLETED, so a recording by one replays on the other).
            record(client, dir, release, "compensated-while-retried", activities, () -> activities.sourceNotOffered = true,
                    wf -> decideWhileRetried(activities, wf, false));
            record(client, dir, release, "decided-while-retried-moot", activities, () -> activities.sourceNotOffered = true,
                    wf -> decideWhileRetried(activities, wf, true));
            // Cashfree unanswered past the verify step's six hours: parked VERIFYING, then compensated (since
            // VERIFY_COMPENSATION_TERMINATES the order is terminated first; before it, FAILED at once).
            record(client, dir, release, "parked-verifying-then-compensated", activities,
                    () -> activities.cashfreeDownFor = java.time.Duration.ofHours(8), wf -> {
                        for (int hour = 0; hour < 24 && wf.status().stage() != PaymentStage.NEEDS_ATTENTION; hour++) {
                            env.sleep(java.time.Duration.ofHours(1));
                        }
                        wf.decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops", "recording"));
                    });
            recordDecisionWhileParkRecorded(env, client, dir, release, activities);
        }
        System.exit(0);
    }

    /**
     * Since CLEAR_BEFORE_PARK_RECORDED (PaymentWorkflowTest.aDecisionHandledWhileTheParkIsRecordedIsTaken): parked verifying,
     * and compensated while the park's status record runs (the workflow task times out after 2 s, so the SDK heartbeats it
     * and the signal is handled meanwhile). The decision is taken and the payment FAILS; an older worker dropped it and
     * retried the step an hour later, so a second COMPENSATE, sent once that retry has parked again, ends its run.
     */
    private static void recordDecisionWhileParkRecorded(TestWorkflowEnvironment env, WorkflowClient client, Path dir, String release,
                                                        FakePaymentActivities activities) throws Exception {
        String id = "decided-while-park-recorded-" + release;
        String workflowId = PaymentWorkflow.workflowId("order-" + id);
        activities.failSettlementWith = null;
        activities.failSettlementTimes = 0;
        activities.cashfreeDownFor = java.time.Duration.ZERO;
        activities.verifyGate = null;
        activities.sourceNotOffered = true;
        activities.statusHoldFor = id + ":NEEDS_ATTENTION";
        activities.statusGate = new java.util.concurrent.CountDownLatch(1);
        PaymentWorkflow wf = client.newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PaymentWorkflow.TASK_QUEUE).setWorkflowId(workflowId)
                .setWorkflowTaskTimeout(java.time.Duration.ofSeconds(2)).build());
        WorkflowClient.start(wf::process, new PaymentRequest(id, "demo-community", "EVENT", "evt-1", "order-" + id, 1_000_000L,
                java.util.Map.of()));
        if (!activities.statusHeld.await(20, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("not parked");
        PaymentWorkflow running = client.newWorkflowStub(PaymentWorkflow.class, workflowId);
        running.decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops", "recording"));
        Thread.sleep(4_000); // two heartbeats of the workflow task: the signal is handled while the record runs
        activities.statusGate.countDown();
        Thread.sleep(1_000);
        if (!client.fetchHistory(workflowId).getLastEvent().hasWorkflowExecutionFailedEventAttributes()) {
            long looks = activities.calls.stream().filter(c -> c.startsWith("verify#")).count();
            env.sleep(java.time.Duration.ofMinutes(61)); // the automatic retry
            for (int i = 0; i < 400 && activities.calls.stream().filter(c -> c.startsWith("verify#")).count() == looks; i++) Thread.sleep(25);
            Thread.sleep(1_000); // parked again
            running.decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops", "recording, again"));
        }
        try {
            io.temporal.client.WorkflowStub.fromTyped(running).getResult(PaymentStatus.class);
        } catch (RuntimeException expected) {
            // a compensated payment ends in a failed workflow
        }
        Path file = dir.resolve("payment-decided-while-park-recorded-" + release + ".json");
        Files.writeString(file, client.fetchHistory(workflowId).toJson(true));
        System.out.println("wrote " + file);
    }

    private static void decideWhileRetried(FakePaymentActivities activities, PaymentWorkflow wf, boolean succeeds) {
        activities.verifyGate = new java.util.concurrent.CountDownLatch(1);
        wf.decide(new OperatorDecision(OperatorDecision.Action.RETRY, "ops", "recording"));
        try {
            for (int i = 0; i < 400 && activities.calls.stream().filter(c -> c.startsWith("verify#")).count() < 2; i++) Thread.sleep(25);
            wf.decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, "ops", "recording"));
            Thread.sleep(1_000); // handled before the step's answer (PaymentWorkflowTest waits on the history instead)
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (succeeds) activities.sourceNotOffered = false;
        activities.verifyGate.countDown();
    }

    private static void record(WorkflowClient client, Path dir, String release, String scenario,
                               FakePaymentActivities activities, Runnable arrange,
                               java.util.function.Consumer<PaymentWorkflow> operator) throws Exception {
        activities.cashfreeDownFor = java.time.Duration.ZERO;
        activities.failVerificationWith = null;
        activities.failSettlementWith = null;
        activities.failSettlementTimes = 0;
        activities.verdict = new FraudVerdict(false, java.util.List.of());
        activities.unpaidLooks = 0;
        activities.lateLookFailsWith = null;
        activities.terminationPendingAnswers = 0;
        activities.paidBeforeTerminated = false;
        activities.sourceNotOffered = false;
        activities.sourceNotOfferedLate = false;
        activities.verifyGate = null;
        activities.calls.clear();
        arrange.run();
        String id = scenario + "-" + release;
        String workflowId = PaymentWorkflow.workflowId("order-" + id);
        PaymentWorkflow wf = client.newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PaymentWorkflow.TASK_QUEUE).setWorkflowId(workflowId).build());
        PaymentRequest request = new PaymentRequest(id, "demo-community", "EVENT", "evt-1", "order-" + id, 1_000_000L, java.util.Map.of());
        if (operator == null) {
            try {
                wf.process(request);
            } catch (RuntimeException expected) {
                // failing scenarios end in a failed workflow; their history is what we keep
            }
        } else {
            WorkflowClient.start(wf::process, request);
            PaymentWorkflow running = client.newWorkflowStub(PaymentWorkflow.class, workflowId);
            for (int i = 0; i < 400; i++) {
                PaymentStage s = running.status().stage();
                if (s == PaymentStage.NEEDS_ATTENTION || s == PaymentStage.UNDER_REVIEW || s == PaymentStage.AWAITING_PAYMENT) break;
                Thread.sleep(25);
            }
            operator.accept(running);
            try {
                io.temporal.client.WorkflowStub.fromTyped(running).getResult(PaymentStatus.class);
            } catch (RuntimeException expected) {
                // a compensated payment ends in a failed workflow
            }
        }
        Path file = dir.resolve("payment-" + scenario + "-" + release + ".json");
        Files.writeString(file, client.fetchHistory(workflowId).toJson(true));
        System.out.println("wrote " + file);
    }
}
