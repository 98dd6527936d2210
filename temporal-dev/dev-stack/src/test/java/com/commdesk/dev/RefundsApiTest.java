package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.ledger.LedgerDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Refunds over HTTP: the real SDK asks the simulator to refund, and the books take it back proportionally. */
class RefundsApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static DevStack stack;
    static LedgerDatabase db;

    @BeforeAll
    static void aCompletedPayment() throws Exception {
        stack = SharedStack.get();
        db = SharedStack.db();
        stack.simulator().createPaidOrder("refund_order_1", 1_000_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.CARD);
        SharedStack.post("/api/v1/payments", "refund-pay-1",
                "{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"refund_order_1\",\"amountPaise\":1000000}");
        assertThat(EndToEndPaymentTest.awaitFinal("refund-pay-1").path("stage").asText()).isEqualTo("COMPLETED");
    }


    static HttpResponse<String> refund(String key, String json) throws Exception {
        return SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(SharedStack.api("/api/v1/payments/refund-pay-1/refunds")))
                .header("Content-Type", "application/json").header("Idempotency-Key", key).header("Authorization", "Bearer " + SharedStack.actorToken("support-asha", "POST", "/api/v1/payments/refund-pay-1/refunds"))
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode awaitRefund(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode s = JSON.readTree(SharedStack.get("/api/v1/refunds/" + id).body());
            if (List.of("COMPLETED", "FAILED", "NEEDS_ATTENTION").contains(s.path("stage").asText())) return s;
            if (System.nanoTime() > deadline) throw new AssertionError("refund " + id + " still " + s);
            Thread.sleep(200);
        }
    }

    static long count(String sql, Object... binds) {
        return SharedStack.count(sql, binds);
    }

    @Test
    void aPartialRefundGoesThroughCashfreeAndTheBooksOnceEvenWhenRepeated() throws Exception {
        assertThat(refund("rf-e2e-1", "{\"kind\":\"REFUND\",\"amountPaise\":250000,\"reason\":\"seat cancelled\"}").statusCode()).isEqualTo(202);
        JsonNode done = awaitRefund("rf-e2e-1");
        assertThat(done.path("stage").asText()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(done.path("cashfreeRefundId").asText()).isNotBlank();

        assertThat(refund("rf-e2e-1", "{\"kind\":\"REFUND\",\"amountPaise\":250000,\"reason\":\"seat cancelled\"}").statusCode()).isEqualTo(202);
        assertThat(awaitRefund("rf-e2e-1").path("stage").asText()).isEqualTo("COMPLETED");
        assertThat(stack.simulator().refunds().refundedPaise("refund_order_1")).isEqualTo(250_000L);
        assertThat(count("select count(*) from refund where refund_id = 'rf-e2e-1'")).isEqualTo(1);
        JsonNode invariants = JSON.readTree(SharedStack.get("/api/v1/ledger/invariants").body());
        assertThat(invariants.path("violations").size()).as(invariants.toString()).isZero();
    }

    @Test
    void aRefundBeyondWhatIsLeftFailsBeforeCashfreeIsAsked() throws Exception {
        refund("rf-e2e-2", "{\"kind\":\"REFUND\",\"amountPaise\":1000001,\"reason\":\"too much\"}");
        JsonNode failed = awaitRefund("rf-e2e-2");
        assertThat(failed.path("stage").asText()).isEqualTo("FAILED");
        assertThat(failed.path("error").asText()).contains("exceeds");
        assertThat(count("select count(*) from refund where refund_id = 'rf-e2e-2'")).isZero();
    }

    @Test
    void badRefundRequestsAreProblems() throws Exception {
        assertThat(refund("rf-e2e-3", "{\"kind\":\"REFUND\",\"amountPaise\":0,\"reason\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(refund("rf-e2e-3", "{\"kind\":\"GIFT\",\"amountPaise\":10,\"reason\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(refund("rf-e2e-3", "{\"kind\":\"REFUND\",\"amountPaise\":10}").statusCode()).isEqualTo(400);
    }
}
