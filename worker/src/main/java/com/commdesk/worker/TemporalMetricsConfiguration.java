package com.commdesk.worker;

import com.commdesk.workflows.client.TemporalMetrics;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Temporal SDK's client and worker metrics (queue lag, task failures, pollers, slots) on /actuator/prometheus; docs/operations.md. */
@Configuration(proxyBeanMethods = false)
public class TemporalMetricsConfiguration {
    /** Reported every {@code commdesk.metrics.temporal-report-interval} (default 10 s); closed after the stubs. */
    @Bean(destroyMethod = "close")
    Scope temporalMetricsScope(MeterRegistry registry,
                               @Value("${commdesk.metrics.temporal-report-interval:PT10S}") Duration reportEvery) {
        return TemporalMetrics.micrometerScope(registry, reportEvery);
    }
}
