package com.commdesk.api.web.pages;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * How the pages read and act: through the platform's own JSON API over HTTP, never around it, so a
 * page can show and do exactly what its viewer's API calls may (the same validation, the same access
 * rules, the same audit). {@link ViewerCredentials} supplies the viewer's access token for each call.
 * The base URL is this API itself (its own port) unless {@code commdesk.dashboard.api-base-url} says otherwise.
 */
@Component
public class DashboardApi {
    private final AtomicInteger port = new AtomicInteger();
    private final String configuredBase;
    private final ViewerCredentials credentials;
    private volatile RestClient client;

    public DashboardApi(@Value("${commdesk.dashboard.api-base-url:}") String configuredBase, ViewerCredentials credentials) {
        this.configuredBase = configuredBase;
        this.credentials = credentials;
    }

    @EventListener
    void onStarted(WebServerInitializedEvent e) {
        if (e.getApplicationContext().getServerNamespace() == null) port.set(e.getWebServer().getPort());
    }

    /** A refusal or error of the API, with its status and problem detail, for the page to show. */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String detail) {
            super(detail);
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** The problem's detail when the body is problem+json, else the body as it came. */
        public String detail() {
            String body = getMessage();
            try {
                JsonNode problem = tools.jackson.databind.json.JsonMapper.shared().readTree(body);
                if (problem.hasNonNull("detail")) return problem.path("detail").asText();
            } catch (RuntimeException notJson) {
                // shown as it came
            }
            return body;
        }
    }

    public <T> T get(String path, Class<T> type) {
        return client().get().uri(path).headers(credentials::apply).retrieve().onStatus(HttpStatusCode::isError, DashboardApi::refuse)
                .body(type);
    }

    public <T> T get(String path, ParameterizedTypeReference<T> type) {
        return client().get().uri(path).headers(credentials::apply).retrieve().onStatus(HttpStatusCode::isError, DashboardApi::refuse)
                .body(type);
    }

    /** A write: the JSON body as the API's own clients send it; the answer, or {@link Refused}. */
    public JsonNode post(String path, Object body) {
        return client().post().uri(path).headers(credentials::apply).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .onStatus(HttpStatusCode::isError, DashboardApi::refuse).body(JsonNode.class);
    }

    /**
     * A GET of {@code rawPathAndQuery} (already encoded, under /api/) passed through as it came: status,
     * body, content type and disposition, for the statement and report downloads the pages link to.
     */
    public ResponseEntity<byte[]> passThrough(String rawPathAndQuery) {
        return client().get().uri(URI.create(base() + rawPathAndQuery)).headers(credentials::apply).retrieve()
                .onStatus(s -> true, (req, res) -> { }).toEntity(byte[].class);
    }

    private static void refuse(org.springframework.http.HttpRequest request, org.springframework.http.client.ClientHttpResponse res)
            throws java.io.IOException {
        throw new Refused(res.getStatusCode().value(), new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    private String base() {
        return configuredBase.isBlank() ? "http://127.0.0.1:" + port.get() : configuredBase;
    }

    private RestClient client() {
        RestClient c = client;
        if (c == null) {
            c = RestClient.builder().baseUrl(base()).build();
            client = c;
        }
        return c;
    }
}
