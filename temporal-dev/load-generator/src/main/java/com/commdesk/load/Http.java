package com.commdesk.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/** The HTTP calls the generator makes, to the simulator (as Cashfree's customer would) and to the API (as CommDesk's app would). */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final LoadSettings s;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final Object tokenLock = new Object();
    private volatile String token;
    private volatile long tokenExpiresAtMs;

    Http(LoadSettings s) {
        this.s = s;
    }

    record Reply(int status, String body, long latencyMs) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    Reply createOrder(String orderId, String communityId, long amountPaise, String customerId, String phone) {
        String body = """
                {"order_id":"%s","order_amount":%s,"order_currency":"INR",
                 "customer_details":{"customer_id":"%s","customer_phone":"%s"},
                 "order_tags":{"community_id":"%s","source_type":"EVENT"}}""".formatted(orderId, rupees(amountPaise), customerId, phone, communityId);
        return send(HttpRequest.newBuilder(s.simulator().resolve("/pg/orders"))
                .header("x-client-id", s.simClientId()).header("x-client-secret", s.simClientSecret())
                .header("x-api-version", "2023-08-01").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The customer pays; with {@code webhook} the simulator delivers Cashfree's signed PAYMENT_SUCCESS webhook to the API. */
    Reply pay(String orderId, boolean webhook) {
        return send(HttpRequest.newBuilder(s.simulator().resolve("/__sim/orders/" + orderId + "/pay"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"payment_method\":\"CARD\",\"webhook\":" + webhook + "}")));
    }

    Reply postPayment(String key, String communityId, String orderId, long amountPaise) {
        String body = "{\"communityId\":\"%s\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"%s\",\"amountPaise\":%d}"
                .formatted(communityId, orderId, amountPaise);
        return send(authorised(HttpRequest.newBuilder(s.api().resolve("/api/v1/payments")))
                .header("Idempotency-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply get(URI base, String path) {
        return send(authorised(HttpRequest.newBuilder(base.resolve(path))).GET());
    }

    private HttpRequest.Builder authorised(HttpRequest.Builder b) {
        String t = token();
        return t == null ? b : b.header("Authorization", "Bearer " + t);
    }

    /** A client_credentials token, fetched again a minute before it expires; null when no token URL is set. */
    private String token() {
        if (s.tokenUrl() == null) return null;
        if (token != null && System.currentTimeMillis() < tokenExpiresAtMs) return token;
        synchronized (tokenLock) {
            if (token != null && System.currentTimeMillis() < tokenExpiresAtMs) return token;
            String form = "grant_type=client_credentials" + (s.scope() == null ? "" : "&scope=" + URLEncoder.encode(s.scope(), StandardCharsets.UTF_8));
            String basic = java.util.Base64.getEncoder().encodeToString((s.clientId() + ":" + s.clientSecret()).getBytes(StandardCharsets.UTF_8));
            Reply r = send(HttpRequest.newBuilder(s.tokenUrl()).header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
            if (r.status() != 200) throw new IllegalStateException("token endpoint answered " + r.status());
            JsonNode n = r.json();
            token = n.path("access_token").asText();
            tokenExpiresAtMs = System.currentTimeMillis() + Math.max(10, n.path("expires_in").asLong(300) - 60) * 1000L;
            return token;
        }
    }

    private Reply send(HttpRequest.Builder b) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = client.send(b.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), (System.nanoTime() - t0) / 1_000_000);
        } catch (java.net.http.HttpTimeoutException e) {
            return new Reply(-1, "timeout", (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            return new Reply(-2, String.valueOf(e.getMessage()), (System.nanoTime() - t0) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-3, "interrupted", (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Exact rupees text for paise (Cashfree's order_amount); no floating point. */
    static String rupees(long paise) {
        return java.math.BigDecimal.valueOf(paise, 2).toPlainString();
    }
}
