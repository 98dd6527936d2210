package com.commdesk.activities.cashfree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What createOrder and createRefund put on the wire, against a bare HTTP server that records each request
 * and answers what the test says: the path, the headers the cashfree_pg SDK sent for these calls (read off
 * the wire from SDK 4.0.7), the idempotency keys, and how a 2xx that is not an answer is treated.
 */
class CashfreePgWireTest {

    record Seen(String method, String path, Headers headers, String body) {}

    HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String answer;
    /** If set, GETs are answered 200 with this (or 404 refund_not_found if it is "404"), POSTs as above. */
    volatile String getAnswer;
    /** The status of a GET answered with getAnswer (other than "404"). */
    volatile int getStatus = 200;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestHeaders(),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            boolean get = getAnswer != null && ex.getRequestMethod().equals("GET");
            boolean getNotFound = get && getAnswer.equals("404");
            byte[] body = (getNotFound ? "{\"message\":\"refund not found\",\"code\":\"refund_not_found\",\"type\":\"invalid_request_error\"}"
                    : get ? getAnswer : answer).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(getNotFound ? 404 : get ? getStatus : status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private CashfreePgAdapter adapter(String prefix) {
        return new CashfreePgAdapter(new CashfreeConfig(CashfreeTestSupport.CLIENT_ID, CashfreeTestSupport.CLIENT_SECRET,
                CashfreeConfig.Environment.SANDBOX, "http://127.0.0.1:" + server.getAddress().getPort() + prefix, null,
                Duration.ofSeconds(5)));
    }

    private static void assertSdkHeaders(Headers h, String idempotencyName) {
        assertThat(h.getFirst("x-client-id")).isEqualTo(CashfreeTestSupport.CLIENT_ID);
        assertThat(h.getFirst("x-client-secret")).isEqualTo(CashfreeTestSupport.CLIENT_SECRET);
        assertThat(h.getFirst("x-api-version")).isEqualTo("2023-08-01");
        assertThat(h.getFirst("x-idempotency-key"))
                .isEqualTo(UUID.nameUUIDFromBytes(idempotencyName.getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(UUID.fromString(h.getFirst("x-request-id"))).isNotNull();
        assertThat(h.getFirst("content-type")).isEqualTo("application/json; charset=utf-8");
        assertThat(h.getFirst("accept")).isEqualTo("application/json");
        assertThat(h.getFirst("x-sdk-platform")).isEqualTo("javasdk-4.0.7");
        assertThat(h.getFirst("user-agent")).isEqualTo("OpenAPI-Generator/4.0.7/java");
    }

    @Test
    void createOrderSendsTheSdksPathHeadersAndIdempotencyKey() {
        answer = "{\"order_id\":\"o_1\",\"cf_order_id\":\"9\",\"order_amount\":100000000000.01,\"order_currency\":\"INR\","
                + "\"order_status\":\"ACTIVE\",\"order_tags\":{\"k\":\"v\"},\"customer_details\":{\"customer_id\":\"cust_1\",\"customer_phone\":\"9876543210\"}}";
        try (CashfreePgAdapter a = adapter("/prefix")) {
            CashfreeOrder o = a.createOrder(new NewOrder("o_1", 10_000_000_000_001L, "INR", "cust_1", "9876543210", Map.of("k", "v")));
            assertThat(o).isEqualTo(new CashfreeOrder("o_1", "9", 10_000_000_000_001L, "INR", "ACTIVE", Map.of("k", "v"), "cust_1"));
        }
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("POST");
            assertThat(s.path()).isEqualTo("/prefix/pg/orders");
            assertSdkHeaders(s.headers(), "commdesk/cashfree/create-order/o_1");
            assertThat(s.body()).contains("\"order_amount\":100000000000.01,");
        });
    }

    @Test
    void createRefundSendsTheSdksPathHeadersAndIdempotencyKey() {
        answer = "{\"refund_id\":\"rf_1\",\"cf_refund_id\":\"77\",\"order_id\":\"o_1\",\"refund_amount\":0.07,\"refund_status\":\"PENDING\"}";
        try (CashfreePgAdapter a = adapter("")) {
            assertThat(a.createRefund("o_1", "rf_1", 7, "seat cancelled"))
                    .isEqualTo(new CashfreeRefunds.CashfreeRefund("rf_1", "77", "o_1", 7, "PENDING"));
        }
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("POST");
            assertThat(s.path()).isEqualTo("/pg/orders/o_1/refunds");
            assertSdkHeaders(s.headers(), "commdesk/cashfree/create-refund/rf_1");
            assertThat(s.body()).isEqualTo("{\"refund_amount\":0.07,\"refund_id\":\"rf_1\",\"refund_note\":\"seat cancelled\"}");
        });
    }

    /**
     * A refund retried with the same x-idempotency-key but other bytes (the SDK build sent "refund_amount":0.07 too,
     * but "25.0" where we send "25.00"): Cashfree's 422 idempotency_error means the key was used, so the refund is
     * fetched and compared; if Cashfree shows no such refund the outcome is unknown (retryable), never "refused"
     * (which would give the money back to members while Cashfree may be paying the customer).
     */
    @Test
    void anIdempotencyConflictOnARefundIsFetchedNeverRefused() {
        status = 422;
        answer = "{\"message\":\"request body differs from the original request with this idempotency key\",\"code\":\"request_invalid\","
                + "\"type\":\"idempotency_error\"}";
        getAnswer = "{\"cf_payment_id\":\"5\",\"cf_refund_id\":\"77\",\"order_id\":\"o_1\",\"refund_id\":\"rf_1\",\"entity\":\"refund\","
                + "\"refund_amount\":25.00,\"refund_currency\":\"INR\",\"refund_status\":\"PENDING\"}";
        try (CashfreePgAdapter a = adapter("")) {
            assertThat(a.createRefund("o_1", "rf_1", 2_500, null)).isEqualTo(new CashfreeRefunds.CashfreeRefund("rf_1", "77", "o_1", 2_500, "PENDING"));
            assertThatThrownBy(() -> a.createRefund("o_1", "rf_1", 2_600, null)).isInstanceOf(CashfreeRejectedException.class)
                    .hasMessageContaining("not 2600");
            getAnswer = "404";
            assertThatThrownBy(() -> a.createRefund("o_1", "rf_1", 2_500, null)).isInstanceOfSatisfying(CashfreeUnavailableException.class,
                    e -> assertThat(e.getMessage()).contains("idempotency"));
        }
    }

    /** A refund status the SDK's enum does not know (FAILED) is "UNKNOWN" from createRefund as from refund(). */
    @Test
    void aRefundStatusTheSdkDoesNotKnowIsUnknown() {
        answer = "{\"refund_id\":\"rf_1\",\"cf_refund_id\":\"77\",\"order_id\":\"o_1\",\"refund_amount\":0.07,\"refund_status\":\"FAILED\"}";
        try (CashfreePgAdapter a = adapter("")) {
            assertThat(a.createRefund("o_1", "rf_1", 7, null).status()).isEqualTo("UNKNOWN");
        }
    }

    @Test
    void a2xxThatIsNotAnAnswerIsUnavailable() {
        try (CashfreePgAdapter a = adapter("")) {
            NewOrder order = new NewOrder("o_1", 100, "INR", "cust_1", "9876543210", Map.of());
            answer = "<html>gateway</html>";
            assertThatThrownBy(() -> a.createOrder(order)).isInstanceOfSatisfying(CashfreeUnavailableException.class,
                    e -> assertThat(e.getMessage()).contains("unreadable response body"));
            answer = "";
            assertThatThrownBy(() -> a.createRefund("o_1", "rf_1", 100, null)).isInstanceOfSatisfying(CashfreeUnavailableException.class,
                    e -> assertThat(e.getMessage()).contains("empty body"));
            // A redirect (not followed) to the create and to the fetch after it: whether the order exists is not known.
            status = 302;
            answer = "{}";
            assertThatThrownBy(() -> a.createOrder(order)).isInstanceOfSatisfying(CashfreeUnavailableException.class,
                    e -> assertThat(e.getMessage()).contains("HTTP 302").contains("outcome unknown"));
        }
    }

    private static final String REFUND_RF_1_25 = "{\"cf_payment_id\":\"5\",\"cf_refund_id\":\"77\",\"order_id\":\"o_1\",\"refund_id\":\"rf_1\","
            + "\"entity\":\"refund\",\"refund_amount\":25.00,\"refund_currency\":\"INR\",\"refund_status\":\"PENDING\"}";
    private static final String ORDER_O_1_100 = "{\"order_id\":\"o_1\",\"cf_order_id\":\"9\",\"order_amount\":1.00,\"order_currency\":\"INR\","
            + "\"order_status\":\"ACTIVE\",\"customer_details\":{\"customer_id\":\"cust_1\",\"customer_phone\":\"9876543210\"}}";

    /**
     * Review F-H1: Cashfree answered 2xx to our create (it did create), but the body cannot be read as the refund
     * or order: a missing field, an amount that is not a JSON number, fractional paise. The outcome is unknown:
     * the refund/order is fetched by id and compared; if Cashfree shows none (or the fetch fails) it is
     * CashfreeUnavailableException (retryable), never CashfreeRejectedException (which gives the money back).
     */
    @Test
    void a2xxAnswerToAWriteThatCannotBeReadIsFetchedOrUnknownNeverRefused() {
        NewOrder order = new NewOrder("o_1", 100, "INR", "cust_1", "9876543210", Map.of());
        try (CashfreePgAdapter a = adapter("")) {
            getAnswer = "404";
            for (String unreadable : List.of("{\"refund_id\":\"rf_1\"}",
                    "{\"refund_id\":\"rf_1\",\"refund_amount\":\"25.00\",\"refund_status\":\"PENDING\"}",
                    "{\"refund_amount\":25.00,\"refund_status\":\"PENDING\"}",
                    "{\"refund_id\":\"rf_1\",\"refund_amount\":25.001,\"refund_status\":\"PENDING\"}")) {
                answer = unreadable;
                assertThatThrownBy(() -> a.createRefund("o_1", "rf_1", 2_500, null)).as(unreadable)
                        .isInstanceOfSatisfying(CashfreeUnavailableException.class, e -> {
                            assertThat(e.retryable()).isTrue();
                            assertThat(e.getMessage()).contains("outcome unknown");
                        });
            }
            for (String unreadable : List.of("{\"order_id\":\"o_1\",\"order_currency\":\"INR\",\"order_status\":\"ACTIVE\"}",
                    "{\"order_id\":\"o_1\",\"order_amount\":\"1.00\",\"order_currency\":\"INR\",\"order_status\":\"ACTIVE\"}",
                    "{\"order_id\":\"o_1\",\"order_amount\":1.001,\"order_currency\":\"INR\",\"order_status\":\"ACTIVE\"}")) {
                answer = unreadable;
                assertThatThrownBy(() -> a.createOrder(order)).as(unreadable)
                        .isInstanceOfSatisfying(CashfreeUnavailableException.class, e -> assertThat(e.getMessage()).contains("outcome unknown"));
            }
            // The fetch fails too (Cashfree's 500): still unknown.
            getAnswer = "{\"message\":\"oops\",\"code\":\"internal\",\"type\":\"api_error\"}";
            getStatus = 500;
            answer = "{\"refund_id\":\"rf_1\"}";
            assertThatThrownBy(() -> a.createRefund("o_1", "rf_1", 2_500, null)).isInstanceOf(CashfreeUnavailableException.class);
            // The fetch shows the refund / order: compared, and the write goes on.
            getStatus = 200;
            getAnswer = REFUND_RF_1_25;
            assertThat(a.createRefund("o_1", "rf_1", 2_500, null)).isEqualTo(new CashfreeRefunds.CashfreeRefund("rf_1", "77", "o_1", 2_500, "PENDING"));
            getAnswer = ORDER_O_1_100;
            answer = "{\"order_id\":\"o_1\",\"order_amount\":\"1.00\",\"order_currency\":\"INR\",\"order_status\":\"ACTIVE\"}";
            assertThat(a.createOrder(order).amountPaise()).isEqualTo(100);
        }
    }

    /**
     * Review s12: any 404 whose code ended in "_not_found" was Cashfree's "no such refund / order", so a gateway's or proxy's
     * {@code route_not_found} could give a refund's reservation back. Only Cashfree's documented codes, with its error type.
     */
    @Test
    void onlyCashfreesDocumentedNotFoundSaysThereIsNoSuchRefundOrOrder() {
        try (CashfreePgAdapter a = adapter("")) {
            for (String body : List.of("{\"message\":\"no route\",\"code\":\"route_not_found\",\"type\":\"invalid_request_error\"}",
                    "{\"message\":\"refund not found\",\"code\":\"refund_not_found\"}",
                    "{\"message\":\"refund not found\",\"code\":\"refund_not_found\",\"type\":\"api_error\"}")) {
                getAnswer = body;
                getStatus = 404;
                assertThatThrownBy(() -> a.refund("o_1", "rf_1")).as(body).isInstanceOf(CashfreeRejectedException.class)
                        .isNotInstanceOf(CashfreeNotFoundException.class);
                assertThatThrownBy(() -> a.fetchOrder("o_1")).as(body).isInstanceOf(CashfreeRejectedException.class)
                        .isNotInstanceOf(CashfreeNotFoundException.class);
            }
            getAnswer = "404"; // Cashfree's own: refund_not_found, invalid_request_error
            assertThat(a.refund("o_1", "rf_1")).isEmpty();
        }
    }

    /** F-H1 through the refund activity: an unreadable 2xx is a retryable "Cashfree unavailable", never CASHFREE_REFUSED. */
    @Test
    void theRefundActivityDoesNotEndRefusedOnAnUnreadable2xx() {
        answer = "{\"refund_id\":\"rf_1\"}";
        getAnswer = "404";
        try (CashfreePgAdapter a = adapter("")) {
            var activities = new com.commdesk.activities.refund.RefundActivitiesImpl(null, null, a, null, null,
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            var request = new com.commdesk.workflows.refund.RefundRequest("rf_1", UUID.randomUUID().toString(),
                    com.commdesk.workflows.refund.RefundRequest.Kind.REFUND, 2_500, "seat cancelled", "someone");
            assertThatThrownBy(() -> activities.askCashfree(request, "o_1"))
                    .isInstanceOfSatisfying(io.temporal.failure.ApplicationFailure.class, f -> {
                        assertThat(f.getType()).isNotEqualTo(com.commdesk.workflows.refund.RefundFailures.CASHFREE_REFUSED).isEqualTo("CashfreeUnavailable");
                        assertThat(f.isNonRetryable()).isFalse();
                    });
        }
    }

    /**
     * Cashfree holds our refund id for another amount (review of F-M2's round): money may be leaving there, so the refund
     * activity must not answer CASHFREE_REFUSED (the workflow would give the reservation back) but hand it to an operator.
     */
    @Test
    void theRefundActivityHandsARefundCashfreeHoldsForAnotherAmountToAnOperator() {
        status = 400;
        answer = "{\"message\":\"request differs\",\"code\":\"request_invalid\",\"type\":\"invalid_request_error\"}";
        getAnswer = REFUND_RF_1_25;
        try (CashfreePgAdapter a = adapter("")) {
            var activities = new com.commdesk.activities.refund.RefundActivitiesImpl(null, null, a, null, null,
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            var request = new com.commdesk.workflows.refund.RefundRequest("rf_1", UUID.randomUUID().toString(),
                    com.commdesk.workflows.refund.RefundRequest.Kind.REFUND, 2_600, "seat cancelled", "someone");
            assertThatThrownBy(() -> activities.askCashfree(request, "o_1"))
                    .isInstanceOfSatisfying(io.temporal.failure.ApplicationFailure.class, f -> {
                        assertThat(f.getType()).isEqualTo(com.commdesk.workflows.refund.RefundFailures.CASHFREE_REFUND_MISMATCH);
                        assertThat(f.isNonRetryable()).isTrue();
                    });
        }
    }

    /** A 3xx to a create (a proxy's answer; no redirect is followed) is fetched like a 4xx: here Cashfree has the refund. */
    @Test
    void a3xxToAWriteIsFetchedNotRefused() {
        status = 307;
        answer = "";
        getAnswer = REFUND_RF_1_25;
        try (CashfreePgAdapter a = adapter("")) {
            assertThat(a.createRefund("o_1", "rf_1", 2_500, null)).isEqualTo(new CashfreeRefunds.CashfreeRefund("rf_1", "77", "o_1", 2_500, "PENDING"));
        }
    }

    /**
     * Review F-M2: a 4xx to a create other than 401/403 (here 400 invalid_request_error, as Cashfree might answer a
     * reused key with other bytes) is refused only when a fetch shows Cashfree has no such refund / order; if it has
     * one it is compared (same: the write goes on; different: refused as before); a 409 with nothing visible is unknown.
     */
    @Test
    void a4xxToAWriteIsRefusedOnlyWhenCashfreeShowsNoSuchRefundOrOrder() {
        NewOrder order = new NewOrder("o_1", 100, "INR", "cust_1", "9876543210", Map.of());
        try (CashfreePgAdapter a = adapter("")) {
            status = 400;
            answer = "{\"message\":\"request differs\",\"code\":\"request_invalid\",\"type\":\"invalid_request_error\"}";
            getAnswer = REFUND_RF_1_25;
            assertThat(a.createRefund("o_1", "rf_1", 2_500, null)).isEqualTo(new CashfreeRefunds.CashfreeRefund("rf_1", "77", "o_1", 2_500, "PENDING"));
            assertThatThrownBy(() -> a.createRefund("o_1", "rf_1", 2_600, null)).isInstanceOf(CashfreeRejectedException.class)
                    .hasMessageContaining("not 2600");
            getAnswer = ORDER_O_1_100;
            assertThat(a.createOrder(order).amountPaise()).isEqualTo(100);
            getAnswer = "404";
            assertThatThrownBy(() -> a.createRefund("o_1", "rf_1", 2_500, null)).isInstanceOfSatisfying(CashfreeRejectedException.class,
                    e -> assertThat(e.httpStatus()).isEqualTo(400));
            assertThatThrownBy(() -> a.createOrder(order)).isInstanceOfSatisfying(CashfreeRejectedException.class,
                    e -> assertThat(e.httpStatus()).isEqualTo(400));
            // The fetch cannot say (Cashfree's 500): unknown, not refused.
            getAnswer = "{\"message\":\"oops\",\"code\":\"internal\",\"type\":\"api_error\"}";
            getStatus = 500;
            assertThatThrownBy(() -> a.createRefund("o_1", "rf_1", 2_500, null)).isInstanceOf(CashfreeUnavailableException.class);
            getStatus = 200;
            // A plain 409 (it exists) with nothing to be seen yet: unknown, like a used key.
            status = 409;
            answer = "{\"message\":\"refund with this id exists\",\"code\":\"refund_already_exists\",\"type\":\"invalid_request_error\"}";
            getAnswer = "404";
            assertThatThrownBy(() -> a.createRefund("o_1", "rf_1", 2_500, null)).isInstanceOfSatisfying(CashfreeUnavailableException.class,
                    e -> assertThat(e.getMessage()).contains("outcome unknown"));
            answer = "{\"message\":\"order with this id exists\",\"code\":\"order_already_exists\",\"type\":\"invalid_request_error\"}";
            assertThatThrownBy(() -> a.createOrder(order)).isInstanceOf(CashfreeUnavailableException.class);
            // 401/403 to a refund: our credentials refused (rotated keys, an IP allow-list), not a "no" to the refund. This
            // attempt created nothing, but an earlier one that timed out may have (review s6 R2-M3): unknown, never a refusal
            // that gives the money back. Not fetched either: the fetch would be refused the same way.
            seen.clear();
            for (int s : new int[] {401, 403}) {
                status = s;
                answer = "{\"message\":\"authentication Failed\",\"code\":\"request_failed\",\"type\":\"authentication_error\"}";
                assertThatThrownBy(() -> a.createRefund("o_1", "rf_1", 2_500, null)).isInstanceOfSatisfying(CashfreeUnavailableException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(s));
            }
            assertThat(seen).extracting(Seen::method).containsExactly("POST", "POST");
        }
    }

    /** Review L-6: a null tag key is refused clearly before anything is sent (not an NPE from deep inside). */
    @Test
    void aNullTagKeyIsRefusedBeforeSending() {
        java.util.Map<String, String> tags = new java.util.HashMap<>();
        tags.put(null, "v");
        assertThatThrownBy(() -> new NewOrder("o_1", 100, "INR", "cust_1", "9876543210", tags))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag key");
        java.util.Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> new NewOrder("o_1", 100, "INR", "cust_1", "9876543210", nullValue))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag k");
        assertThat(seen).isEmpty();
    }
}
