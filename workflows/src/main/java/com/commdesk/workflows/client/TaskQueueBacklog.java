package com.commdesk.workflows.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's own view of a task queue's backlog: every {@code commdesk.metrics.task-queue-backlog-interval} the server is
 * asked ({@code DescribeTaskQueue} with {@code report_stats}) how many workflow and activity tasks wait for a worker and
 * how long the oldest has waited. Gauges {@code commdesk.temporal.task.queue.backlog.age} (seconds) and
 * {@code commdesk.temporal.task.queue.backlog.tasks}, tagged {@code task_queue} and {@code task_queue_type}
 * ({@code workflow}/{@code activity}); NaN while the server has not answered (down, or a server without the call).
 *
 * <p>Why not the SDK's schedule-to-start latency alone (issue 14): a worker reports a task's wait only once it has
 * taken the task, and the server counts a task as started when it hands it to a waiting poll, even a poll of a worker
 * that is not running (SIGSTOP, a long GC pause). While the whole fleet stalls, no worker reports anything; afterwards the
 * few tasks that waited are a small share of the p95's five minutes. The backlog's age is seen from outside the workers
 * (the API runs this too) while it grows.
 */
public final class TaskQueueBacklog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskQueueBacklog.class);
    /** How often the server is asked: property {@code commdesk.metrics.task-queue-backlog-interval}, default 10 s. */
    public static final String INTERVAL = "${commdesk.metrics.task-queue-backlog-interval:PT10S}";

    private final Function<DescribeTaskQueueRequest, DescribeTaskQueueResponse> describe;
    private final String namespace;
    private final String taskQueue;
    private final Map<TaskQueueType, double[]> last = new EnumMap<>(TaskQueueType.class);
    private final AtomicBoolean unsupported = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "task-queue-backlog");
        t.setDaemon(true);
        return t;
    });

    /** {@code describe}: one DescribeTaskQueue call (tests pass their own). Registers the gauges; call {@link #start}. */
    public TaskQueueBacklog(Function<DescribeTaskQueueRequest, DescribeTaskQueueResponse> describe, String namespace, String taskQueue,
                            MeterRegistry registry) {
        this.describe = describe;
        this.namespace = namespace;
        this.taskQueue = taskQueue;
        for (TaskQueueType type : new TaskQueueType[] {TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY}) {
            double[] values = {Double.NaN, Double.NaN};
            last.put(type, values);
            String typeTag = type == TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW ? "workflow" : "activity";
            Gauge.builder("commdesk.temporal.task.queue.backlog.age", values, v -> v[0]).baseUnit("seconds")
                    .tags("task_queue", taskQueue, "task_queue_type", typeTag)
                    .description("How long the oldest task waiting in Temporal's task queue for a worker has waited, as the server"
                            + " reported at the last check (NaN: no answer)")
                    .register(registry);
            Gauge.builder("commdesk.temporal.task.queue.backlog.tasks", values, v -> v[1])
                    .tags("task_queue", taskQueue, "task_queue_type", typeTag)
                    .description("Tasks waiting in Temporal's task queue for a worker (approximate), as the server reported at the last"
                            + " check (NaN: no answer)")
                    .register(registry);
        }
    }

    /** Over the stubs' own channel, each call bounded by {@code timeout}. */
    public static TaskQueueBacklog over(WorkflowServiceStubs stubs, String namespace, String taskQueue, MeterRegistry registry,
                                        Duration timeout) {
        return new TaskQueueBacklog(request -> stubs.blockingStub().withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .describeTaskQueue(request), namespace, taskQueue, registry);
    }

    /** Asks the server every {@code every}, the first time at once. */
    public TaskQueueBacklog start(Duration every) {
        if (every.isNegative() || every.isZero()) throw new IllegalArgumentException("the backlog check interval must be positive, not " + every);
        timer.scheduleWithFixedDelay(this::refresh, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One check of both task queue types; never throws. A server without the call is not asked again. */
    public void refresh() {
        if (unsupported.get()) return;
        for (var e : last.entrySet()) {
            double[] values = e.getValue();
            try {
                DescribeTaskQueueResponse r = describe.apply(DescribeTaskQueueRequest.newBuilder().setNamespace(namespace)
                        .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                        .setTaskQueueType(e.getKey()).setReportStats(true).build());
                if (!r.hasStats()) {
                    values[0] = Double.NaN;
                    values[1] = Double.NaN;
                    continue;
                }
                var age = r.getStats().getApproximateBacklogAge();
                values[0] = age.getSeconds() + age.getNanos() / 1e9;
                values[1] = r.getStats().getApproximateBacklogCount();
            } catch (StatusRuntimeException ex) {
                values[0] = Double.NaN;
                values[1] = Double.NaN;
                if (ex.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                    if (unsupported.compareAndSet(false, true)) {
                        log.info("the Temporal server does not describe task queues: no backlog figures for {}", taskQueue);
                    }
                    return;
                }
                log.debug("task queue {} {}: no backlog figures this time: {}", taskQueue,
                        e.getKey().name().toLowerCase(Locale.ROOT), ex.getStatus());
            } catch (RuntimeException ex) {
                values[0] = Double.NaN;
                values[1] = Double.NaN;
                log.debug("task queue {}: no backlog figures this time: {}", taskQueue, ex.toString());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
