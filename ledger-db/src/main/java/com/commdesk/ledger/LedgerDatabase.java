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

    /** What the apps do at start-up: bring the schema up to date (if asked), then wrap the pool. */
    public static LedgerDatabase migratedOver(DataSource dataSource, boolean migrate, boolean demoData) {
        if (migrate) Migrations.migrate(dataSource, demoData);
        return over(dataSource);
    }

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
