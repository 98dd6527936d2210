package com.commdesk.dev.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {
    @Test
    void findsTheMetricsButNotFunctionsLabelsDurationsOrKeywords() {
        assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (le, task_queue) "
                + "(rate(temporal_activity_schedule_to_start_latency_seconds_bucket{namespace=\"default\"}[5m]))) > 5"))
                .containsExactly("temporal_activity_schedule_to_start_latency_seconds_bucket");
        assertThat(PromQl.metricNames("max(commdesk_payments_parked{status=~\"NEEDS_ATTENTION|UNDER_REVIEW\"}) > 0 "
                + "and on(application) increase(commdesk_fraud_flagged_total[10m] offset 5m) > 2"))
                .containsExactly("commdesk_fraud_flagged_total", "commdesk_payments_parked");
        assertThat(PromQl.metricNames("time() - max(commdesk_ledger_invariant_last_check_timestamp_seconds) > 1e3"))
                .containsExactly("commdesk_ledger_invariant_last_check_timestamp_seconds");
        assertThat(PromQl.metricNames("sum(rate(commdesk_revenue_gross_paise_total[$__rate_interval])) / 100"))
                .containsExactly("commdesk_revenue_gross_paise_total");
        assertThat(PromQl.metricNames("absent(up{job='x'}) or vector(0)")).containsExactly("up");
    }

    @Test
    void parsesAScrapeWithLabelsEscapesAndSpecialValues() {
        PrometheusText t = PrometheusText.parse("""
                # HELP x_total a counter
                # TYPE x_total counter
                x_total{a="1",b="say \\"hi\\", ok"} 3.0
                x_total{a="2",b=""} 4.0
                y NaN
                z_bucket{le="+Inf"} 7
                """);
        assertThat(t.sum("x_total")).isEqualTo(7.0);
        assertThat(t.sum("x_total", "b", "say \"hi\", ok")).isEqualTo(3.0);
        assertThat(t.sum("y")).isZero();
        assertThat(t.sum("z_bucket", "le", "+Inf")).isEqualTo(7.0);
        assertThat(t.names()).containsExactly("x_total", "y", "z_bucket");
    }
}
