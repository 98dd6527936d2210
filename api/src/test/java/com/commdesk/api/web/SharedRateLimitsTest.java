package com.commdesk.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.ObjectMapper;

/**
 * Two API replicas (two limiters, each with its own connection pool, as two processes would have) on one
 * database draw on one budget per client: the limit is the limit however many replicas answer.
 */
class SharedRateLimitsTest {
    static LedgerDatabase replicaA;
    static LedgerDatabase replicaB;

    @BeforeAll
    static void open() {
        String url = TestDatabases.freshUrl();
        replicaA = LedgerDatabase.open(url, null, null, 2);
        replicaB = LedgerDatabase.open(url, null, null, 2);
    }

    @AfterAll
    static void close() throws Exception {
        replicaA.close();
        replicaB.close();
    }

    static RateLimits limiter(RateLimitBuckets buckets) {
        return new RateLimits(new ProblemResponses(new ObjectMapper()), 5, Map.of(), buckets, new SimpleMeterRegistry());
    }

    static MockHttpServletResponse call(RateLimits limiter, String address) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/ledger/trial-balance");
        request.setRemoteAddr(address);
        MockHttpServletResponse response = new MockHttpServletResponse();
        limiter.doFilter(request, response, new MockFilterChain());
        return response;
    }

    @Test
    void twoReplicasOnOneDatabaseShareOneBudgetPerClient() throws Exception {
        RateLimits a = limiter(RateLimitBuckets.postgres(replicaA.dataSource()));
        RateLimits b = limiter(RateLimitBuckets.postgres(replicaB.dataSource()));
        for (int i = 0; i < 5; i++) {
            assertThat(call(i % 2 == 0 ? a : b, "203.0.113.7").getStatus()).as("request " + (i + 1)).isEqualTo(200);
        }
        MockHttpServletResponse onA = call(a, "203.0.113.7");
        MockHttpServletResponse onB = call(b, "203.0.113.7");
        for (MockHttpServletResponse limited : new MockHttpServletResponse[] {onA, onB}) {
            assertThat(limited.getStatus()).isEqualTo(429);
            assertThat(limited.getContentType()).startsWith("application/problem+json");
            assertThat(Long.parseLong(limited.getHeader("Retry-After"))).isBetween(1L, 60L);
        }
        // Another client has its own budget, on either replica.
        assertThat(call(b, "203.0.113.8").getStatus()).isEqualTo(200);
        assertThat(replicaA.dsl().fetchCount(replicaA.dsl().selectFrom("rate_limit_bucket"))).isEqualTo(2);
    }

    /**
     * The payment service is one client: at 100 requests/s every request of the API used to take its own
     * transaction and SELECT ... FOR UPDATE of the same row, so requests queued on that row lock, each
     * holding a pooled connection (issue 13: POST p99 8.2 s). Concurrent requests of one client now share
     * a round trip; the budget is still spent exactly.
     */
    @Test
    void concurrentRequestsOfOneClientShareRoundTripsAndSpendTheBudgetExactly() throws Exception {
        java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        javax.sql.DataSource real = replicaA.dataSource();
        // Every round trip takes 50 ms, so requests arriving meanwhile have to wait for it.
        javax.sql.DataSource slow = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                        Thread.sleep(50);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RateLimits limiter = new RateLimits(new ProblemResponses(new ObjectMapper()), 40, Map.of(), RateLimitBuckets.postgres(slow), registry);
        int requests = 64;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(requests)) {
            for (int i = 0; i < requests; i++) {
                statuses.add(pool.submit(() -> {
                    go.await();
                    return call(limiter, "192.0.2.50").getStatus();
                }));
            }
            go.countDown();
            int ok = 0, limited = 0;
            for (var f : statuses) {
                if (f.get() == 200) ok++;
                else if (f.get() == 429) limited++;
            }
            assertThat(ok).as("exactly the budget").isEqualTo(40);
            assertThat(limited).isEqualTo(requests - 40);
        }
        assertThat(connections.get()).as("database round trips for " + requests + " concurrent requests of one client")
                .isLessThan(requests / 4);
        assertThat(registry.counter("commdesk.api.rate-limit.store.failures").count()).as("requests let through unmetered").isZero();

        // A batch that finds no row (first requests together, or the row purged while idle) still meters them.
        replicaA.dsl().execute("delete from rate_limit_bucket where id = 'addr:192.0.2.50'");
        java.util.concurrent.CountDownLatch again = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Integer>> more = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                more.add(pool.submit(() -> {
                    again.await();
                    return call(limiter, "192.0.2.50").getStatus();
                }));
            }
            again.countDown();
            for (var f : more) assertThat(f.get()).isEqualTo(200);
        }
        assertThat(registry.counter("commdesk.api.rate-limit.store.failures").count()).as("requests let through unmetered").isZero();
    }

    @Test
    void inMemoryBucketsAreOnePerProcessAsConfigured() throws Exception {
        RateLimits a = limiter(RateLimitBuckets.inMemory());
        RateLimits b = limiter(RateLimitBuckets.inMemory());
        for (int i = 0; i < 5; i++) assertThat(call(a, "198.51.100.1").getStatus()).isEqualTo(200);
        assertThat(call(a, "198.51.100.1").getStatus()).isEqualTo(429);
        assertThat(call(b, "198.51.100.1").getStatus()).as("another process's own budget").isEqualTo(200);
    }
}
