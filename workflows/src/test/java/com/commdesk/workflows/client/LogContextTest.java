package com.commdesk.workflows.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payload;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogContextTest {
    public record Request(String paymentId, String communityId, String customerPhone, long amountPaise) {}

    public record Payout(String payoutId, String communityId) {}

    @Test
    void idsComeFromRecordComponentsOfThoseNamesAndNothingElse() {
        Map<String, String> ids = LogContext.idsOf("plain", null, new Request("pay-1", "demo", "9876543210", 100),
                new Payout("po_1", "other"));
        assertThat(ids).containsExactlyInAnyOrderEntriesOf(Map.of("paymentId", "pay-1", "communityId", "demo", "payoutId", "po_1"));
    }

    @Test
    void anIdThatCouldForgeALogLineIsNotLogged() {
        assertThat(LogContext.safe("pay-1")).isEqualTo("pay-1");
        assertThat(LogContext.safe("pay-1\n{\"level\":\"ERROR\"}")).isNull();
        assertThat(LogContext.safe("x".repeat(129))).isNull();
        assertThat(LogContext.idsOf(new Request("a b", "demo", null, 1))).containsOnlyKeys("communityId");
    }

    @Test
    void theRequestIdTravelsAsAHeader() {
        // (Into and out of the MDC is StructuredLogsTest's: this module logs through slf4j-simple, whose MDC is a no-op.)
        LogContext.RequestIdPropagator p = new LogContext.RequestIdPropagator();
        Map<String, Payload> header = p.serializeContext("req-1");
        assertThat(header).containsOnlyKeys(LogContext.REQUEST_ID);
        assertThat(p.deserializeContext(header)).isEqualTo("req-1");
        assertThat(p.deserializeContext(Map.of())).isNull();
        assertThat(p.serializeContext("bad id\n")).isEmpty();
        assertThat(p.serializeContext(null)).isEmpty();
    }
}
