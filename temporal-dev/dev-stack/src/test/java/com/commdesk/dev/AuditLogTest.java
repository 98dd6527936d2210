package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Every write by a person or service lands in the append-only audit log, readable by admins and finance. */
class AuditLogTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aWriteIsAuditedWithWhoWhatTargetDigestsAndRequestId() throws Exception {
        String admin = SharedStack.token("PLATFORM_ADMIN");
        String body = "{\"kind\":\"CUSTOMER\",\"value\":\"audit-test-customer\",\"reason\":\"audit test\"}";
        HttpResponse<String> r = SharedStack.send(admin, "POST", "/api/v1/ops/blocklist", "application/json", body,
                Map.of("X-Request-Id", "audit-req-1"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("X-Request-Id")).hasValue("audit-req-1");

        JsonNode entries = JSON.readTree(SharedStack.get("/api/v1/audit?actor=ADMIN&target=/api/v1/ops/blocklist",
                SharedStack.token("FINANCE_VIEWER")).body());
        JsonNode e = entries.get(0);
        assertThat(e.path("actor").asText()).isEqualTo("admin");
        assertThat(e.path("actorRole").asText()).isEqualTo("PLATFORM_ADMIN");
        assertThat(e.path("action").asText()).isEqualTo("POST /api/v1/ops/blocklist");
        assertThat(e.path("target").asText()).isEqualTo("/api/v1/ops/blocklist");
        assertThat(e.path("httpStatus").asInt()).isEqualTo(201);
        assertThat(e.path("requestId").asText()).isEqualTo("audit-req-1");
        assertThat(e.path("requestDigest").asText()).isEqualTo(sha256(body));
        assertThat(e.path("afterDigest").asText()).isEqualTo(sha256(r.body()));
        assertThat(e.path("occurredAt").asText()).isNotBlank();
    }

    @Test
    void readsAndRefusedWritesAreNotEntries() throws Exception {
        long before = SharedStack.count("select count(*) from audit_log");
        SharedStack.get("/api/v1/ledger/trial-balance");
        SharedStack.send(SharedStack.token("OPS"), "POST", "/api/v1/ops/blocklist", "application/json", "{}", Map.of());
        SharedStack.send(SharedStack.token("PLATFORM_ADMIN"), "POST", "/api/v1/ops/blocklist", "application/json", "{}", Map.of());
        assertThat(SharedStack.count("select count(*) from audit_log")).isEqualTo(before);
    }

    @Test
    void theDatabaseKeepsTheLogAppendOnlyEvenForTheApplicationsConnection() {
        var dsl = SharedStack.db().dsl();
        SharedStack.send(SharedStack.token("PLATFORM_ADMIN"), "POST", "/api/v1/ops/blocklist", "application/json",
                "{\"kind\":\"ORDER\",\"value\":\"audit-append-only\",\"reason\":\"test\"}", Map.of());
        // The application's connection (the runtime role) has no right to change it at all ...
        assertThatThrownBy(() -> dsl.execute("update audit_log set actor = 'someone-else'")).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> dsl.execute("delete from audit_log")).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> dsl.execute("truncate audit_log")).hasMessageContaining("permission denied");
        // ... and even the schema's owner is stopped by the table's own guard: two locks, each checked.
        try (var owner = SharedStack.owner(SharedStack.get())) {
            var o = owner.dsl();
            assertThatThrownBy(() -> o.execute("update audit_log set actor = 'someone-else'")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> o.execute("delete from audit_log")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> o.execute("truncate audit_log")).hasMessageContaining("append-only");
        }
        assertThat(dsl.fetchCount(dsl.selectFrom("audit_log"))).isPositive();
    }

    @Test
    void onlyAdminsAndFinanceReadIt() {
        assertThat(SharedStack.get("/api/v1/audit", SharedStack.token("OPS")).statusCode()).isEqualTo(403);
        assertThat(SharedStack.get("/api/v1/audit", SharedStack.token("COMMUNITY_OWNER")).statusCode()).isEqualTo(403);
        assertThat(SharedStack.get("/api/v1/audit", SharedStack.token("PLATFORM_ADMIN")).statusCode()).isEqualTo(200);
        assertThat(SharedStack.get("/api/v1/audit?limit=0", SharedStack.token("FINANCE_APPROVER")).statusCode()).isEqualTo(400);
    }
}
