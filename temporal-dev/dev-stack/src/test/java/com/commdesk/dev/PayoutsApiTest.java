package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.ledger.HoldReleases;
import com.commdesk.ledger.Ledger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A payout end to end over HTTP: a paid payment, its hold released, a beneficiary registered, a
 * manual settlement requested by one finance user and approved by another (four eyes: the requester
 * is refused), one transfer at the simulator, its signed SUCCESS webhook (and a duplicate) through
 * the API, the member's wallet paid out and the books balanced.
 */
class PayoutsApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Its own community (MANUAL, no hold, one owner taking everything), so no other test's money moves. */
    static final String COMMUNITY = "payout-e2e";
    static final String OWNER = "u-po-owner";

    static HttpResponse<String> send(String method, String path, String actor, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(SharedStack.api(path))).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").method(method, json == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (actor != null) {
            // A beneficiary is set by its member (only the member's own first one is payable at once); the rest are finance people.
            String token = path.startsWith("/api/v1/finance/beneficiaries")
                    ? SharedStack.mintedToken(actor, java.util.List.of("MEMBER"), java.util.List.of(), java.time.Instant.now(),
                            Duration.ofMinutes(15))
                    : SharedStack.actorToken(actor, method, path);
            b.header("Authorization", "Bearer " + token);
        }
        return SharedStack.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode await(String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = SharedStack.get(path);
            JsonNode view = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
            if (view != null && done.test(view)) return view;
            if (System.nanoTime() > deadline) throw new AssertionError(path + " still " + r.statusCode() + " " + r.body());
            Thread.sleep(200);
        }
    }

    static long wallet(String column) {
        return SharedStack.count("select coalesce(sum(" + column + "), 0) from member_wallet where community_id = ? and user_id = ?",
                COMMUNITY, OWNER);
    }

    @Test
    void aSettlementIsApprovedByFourEyesPaidOnceAndConfirmedByWebhook() throws Exception {
        DevStack stack = SharedStack.get();
        var dsl = SharedStack.db().dsl();
        dsl.execute("insert into community (community_id, name, tier, supplier_state, hold_days, payout_policy, min_payout_paise)"
                + " values (?, 'Payout E2E', 'STANDARD', 'KA', 0, 'MANUAL', 10000)", COMMUNITY);
        dsl.execute("insert into community_role (community_id, role, share_bps, split_mode, position) values (?, 'owner', 10000, 'EQUAL', 0)", COMMUNITY);
        dsl.execute("insert into community_member (community_id, role, user_id, position) values (?, 'owner', ?, 0)", COMMUNITY, OWNER);

        // A paid ₹1,00,000 payment: the owner's share is above the ₹50,000 approval threshold.
        stack.simulator().createPaidOrder("payout_order_1", 10_000_000L, "INR", Map.of("community_id", COMMUNITY), PaymentMethod.UPI);
        assertThat(SharedStack.post("/api/v1/payments", "payout-pay-1", "{\"communityId\":\"" + COMMUNITY
                + "\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"payout_order_1\",\"amountPaise\":10000000}").statusCode()).isEqualTo(202);
        assertThat(EndToEndPaymentTest.awaitFinal("payout-pay-1").path("stage").asText()).isEqualTo("COMPLETED");
        // The hold ends (hold_days 0): what the worker's release job does, for this community's due holds.
        assertThat(new HoldReleases(new Ledger(dsl)).releaseDueHolds(OffsetDateTime.now(), 1000)).isPositive();
        long available = wallet("available_paise");
        assertThat(available).isGreaterThan(5_000_000L);

        assertThat(send("PUT", "/api/v1/finance/beneficiaries", OWNER, "{\"communityId\":\"" + COMMUNITY
                + "\",\"role\":\"owner\",\"userId\":\"" + OWNER + "\",\"name\":\"Payout Owner\",\"ifsc\":\"HDFC0000001\","
                + "\"bankAccountNumber\":\"000111222333\"}").statusCode()).isEqualTo(200);

        HttpResponse<String> started = send("POST", "/api/v1/finance/settlements", "finance-asha", "{\"communityId\":\"" + COMMUNITY + "\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String settlementId = JSON.readTree(started.body()).path("settlementId").asText();
        JsonNode pending = await("/api/v1/finance/settlements/" + settlementId, v -> v.path("payouts").size() == 1
                && "PENDING_APPROVAL".equals(v.path("payouts").get(0).path("status").asText()));
        String payoutId = pending.path("payouts").get(0).path("payoutId").asText();
        assertThat(pending.path("payouts").get(0).path("amountPaise").asLong()).isEqualTo(available);
        assertThat(wallet("locked_paise")).isEqualTo(available);

        // Issue 15: the owner's share is in this payout, awaiting review beside the rule and agreement that produced it.
        JsonNode review = JSON.readTree(SharedStack.get("/api/v1/finance/distributions/review?communityId=" + COMMUNITY).body());
        assertThat(review.size()).as(review.toString()).isEqualTo(1);
        assertThat(review.get(0).path("userId").asText()).isEqualTo(OWNER);
        assertThat(review.get(0).path("totalPaise").asLong()).isEqualTo(available);
        assertThat(review.get(0).path("distributions").get(0).path("paymentId").asText()).isEqualTo("payout-pay-1");
        assertThat(review.get(0).path("distributions").get(0).has("ruleVersion")).isTrue();
        assertThat(review.get(0).path("distributions").get(0).has("agreementVersion")).isTrue();
        assertThat(memberDistribution().path("status").asText()).isEqualTo("PENDING");
        HttpResponse<String> badLimit = SharedStack.get("/api/v1/wallets/" + COMMUNITY + "/members/" + OWNER + "/distributions?limit=0");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");

        // Four eyes: the requester may not approve, alone or in bulk; another finance user may.
        assertThat(send("POST", "/api/v1/finance/payouts/" + payoutId + "/approve", "finance-asha", "{\"note\":\"mine\"}").statusCode())
                .isEqualTo(403);
        JsonNode bulk = JSON.readTree(send("POST", "/api/v1/finance/payouts/approve", "finance-asha",
                "{\"payoutIds\":[\"" + payoutId + "\"],\"note\":\"mine\"}").body());
        assertThat(bulk.get(0).path("result").asText()).isEqualTo("skipped");
        assertThat(stack.simulator().payouts().transferRequests(payoutId)).isZero();
        assertThat(send("POST", "/api/v1/finance/payouts/" + payoutId + "/approve", "finance-ravi", "{\"note\":\"checked\"}").statusCode())
                .isEqualTo(202);

        // The transfer is paid; its SUCCESS came back as a signed webhook through the API.
        JsonNode paid = await("/api/v1/finance/payouts/" + payoutId, v -> "PAID".equals(v.path("payout").path("status").asText()));
        assertThat(paid.path("payout").path("decidedBy").asText()).isEqualTo("finance-ravi");
        await("/api/v1/finance/payouts/" + payoutId, v -> webhooks(v) >= 1);
        assertThat(stack.simulator().payouts().transferRequests(payoutId)).isEqualTo(1);
        assertThat(wallet("paid_out_paise")).isEqualTo(available);
        assertThat(wallet("available_paise") + wallet("locked_paise")).isZero();

        // The same webhook delivered again: recognised by its event id (transfer, status, code), nothing changes.
        int before = webhooks(JSON.readTree(SharedStack.get("/api/v1/finance/payouts/" + payoutId).body()));
        stack.simulator().payouts().resendWebhook(payoutId); // delivered synchronously
        Thread.sleep(500);
        assertThat(webhooks(JSON.readTree(SharedStack.get("/api/v1/finance/payouts/" + payoutId).body()))).isEqualTo(before);
        assertThat(SharedStack.count("select count(*) from webhook_event where order_id = ?", payoutId)).isEqualTo(1);
        assertThat(stack.simulator().payouts().transferRequests(payoutId)).isEqualTo(1);
        assertThat(SharedStack.count("select count(*) from journal where idempotency_key = ?", "payout_paid:payout:" + payoutId))
                .isEqualTo(1);
        assertThat(wallet("paid_out_paise")).isEqualTo(available);
        assertThat(JSON.readTree(SharedStack.get("/api/v1/finance/payouts/" + payoutId).body()).path("payout").path("status").asText())
                .isEqualTo("PAID");

        // Finance's resolve path is for payouts that need attention only; nothing needs it here.
        HttpResponse<String> resolve = send("POST", "/api/v1/finance/payouts/" + payoutId + "/resolve", "finance-ravi",
                "{\"outcome\":\"FAILED\",\"note\":\"bank shows nothing\"}");
        assertThat(resolve.statusCode()).as(resolve.body()).isEqualTo(409);
        assertThat(send("POST", "/api/v1/finance/payouts/" + payoutId + "/resolve", "finance-ravi", "{\"outcome\":\"MAYBE\",\"note\":\"x\"}")
                .statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(SharedStack.get("/api/v1/finance/payouts/attention?communityId=" + COMMUNITY).body()).size()).isZero();
        assertThat(SharedStack.count("select count(*) from payout_beneficiary where community_id = ? and cashfree_beneficiary_id is not null",
                COMMUNITY)).as("the beneficiary was registered with Cashfree under its id").isEqualTo(1);

        // Issue 15: the member sees the distribution PAID, and by which payout.
        JsonNode distribution = memberDistribution();
        assertThat(distribution.path("status").asText()).isEqualTo("PAID");
        assertThat(distribution.path("paidPaise").asLong()).isEqualTo(available);
        assertThat(distribution.path("allocations").get(0).path("payoutId").asText()).isEqualTo(payoutId);
        assertThat(JSON.readTree(SharedStack.get("/api/v1/finance/distributions/review?communityId=" + COMMUNITY).body()).size()).isZero();

        // The wallet statement shows the payout, and the books hold.
        JsonNode statement = JSON.readTree(SharedStack.get("/api/v1/wallets/" + COMMUNITY + "/members/" + OWNER + "/statement").body());
        assertThat(statement.path("lines").valueStream().map(l -> l.path("journalKind").asText())).contains("PAYOUT_LOCK", "PAYOUT_PAID");
        JsonNode settlement = await("/api/v1/finance/settlements/" + settlementId,
                v -> "PAID".equals(v.path("settlement").path("status").asText()));
        assertThat(settlement.path("payouts").size()).isEqualTo(1);
        JsonNode invariants = JSON.readTree(SharedStack.get("/api/v1/ledger/invariants").body());
        assertThat(invariants.path("violations").size()).as(invariants.toString()).isZero();

        theBankReferenceIsShownWhereverThePayoutIs(payoutId);
    }

    /** The UTR Cashfree sent with the transfer's SUCCESS: on the payout, its community's list, the monthly statement (CSV, PDF) and the pages. */
    private static void theBankReferenceIsShownWhereverThePayoutIs(String payoutId) throws Exception {
        String utr = SharedStack.get().simulator().payouts().sentWebhooks().stream().map(w -> JSON.readTree(w.rawBody()).path("data"))
                .filter(d -> payoutId.equals(d.path("transfer_id").asText()) && "SUCCESS".equals(d.path("status").asText()))
                .map(d -> d.path("transfer_utr").asText("")).findFirst().orElseThrow();
        assertThat(utr).matches("[A-Za-z0-9]{1,40}");
        assertThat(JSON.readTree(SharedStack.get("/api/v1/finance/payouts/" + payoutId).body()).path("payout").path("bankUtr").asText())
                .isEqualTo(utr);
        assertThat(SharedStack.count("select count(*) from payout_event where payout_id = ? and status = 'UTR'", payoutId))
                .as("recorded once, whether the status fetch or the webhook brought it first").isEqualTo(1);
        JsonNode list = JSON.readTree(SharedStack.get("/api/v1/analytics/communities/" + COMMUNITY + "/payouts").body());
        assertThat(list.get(0).path("bankUtr").asText()).isEqualTo(utr);

        String month = java.time.YearMonth.now(java.time.ZoneId.of("Asia/Kolkata")).toString();
        String statement = "/api/v1/statements/communities/" + COMMUNITY + "/" + month;
        assertThat(SharedStack.get(statement + "?format=csv").body()).contains("UTR " + utr);
        HttpResponse<byte[]> pdf = SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(SharedStack.api(statement + "?format=pdf")))
                .header("Authorization", "Bearer " + SharedStack.token("FINANCE_VIEWER")).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        org.openpdf.text.pdf.PdfReader reader = new org.openpdf.text.pdf.PdfReader(pdf.body());
        StringBuilder text = new StringBuilder();
        for (int p = 1; p <= reader.getNumberOfPages(); p++) {
            text.append(new org.openpdf.text.pdf.parser.PdfTextExtractor(reader).getTextFromPage(p));
        }
        assertThat(text.toString().replaceAll("\\s+", "")).contains("UTR" + utr);

        DashboardSession finance = DashboardSession.login("viewer");
        assertThat(finance.get("/dashboard/communities/" + COMMUNITY).body()).contains(utr);
        assertThat(finance.get("/dashboard/payouts/" + payoutId).body()).contains("Bank reference (UTR)").contains(utr);
    }

    /** The owner's only distribution in the test community, as the API shows it. */
    static JsonNode memberDistribution() throws Exception {
        JsonNode page = JSON.readTree(SharedStack.get("/api/v1/wallets/" + COMMUNITY + "/members/" + OWNER + "/distributions").body());
        assertThat(page.path("distributions").size()).as(page.toString()).isEqualTo(1);
        return page.path("distributions").get(0);
    }

    static int webhooks(JsonNode payoutView) {
        int n = 0;
        for (JsonNode e : payoutView.path("events")) if ("WEBHOOK".equals(e.path("status").asText())) n++;
        return n;
    }
}
