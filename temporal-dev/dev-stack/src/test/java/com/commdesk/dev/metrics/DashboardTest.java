package com.commdesk.dev.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The Grafana dashboard is well formed for provisioning (unique panel ids, every query on the provisioned
 * Prometheus data source) and shows every series an alert reads, so whoever is paged can see what fired.
 * (That its metrics exist is ObservabilityTest's last check.)
 */
class DashboardTest {
    @Test
    @SuppressWarnings("unchecked")
    void panelsAreUniqueAndQueryTheProvisionedPrometheus() throws Exception {
        JsonNode dash = OpsFiles.dashboard();
        Map<String, Object> provisioned = new Yaml().load(Files.readString(OpsFiles.REPO.resolve("ops/grafana/provisioning/datasources/prometheus.yml")));
        String uid = (String) ((List<Map<String, Object>>) provisioned.get("datasources")).get(0).get("uid");
        assertThat(dash.path("uid").asText()).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        int queries = 0;
        for (JsonNode panel : dash.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s is unique", panel.path("id")).isTrue();
            if (panel.path("type").asText().equals("row")) continue;
            assertThat(panel.path("targets").isEmpty()).as(panel.path("title").asText()).isFalse();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo(uid);
                assertThat(target.path("expr").asText()).isNotBlank();
                queries++;
            }
        }
        assertThat(queries).isGreaterThan(30);
    }

    @Test
    void everySeriesAnAlertReadsIsOnTheDashboard() throws Exception {
        Set<String> shown = new TreeSet<>();
        for (String expr : OpsFiles.dashboardExpressions()) shown.addAll(PromQl.metricNames(expr));
        Set<String> alerted = new TreeSet<>();
        for (Map<String, Object> rule : OpsFiles.alertRules()) alerted.addAll(PromQl.metricNames((String) rule.get("expr")));
        assertThat(shown).containsAll(alerted);
    }
}
