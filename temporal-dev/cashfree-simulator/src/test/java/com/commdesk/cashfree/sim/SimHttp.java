package com.commdesk.cashfree.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A tiny HTTP client for talking to the simulator in tests (independent of the simulator's own code). */
final class SimHttp {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    record Resp(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Map<String, String> auth = new LinkedHashMap<>();

    SimHttp(String base, String clientId, String secret) {
        this.base = base;
        if (clientId != null) {
            auth.put("x-client-id", clientId);
        }
        if (secret != null) {
            auth.put("x-client-secret", secret);
        }
        auth.put("x-api-version", "2023-08-01");
    }

    SimHttp without(String header) {
        SimHttp copy = new SimHttp(base, null, null);
        copy.auth.clear();
        copy.auth.putAll(auth);
        copy.auth.remove(header);
        return copy;
    }

    SimHttp with(String header, String value) {
        SimHttp copy = new SimHttp(base, null, null);
        copy.auth.clear();
        copy.auth.putAll(auth);
        copy.auth.put(header, value);
        return copy;
    }

    Resp get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), Duration.ofSeconds(10));
    }

    Resp get(String path, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), timeout);
    }

    Resp post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), Duration.ofSeconds(10));
    }

    Resp put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), Duration.ofSeconds(10));
    }

    Resp patch(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)), Duration.ofSeconds(10));
    }

    Resp delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), Duration.ofSeconds(10));
    }

    private Resp send(HttpRequest.Builder b, Duration timeout) {
        auth.forEach(b::header);
        b.timeout(timeout);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String orderJson(String orderId, String amount, Map<String, String> tags) {
        StringBuilder sb = new StringBuilder("{");
        if (orderId != null) {
            sb.append("\"order_id\":\"").append(orderId).append("\",");
        }
        sb.append("\"order_amount\":").append(amount).append(",\"order_currency\":\"INR\",")
                .append("\"customer_details\":{\"customer_id\":\"cust_1\",\"customer_phone\":\"9876543210\"}");
        if (tags != null) {
            sb.append(",\"order_tags\":{");
            String sep = "";
            for (Map.Entry<String, String> e : tags.entrySet()) {
                sb.append(sep).append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
                sep = ",";
            }
            sb.append('}');
        }
        return sb.append('}').toString();
    }
}
