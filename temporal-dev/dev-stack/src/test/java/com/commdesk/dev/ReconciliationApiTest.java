package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.cashfree.sim.SettlementDesk;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerInvariants;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reconciliation end to end over HTTP: payments through the API and the worker, Cashfree's settlements in
 * the simulator with planted differences, a run of the period through ReconciliationWorkflow, drill-down,
 * an audited adjustment and a recon file upload.
 */
class ReconciliationApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static DevStack stack;
    static LedgerDatabase db;

    @BeforeAll
    static void start() {
        stack = SharedStack.get();
        db = SharedStack.db();
    }


    static HttpResponse<String> send(String method, String path, String actor, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(SharedStack.api(path))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        if (actor != null) b.header("Authorization", "Bearer " + SharedStack.actorToken(actor, method, path));
        try {
            return SharedStack.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void payAndAwait(String orderId, long amountPaise) throws Exception {
        stack.simulator().createPaidOrder(orderId, amountPaise, "INR", Map.of("community_id", "demo-community"), PaymentMethod.UPI);
        HttpResponse<String> r = SharedStack.post("/api/v1/payments", "pay-" + orderId, "{\"communityId\":\"demo-community\","
                + "\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"" + orderId + "\",\"amountPaise\":" + amountPaise + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        WebhookAndOperationsTest.awaitStage("pay-" + orderId, "COMPLETED");
    }

    static List<String> mine(JsonNode subjects) {
        List<String> out = new ArrayList<>();
        subjects.forEach(s -> { if (s.asText().contains(":rcn_")) out.add(s.asText()); });
        return out;
    }

    @Test
    void aRunOverTheSimulatorsSettlementsReportsThePlantedDifferencesOnceAndAnAdjustmentKeepsTheBooksBalanced() throws Exception {
        OffsetDateTime from = OffsetDateTime.now().minusMinutes(2);
        payAndAwait("rcn_ok", 100_000L);
        payAndAwait("rcn_amount", 200_000L);
        payAndAwait("rcn_fee", 300_000L);
        payAndAwait("rcn_unsettled", 400_000L);
        stack.simulator().settlements().settle(List.of("rcn_ok", "rcn_amount", "rcn_fee", "rcn_unsettled"), null,
                Map.of("rcn_amount", new SettlementDesk.Plant("rcn_amount", null, 199_900L, null, null),
                        "rcn_fee", new SettlementDesk.Plant("rcn_fee", null, null, 500L, 90L)),
                Set.of("rcn_unsettled"), List.of(new SettlementDesk.Plant("rcn_ghost", "55554444", 60_000L, 0L, 0L)));
        Thread.sleep(5);
        String period = "{\"from\":\"" + from + "\",\"to\":\"" + OffsetDateTime.now() + "\"}";

        HttpResponse<String> run = send("POST", "/api/v1/reconciliation/runs", "fin.lead", "application/json", period);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        JsonNode first = JSON.readTree(run.body());
        assertThat(mine(first.path("subjects"))).containsExactlyInAnyOrder("AMOUNT_MISMATCH:rcn_amount", "FEE_MISMATCH:rcn_fee",
                "MISSING_ON_OUR_SIDE:rcn_ghost", "MISSING_ON_THEIRS:rcn_unsettled");

        JsonNode again = JSON.readTree(send("POST", "/api/v1/reconciliation/runs", "fin.lead", "application/json", period).body());
        assertThat(again.path("newExceptions").asInt()).isZero();
        assertThat(mine(again.path("subjects"))).isEqualTo(mine(first.path("subjects")));
        long mineInDb = ((Number) db.dsl().fetchValue("select count(*) from recon_exception where order_id in ('rcn_ok', 'rcn_amount', 'rcn_fee', 'rcn_unsettled', 'rcn_ghost')")).longValue();
        assertThat(mineInDb).isEqualTo(4);

        JsonNode listed = JSON.readTree(SharedStack.get("/api/v1/reconciliation/exceptions?kind=FEE_MISMATCH&orderId=rcn_fee").body());
        assertThat(listed).hasSize(1);
        long id = listed.get(0).path("exceptionId").asLong();
        JsonNode drill = JSON.readTree(SharedStack.get("/api/v1/reconciliation/exceptions/" + id).body());
        assertThat(drill.path("exception").path("transactionId").asText()).isNotBlank();
        assertThat(drill.path("exception").path("scheduleName").asText()).isNotBlank();
        assertThat(drill.path("exception").path("ourFeePaise").isNumber()).isTrue();
        assertThat(drill.path("exception").path("theirFeePaise").asLong()).isEqualTo(500L);
        assertThat(drill.path("paymentPostings").size()).isGreaterThan(2);

        assertThat(send("POST", "/api/v1/reconciliation/exceptions/" + id + "/adjust", null, "application/json",
                "{\"reason\":\"x\"}").statusCode()).as("no token").isEqualTo(401);
        HttpResponse<String> adjusted = send("POST", "/api/v1/reconciliation/exceptions/" + id + "/adjust", "fin.lead",
                "application/json", "{\"reason\":\"Cashfree's invoice shows the charge\"}");
        assertThat(adjusted.statusCode()).as(adjusted.body()).isEqualTo(200);
        JsonNode a1 = JSON.readTree(adjusted.body());
        JsonNode a2 = JSON.readTree(send("POST", "/api/v1/reconciliation/exceptions/" + id + "/adjust", "fin.lead",
                "application/json", "{\"reason\":\"Cashfree's invoice shows the charge\"}").body());
        assertThat(a2.path("changed").asBoolean()).isFalse();
        assertThat(a2.path("exception").path("adjustmentJournalId").asLong()).isEqualTo(a1.path("exception").path("adjustmentJournalId").asLong());
        assertThat(send("POST", "/api/v1/reconciliation/exceptions/" + id + "/explain", "fin.lead", "application/json",
                "{\"reason\":\"no\"}").statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(SharedStack.get("/api/v1/ledger/trial-balance").body()).path("balanced").asBoolean()).isTrue();
        assertThat(new LedgerInvariants(db.dsl()).check().violations()).isEmpty();
    }

    @Test
    void anUploadedReconFileIsIngestedOnce() throws Exception {
        String csv = "cf_settlement_id,settlement_utr,event_type,order_id,cf_payment_id,event_amount,payment_service_charge,"
                + "payment_service_tax,event_settlement_amount\n"
                + "777001,UTR777001,PAYMENT,rcn_csv_ghost,99990001,1500.00,30.00,5.40,1464.60\n";
        HttpResponse<String> first = send("POST", "/api/v1/reconciliation/uploads", "fin.lead", "text/csv", csv);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).path("subjects").get(0).asText()).isEqualTo("MISSING_ON_OUR_SIDE:rcn_csv_ghost");
        JsonNode second = JSON.readTree(send("POST", "/api/v1/reconciliation/uploads", "fin.lead", "text/csv", csv).body());
        assertThat(second.path("newExceptions").asInt()).isZero();
        HttpResponse<String> bad = send("POST", "/api/v1/reconciliation/uploads", "fin.lead", "text/csv", "order_id\nx\n");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
    }
}
