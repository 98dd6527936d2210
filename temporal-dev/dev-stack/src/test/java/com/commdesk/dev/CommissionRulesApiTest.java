package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.ledger.LedgerDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The commission-rule admin API, the fee-quote API and a stored rule applied to a real payment, all
 * over HTTP against the whole platform. Every rule here has a condition no other test's payment can
 * match (its own source type, community or campaign), so the shared stack's other tests are unaffected.
 */
class CommissionRulesApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RULES = "/api/v1/admin/commission-rules";
    static LedgerDatabase db;

    @BeforeAll
    static void start() {
        db = SharedStack.db();
    }


    static String seedSchedule() {
        return JSON.writeValueAsString(FeeSchedules.seedExamples());
    }

    static final String SPEC_ROLES = """
            [{"role":"owner","shareBps":5000,"members":[{"userId":"u-owner"}]},
             {"role":"admins","shareBps":2000,"members":[{"userId":"u-admin1"},{"userId":"u-admin2"}]},
             {"role":"moderators","shareBps":1000,"members":[{"userId":"u-mod1"}]},
             {"role":"event_team","shareBps":2000,"members":[{"userId":"u-event1"},{"userId":"u-event2"},{"userId":"u-event3"}]}]""";

    static HttpResponse<String> send(String method, String path, String actor, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(SharedStack.api(path))).timeout(Duration.ofSeconds(20));
        if (actor != null) b.header("Authorization", "Bearer " + SharedStack.actorToken(actor, method, path));
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return SharedStack.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    static void problem(HttpResponse<String> r, int status, String field) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("detail").asText()).isNotBlank();
        if (field != null) assertThat(p.path("field").asText()).as(r.body()).isEqualTo(field);
    }

    static String rule(String ruleId, int priority, String condition, String schedule, String roles) {
        return """
                {"ruleId":%s,"priority":%d,"effectiveFrom":"2020-01-01T00:00:00Z","condition":%s,"schedule":%s%s}
                """.formatted(ruleId == null ? "null" : "\"" + ruleId + "\"", priority, condition, schedule,
                roles == null ? "" : ",\"roles\":" + roles);
    }

    static long count(String sql) {
        return ((Number) db.dsl().fetchValue(sql)).longValue();
    }

    // ---------------------------------------------------------------------------------------------
    // Quotes

    @Test
    void theSpecsExampleOneQuotedWithAnInlineSeedScheduleAndTheSpecsRoles() {
        long audit = count("select count(*) from commission_rule_audit");
        JsonNode q = ok(SharedStack.post("/api/v1/fee-quotes", null, """
                {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","schedule":%s,"roles":%s}
                """.formatted(seedSchedule(), SPEC_ROLES)), 200);

        assertThat(q.path("amountPaise").asLong()).isEqualTo(1_000_000);
        assertThat(q.path("gstPaise").asLong()).isEqualTo(180_000);
        assertThat(q.path("gatewayFeePaise").asLong()).isEqualTo(16_400);
        assertThat(q.path("gatewayFeeGstPaise").asLong()).isEqualTo(2_900);
        assertThat(q.path("platformFeePaise").asLong()).isEqualTo(80_000);
        assertThat(q.path("platformFeeGstPaise").asLong()).isEqualTo(12_200);
        assertThat(q.path("tcsPaise").asLong()).isZero();
        assertThat(q.path("tdsPaise").asLong()).isZero();
        assertThat(q.path("netPaise").asLong()).isEqualTo(720_700);
        assertThat(q.path("gstHeads").path("igstPaise").asLong()).isEqualTo(180_000);
        assertThat(q.path("shares")).extracting(s -> s.path("role").asText() + "=" + s.path("amountPaise").asLong())
                .containsExactly("owner=360350", "admins=144140", "moderators=72070", "event_team=144140");
        assertThat(q.path("shares").get(1).path("members")).extracting(m -> m.path("amountPaise").asLong()).containsExactly(72_070L, 72_070L);
        assertThat(q.path("ruleId").isNull()).isTrue();
        assertThat(q.path("scheduleSource").asText()).isEqualTo("inline");
        assertThat(q.path("rolesSource").asText()).isEqualTo("inline");
        assertThat(count("select count(*) from commission_rule_audit")).isEqualTo(audit); // a quote writes nothing
    }

    @Test
    void withoutAnInlineScheduleTheStoredRuleOrElseTheDefaultPresetApplies() {
        // the default preset, the community's own roles and its supplier state (KA, with KA: intra-state)
        JsonNode d = ok(SharedStack.post("/api/v1/fee-quotes", null, """
                {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","communityId":"demo-community","placeOfSupply":"KA"}
                """), 200);
        assertThat(d.path("scheduleSource").asText()).isEqualTo("default");
        assertThat(d.path("scheduleName").asText()).isEqualTo(FeeSchedules.RECOMMENDED_DEFAULT);
        assertThat(d.path("rolesSource").asText()).isEqualTo("community");
        assertThat(d.path("gstPaise").asLong()).isEqualTo(152_542);
        assertThat(d.path("gstHeads").path("cgstPaise").asLong() + d.path("gstHeads").path("sgstPaise").asLong()).isEqualTo(152_542);
        assertThat(d.path("shares")).hasSize(4);

        String schedule = seedSchedule().replace("\"PREMIUM\"", "\"QUOTETEST\"");
        ok(send("POST", RULES, "quote-test", rule("quote-rule", 1, """
                {"op":"eq","field":"sourceType","value":"QUOTETEST"}""", schedule,
                "[{\"role\":\"all\",\"shareBps\":10000,\"members\":[{\"userId\":\"u1\"},{\"userId\":\"u2\"}]}]")), 201);
        JsonNode r = ok(SharedStack.post("/api/v1/fee-quotes", null, """
                {"amountPaise":1000000,"sourceType":"QUOTETEST","paymentMethod":"UPI"}"""), 200);
        assertThat(r.path("ruleId").asText()).isEqualTo("quote-rule");
        assertThat(r.path("ruleVersion").asInt()).isEqualTo(1);
        assertThat(r.path("scheduleSource").asText()).isEqualTo("rule");
        assertThat(r.path("rolesSource").asText()).isEqualTo("rule");
        assertThat(r.path("netPaise").asLong()).isEqualTo(720_700);
        assertThat(r.path("shares").get(0).path("members")).extracting(m -> m.path("amountPaise").asLong()).containsExactly(360_350L, 360_350L);
        // quoting does not use the version up
        assertThat(ok(SharedStack.get(RULES + "/quote-rule"), 200).path("rule").path("usedAt").isNull()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON           | {"amountPaise":                                      | 400 |
            zero amount              | {"amountPaise":0}                                    | 400 | amountPaise
            amount above 10^12       | {"amountPaise":1000000000001}                        | 400 | amountPaise
            fractional amount        | {"amountPaise":10.5}                                 | 400 | amountPaise
            unknown field            | {"amountPasie":100}                                  | 400 | amountPasie
            unknown enum             | {"schedule":{"gstMethod":"SOMETIMES"}}               | 400 | schedule.gstMethod
            missing schedule field   | {"schedule":{"tcsRateBps":null}}                     | 400 | schedule.tcsRateBps
            rate above 10000         | {"schedule":{"gatewayFeeByMethod":{"CARD":{"rateBps":10001,"fixedPaise":0}}}} | 422 | schedule.gatewayFee.CARD.rateBps
            negative rate            | {"schedule":{"gstRateBps":-1}}                       | 422 | schedule.gstRateBps
            outside admin bounds     | {"schedule":{"platformFeeBySource":{"EVENT":{"rate":{"rateBps":2500,"fixedPaise":0}}}}} | 422 | schedule.platformFee.EVENT.rate.rateBps
            shares not 10000         | {"roles":[{"role":"owner","shareBps":9000,"members":[{"userId":"u1"}]}]} | 422 | roles
            duplicate roles          | {"roles":[{"role":"a","shareBps":5000,"members":[{"userId":"u1"}]},{"role":"A","shareBps":5000,"members":[{"userId":"u2"}]}]} | 422 | roles[1].role
            empty FIXED members      | {"roles":[{"role":"owner","shareBps":10000,"mode":"FIXED","members":[]}]} | 422 | roles[0].members
            deductions above amount  | {"amountPaise":100,"schedule":{"gatewayFeeByMethod":{"CARD":{"rateBps":0,"fixedPaise":1000}}}} | 422 | amountPaise
            unknown source type      | {"sourceType":"DONATION"}                            | 422 | sourceType
            unknown community        | {"communityId":"no-such-community"}                  | 422 | communityId
            unknown role mode        | {"roles":[{"role":"owner","shareBps":10000,"mode":"RANDOM","members":[{"userId":"u1"}]}]} | 400 | roles[0].mode
            """)
    void badQuoteInputIsAProblemNamingTheField(String name, String patch, int status, String field) {
        String body;
        if (patch.endsWith(":")) {
            body = patch; // malformed as given
        } else {
            ObjectNode base = (ObjectNode) JSON.readTree("""
                    {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","schedule":%s}""".formatted(seedSchedule()));
            merge(base, JSON.readTree(patch));
            body = JSON.writeValueAsString(base);
        }
        problem(SharedStack.post("/api/v1/fee-quotes", null, body), status, field);
    }

    /** Deep-merges {@code patch} into {@code target} (objects merge, everything else replaces). */
    static void merge(ObjectNode target, JsonNode patch) {
        for (var e : patch.properties()) {
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue().isObject()) merge(o, e.getValue());
            else target.set(e.getKey(), e.getValue());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Admin API

    @Test
    void rulesAreCreatedVersionedDeactivatedAndAudited() {
        String cond = """
                {"op":"eq","field":"communityId","value":"admin-test-community"}""";
        HttpResponse<String> created = send("POST", RULES, "alice@commdesk", rule("admin-rule", 100, cond, seedSchedule(), null));
        JsonNode v1 = ok(created, 201);
        assertThat(created.headers().firstValue("Location")).hasValue(RULES + "/admin-rule");
        assertThat(v1.path("version").asInt()).isEqualTo(1);
        assertThat(v1.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(v1.path("condition").path("op").asText()).isEqualTo("eq");
        assertThat(v1.path("schedule").path("name").asText()).isEqualTo(FeeSchedules.SEED_EXAMPLES);

        // same priority, same community: a tie with admin-rule
        HttpResponse<String> tie = send("POST", RULES, "bob", rule("admin-rule-2", 100, cond, seedSchedule(), null));
        problem(tie, 409, "priority");
        assertThat(JSON.readTree(tie.body()).path("otherRuleId").asText()).isEqualTo("admin-rule");
        problem(send("POST", RULES, "bob", rule("ADMIN-RULE", 7, cond, seedSchedule(), null)), 409, "ruleId");

        JsonNode v2 = ok(send("PUT", RULES + "/admin-rule", "bob", rule(null, 101, cond, seedSchedule(), SPEC_ROLES)), 200);
        assertThat(v2.path("version").asInt()).isEqualTo(2);
        assertThat(v2.path("priority").asInt()).isEqualTo(101);
        assertThat(v2.path("roles")).hasSize(4);
        assertThat(v2.path("updatedBy").asText()).isEqualTo("bob");

        JsonNode off = ok(send("POST", RULES + "/admin-rule/deactivate", "carol", null), 200);
        assertThat(off.path("status").asText()).isEqualTo("INACTIVE");
        problem(send("POST", RULES + "/admin-rule/deactivate", "carol", null), 409, "ruleId");

        JsonNode h = ok(SharedStack.get(RULES + "/admin-rule"), 200);
        assertThat(h.path("rule").path("status").asText()).isEqualTo("INACTIVE");
        assertThat(h.path("versions")).extracting(v -> v.path("version").asInt()).containsExactly(1, 2);
        assertThat(h.path("audit")).extracting(a -> a.path("action").asText() + " by " + a.path("actor").asText())
                .containsExactly("CREATE by alice@commdesk", "UPDATE by bob", "DEACTIVATE by carol");
        assertThat(h.path("audit").get(1).path("before").path("priority").asInt()).isEqualTo(100);
        assertThat(h.path("audit").get(1).path("after").path("priority").asInt()).isEqualTo(101);
        assertThat(h.path("audit").get(0).path("changedAt").asText()).isNotBlank();

        JsonNode list = ok(SharedStack.get(RULES), 200);
        assertThat(list).extracting(r -> r.path("ruleId").asText()).contains("admin-rule");
        problem(SharedStack.get(RULES + "/no-such-rule"), 404, "ruleId");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no token            | -     | {"ruleId":"bad-rule","priority":1}                                      | 401 |
            no rule id          | ops   | {"priority":1}                                                          | 400 | ruleId
            no priority         | ops   | {"ruleId":"bad-rule","priority":null}                                   | 400 | priority
            bad rule id         | ops   | {"ruleId":"bad rule"}                                                   | 422 | ruleId
            unknown condition op | ops  | {"ruleId":"bad-rule","condition":{"op":"sometimes"}}                    | 422 | condition.op
            unknown field       | ops   | {"ruleId":"bad-rule","condition":{"op":"eq","field":"colour","value":"red"}} | 422 | condition.field
            rate out of bounds  | ops   | {"ruleId":"bad-rule","schedule":{"platformFeeBySource":{"EVENT":{"rate":{"rateBps":100,"fixedPaise":0}}}}} | 422 | schedule.platformFee.EVENT.rate.rateBps
            shares not 10000    | ops   | {"ruleId":"bad-rule","roles":[{"role":"a","shareBps":1,"members":[{"userId":"u"}]}]} | 422 | roles
            window backwards    | ops   | {"ruleId":"bad-rule","effectiveTo":"2019-01-01T00:00:00Z"}              | 422 | effectiveTo
            unknown enum        | ops   | {"ruleId":"bad-rule","schedule":{"rounding":{"unit":"DOLLAR"}}}         | 400 | schedule.rounding.unit
            """)
    void badRuleInputIsAProblemNamingTheFieldAndWritesNothing(String name, String actor, String patch, int status, String field) {
        long audit = count("select count(*) from commission_rule_audit");
        ObjectNode base = (ObjectNode) JSON.readTree(rule("bad-rule", 5, """
                {"op":"eq","field":"communityId","value":"bad-rule-community"}""", seedSchedule(), null));
        merge(base, JSON.readTree(patch));
        if (!patch.contains("\"ruleId\"")) base.remove("ruleId");
        problem(send("POST", RULES, "-".equals(actor) ? null : actor, JSON.writeValueAsString(base)), status, field);
        assertThat(count("select count(*) from commission_rule_audit")).isEqualTo(audit);
    }

    // ---------------------------------------------------------------------------------------------
    // End to end

    @Test
    void aStoredSponsorRuleIsAppliedToARealPaymentAndRecordedInTheLedger() throws Exception {
        ok(send("POST", RULES, "finance", rule("e2e-sponsor-12", 10, """
                {"op":"and","conditions":[{"op":"eq","field":"communityId","value":"demo-community"},
                  {"op":"eq","field":"sourceType","value":"SPONSOR"},{"op":"eq","field":"metadata.campaign","value":"rules-e2e"}]}""",
                seedSchedule(), "[{\"role\":\"owner\",\"shareBps\":10000,\"members\":[{\"userId\":\"u-owner\"}]}]")), 201);
        SharedStack.get().simulator().createPaidOrder("rules_e2e_order", 5_000_000L, "INR", Map.of("community_id", "demo-community"),
                PaymentMethod.CARD);

        HttpResponse<String> created = SharedStack.post("/api/v1/payments", "rules-e2e-pay", """
                {"communityId":"demo-community","sourceType":"SPONSOR","cashfreeOrderId":"rules_e2e_order","amountPaise":5000000,
                 "metadata":{"campaign":"rules-e2e"}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode view = EndToEndPaymentTest.awaitFinal("rules-e2e-pay");

        assertThat(view.path("stage").asText()).as(view.toString()).isEqualTo("COMPLETED");
        assertThat(view.path("ruleId").asText()).isEqualTo("e2e-sponsor-12");
        assertThat(view.path("ruleVersion").asInt()).isEqualTo(1);
        // the spec's Example 2 under the seed schedule: platform fee 12 % = 4,803.00, net 35,230.00
        assertThat(view.path("breakdown").path("platformFeePaise").asLong()).isEqualTo(480_300);
        assertThat(view.path("breakdown").path("netPaise").asLong()).isEqualTo(3_523_000);
        // the rule's roles, not the community's
        assertThat(view.path("shares")).singleElement().satisfies(s -> {
            assertThat(s.path("role").asText()).isEqualTo("owner");
            assertThat(s.path("amountPaise").asLong()).isEqualTo(3_523_000);
        });
        var row = db.dsl().fetchOne("select rule_id, rule_version, schedule_name, platform_fee_paise, net_revenue_paise "
                + "from revenue_transaction where idempotency_key = 'rules-e2e-pay'");
        assertThat(row).isNotNull();
        assertThat(row.get("rule_id", String.class)).isEqualTo("e2e-sponsor-12");
        assertThat(row.get("rule_version", Integer.class)).isEqualTo(1);
        assertThat(row.get("schedule_name", String.class)).isEqualTo(FeeSchedules.SEED_EXAMPLES);
        assertThat(row.get("platform_fee_paise", Long.class)).isEqualTo(480_300L);
        // the version is now used, hence frozen; editing makes version 2
        assertThat(ok(SharedStack.get(RULES + "/e2e-sponsor-12"), 200).path("rule").path("usedAt").isNull()).isFalse();
        assertThat(count("select count(*) from commission_rule_version where rule_id = 'e2e-sponsor-12' and used_at is not null")).isEqualTo(1);
    }
}
