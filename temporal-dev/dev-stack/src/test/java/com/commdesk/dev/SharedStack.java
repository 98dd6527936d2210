package com.commdesk.dev;

import com.commdesk.ledger.testing.TestDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * One dev stack for all end-to-end tests in this JVM (starting one takes seconds): PostgreSQL from
 * TestDatabases (a fresh database of this test run), the in-process Temporal server and the
 * Cashfree simulator on free ports. Everything is reached over HTTP, as a client would.
 */
final class SharedStack {
    private static DevStack stack;
    private static com.commdesk.ledger.LedgerDatabase db;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SharedStack() {}

    static synchronized DevStack get() {
        if (stack == null) {
            stack = startIsolated(Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
        }
        return stack;
    }

    /**
     * A stack of its own (its own fresh database, Temporal and simulator), for tests that must not share
     * state with the others, e.g. because they corrupt the books on purpose. {@code settings} are added to
     * the test defaults ("commdesk.*" pass through to the apps). The caller closes it.
     */
    static DevStack startIsolated(Map<String, String> settings) {
        // Every simulated payment has the same customer: raise the velocity limit so only the
        // fraud tests (which use the blocklist) are flagged.
        // COMMDESK_TEST_TEMPORAL=cli runs every end-to-end test on the real Temporal server (the CLI's dev
        // server, fresh state); the default is Temporal's Java test server, which needs nothing but a JDK.
        Map<String, String> env = new java.util.HashMap<>(Map.of("DATABASE_URL", TestDatabases.freshUrl(),
                "commdesk.fraud.max-per-customer", "100000",
                "COMMDESK_TEMPORAL", System.getenv().getOrDefault("COMMDESK_TEST_TEMPORAL", "test-server")));
        System.getenv().forEach((k, v) -> {
            if (k.equals("PATH") || k.equals("COMMDESK_TEMPORAL_CLI")) env.put(k, v);
        });
        env.putAll(settings);
        return DevStack.start(new DevStack.Options("127.0.0.1", 0, 0, freePort(), freePort(), 0, env));
    }

    /** A small pool on the stack's database, for tests that check what was written. */
    static synchronized com.commdesk.ledger.LedgerDatabase db() {
        if (db == null) {
            db = com.commdesk.ledger.LedgerDatabase.open(get().databaseUrl(), null, null, 2);
            com.commdesk.ledger.LedgerDatabase pool = db;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pool.close();
                } catch (Exception ignored) {
                    // the JVM is ending
                }
            }));
        }
        return db;
    }

    /** A single number from SQL on the stack's database. */
    static long count(String sql, Object... binds) {
        return ((Number) db().dsl().fetchValue(sql, binds)).longValue();
    }

    static String api(String path) {
        return "http://127.0.0.1:" + get().apiPort() + path;
    }

    static HttpResponse<String> post(String path, String idempotencyKey, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api(path))).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
        return send(b.build());
    }

    static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(api(path))).timeout(Duration.ofSeconds(20)).GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
