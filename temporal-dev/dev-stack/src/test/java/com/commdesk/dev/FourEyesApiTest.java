package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.ledger.HoldReleases;
import com.commdesk.ledger.Ledger;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Four eyes over HTTP with tokens from the embedded authorization server: the finance user who started a
 * settlement (approver1, logged in through the login page) cannot approve its payout, not even as
 * "APPROVER1" (subjects compare case-insensitively) or in bulk; the payout's recipient cannot approve
 * its own payout; a second approver (approver2) can, and the payout is paid once — but not with an approval of what it
 * saw before the payout was flagged (review P7: the flag generation it read goes with the approval, like an If-Match).
 */
class FourEyesApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String COMMUNITY = "four-eyes-e2e";
    static final String RECIPIENT = "u-fe-owner";

    static HttpResponse<String> call(String token, String method, String path, String body) {
        return SharedStack.send(token, method, path, "application/json", body, Map.of("Idempotency-Key", "fe-" + Math.abs(body.hashCode())));
    }

    static String minted(String subject, String role, String... communities) {
        return SharedStack.mintedToken(subject, List.of(role), List.of(communities), Instant.now(), Duration.ofMinutes(15));
    }

    @Test
    void theRequesterInAnyLetterCaseAndTheRecipientCannotApproveASecondApproverCan() throws Exception {
        DevStack stack = SharedStack.get();
        String admin = SharedStack.token("PLATFORM_ADMIN");
        String owner = minted("fe-owner", "COMMUNITY_OWNER", COMMUNITY);
        assertThat(call(admin, "POST", "/api/v1/communities", """
                {"communityId":"four-eyes-e2e","name":"Four eyes","supplierState":"KA","panStatus":"VERIFIED","holdDays":0,
                 "payoutCycle":"MANUAL","minPayoutPaise":100}""").statusCode()).isEqualTo(201);
        assertThat(call(owner, "POST", "/api/v1/communities/" + COMMUNITY + "/split-agreements", """
                {"effectiveFrom":"%s","roles":[{"role":"owner","shareBps":10000,"members":[{"userId":"%s"}]}]}"""
                .formatted(Instant.now().minusSeconds(30), RECIPIENT)).statusCode()).isEqualTo(201);
        assertThat(call(minted(RECIPIENT, "MEMBER"), "PUT", "/api/v1/finance/beneficiaries", """
                {"communityId":"four-eyes-e2e","role":"owner","userId":"%s","name":"Fe Owner","bankAccountNumber":"000111222444",
                 "ifsc":"HDFC0000001"}""".formatted(RECIPIENT)).statusCode()).isEqualTo(200);

        // ₹1,00,000 paid: the owner's share is above the approval threshold.
        stack.simulator().createPaidOrder("fe_order_1", 10_000_000L, "INR", Map.of("community_id", COMMUNITY), PaymentMethod.UPI);
        assertThat(SharedStack.post("/api/v1/payments", "fe-pay-1", "{\"communityId\":\"" + COMMUNITY
                + "\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"fe_order_1\",\"amountPaise\":10000000}").statusCode()).isEqualTo(202);
        assertThat(EndToEndPaymentTest.awaitFinal("fe-pay-1").path("stage").asText()).isEqualTo("COMPLETED");
        new HoldReleases(new Ledger(SharedStack.db().dsl())).releaseDueHolds(OffsetDateTime.now(), 1000);

        String approver1 = SharedStack.userToken("approver1");
        HttpResponse<String> started = call(approver1, "POST", "/api/v1/finance/settlements", "{\"communityId\":\"" + COMMUNITY + "\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(JSON.readTree(started.body()).path("requestedBy").asText()).isEqualTo("approver1");
        String settlementId = JSON.readTree(started.body()).path("settlementId").asText();
        JsonNode pending = PayoutsApiTest.await("/api/v1/finance/settlements/" + settlementId, v -> v.path("payouts").size() == 1
                && "PENDING_APPROVAL".equals(v.path("payouts").get(0).path("status").asText()));
        String payoutId = pending.path("payouts").get(0).path("payoutId").asText();
        // Review s15: the beneficiary id is a digest of the member's full account details; its owner does not get it.
        assertThat(pending.path("payouts").get(0).path("beneficiaryId").asText()).as("finance sees it").startsWith("bene_");
        JsonNode ownersView = JSON.readTree(SharedStack.get("/api/v1/finance/settlements/" + settlementId, owner).body());
        assertThat(ownersView.path("payouts").get(0).path("beneficiaryId").isNull()).as(ownersView.toString()).isTrue();
        assertThat(JSON.readTree(SharedStack.get("/api/v1/finance/payouts/" + payoutId, owner).body()).path("payout")
                .path("beneficiaryId").isNull()).isTrue();
        String approve = "/api/v1/finance/payouts/" + payoutId + "/approve";

        assertThat(call(approver1, "POST", approve, "{\"note\":\"mine\"}").statusCode()).as("the requester").isEqualTo(403);
        assertThat(call(minted("APPROVER1", "FINANCE_APPROVER"), "POST", approve, "{\"note\":\"shouting\"}").statusCode())
                .as("the requester in capitals").isEqualTo(403);
        assertThat(call(minted("U-FE-Owner", "FINANCE_APPROVER"), "POST", approve, "{\"note\":\"paying myself\"}").statusCode())
                .as("the recipient").isEqualTo(403);
        JsonNode bulk = JSON.readTree(call(approver1, "POST", "/api/v1/finance/payouts/approve",
                "{\"payoutIds\":[\"" + payoutId + "\"],\"note\":\"bulk\"}").body());
        assertThat(bulk.get(0).path("result").asText()).isEqualTo("skipped");
        assertThat(stack.simulator().payouts().transferRequests(payoutId)).isZero();

        // Review P7: approver2 looks at the payout; approver1 flags it before approver2 clicks approve. The approval carries the
        // flag generation approver2 saw, so it is refused (409) and nothing is signalled; approving what is there now counts.
        String approver2 = SharedStack.userToken("approver2");
        int seen = JSON.readTree(SharedStack.send(approver2, "GET", "/api/v1/finance/payouts/" + payoutId, null, null, Map.of()).body())
                .path("payout").path("flagGeneration").asInt(-1);
        assertThat(seen).isGreaterThanOrEqualTo(0);
        assertThat(call(approver1, "POST", "/api/v1/finance/payouts/" + payoutId + "/flag", "{\"reason\":\"bank details changed\"}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> stale = call(approver2, "POST", approve, "{\"note\":\"looked fine\",\"flagGeneration\":" + seen + "}");
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
        assertThat(stale.body()).contains("flagged since you looked").contains("bank details changed");
        assertThat(JSON.readTree(SharedStack.send(approver2, "GET", "/api/v1/finance/payouts/" + payoutId, null, null, Map.of()).body()).path("payout")
                .path("status").asText()).isEqualTo("PENDING_APPROVAL");
        assertThat(stack.simulator().payouts().transferRequests(payoutId)).isZero();
        int now = JSON.readTree(SharedStack.send(approver2, "GET", "/api/v1/finance/payouts/" + payoutId, null, null, Map.of()).body())
                .path("payout").path("flagGeneration").asInt();
        assertThat(now).isEqualTo(seen + 1);
        assertThat(call(approver2, "POST", approve, "{\"note\":\"checked the new bank details\",\"flagGeneration\":" + now + "}")
                .statusCode()).isEqualTo(202);
        JsonNode paid = PayoutsApiTest.await("/api/v1/finance/payouts/" + payoutId, v -> "PAID".equals(v.path("payout").path("status").asText()));
        assertThat(paid.path("payout").path("decidedBy").asText()).isEqualTo("approver2");
        assertThat(stack.simulator().payouts().transferRequests(payoutId)).isEqualTo(1);
    }
}
