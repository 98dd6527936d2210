package com.commdesk.dev;

import com.commdesk.dev.metrics.OpsFiles;
import com.commdesk.dev.metrics.PromQl;
import com.commdesk.dev.metrics.PrometheusText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether an alert of ops/prometheus/alerts.yml would have been true during a failure scenario, on the
 * series the platform really exposed: every second while the scenario runs, the API (a JVM of
 * its own) and every live worker JVM are scraped over HTTP, each series labelled with its {@code instance}; at the
 * end the alert's expression is evaluated by promtool itself ({@code promtool test rules} with a
 * {@code promql_expr_test}) on those samples, one per second, as
 * a recording rule {@code probe_fired = count(<expr>) > bool 0} evaluated every second and
 * {@code max_over_time(probe_fired[<scenario>])}: 1 if the expression returned anything
 * at any second of the scenario. promtool comes from Debian's prometheus package (.ci/run installs it).
 */
final class AlertProbe implements AutoCloseable {
    private final FailureRig rig;
    private final String scenario;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    /**
     * Per second of the scenario (index = whole seconds since the probe started, by the clock: a scrape
     * slower than a second leaves a second without samples, it does not compress time): series
     * (name{labels,instance}) to value; null for a second without a scrape.
     */
    private final List<Map<String, Double>> ticks = new ArrayList<>();
    private final long startedAt = System.nanoTime();
    /** Per instance, the seconds in which its scrape answered. */
    private final Map<String, Integer> answered = new TreeMap<>();

    private AlertProbe(FailureRig rig, String scenario) {
        this.rig = rig;
        this.scenario = scenario;
    }

    /** Starts scraping once a second. */
    static AlertProbe start(FailureRig rig, String scenario) {
        AlertProbe p = new AlertProbe(rig, scenario);
        p.timer.scheduleAtFixedRate(p::scrapeAll, 0, 1, TimeUnit.SECONDS);
        return p;
    }

    private void scrapeAll() {
        Map<String, Double> tick = new TreeMap<>();
        try {
            // A JVM that does not answer (killed, not up again yet) has no samples this second, as in Prometheus.
            for (AppJvm app : rig.liveApps()) {
                PrometheusText scrape = app.scrapeNow();
                if (scrape != null) {
                    add(tick, app.name, scrape);
                    synchronized (ticks) {
                        answered.merge(app.name, 1, Integer::sum);
                    }
                }
            }
        } catch (RuntimeException e) {
            // A JVM going away mid-scrape: what it had is missing for this second, as in Prometheus.
        }
        int second = (int) Math.round((System.nanoTime() - startedAt) / 1e9);
        synchronized (ticks) {
            while (ticks.size() <= second) ticks.add(null);
            ticks.set(second, tick);
        }
    }

    private static void add(Map<String, Double> tick, String instance, PrometheusText scrape) {
        for (PrometheusText.Sample s : scrape.samples()) {
            if (Double.isNaN(s.value())) continue;
            Map<String, String> labels = new TreeMap<>(s.labels());
            labels.put("instance", instance);
            StringBuilder key = new StringBuilder(s.name()).append('{');
            labels.forEach((k, v) -> key.append(k).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append("\","));
            key.setLength(key.length() - 1);
            tick.put(key.append('}').toString(), s.value());
        }
    }

    /**
     * Evaluates the expression of {@code alert} over the samples scraped so far; prints and returns whether
     * it was true at any second of the scenario.
     */
    boolean firedDuringScenario(String alert) throws Exception {
        String expr = OpsFiles.alertRules().stream().filter(r -> alert.equals(r.get("alert"))).map(r -> (String) r.get("expr"))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no alert " + alert + " in " + OpsFiles.ALERTS));
        Set<String> names = PromQl.metricNames(expr);
        List<Map<String, Double>> samples;
        Map<String, Integer> scraped;
        synchronized (ticks) {
            samples = new ArrayList<>(ticks);
            scraped = new TreeMap<>(answered);
        }
        // The API's series (payment starts, its pool, its 5xx, Temporal's backlog as it asks) are half of what the alerts
        // read: a probe that never scraped it cannot say an alert was false (issue 14: every scrape of it was refused).
        String apiName = rig.api().name;
        if (scraped.getOrDefault(apiName, 0) == 0) {
            throw new AssertionError("the probe never scraped the API JVM (" + apiName + ") during scenario " + scenario
                    + "; seconds answered per instance: " + scraped);
        }
        Map<String, List<String>> series = new LinkedHashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i) == null) continue;
            for (var e : samples.get(i).entrySet()) {
                if (!names.contains(e.getKey().substring(0, e.getKey().indexOf('{')))) continue;
                List<String> values = series.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                while (values.size() < i) values.add("_");
                values.add(number(e.getValue()));
            }
        }
        int seconds = samples.size();
        // The expression is evaluated once a second by a recording rule, as Prometheus evaluates a rule, and the test asks
        // whether it ever returned something. Not as one subquery over the whole scenario: for a histogram's rate over 5
        // minutes that loads every sample once per step, over promtool's limit ("query processing would load too many
        // samples into memory"), which this probe used to report as "never true" (CommDeskWorkflowTaskLag, issue 14).
        Path rules = rig.dir.resolve("alert-" + scenario + "-" + alert + ".rules.yml");
        Files.writeString(rules, "groups:\n- name: probe\n  interval: 1s\n  rules:\n  - record: probe_fired\n    expr: '"
                + ("count(" + expr + ") > bool 0").replace("'", "''") + "'\n", StandardCharsets.UTF_8);
        StringBuilder yaml = new StringBuilder("rule_files: [" + rules.getFileName() + "]\nevaluation_interval: 1s\ntests:\n- interval: 1s\n  input_series:\n");
        series.forEach((k, v) -> {
            while (v.size() < seconds) v.add("_");
            yaml.append("  - series: '").append(k.replace("'", "''")).append("'\n    values: '").append(String.join(" ", v)).append("'\n");
        });
        String probe = "max_over_time(probe_fired[" + seconds + "s])";
        yaml.append("  promql_expr_test:\n  - expr: '").append(probe.replace("'", "''")).append("'\n")
                .append("    eval_time: ").append(Math.max(0, seconds - 1)).append("s\n")
                .append("    exp_samples:\n    - labels: '{}'\n      value: 1\n");
        Path file = rig.dir.resolve("alert-" + scenario + "-" + alert + ".test.yml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("promtool", "test", "rules", file.getFileName().toString())
                .directory(file.getParent().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        boolean fired = rc == 0;
        if (!fired && (!out.contains("expr: ") || out.contains("err: "))) {
            throw new IllegalStateException("promtool could not evaluate " + file + ":\n" + out);
        }
        System.out.printf(Locale.ROOT, "  alert %s: `%s` %s during the scenario (promtool test rules on %d series of %s scraped once a second for %d s;"
                        + " seconds answered per instance %s: %s)%n",
                alert, expr, fired ? "evaluates TRUE" : "never evaluates true", series.size(), names, seconds, scraped, file.getFileName());
        return fired;
    }

    private static String number(double v) {
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
