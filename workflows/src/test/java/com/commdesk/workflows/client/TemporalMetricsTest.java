package com.commdesk.workflows.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TemporalMetricsTest {

    /** CI's promtool lint (ops/prometheus/check.sh) refuses a commdesk_* series without help text. */
    @Test
    void ourCountersReportedThroughTheSdksScopeCarryTheirHelpText() throws Exception {
        var registry = new SimpleMeterRegistry();
        try (var scope = TemporalMetrics.micrometerScope(registry, Duration.ofMillis(10))) {
            scope.counter(EagerStartMetrics.REQUESTED).inc(2);
            scope.counter(EagerStartMetrics.GRANTED).inc(1);
        }

        Counter requested = registry.find(EagerStartMetrics.REQUESTED).counter();
        Counter granted = registry.find(EagerStartMetrics.GRANTED).counter();
        assertThat(requested).isNotNull();
        assertThat(granted).isNotNull();
        assertThat(requested.count()).isEqualTo(2.0);
        assertThat(requested.getId().getDescription()).isEqualTo(TemporalMetrics.DESCRIPTIONS.get(EagerStartMetrics.REQUESTED));
        assertThat(granted.getId().getDescription()).isEqualTo(TemporalMetrics.DESCRIPTIONS.get(EagerStartMetrics.GRANTED));
    }
}
