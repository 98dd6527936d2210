package com.commdesk.dev;

import com.commdesk.api.ApiApplication;
import com.commdesk.cashfree.sim.CashfreeSimulator;
import com.commdesk.cashfree.sim.SimulatorConfig;
import com.commdesk.dev.auth.DevAuthServer;
import com.commdesk.dev.auth.DevIdentities;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.Migrations;
import com.commdesk.worker.WorkerApplication;
import io.temporal.testserver.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole platform in one process, for a newcomer's laptop and the end-to-end tests: PostgreSQL,
 * Temporal, the Cashfree simulator, the worker and the API. Each piece is embedded unless the
 * environment names a real one (DATABASE_URL with DATABASE_MIGRATION_URL, TEMPORAL_ADDRESS, CASHFREE_CLIENT_ID).
 * The embedded PostgreSQL gets both roles: commdesk_owner migrates, commdesk_app (in commdesk_runtime) is
 * what the apps connect as, each with a random password made at start. Embedded
 * pieces keep everything in memory: a restart starts from empty. Identity: an embedded OAuth2/OIDC provider
 * (Spring Authorization Server) with dev users, unless OIDC_ISSUER_URI names a real one.
 */
public final class DevStack implements AutoCloseable {
    /** Fixed, public, development-only credentials of the simulator. Real ones come from CASHFREE_* variables. */
    public static final String SIM_CLIENT_ID = "dev-client-id";
    public static final String SIM_CLIENT_SECRET = "dev-client-secret-not-a-secret";

    public record Options(String host, int apiPort, int workerPort, int temporalPort, int temporalUiPort, int simulatorPort,
                          int authPort, Map<String, String> env) {
        public static Options defaults(Map<String, String> env) {
            return new Options("127.0.0.1", intEnv(env, "API_PORT", 8080), intEnv(env, "WORKER_PORT", 8081),
                    intEnv(env, "TEMPORAL_PORT", 7233), intEnv(env, "TEMPORAL_UI_PORT", 8233), intEnv(env, "CASHFREE_SIM_PORT", 8099),
                    intEnv(env, "AUTH_PORT", 9000), env);
        }

        private static int intEnv(Map<String, String> env, String name, int fallback) {
            String v = env.get(name);
            return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
        }
    }

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final Map<String, String> started = new LinkedHashMap<>();
    private CashfreeSimulator simulator;
    private String databaseUrl;
    private String runtimeUser;
    private String runtimePassword;
    private ConfigurableApplicationContext api;
    private ConfigurableApplicationContext worker;
    private ConfigurableApplicationContext auth;
    private String issuer;
    private String temporalUiUrl;
    private String temporalAddress;
    private long temporalServerPid = -1;

    private DevStack() {}

