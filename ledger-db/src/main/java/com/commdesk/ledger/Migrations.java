package com.commdesk.ledger;

import java.sql.Connection;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import java.io.OutputStream;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/** Applies the Liquibase changelog (the one source of the schema) to a database. */
public final class Migrations {
    public static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";

    private Migrations() {}

    /** The group role the API and the worker's login roles are members of (changelog 019). */
    public static final String RUNTIME_ROLE = "commdesk_runtime";

    /**
     * Brings the schema up to date, connected as the migration owner (never the runtime role), then
     * applies the runtime role's privileges. Safe to run concurrently from several processes: Liquibase
     * takes its own lock row. {@code includeDemoData} also applies changesets with context "demo"
     * (a demo community for the embedded platform and tests); production runs without it.
     */
    public static void migrate(DataSource dataSource, boolean includeDemoData) {
        QUIET.setLevel(Level.WARNING);
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Scope.child(Map.of(
                    Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor(Migrations.class.getClassLoader()),
                    Scope.Attr.ui.name(), new LoggerUIService()), () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                    .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
                    .addArgumentValue(UpdateCommandStep.CONTEXTS_ARG, includeDemoData ? "demo" : "production")
                    .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                    .setOutput(OutputStream.nullOutputStream())
                    .execute());
            // Every table the changelog created, whoever's changeset it was, gets exactly the runtime
            // role's declared privileges (runtime_access_policy; docs/ledger.md, "Two roles").
            try (var statement = connection.createStatement()) {
                statement.execute("select ledger_apply_runtime_grants()");
            }
            if (!connection.getAutoCommit()) connection.commit();
        } catch (Exception e) {
            throw new IllegalStateException("database migration failed: " + e.getMessage(), e);
        }
    }

    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final Logger QUIET = Logger.getLogger("liquibase");
}
