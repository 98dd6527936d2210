package com.commdesk.api.web.pages;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * How the pages read and act: through the platform's own JSON API over HTTP, never around it, so a
 * page can show and do exactly what its viewer's API calls may (the same validation, the same access
 * rules, the same audit). {@link ViewerCredentials} supplies what the call carries for the viewer.
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
        port.set(e.getWebServer().getPort());
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
    }

    public <T> T get(String path, Class<T> type) {
        return client().get().uri(path).headers(credentials::apply).retrieve()
                .onStatus(HttpStatusCode::isError, (req, res) -> {
                    throw new Refused(res.getStatusCode().value(), new String(res.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                })
                .body(type);
    }

    public <T> T get(String path, ParameterizedTypeReference<T> type) {
        return client().get().uri(path).headers(credentials::apply).retrieve()
                .onStatus(HttpStatusCode::isError, (req, res) -> {
                    throw new Refused(res.getStatusCode().value(), new String(res.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                })
                .body(type);
    }

    private RestClient client() {
        RestClient c = client;
        if (c == null) {
            String base = configuredBase.isBlank() ? "http://127.0.0.1:" + port.get() : configuredBase;
            c = RestClient.builder().baseUrl(base).build();
            client = c;
        }
        return c;
    }
}
