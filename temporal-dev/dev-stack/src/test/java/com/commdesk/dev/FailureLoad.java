package com.commdesk.dev;

import com.commdesk.cashfree.sim.CashfreeSimulator;
import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.load.BooksCheck;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop payment load for the failure suite, through the entry points a real payment uses: each order
 * is created and paid at the Cashfree simulator, which delivers Cashfree's signed PAYMENT_SUCCESS webhook
 * to the API (and retries it, as Cashfree does, when it is not answered 2xx); every other one is also
 * handed over by {@code POST /api/v1/payments}, retried with the same Idempotency-Key on a 5xx or a
 * transport error (what the API's 503 asks a client to do), the rest by the webhook alone. Starts are
 * scheduled by the clock, not by replies, so an outage shows as latency and retries, not as less load.
 */
final class FailureLoad {
    /**
     * How long a client keeps retrying one hand-over before it gives up (and the scenario fails): as long as the
     * simulator redelivers a webhook (FailureRig), long enough for a killed API JVM to start again on a loaded machine
     * (101 s on 2 cores at load average 24).
     */
    static final Duration RETRY_FOR = Duration.ofSeconds(240);

    final String prefix;
    final int planned;
    private final FailureRig rig;
    private final String communityId;
    private final String token;
    private final double ratePerSecond;
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong handedOver = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final Map<String, AtomicLong> failedAttempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> gaveUp = new ConcurrentHashMap<>();
    private long startedAtNanos;

    FailureLoad(FailureRig rig, String scenario, double ratePerSecond, Duration duration) throws Exception {
        this(rig, scenario, "demo-community", ratePerSecond, duration);
    }

    /** Payments to {@code communityId}. */
    FailureLoad(FailureRig rig, String scenario, String communityId, double ratePerSecond, Duration duration) throws Exception {
        this.rig = rig;
        this.communityId = communityId;
        this.token = rig.appToken();
        this.prefix = "fail_" + scenario + "_" + Long.toString(System.currentTimeMillis(), 36) + "_";
        this.ratePerSecond = ratePerSecond;
        this.planned = (int) Math.round(ratePerSecond * duration.toMillis() / 1000.0);
    }

    /** Runs the load in the background; the future ends when every hand-over has ended (accepted or given up). */
    Future<?> start() {
        startedAtNanos = System.nanoTime();
        ExecutorService driver = Executors.newSingleThreadExecutor();
        Future<?> f = driver.submit(() -> {
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                long interval = Math.round(1e9 / ratePerSecond);
                for (int i = 0; i < planned; i++) {
                    long due = startedAtNanos + i * interval;
                    long now;
                    while ((now = System.nanoTime()) < due) LockSupport.parkNanos(due - now);
                    int n = i;
                    started.incrementAndGet();
                    pool.submit(() -> one(n));
                }
            }
            return null;
        });
        driver.shutdown();
        return f;
    }

    /** Seconds since the load started. */
    double elapsed() {
        return (System.nanoTime() - startedAtNanos) / 1e9;
    }

    long started() {
        return started.get();
    }

    private void one(int n) {
        String orderId = prefix + n;
        long amount = 10_000L + (n * 7_919L) % 490_000L;
        CashfreeSimulator sim = rig.simulator();
        try {
            // The customer pays; the simulator sends the signed webhook to the API before this returns.
            sim.createPaidOrder(orderId, amount, "INR", Map.of("community_id", communityId, "source_type", "EVENT"), PaymentMethod.CARD);
        } catch (RuntimeException e) {
            gaveUp.computeIfAbsent("simulator: " + e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
            return;
        }
        if (n % 2 == 1) {
            handedOver.incrementAndGet();
            return;
        }
        String body = "{\"communityId\":\"%s\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"%s\",\"amountPaise\":%d}"
                .formatted(communityId, orderId, amount);
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        for (int attempt = 0; ; attempt++) {
            if (attempt > 0) retries.incrementAndGet();
            String outcome;
            try {
                HttpResponse<String> r = SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(rig.apiUrl("/api/v1/payments")))
                        .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                        .header("Idempotency-Key", "fail-" + orderId).header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 == 2) {
                    handedOver.incrementAndGet();
                    return;
                }
                outcome = "HTTP " + r.statusCode();
                if (r.statusCode() < 500) {
                    gaveUp.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
                    return;
                }
            } catch (java.io.IOException e) {
                outcome = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            failedAttempts.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
            if (System.nanoTime() > deadline) {
                gaveUp.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    /** Waits for the load to end and every order of it to be posted; prints progress; returns seconds to the last posting. */
    double awaitAllPosted(Future<?> load, BooksCheck books, Duration timeout) throws Exception {
        load.get(RETRY_FOR.toSeconds() + 60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + timeout.toNanos();
        long posted;
        while ((posted = books.postedCount(prefix)) < planned && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        System.out.printf(Locale.ROOT, "  [%5.1fs] load ended: %d of %d orders posted%n", elapsed(), posted, planned);
        return elapsed();
    }

    /** One line per fact: planned, handed over, retries by outcome, give-ups. */
    List<String> report() {
        return List.of(
                String.format(Locale.ROOT, "load: %d payments at %.1f/s (half by POST /api/v1/payments + webhook, half by signed webhook only)",
                        planned, ratePerSecond),
                "handed over: " + handedOver.get() + "; client retries (same Idempotency-Key): " + retries.get()
                        + (failedAttempts.isEmpty() ? "" : " after " + counts(failedAttempts)),
                "webhook deliveries not answered 2xx (retried by the simulator): " + rig.simulator().webhookDeliveries().stream()
                        .filter(d -> !d.delivered() && d.webhook().rawBody().contains(prefix)).count(),
                "gave up: " + (gaveUp.isEmpty() ? "none" : counts(gaveUp)));
    }

    /** Failed hand-over attempts of this run: client retries plus webhook deliveries not answered 2xx. */
    long outageFelt() {
        return retries.get() + rig.simulator().webhookDeliveries().stream()
                .filter(d -> !d.delivered() && d.webhook().rawBody().contains(prefix)).count();
    }

    long gaveUp() {
        return gaveUp.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private static Map<String, Long> counts(Map<String, AtomicLong> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
