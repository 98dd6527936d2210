package com.commdesk.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark is run by hand (docs/performance.md § 2), so nothing else would notice it rotting (it once died before its
 * first round when the platform's database role changed). Two tiny rounds on the Java test server: every shape runs,
 * the order rotates, every shape's history is the size of its shape; no figure is asserted (speed lives in the printed
 * report, never in a test).
 */
@Timeout(300)
class WorkflowShapeBenchmarkTest {

    @Test
    void twoTinyRoundsRunEveryShapeInARotatedOrder() throws Exception {
        List<String> lines = WorkflowShapeBenchmark.measure("test-server", 6, 2);

        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("round 1 (bare, orchestration, ours): bare "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("round 2 (orchestration, ours, bare): bare "));
        // One remote step, seven local ones and one upsert: 19 events; ours and its orchestration add a version marker.
        assertThat(lines).contains("per bare workflow (mean of 6): 19.0 history events, 0 history bytes, 0.0 state transitions");
        assertThat(lines).contains("per orchestration (mean of 6): 20.0 history events, 0 history bytes, 0.0 state transitions");
        assertThat(lines).contains("per payment (mean of 6): 20.0 history events, 0 history bytes, 0.0 state transitions");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("steady (rounds 2-2): bare "));
    }
}
