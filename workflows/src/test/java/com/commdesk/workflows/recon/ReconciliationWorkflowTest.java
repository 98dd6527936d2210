package com.commdesk.workflows.recon;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Time-skipped: a daily reconciliation waits for each period plus its lag, then reconciles it, for ever. */
public class ReconciliationWorkflowTest {
    static final long DAY = Duration.ofDays(1).toMillis();
    static final long HOUR = Duration.ofHours(1).toMillis();

    TestWorkflowEnvironment env;
    WorkflowClient client;
    FakeActivities activities;

    static final class FakeActivities implements ReconciliationActivities {
        final List<ReconPeriod> periods = new CopyOnWriteArrayList<>();
        final List<Long> calledAt = new CopyOnWriteArrayList<>();
        TestWorkflowEnvironment env;

        @Override
        public ReconRunSummary reconcilePeriod(ReconPeriod period) {
            periods.add(period);
            calledAt.add(env.currentTimeMillis());
            return new ReconRunSummary(periods.size(), "api:" + period.fromEpochMillis(), 3, 3, 2, 1, 1, 6_666,
                    List.of("FEE_MISMATCH:order-" + periods.size()));
        }
    }

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(ReconciliationWorkflow.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(ReconciliationWorkflowImpl.class);
        activities = new FakeActivities();
        activities.env = env;
        worker.registerActivitiesImplementations(activities);
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    ReconciliationWorkflow stub(String id) {
        return client.newWorkflowStub(ReconciliationWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(ReconciliationWorkflow.TASK_QUEUE).setWorkflowId(id).build());
    }

    @Test
    void reconcilesEachPeriodAfterItsLagAndContinuesAsNew() {
        long start = env.currentTimeMillis() / DAY * DAY; // today 00:00 UTC
        ReconRunSummary last = stub("recon-daily").run(new ReconSchedule(start, DAY, 6 * HOUR, 3 * HOUR, 5, 2));

        assertThat(activities.periods).extracting(ReconPeriod::fromEpochMillis)
                .containsExactly(start, start + DAY, start + 2 * DAY, start + 3 * DAY, start + 4 * DAY);
        assertThat(activities.periods).allSatisfy(p -> {
            assertThat(p.toEpochMillis() - p.fromEpochMillis()).isEqualTo(DAY);
            assertThat(p.graceMillis()).isEqualTo(3 * HOUR);
        });
        for (int i = 0; i < 5; i++) {
            assertThat(activities.calledAt.get(i)).as("period %d runs after its end plus the lag", i)
                    .isGreaterThanOrEqualTo(start + (i + 1) * DAY + 6 * HOUR);
        }
        assertThat(last.subjects()).containsExactly("FEE_MISMATCH:order-5");
        // 5 periods at 2 per run: two continue-as-new hand-overs, so no history grows without bound
        long continued = client.fetchHistory("recon-daily").getHistory().getEventsList().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED).count();
        assertThat(continued).isEqualTo(1); // the last run's history starts once; earlier runs were continued as new
    }

    @Test
    void aPastPeriodRunsAtOnce() {
        long start = env.currentTimeMillis() / DAY * DAY - 10 * DAY;
        long before = env.currentTimeMillis();
        ReconRunSummary last = stub("recon-rerun").run(new ReconSchedule(start, DAY, 0, 0, 1, 1));
        assertThat(activities.periods).singleElement().satisfies(p -> assertThat(p.fromEpochMillis()).isEqualTo(start));
        assertThat(activities.calledAt.get(0) - before).isLessThan(Duration.ofMinutes(1).toMillis());
        assertThat(last.runId()).isEqualTo(1);
    }

    @Test
    void theLastRunCanBeQueriedWhileItWaits() {
        // The first period ended two hours ago (reconcilable now); the next ends in 22 hours, so two hours of
        // waiting see exactly one run at any time of day. (Midnight-aligned periods made this fail after 22:00 UTC.)
        long start = env.currentTimeMillis() - DAY - 2 * HOUR;
        ReconciliationWorkflow wf = stub("recon-query");
        WorkflowClient.start(wf::run, new ReconSchedule(start, DAY, HOUR, HOUR, 0, 100));
        env.sleep(Duration.ofHours(2));
        ReconRunSummary last = client.newWorkflowStub(ReconciliationWorkflow.class, "recon-query").lastRun();
        assertThat(last).isNotNull();
        assertThat(activities.periods).hasSize(1);
        WorkflowStub.fromTyped(wf).terminate("test over");
    }

    @Test
    void committedHistoriesReplay() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/histories"))) {
            files = s.filter(p -> p.getFileName().toString().startsWith("reconciliation-")).sorted().toList();
        }
        assertThat(files).as("committed reconciliation histories").isNotEmpty();
        for (Path f : files) WorkflowReplayer.replayWorkflowExecution(f.toFile(), ReconciliationWorkflowImpl.class);
    }

    /** Records the histories {@link #committedHistoriesReplay} replays (run by hand at a release; see docs/reconciliation.md). */
    public static void main(String[] args) throws IOException {
        ReconciliationWorkflowTest t = new ReconciliationWorkflowTest();
        t.setUp();
        try {
            long start = t.env.currentTimeMillis() / DAY * DAY;
            t.stub("reconciliation-v1").run(new ReconSchedule(start, DAY, 6 * HOUR, 3 * HOUR, 3, 10));
            String json = t.client.fetchHistory("reconciliation-v1").toJson(true);
            Files.writeString(Path.of("src/test/resources/histories/reconciliation-three-periods-v1.json"), json);
        } finally {
            t.tearDown();
        }
        System.exit(0);
    }
}
