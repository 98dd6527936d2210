package com.commdesk.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Payments at a target rate, through the entry points a real payment uses: an order is created and
 * paid in the Cashfree simulator, then handed to CommDesk either by {@code POST /api/v1/payments}
 * (CommDesk's app) or only by Cashfree's signed PAYMENT_SUCCESS webhook, which the simulator
 * delivers. Open loop: starts are scheduled by the clock, not by replies, so a slow server shows up
 * as latency instead of a lower offered rate. Prints a progress line every second, a table at the end,
 * writes report.html and samples.csv, checks the books, and exits 1 when they do not hold.
 */
public final class LoadGenerator {
    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        LoadSettings s;
        try {
            s = LoadSettings.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            if (!"help".equals(e.getMessage())) System.err.println("commdesk-load: " + e.getMessage());
            System.err.print(LoadSettings.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(s));
    }

    static int run(LoadSettings s) throws Exception {
        Http http = new Http(s);
        String prefix = "load_" + s.runId() + "_";
        // A prefix of its own, so the burst is neither in the run's latency and posting figures nor in its
        // "nothing parked" check: it is the payments that must be parked.
        String burstPrefix = "loadburst_" + s.runId() + "_";
        Samples samples = new Samples();
        Samples burstSamples = new Samples();
        long planned = s.plannedPayments();
        System.out.println("commdesk-load: " + s);
        System.out.println("commdesk-load: " + planned + " payments planned, order ids " + prefix + "*");
        try (BooksCheck books = new BooksCheck(s)) {
            Http.Reply health = http.get(s.api(), "/actuator/health");
            if (health.status() != 200) {
                System.err.println("commdesk-load: the API's health answered " + health.status() + ": " + health.body());
                return 2;
            }
            if (s.velocityFloor() != null) {
                books.seedVelocityFloor(s.communities(), s.velocityFloor());
                System.out.println("commdesk-load: seeded fraud.velocityFloor=" + s.velocityFloor() + " for " + s.communities()
                        + " (what the owner sets through PUT /api/v1/communities/{id} before an event)");
            }
            Set<Long> prepared = s.prepareOrders() ? prepare(s, http, samples, prefix, planned) : Set.of();
            long t0 = System.currentTimeMillis();
            drive(s, http, samples, burstSamples, prefix, burstPrefix, planned, books, t0, prepared);
            // A hand-over that timed out on our side may still have been recorded: what must post is every
            // payment the platform recorded, whatever its caller heard.
            long recorded = books.recordedCount(prefix);
            Map<String, Long> posted = drain(s, books, prefix, recorded, t0);
            if (s.burst() > 0) awaitScreened(s, books, burstPrefix);
            BooksCheck.Verdict verdict = books.verify(prefix);
            List<String> problems = new ArrayList<>(verdict.problems());
            long flagged = books.flaggedCount(prefix);
            List<String> unposted = books.unposted(prefix);
            if (!unposted.isEmpty()) {
                Map<String, String> ids = books.paymentIdsOf(unposted.subList(0, Math.min(20, unposted.size())));
                StringBuilder stages = new StringBuilder();
                ids.forEach((order, id) -> {
                    Http.Reply r = http.get(s.api(), "/api/v1/payments/" + id);
                    stages.append(' ').append(order).append('=').append(r.status() == 200 ? r.json().path("stage").asText() : "HTTP " + r.status());
                });
                problems.add(unposted.size() + " recorded payments were not posted within " + s.drainTimeout() + " (first:" + stages + ")");
            }
            if (s.expectNoneParked() && flagged > 0) problems.add(flagged + " payments were flagged for review by the fraud screen");
            long burstFlagged = s.burst() == 0 ? 0 : books.flaggedCount(burstPrefix);
            if (s.burst() > 0 && burstFlagged == 0) {
                problems.add("a burst of " + s.burst() + " payments from one customer: none was flagged by the fraud screen");
            }
            if (burstSamples.errorCount() > 0) problems.add("burst hand-overs failed: " + burstSamples.errorsByKind());
            Map<String, String> table = summary(s, samples, posted, t0, flagged, planned);
            if (s.burst() > 0) {
                table.put("burst from one customer", burstFlagged + " of " + s.burst() + " flagged for review ("
                        + books.recordedCount(burstPrefix) + " recorded)");
            }
            print(table, samples, problems);
            writeReport(s, samples, posted, t0, table, problems);
            return problems.isEmpty() && samples.errorCount() == 0 ? 0 : 1;
        }
    }

    /** At most this many orders are prepared before a run: their numbers are kept in memory. */
    static final long MAX_PREPARED = 1_000_000;

    /**
     * Creates and pays, before the clock starts, every order that the run will hand over by POST — the same orders, amounts
     * and REST/webhook choice as {@link #drive} draws from the same seed — 16 at a time; returns the numbers prepared.
     * Orders handed over by webhook are left to the run: their payment is what sends the webhook.
     */
    static Set<Long> prepare(LoadSettings s, Http http, Samples samples, String prefix, long planned) throws InterruptedException {
        if (planned > MAX_PREPARED) throw new IllegalArgumentException("--prepare-orders: at most " + MAX_PREPARED + " payments");
        Set<Long> prepared = ConcurrentHashMap.newKeySet();
        SplittableRandom random = new SplittableRandom(s.seed());
        Semaphore slots = new Semaphore(16);
        long begun = System.currentTimeMillis();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < planned; i++) {
                Plan plan = Plan.draw(s, random, i);
                if (plan.viaWebhook()) continue;
                slots.acquire();
                pool.submit(() -> {
                    try {
                        String orderId = prefix + plan.n();
                        if (createOrder(http, samples, orderId, plan.community(), plan.amountPaise(), "cust_" + orderId, plan.n())
                                && pay(http, samples, orderId, false) != null) {
                            prepared.add(plan.n());
                        }
                    } catch (RuntimeException e) {
                        samples.error("prepare: " + e.getClass().getSimpleName());
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        System.out.printf(Locale.ROOT, "commdesk-load: %d orders created and paid before the clock started, in %.1f s%n", prepared.size(),
                (System.currentTimeMillis() - begun) / 1000.0);
        return prepared;
    }

    /** What the run does with its payment number {@code n}: drawn in this order from the run's one random sequence. */
    record Plan(long n, String community, long amountPaise, boolean viaWebhook) {
        static Plan draw(LoadSettings s, SplittableRandom random, long n) {
            String community = s.communities().get((int) (n % s.communities().size()));
            long amount = s.minAmountPaise() + random.nextLong(s.maxAmountPaise() - s.minAmountPaise() + 1);
            boolean viaWebhook = random.nextDouble() < s.webhookShare();
            return new Plan(n, community, amount, viaWebhook);
        }
    }

    private static void drive(LoadSettings s, Http http, Samples samples, Samples burstSamples, String prefix, String burstPrefix,
                              long planned, BooksCheck books, long t0, Set<Long> prepared) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(s.seed());
        Semaphore inFlight = new Semaphore(s.maxInFlight());
        long intervalNanos = Math.round(1_000_000_000.0 / s.ratePerSecond());
        long startNanos = System.nanoTime();
        long nextProgress = startNanos + 1_000_000_000L;
        long burstEvery = s.burst() == 0 ? 0 : Math.max(1, planned / s.burst());
        String burstCustomer = "cust_" + burstPrefix + "one";
        long burstSent = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < planned; i++) {
                long due = startNanos + i * intervalNanos;
                long now;
                while ((now = System.nanoTime()) < due) {
                    if (now >= nextProgress) {
                        progress(samples, books, prefix, t0, planned, inFlight, s.maxInFlight());
                        nextProgress += 1_000_000_000L;
                    }
                    LockSupport.parkNanos(Math.min(due - now, 1_000_000L));
                }
                Plan plan = Plan.draw(s, random, i);
                String community = plan.community();
                long amount = plan.amountPaise();
                boolean viaWebhook = plan.viaWebhook();
                long n = i;
                if (burstEvery > 0 && i % burstEvery == 0 && burstSent < s.burst()) {
                    long b = burstSent++;
                    pool.submit(() -> {
                        try {
                            one(http, burstSamples, burstPrefix + b, s.communities().get(0), amount, burstCustomer, false, n);
                        } catch (RuntimeException e) {
                            burstSamples.error("exception: " + e.getClass().getSimpleName());
                        }
                    });
                }
                samples.started.incrementAndGet();
                if (!inFlight.tryAcquire()) {
                    samples.error("shed: more than " + s.maxInFlight() + " in flight");
                    continue;
                }
                pool.submit(() -> {
                    try {
                        // A customer of its own per payment: one event, many buyers.
                        if (!s.prepareOrders() || viaWebhook) {
                            one(http, samples, prefix + n, community, amount, "cust_" + prefix + n, viaWebhook, n);
                        } else if (prepared.contains(n)) {
                            post(http, samples, prefix + n, community, amount);
                        } else {
                            samples.error("not prepared (its order failed before the clock)");
                        }
                    } catch (RuntimeException e) {
                        samples.error("exception: " + e.getClass().getSimpleName());
                    } finally {
                        samples.finished.incrementAndGet();
                        inFlight.release();
                    }
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) progress(samples, books, prefix, t0, planned, inFlight, s.maxInFlight());
        }
    }

    /** A payment as the customer makes it: the order created in the simulator, then paid there; then handed over. */
    private static void one(Http http, Samples samples, String orderId, String community, long amountPaise, String customerId,
                            boolean viaWebhook, long n) {
        if (!createOrder(http, samples, orderId, community, amountPaise, customerId, n)) return;
        long startedAt = System.currentTimeMillis();
        Http.Reply paid = pay(http, samples, orderId, viaWebhook);
        if (paid == null) return;
        if (viaWebhook) {
            var d = paid.json().path("webhook");
            int status = d.path("status_code").asInt(-1);
            samples.handovers.add(new Samples.Handover(orderId, community, amountPaise, "WEBHOOK", startedAt, d.path("elapsed_ms").asLong(-1), status));
            if (status / 100 != 2) samples.error("webhook: HTTP " + status);
            return;
        }
        post(http, samples, orderId, community, amountPaise);
    }

    private static boolean createOrder(Http http, Samples samples, String orderId, String community, long amountPaise, String customerId, long n) {
        Http.Reply order = http.createOrder(orderId, community, amountPaise, customerId, String.format("9%09d", n % 1_000_000_000L));
        if (order.status() == 200) return true;
        samples.error("simulator create order: HTTP " + order.status());
        return false;
    }

    private static Http.Reply pay(Http http, Samples samples, String orderId, boolean viaWebhook) {
        Http.Reply paid = http.pay(orderId, viaWebhook);
        if (paid.status() == 200) return paid;
        samples.error("simulator pay: HTTP " + paid.status());
        return null;
    }

    /** CommDesk's app hands a paid order over: {@code POST /api/v1/payments}, timed. */
    private static void post(Http http, Samples samples, String orderId, String community, long amountPaise) {
        long postAt = System.currentTimeMillis();
        Http.Reply r = http.postPayment("load-" + orderId, community, orderId, amountPaise);
        samples.handovers.add(new Samples.Handover(orderId, community, amountPaise, "REST", postAt, r.latencyMs(), r.status()));
        if (r.status() / 100 != 2) samples.error("POST /api/v1/payments: " + (r.status() < 0 ? r.body() : "HTTP " + r.status()));
    }

    private static void progress(Samples samples, BooksCheck books, String prefix, long t0, long planned, Semaphore inFlight, int max) {
        long elapsed = Math.max(1, System.currentTimeMillis() - t0);
        long[] rest = samples.handovers.stream().filter(h -> h.via().equals("REST")).mapToLong(Samples.Handover::latencyMs).toArray();
        long[] sorted = Samples.sorted(rest);
        System.out.printf(Locale.ROOT, "\r[%4ds] started %d/%d  in flight %d  handed over %d  posted %d  errors %d  rate %.1f/s  POST p99 %d ms   ",
                elapsed / 1000, samples.started.get(), planned, max - inFlight.availablePermits(), samples.handovers.size(),
                books.postedCount(prefix), samples.errorCount(), samples.started.get() * 1000.0 / elapsed, Samples.percentile(sorted, 99));
        System.out.flush();
    }

    /** Waits until every payment handed over is posted, or the drain timeout; returns posted times by order. */
    private static Map<String, Long> drain(LoadSettings s, BooksCheck books, String prefix, long recorded, long t0) throws InterruptedException {
        long deadline = System.currentTimeMillis() + s.drainTimeout().toMillis();
        long posted;
        while ((posted = books.postedCount(prefix)) < recorded && System.currentTimeMillis() < deadline) {
            System.out.printf(Locale.ROOT, "\r[%4ds] draining: posted %d of %d recorded   ", (System.currentTimeMillis() - t0) / 1000, posted, recorded);
            System.out.flush();
            Thread.sleep(500);
        }
        System.out.println();
        return books.postedAt(prefix);
    }

    /** Waits (within the drain timeout) until the fraud screen has decided on every burst payment that was recorded. */
    private static void awaitScreened(LoadSettings s, BooksCheck books, String burstPrefix) throws InterruptedException {
        long deadline = System.currentTimeMillis() + s.drainTimeout().toMillis();
        while (books.screenedCount(burstPrefix) < books.recordedCount(burstPrefix) && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
    }

    private static Map<String, String> summary(LoadSettings s, Samples samples, Map<String, Long> posted, long t0, long flagged, long planned) {
        List<Samples.Handover> all = new ArrayList<>(samples.handovers);
        long firstStart = all.stream().mapToLong(Samples.Handover::startedAtEpochMs).min().orElse(t0);
        long lastStart = all.stream().mapToLong(Samples.Handover::startedAtEpochMs).max().orElse(t0);
        long lastPosted = posted.values().stream().mapToLong(Long::longValue).max().orElse(lastStart);
        // Hand-overs started in the warm-up are paid, posted and checked like the rest, but their latency is reported apart.
        long measuredFrom = t0 + s.warmup().toMillis();
        long[] rest = latencies(all, "REST", h -> h.startedAtEpochMs() >= measuredFrom);
        long[] hook = latencies(all, "WEBHOOK", h -> h.startedAtEpochMs() >= measuredFrom);
        long[] toPosted = Samples.sorted(all.stream().filter(h -> posted.containsKey(h.orderId()))
                .mapToLong(h -> posted.get(h.orderId()) - h.startedAtEpochMs()).toArray());
        Map<String, String> t = new LinkedHashMap<>();
        t.put("offered rate", String.format(Locale.ROOT, "%.1f payments/s for %s (%d planned)", s.ratePerSecond(), s.duration(), planned));
        t.put("achieved start rate", String.format(Locale.ROOT, "%.1f payments/s (%d hand-overs in %.1f s)", rate(all.size(), lastStart - firstStart),
                all.size(), (lastStart - firstStart) / 1000.0));
        t.put("posted", String.format(Locale.ROOT, "%d of %d; end-to-end %.1f payments/s (first hand-over to last posting)", posted.size(),
                all.size(), rate(posted.size(), lastPosted - firstStart)));
        String after = s.warmup().isZero() ? "" : ", after the " + s.warmup() + " warm-up";
        t.put("POST /api/v1/payments (" + rest.length + after + ")", percentiles(rest));
        t.put("webhook delivery (" + hook.length + after + ")", percentiles(hook));
        if (!s.warmup().isZero()) {
            long[] warm = latencies(all, "REST", h -> h.startedAtEpochMs() < measuredFrom);
            t.put("POST during the warm-up (" + warm.length + ")", percentiles(warm));
        }
        t.put("hand-over -> posted", percentiles(toPosted));
        t.put("flagged by fraud screen", Long.toString(flagged));
        t.put("errors", samples.errorCount() == 0 ? "none" : samples.errorsByKind().toString());
        return t;
    }

    static long[] latencies(List<Samples.Handover> all, String via, java.util.function.Predicate<Samples.Handover> window) {
        return Samples.sorted(all.stream().filter(h -> h.via().equals(via) && window.test(h)).mapToLong(Samples.Handover::latencyMs).toArray());
    }

    private static double rate(long count, long millis) {
        return millis <= 0 ? count : count * 1000.0 / millis;
    }

    private static String percentiles(long[] sorted) {
        if (sorted.length == 0) return "-";
        return "p50 " + Samples.percentile(sorted, 50) + " ms, p90 " + Samples.percentile(sorted, 90) + " ms, p99 "
                + Samples.percentile(sorted, 99) + " ms, max " + sorted[sorted.length - 1] + " ms";
    }

    private static void print(Map<String, String> table, Samples samples, List<String> problems) {
        System.out.println();
        int w = table.keySet().stream().mapToInt(String::length).max().orElse(10);
        table.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-" + w + "s  %s%n", k, v));
        if (problems.isEmpty()) {
            System.out.println("  books: hold (invariants, trial balance zero, one unreversed journal per payment)");
        } else {
            problems.forEach(p -> System.out.println("  BOOKS VIOLATION: " + p));
        }
    }

    private static void writeReport(LoadSettings s, Samples samples, Map<String, Long> posted, long t0, Map<String, String> table,
                                    List<String> problems) throws IOException {
        Files.createDirectories(s.reportDir());
        List<Samples.Handover> all = new ArrayList<>(samples.handovers);
        Map<Long, Long> starts = new HashMap<>(), posts = new HashMap<>();
        Map<Long, List<Long>> restLatency = new HashMap<>(), hookLatency = new HashMap<>();
        StringBuilder csv = new StringBuilder("order_id,community_id,amount_paise,via,started_at_ms,latency_ms,status,posted_at_ms\n");
        for (Samples.Handover h : all) {
            long sec = (h.startedAtEpochMs() - t0) / 1000;
            starts.merge(sec, 1L, Long::sum);
            (h.via().equals("REST") ? restLatency : hookLatency).computeIfAbsent(sec, k -> new ArrayList<>()).add(h.latencyMs());
            Long p = posted.get(h.orderId());
            if (p != null) posts.merge((p - t0) / 1000, 1L, Long::sum);
            csv.append(h.orderId()).append(',').append(h.communityId()).append(',').append(h.amountPaise()).append(',').append(h.via())
                    .append(',').append(h.startedAtEpochMs()).append(',').append(h.latencyMs()).append(',').append(h.status()).append(',')
                    .append(p == null ? "" : p.toString()).append('\n');
        }
        List<HtmlReport.Series> rates = List.of(series("hand-overs started", "#1f77b4", starts), series("posted", "#2ca02c", posts));
        List<HtmlReport.Series> latencies = List.of(percentileSeries("POST p50", "#1f77b4", restLatency, 50),
                percentileSeries("POST p99", "#d62728", restLatency, 99), percentileSeries("webhook p99", "#9467bd", hookLatency, 99));
        Files.writeString(s.reportDir().resolve("samples.csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(s.reportDir().resolve("report.html"), HtmlReport.render("CommDesk load run " + s.runId(), table, rates, latencies, problems),
                StandardCharsets.UTF_8);
        System.out.println("  report: " + s.reportDir().resolve("report.html").toAbsolutePath());
    }

    private static HtmlReport.Series series(String name, String colour, Map<Long, Long> perSecond) {
        long max = perSecond.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        double[] x = new double[(int) max + 1], y = new double[(int) max + 1];
        for (int i = 0; i <= max; i++) {
            x[i] = i;
            y[i] = perSecond.getOrDefault((long) i, 0L);
        }
        return new HtmlReport.Series(name, colour, x, y);
    }

    private static HtmlReport.Series percentileSeries(String name, String colour, Map<Long, List<Long>> perSecond, double p) {
        List<Long> secs = perSecond.keySet().stream().sorted().toList();
        double[] x = new double[secs.size()], y = new double[secs.size()];
        for (int i = 0; i < secs.size(); i++) {
            x[i] = secs.get(i);
            y[i] = Samples.percentile(Samples.sorted(perSecond.get(secs.get(i)).stream().mapToLong(Long::longValue).toArray()), p);
        }
        return new HtmlReport.Series(name, colour, x, y);
    }
}
