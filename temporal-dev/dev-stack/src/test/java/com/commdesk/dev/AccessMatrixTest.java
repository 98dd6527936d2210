package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.dev.auth.DevAuthServer;
import com.commdesk.dev.auth.DevIdentities;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The access matrix of issue 11, through HTTP with real tokens: every endpoint is called by every
 * role, by a community owner of another community, with no token, with an expired token and with a
 * token from another issuer. A caller in the row's allowed set gets past security (its answer may
 * still be a 4xx about the input: the requests are built so that an allowed call writes nothing);
 * anyone else gets 403 (authenticated) or 401 (not), as problem+json, and no table gains a row.
 *
 * <p>This table is the specification, written independently of the API's own access table
 * (SecurityConfiguration.RULES): a change to either that the other does not share fails here.
 */
class AccessMatrixTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PAYMENT = "matrix-pay-1";

    /** Who calls. The first seven are the roles (real tokens: login page or client_credentials). */
    enum Who {
        PLATFORM_ADMIN, FINANCE_APPROVER, FINANCE_VIEWER, OPS, COMMUNITY_OWNER, MEMBER, PAYMENT_SERVICE,
        /** COMMUNITY_OWNER of other-community, not demo-community. */
        OTHER_OWNER,
        NO_TOKEN, EXPIRED_TOKEN, OTHER_ISSUER;

        boolean authenticated() {
            return ordinal() <= OTHER_OWNER.ordinal();
        }
    }

    /** One endpoint: a request that writes nothing when allowed, and who is allowed. */
    record Call(String method, String path, String contentType, String body, Set<Who> allowed) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Call call(String method, String path, String body, Who... allowed) {
        return new Call(method, path, body == null ? null : "application/json", body,
                allowed.length == 0 ? EnumSet.noneOf(Who.class) : EnumSet.of(allowed[0], allowed));
    }

    static Set<Who> all(Who... except) {
        EnumSet<Who> s = EnumSet.range(Who.PLATFORM_ADMIN, Who.OTHER_OWNER);
        for (Who w : except) s.remove(w);
        return s;
    }

    static final Who PA = Who.PLATFORM_ADMIN, FA = Who.FINANCE_APPROVER, FV = Who.FINANCE_VIEWER, OPS = Who.OPS,
            CO = Who.COMMUNITY_OWNER, MEM = Who.MEMBER, PS = Who.PAYMENT_SERVICE, OTHER = Who.OTHER_OWNER;

    static Stream<Call> calls() {
        List<Call> c = new ArrayList<>();
        // payments and refunds (the payment is demo-community's: another owner is refused)
        c.add(call("POST", "/api/v1/payments", "{}", PS));
        c.add(call("GET", "/api/v1/payments/" + PAYMENT, null, PS, OPS, FA, FV, PA, CO));
        c.add(call("POST", "/api/v1/payments/" + PAYMENT + "/refunds", "{\"kind\":\"REFUND\",\"amountPaise\":0,\"reason\":\"x\"}", FA, CO));
        c.add(call("GET", "/api/v1/refunds/no-such-refund", null, FA, FV, OPS, PA));
        // commission rules, fee quotes
        c.add(call("GET", "/api/v1/admin/commission-rules", null, PA, FA, FV));
        c.add(call("GET", "/api/v1/admin/commission-rules/no-such-rule", null, PA, FA, FV));
        c.add(call("POST", "/api/v1/admin/commission-rules", "{}", PA));
        c.add(call("PUT", "/api/v1/admin/commission-rules/no-such-rule", "{}", PA));
        c.add(call("POST", "/api/v1/admin/commission-rules/no-such-rule/deactivate", null, PA));
        c.add(call("POST", "/api/v1/fee-quotes", "{\"communityId\":\"demo-community\"}", PA, FA, FV, CO, PS));
        // h-rules' platform-wide fee bounds: finance may read them and their history, only the platform admin changes them
        c.add(call("GET", "/api/v1/admin/fee-bounds", null, PA, FA, FV));
        c.add(call("GET", "/api/v1/admin/fee-bounds/audit", null, PA, FA, FV));
        c.add(call("PUT", "/api/v1/admin/fee-bounds", "{}", PA));
        // beneficiaries (a member's own, or its community's owner), payouts, settlements
        c.add(call("PUT", "/api/v1/finance/beneficiaries", """
                {"communityId":"demo-community","role":"admins","userId":"u-admin1","name":"","bankAccountNumber":"1"}""", CO, MEM));
        c.add(call("GET", "/api/v1/finance/beneficiaries?communityId=demo-community&role=admins&userId=u-admin1", null, FA, FV, CO, MEM));
        c.add(call("GET", "/api/v1/finance/beneficiaries?communityId=demo-community&role=owner&userId=u-owner", null, FA, FV, CO));
        c.add(call("GET", "/api/v1/me/notices", null, PA, FA, FV, OPS, CO, OTHER, MEM));
        c.add(call("GET", "/api/v1/finance/payouts/pending", null, FA, FV));
        c.add(call("GET", "/api/v1/finance/payouts/attention", null, FA, FV));
        c.add(call("GET", "/api/v1/finance/payouts/late-returns", null, FA, FV, OPS));
        c.add(call("POST", "/api/v1/finance/payouts/no-such-payout/resolve", "{}", FA));
        c.add(call("GET", "/api/v1/finance/payouts/no-such-payout", null, FA, FV, CO, OTHER, MEM));
        c.add(call("POST", "/api/v1/finance/payouts/approve", "{}", FA));
        c.add(call("POST", "/api/v1/finance/payouts/no-such-payout/approve", "{}", FA));
        c.add(call("POST", "/api/v1/finance/payouts/no-such-payout/reject", "{}", FA));
        c.add(call("POST", "/api/v1/finance/payouts/no-such-payout/flag", "{}", FA));
        // owners' refunds above the approval threshold (h-refundappr): finance and owners list them, only approvers decide
        c.add(call("GET", "/api/v1/finance/refunds/pending", null, FA, FV, CO, OTHER));
        c.add(call("POST", "/api/v1/finance/refunds/no-such-refund/approve", "{}", FA));
        c.add(call("POST", "/api/v1/finance/refunds/no-such-refund/reject", "{}", FA));
        c.add(call("POST", "/api/v1/finance/refunds/no-such-refund/resolve-mismatch", "{}", FA));
        c.add(call("POST", "/api/v1/finance/refunds/no-such-refund/resolve-mismatch/withdraw", "{}", FA));
        c.add(call("POST", "/api/v1/finance/recipients/flag", "{}", FA));
        c.add(call("POST", "/api/v1/finance/settlements", "{\"communityId\":\"no-such-community\"}", FA));
        c.add(call("GET", "/api/v1/finance/settlements/no-such-settlement", null, FA, FV, CO, OTHER));
        // operations
        c.add(call("GET", "/api/v1/ops/payments", null, OPS, FA, FV, PA, CO, OTHER));
        c.add(call("POST", "/api/v1/ops/payments/" + PAYMENT + "/retry", "{}", OPS));
        c.add(call("POST", "/api/v1/ops/payments/" + PAYMENT + "/compensate", "{}", OPS));
        c.add(call("POST", "/api/v1/ops/payments/" + PAYMENT + "/cancel", "{}", OPS));
        c.add(call("POST", "/api/v1/ops/payments/" + PAYMENT + "/review", "{}", OPS));
        // refunds that wait for Cashfree or an operator (h-ledger): finance may look, only ops decide
        c.add(call("GET", "/api/v1/ops/refunds", null, OPS, FA, FV, PA));
        c.add(call("POST", "/api/v1/ops/refunds/no-such-refund/retry", "{}", OPS));
        c.add(call("POST", "/api/v1/ops/refunds/no-such-refund/compensate", "{}", OPS));
        c.add(call("POST", "/api/v1/ops/blocklist", "{}", PA));
        // reconciliation
        c.add(call("GET", "/api/v1/reconciliation/exceptions", null, FA, FV));
        c.add(call("GET", "/api/v1/reconciliation/exceptions/999999999", null, FA, FV));
        c.add(call("POST", "/api/v1/reconciliation/exceptions/999999999/adjust", "{}", FA));
        c.add(call("POST", "/api/v1/reconciliation/exceptions/999999999/explain", "{}", FA));
        c.add(new Call("POST", "/api/v1/reconciliation/uploads", "text/csv", " ", EnumSet.of(FA)));
        c.add(call("POST", "/api/v1/reconciliation/runs", "{}", FA));
        // ledger, statements, reports
        c.add(call("GET", "/api/v1/ledger/trial-balance", null, FA, FV, PA, OPS));
        c.add(call("GET", "/api/v1/ledger/invariants", null, FA, FV, PA, OPS));
        c.add(call("GET", "/api/v1/wallets/demo-community/members/u-admin1/statement", null, FA, FV, CO, MEM));
        c.add(call("GET", "/api/v1/wallets/demo-community/members/u-owner/statement", null, FA, FV, CO));
        c.add(call("GET", "/api/v1/wallets/demo-community/statement", null, FA, FV, CO));
        // distributions (issue 15): as the statements; OTHER (another community's owner) never
        c.add(call("GET", "/api/v1/wallets/demo-community/members/u-admin1/distributions", null, FA, FV, CO, MEM));
        c.add(call("GET", "/api/v1/wallets/demo-community/members/u-owner/distributions", null, FA, FV, CO));
        c.add(call("GET", "/api/v1/wallets/demo-community/distributions", null, FA, FV, CO));
        c.add(call("GET", "/api/v1/finance/distributions/review", null, FA, FV));
        c.add(call("GET", "/api/v1/reports/gst/2026-01", null, FA, FV));
        c.add(call("GET", "/api/v1/reports/withholding/2026-01", null, FA, FV));
        // the dashboard's figures, statements and seed 002's reports (issue 12): an owner its own community only,
        // a member its own wallet and payouts only, finance everything, the platform admin the analytics
        c.add(call("GET", "/api/v1/analytics/me", null, PA, FA, FV, OPS, CO, MEM, OTHER));
        for (String p : List.of("overview", "top-communities", "transactions", "refunds")) {
            c.add(call("GET", "/api/v1/analytics/platform/" + p + "?month=2026-01", null, FA, FV, PA));
        }
        for (String p : List.of("overview?month=2026-01", "split?month=2026-01", "members", "transactions?month=2026-01",
                "refunds?month=2026-01", "payouts", "payouts?userId=u-owner", "members/u-owner/wallet")) {
            c.add(call("GET", "/api/v1/analytics/communities/demo-community/" + p, null, FA, FV, PA, CO));
        }
        c.add(call("GET", "/api/v1/analytics/communities/demo-community/members/u-admin1/wallet", null, FA, FV, PA, CO, MEM));
        c.add(call("GET", "/api/v1/analytics/communities/demo-community/payouts?userId=u-admin1", null, FA, FV, PA, CO, MEM));
        c.add(call("GET", "/api/v1/statements/communities/demo-community/2026-01", null, FA, FV, CO));
        c.add(call("GET", "/api/v1/statements/communities/demo-community/2026-01?format=pdf", null, FA, FV, CO));
        c.add(call("GET", "/api/v1/statements/platform/2026-01", null, FA, FV, PA));
        for (String r : List.of("commission-projections", "distributions", "rule-audit")) {
            c.add(call("GET", "/api/v1/reports/" + r + "?communityId=demo-community", null, FA, FV, CO));
        }
        for (String r : List.of("commission-projections", "rule-audit", "rule-effectiveness", "reconciliation-exceptions")) {
            c.add(call("GET", "/api/v1/reports/" + r, null, FA, FV));
        }
        // communities (onboarding)
        c.add(call("POST", "/api/v1/communities", "{}", PA));
        c.add(call("GET", "/api/v1/communities", null, PA, FA, FV, OPS, CO, OTHER));
        c.add(call("GET", "/api/v1/communities/demo-community", null, PA, FA, FV, OPS, CO));
        c.add(call("PUT", "/api/v1/communities/demo-community", "{\"holdDays\":-1}", PA, CO));
        c.add(call("POST", "/api/v1/communities/demo-community/split-agreements", "{}", PA, CO));
        c.add(call("GET", "/api/v1/communities/demo-community/split-agreements", null, PA, FA, FV, OPS, CO));
        // the audit log
        c.add(call("GET", "/api/v1/audit", null, PA, FA, FV));
        // the running process: health is public, the rest is not
        c.add(call("GET", "/actuator/prometheus", null, PA, OPS));
        c.add(call("GET", "/actuator/metrics", null, PA, OPS));
        return c.stream();
    }

    static final Map<Who, String> TOKENS = new LinkedHashMap<>();
    static ConfigurableApplicationContext otherIssuer;

    @BeforeAll
    static void tokensAndAPayment() throws Exception {
        DevStack stack = SharedStack.get();
        for (Who w : Who.values()) {
            if (w.ordinal() < Who.OTHER_OWNER.ordinal()) TOKENS.put(w, SharedStack.token(w.name()));
        }
        TOKENS.put(Who.OTHER_OWNER, SharedStack.userToken("other-owner"));
        // Signed by the real key, with every role, but expired an hour ago (beyond any clock skew).
        TOKENS.put(Who.EXPIRED_TOKEN, SharedStack.mintedToken("admin", Stream.of(Who.values()).limit(7).map(Enum::name).toList(),
                List.of("demo-community"), Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1)));
        // A second, independent authorization server: a genuine token, but not from the issuer the API trusts.
        int port = DevStack.freePort();
        otherIssuer = DevAuthServer.start("127.0.0.1", port, Duration.ofMinutes(5));
        String basic = Base64.getEncoder().encodeToString((DevIdentities.APP_CLIENT_ID + ":" + DevIdentities.APP_CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> t = SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        TOKENS.put(Who.OTHER_ISSUER, JSON.readTree(t.body()).path("access_token").asText());
        TOKENS.put(Who.NO_TOKEN, null);

        stack.simulator().createPaidOrder("matrix_order_1", 100_000L, "INR", Map.of("community_id", "demo-community"), com.commdesk.cashfree.sim.PaymentMethod.CARD);
        HttpResponse<String> created = SharedStack.post("/api/v1/payments", PAYMENT,
                "{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"matrix_order_1\",\"amountPaise\":100000}");
        assertThat(created.statusCode()).as(created.body()).isIn(200, 202);
        assertThat(EndToEndPaymentTest.awaitFinal(PAYMENT).path("stage").asText()).isEqualTo("COMPLETED");
    }

    @AfterAll
    static void stopOtherIssuer() {
        if (otherIssuer != null) otherIssuer.close();
    }

    /** Rows in every table of the schema but derived ones (one statement), to prove a refused call wrote nothing. */
    static String countAll;

    static long rowsEverywhere() {
        var dsl = SharedStack.db().dsl();
        if (countAll == null) countAll = (String) dsl.fetchValue("select string_agg(format('(select count(*) from %I.%I)', table_schema, table_name), ' + ') "
                + "from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' "
                + "and table_name not like 'databasechangelog%' "
                // The dashboard's rollups are derived from the other tables, and the worker's compaction merges
                // their rows every minute: a write would show in the tables they derive from.
                + "and table_name not like 'analytics\\_%\\_delta'");
        return ((Number) dsl.fetchValue("select " + countAll)).longValue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void everyCallerGetsExactlyWhatTheMatrixSays(Call call) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Who who : Who.values()) {
            boolean allowed = call.allowed().contains(who);
            long before = allowed ? 0 : rowsEverywhere();
            Map<String, String> headers = call.method().equals("GET") ? Map.of() : Map.of("Idempotency-Key", "matrix-" + who.ordinal());
            HttpResponse<String> r = SharedStack.send(TOKENS.get(who), call.method(), call.path(), call.contentType(), call.body(), headers);
            int status = r.statusCode();
            if (allowed) {
                if (status == 401 || status == 403 || status >= 500) wrong.add(who + " should pass security, got " + status + " " + r.body());
                continue;
            }
            int expected = who.authenticated() ? 403 : 401;
            if (status != expected) wrong.add(who + " should get " + expected + ", got " + status + " " + r.body());
            else if (!r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                wrong.add(who + ": a refusal must be problem+json, was " + r.headers().firstValue("Content-Type"));
            }
            if (expected == 401 && r.headers().firstValue("WWW-Authenticate").filter(h -> h.startsWith("Bearer")).isEmpty()) {
                wrong.add(who + ": a 401 must say WWW-Authenticate: Bearer");
            }
            long after = rowsEverywhere();
            if (after != before) wrong.add(who + " was refused but " + (after - before) + " rows were written");
        }
        assertThat(wrong).as(call.toString()).isEmpty();
    }

    @Test
    void healthIsPublicButItsDetailsAreNot() throws Exception {
        HttpResponse<String> anonymous = SharedStack.get("/actuator/health", null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(anonymous.body()).path("components").isMissingNode()).as(anonymous.body()).isTrue();
        JsonNode forOps = JSON.readTree(SharedStack.get("/actuator/health", TOKENS.get(Who.OPS)).body());
        assertThat(forOps.path("components").path("db").path("status").asText()).isEqualTo("UP");
    }

    /** Every payment a caller can list, page by page. */
    static List<JsonNode> listed(Who who) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String after = null;
        while (true) {
            HttpResponse<String> r = SharedStack.get("/api/v1/ops/payments?limit=500" + (after == null ? "" : "&after=" + after), TOKENS.get(who));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(r.body());
            if (page.isEmpty()) return out;
            page.forEach(out::add);
            after = page.get(page.size() - 1).path("paymentId").asText();
        }
    }

    @Test
    void aCommunityOwnerListsOnlyItsOwnCommunitysPayments() throws Exception {
        List<JsonNode> own = listed(Who.COMMUNITY_OWNER);
        assertThat(own).extracting(p -> p.path("paymentId").asText()).contains(PAYMENT);
        assertThat(own).allSatisfy(p -> assertThat(p.path("communityId").asText()).isEqualTo("demo-community"));
        assertThat(listed(Who.OTHER_OWNER)).isEmpty();
        assertThat(listed(Who.OPS)).extracting(p -> p.path("paymentId").asText()).contains(PAYMENT);
    }

    @Test
    void aRefusalNamesNeitherTheOtherTenantNorItsIds() throws Exception {
        HttpResponse<String> r = SharedStack.get("/api/v1/payments/" + PAYMENT, TOKENS.get(Who.OTHER_OWNER));
        assertThat(r.statusCode()).isEqualTo(403);
        // Only the caller's own request path is echoed (as the problem's instance), never whose payment it is.
        assertThat(r.body()).doesNotContain("demo-community").doesNotContain("u-owner").doesNotContain("Exception").doesNotContain("at com.");
    }

    @Test
    void theXActorHeaderChangesNothing() throws Exception {
        // A viewer claiming to be someone else in the old header is still a viewer.
        HttpResponse<String> r = SharedStack.send(TOKENS.get(Who.FINANCE_VIEWER), "POST", "/api/v1/ops/blocklist", "application/json",
                "{\"kind\":\"ORDER\",\"value\":\"x\",\"reason\":\"y\"}", Map.of("X-Actor", "admin"));
        assertThat(r.statusCode()).isEqualTo(403);
    }
}
