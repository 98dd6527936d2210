package com.commdesk.activities.cashfree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.cashfree.sim.CashfreeSimulator;
import com.commdesk.cashfree.sim.Fault;
import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.cashfree.sim.SimulatorConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How Cashfree's failures reach callers: the exception types, retryability, and no secret in messages. */
class CashfreePgAdapterFailureTest {

    static final Duration TIMEOUT = Duration.ofMillis(700);
    static CashfreeSimulator sim;
    static CashfreePgAdapter adapter;

    @BeforeAll
    static void start() {
        sim = CashfreeTestSupport.startSimulator();
        adapter = new CashfreePgAdapter(CashfreeTestSupport.configFor(sim, TIMEOUT));
    }

    @AfterAll
    static void stop() {
        adapter.close();
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.reset();
        sim.createPaidOrder("order_ok", 10_000, "INR", Map.of(), PaymentMethod.UPI);
    }

    private static void assertNoSecret(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertThat(String.valueOf(c.getMessage())).doesNotContain(CashfreeTestSupport.CLIENT_SECRET);
            assertThat(c.toString()).doesNotContain(CashfreeTestSupport.CLIENT_SECRET);
        }
    }

    @Test
    void unknownOrderIsNotFound() {
        assertThatThrownBy(() -> adapter.fetchOrder("order_missing"))
                .isInstanceOfSatisfying(CashfreeNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).contains("order_not_found");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("order_missing");
                });
        assertThatThrownBy(() -> adapter.fetchPayments("order_missing")).isInstanceOf(CashfreeNotFoundException.class);
    }

    @Test
    void wrongSecretIsRejectedAndTheMessageHasNoSecret() {
        // Same static SDK credentials, but this "Cashfree" expects another secret: our secret is the wrong one.
        try (CashfreeSimulator other = CashfreeSimulator.start(new SimulatorConfig("127.0.0.1", 0,
                CashfreeTestSupport.CLIENT_ID, "a-different-secret"));
             CashfreePgAdapter wrong = new CashfreePgAdapter(CashfreeTestSupport.configFor(other, TIMEOUT))) {
            other.createOrder("order_ok", 100, "INR", Map.of());
            assertThatThrownBy(() -> wrong.fetchOrder("order_ok"))
                    .isInstanceOfSatisfying(CashfreeRejectedException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(401);
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("authentication_error");
                        assertThat(e.getMessage()).doesNotContain("a-different-secret");
                        assertNoSecret(e);
                    });
        }
        // the first adapter still works after the second one closed (shared, reference-counted credentials)
        assertThat(adapter.fetchOrder("order_ok").status()).isEqualTo("PAID");
    }

    @Test
    void serviceUnavailableIsRetryable() {
        sim.faults().unavailableNext(1);
        assertThatThrownBy(() -> adapter.fetchOrder("order_ok"))
                .isInstanceOfSatisfying(CashfreeUnavailableException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.retryable()).isTrue();
                    assertNoSecret(e);
                });
        assertThat(adapter.fetchOrder("order_ok").amountPaise()).isEqualTo(10_000);
    }

    @Test
    void rateLimitIsRetryable() {
        sim.faults().add(Fault.rateLimited().onPath("/pg/orders/order_ok/payments").times(1));
        assertThatThrownBy(() -> adapter.fetchPayments("order_ok"))
                .isInstanceOfSatisfying(CashfreeUnavailableException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(429);
                    assertThat(e.errorCode()).contains("request_failed");
                });
        assertThat(adapter.fetchPayments("order_ok")).hasSize(1);
    }

    @Test
    void hangIsATimeoutAndRetryable() {
        sim.faults().add(Fault.hang().onPath("/pg/orders/order_ok").maxHang(Duration.ofSeconds(30)));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> adapter.fetchOrder("order_ok"))
                .isInstanceOfSatisfying(CashfreeUnavailableException.class, e -> {
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.getCause()).isInstanceOf(IOException.class);
                    assertThat(e.getMessage()).contains("timed out");
                    assertNoSecret(e);
                });
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertThat(ms).isBetween(TIMEOUT.toMillis() - 50, TIMEOUT.toMillis() + 2_000);
        sim.faults().clear();
        assertThat(adapter.fetchOrder("order_ok").status()).isEqualTo("PAID");
    }

    @Test
    void slowerThanTheTimeoutIsUnavailable() {
        sim.faults().add(Fault.slow(TIMEOUT.plusMillis(500)).times(1));
        assertThatThrownBy(() -> adapter.fetchPayments("order_ok")).isInstanceOf(CashfreeUnavailableException.class);
    }

    @Test
    void slowButWithinTheTimeoutSucceeds() {
        sim.faults().add(Fault.slow(Duration.ofMillis(200)).times(1));
        assertThat(adapter.fetchOrder("order_ok").status()).isEqualTo("PAID");
    }

    @Test
    void connectionRefusedIsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CashfreeConfig nowhere = CashfreeTestSupport.configFor(sim, TIMEOUT)
                .withBaseUrlOverride("http://127.0.0.1:" + closedPort);
        try (CashfreePgAdapter a = new CashfreePgAdapter(nowhere)) {
            assertThatThrownBy(() -> a.fetchOrder("order_ok"))
                    .isInstanceOfSatisfying(CashfreeUnavailableException.class, e -> {
                        assertThat(e.getMessage()).contains("I/O error");
                        assertNoSecret(e);
                    });
        }
    }

    @Test
    void a404ThatIsNotCashfreesNotFoundIsAMisconfigurationNotAMissingOrder() {
        CashfreeConfig wrongPrefix = CashfreeTestSupport.configFor(sim, TIMEOUT)
                .withBaseUrlOverride(sim.baseUrl() + "/not-cashfree");
        try (CashfreePgAdapter a = new CashfreePgAdapter(wrongPrefix)) {
            assertThatThrownBy(() -> a.fetchOrder("order_ok"))
                    .isInstanceOfSatisfying(CashfreeRejectedException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(404);
                        assertThat(e.getMessage()).contains("bad URL");
                    });
        }
        assertThat(sim.requestCount("/not-cashfree/pg/orders/order_ok")).isEqualTo(1);
    }

    /** createOrder and createRefund (our own HTTP, not the SDK's) map failures exactly as the SDK's calls do. */
    @Test
    void writesMapFailuresLikeReads() {
        NewOrder order = new NewOrder("order_w", 10_000, "INR", "cust_1", "9876543210", Map.of());
        sim.faults().unavailableNext(1);
        assertThatThrownBy(() -> adapter.createOrder(order))
                .isInstanceOfSatisfying(CashfreeUnavailableException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("createOrder(order_w)");
                    assertNoSecret(e);
                });
        assertThat(adapter.createOrder(order).amountPaise()).isEqualTo(10_000);

        sim.faults().add(Fault.rateLimited().onPath("/pg/orders/order_ok/refunds").times(1));
        assertThatThrownBy(() -> adapter.createRefund("order_ok", "rf_w", 100, null))
                .isInstanceOfSatisfying(CashfreeUnavailableException.class, e -> assertThat(e.httpStatus()).isEqualTo(429));

        sim.faults().add(Fault.hang().onPath("/pg/orders/order_ok/refunds").maxHang(Duration.ofSeconds(30)));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> adapter.createRefund("order_ok", "rf_w", 100, null))
                .isInstanceOfSatisfying(CashfreeUnavailableException.class, e -> {
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.getCause()).isInstanceOf(IOException.class);
                    assertThat(e.getMessage()).contains("timed out");
                    assertNoSecret(e);
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0).toMillis()).isBetween(TIMEOUT.toMillis() - 50, TIMEOUT.toMillis() + 2_000);
        sim.faults().clear();
        assertThat(adapter.createRefund("order_ok", "rf_w", 100, null).amountPaise()).isEqualTo(100);

        assertThatThrownBy(() -> adapter.createRefund("order_missing", "rf_w2", 100, null))
                .isInstanceOfSatisfying(CashfreeNotFoundException.class, e -> assertThat(e.errorCode()).contains("order_not_found"));
        assertThatThrownBy(() -> adapter.createRefund("order_ok", "rf_w3", 1_000_000, null))
                .isInstanceOfSatisfying(CashfreeRejectedException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.errorCode()).contains("refund_amount_invalid");
                });

        try (CashfreeSimulator other = CashfreeSimulator.start(new SimulatorConfig("127.0.0.1", 0,
                CashfreeTestSupport.CLIENT_ID, "a-different-secret"));
             CashfreePgAdapter wrong = new CashfreePgAdapter(CashfreeTestSupport.configFor(other, TIMEOUT))) {
            assertThatThrownBy(() -> wrong.createOrder(order))
                    .isInstanceOfSatisfying(CashfreeRejectedException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(401);
                        assertThat(e.getMessage()).contains("authentication_error");
                        assertNoSecret(e);
                    });
        }
        CashfreeConfig wrongPrefix = CashfreeTestSupport.configFor(sim, TIMEOUT).withBaseUrlOverride(sim.baseUrl() + "/not-cashfree");
        try (CashfreePgAdapter a = new CashfreePgAdapter(wrongPrefix)) {
            // A 404 that is not Cashfree's order_not_found, and a fetch that cannot say either: unknown, never a
            // refusal (review F-M2: a create is refused only when Cashfree shows it has no such order).
            assertThatThrownBy(() -> a.createOrder(order))
                    .isInstanceOfSatisfying(CashfreeUnavailableException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(404);
                        assertThat(e.getMessage()).contains("bad URL", "outcome unknown");
                    });
        }
        // The POST, then the GET of the order that could not say whether it exists.
        assertThat(sim.requestCount("/not-cashfree/pg/orders")).isEqualTo(2);
        assertThat(sim.requestCount("/not-cashfree/pg/orders/order_w")).isEqualTo(1);
    }

    @Test
    void aSecondAdapterWithOtherCredentialsIsRefusedWithoutShowingSecrets() {
        CashfreeConfig other = new CashfreeConfig("OTHER_ID", "other-secret-value", CashfreeConfig.Environment.SANDBOX,
                sim.baseUrl(), null, TIMEOUT);
        assertThatThrownBy(() -> new CashfreePgAdapter(other))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("static fields")
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("other-secret-value");
                    assertNoSecret(e);
                });
        assertThat(adapter.fetchOrder("order_ok").status()).isEqualTo("PAID");
    }

    @Test
    void aClosedAdapterRefusesCalls() {
        CashfreePgAdapter a = new CashfreePgAdapter(CashfreeTestSupport.configFor(sim, TIMEOUT));
        a.close();
        a.close();
        assertThatThrownBy(() -> a.fetchOrder("order_ok")).isInstanceOf(IllegalStateException.class);
        assertThat(adapter.fetchOrder("order_ok").status()).isEqualTo("PAID");
    }
}
