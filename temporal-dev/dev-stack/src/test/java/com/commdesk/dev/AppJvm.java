package com.commdesk.dev;

import com.commdesk.dev.metrics.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One app, the API or a worker, as its own operating-system process: {@code java -cp <this test's classpath>
 * AppLauncher api|worker}, the standalone app's own main (production mode: it refuses to start without real
 * infrastructure), configured by environment like a deployed replica. The failure suite starts one API and
 * several workers on one task queue, kills them with SIGKILL ({@link #kill9()}) and starts an API again on its
 * port ({@link #restart()}).
 */
final class AppJvm implements AutoCloseable {
    final String name;
    final int port;
    final Path log;
    private final ProcessBuilder command;
    private volatile Process process;
    private volatile PrometheusText lastScrape;
    /** The bearer tokens the scrape sends (the API's /actuator/prometheus needs PLATFORM_ADMIN or OPS); null for a worker. */
    private volatile java.util.function.Supplier<String> scrapeToken;
    private int refusals;

    private AppJvm(String name, int port, Path log, ProcessBuilder command) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.command = command;
    }

    /**
     * Starts a worker with {@code env} (DATABASE_URL, TEMPORAL_ADDRESS, CASHFREE_* as the dev stack gives its
     * own apps) and {@code settings} ("commdesk.*", as command-line properties); its output goes to a log file
     * in {@code dir}.
     */
    static AppJvm worker(String name, Map<String, String> env, Map<String, String> settings, Path dir) {
        return start("worker", "WORKER", name, env, settings, dir);
    }

    /** Starts the API (the same configuration as a worker's) on a port of its own, which a restart keeps. */
    static AppJvm api(String name, Map<String, String> env, Map<String, String> settings, Path dir) {
        return start("api", "API", name, env, settings, dir);
    }

    private static AppJvm start(String app, String envPrefix, String name, Map<String, String> env, Map<String, String> settings, Path dir) {
        int port = DevStack.freePort();
        Path log = dir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Under surefire the classpath is one manifest jar naming every entry; java honours its Class-Path.
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), AppLauncher.class.getName(), app));
        settings.forEach((k, v) -> command.add("--" + k + "=" + v));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put(envPrefix + "_HOST", "127.0.0.1");
        pb.environment().put(envPrefix + "_PORT", Integer.toString(port));
        pb.environment().put("LOG_FORMAT", "");
        AppJvm w = new AppJvm(name, port, log, pb);
        w.launch();
        return w;
    }

    private void launch() {
        try {
            process = command.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until the app's health is UP (a worker's Temporal workers poll from then on). */
    AppJvm awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                // Exit 2: the worker refused to start because a dependency did not answer within its 5 s start-up
                // check (on this loaded 2-core machine, Temporal sometimes does not); an orchestrator restarts it,
                // until the timeout.
                if (process.exitValue() == 2) {
                    refusals++;
                    System.out.println("  " + name + " refused to start (" + refusals + "x, see " + log + "); restarted, as an orchestrator would");
                    launch();
                    continue;
                }
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            HttpResponse<String> r = get("/actuator/health");
            if (r != null && r.statusCode() == 200 && r.body().contains("\"UP\"")) return this;
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not UP within " + timeout + "; see " + log);
    }

    /** The app's /actuator/prometheus now, or the last one read while it was alive (a killed worker's last words). */
    PrometheusText scrape() {
        PrometheusText now = scrapeNow();
        return now != null ? now : lastScrape == null ? PrometheusText.parse("") : lastScrape;
    }

    /**
     * Scrapes send a token of {@code token} as a bearer token, as Prometheus' scrape of a production API must: the API serves
     * /actuator/prometheus to PLATFORM_ADMIN and OPS only (SecurityConfiguration.RULES); the worker's is unauthenticated.
     */
    AppJvm scrapeWithToken(java.util.function.Supplier<String> token) {
        this.scrapeToken = token;
        return this;
    }

    /**
     * The app's /actuator/prometheus now; null when it does not answer 200 (dead, not up yet, or refusing the scrape),
     * as a failed Prometheus scrape.
     */
    PrometheusText scrapeNow() {
        String bearer = null;
        if (scrapeToken != null) {
            try {
                bearer = scrapeToken.get();
            } catch (RuntimeException e) {
                return null; // no token, no scrape: as Prometheus' oauth2 scrape fails when the token endpoint refuses
            }
        }
        HttpResponse<String> r = process.isAlive() ? get("/actuator/prometheus", bearer) : null;
        if (r == null || r.statusCode() != 200) return null;
        lastScrape = PrometheusText.parse(r.body());
        return lastScrape;
    }

    /** Payments this worker journaled (commdesk_payments_posted_total), as of its last scrape. */
    long posted() {
        return Math.round(scrape().sum("commdesk_payments_posted_total"));
    }

    /** SIGKILL: no shutdown hook, no graceful stop of the Temporal workers or of open requests, work lost mid-way. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException(name + " survived SIGKILL");
    }

    /** The same app started again after a kill, with the same settings on the same port (not waiting for it). */
    void restart() {
        if (process.isAlive()) throw new IllegalStateException(name + " is still running");
        launch();
    }

    /**
     * SIGSTOP, then SIGCONT after {@code pause}: the process keeps its connections but runs no code, as a JVM in a long
     * stop-the-world pause or starved of CPU does.
     */
    void pause(java.time.Duration pause) throws Exception {
        signal("STOP");
        try {
            Thread.sleep(pause.toMillis());
        } finally {
            signal("CONT");
        }
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new IllegalStateException("kill -" + signal + " " + name + " failed");
    }

    private HttpResponse<String> get(String path) {
        return get(path, null);
    }

    private HttpResponse<String> get(String path, String bearer) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).GET();
            if (bearer != null) request.header("Authorization", "Bearer " + bearer);
            return SharedStack.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The end of the suite: the books are checked, nothing is in flight; no graceful drain needed. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) kill9();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
