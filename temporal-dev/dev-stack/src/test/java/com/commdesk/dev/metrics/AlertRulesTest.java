package com.commdesk.dev.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every alert can be acted on: a severity, a team, a summary, a one-line runbook and a runbook section
 * in docs/operations.md that its runbook_url points at. (Whether the rules fire is promtool's
 * `test rules` in .ci/run; whether their metrics exist is ObservabilityTest.)
 */
class AlertRulesTest {
    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasASeverityATeamAndARunbookSectionInTheOperationsDoc() throws Exception {
        String doc = Files.readString(OpsFiles.REPO.resolve("docs/operations.md"));
        List<Map<String, Object>> rules = OpsFiles.alertRules();
        assertThat(rules).hasSizeGreaterThan(20);
        for (Map<String, Object> rule : rules) {
            String name = (String) rule.get("alert");
            Map<String, String> labels = (Map<String, String>) rule.get("labels");
            Map<String, String> annotations = (Map<String, String>) rule.get("annotations");
            assertThat(labels.get("severity")).as(name).isIn("page", "ticket");
            assertThat(labels.get("team")).as(name).isNotBlank();
            assertThat(annotations.get("summary")).as(name).isNotBlank();
            assertThat(annotations.get("runbook")).as(name).isNotBlank().doesNotContain("\n");
            assertThat(annotations.get("runbook_url")).as(name).isEqualTo("docs/operations.md#" + name.toLowerCase(Locale.ROOT));
            assertThat(doc).as("docs/operations.md has a runbook section for %s", name).contains("\n#### " + name + "\n");
        }
        assertThat(rules.stream().map(r -> r.get("alert")).distinct()).hasSameSizeAs(rules);
    }
}
