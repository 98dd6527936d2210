package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * s14 left undone: an owner may set or change a member's payout account (it then waits the community's cooling-off, so
 * the member can replace it), but nothing told the member. The member now finds each such account among its own notices
 * (GET /api/v1/me/notices), written by the database whatever path set the account, and no one reads another's.
 */
class MemberNoticesApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Unique per run: the dev stack may be one a previous run left (a fixed id would be 409 on creation). */
    static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    static final String COMMUNITY = "notices-e2e-" + RUN;
    static final String MEMBER = "u-notice-member-" + RUN;

    @Test
    void aMemberIsToldWhenItsOwnerSetsItsPayoutAccountAndNoOneElseReadsIt() throws Exception {
        String admin = SharedStack.token("PLATFORM_ADMIN");
        String owner = FourEyesApiTest.minted("notice-owner", "COMMUNITY_OWNER", COMMUNITY);
        assertThat(FourEyesApiTest.call(admin, "POST", "/api/v1/communities", """
                {"communityId":"%s","name":"Notices","supplierState":"KA","panStatus":"VERIFIED","holdDays":0,
                 "payoutCycle":"MANUAL","minPayoutPaise":100}""".formatted(COMMUNITY)).statusCode()).isEqualTo(201);
        assertThat(FourEyesApiTest.call(owner, "POST", "/api/v1/communities/" + COMMUNITY + "/split-agreements", """
                {"effectiveFrom":"%s","roles":[{"role":"owner","shareBps":10000,"members":[{"userId":"%s"}]}]}"""
                .formatted(Instant.now().minusSeconds(30), MEMBER)).statusCode()).isEqualTo(201);
        String member = FourEyesApiTest.minted(MEMBER, "MEMBER");
        assertThat(notices(member)).as("nothing yet").isEmpty();

        HttpResponse<String> set = FourEyesApiTest.call(owner, "PUT", "/api/v1/finance/beneficiaries", """
                {"communityId":"%s","role":"owner","userId":"%s","name":"Notice Member","bankAccountNumber":"000111229876",
                 "ifsc":"HDFC0000001"}""".formatted(COMMUNITY, MEMBER));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

        JsonNode notices = notices(member);
        assertThat(notices).hasSize(1);
        JsonNode n = notices.get(0);
        assertThat(n.path("kind").asText()).isEqualTo("PAYOUT_ACCOUNT_SET");
        assertThat(n.path("setBy").asText()).isEqualTo("notice-owner");
        assertThat(n.path("communityId").asText()).isEqualTo(COMMUNITY);
        assertThat(n.path("accountHint").asText()).contains("9876").doesNotContain("000111229876");
        assertThat(n.path("payableFrom").asText()).as("held for the cooling-off").isNotBlank();

        assertThat(notices(owner)).as("the owner's own notices, not its member's").isEmpty();
        // Review s15: the owner's masked view of the account carried the beneficiary's id, a digest of the full details
        // from which the hidden digits could be found by trying them.
        JsonNode masked = JSON.readTree(SharedStack.get("/api/v1/finance/beneficiaries?communityId=" + COMMUNITY + "&role=owner&userId="
                + MEMBER, owner).body());
        assertThat(masked.path("bankAccountNumber").asText()).isEqualTo("XXXXXXXX9876");
        assertThat(masked.path("beneficiaryId").isNull()).as(masked.toString()).isTrue();
        assertThat(JSON.readTree(SharedStack.get("/api/v1/finance/beneficiaries?communityId=" + COMMUNITY + "&role=owner&userId=" + MEMBER,
                member).body()).path("beneficiaryId").asText()).as("the member's own view keeps it").startsWith("bene_");
        assertThat(SharedStack.get("/api/v1/me/notices?limit=0", member).statusCode()).isEqualTo(400);
        assertThat(SharedStack.get("/api/v1/me/notices", (String) null).statusCode())
                .as("a token is required").isEqualTo(401);
    }

    static JsonNode notices(String token) throws Exception {
        HttpResponse<String> r = SharedStack.get("/api/v1/me/notices", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
