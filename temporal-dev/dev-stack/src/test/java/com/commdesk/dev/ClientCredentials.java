package com.commdesk.dev;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Access tokens of one client by the client_credentials grant at {@code issuer}'s token endpoint, fetched again a
 * minute before each one expires: what Prometheus' {@code oauth2} scrape setting does with the same three values
 * (client id, secret, token URL).
 */
final class ClientCredentials implements Supplier<String> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String tokenUrl;
    private final String basic;
    private String token;
    private Instant refreshAt = Instant.MIN;

    ClientCredentials(String issuer, String clientId, String clientSecret) {
        this.tokenUrl = issuer + "/oauth2/token";
        this.basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    }

    /** The token endpoint's answer, as it came (a refused client shows its status and error here). */
    HttpResponse<String> request() {
        try {
            return SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("token request to " + tokenUrl + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A token valid for at least another minute; throws when the endpoint refuses the client. */
    @Override
    public synchronized String get() {
        if (token == null || !Instant.now().isBefore(refreshAt)) {
            HttpResponse<String> r = request();
            if (r.statusCode() != 200) throw new IllegalStateException("token request answered " + r.statusCode() + ": " + r.body());
            JsonNode body = JSON.readTree(r.body());
            token = body.path("access_token").asText();
            refreshAt = Instant.now().plusSeconds(Math.max(0, body.path("expires_in").asLong(0) - 60));
        }
        return token;
    }

    /** The claims of a JWT access token (its payload, not verified: the API verifies it). */
    static JsonNode claims(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
