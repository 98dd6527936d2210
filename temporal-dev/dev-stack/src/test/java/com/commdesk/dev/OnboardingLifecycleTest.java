package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The onboarding lifecycle over HTTP with real tokens: an admin creates a community (idempotently), its
 * owner adds a split agreement, sets a member's beneficiary and changes it (cooling-off), a payment is
 * split by version 1, the owner changes the split with an effective date, and a payment after that time
 * is split by version 2 while the first keeps version 1. Without a PAN, TDS is 5 %.
 */
class OnboardingLifecycleTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String COMMUNITY = "onboard-e2e";

    static String ownerToken() {
        // The community is created by this test, so its owner's token is minted for it by the embedded server's key.
        return SharedStack.mintedToken("owner-onb", List.of("COMMUNITY_OWNER"), List.of(COMMUNITY), Instant.now(), Duration.ofMinutes(15));
    }

    static HttpResponse<String> write(String token, String method, String path, String key, String body) {
        return SharedStack.send(token, method, path, "application/json", body, key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    static JsonNode ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    static JsonNode pay(String order, long amountPaise) throws Exception {
        SharedStack.get().simulator().createPaidOrder(order, amountPaise, "INR", Map.of("community_id", COMMUNITY), PaymentMethod.UPI);
        ok(SharedStack.post("/api/v1/payments", "pay-" + order, "{\"communityId\":\"" + COMMUNITY
                + "\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"" + order + "\",\"amountPaise\":" + amountPaise + "}"), 202);
        JsonNode done = EndToEndPaymentTest.awaitFinal("pay-" + order);
        assertThat(done.path("stage").asText()).as(done.toString()).isEqualTo("COMPLETED");
        return done;
    }

    static long share(JsonNode payment, String role) {
        for (JsonNode s : payment.path("shares")) if (s.path("role").asText().equals(role)) return s.path("amountPaise").asLong();
        throw new AssertionError("no role " + role + " in " + payment);
    }

    @Test
    void createConfigureSplitPayChangeTheSplitAndPayAgain() throws Exception {
        String admin = SharedStack.token("PLATFORM_ADMIN");
        String body = """
                {"communityId":"onboard-e2e","name":"Onboarding E2E","supplierState":"KA","panStatus":"MISSING",
                 "holdDays":0,"payoutCycle":"MANUAL","minPayoutPaise":100,"fraud":{"velocityFloor":1000}}""";
        JsonNode created = ok(write(admin, "POST", "/api/v1/communities", "onb-create-1", body), 201);
        assertThat(created.path("createdBy").asText()).isEqualTo("admin");
        // Idempotent: the same key and body is the saved answer; the same key with another body is refused.
        assertThat(ok(write(admin, "POST", "/api/v1/communities", "onb-create-1", body), 201)).isEqualTo(created);
        assertThat(write(admin, "POST", "/api/v1/communities", "onb-create-1", body.replace("Onboarding E2E", "Other")).statusCode())
                .isEqualTo(409);
        assertThat(write(admin, "POST", "/api/v1/communities", null, body).statusCode()).as("a key is required").isEqualTo(400);

        String owner = ownerToken();
        // A split that does not add up to 10000 bps is refused naming the field, and nothing is stored.
        long versions = SharedStack.count("select count(*) from split_agreement where community_id = ?", COMMUNITY);
        HttpResponse<String> bad = write(owner, "POST", "/api/v1/communities/" + COMMUNITY + "/split-agreements", "onb-bad", """
                {"effectiveFrom":"%s","roles":[{"role":"owner","shareBps":9000,"members":[{"userId":"u-onb-owner"}]}]}"""
                .formatted(Instant.now()));
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(422);
        assertThat(JSON.readTree(bad.body()).path("field").asText()).startsWith("roles");
        assertThat(SharedStack.count("select count(*) from split_agreement where community_id = ?", COMMUNITY)).isEqualTo(versions);

        JsonNode v1 = ok(write(owner, "POST", "/api/v1/communities/" + COMMUNITY + "/split-agreements", "onb-v1", """
                {"effectiveFrom":"%s","note":"launch split","roles":[
                  {"role":"owner","shareBps":6000,"members":[{"userId":"u-onb-owner"}]},
                  {"role":"team","shareBps":4000,"mode":"WEIGHTED","members":[{"userId":"u-onb-a","weight":3},{"userId":"u-onb-b","weight":1}]}]}"""
                // Cashfree reports payment times in whole seconds: start the first version a little before now.
                .formatted(Instant.now().minusSeconds(30))), 201);
        assertThat(v1.path("version").asInt()).isEqualTo(1);
        assertThat(v1.path("createdBy").asText()).isEqualTo("owner-onb");

        // The owner cannot touch the platform's settings of its own community, nor another community at all.
        assertThat(write(owner, "PUT", "/api/v1/communities/" + COMMUNITY, "onb-put-1", "{\"holdDays\":1}").statusCode()).isEqualTo(403);
        assertThat(ok(write(owner, "PUT", "/api/v1/communities/" + COMMUNITY, "onb-put-2", "{\"name\":\"Renamed\"}"), 200)
                .path("name").asText()).isEqualTo("Renamed");
        assertThat(write(owner, "POST", "/api/v1/communities/demo-community/split-agreements", "onb-x", "{}").statusCode()).isEqualTo(403);

        // Beneficiary: a member's first one, set by the member itself, is payable at once; one its owner sets for a member,
        // and any change, is held for the cooling-off (24 h by default), so the owner never chooses where a member's next
        // payout goes before the member can see it.
        String teamBene = "{\"communityId\":\"" + COMMUNITY + "\",\"role\":\"team\",\"userId\":\"u-onb-a\",\"name\":\"Onb A\",";
        JsonNode byOwner = ok(write(owner, "PUT", "/api/v1/finance/beneficiaries", null, teamBene + "\"vpa\":\"onb.a@okhdfc\"}"), 200);
        assertThat(Instant.parse(byOwner.path("payableFrom").asText())).isAfter(Instant.now().plus(Duration.ofHours(23)));
        // The member sees who chose its account and until when nothing is paid to it (and may replace it meanwhile).
        JsonNode seen = ok(SharedStack.get("/api/v1/finance/beneficiaries?communityId=" + COMMUNITY + "&role=team&userId=u-onb-a",
                FourEyesApiTest.minted("u-onb-a", "MEMBER")), 200);
        assertThat(seen.path("createdBy").asText()).isEqualTo("owner-onb");
        assertThat(seen.path("payableFrom").asText()).isEqualTo(byOwner.path("payableFrom").asText());
        assertThat(SharedStack.get("/api/v1/finance/beneficiaries?communityId=" + COMMUNITY + "&role=team&userId=u-onb-b",
                FourEyesApiTest.minted("u-onb-a", "MEMBER")).statusCode()).as("another member's").isEqualTo(403);
        assertThat(SharedStack.get("/api/v1/finance/beneficiaries?communityId=" + COMMUNITY + "&role=team&userId=u-onb-b", owner)
                .statusCode()).as("none set yet").isEqualTo(404);
        String member = FourEyesApiTest.minted("u-onb-owner", "MEMBER");
        String bene = "{\"communityId\":\"" + COMMUNITY + "\",\"role\":\"owner\",\"userId\":\"u-onb-owner\",\"name\":\"Onb Owner\",";
        JsonNode first = ok(write(member, "PUT", "/api/v1/finance/beneficiaries", null, bene + "\"bankAccountNumber\":\"001122334455\",\"ifsc\":\"HDFC0000001\"}"), 200);
        assertThat(first.path("payableFrom").isNull()).isTrue();
        JsonNode changed = ok(write(member, "PUT", "/api/v1/finance/beneficiaries", null, bene + "\"vpa\":\"onb.owner@okhdfc\"}"), 200);
        assertThat(Instant.parse(changed.path("payableFrom").asText())).isAfter(Instant.now().plus(Duration.ofHours(23)));
        // Its owner sees the member's account masked; the member sees it in full.
        String ownersBene = "/api/v1/finance/beneficiaries?communityId=" + COMMUNITY + "&role=owner&userId=u-onb-owner";
        assertThat(ok(SharedStack.get(ownersBene, owner), 200).path("vpa").asText()).isEqualTo("onXXXXXXX@okhdfc");
        assertThat(ok(SharedStack.get(ownersBene, member), 200).path("vpa").asText()).isEqualTo("onb.owner@okhdfc");
        assertThat(ok(write(owner, "PUT", "/api/v1/finance/beneficiaries", null, bene + "\"bankAccountNumber\":\"12\",\"ifsc\":\"HDFC0000001\"}"), 422))
                .isNotNull();

        // Payment A: split by version 1 (60 / 40, the team 3:1); without a PAN, TDS is 5 % of amount - GST.
        JsonNode a = pay("onb_order_a", 1_000_000L);
        assertThat(a.path("splitAgreementVersion").asInt()).isEqualTo(1);
        JsonNode fees = a.path("breakdown");
        long net = fees.path("netPaise").asLong();
        assertThat(share(a, "owner") + share(a, "team")).isEqualTo(net);
        assertThat(share(a, "owner")).isEqualTo(net * 6000 / 10000 + (net * 6000 % 10000 >= 5000 ? 1 : 0));
        long taxable = 1_000_000L - fees.path("gstPaise").asLong();
        assertThat(fees.path("tdsPaise").asLong()).isEqualTo((taxable * 500 + 5000) / 10000);

        // The owner changes the split from a moment ahead; payments from then on use version 2.
        Instant from = Instant.now().plusSeconds(2);
        JsonNode v2 = ok(write(owner, "POST", "/api/v1/communities/" + COMMUNITY + "/split-agreements", "onb-v2", """
                {"effectiveFrom":"%s","note":"even split","roles":[
                  {"role":"owner","shareBps":5000,"members":[{"userId":"u-onb-owner"}]},
                  {"role":"team","shareBps":5000,"members":[{"userId":"u-onb-a"},{"userId":"u-onb-b"}]}]}""".formatted(from)), 201);
        assertThat(v2.path("version").asInt()).isEqualTo(2);
        // An agreement never starts in the past.
        assertThat(write(owner, "POST", "/api/v1/communities/" + COMMUNITY + "/split-agreements", "onb-past", """
                {"effectiveFrom":"2020-01-01T00:00:00Z","roles":[{"role":"owner","shareBps":10000,"members":[{"userId":"u-onb-owner"}]}]}""")
                .statusCode()).isEqualTo(422);
        // Past the effective time by more than a second, as Cashfree's payment time has whole seconds.
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), from).toMillis() + 1200));

        JsonNode b = pay("onb_order_b", 1_000_000L);
        assertThat(b.path("splitAgreementVersion").asInt()).isEqualTo(2);
        assertThat(share(b, "owner")).isEqualTo(share(b, "team"));
        // Payment A still says version 1; both versions stay readable, with who made them.
        assertThat(JSON.readTree(SharedStack.get("/api/v1/payments/pay-onb_order_a").body()).path("splitAgreementVersion").asInt()).isEqualTo(1);
        JsonNode all = JSON.readTree(SharedStack.get("/api/v1/communities/" + COMMUNITY + "/split-agreements", owner).body());
        assertThat(all).extracting(v -> v.path("version").asInt() + " by " + v.path("createdBy").asText())
                .containsExactly("1 by owner-onb", "2 by owner-onb");
        // The audit log has the writes, by subject.
        JsonNode audit = JSON.readTree(SharedStack.get("/api/v1/audit?actor=owner-onb", SharedStack.token("FINANCE_VIEWER")).body());
        assertThat(audit).extracting(e -> e.path("action").asText())
                .contains("POST /api/v1/communities/{communityId}/split-agreements", "PUT /api/v1/finance/beneficiaries");
        // The member's change of its own beneficiary carries the digest of the one it replaced.
        JsonNode byMember = JSON.readTree(SharedStack.get("/api/v1/audit?actor=u-onb-owner", SharedStack.token("FINANCE_VIEWER")).body());
        assertThat(byMember).anySatisfy(e -> assertThat(e.path("beforeDigest").asText()).hasSize(64));
        // Owners see only their communities.
        assertThat(JSON.readTree(SharedStack.get("/api/v1/communities", owner).body())).extracting(c -> c.path("communityId").asText())
                .containsExactly(COMMUNITY);
    }
}
