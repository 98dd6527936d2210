package com.commdesk.workflows.refund;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a decision looks like on the wire, to a worker older than its {@code round} field (docs/operations.md). */
class RefundDecisionTest {
    private static String wire(RefundDecision d) {
        return DefaultDataConverter.STANDARD_INSTANCE.toPayload(d).orElseThrow().getData().toString(StandardCharsets.UTF_8);
    }

    @Test
    void anOperatorsDecisionCarriesNoRoundFieldSoAnOlderWorkerStillReadsIt() {
        // Review s8 L1: "round":null was written, and a worker that does not know the field dropped RETRY and COMPENSATE too.
        assertThat(wire(new RefundDecision(RefundDecision.Action.RETRY, "ops-ravi", "ask again"))).doesNotContain("round");
        assertThat(wire(new RefundDecision(RefundDecision.Action.COMPENSATE, "ops-ravi", null))).doesNotContain("round");
    }

    @Test
    void aResolutionCarriesItsRoundAndReadsBack() {
        RefundDecision resolution = new RefundDecision(RefundDecision.Action.RESOLVE_PAID, "fin-anita+fin-ravi", "paid", 2);
        assertThat(wire(resolution)).contains("\"round\":2");
        var payload = DefaultDataConverter.STANDARD_INSTANCE.toPayload(resolution).orElseThrow();
        assertThat(DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, RefundDecision.class, RefundDecision.class)).isEqualTo(resolution);
    }
}
