package com.commdesk.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The failure suite's own PostgreSQL server, so that scenario 3 can crash and restart it under load: the server
 * binaries the tests already use (zonky's embedded PostgreSQL, no local installation needed, runs as root here),
 * its data directory in target/failure/postgres, on a port of its own that a restart keeps. A crash is SIGKILL of
 * the postmaster and every server process; the restart on the same data directory replays the WAL (crash
 * recovery), as after a power loss or an OOM kill. {@code synchronous_commit} is on, as in production: a commit a
 * client saw is in the WAL on disk.
 */
final class FailurePostgres implements AutoCloseable {
    private final Path data;
    /** The server's own log (every start appends): what crash recovery did. */
    private final Path log;
    private final int port = DevStack.freePort();
    private EmbeddedPostgres server;

    private FailurePostgres(Path data, Path log) {
        this.data = data;
        this.log = log;
    }

    static FailurePostgres start(Path dir) throws IOException {
        FailurePostgres pg = new FailurePostgres(dir.resolve("postgres"), dir.resolve("postgres.log"));
        pg.startServer();
        return pg;
    }

    private void startServer() throws IOException {
        server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("synchronous_commit", "on").setServerConfig("max_connections", "200")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setPGStartupWait(Duration.ofSeconds(120)).setRegisterShutdownHook(true).start();
    }

    /** A superuser's URL of the server's postgres database (for CREATE DATABASE). */
    String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** SIGKILL of the postmaster and every server process: no shutdown checkpoint, connections cut mid-transaction. */
    long crash() throws Exception {
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        postmaster.onExit().get(10, TimeUnit.SECONDS);
        for (ProcessHandle c : children) c.onExit().get(10, TimeUnit.SECONDS);
        // Releases zonky's lock on the data directory; its "pg_ctl stop" finds no server and says so in the log.
        server.close();
        return pid;
    }

    /** The server again on the same data directory and port; returns once it accepts connections (crash recovery done). */
    void restart() throws IOException {
        startServer();
    }

    /** The lines of the server's log about its last start's recovery ("was interrupted", "redo ..."). */
    List<String> recoveryLog() throws IOException {
        List<String> lines = Files.readAllLines(log);
        int lastStart = 0;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("starting PostgreSQL")) lastStart = i;
        return lines.subList(lastStart, lines.size()).stream()
                .filter(l -> l.contains("interrupted") || l.contains("redo") || l.contains("not properly shut down")
                        || l.contains("automatic recovery")).toList();
    }

    @Override
    public void close() throws IOException {
        if (server != null) server.close();
        server = null;
    }
}
