package com.commdesk.dev.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The repository's observability files, as the tests read them (paths from the dev-stack module). */
public final class OpsFiles {
    public static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    public static final Path ALERTS = REPO.resolve("ops/prometheus/alerts.yml");
    public static final Path DASHBOARD = REPO.resolve("ops/grafana/commdesk.json");

    private OpsFiles() {}

    /** Every rule of the alert rule file (alert, expr, labels, annotations). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> alertRules() throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(ALERTS));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    public static List<String> alertExpressions() throws IOException {
        return alertRules().stream().map(r -> (String) r.get("expr")).toList();
    }

    public static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(Files.readString(DASHBOARD));
    }

    /** Every PromQL expression of the dashboard's panels. */
    public static List<String> dashboardExpressions() throws IOException {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) exprs.add(target.path("expr").asText());
        }
        return exprs;
    }
}
