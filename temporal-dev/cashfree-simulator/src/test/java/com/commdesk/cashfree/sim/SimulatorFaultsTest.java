package com.commdesk.cashfree.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fault injection, from Java and over /__sim/faults. */
class SimulatorFaultsTest {

    static final String ID = "flt-client";
    static final String SECRET = "flt-secret";
    static CashfreeSimulator sim;
    static SimHttp http;

    @BeforeAll
    static void start() {
        sim = CashfreeSimulator.start(new SimulatorConfig("127.0.0.1", 0, ID, SECRET));
        http = new SimHttp(sim.baseUrl(), ID, SECRET);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.reset();
        sim.createOrder("order_f", 100, "INR", Map.of());
    }

    @Test
    void nextNRequestsGet503ThenNormal() {
        sim.faults().unavailableNext(2);
        SimHttp.Resp first = http.get("/pg/orders/order_f");
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.json().get("type").asText()).isEqualTo("api_error");
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(503);
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(200);
        assertThat(sim.faults().active()).isEmpty();
        assertThat(sim.requestCount("/pg/orders/order_f")).isEqualTo(3);
    }

    @Test
    void rateLimitIs429WithRateLimitHeaders() {
        sim.faults().rateLimitNext(1);
        SimHttp.Resp r = http.get("/pg/orders/order_f");
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.json().get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(r.header("x-ratelimit-remaining")).isEqualTo("0");
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(200);
    }

    @Test
    void faultsApplyPerPathPrefix() {
        sim.faults().add(Fault.unavailable().onPath("/pg/orders/order_f/payments"));
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(200);
        assertThat(http.get("/pg/orders/order_f/payments").status()).isEqualTo(503);
        assertThat(http.get("/pg/orders/order_f/payments").status()).isEqualTo(503);
        sim.faults().clear();
        assertThat(http.get("/pg/orders/order_f/payments").status()).isEqualTo(200);
    }

    @Test
    void faultsNeverApplyToControlEndpoints() {
        sim.faults().unavailableNext(100);
        assertThat(http.get("/__sim/health").status()).isEqualTo(200);
        assertThat(http.post("/__sim/orders/order_f/pay", "{\"payment_method\":\"UPI\"}").status()).isEqualTo(200);
        assertThatThrownBy(() -> Fault.unavailable().onPath("/__sim/health")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationLimitedFaultExpires() throws InterruptedException {
        sim.faults().add(Fault.unavailable().lasting(Duration.ofMillis(300)));
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(503);
        Thread.sleep(400);
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(200);
    }

    @Test
    void slowAddsLatencyThenAnswers() {
        sim.faults().add(Fault.slow(Duration.ofMillis(400)).times(1));
        long t0 = System.nanoTime();
        SimHttp.Resp r = http.get("/pg/orders/order_f");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(r.status()).isEqualTo(200);
        assertThat(ms).isGreaterThanOrEqualTo(400);
    }

    @Test
    void hangHoldsTheRequestUntilTheClientTimesOut() {
        sim.faults().add(Fault.hang().onPath("/pg/orders").times(1));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> http.get("/pg/orders/order_f", Duration.ofMillis(300)))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(HttpTimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(300);
        sim.faults().clear(); // releases the held request on the server
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(200);
    }

    @Test
    void clearingFaultsReleasesHangingRequestsAtOnce() throws Exception {
        sim.faults().add(Fault.hang().times(1));
        CompletableFuture<Object> hanging = CompletableFuture.supplyAsync(() -> {
            try {
                return http.get("/pg/orders/order_f", Duration.ofSeconds(20));
            } catch (RuntimeException e) {
                return e;
            }
        });
        Thread.sleep(200);
        assertThat(hanging).isNotDone();
        long t0 = System.nanoTime();
        sim.faults().clear();
        Object outcome = hanging.get(5, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5_000);
        // The connection is dropped without a response: the client either fails, or (java.net.http, like
        // OkHttp, retries an idempotent GET once on a dropped connection) succeeds on a second request.
        if (outcome instanceof SimHttp.Resp resp) {
            assertThat(resp.status()).isEqualTo(200);
            assertThat(sim.requestCount("/pg/orders/order_f")).isEqualTo(2);
        } else {
            assertThat(outcome).isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void faultsOverHttp() {
        SimHttp.Resp added = http.post("/__sim/faults",
                "{\"kind\":\"RATE_LIMITED\",\"path_prefix\":\"/pg/orders/order_f\",\"times\":1}");
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.json().get("faults")).hasSize(1);
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(429);
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(200);

        http.post("/__sim/faults", "{\"kind\":\"UNAVAILABLE\"}");
        assertThat(http.get("/__sim/faults").json().get("faults")).hasSize(1);
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(503);
        assertThat(http.delete("/__sim/faults").json().get("faults")).isEmpty();
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(200);

        http.post("/__sim/faults", "{\"kind\":\"SLOW\",\"delay_ms\":250,\"times\":1}");
        long t0 = System.nanoTime();
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(200);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(250);

        assertThat(http.post("/__sim/faults", "{\"kind\":\"EXPLODE\"}").status()).isEqualTo(400);
        assertThat(http.post("/__sim/faults", "{\"kind\":\"SLOW\"}").status()).isEqualTo(400);
    }

    @Test
    void firstMatchingFaultWinsAndCountsDownIndependently() {
        sim.faults().add(Fault.rateLimited().onPath("/pg/orders/order_f/payments").times(1));
        sim.faults().add(Fault.unavailable().times(2));
        assertThat(http.get("/pg/orders/order_f/payments").status()).isEqualTo(429);
        assertThat(http.get("/pg/orders/order_f/payments").status()).isEqualTo(503);
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(503);
        assertThat(http.get("/pg/orders/order_f").status()).isEqualTo(200);
    }
}
