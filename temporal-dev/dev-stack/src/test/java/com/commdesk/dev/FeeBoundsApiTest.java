package com.commdesk.dev;

import static com.commdesk.dev.CommissionRulesApiTest.JSON;
import static com.commdesk.dev.CommissionRulesApiTest.RULES;
import static com.commdesk.dev.CommissionRulesApiTest.ok;
import static com.commdesk.dev.CommissionRulesApiTest.problem;
import static com.commdesk.dev.CommissionRulesApiTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.FeeSchedules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The platform-wide fee bounds over HTTP: one place, changed only through the admin API with a platform admin's token,
 * audited, and applied to every rule save and every quote. The bounds are put back after each test (the
 * stack is shared).
 */
class FeeBoundsApiTest {
    static final String BOUNDS = "/api/v1/admin/fee-bounds";
    static final String DEFAULT = """
            {"minPlatformFeeBps":500,"maxPlatformFeeBps":2000,"maxPlatformFixedPaise":0}""";

    @AfterEach
    void restore() {
        ok(send("PUT", BOUNDS, "test-restore", DEFAULT), 200);
    }

    static String scheduleWithEventRate(int bps) {
        return CommissionRulesApiTest.seedSchedule().replace("\"PREMIUM\"", "\"BOUNDSTEST\"")
                .replace("\"EVENT\":{\"rate\":{\"rateBps\":1000", "\"EVENT\":{\"rate\":{\"rateBps\":" + bps);
    }

    @Test
    void changedOnlyByAnAdminAndAudited() {
        JsonNode initial = ok(SharedStack.get(BOUNDS), 200);
        assertThat(initial.path("minPlatformFeeBps").asInt()).isEqualTo(500);
        assertThat(initial.path("maxPlatformFeeBps").asInt()).isEqualTo(2000);
        long revision = initial.path("revision").asLong();

        // only a platform admin's token changes them (no token: 401; a finance approver: 403)
        problem(send("PUT", BOUNDS, null, DEFAULT), 401, null);
        problem(SharedStack.send(SharedStack.token("FINANCE_APPROVER"), "PUT", BOUNDS, "application/json", DEFAULT, java.util.Map.of()),
                403, null);
        problem(send("PUT", BOUNDS, "alice", """
                {"minPlatformFeeBps":500,"maxPlatformFeeBps":2000}"""), 400, "maxPlatformFixedPaise");
        problem(send("PUT", BOUNDS, "alice", """
                {"minPlatformFeeBps":2100,"maxPlatformFeeBps":2000,"maxPlatformFixedPaise":0}"""), 422, "minPlatformFeeBps");
        problem(send("PUT", BOUNDS, "alice", """
                {"minPlatformFeeBps":500,"maxPlatformFeeBps":2000,"maxPlatformFixedPaise":0,"note":"x"}"""), 400, "note");

        JsonNode wider = ok(send("PUT", BOUNDS, "alice", """
                {"minPlatformFeeBps":400,"maxPlatformFeeBps":2500,"maxPlatformFixedPaise":1000}"""), 200);
        assertThat(wider.path("revision").asLong()).isEqualTo(revision + 1);
        assertThat(wider.path("updatedBy").asText()).isEqualTo("alice");
        JsonNode audit = ok(SharedStack.get(BOUNDS + "/audit"), 200);
        JsonNode last = audit.get(audit.size() - 1);
        assertThat(last.path("actor").asText()).isEqualTo("alice");
        assertThat(last.path("before").path("maxPlatformFeeBps").asInt()).isEqualTo(2000);
        assertThat(last.path("after").path("maxPlatformFeeBps").asInt()).isEqualTo(2500);
        assertThat(last.path("changedAt").asText()).isNotBlank();

        // a 25 % inline schedule quotes within the wider bounds, and the quote says which bounds applied
        JsonNode q = ok(SharedStack.post("/api/v1/fee-quotes", null, """
                {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","schedule":%s}""".formatted(scheduleWithEventRate(2500))), 200);
        assertThat(q.path("feeBounds").path("maxPlatformFeeBps").asInt()).isEqualTo(2500);
    }

    @Test
    void ruleSavesAndQuotesAreCheckedAndBoundsCannotStrandAnActiveRule() {
        // above the bounds: refused at save, naming the field; nothing stored
        problem(send("POST", RULES, "ops", CommissionRulesApiTest.rule("bounds-too-high", 1, """
                {"op":"eq","field":"sourceType","value":"BOUNDSTEST"}""", scheduleWithEventRate(2100), null)), 422,
                "schedule.platformFee.EVENT.rate.rateBps");
        problem(SharedStack.get(RULES + "/bounds-too-high"), 404, "ruleId");

        // the default preset quotes fall back to is 10 % / 12 %: bounds of at most 9 % are refused, naming it
        var r = send("PUT", BOUNDS, "alice", """
                {"minPlatformFeeBps":500,"maxPlatformFeeBps":900,"maxPlatformFixedPaise":0}""");
        problem(r, 409, "maxPlatformFeeBps");
        assertThat(JSON.readTree(r.body()).path("ruleIds").toString()).contains("default:" + FeeSchedules.RECOMMENDED_DEFAULT);

        // an active 18 % rule keeps the maximum from dropping below 18 %
        ok(send("POST", RULES, "ops", CommissionRulesApiTest.rule("bounds-18", 1, """
                {"op":"eq","field":"sourceType","value":"BOUNDSTEST"}""", scheduleWithEventRate(1800), null)), 201);
        var stranded = send("PUT", BOUNDS, "alice", """
                {"minPlatformFeeBps":500,"maxPlatformFeeBps":1500,"maxPlatformFixedPaise":0}""");
        problem(stranded, 409, "maxPlatformFeeBps");
        assertThat(JSON.readTree(stranded.body()).path("ruleIds").toString()).contains("bounds-18");
        ok(send("POST", RULES + "/bounds-18/deactivate", "ops", null), 200);
        ok(send("PUT", BOUNDS, "alice", """
                {"minPlatformFeeBps":500,"maxPlatformFeeBps":1500,"maxPlatformFixedPaise":0}"""), 200);

        // and every quote is checked against the bounds of the moment
        problem(SharedStack.post("/api/v1/fee-quotes", null, """
                {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","schedule":%s}""".formatted(scheduleWithEventRate(1800))),
                422, "schedule.platformFee.EVENT.rate.rateBps");
    }
}
