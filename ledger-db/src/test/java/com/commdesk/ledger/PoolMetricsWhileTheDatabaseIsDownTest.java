package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.testing.DatabaseProxy;
import com.commdesk.ledger.testing.TestDatabases;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What alert CommDeskDatabaseUnreachable reads (ops/prometheus/alerts.yml), on a real HikariCP pool reporting through
 * Micrometer as the apps' pools do: while PostgreSQL is gone (connections cut, new ones refused) a pool with requests
 * waiting has no connection at all ({@code hikaricp_connections} 0, {@code hikaricp_connections_pending} above 0);
 * a pool that is merely busy has requests waiting and its connections open. Issue 14, failure scenario 3.
 */
class PoolMetricsWhileTheDatabaseIsDownTest {
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    private double gauge(String name) {
        return metrics.get(name).tag("pool", "alert-probe").gauge().value();
    }

    private HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("alert-probe");
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(4_000);
        config.addDataSourceProperty("loginTimeout", "10");
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        return new HikariDataSource(config);
    }

    @Test
    @Timeout(400)
    void aPoolCutOffFromItsServerHasNoConnectionWhileRequestsWait() throws Exception {
        try (DatabaseProxy proxy = new DatabaseProxy(TestDatabases.freshUrl());
             HikariDataSource ds = pool(proxy.url(), 4);
             ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(5)).isTrue();
            }
            await(() -> gauge("hikaricp.connections") == 4, "the pool filled");

            // PostgreSQL goes away: every connection cut, new ones refused. Requests keep coming.
            proxy.mode(DatabaseProxy.Mode.REFUSE);
            proxy.cutAll();
            boolean seen = false;
            long until = System.nanoTime() + 20_000_000_000L;
            while (!seen && System.nanoTime() < until) {
                for (int i = 0; i < 3; i++) {
                    requests.submit(() -> {
                        try (Connection c = ds.getConnection(); var st = c.createStatement()) {
                            st.execute("select 1");
                        }
                        return null;
                    });
                }
                Thread.sleep(300);
                seen = gauge("hikaricp.connections") == 0 && gauge("hikaricp.connections.pending") > 0;
            }
            assertThat(seen).as("while the server is gone: no connection in the pool and requests waiting (last: %s connections, %s waiting)",
                    gauge("hikaricp.connections"), gauge("hikaricp.connections.pending")).isTrue();

            // The server is back: the pool connects by itself and nothing waits.
            proxy.mode(DatabaseProxy.Mode.PASS);
            await(() -> {
                try (Connection c = ds.getConnection()) {
                    return c.isValid(2);
                } catch (Exception stillDown) {
                    return false;
                }
            }, "a connection once the server is back");
            await(() -> gauge("hikaricp.connections") > 0 && gauge("hikaricp.connections.pending") == 0, "the pool is whole again");
        }
    }

    @Test
    @Timeout(400)
    void aBusyPoolHasRequestsWaitingAndItsConnectionsOpen() throws Exception {
        try (HikariDataSource ds = pool(TestDatabases.freshUrl(), 1);
             ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
             Connection held = ds.getConnection()) {
            requests.submit(() -> {
                try (Connection c = ds.getConnection()) {
                    return c.isValid(1);
                }
            });
            await(() -> gauge("hikaricp.connections.pending") > 0, "a request waiting for the busy pool");
            assertThat(gauge("hikaricp.connections")).as("the busy pool's connection stays open").isEqualTo(1.0);
        }
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition, String what) throws Exception {
        long until = System.nanoTime() + 30_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > until) throw new AssertionError("not within 30 s: " + what);
            Thread.sleep(100);
        }
    }
}
