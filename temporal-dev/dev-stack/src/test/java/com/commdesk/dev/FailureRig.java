package com.commdesk.dev;

import com.commdesk.cashfree.sim.CashfreeSimulator;
import com.commdesk.ledger.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The platform as the failure suite runs it (docs/failures.md), shared by its scenarios: the real Temporal server (the Temporal CLI's dev server, its state in a file under
 * target/failure, started here so a scenario can SIGKILL it and start it again on the same file), a PostgreSQL
 * server of its own (scenario 3 crashes and restarts it), the Cashfree simulator, the API in a JVM of its own, and a fleet of worker JVMs — separate
 * operating-system processes on one task queue. Every scenario leaves it as it found it: Temporal up, the
 * simulator without faults, the API up, the fleet at {@link #FLEET_SIZE} live workers.
 */
final class FailureRig implements AutoCloseable {
    static final int FLEET_SIZE = 2;
    /** Settings of the apps (both API and workers) for the suite. */
    static final Map<String, String> SETTINGS = Map.of(
            // Every simulated payment has its own customer, but raise the limit as the other end-to-end tests do.
            "commdesk.fraud.max-per-customer", "100000",
            "commdesk.metrics.temporal-report-interval", "PT1S",
            // Temporal's backlog figures asked once a second, as the probe scrapes (production: every 10 s).
            "commdesk.metrics.task-queue-backlog-interval", "PT1S",
            // Every payout of scenario 7 (at least Rs 1,000) waits for a second person's approval.
            "commdesk.payouts.approval-threshold-paise", "100000",
            // A transfer whose request died with its worker is asked about, and re-requested only when Cashfree does not
            // know it after the resend grace (production: 10 min, polls from 1 min): shortened so scenario 7's transfers
            // lost with the killed worker are re-requested within the scenario (CI saw 3 stay SENT past 4 min).
            "commdesk.payouts.resend-grace", "PT20S",
            "commdesk.payouts.poll-interval", "PT5S",
            "commdesk.db.migrate", "false");

    final Path dir;
    final Path temporalState;
    private final Path cli;
    private final int temporalPort = DevStack.freePort();
    private final int temporalUiPort = DevStack.freePort();
    private TemporalCliServer temporal;
    private DevStack infra;
    /** The API, a JVM of its own on a fixed port (the simulator's webhook URLs name it), restarted there after a kill. */
    private AppJvm api;
    private final Map<String, String> appEnv = new LinkedHashMap<>();
    /** The workers' environment: appEnv with DATABASE_URL through {@link #cutter}. */
    private final Map<String, String> workerEnv = new LinkedHashMap<>();
    private CommitCutter cutter;
    private FailurePostgres postgres;
    private final List<AppJvm> workers = new ArrayList<>();
    private int workerSerial;
    private String databaseUrl;
    private String ownerUrl;

    private FailureRig(Path dir) {
        this.dir = dir;
        this.temporalState = dir.resolve("temporal.db");
        this.cli = TemporalCliServer.find(System.getenv()).orElseThrow(() -> new IllegalStateException(
                "the failure suite needs the Temporal CLI: temporal-dev/real-temporal/temporal-cli.sh install, or COMMDESK_TEMPORAL_CLI"));
    }

    /** Starts the rig (Temporal, database, simulator, worker fleet, API); the caller closes it. */
    static FailureRig start() throws Exception {
        FailureRig rig = new FailureRig(cleanDir(Path.of("target", "failure")));
        try {
            rig.startAll();
            return rig;
        } catch (Exception | Error e) {
            rig.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        long t0 = System.nanoTime();
        startTemporal();
        // The platform's database on a PostgreSQL server of the suite's own (scenario 3 crashes and restarts it).
        postgres = FailurePostgres.start(dir);
        TestDatabases.Urls urls = TestDatabases.migratedOn(postgres.adminUrl(), "commdesk_failure");
        databaseUrl = urls.runtime();
        ownerUrl = urls.owner();
        Path envFile = dir.resolve("app.env");
        Map<String, String> env = new LinkedHashMap<>(Map.of("DATABASE_URL", databaseUrl,
                "TEMPORAL_ADDRESS", temporal.address(), "COMMDESK_DEV_APPS", "none", "COMMDESK_DEV_ENV_FILE", envFile.toString()));
        infra = DevStack.start(new DevStack.Options("127.0.0.1", 0, 0, temporalPort, temporalUiPort, 0, 0, env));
        for (String line : Files.readAllLines(envFile)) {
            int eq = line.indexOf('=');
            if (eq > 0) appEnv.put(line.substring(0, eq), line.substring(eq + 1));
        }
        // The workers reach PostgreSQL through a proxy that passes everything until scenario 6 has it cut
        // a connection between a posting's commit and its reply.
        String url = appEnv.get("DATABASE_URL");
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("//[^/:]+:(\\d+)/").matcher(url);
        if (!port.find()) throw new IllegalStateException("no port in DATABASE_URL " + url);
        cutter = CommitCutter.start(Integer.parseInt(port.group(1)));
        workerEnv.putAll(appEnv);
        workerEnv.put("DATABASE_URL", cutter.proxied(url));
        // The API and the workers start in parallel: each is a JVM of its own and takes seconds to start. The API
        // connects to PostgreSQL directly.
        double infraUp = (System.nanoTime() - t0) / 1e9;
        api = AppJvm.api("api", appEnv, SETTINGS, dir);
        // Prometheus scrapes the API with a token of the OPS role (/actuator/prometheus is not public: SecurityConfiguration),
        // here as a deployed Prometheus does: tokens of the dev stack's Prometheus client (commdesk-prometheus, OPS only) by
        // client_credentials, fetched again before each expires; without a token every scrape of the API was refused and
        // the alert probe saw no series of the API at all (issue 14).
        api.scrapeWithToken(new ClientCredentials(infra.issuer(), com.commdesk.dev.auth.DevIdentities.PROMETHEUS_CLIENT_ID,
                com.commdesk.dev.auth.DevIdentities.PROMETHEUS_CLIENT_SECRET));
        for (int i = 0; i < FLEET_SIZE; i++) startWorker();
        simulator().setWebhookUrl(java.net.URI.create(apiUrl("/webhooks/cashfree/pg")));
        simulator().payouts().setWebhookUrl(java.net.URI.create(apiUrl("/webhooks/cashfree/payouts")));
        // Cashfree retries a webhook that was not answered 2xx (2, 10, 30 minutes); the suite's failures last seconds, or
        // as long as a killed API JVM takes to start again (minutes on a loaded 2-core machine): 1 s to 30 s apart, for 4 min.
        simulator().webhookRetrySchedule(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30)));
        api.awaitUp(Duration.ofSeconds(240));
        double apiUp = (System.nanoTime() - t0) / 1e9;
        for (AppJvm w : List.copyOf(workers)) w.awaitUp(Duration.ofSeconds(240));
        double workersUp = (System.nanoTime() - t0) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "failure rig: Temporal, database and simulator up at %.1f s, API at %.1f s, worker JVMs at %.1f s%n",
                infraUp, apiUp, workersUp);
        warmUp();
        System.out.printf("failure rig: Temporal CLI dev server on %s (state %s, Web UI %s), API on %s, %d worker JVMs %s; up in %.1f s%n",
                temporal.address(), temporalState, temporal.uiUrl(), apiUrl(""), workers.size(),
                workers.stream().map(w -> w.name + "(pid " + w.pid() + ")").toList(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * A few payments before any scenario: the first ones load classes and compile code in every JVM, and on
     * a loaded machine that alone can exceed Temporal's workflow task timeout. Not part of any scenario.
     */
    private void warmUp() throws Exception {
        FailureLoad load = new FailureLoad(this, "warmup", 2, Duration.ofSeconds(4));
        try (com.commdesk.load.BooksCheck books = new com.commdesk.load.BooksCheck(databaseUrl, null, null)) {
            double took = load.awaitAllPosted(load.start(), books, Duration.ofSeconds(240));
            if (books.postedCount(load.prefix) != load.planned) throw new IllegalStateException("the warm-up payments did not post");
            System.out.printf(java.util.Locale.ROOT, "failure rig: warm-up, %d payments posted in %.1f s%n", load.planned, took);
        }
    }

    private void startTemporal() {
        temporal = TemporalCliServer.start(cli, "127.0.0.1", temporalPort, temporalUiPort, temporalState, Duration.ofSeconds(60));
    }

    /** Starts one more worker JVM (not waiting for it); its name is worker-N. */
    synchronized AppJvm startWorker() {
        Map<String, String> settings = new LinkedHashMap<>(SETTINGS);
        // As the dev stack does for its own worker: the security libraries on this classpath are the API's; the
        // standalone worker's own jar has none, and serves health and metrics unauthenticated on its own port.
        settings.put("spring.autoconfigure.exclude", String.join(",", DevStack.WORKER_EXCLUDES));
        settings.put("springdoc.api-docs.enabled", "false");
        settings.put("springdoc.swagger-ui.enabled", "false");
        AppJvm w = AppJvm.worker("worker-" + (++workerSerial), workerEnv, settings, dir);
        workers.add(w);
        return w;
    }

    /** Workers started so far, killed ones included (their last scrape is kept). */
    synchronized List<AppJvm> workers() {
        return List.copyOf(workers);
    }

    synchronized List<AppJvm> liveWorkers() {
        return workers.stream().filter(AppJvm::alive).toList();
    }

    /** The API (when its process is alive) and the live workers: what Prometheus would scrape. */
    synchronized List<AppJvm> liveApps() {
        List<AppJvm> apps = new ArrayList<>();
        if (api.alive()) apps.add(api);
        apps.addAll(liveWorkers());
        return apps;
    }

    /** SIGKILL of the Temporal CLI dev server (no shutdown, whatever it had not written to its SQLite file is lost). */
    long killTemporal() throws Exception {
        long pid = temporal.pid();
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
        h.destroyForcibly();
        h.onExit().get(10, TimeUnit.SECONDS);
        return pid;
    }

    /** The dev server again, on the same port and the same state file. */
    void restartTemporal() {
        temporal.close();
        startTemporal();
    }

    /**
     * A fresh client_credentials token of the platform's app client (role PAYMENT_SERVICE) from the dev
     * stack's authorization server, as CommDesk's app would get one; the suite's load sends it on every POST.
     */
    String appToken() throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString((com.commdesk.dev.auth.DevIdentities.APP_CLIENT_ID + ":"
                + com.commdesk.dev.auth.DevIdentities.APP_CLIENT_SECRET).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var r = SharedStack.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(infra.issuer() + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("token request answered " + r.statusCode() + ": " + r.body());
        return new tools.jackson.databind.ObjectMapper().readTree(r.body()).path("access_token").asText();
    }

    /** Ledger transactions retried after a deadlock (40P01) in the worker JVMs alive now, as they report it. */
    long workerDeadlockRetries() {
        return Math.round(liveWorkers().stream().mapToDouble(w -> w.scrape().sum("commdesk_ledger_transaction_retries_total",
                l -> "40P01".equals(l.get("sqlstate")))).sum());
    }

    /** The API's JVM (scenario 8 kills it and starts it again on its port). */
    AppJvm api() {
        return api;
    }

    /** The platform's PostgreSQL server (scenario 3 crashes and restarts it). */
    FailurePostgres postgres() {
        return postgres;
    }

    /** The proxy between the workers and PostgreSQL (scenario 6 cuts connections with it). */
    CommitCutter cutter() {
        return cutter;
    }

    long temporalPid() {
        return temporal.pid();
    }

    DevStack infra() {
        return infra;
    }

    CashfreeSimulator simulator() {
        return infra.simulator();
    }

    String databaseUrl() {
        return databaseUrl;
    }

    /**
     * The same database as its owner (the test server's admin): for what no platform connection may do —
     * seeding a community of its own, an intruder that locks wallet rows (the runtime role cannot).
     */
    String ownerUrl() {
        return ownerUrl;
    }

    String apiUrl(String path) {
        return "http://127.0.0.1:" + api.port + path;
    }

    @Override
    public synchronized void close() {
        if (api != null) api.close();
        api = null;
        workers.forEach(AppJvm::close);
        workers.clear();
        if (infra != null) infra.close();
        infra = null;
        if (temporal != null) temporal.close();
        temporal = null;
        if (cutter != null) cutter.close();
        cutter = null;
        try {
            if (postgres != null) postgres.close();
        } catch (IOException e) {
            System.out.println("failure rig: stopping PostgreSQL: " + e.getMessage());
        }
        postgres = null;
    }

    private static Path cleanDir(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        return Files.createDirectories(dir).toAbsolutePath();
    }
}
