package com.commdesk.workflows.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueueStats;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The server's backlog figures become gauges; no answer is NaN, never a backlog of zero. */
class TaskQueueBacklogTest {
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final List<DescribeTaskQueueRequest> asked = new ArrayList<>();

    private double gauge(String name, String type) {
        return metrics.get(name).tags("task_queue", "commdesk-payments", "task_queue_type", type).gauge().value();
    }

    private TaskQueueBacklog backlog(Function<DescribeTaskQueueRequest, DescribeTaskQueueResponse> server) {
        return new TaskQueueBacklog(r -> {
            asked.add(r);
            return server.apply(r);
        }, "default", "commdesk-payments", metrics);
    }

    @Test
    void theOldestWaitingTaskAndTheBacklogPerTaskQueueType() {
        TaskQueueBacklog backlog = backlog(r -> DescribeTaskQueueResponse.newBuilder().setStats(TaskQueueStats.newBuilder()
                .setApproximateBacklogCount(r.getTaskQueueType() == TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW ? 13 : 2)
                .setApproximateBacklogAge(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(r.getTaskQueueType() == TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW ? 6 : 0).setNanos(500_000_000)))
                .build());
        assertThat(gauge("commdesk.temporal.task.queue.backlog.age", "workflow")).as("before the first answer").isNaN();

        backlog.refresh();

        assertThat(gauge("commdesk.temporal.task.queue.backlog.age", "workflow")).isEqualTo(6.5);
        assertThat(gauge("commdesk.temporal.task.queue.backlog.tasks", "workflow")).isEqualTo(13.0);
        assertThat(gauge("commdesk.temporal.task.queue.backlog.age", "activity")).isEqualTo(0.5);
        assertThat(gauge("commdesk.temporal.task.queue.backlog.tasks", "activity")).isEqualTo(2.0);
        assertThat(metrics.get("commdesk.temporal.task.queue.backlog.age").gauge().getId().getBaseUnit()).isEqualTo("seconds");
        assertThat(metrics.get("commdesk.temporal.task.queue.backlog.tasks").gauge().getId().getDescription()).isNotBlank();
        assertThat(asked).allSatisfy(r -> {
            assertThat(r.getReportStats()).isTrue();
            assertThat(r.getNamespace()).isEqualTo("default");
            assertThat(r.getTaskQueue().getName()).isEqualTo("commdesk-payments");
        });
    }

    @Test
    void aServerThatDoesNotAnswerLeavesNoFigureAndIsAskedAgain() {
        boolean[] up = {true};
        TaskQueueBacklog backlog = backlog(r -> {
            if (!up[0]) throw Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException();
            return DescribeTaskQueueResponse.newBuilder().setStats(TaskQueueStats.newBuilder().setApproximateBacklogCount(1)).build();
        });
        backlog.refresh();
        assertThat(gauge("commdesk.temporal.task.queue.backlog.tasks", "workflow")).isEqualTo(1.0);

        up[0] = false;
        backlog.refresh();
        assertThat(gauge("commdesk.temporal.task.queue.backlog.tasks", "workflow")).as("unknown, not the last figure").isNaN();
        assertThat(gauge("commdesk.temporal.task.queue.backlog.age", "workflow")).isNaN();

        up[0] = true;
        backlog.refresh();
        assertThat(gauge("commdesk.temporal.task.queue.backlog.tasks", "workflow")).isEqualTo(1.0);
    }

    @Test
    void aServerWithoutTheCallIsNotAskedAgain() {
        TaskQueueBacklog backlog = backlog(r -> {
            throw Status.UNIMPLEMENTED.asRuntimeException();
        });
        backlog.refresh();
        backlog.refresh();
        assertThat(asked).hasSize(1);
        assertThat(gauge("commdesk.temporal.task.queue.backlog.age", "workflow")).isNaN();
    }
}
