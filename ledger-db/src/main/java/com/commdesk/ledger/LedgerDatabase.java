package com.commdesk.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** A connection pool and the jOOQ context over it. Framework-free, so tests and tools use it too. */
public final class LedgerDatabase implements AutoCloseable {
    private final DataSource dataSource;
    private final DSLContext dsl;
    private final AutoCloseable owned;

    private LedgerDatabase(DataSource dataSource, AutoCloseable owned) {
        this.dataSource = dataSource;
        this.owned = owned;
        // Render no schema name: the schema is whatever the connection's search_path says.
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withRenderSchema(false));
    }

    /** Wraps a pool owned by someone else (e.g. Spring). */
    public static LedgerDatabase over(DataSource dataSource) {
        return new LedgerDatabase(dataSource, null);
    }

    /**
     * Where migrations connect: the owner of the schema ({@code DATABASE_MIGRATION_URL},
     * {@code _USER}, {@code _PASSWORD}), never the runtime role the application's pool uses
     * ({@code DATABASE_URL}, ...). A null URL means migrations are run elsewhere (a deploy step).
     */
    public record MigrationOwner(String jdbcUrl, String user, String password) {
        public static MigrationOwner from(java.util.function.Function<String, String> lookup) {
            String url = lookup.apply("DATABASE_MIGRATION_URL");
            return new MigrationOwner(url == null || url.isBlank() ? null : url, lookup.apply("DATABASE_MIGRATION_USER"),
                    lookup.apply("DATABASE_MIGRATION_PASSWORD"));
        }

        @Override
        public String toString() {
            return "MigrationOwner[" + redact(jdbcUrl) + ", user=" + user + "]"; // never the password
        }
    }

    /**
     * What the apps do at start-up: bring the schema up to date as the migration owner, if one is
     * configured (and {@code migrate}), then wrap the runtime pool, refusing to run on a connection that
     * could rewrite the books ({@link #requireLeastPrivilege}).
     */
    public static LedgerDatabase forRuntime(DataSource runtime, MigrationOwner owner, boolean migrate, boolean demoData) {
        if (migrate && owner.jdbcUrl() != null) {
            try (LedgerDatabase migrator = open(owner.jdbcUrl(), owner.user(), owner.password(), 1)) {
                Migrations.migrate(migrator.dataSource(), demoData);
            } catch (Exception e) {
                throw new IllegalStateException("database migration as " + owner + " failed: " + e.getMessage(), e);
            }
        }
        LedgerDatabase db = over(runtime);
        requireLeastPrivilege(db.dsl());
        return db;
    }

    /**
     * Refuses (IllegalStateException, one line) a connection that is a superuser, owns the ledger's
     * tables, may UPDATE, DELETE or TRUNCATE a journal, or may create objects in the ledger's schema (the
     * guards resolve names there before pg_catalog: a function or operator of its own would be theirs):
     * the application must connect as a member of the runtime role ({@value Migrations#RUNTIME_ROLE};
     * docs/ledger.md, "Two roles").
     */
    public static void requireLeastPrivilege(DSLContext dsl) {
        var r = dsl.fetchSingle("select current_user, r.rolsuper, pg_has_role(current_user, c.relowner, 'USAGE'), "
                + "has_table_privilege(c.oid, 'UPDATE') or has_table_privilege(c.oid, 'DELETE') or has_table_privilege(c.oid, 'TRUNCATE'), "
                + "has_schema_privilege(n.oid, 'CREATE'), n.nspname "
                + "from pg_roles r, pg_class c join pg_namespace n on n.oid = c.relnamespace "
                + "where r.rolname = current_user and c.relname = 'journal' and n.nspname = current_schema()");
        boolean superuser = Boolean.TRUE.equals(r.get(1));
        boolean owner = Boolean.TRUE.equals(r.get(2));
        boolean rewrites = Boolean.TRUE.equals(r.get(3));
        boolean creates = Boolean.TRUE.equals(r.get(4));
        if (superuser || owner || rewrites || creates) {
            throw new IllegalStateException("the application connects to PostgreSQL as '" + r.get(0) + "', which "
                    + (superuser ? "is a superuser" : owner ? "owns the ledger's tables" : rewrites ? "may rewrite journals"
                            : "may create objects in schema " + r.get(5))
                    + ": connect DATABASE_URL/DATABASE_USER as a login role in " + Migrations.RUNTIME_ROLE
                    + " and run migrations as the owner (DATABASE_MIGRATION_URL)");
        }
    }

    /**
     * pgjdbc's {@code loginTimeout} of every pool (the apps set the same in commdesk-api.properties and
     * commdesk-worker.properties): how long a new connection may wait for the server's answers.
     */
    public static final int LOGIN_TIMEOUT_SECONDS = 10;

    /** Opens a pool of {@code maxPoolSize} connections. The password is never logged. */
    public static LedgerDatabase open(String jdbcUrl, String user, String password, int maxPoolSize) {
        if (maxPoolSize < 1 || maxPoolSize > 200) throw new IllegalArgumentException("maxPoolSize must be 1..200");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null && !user.isBlank()) config.setUsername(user);
        if (password != null && !password.isBlank()) config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setPoolName("ledger");
        config.setConnectionTimeout(10_000);
        // A login that never gets an answer (a server half up, a proxy whose backend is gone) must end: without a limit it
        // holds the pool's only connection-adding thread for ever and the pool never connects again (issue 14).
        config.addDataSourceProperty("loginTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
        HikariDataSource ds = new HikariDataSource(config);
        return new LedgerDatabase(ds, ds);
    }

    /**
     * Opens and closes one connection, or throws with a one-line reason. Used by the standalone apps
     * to refuse to start against a configured but unreachable database. Never logs the password.
     */
    public static void requireReachable(String jdbcUrl, String user, String password, java.time.Duration timeout) {
        java.util.Properties props = new java.util.Properties();
        if (user != null && !user.isBlank()) props.setProperty("user", user);
        if (password != null && !password.isBlank()) props.setProperty("password", password);
        props.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        props.setProperty("loginTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl, props)) {
            if (!c.isValid((int) Math.max(1, timeout.toSeconds()))) throw new java.sql.SQLException("connection is not valid");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + redact(jdbcUrl) + " is unreachable: " + e.getMessage(), e);
        }
    }

    /** A JDBC URL without any password parameter, for messages. */
    static String redact(String jdbcUrl) {
        return jdbcUrl == null ? null : jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    public DataSource dataSource() { return dataSource; }

    public DSLContext dsl() { return dsl; }

    @Override
    public void close() throws Exception {
        if (owned != null) owned.close();
    }
}
