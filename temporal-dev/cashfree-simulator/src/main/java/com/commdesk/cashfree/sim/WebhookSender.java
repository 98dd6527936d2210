package com.commdesk.cashfree.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Delivers signed webhooks with java.net.http and remembers the last {@link #MAX_RECORDED} outcomes. */
final class WebhookSender implements AutoCloseable {

    static final int MAX_RECORDED = 1_000;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Clock clock;
    private final HttpClient client;
    private final ArrayDeque<WebhookDelivery> recorded = new ArrayDeque<>(); // guarded by itself

    WebhookSender(Clock clock) {
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    WebhookDelivery deliver(URI target, SignedWebhook webhook) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(target)
                .timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(webhook.rawBody(), StandardCharsets.UTF_8));
        for (Map.Entry<String, String> h : webhook.headers().entrySet()) {
            rb.header(h.getKey(), h.getValue());
        }
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        int status = -1;
        String error = null;
        try {
            HttpResponse<Void> resp = client.send(rb.build(), HttpResponse.BodyHandlers.discarding());
            status = resp.statusCode();
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        WebhookDelivery d = new WebhookDelivery(target, webhook, started, Duration.ofNanos(System.nanoTime() - t0),
                status, error);
        synchronized (recorded) {
            if (recorded.size() >= MAX_RECORDED) {
                recorded.removeFirst();
            }
            recorded.addLast(d);
        }
        return d;
    }

    List<WebhookDelivery> recorded() {
        synchronized (recorded) {
            return List.copyOf(new ArrayList<>(recorded));
        }
    }

    void clear() {
        synchronized (recorded) {
            recorded.clear();
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