    public static DevStack start(Options o) {
        DevStack stack = new DevStack();
        try {
            stack.startAll(o);
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Options o) {
        Map<String, String> props = new LinkedHashMap<>();

        // Two roles (docs/ledger.md, "Two roles"): migrations run as the schema's owner, the apps connect
        // as a login role in commdesk_runtime that cannot rewrite the books.
        databaseUrl = o.env().get("DATABASE_URL");
        String user = o.env().get("DATABASE_USER");
        String password = o.env().get("DATABASE_PASSWORD");
        LedgerDatabase.MigrationOwner owner = LedgerDatabase.MigrationOwner.from(o.env()::get);
        if (blank(databaseUrl)) {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                toClose.push(pg);
                String ownerPassword = randomSecret();
                password = randomSecret();
                user = "commdesk_app";
                try (var c = java.sql.DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres")); var s = c.createStatement()) {
                    s.execute("create role " + Migrations.RUNTIME_ROLE + " nologin");
                    s.execute("create role commdesk_owner login password '" + ownerPassword + "'");
                    s.execute("create role " + user + " login password '" + password + "' in role " + Migrations.RUNTIME_ROLE);
                    s.execute("create database commdesk owner commdesk_owner");
                }
                String url = pg.getJdbcUrl("postgres", "postgres").replaceAll("/postgres(\\?|$)", "/commdesk$1").replaceAll("[?&]user=[^&]*", "");
                databaseUrl = url;
                owner = new LedgerDatabase.MigrationOwner(url, "commdesk_owner", ownerPassword);
                started.put("PostgreSQL", "embedded (zonky), " + url + " as " + user + " (migrated by commdesk_owner)"
                        + " - in memory, gone on exit");
            } catch (Exception e) {
                throw new IllegalStateException("could not start embedded PostgreSQL: " + e.getMessage(), e);
            }
        } else {
            started.put("PostgreSQL", "configured, " + databaseUrl.replaceAll("(?i)(password=)[^&]*", "$1***")
                    + (owner.jdbcUrl() == null ? " (not migrated here: DATABASE_MIGRATION_URL is not set)" : ""));
        }
        props.put("DATABASE_URL", databaseUrl);
        if (user != null) props.put("DATABASE_USER", user);
        if (password != null) props.put("DATABASE_PASSWORD", password);
        if (owner.jdbcUrl() != null) {
            try (LedgerDatabase db = LedgerDatabase.open(owner.jdbcUrl(), owner.user(), owner.password(), 1)) {
                Migrations.migrate(db.dataSource(), true);
            } catch (Exception e) {
                throw new IllegalStateException("could not migrate as " + owner + ": " + e.getMessage(), e);
            }
        }
        runtimeUser = user;
        runtimePassword = password;
        props.put("commdesk.db.migrate", "false"); // done above, once, with the demo community

        String temporal = o.env().get("TEMPORAL_ADDRESS");
        if (blank(temporal)) {
            temporal = startTemporal(o);
        } else {
            started.put("Temporal", "configured, " + temporal + " namespace " + o.env().getOrDefault("TEMPORAL_NAMESPACE", "default"));
        }
        temporalAddress = temporal;
        props.put("TEMPORAL_ADDRESS", temporal);

        if (blank(o.env().get("CASHFREE_CLIENT_ID"))) {
            simulator = CashfreeSimulator.start(new SimulatorConfig(o.host(), o.simulatorPort(), SIM_CLIENT_ID, SIM_CLIENT_SECRET));
            toClose.push(simulator);
            props.put("CASHFREE_CLIENT_ID", SIM_CLIENT_ID);
            props.put("CASHFREE_CLIENT_SECRET", SIM_CLIENT_SECRET);
            props.put("CASHFREE_ENV", "sandbox");
            props.put("CASHFREE_BASE_URL", simulator.baseUrl());
            // Payouts have their own keys and, as in production, a second factor: the simulator's 2FA public key.
            props.put("CASHFREE_PAYOUT_CLIENT_ID", simulator.config().payoutClientId());
            props.put("CASHFREE_PAYOUT_CLIENT_SECRET", simulator.config().payoutClientSecret());
            props.put("CASHFREE_PAYOUT_PUBLIC_KEY", simulator.payouts().publicKeyPem());
            started.put("Cashfree", "simulator on " + simulator.baseUrl() + " (create and pay orders: see README)");
        } else {
            started.put("Cashfree", "configured, environment " + o.env().getOrDefault("CASHFREE_ENV", "sandbox"));
        }

        // The standalone apps log JSON lines; on a developer's console readable lines are friendlier.
        // LOG_FORMAT=ecs (or logstash, gelf) gives the dev stack the production shape.
        props.put("LOG_FORMAT", o.env().getOrDefault("LOG_FORMAT", ""));
        // The API's port is fixed before the identity provider starts: the dashboard's logout returns to it.
        int apiPort = o.apiPort() == 0 ? freePort() : o.apiPort();
        issuer = o.env().get("OIDC_ISSUER_URI");
        if (blank(issuer)) {
            // The issuer URL is in every token, so its port is fixed before the server starts.
            int port = o.authPort() == 0 ? freePort() : o.authPort();
            auth = DevAuthServer.start(o.host(), port, java.time.Duration.ofMinutes(15),
                    java.util.List.of("http://" + o.host() + ":" + apiPort + "/dashboard/signed-out"));
            toClose.push(auth);
            issuer = "http://" + o.host() + ":" + port;
            started.put("Identity", "embedded OAuth2/OIDC provider (Spring Authorization Server) at " + issuer
                    + "\n    dev users (password " + DevIdentities.DEV_PASSWORD + ", DEV ONLY):\n" + DevIdentities.banner()
                    + "    client_credentials: " + DevIdentities.APP_CLIENT_ID + " / " + DevIdentities.APP_CLIENT_SECRET
                    + " (PAYMENT_SERVICE), " + DevIdentities.PROMETHEUS_CLIENT_ID + " / " + DevIdentities.PROMETHEUS_CLIENT_SECRET
                    + " (OPS: Prometheus' scrape of the API); dashboard: " + DevIdentities.DASHBOARD_CLIENT_ID + " (code + PKCE)");
        } else {
            started.put("Identity", "configured OIDC issuer " + issuer);
        }
        props.put("OIDC_ISSUER_URI", issuer);

        // Settings of the apps themselves ("commdesk.*", e.g. fraud thresholds) pass straight through.
        o.env().forEach((k, v) -> {
            if (k.startsWith("commdesk.")) props.put(k, v);
        });
        // COMMDESK_DEV_APPS=none: the infrastructure only (PostgreSQL, Temporal, the simulator), for running the
        // standalone api/worker jars or their images against it (ops/images/smoke.sh does).
        String apps = o.env().getOrDefault("COMMDESK_DEV_APPS", "all").trim();
        if (!apps.equals("all") && !apps.equals("none")) {
            throw new IllegalArgumentException("COMMDESK_DEV_APPS must be all or none, not '" + apps + "'");
        }
        if (apps.equals("none")) {
            String envFile = o.env().get("COMMDESK_DEV_ENV_FILE");
            if (!blank(envFile)) writeAppEnv(java.nio.file.Path.of(envFile.trim()), props);
            started.put("API/Worker", "not started (COMMDESK_DEV_APPS=none); DATABASE_URL=" + databaseUrl + " TEMPORAL_ADDRESS=" + temporal
                    + (blank(envFile) ? "" : "; every setting the apps need is in " + envFile.trim()));
            return;
        }
        props.put("WORKER_HOST", o.host());
        props.put("WORKER_PORT", Integer.toString(o.workerPort()));
        // Our shutdown hook closes everything in order; Spring's own hooks would race it.
        Map<String, Object> workerProps = asProps(props);
        // The worker serves only health and metrics; the security libraries on the dev stack's classpath are the API's.
        workerProps.put("spring.autoconfigure.exclude", String.join(",", WORKER_EXCLUDES));
        workerProps.put("springdoc.api-docs.enabled", "false");
        workerProps.put("springdoc.swagger-ui.enabled", "false");
        worker = WorkerApplication.builder().properties(workerProps).registerShutdownHook(false).run();
        toClose.push(worker);
        started.put("Worker", "task queue commdesk-payments, health on http://" + o.host() + ":" + port(worker) + "/actuator/health");

        props.put("API_HOST", o.host());
        props.put("API_PORT", Integer.toString(apiPort));
        // The dashboard links every workflow to the Temporal Web UI, when there is one.
        if (temporalUiUrl != null) props.put("commdesk.dashboard.temporal-ui-url", temporalUiUrl);
        // The API starts workflows through the worker's own WorkflowClient, so a start in this process is eager:
        // the server returns the first workflow task with the start and this worker runs it without a poll.
        io.temporal.client.WorkflowClient workerClient = worker.getBean(io.temporal.client.WorkflowClient.class);
        api = ApiApplication.builder().properties(asProps(props)).registerShutdownHook(false)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("sharedWorkflowClient",
                        new com.commdesk.api.ApiConfiguration.SharedWorkflowClient(workerClient)))
                .run();
        toClose.push(api);
        started.put("API", "http://" + o.host() + ":" + port(api) + "  (health: /actuator/health)");
        started.put("Dashboard", "http://" + o.host() + ":" + port(api) + "/dashboard");
        if (simulator != null) {
            // The simulator delivers signed webhooks to the API, as Cashfree would.
            simulator.setWebhookUrl(java.net.URI.create("http://" + o.host() + ":" + port(api) + "/webhooks/cashfree/pg"));
            // Payouts v2 webhooks are configured apart from PG webhooks at Cashfree, and here.
            simulator.payouts().setWebhookUrl(java.net.URI.create("http://" + o.host() + ":" + port(api) + "/webhooks/cashfree/payouts"));
        }
    }

    /**
     * COMMDESK_TEMPORAL picks the embedded Temporal: {@code cli} = the real server from the Temporal CLI
     * (refuses to start without it), {@code test-server} = Temporal's in-memory Java test server, unset =
     * the CLI when one is found, else the test server. The CLI server's state is a fresh temporary file
     * (the embedded PostgreSQL is fresh too) unless COMMDESK_TEMPORAL_STATE names one to keep.
     */
    private String startTemporal(Options o) {
        String mode = o.env().getOrDefault("COMMDESK_TEMPORAL", "auto").trim();
        if (!mode.equals("auto") && !mode.equals("cli") && !mode.equals("test-server")) {
            throw new IllegalArgumentException("COMMDESK_TEMPORAL must be cli, test-server or unset, not '" + mode + "'");
        }
        java.util.Optional<java.nio.file.Path> cli = mode.equals("test-server") ? java.util.Optional.empty() : TemporalCliServer.find(o.env());
        if (cli.isEmpty() && mode.equals("cli")) {
            throw new IllegalStateException("COMMDESK_TEMPORAL=cli but no Temporal CLI was found: run "
                    + "temporal-dev/real-temporal/temporal-cli.sh install, or set COMMDESK_TEMPORAL_CLI");
        }
        if (cli.isPresent()) {
            java.nio.file.Path state;
            String kept = o.env().get("COMMDESK_TEMPORAL_STATE");
            if (blank(kept)) {
                try {
                    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("commdesk-temporal-");
                    toClose.push(() -> deleteTree(dir));
                    state = dir.resolve("temporal.db");
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("could not create a directory for Temporal's state: " + e.getMessage(), e);
                }
            } else {
                state = java.nio.file.Path.of(kept.trim()).toAbsolutePath();
            }
            TemporalCliServer server = TemporalCliServer.start(cli.get(), o.host(), o.temporalPort(), o.temporalUiPort(), state,
                    java.time.Duration.ofSeconds(60));
            toClose.push(server);
            temporalUiUrl = server.uiUrl();
            temporalServerPid = server.pid();
            started.put("Temporal", "real server (Temporal CLI dev server, " + cli.get() + ") on " + server.address()
                    + ", state in " + state + (blank(kept) ? " - deleted on exit" : ""));
            started.put("Temporal UI", server.uiUrl());
            return server.address();
        }
        // lockTimeSkipping = true: real time, as a developer expects (no jumping timers).
        Closeable server = TestServer.createPortBoundServer(o.temporalPort(), true);
        toClose.push(server);
        String address = o.host() + ":" + o.temporalPort();
        started.put("Temporal", "in-process Java test server on " + address + " (time skipping off) - histories in memory only, no Web UI;"
                + " temporal-dev/real-temporal/temporal-cli.sh install gives the real server");
        return address;
    }

    /**
     * The environment the standalone apps need to run against this stack's infrastructure, as KEY=VALUE
     * lines (what the dev stack would have passed its own API and worker); a multi-line value (the simulator's
     * Payouts 2FA public key) goes to a file beside it and the line names the file. Development values only.
     */
    private static void writeAppEnv(java.nio.file.Path file, Map<String, String> props) {
        StringBuilder lines = new StringBuilder();
        try {
            for (Map.Entry<String, String> e : props.entrySet()) {
                if (!e.getKey().matches("[A-Z][A-Z0-9_]*")) continue;
                String value = e.getValue();
                if (value.contains("\n")) {
                    java.nio.file.Path side = file.resolveSibling(e.getKey().toLowerCase(java.util.Locale.ROOT) + ".pem");
                    java.nio.file.Files.writeString(side, value);
                    value = side.toAbsolutePath().toString();
                }
                lines.append(e.getKey()).append('=').append(value).append('\n');
            }
            java.nio.file.Files.writeString(file, lines);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException("could not write " + file + ": " + ex.getMessage(), ex);
        }
    }

    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(p);
        }
    }

    /** The Temporal Web UI of the embedded real server, or null (test server or a configured server). */
    public String temporalUiUrl() { return temporalUiUrl; }

    public int apiPort() { return port(api); }

    /** The OIDC issuer the API trusts (the embedded one unless OIDC_ISSUER_URI was given). */
    public String issuer() { return issuer; }

    /** The embedded authorization server's context, or null when a real issuer is configured. */
    public ConfigurableApplicationContext authServer() { return auth; }

    /** The worker's HTTP port (health, /actuator/prometheus). */
    public int workerPort() { return port(worker); }

    /** The Temporal CLI dev server's process id, or -1 when Temporal is the in-process test server or configured. */
    public long temporalServerPid() { return temporalServerPid; }

    /** host:port of the Temporal frontend the platform uses (embedded or configured). */
    public String temporalAddress() { return temporalAddress; }

    public CashfreeSimulator simulator() { return simulator; }

    public String databaseUrl() { return databaseUrl; }

    /** A pool on the stack's database as the apps' runtime role (what tests use to look at the books). */
    public LedgerDatabase runtimeDatabase(int poolSize) {
        return LedgerDatabase.open(databaseUrl, runtimeUser, runtimePassword, poolSize);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[18];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    public Map<String, String> started() { return Map.copyOf(started); }

    public String summary() {
        StringBuilder s = new StringBuilder("CommDesk dev stack is up:\n");
        started.forEach((k, v) -> s.append(String.format("  %-11s %s%n", k, v)));
        return s.append("Stop with Ctrl-C.").toString();
    }

    /** Stops everything in the reverse order of starting: API, worker, simulator, Temporal, PostgreSQL. */
    @Override
    public synchronized void close() {
        while (!toClose.isEmpty()) {
            AutoCloseable c = toClose.pop();
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("dev stack: error stopping " + c.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private static int port(ConfigurableApplicationContext ctx) {
        return ((WebServerApplicationContext) ctx).getWebServer().getPort();
    }

    static final java.util.List<String> WORKER_EXCLUDES = java.util.List.of(
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration");

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> asProps(Map<String, String> m) {
        return new LinkedHashMap<>(m);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    public static void main(String[] args) throws InterruptedException {
        DevStack stack;
        try {
            stack = start(Options.defaults(System.getenv()));
        } catch (RuntimeException e) {
            System.err.println("commdesk dev stack: failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the CommDesk dev stack...");
            stack.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "dev-stack-shutdown"));
        System.out.println(stack.summary());
        stopped.await();
    }
}
