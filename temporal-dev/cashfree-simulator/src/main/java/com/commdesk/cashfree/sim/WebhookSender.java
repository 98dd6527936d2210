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
import java.util.List;
import java.util.Map;

/**
 * Delivers signed webhooks with java.net.http and remembers the last {@link #MAX_RECORDED} outcomes. A
 * delivery that is not answered 2xx is retried on {@link #retrySchedule} (Cashfree's default PG policy:
 * after 2, 10 and 30 minutes) with the same body, timestamp and signature, counting x-webhook-attempt.
 */
final class WebhookSender implements AutoCloseable {

    static final int MAX_RECORDED = 1_000;
    /** Cashfree's default retry policy for PG webhooks: three retries, 2, 10 and 30 minutes apart. */
    static final List<Duration> CASHFREE_DEFAULT_RETRIES = List.of(Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30));

    private volatile List<Duration> retrySchedule = CASHFREE_DEFAULT_RETRIES;
    private final java.util.concurrent.ScheduledExecutorService retries = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cashfree-sim-webhook-retries");
        t.setDaemon(true);
        return t;
    });
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Clock clock;
    private final HttpClient client;
    private final BoundedLog<WebhookDelivery> recorded = new BoundedLog<>(MAX_RECORDED);

    WebhookSender(Clock clock) {
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The waits between a failed attempt and the next (empty: no retries). */
    void retrySchedule(List<Duration> schedule) {
        retrySchedule = List.copyOf(schedule);
    }

    /** The first attempt now; failed attempts are retried on the schedule. Returns the first attempt's outcome. */
    WebhookDelivery deliver(URI target, SignedWebhook webhook) {
        WebhookDelivery first = attempt(target, webhook, 1);
        if (!first.delivered()) retryLater(target, webhook, 2, retrySchedule);
        return first;
    }

    private void retryLater(URI target, SignedWebhook webhook, int attempt, List<Duration> remaining) {
        if (remaining.isEmpty() || retries.isShutdown()) return;
        retries.schedule(() -> {
            if (!attempt(target, webhook, attempt).delivered()) retryLater(target, webhook, attempt + 1, remaining.subList(1, remaining.size()));
        }, remaining.get(0).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private WebhookDelivery attempt(URI target, SignedWebhook webhook, int attempt) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(target)
                .timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(webhook.rawBody(), StandardCharsets.UTF_8));
        for (Map.Entry<String, String> h : webhook.headers(attempt).entrySet()) {
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
                status, error, attempt);
        recorded.add(d);
        return d;
    }

    List<WebhookDelivery> recorded() {
        return recorded.snapshot();
    }

    void clear() {
        recorded.clear();
    }

    @Override
    public void close() {
        retries.shutdownNow();
        client.close();
    }
}
