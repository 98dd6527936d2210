import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Target;

/**
 * Build step (run by exec-maven-plugin in generate-sources, see ledger-db/pom.xml): applies the
 * Liquibase changelog to a throwaway database on a real PostgreSQL and generates jOOQ code from
 * it, so the generated code can never drift from the changelog and is never edited by hand.
 *
 * <p>PostgreSQL comes from COMMDESK_TEST_DATABASE_URL (a JDBC URL of any database on a server
 * where we may CREATE DATABASE) when set, else from an embedded PostgreSQL (zonky), so a fresh
 * clone needs no Docker and no installed server. jOOQ's H2-based LiquibaseDatabase is not used:
 * it gets jsonb, timestamptz and partial indexes wrong.
 *
 * <p>Args: resourcesDir outputDir packageName fingerprintExtra
 */
public class GenerateJooq {
    private static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";
    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("liquibase");

    public static void main(String[] args) throws Exception {
        Path resources = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String packageName = args[2];
        String fingerprintExtra = args.length > 3 ? args[3] : "";

        String fingerprint = fingerprint(resources.resolve("db/changelog"), fingerprintExtra);
        Path stamp = out.resolve(".inputs.sha256");
        if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(fingerprint)) {
            System.out.println("[jooq] generated code is up to date with the changelog (" + fingerprint.substring(0, 12) + ")");
            return;
        }

        String adminUrl = System.getenv("COMMDESK_TEST_DATABASE_URL");
        long started = System.nanoTime();
        if (adminUrl != null && !adminUrl.isBlank()) {
            generateOnServer(adminUrl, resources, out, packageName);
        } else {
            try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
                generateOnServer(pg.getJdbcUrl("postgres", "postgres"), resources, out, packageName);
            }
        }
        Files.writeString(stamp, fingerprint);
        System.out.printf("[jooq] generated %s from the changelog in %d ms%n", packageName, (System.nanoTime() - started) / 1_000_000);
    }

    private static void generateOnServer(String adminUrl, Path resources, Path out, String packageName) throws Exception {
        String dbName = "commdesk_codegen_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        String dbUrl = withDatabase(adminUrl, dbName);
        try (Connection admin = DriverManager.getConnection(adminUrl)) {
            admin.createStatement().execute("create database " + dbName);
        }
        try {
            try (Connection c = DriverManager.getConnection(dbUrl)) {
                Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
                // Liquibase's console summary would drown the build log; keep warnings only.
                QUIET.setLevel(java.util.logging.Level.WARNING);
                liquibase.Scope.child(java.util.Map.of(
                        liquibase.Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(resources),
                        liquibase.Scope.Attr.ui.name(), new liquibase.ui.LoggerUIService()),
                        () -> new liquibase.command.CommandScope(liquibase.command.core.UpdateCommandStep.COMMAND_NAME)
                                .addArgumentValue(liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                                .addArgumentValue(liquibase.command.core.UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
                                .addArgumentValue(liquibase.command.core.helpers.ShowSummaryArgument.SHOW_SUMMARY_OUTPUT,
                                        liquibase.UpdateSummaryOutputEnum.LOG)
                                .setOutput(java.io.OutputStream.nullOutputStream())
                                .execute());
            }
            deleteRecursively(out);
            GenerationTool.generate(new Configuration()
                    .withJdbc(new Jdbc().withDriver("org.postgresql.Driver").withUrl(dbUrl))
                    .withGenerator(new Generator()
                            .withDatabase(new org.jooq.meta.jaxb.Database()
                                    .withName("org.jooq.meta.postgres.PostgresDatabase")
                                    .withInputSchema("public")
                                    .withOutputSchemaToDefault(true)
                                    .withExcludes("databasechangelog|databasechangeloglock|ledger_.*_(change|balanced|same_tx)"))
                            .withGenerate(new Generate()
                                    .withJavaTimeTypes(true)
                                    .withRecords(true)
                                    .withPojos(false)
                                    .withRoutines(false)
                                    .withFluentSetters(true))
                            .withTarget(new Target().withPackageName(packageName).withDirectory(out.toString()))));
        } finally {
            try (Connection admin = DriverManager.getConnection(adminUrl)) {
                admin.createStatement().execute("drop database if exists " + dbName + " with (force)");
            }
        }
    }

    /** Replaces the database name in a JDBC URL, keeping host, port and parameters. */
    static String withDatabase(String jdbcUrl, String dbName) {
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        String params = q < 0 ? "" : jdbcUrl.substring(q);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + dbName + params;
    }

    private static String fingerprint(Path changelogDir, String extra) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(extra.getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.walk(changelogDir)) {
            List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
            for (Path f : sorted) {
                sha.update(changelogDir.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(f));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) Files.delete(p);
        }
    }
}
