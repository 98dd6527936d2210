package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A community owner's refund requests over HTTP with real tokens: at or below the threshold (Rs 5,000 by
 * default) it proceeds as finance's would; above it, it waits with nothing reserved and nothing sent to
 * Cashfree until a finance approver other than the requester (any letter case) approves or rejects it.
 */
class RefundApprovalsApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PAYMENT = "rfa-pay-1";
    /** The threshold is on what an owner asks for in total per payment: these tests each have a payment of their own. */
    static final String AT_THRESHOLD_PAYMENT = "rfa-pay-2";
    static final String SPLIT_PAYMENT = "rfa-pay-3";
    static DevStack stack;

    @BeforeAll
    static void completedPayments() throws Exception {
        stack = SharedStack.get();
        for (String payment : List.of(PAYMENT, AT_THRESHOLD_PAYMENT, SPLIT_PAYMENT)) {
            String order = payment.replace("rfa-pay-", "rfa_order_");
            stack.simulator().createPaidOrder(order, 3_000_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.CARD);
            SharedStack.post("/api/v1/payments", payment, "{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\""
                    + order + "\",\"amountPaise\":3000000}");
        }
        for (String payment : List.of(PAYMENT, AT_THRESHOLD_PAYMENT, SPLIT_PAYMENT)) {
            assertThat(EndToEndPaymentTest.awaitFinal(payment).path("stage").asText()).isEqualTo("COMPLETED");
        }
    }

    static String token(String subject, String role, String... communities) {
        return SharedStack.mintedToken(subject, List.of(role), List.of(communities), Instant.now(), Duration.ofMinutes(15));
    }

    static final String OWNER = token("owner-meera", "COMMUNITY_OWNER", "demo-community");

    static HttpResponse<String> ask(String token, String key, long amountPaise) {
        return ask(token, PAYMENT, key, amountPaise);
    }

    static HttpResponse<String> ask(String token, String payment, String key, long amountPaise) {
        return SharedStack.send(token, "POST", "/api/v1/payments/" + payment + "/refunds", "application/json",
                "{\"kind\":\"REFUND\",\"amountPaise\":" + amountPaise + ",\"reason\":\"event cancelled\"}", Map.of("Idempotency-Key", key));
    }

    static HttpResponse<String> decide(String token, String key, String decision) {
        return SharedStack.send(token, "POST", "/api/v1/finance/refunds/" + key + "/" + decision, "application/json",
                "{\"note\":\"checked the booking\"}", Map.of());
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    static long reserved(String key) {
        return SharedStack.count("select count(*) from refund where refund_id = ?", key);
    }

    static List<String> pending(String token) {
        HttpResponse<String> r = SharedStack.get("/api/v1/finance/refunds/pending", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode n : json(r)) ids.add(n.path("refundId").asText());
        return ids;
    }

    @Test
    void aboveTheThresholdItWaitsWithNothingReservedUntilAnotherApproverApproves() throws Exception {
        HttpResponse<String> asked = ask(OWNER, "rfa-1", 600_000);
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        assertThat(json(asked).path("stage").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(json(ask(OWNER, "rfa-1", 600_000)).path("stage").asText()).as("a repeat").isEqualTo("AWAITING_APPROVAL");
        assertThat(reserved("rfa-1")).isZero();
        assertThat(stack.simulator().refunds().find("rfa-1")).isEmpty();
        assertThat(json(SharedStack.get("/api/v1/refunds/rfa-1")).path("stage").asText()).isEqualTo("AWAITING_APPROVAL");

        assertThat(pending(OWNER)).contains("rfa-1");
        assertThat(pending(SharedStack.token("FINANCE_VIEWER"))).contains("rfa-1");
        assertThat(pending(token("owner-other", "COMMUNITY_OWNER", "other-community"))).doesNotContain("rfa-1");

        // Four eyes: the requester cannot approve in any letter case, even holding the approver role; an owner cannot at all.
        HttpResponse<String> self = decide(token("OWNER-Meera", "FINANCE_APPROVER"), "rfa-1", "approve");
        assertThat(self.statusCode()).as(self.body()).isEqualTo(403);
        assertThat(decide(OWNER, "rfa-1", "approve").statusCode()).isEqualTo(403);
        assertThat(reserved("rfa-1")).isZero();

        String approver = token("finance-ravi", "FINANCE_APPROVER");
        HttpResponse<String> approved = decide(approver, "rfa-1", "approve");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(202);
        JsonNode done = RefundsApiTest.awaitRefund("rfa-1");
        assertThat(done.path("stage").asText()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(stack.simulator().refunds().find("rfa-1")).hasValueSatisfying(r -> assertThat(r.amountPaise()).isEqualTo(600_000L));
        assertThat(decide(approver, "rfa-1", "approve").statusCode()).as("approving again is the same approval").isEqualTo(202);
        assertThat(decide(approver, "rfa-1", "reject").statusCode()).isEqualTo(409);
        assertThat(decide(token("finance-asha", "FINANCE_APPROVER"), "rfa-1", "approve").statusCode())
                .as("another approver's repeat is not answered as their approval (review s12: the audit log credited them)").isEqualTo(409);
        assertThat(reserved("rfa-1")).isEqualTo(1);
        assertThat(pending(SharedStack.token("FINANCE_VIEWER"))).doesNotContain("rfa-1");
        assertThat(SharedStack.count("select count(*) from refund_approval where refund_id = 'rfa-1' and status = 'APPROVED' "
                + "and decided_by = 'finance-ravi'")).isEqualTo(1);
        assertThat(SharedStack.count("select count(*) from audit_log where actor = 'finance-ravi' and target = ?",
                "/api/v1/finance/refunds/rfa-1/approve")).isEqualTo(2);
        RefundsApiTest.booksAreWhole();
    }

    @Test
    void aRejectedRefundIsFinalAndMovedNothing() throws Exception {
        assertThat(json(ask(OWNER, "rfa-2", 700_000)).path("stage").asText()).isEqualTo("AWAITING_APPROVAL");
        HttpResponse<String> rejected = decide(token("finance-ravi", "FINANCE_APPROVER"), "rfa-2", "reject");
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        assertThat(json(rejected).path("stage").asText()).isEqualTo("REJECTED");
        assertThat(json(SharedStack.get("/api/v1/refunds/rfa-2")).path("stage").asText()).isEqualTo("REJECTED");
        assertThat(decide(token("finance-asha", "FINANCE_APPROVER"), "rfa-2", "approve").statusCode()).isEqualTo(409);
        assertThat(json(ask(OWNER, "rfa-2", 700_000)).path("stage").asText()).as("asking again with the same key").isEqualTo("REJECTED");
        assertThat(reserved("rfa-2")).isZero();
        assertThat(stack.simulator().refunds().find("rfa-2")).isEmpty();
    }

    @Test
    void atTheThresholdAnOwnersRefundProceedsAsFinancesWould() throws Exception {
        assertThat(ask(OWNER, AT_THRESHOLD_PAYMENT, "rfa-3", 500_000).statusCode()).isEqualTo(202);
        assertThat(RefundsApiTest.awaitRefund("rfa-3").path("stage").asText()).isEqualTo("COMPLETED");
        assertThat(SharedStack.count("select count(*) from refund_approval where refund_id = 'rfa-3'")).isZero();
    }

    @Test
    void anOwnerWhoSplitsARefundWaitsOnceTheTotalAskedForPassesTheThreshold() throws Exception {
        assertThat(ask(OWNER, SPLIT_PAYMENT, "rfa-s1", 300_000).statusCode()).isEqualTo(202);
        assertThat(RefundsApiTest.awaitRefund("rfa-s1").path("stage").asText()).isEqualTo("COMPLETED");
        // 300,000 + 300,000 is above the Rs 5,000 threshold: the second part waits for finance like one large refund.
        HttpResponse<String> second = ask(OWNER, SPLIT_PAYMENT, "rfa-s2", 300_000);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
        assertThat(json(second).path("stage").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(reserved("rfa-s2")).isZero();
        assertThat(stack.simulator().refunds().find("rfa-s2")).isEmpty();
        assertThat(SharedStack.count("select count(*) from refund_approval where refund_id = 'rfa-s2' and requested_total_paise = 600000"))
                .isEqualTo(1);
    }

    @Test
    void anotherCommunitysOwnerIsRefusedAndNothingIsWritten() {
        HttpResponse<String> r = ask(token("owner-other", "COMMUNITY_OWNER", "other-community"), "rfa-4", 600_000);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(SharedStack.count("select count(*) from refund_request where refund_id = 'rfa-4'")).isZero();
        assertThat(decide(token("finance-ravi", "FINANCE_APPROVER"), "rfa-none", "approve").statusCode()).isEqualTo(404);
    }
}
