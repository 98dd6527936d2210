package com.commdesk.workflows.refund;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Records RefundWorkflow histories for {@link RefundWorkflowReplayTest} (a tool, not a test). Run it when
 * a version is released and commit its output; never regenerate old files:
 * <pre>
 * ./mvnw -q -pl workflows test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.commdesk.workflows.refund.RecordRefundHistories -Dexec.args="v1"
 * </pre>
 */
public final class RecordRefundHistories {
    public static void main(String[] args) throws Exception {
        String release = args.length > 0 ? args[0] : "dev";
        Path dir = Path.of("src/test/resources/histories");
        Files.createDirectories(dir);
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            Worker worker = env.newWorker(RefundWorkflow.TASK_QUEUE);
            worker.registerWorkflowImplementationTypes(RefundWorkflowImpl.class);
            RefundWorkflowTest.Fake fake = new RefundWorkflowTest.Fake();
            worker.registerActivitiesImplementations(fake);
            env.start();
            WorkflowClient client = env.getWorkflowClient();
            record(env, client, fake, dir, release, "paid-after-polling", RefundRequest.Kind.REFUND, () -> fake.pendingPolls = 2, null);
            record(env, client, fake, dir, release, "chargeback", RefundRequest.Kind.CHARGEBACK, () -> { }, null);
            record(env, client, fake, dir, release, "refused-by-cashfree", RefundRequest.Kind.REFUND, () -> fake.cashfreeRefuses = true, null);
            record(env, client, fake, dir, release, "cancelled-by-webhook", RefundRequest.Kind.REFUND, () -> { },
                    wf -> wf.cashfreeStatus(new RefundStatusEvent("evt-recording", "cf-refund-1", "CANCELLED")));
            record(env, client, fake, dir, release, "unreachable-then-compensated", RefundRequest.Kind.REFUND, () -> {
                fake.cashfreeUnreachable = true;
                fake.cashfreeHasNone = true;
            }, wf -> wf.decide(new RefundDecision(RefundDecision.Action.COMPENSATE, "ops", "recording")));

            // Since refund-outcome-confirmed: a webhook's SUCCESS is booked once Cashfree's record confirms it.
            record(env, client, fake, dir, release, "paid-by-confirmed-webhook", RefundRequest.Kind.REFUND, () -> { },
                    wf -> wf.cashfreeStatus(new RefundStatusEvent("evt-recording", "cf-refund-1", "SUCCESS")));
            // ... and one whose record has another amount is not: the refund waits for an operator (recorded while it waits).
            recordMismatchHeld(env, client, fake, dir, release);
            // Since refund-mismatch-resolved (issue 10): finance's two-person resolution of a held mismatch, PAID and RELEASED;
            // since refund-mismatch-round (v5) voted for the hold's round (the first), and PAID names both approvers.
            record(env, client, fake, dir, release, "mismatch-resolved-paid", RefundRequest.Kind.REFUND, () -> fake.anotherAmount = true,
                    wf -> wf.decide(new RefundDecision(RefundDecision.Action.RESOLVE_PAID, "fin-a+fin-b", "recording", 1)));
            record(env, client, fake, dir, release, "mismatch-resolved-released", RefundRequest.Kind.REFUND, () -> fake.anotherAmount = true,
                    wf -> wf.decide(new RefundDecision(RefundDecision.Action.RESOLVE_RELEASED, "fin-a+fin-b", "recording", 1)));
            // Since refund-mismatch-round: held, RETRY, held again (round 2); round 1's resolution is ignored, round 2's taken.
            recordMismatchRound(env, client, fake, dir, release);
            // Since refund-acknowledged-not-found-held, refund-hold-kept-by-decision and refund-hold-finding-changed (v6):
            // held on Cashfree's "not found", a refused COMPENSATE keeps round 1, the finding changes (round 2), round 2's
            // RELEASED is taken.
            recordHoldFindingChanged(env, client, fake, dir, release);
            fake.anotherAmount = false; // the scenarios after these ask a Cashfree that holds our amount

            // Since refund-wait-continues-as-new: Cashfree keeps the refund PENDING past 200 rounds (~8 days), the wait
            // continues as new, and the continued run finds it paid. Both runs are kept.
            fake.cashfreeUnreachable = false;
            fake.cashfreeHasNone = false;
            fake.pendingPolls = 210;
            fake.polls.set(0);
            String id = "rec-pending-continued-as-new-" + release;
            RefundWorkflow wf = client.newWorkflowStub(RefundWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(RefundWorkflow.TASK_QUEUE).setWorkflowId(RefundWorkflow.workflowId(id)).build());
            wf.process(new RefundRequest(id, "pay-1", RefundRequest.Kind.REFUND, 250_000L, "customer cancelled", "support-1"));
            var last = client.fetchHistory(RefundWorkflow.workflowId(id));
            String firstRunId = last.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
            Path first = dir.resolve("refund-pending-continued-as-new-" + release + ".json");
            Files.writeString(first, client.fetchHistory(RefundWorkflow.workflowId(id), firstRunId).toJson(true));
            Path resumed = dir.resolve("refund-pending-resumed-then-paid-" + release + ".json");
            Files.writeString(resumed, last.toJson(true));
            System.out.println("wrote " + first + " and " + resumed);
        }
        System.exit(0);
    }

    private static void record(TestWorkflowEnvironment env, WorkflowClient client, RefundWorkflowTest.Fake fake, Path dir, String release,
                               String scenario, RefundRequest.Kind kind, Runnable arrange, Consumer<RefundWorkflow> operator)
            throws Exception {
        fake.reset();
        arrange.run();
        String id = "rec-" + scenario + "-" + release;
        RefundWorkflow wf = client.newWorkflowStub(RefundWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(RefundWorkflow.TASK_QUEUE).setWorkflowId(RefundWorkflow.workflowId(id)).build());
        RefundRequest request = new RefundRequest(id, "pay-1", kind, 250_000L, "customer cancelled", "support-1");
        WorkflowClient.start(wf::process, request);
        RefundWorkflow running = client.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(id));
        if (operator != null) {
            for (int i = 0; i < 200; i++) {
                RefundStatus.Stage s = running.status().stage();
                if (s == RefundStatus.Stage.NEEDS_ATTENTION || s == RefundStatus.Stage.AWAITING_CASHFREE) break;
                env.sleep(Duration.ofMinutes(1));
            }
            operator.accept(running);
        }
        try {
            WorkflowStub.fromTyped(running).getResult(RefundStatus.class);
        } catch (RuntimeException expected) {
            // a refused refund ends in a failed workflow; its history is what we keep
        }
        Path file = dir.resolve("refund-" + scenario + "-" + release + ".json");
        Files.writeString(file, client.fetchHistory(RefundWorkflow.workflowId(id)).toJson(true));
        System.out.println("wrote " + file);
    }

    /** A refund started and waiting for Cashfree's outcome: where both mismatch recordings begin. */
    private static RefundWorkflow startedAndAwaitingCashfree(TestWorkflowEnvironment env, WorkflowClient client, String id) {
        RefundWorkflow wf = client.newWorkflowStub(RefundWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(RefundWorkflow.TASK_QUEUE).setWorkflowId(RefundWorkflow.workflowId(id)).build());
        WorkflowClient.start(wf::process, new RefundRequest(id, "pay-1", RefundRequest.Kind.REFUND, 250_000L, "customer cancelled", "support-1"));
        RefundWorkflow running = client.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(id));
        for (int i = 0; i < 200 && running.status().stage() != RefundStatus.Stage.AWAITING_CASHFREE; i++) env.sleep(Duration.ofSeconds(10));
        return running;
    }

    /**
     * Review s7 round 2 M2: a refund held for a mismatch, an operator's RETRY, held again (round 2); a resolution voted for
     * round 1 (its signal re-sent) is ignored, round 2's RELEASED is taken.
     */
    private static void recordMismatchRound(TestWorkflowEnvironment env, WorkflowClient client, RefundWorkflowTest.Fake fake, Path dir,
                                            String release) throws Exception {
        fake.reset();
        String id = "rec-mismatch-round-ignored-" + release;
        RefundWorkflow running = startedAndAwaitingCashfree(env, client, id);
        fake.anotherAmount = true;
        env.sleep(Duration.ofMinutes(5));
        running.decide(new RefundDecision(RefundDecision.Action.RETRY, "ops", "recording"));
        env.sleep(Duration.ofMinutes(10));
        if (!running.mismatchHold().equals(new RefundMismatchHold(true, 2))) throw new IllegalStateException("not held again: " + running.mismatchHold());
        running.decide(new RefundDecision(RefundDecision.Action.RESOLVE_PAID, "fin-a+fin-b", "recording: round 1", 1));
        env.sleep(Duration.ofMinutes(10));
        running.decide(new RefundDecision(RefundDecision.Action.RESOLVE_RELEASED, "fin-a+fin-b", "recording: round 2", 2));
        RefundStatus end = WorkflowStub.fromTyped(running).getResult(RefundStatus.class);
        if (end.stage() != RefundStatus.Stage.CANCELLED) throw new IllegalStateException("round 2 not taken: " + end);
        Path file = dir.resolve("refund-mismatch-round-ignored-" + release + ".json");
        Files.writeString(file, client.fetchHistory(RefundWorkflow.workflowId(id)).toJson(true));
        System.out.println("wrote " + file);
        fake.anotherAmount = false;
    }

    /**
     * Review of s13: a refund Cashfree acknowledged and then answers "not found" for is held for finance (round 1; an
     * operator's COMPENSATE is refused and keeps it); a later look finds a record of another amount: round 2; a resolution
     * voted for round 1 is ignored, round 2's RELEASED is taken.
     */
    private static void recordHoldFindingChanged(TestWorkflowEnvironment env, WorkflowClient client, RefundWorkflowTest.Fake fake,
                                                 Path dir, String release) throws Exception {
        fake.reset();
        String id = "rec-hold-finding-changed-" + release;
        RefundWorkflow running = startedAndAwaitingCashfree(env, client, id);
        for (int i = 0; i < 400 && running.status().stage() != RefundStatus.Stage.NEEDS_ATTENTION; i++) env.sleep(Duration.ofHours(2));
        fake.cashfreeHasNone = true;
        running.decide(new RefundDecision(RefundDecision.Action.COMPENSATE, "ops", "recording"));
        env.sleep(Duration.ofMinutes(5));
        if (!running.mismatchHold().equals(new RefundMismatchHold(true, 1))) throw new IllegalStateException("not held: " + running.mismatchHold());
        fake.cashfreeHasNone = false;
        fake.anotherAmount = true;
        env.sleep(Duration.ofHours(2));
        if (!running.mismatchHold().equals(new RefundMismatchHold(true, 2))) throw new IllegalStateException("no round 2: " + running.mismatchHold());
        running.decide(new RefundDecision(RefundDecision.Action.RESOLVE_RELEASED, "fin-a+fin-b", "recording: round 1", 1));
        env.sleep(Duration.ofMinutes(10));
        running.decide(new RefundDecision(RefundDecision.Action.RESOLVE_RELEASED, "fin-a+fin-b", "recording: round 2", 2));
        RefundStatus end = WorkflowStub.fromTyped(running).getResult(RefundStatus.class);
        if (end.stage() != RefundStatus.Stage.CANCELLED) throw new IllegalStateException("round 2 not taken: " + end);
        Path file = dir.resolve("refund-hold-finding-changed-" + release + ".json");
        Files.writeString(file, client.fetchHistory(RefundWorkflow.workflowId(id)).toJson(true));
        System.out.println("wrote " + file);
        fake.anotherAmount = false;
    }

    /**
     * Cashfree's record of the refund has another amount (R2-M2): its SUCCESS webhook is not booked, nor does a
     * COMPENSATE give the money back; the workflow waits for an operator, and its history is written while it waits.
     */
    private static void recordMismatchHeld(TestWorkflowEnvironment env, WorkflowClient client, RefundWorkflowTest.Fake fake, Path dir,
                                           String release) throws Exception {
        fake.reset();
        String id = "rec-mismatch-held-" + release;
        RefundWorkflow running = startedAndAwaitingCashfree(env, client, id);
        fake.anotherAmount = true;
        running.cashfreeStatus(new RefundStatusEvent("evt-recording", "cf-refund-1", "SUCCESS"));
        env.sleep(Duration.ofMinutes(10));
        running.decide(new RefundDecision(RefundDecision.Action.COMPENSATE, "ops", "recording"));
        env.sleep(Duration.ofMinutes(10));
        if (running.status().stage() != RefundStatus.Stage.NEEDS_ATTENTION) throw new IllegalStateException("not held: " + running.status());
        Path file = dir.resolve("refund-mismatch-held-" + release + ".json");
        Files.writeString(file, client.fetchHistory(RefundWorkflow.workflowId(id)).toJson(true));
        System.out.println("wrote " + file);
        fake.anotherAmount = false; // the scenarios after this one ask a Cashfree that holds our amount
    }
}
