package com.commdesk.dev.bench;

import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.dev.DevStack;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.testing.TestDatabases;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.PaymentStage;
import com.commdesk.workflows.payment.PaymentStatus;
import com.commdesk.workflows.payment.PaymentWorkflow;
import com.commdesk.workflows.payment.PaymentWorkflowImpl;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * PaymentWorkflow against a bare workflow of the same shape (BareWorkflow: no-op bodies), in one run, on
 * one Temporal server, with one worker process: what our activities, payloads and database cost on top of
 * what Temporal itself costs. Also the per-payment inputs of the capacity plan: history events, history
 * bytes and state transitions (from the server's own description of each workflow), database rows and
 * bytes, and CPU of this JVM (API, worker, simulator, client), of PostgreSQL and of the Temporal server.
 * <pre>
 * ./mvnw -q -pl temporal-dev/dev-stack -am test-compile -DskipTests   # once
 * ./mvnw -q -pl temporal-dev/dev-stack exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.commdesk.dev.bench.WorkflowShapeBenchmark -Dexec.args="cli 2000 2"
 * </pre>
 * Arguments: {@code cli|test-server} (which Temporal), payments per round, rounds (each round runs bare, the
 * real workflow with steps that answer at once ({@link OrchestrationOnly}: our orchestration without the steps' work)
 * and ours, in an order rotated from round to round: rounds 2-7 run each order twice). The database is
 * COMMDESK_TEST_DATABASE_URL's server or an embedded one (TestDatabases).
 */
public final class WorkflowShapeBenchmark {
    private static final String COMMUNITY = "demo-community";
    /** Members the demo community splits each payment across: one "split event" each. */
    private static final int MEMBERS_PER_PAYMENT = 7;
    private static final String BARE = "bare", ORCHESTRATION = "orchestration", OURS = "ours";
    private static final List<String> SHAPES = List.of(BARE, ORCHESTRATION, OURS);
    /** How long one shape's round may take before the benchmark says its payments are stuck (parked, or waiting). */
    private static final java.time.Duration ROUND_LIMIT = java.time.Duration.ofMinutes(15);

    private WorkflowShapeBenchmark() {}

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "test-server";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int exit = 0;
        try {
            List<String> lines = measure(mode, n, rounds);
            System.out.println("\nWorkflowShapeBenchmark on " + mode + ", " + n + " payments per round (demo community: "
                    + MEMBERS_PER_PAYMENT + " member shares each)");
            lines.forEach(l -> System.out.println("  " + l));
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    /** Runs the rounds on a dev stack of its own and returns the report's lines; throws if any round could not be measured. */
    static List<String> measure(String mode, int n, int rounds) throws Exception {
        // The platform connects as the runtime role; the CPU and row counts below are read as the database's owner, the
        // only one here allowed to read data_directory (the runtime role lacks pg_read_all_settings, least privilege).
        TestDatabases.Urls urls = TestDatabases.freshUrls();
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", urls.runtime(), "COMMDESK_TEMPORAL", mode,
                // One community receives every payment (a big event), so its velocity limit is lifted; each order is another
                // customer's, as at an event's ticket sale (until 2026-12-03 every order was one customer's, whose hour of
                // thousands of screenings each screen counted again: a cost no real customer makes, docs/performance.md § 2).
                "commdesk.fraud.max-per-community", "10000000"));
        System.getenv().forEach((k, v) -> {
            if (k.equals("PATH") || k.equals("COMMDESK_TEMPORAL_CLI")) env.put(k, v);
        });
        try (DevStack stack = DevStack.start(new DevStack.Options("127.0.0.1", 0, 0, freePort(), freePort(), 0, 0, env));
             LedgerDatabase db = LedgerDatabase.open(urls.owner(), null, null, 2)) {
            System.out.println(stack.summary());
            WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
                    WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
            WorkflowClient client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
            WorkerFactory factory = WorkerFactory.newInstance(client);
            // The platform worker's own limits (WorkerConfiguration defaults), so both shapes get the same slots.
            Worker worker = factory.newWorker(BareWorkflow.TASK_QUEUE, WorkerOptions.newBuilder()
                    .setMaxConcurrentActivityExecutionSize(64).setMaxConcurrentWorkflowTaskExecutionSize(64).build());
            worker.registerWorkflowImplementationTypes(BareWorkflow.Impl.class);
            worker.registerActivitiesImplementations(new BareWorkflow.NoOp());
            // The third shape: the real PaymentWorkflowImpl with steps that answer at once (OrchestrationOnly).
            Worker orchestration = factory.newWorker(OrchestrationOnly.TASK_QUEUE, WorkerOptions.newBuilder()
                    .setMaxConcurrentActivityExecutionSize(64).setMaxConcurrentWorkflowTaskExecutionSize(64).build());
            orchestration.registerWorkflowImplementationTypes(PaymentWorkflowImpl.class);
            orchestration.registerActivitiesImplementations(new OrchestrationOnly(new CommunityRepository(db.dsl()).find(COMMUNITY)
                    .orElseThrow(() -> new IllegalStateException("no " + COMMUNITY + " in the dev stack's database"))));
            factory.start();

            Cpu cpu = new Cpu(db, stack.temporalServerPid());
            List<String> lines = new ArrayList<>();
            List<Double> bareRates = new ArrayList<>(), ourRates = new ArrayList<>(), orchestrationRates = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                String tag = Long.toString(System.nanoTime(), 36) + r;
                // Each shape's ids for this round: ours pays the simulator's orders; the orchestration-only shape's order ids
                // are never the simulator's (its steps ask nobody).
                List<String> orders = new ArrayList<>(), bareIds = new ArrayList<>(), orchestrationOrders = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String order = "bench_" + tag + "_" + i;
                    stack.simulator().createPaidOrder(order, 100_000L + i, "INR", Map.of("community_id", COMMUNITY), PaymentMethod.CARD,
                            "buyer_" + tag + "_" + i);
                    orders.add(order);
                    bareIds.add("bare-" + tag + "-" + i);
                    orchestrationOrders.add("orchestration-" + tag + "-" + i);
                }
                // Each round runs the three shapes in a rotated order (bare-orchestration-ours, orchestration-ours-bare,
                // ours-bare-orchestration): the dev server slows as its SQLite file grows and a shape that goes first
                // runs on a quieter machine, and a fixed order would charge either to the same shape every time.
                Map<String, java.util.function.IntFunction<CompletableFuture<?>>> starts = Map.of(
                        BARE, i -> startBare(client, bareIds.get(i)),
                        ORCHESTRATION, i -> startPayment(client, OrchestrationOnly.TASK_QUEUE, orchestrationOrders.get(i), 100_000L + i),
                        OURS, i -> startPayment(client, PaymentWorkflow.TASK_QUEUE, orders.get(i), 100_000L + i));
                List<String> order = new ArrayList<>(SHAPES);
                java.util.Collections.rotate(order, -((r - 1) % SHAPES.size()));
                Map<String, Result> results = new HashMap<>();
                Map<String, Usage[]> usage = new HashMap<>();
                for (String shape : order) {
                    Usage from = cpu.sample();
                    results.put(shape, run(n, starts.get(shape)));
                    usage.put(shape, new Usage[] {from, cpu.sample()});
                }
                Result bare = results.get(BARE), ours = results.get(OURS), orchestrated = results.get(ORCHESTRATION);
                Usage before = usage.get(OURS)[0], after = usage.get(OURS)[1];
                lines.add(String.format(Locale.ROOT, "round %d (%s): bare %.1f wf/s, PaymentWorkflow %.1f wf/s (%.0f member shares/min), ratio %.2f;"
                                + " orchestration only %.1f wf/s, ratio %.2f",
                        r, String.join(", ", order), bare.perSecond(), ours.perSecond(), ours.perSecond() * 60 * MEMBERS_PER_PAYMENT,
                        ours.perSecond() / bare.perSecond(), orchestrated.perSecond(), orchestrated.perSecond() / bare.perSecond()));
                lines.add("  CPU per bare workflow: " + cpuPer(usage.get(BARE)[0], usage.get(BARE)[1], n));
                lines.add("  CPU per orchestration: " + cpuPer(usage.get(ORCHESTRATION)[0], usage.get(ORCHESTRATION)[1], n));
                lines.add("  CPU per payment:       " + cpuPer(before, after, n));
                lines.subList(lines.size() - 4, lines.size()).forEach(l -> System.out.println("[progress] " + l));
                if (r > 1 || rounds == 1) {
                    bareRates.add(bare.perSecond());
                    ourRates.add(ours.perSecond());
                    orchestrationRates.add(orchestrated.perSecond());
                }
                if (r == rounds) {
                    lines.add(history(service, "bare workflow", bareIds));
                    lines.add(history(service, "orchestration", orchestrationOrders.stream().map(PaymentWorkflow::workflowId).toList()));
                    lines.addAll(perPayment(service, orders, before, after, n));
                }
            }
            // The first round runs on a cold JIT (the platform's code is compiled while it runs; the bare shape's is
            // tiny): the steady ratio is taken over the rounds after it, total work over total time.
            double bareSteady = harmonic(bareRates), ourSteady = harmonic(ourRates), orchestrationSteady = harmonic(orchestrationRates);
            lines.add(String.format(Locale.ROOT, "steady (%s): bare %.1f wf/s, PaymentWorkflow %.1f wf/s (%.0f member shares/min), ratio %.2f;"
                            + " orchestration only %.1f wf/s, ratio %.2f",
                    rounds == 1 ? "the only round, cold JIT" : "rounds 2-" + rounds, bareSteady, ourSteady,
                    ourSteady * 60 * MEMBERS_PER_PAYMENT, ourSteady / bareSteady, orchestrationSteady, orchestrationSteady / bareSteady));
            factory.shutdown();
            service.shutdown();
            return lines;
        }
    }

    private static CompletableFuture<?> startBare(WorkflowClient client, String id) {
        BareWorkflow wf = client.newWorkflowStub(BareWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(BareWorkflow.TASK_QUEUE).setWorkflowId(id).build());
        WorkflowClient.start(wf::run, id);
        return WorkflowStub.fromTyped(wf).getResultAsync(String.class);
    }

    /**
     * A PaymentWorkflow on {@code taskQueue}: the platform's worker (ours) or the orchestration-only one, with the same
     * request and search attributes.
     */
    private static CompletableFuture<?> startPayment(WorkflowClient client, String taskQueue, String orderId, long amountPaise) {
        PaymentRequest request = new PaymentRequest("bench-" + orderId, COMMUNITY, "EVENT", orderId, orderId, amountPaise, Map.of());
        PaymentWorkflow wf = client.newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(taskQueue).setWorkflowId(PaymentWorkflow.workflowId(orderId))
                .setTypedSearchAttributes(PaymentWorkflow.searchAttributes(request)).build());
        WorkflowClient.start(wf::process, request);
        return WorkflowStub.fromTyped(wf).getResultAsync(PaymentStatus.class);
    }

    record Result(int count, long millis) {
        double perSecond() {
            return count * 1000.0 / Math.max(1, millis);
        }
    }

    /** Starts {@code n} workflows from 32 client threads at once and waits for every result. */
    private static Result run(int n, java.util.function.IntFunction<CompletableFuture<?>> start) throws Exception {
        long t0 = System.nanoTime();
        List<CompletableFuture<?>> results = new ArrayList<>();
        try (ExecutorService starters = Executors.newFixedThreadPool(32)) {
            List<java.util.concurrent.Future<CompletableFuture<?>>> started = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                started.add(starters.submit(() -> start.apply(k)));
            }
            for (var f : started) results.add(f.get());
        }
        // A payment that failed, parked or ended anywhere but COMPLETED did less work than a paid one: the round would
        // flatter its shape, so the benchmark stops instead. A failed workflow fails its result; a parked one waits for an
        // operator, so it shows as a round that does not finish.
        try {
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(ROUND_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            long open = results.stream().filter(f -> !f.isDone()).count();
            throw new IllegalStateException(open + " of " + n + " workflows not finished after " + ROUND_LIMIT + " (parked, or stuck)", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a workflow of the round failed: " + e.getCause(), e.getCause());
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        for (CompletableFuture<?> f : results) {
            if (f.get() instanceof PaymentStatus s && s.stage() != PaymentStage.COMPLETED) {
                throw new IllegalStateException("payment " + s.paymentId() + " ended " + s.stage() + ": " + s.error());
            }
        }
        return new Result(n, millis);
    }

    /** Rounds of equal size: the overall rate is the harmonic mean of the rounds' rates. */
    private static double harmonic(List<Double> rates) {
        double inverse = 0;
        for (double r : rates) inverse += 1 / r;
        return rates.size() / inverse;
    }

    private static String cpuPer(Usage before, Usage after, int n) {
        return String.format(Locale.ROOT, "%.2f ms this JVM, %.2f ms PostgreSQL, %s",
                (after.jvmCpuNanos() - before.jvmCpuNanos()) / 1e6 / n, (after.postgresCpuTicks() - before.postgresCpuTicks()) * Cpu.MS_PER_TICK / n,
                after.temporalCpuTicks() < 0 ? "Temporal server in this JVM" : String.format(Locale.ROOT, "%.2f ms Temporal server",
                        (after.temporalCpuTicks() - before.temporalCpuTicks()) * Cpu.MS_PER_TICK / n));
    }

    private static List<String> perPayment(WorkflowServiceStubs service, List<String> orders, Usage before, Usage after, int n) {
        List<String> out = new ArrayList<>();
        out.add(history(service, "payment", orders.stream().map(PaymentWorkflow::workflowId).toList()));
        out.add(String.format(Locale.ROOT, "per payment: %.1f database rows inserted, %.0f database bytes",
                (after.rowsInserted() - before.rowsInserted()) / (double) n, (after.databaseBytes() - before.databaseBytes()) / (double) n));
        out.add("per payment CPU (last round; this JVM is API + worker + simulator + client): " + cpuPer(before, after, n));
        return out;
    }

    /** History events, bytes and state transitions: the server's own description of the first 50 of these workflows. */
    private static String history(WorkflowServiceStubs service, String what, List<String> workflowIds) {
        long events = 0, bytes = 0, transitions = 0;
        int sample = Math.min(50, workflowIds.size());
        for (int i = 0; i < sample; i++) {
            var info = service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowIds.get(i))).build())
                    .getWorkflowExecutionInfo();
            events += info.getHistoryLength();
            bytes += info.getHistorySizeBytes();
            transitions += info.getStateTransitionCount();
        }
        return String.format(Locale.ROOT, "per %s (mean of %d): %.1f history events, %.0f history bytes, %.1f state transitions",
                what, sample, events / (double) sample, bytes / (double) sample, transitions / (double) sample);
    }

    record Usage(long jvmCpuNanos, long postgresCpuTicks, long temporalCpuTicks, long rowsInserted, long databaseBytes) {}

    /** CPU from /proc (Linux): this JVM, the PostgreSQL postmaster with its backends (live and reaped), the Temporal CLI server. */
    static final class Cpu {
        static final double MS_PER_TICK = 10.0; // USER_HZ = 100 on Linux
        private final LedgerDatabase db;
        private final long temporalPid;
        private final long postmasterPid;

        Cpu(LedgerDatabase db, long temporalPid) throws Exception {
            this.db = db;
            this.temporalPid = temporalPid;
            String dataDir = db.dsl().fetchValue("show data_directory").toString();
            long pid;
            try {
                pid = Long.parseLong(Files.readAllLines(Path.of(dataDir, "postmaster.pid")).get(0).trim());
            } catch (Exception e) {
                pid = -1; // another host's, or unreadable: PostgreSQL CPU is then not reported
            }
            this.postmasterPid = pid;
        }

        Usage sample() throws Exception {
            db.dsl().execute("select pg_stat_clear_snapshot()");
            Thread.sleep(1_000); // statistics reach pg_stat_* at most every 500 ms
            long rows = ((Number) db.dsl().fetchValue("select coalesce(sum(n_tup_ins), 0) from pg_stat_user_tables")).longValue();
            long size = ((Number) db.dsl().fetchValue("select pg_database_size(current_database())")).longValue();
            long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            return new Usage(jvm, postmasterPid < 0 ? 0 : treeTicks(postmasterPid), temporalPid < 0 ? -1 : ticks(temporalPid, false), rows, size);
        }

        private static long treeTicks(long parent) throws Exception {
            long total = ticks(parent, true);
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                    String[] f = stat(p);
                    if (f != null && Long.parseLong(f[1]) == parent) total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
            return total;
        }

        /** utime + stime (+ cutime + cstime: children already reaped) in clock ticks. */
        private static long ticks(long pid, boolean withReapedChildren) throws Exception {
            String[] f = stat(Path.of("/proc", Long.toString(pid)));
            if (f == null) return 0;
            long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return withReapedChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
        }

        /** Fields of /proc/PID/stat after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime. */
        private static String[] stat(Path proc) {
            try {
                String s = Files.readString(proc.resolve("stat"));
                return s.substring(s.lastIndexOf(')') + 2).split(" ");
            } catch (Exception e) {
                return null;
            }
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
