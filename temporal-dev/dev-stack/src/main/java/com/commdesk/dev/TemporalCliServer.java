package com.commdesk.dev;

import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real Temporal server, as the Temporal CLI's {@code temporal server start-dev} runs it (SQLite
 * state in one file, Web UI built in), started as a child process of the dev stack and stopped with it.
 * The CLI is found through {@code COMMDESK_TEMPORAL_CLI}, then {@code temporal} on the PATH, then the
 * pinned copy that {@code temporal-dev/real-temporal/temporal-cli.sh install} puts under {@code .tools}.
 */
final class TemporalCliServer implements AutoCloseable {
    static final String PINNED_RELATIVE = "temporal-dev/real-temporal/.tools/venv/bin/temporal";

    private final Process process;
    private final String address;
    private final String uiUrl;
    private final Path stateFile;
    private final Path log;

    private TemporalCliServer(Process process, String address, String uiUrl, Path stateFile, Path log) {
        this.process = process;
        this.address = address;
        this.uiUrl = uiUrl;
        this.stateFile = stateFile;
        this.log = log;
    }

    static Optional<Path> find(Map<String, String> env) {
        String explicit = env.get("COMMDESK_TEMPORAL_CLI");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit.trim());
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path p = Path.of(dir, "temporal");
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        // The repository's pinned copy, from the working directory or one of its parents (README runs from the root).
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(PINNED_RELATIVE);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /**
     * Starts the server and waits until its frontend answers a health check. {@code stateFile} keeps
     * every workflow history; pass a fresh file for a fresh server, the same file to resume after a restart.
     */
    static TemporalCliServer start(Path cli, String host, int port, int uiPort, Path stateFile, Duration timeout) {
        try {
            Files.createDirectories(stateFile.toAbsolutePath().getParent());
            Path log = stateFile.resolveSibling(stateFile.getFileName() + ".log");
            List<String> command = new ArrayList<>(List.of(cli.toString(), "server", "start-dev",
                    "--ip", host, "--port", Integer.toString(port), "--ui-port", Integer.toString(uiPort),
                    "--db-filename", stateFile.toString(), "--log-level", "warn"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            TemporalCliServer server = new TemporalCliServer(process, host + ":" + port, "http://" + host + ":" + uiPort, stateFile, log);
            try {
                server.awaitHealthy(timeout);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the Temporal CLI dev server (" + cli + "): " + e.getMessage(), e);
        }
    }

    private void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Temporal CLI dev server exited with " + process.exitValue() + "; see " + log);
            }
            WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                    WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
            try {
                stubs.healthCheck();
                return;
            } catch (RuntimeException e) {
                last = e;
            } finally {
                stubs.shutdownNow();
            }
            sleep(250);
        }
        throw new IllegalStateException("the Temporal CLI dev server on " + address + " did not answer within " + timeout
                + (last == null ? "" : " (" + last.getMessage() + ")") + "; see " + log);
    }

    String address() { return address; }

    String uiUrl() { return uiUrl; }

    Path stateFile() { return stateFile; }

    long pid() { return process.pid(); }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
