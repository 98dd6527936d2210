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

/**
 * Refunds over HTTP: reserved in the books, then the real SDK asks the simulator, whose refund is
 * PENDING until it settles and sends a signed REFUND_STATUS webhook; the books follow the outcome.
 */
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
        return refund("refund-pay-1", key, json);
    }

    static HttpResponse<String> refund(String paymentId, String key, String json) throws Exception {
        String path = "/api/v1/payments/" + paymentId + "/refunds";
        return SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(SharedStack.api(path)))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .header("Authorization", "Bearer " + SharedStack.actorToken("support-asha", "POST", path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode awaitRefund(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode s = JSON.readTree(SharedStack.get("/api/v1/refunds/" + id).body());
            if (List.of("COMPLETED", "FAILED", "CANCELLED", "NEEDS_ATTENTION").contains(s.path("stage").asText())) return s;
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
        assertThat(stack.simulator().refunds().find("rf-e2e-1")).hasValueSatisfying(r -> {
            assertThat(r.amountPaise()).isEqualTo(250_000L);
            assertThat(r.status()).isEqualTo("SUCCESS");
        });
        assertThat(stack.simulator().refunds().count()).as("one refund at Cashfree per refund id").isEqualTo(
                (int) count("select count(*) from refund where kind = 'REFUND'"));
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

    static HttpResponse<String> ops(String path, String actor) throws Exception {
        return SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(SharedStack.api(path))).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + SharedStack.actorToken(actor, "POST", path))
                .POST(HttpRequest.BodyPublishers.ofString("{\"note\":\"checked with Cashfree\"}"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode awaitStage(String id, String stage) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode s = JSON.readTree(SharedStack.get("/api/v1/refunds/" + id).body());
            if (s.path("stage").asText().equals(stage)) return s;
            if (System.nanoTime() > deadline) throw new AssertionError("refund " + id + " still " + s);
            Thread.sleep(200);
        }
    }

    static void booksAreWhole() throws Exception {
        JsonNode invariants = JSON.readTree(SharedStack.get("/api/v1/ledger/invariants").body());
        assertThat(invariants.path("violations").size()).as(invariants.toString()).isZero();
    }

    @Test
    void aRefundKeyUsedForAnotherPaymentIsAConflictNotThatRefund() throws Exception {
        stack.simulator().createPaidOrder("refund_order_2", 500_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.CARD);
        SharedStack.post("/api/v1/payments", "refund-pay-2",
                "{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"refund_order_2\",\"amountPaise\":500000}");
        assertThat(EndToEndPaymentTest.awaitFinal("refund-pay-2").path("stage").asText()).isEqualTo("COMPLETED");
        assertThat(refund("rf-e2e-key", "{\"kind\":\"REFUND\",\"amountPaise\":1000,\"reason\":\"seat cancelled\"}").statusCode())
                .isEqualTo(202);

        HttpResponse<String> other = refund("refund-pay-2", "rf-e2e-key", "{\"kind\":\"REFUND\",\"amountPaise\":1000,\"reason\":\"seat cancelled\"}");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
        assertThat(other.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        HttpResponse<String> otherBody = refund("rf-e2e-key", "{\"kind\":\"REFUND\",\"amountPaise\":2000,\"reason\":\"seat cancelled\"}");
        assertThat(otherBody.statusCode()).isEqualTo(409);
        assertThat(awaitRefund("rf-e2e-key").path("stage").asText()).isEqualTo("COMPLETED");
        assertThat(count("select count(*) from refund where refund_id = 'rf-e2e-key'")).isEqualTo(1);
    }

    @Test
    void refundIdsAndNotesFollowCashfreesRules() throws Exception {
        String ok = "{\"kind\":\"REFUND\",\"amountPaise\":10,\"reason\":\"seat cancelled\"}";
        assertThat(refund("rf.e2e:dotted", ok).statusCode()).isEqualTo(422);
        assertThat(refund("r".repeat(41), ok).statusCode()).isEqualTo(422);
        assertThat(refund("rf-e2e-note", "{\"kind\":\"REFUND\",\"amountPaise\":10,\"reason\":\"ab\"}").statusCode()).isEqualTo(422);
        assertThat(refund("rf-e2e-note", "{\"kind\":\"REFUND\",\"amountPaise\":10,\"reason\":\"" + "x".repeat(101) + "\"}").statusCode())
                .isEqualTo(422);
        assertThat(count("select count(*) from refund_request where refund_id = 'rf-e2e-note'")).isZero();
    }

    @Test
    void aRefundCashfreeCancelsGivesTheReservedMoneyBack() throws Exception {
        stack.simulator().refunds().scenario("rf-e2e-cancel", com.commdesk.cashfree.sim.RefundBook.Outcome.CANCELLED);
        assertThat(refund("rf-e2e-cancel", "{\"kind\":\"REFUND\",\"amountPaise\":100000,\"reason\":\"seat cancelled\"}").statusCode())
                .isEqualTo(202);
        JsonNode done = awaitRefund("rf-e2e-cancel");
        assertThat(done.path("stage").asText()).as(done.toString()).isEqualTo("CANCELLED");
        assertThat(count("select count(*) from refund_outcome where refund_id = 'rf-e2e-cancel' and outcome = 'CANCELLED'")).isEqualTo(1);
        assertThat(count("select count(*) from journal j join refund r on j.reverses_journal_id = r.journal_id where r.refund_id = 'rf-e2e-cancel'"))
                .isEqualTo(1);
        booksAreWhole();
    }

    @Test
    void aStuckRefundIsListedAndCompensatedOnlyOnceCashfreeSaysItFailed() throws Exception {
        stack.simulator().refunds().scenario("rf-e2e-stuck", com.commdesk.cashfree.sim.RefundBook.Outcome.PENDING);
        refund("rf-e2e-stuck", "{\"kind\":\"REFUND\",\"amountPaise\":50000,\"reason\":\"seat cancelled\"}");
        awaitStage("rf-e2e-stuck", "AWAITING_CASHFREE");
        // listed with its workflow's stage, asked through Temporal (a page waits 2 s for stages: on a busy machine ask again)
        JsonNode row = null;
        for (long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos(); ; Thread.sleep(200)) {
            JsonNode waiting = JSON.readTree(SharedStack.get("/api/v1/ops/refunds?olderThanMinutes=0&limit=500").body());
            row = java.util.stream.StreamSupport.stream(waiting.spliterator(), false)
                    .filter(r -> r.path("refundId").asText().equals("rf-e2e-stuck")).findFirst()
                    .orElseThrow(() -> new AssertionError("rf-e2e-stuck is not among the 500 oldest waiting refunds"));
            if (row.path("stageAnswer").asText().equals("ANSWERED") || System.nanoTime() > deadline) break;
        }
        assertThat(row.path("stageAnswer").asText()).as(row.toString()).isEqualTo("ANSWERED");
        assertThat(row.path("stage").asText()).isEqualTo("AWAITING_CASHFREE");

        // Cashfree still has it PENDING: an operator's compensation is refused, the money stays reserved.
        assertThat(ops("/api/v1/ops/refunds/rf-e2e-stuck/compensate", "ops-anita").statusCode()).isEqualTo(202);
        Thread.sleep(1_000);
        assertThat(awaitStage("rf-e2e-stuck", "AWAITING_CASHFREE").path("error").asText()).contains("not compensated");
        assertThat(count("select count(*) from refund_outcome where refund_id = 'rf-e2e-stuck'")).isZero();

        // Cashfree fails it (signed REFUND_STATUS webhook): the reservation goes back.
        assertThat(stack.simulator().refunds().settle("rf-e2e-stuck", com.commdesk.cashfree.sim.RefundBook.Outcome.FAILED)).isTrue();
        assertThat(awaitRefund("rf-e2e-stuck").path("stage").asText()).isEqualTo("FAILED");
        assertThat(count("select count(*) from refund_outcome where refund_id = 'rf-e2e-stuck' and outcome = 'FAILED'")).isEqualTo(1);
        assertThat(ops("/api/v1/ops/refunds/rf-e2e-stuck/retry", "ops-anita").statusCode()).as("not waiting any more").isEqualTo(409);
        booksAreWhole();
    }

    /**
     * Review R2-M2: Cashfree holds our refund id for another amount. The create goes to the operator with the money
     * reserved; Cashfree's signed SUCCESS webhook for that refund must not book our amount as refunded.
     */
    @Test
    void aSuccessWebhookForARefundCashfreeHoldsForAnotherAmountIsNotBookedAndTheMoneyStaysReserved() throws Exception {
        stack.simulator().refunds().existing("rf-e2e-other", "refund_order_1", 70_000L);
        assertThat(refund("rf-e2e-other", "{\"kind\":\"REFUND\",\"amountPaise\":60000,\"reason\":\"seat cancelled\"}").statusCode())
                .isEqualTo(202);
        assertThat(awaitStage("rf-e2e-other", "NEEDS_ATTENTION").path("error").asText()).contains("another amount");

        assertThat(stack.simulator().refunds().settle("rf-e2e-other", com.commdesk.cashfree.sim.RefundBook.Outcome.SUCCESS)).isTrue();
        // The workflow took the webhook once it says what Cashfree's record is (or, as before the fix, booked it).
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode s;
        do {
            Thread.sleep(200);
            s = JSON.readTree(SharedStack.get("/api/v1/refunds/rf-e2e-other").body());
            if (System.nanoTime() > deadline) throw new AssertionError("webhook not taken: " + s);
        } while (!s.path("stage").asText().equals("COMPLETED") && !s.path("error").asText().contains("70000 paise (SUCCESS)"));

        assertThat(s.path("stage").asText()).as(s.toString()).isEqualTo("NEEDS_ATTENTION");
        assertThat(s.path("error").asText()).contains("60000");
        assertThat(count("select count(*) from refund_outcome where refund_id = 'rf-e2e-other'")).as("nothing booked").isZero();
        assertThat(count("select count(*) from refund where refund_id = 'rf-e2e-other'")).as("still reserved").isEqualTo(1);
        booksAreWhole();

        // Issue 10: finance resolves it, four eyes. Cashfree's dashboard shows it never refunded OUR 60000: RELEASED.
        assertThat(s.path("mismatched").asBoolean()).as(s.toString()).isTrue();
        String path = "/api/v1/finance/refunds/rf-e2e-other/resolve-mismatch";
        String released = "{\"outcome\":\"RELEASED\",\"reason\":\"Cashfree shows 70000 for another order, not ours\","
                + "\"cashfreeReference\":\"CF-TICKET-991\"}";
        assertThat(resolve(path, "support-asha", released).statusCode()).as("the refund's requester").isEqualTo(403);
        assertThat(resolve(path, "fin-anita", "{\"outcome\":\"RELEASED\",\"cashfreeReference\":\"CF-1\"}").statusCode())
                .as("no reason").isEqualTo(400);
        assertThat(resolve(path, "fin-anita", "{\"outcome\":\"RELEASED\",\"reason\":\"seen\"}").statusCode())
                .as("no Cashfree reference").isEqualTo(400);
        assertThat(resolve("/api/v1/finance/refunds/rf-e2e-none/resolve-mismatch", "fin-anita", released).statusCode()).isEqualTo(404);

        // Review s7 round 2 M2: a mistaken first vote (PAID) is withdrawn by its voter, then the refund is resolved RELEASED.
        String paid = released.replace("RELEASED", "PAID");
        HttpResponse<String> first = resolve(path, "fin-anita", paid);
        assertThat(first.statusCode()).as("the first vote (a mistake)").isEqualTo(202);
        assertThat(JSON.readTree(first.body()).path("round").asInt()).as("the workflow's first mismatch hold").isEqualTo(1);
        assertThat(resolve(path, "FIN-ANITA", paid).statusCode()).as("the same person again: as it stands").isEqualTo(202);
        Thread.sleep(1_000);
        assertThat(awaitStage("rf-e2e-other", "NEEDS_ATTENTION").path("mismatched").asBoolean()).as("one vote moves nothing").isTrue();
        assertThat(count("select count(*) from refund_outcome where refund_id = 'rf-e2e-other'")).isZero();
        assertThat(resolve(path, "fin-ravi", released).statusCode()).as("a conflicting vote").isEqualTo(409);

        String withdraw = path + "/withdraw";
        String why = "{\"reason\":\"misread the dashboard: ours was never refunded\"}";
        assertThat(resolve(withdraw, "fin-ravi", why).statusCode()).as("only the voter withdraws their vote").isEqualTo(409);
        assertThat(resolve(withdraw, "fin-anita", "{}").statusCode()).as("no reason").isEqualTo(400);
        HttpResponse<String> withdrawn = resolve(withdraw, "fin-anita", why);
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
        assertThat(JSON.readTree(withdrawn.body()).path("votes").size()).as("a withdrawn vote no longer counts").isZero();
        assertThat(count("select count(*) from audit_log where target = '/api/v1/finance/refunds/rf-e2e-other/resolve-mismatch/withdraw' and actor = 'fin-anita'"))
                .as("audited like every write").isEqualTo(1);

        assertThat(resolve(path, "fin-ravi", released).statusCode()).as("the other outcome may be voted now").isEqualTo(202);
        assertThat(resolve(path, "fin-anita", released).statusCode()).as("a second person agrees").isEqualTo(200);
        assertThat(resolve(withdraw, "fin-ravi", why).statusCode()).as("a ready resolution is never withdrawn").isEqualTo(409);
        JsonNode done = awaitRefund("rf-e2e-other");
        assertThat(done.path("stage").asText()).as(done.toString()).isEqualTo("CANCELLED");
        assertThat(done.path("decidedBy").asText()).isEqualTo("fin-ravi+fin-anita");
        assertThat(count("select count(*) from refund_outcome where refund_id = 'rf-e2e-other' and outcome = 'CANCELLED' "
                + "and decided_by = 'fin-ravi+fin-anita'")).isEqualTo(1);
        assertThat(count("select count(*) from refund_mismatch_vote where refund_id = 'rf-e2e-other'")).as("every vote kept").isEqualTo(3);
        assertThat(count("select count(*) from refund_mismatch_vote_withdrawal where refund_id = 'rf-e2e-other'")).isEqualTo(1);
        assertThat(resolve(path, "fin-ravi", released).statusCode()).as("repeated after the booking: as it stands").isEqualTo(200);
        assertThat(resolve(path, "fin-third", released).statusCode()).as("no longer held for a mismatch").isEqualTo(409);
        booksAreWhole();
    }

    static HttpResponse<String> resolve(String path, String actor, String json) throws Exception {
        return SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(SharedStack.api(path))).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + SharedStack.actorToken(actor, "POST", path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void badRefundRequestsAreProblems() throws Exception {
        assertThat(refund("rf-e2e-3", "{\"kind\":\"REFUND\",\"amountPaise\":0,\"reason\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(refund("rf-e2e-3", "{\"kind\":\"GIFT\",\"amountPaise\":10,\"reason\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(refund("rf-e2e-3", "{\"kind\":\"REFUND\",\"amountPaise\":10}").statusCode()).isEqualTo(400);
    }
}
