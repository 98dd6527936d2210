package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The published contract (docs/openapi.json) is what the running API serves at /v3/api-docs, and that
 * document is complete: OpenAPI 3.1, every operation with its security requirement (or none, for the
 * public ones), problem+json errors, and schemas for request and response bodies. A controller change
 * that is not reflected in docs/openapi.json fails here; the served document is written to
 * target/openapi.json to copy over after review.
 */
class OpenApiContractTest {
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    static final Path PUBLISHED = Path.of("../../docs/openapi.json");

    static JsonNode served() {
        HttpResponse<String> r = SharedStack.get("/v3/api-docs", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Without what depends on where the stack runs (server URL, issuer URLs). */
    static JsonNode normalized(JsonNode doc) {
        ObjectNode d = (ObjectNode) doc.deepCopy();
        d.remove("servers");
        JsonNode flow = d.path("components").path("securitySchemes").path("oidc-login").path("flows").path("authorizationCode");
        if (flow instanceof ObjectNode f) {
            f.put("authorizationUrl", "{issuer}/oauth2/authorize");
            f.put("tokenUrl", "{issuer}/oauth2/token");
        }
        return JSON.readTree(JSON.writeValueAsString(d)); // sorted keys
    }

    @Test
    void thePublishedDocumentIsWhatTheApiServes() throws Exception {
        JsonNode served = normalized(served());
        Path out = Path.of("target/openapi.json");
        Files.writeString(out, JSON.writeValueAsString(served));
        assertThat(Files.exists(PUBLISHED)).as("docs/openapi.json is published").isTrue();
        JsonNode published = JSON.readTree(Files.readString(PUBLISHED));
        assertThat(served).as("the API's controllers and docs/openapi.json disagree; review target/openapi.json (dev-stack) and copy it "
                + "to docs/openapi.json").isEqualTo(published);
    }

    @Test
    void theDocumentIsOpenApi31AndEveryOperationIsComplete() {
        JsonNode doc = served();
        assertThat(doc.path("openapi").asText()).startsWith("3.1");
        List<String> wrong = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            boolean webhook = path.getKey().startsWith("/webhooks/");
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                operations++;
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode o = op.getValue();
                JsonNode security = o.path("security");
                if (webhook && !security.isEmpty()) wrong.add(name + ": a signed webhook takes no token");
                if (!webhook && !security.toString().contains("bearer-jwt")) wrong.add(name + ": no bearer security requirement");
                for (String code : webhook ? List.of("400", "500") : List.of("400", "401", "403", "429", "500")) {
                    if (!o.path("responses").path(code).path("content").has("application/problem+json")) {
                        wrong.add(name + ": no problem+json " + code);
                    }
                }
                if (o.has("requestBody") && o.path("requestBody").path("content").properties().stream()
                        .anyMatch(c -> c.getValue().path("schema").isMissingNode())) {
                    wrong.add(name + ": request body without a schema");
                }
                boolean documentedSuccess = o.path("responses").properties().stream()
                        .anyMatch(r -> r.getKey().startsWith("2") && !r.getValue().path("content").isEmpty());
                if (!documentedSuccess) wrong.add(name + ": no success response schema");
            }
        }
        assertThat(operations).isGreaterThan(30);
        assertThat(wrong).isEmpty();
    }

    @Test
    void swaggerUiIsServedWithAContentSecurityPolicy() {
        HttpResponse<String> ui = SharedStack.get("/swagger-ui/index.html", null);
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
    }
}
