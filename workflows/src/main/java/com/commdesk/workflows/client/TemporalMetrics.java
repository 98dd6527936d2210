package com.commdesk.workflows.client;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.time.Duration;
import java.util.Map;

/**
 * The Temporal SDK's own metrics (schedule-to-start latency = queue lag, task failures, pollers,
 * slots, request failures) reported into an application's Micrometer registry, so they appear on
 * {@code /actuator/prometheus} next to ours. Names are Temporal's ({@code temporal_*}); see
 * docs/operations.md for the ones alerting uses.
 */
public final class TemporalMetrics {
    /** The report interval as the apps read it: property {@code commdesk.metrics.temporal-report-interval}, default 10 s. */
    public static final String REPORT_INTERVAL = "${commdesk.metrics.temporal-report-interval:PT10S}";

    /**
     * Help text for our own metrics that travel through the SDK's tally scope (its reporter registers meters
     * without a description, and every commdesk_* series must carry one: ops/prometheus/check.sh lints it).
     */
    static final Map<String, String> DESCRIPTIONS = Map.of(
            EagerStartMetrics.REQUESTED, "Workflow starts that asked the Temporal server to hand their first task to this process (eager start)",
            EagerStartMetrics.GRANTED, "Workflow starts whose first task the Temporal server handed back in its reply (eager start granted)");

    private static final MeterFilter DESCRIBE_OURS = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            String description = DESCRIPTIONS.get(id.getName());
            if (description == null || id.getDescription() != null) return id;
            return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
        }
    };

    private TemporalMetrics() {}

    /**
     * A tally scope for {@code WorkflowServiceStubsOptions.setMetricsScope} that reports into
     * {@code registry} every {@code reportEvery}. Close it when the stubs are shut down (it owns a
     * reporting thread); closing it does NOT close the registry, which belongs to the application
     * (the SDK's reporter would otherwise close it).
     */
    public static Scope micrometerScope(MeterRegistry registry, Duration reportEvery) {
        if (reportEvery.isNegative() || reportEvery.isZero()) {
            throw new IllegalArgumentException("the Temporal metrics report interval must be positive, not " + reportEvery);
        }
        registry.config().meterFilter(DESCRIBE_OURS);
        MicrometerClientStatsReporter reporter = new MicrometerClientStatsReporter(registry) {
            @Override
            public void close() {
                // The registry is the application's (Spring closes it); only the scope ends here.
            }
        };
        return new RootScopeBuilder().reporter(reporter).reportEvery(com.uber.m3.util.Duration.ofMillis(reportEvery.toMillis()));
    }
}
