package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.dev.auth.DevIdentities;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dev stack has the client Prometheus scrapes the API with (docs/security.md, ops/README.md): its
 * client_credentials token carries OPS only, reads the API's /actuator/prometheus, and writes nothing.
 */
class PrometheusClientTest {
    private final ClientCredentials prometheus = new ClientCredentials(SharedStack.get().issuer(),
            DevIdentities.PROMETHEUS_CLIENT_ID, DevIdentities.PROMETHEUS_CLIENT_SECRET);

    @Test
    void itsTokenScrapesTheApi() {
        HttpResponse<String> t = prometheus.request();
        assertThat(t.statusCode()).as("token endpoint: %s", t.body()).isEqualTo(200);
        String token = prometheus.get();
        assertThat(ClientCredentials.claims(token).path("sub").asText()).isEqualTo(DevIdentities.PROMETHEUS_CLIENT_ID);
        java.util.List<String> roles = new java.util.ArrayList<>();
        ClientCredentials.claims(token).path("roles").forEach(r -> roles.add(r.asText()));
        assertThat(roles).containsExactly("OPS");

        HttpResponse<String> scrape = SharedStack.get("/actuator/prometheus", token);
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        // The API's own series, the one CommDeskApiNotScraped looks for.
        assertThat(scrape.body()).contains("commdesk_payments_start_oldest_seconds");
        assertThat(SharedStack.get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
    }

    @Test
    void itsTokenWritesNothing() {
        String token = prometheus.get();
        long before = AccessMatrixTest.rowsEverywhere();
        HttpResponse<String> blocklist = SharedStack.send(token, "POST", "/api/v1/ops/blocklist", "application/json",
                "{\"kind\":\"ORDER\",\"value\":\"prometheus-client-test\",\"reason\":\"must be refused\"}", Map.of());
        assertThat(blocklist.statusCode()).as(blocklist.body()).isEqualTo(403);
        HttpResponse<String> payment = SharedStack.send(token, "POST", "/api/v1/payments", "application/json",
                "{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"prom_order_1\",\"amountPaise\":100000}",
                Map.of("Idempotency-Key", "prometheus-client-test"));
        assertThat(payment.statusCode()).as(payment.body()).isEqualTo(403);
        assertThat(AccessMatrixTest.rowsEverywhere()).isEqualTo(before);
    }
}
