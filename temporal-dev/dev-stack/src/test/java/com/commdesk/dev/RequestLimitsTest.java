package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API's outer limits over HTTP: per-client rate limits (429 + Retry-After), body sizes enforced
 * before a body is read, repeated parameters refused, security headers, CORS only for configured origins,
 * and errors that carry no internals.
 */
class RequestLimitsTest {

    @Test
    void aClientOverItsRateLimitGets429WithRetryAfterWhileOthersGoOn() {
        // SharedStack gives this one client 5 requests a minute.
        String token = SharedStack.mintedToken(SharedStack.RATE_LIMITED_CLIENT, List.of("FINANCE_VIEWER"), List.of(), Instant.now(),
                Duration.ofMinutes(15));
        for (int i = 0; i < 5; i++) {
            assertThat(SharedStack.get("/api/v1/ledger/trial-balance", token).statusCode()).as("request " + (i + 1)).isEqualTo(200);
        }
        HttpResponse<String> limited = SharedStack.get("/api/v1/ledger/trial-balance", token);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        // Another client is not affected.
        assertThat(SharedStack.get("/api/v1/ledger/trial-balance", SharedStack.token("FINANCE_VIEWER")).statusCode()).isEqualTo(200);
    }

    @Test
    void aWebhookBodyOver64KiBIsRefusedBeforeItIsRead() {
        String big = "{\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
        HttpResponse<String> r = SharedStack.send(null, "POST", "/webhooks/cashfree/pg", "application/json", big, Map.of());
        assertThat(r.statusCode()).isEqualTo(413);
        long webhooks = SharedStack.count("select count(*) from webhook_event");
        assertThat(SharedStack.send(null, "POST", "/webhooks/cashfree/payouts", "application/json", big, Map.of()).statusCode()).isEqualTo(413);
        assertThat(SharedStack.count("select count(*) from webhook_event")).isEqualTo(webhooks);
    }

    @Test
    void anOversizedApiBodyIsRefused() {
        String big = "{\"note\":\"" + "x".repeat(1_100_000) + "\"}";
        HttpResponse<String> r = SharedStack.send(SharedStack.token("OPS"), "POST", "/api/v1/ops/payments/x/retry", "application/json", big,
                Map.of());
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void aRepeatedQueryParameterIsRefusedNotGuessed() {
        HttpResponse<String> r = SharedStack.get("/api/v1/ops/payments?limit=1&limit=500", SharedStack.token("OPS"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("limit");
    }

    @Test
    void responsesCarrySecurityHeaders() {
        HttpResponse<String> r = SharedStack.get("/api/v1/ledger/trial-balance", SharedStack.token("FINANCE_VIEWER"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(c -> assertThat(c).contains("no-store"));
    }

    @Test
    void corsAnswersOnlyTheConfiguredOrigin() throws Exception {
        HttpResponse<String> allowed = preflight(SharedStack.ALLOWED_ORIGIN);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SharedStack.ALLOWED_ORIGIN);
        HttpResponse<String> other = preflight("http://evil.example");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    static HttpResponse<String> preflight(String origin) throws Exception {
        return SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(SharedStack.api("/api/v1/payments")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "authorization,content-type")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMalformedQueryStringIsA400NotAServerError() {
        // Found by schemathesis: a parameter without a name ("=Q") reached Tomcat's parser and was a 500.
        // ... and a NUL in a cursor reached PostgreSQL, which refused it: a 500 too.
        assertThat(SharedStack.get("/api/v1/ops/payments?after=a%00b", SharedStack.token("OPS")).statusCode()).isEqualTo(400);
        assertThat(SharedStack.get("/api/v1/finance/settlements/stl%00x", SharedStack.token("FINANCE_VIEWER")).statusCode()).isEqualTo(400);
        for (String q : List.of("?=Q", "?=", "?format=json&=x")) {
            HttpResponse<String> r = SharedStack.get("/api/v1/reports/gst/2026-01" + q, SharedStack.token("FINANCE_VIEWER"));
            assertThat(r.statusCode()).as(q + " " + r.body()).isEqualTo(400);
        }
    }

    @Test
    void aMultipartContentTypeIsNoServerError() {
        // Found by schemathesis: a GET with "Content-Type: multipart/form-data" (no boundary) was a 500.
        HttpResponse<String> r = SharedStack.send(SharedStack.token("FINANCE_VIEWER"), "GET", "/api/v1/ledger/trial-balance",
                "multipart/form-data", null, Map.of());
        assertThat(r.statusCode()).as(r.body()).isLessThan(500);
    }

    @Test
    void errorsCarryNoStackTracesOrSql() {
        for (HttpResponse<String> r : List.of(
                SharedStack.get("/api/v1/no-such-endpoint", SharedStack.token("PLATFORM_ADMIN")),
                SharedStack.get("/api/v1/reconciliation/exceptions/not-a-number", SharedStack.token("FINANCE_VIEWER")),
                SharedStack.send(SharedStack.token("PAYMENT_SERVICE"), "POST", "/api/v1/payments", "application/json", "{\"x\":",
                        Map.of("Idempotency-Key", "limits-bad-json")))) {
            assertThat(r.statusCode()).isBetween(400, 499);
            assertThat(r.body()).doesNotContain("at com.").doesNotContain("Exception").doesNotContain("select ").doesNotContain("SQL");
        }
    }
}
