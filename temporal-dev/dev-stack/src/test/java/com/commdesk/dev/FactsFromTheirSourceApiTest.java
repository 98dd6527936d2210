package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 10 item 7 over HTTP (docs/decisions.md D16): the revenue source and the place of supply are facts
 * of the community's configuration and of the Cashfree order. What the API can decide alone (a source the
 * community does not offer) is a 422 at POST with nothing recorded; what only the order can tell fails the
 * payment's verification, and GET and the ops list show the payment FAILED with the reason. A request that
 * omits the place of supply takes the order's.
 */
class FactsFromTheirSourceApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static HttpResponse<String> pay(String community, String key, String sourceType, String order, String metadata) {
        return SharedStack.post("/api/v1/payments", key, "{\"communityId\":\"" + community + "\",\"sourceType\":\"" + sourceType
                + "\",\"cashfreeOrderId\":\"" + order + "\",\"amountPaise\":100000" + (metadata == null ? "" : ",\"metadata\":" + metadata) + "}");
    }

    @Test
    void aSourceTheCommunityDoesNotOfferIsRefusedAtPostAndNothingIsRecorded() {
        String admin = SharedStack.token("PLATFORM_ADMIN");
        HttpResponse<String> created = SharedStack.send(admin, "POST", "/api/v1/communities", "application/json", """
                {"communityId":"facts-e2e","name":"Facts E2E","supplierState":"KA","panStatus":"VERIFIED","sourceTypes":["event","SPONSOR"]}""",
                Map.of("Idempotency-Key", "facts-create"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("sourceTypes").toString()).isEqualTo("[\"EVENT\",\"SPONSOR\"]");
        HttpResponse<String> badType = SharedStack.send(admin, "PUT", "/api/v1/communities/facts-e2e", "application/json",
                "{\"sourceTypes\":[\"a b\"]}", Map.of("Idempotency-Key", "facts-put-bad"));
        assertThat(badType.statusCode()).as(badType.body()).isEqualTo(400);

        HttpResponse<String> refused = pay("facts-e2e", "facts-membership", "MEMBERSHIP", "facts_order_m", null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.path("field").asText()).isEqualTo("sourceType");
        assertThat(problem.path("detail").asText()).contains("does not offer source type 'MEMBERSHIP'");
        assertThat(SharedStack.count("select count(*) from payment where payment_id = ?", "facts-membership")).isZero();
        assertThat(SharedStack.get("/api/v1/payments/facts-membership").statusCode()).isEqualTo(404);
    }

    @Test
    void aPlaceOfSupplyThatContradictsTheOrderFailsThePaymentVisiblyAndBooksNothing() throws Exception {
        SharedStack.get().simulator().createPaidOrder("facts_order_tn", 100_000, "INR",
                Map.of("community_id", "demo-community", "place_of_supply", "KA"), PaymentMethod.UPI);
        HttpResponse<String> accepted = pay("demo-community", "facts-tn", "EVENT", "facts_order_tn", "{\"place_of_supply\":\"TN\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode done = EndToEndPaymentTest.awaitFinal("facts-tn");
        assertThat(done.path("stage").asText()).as(done.toString()).isEqualTo("FAILED");
        assertThat(done.path("error").asText()).contains("place_of_supply 'KA'", "not 'TN'");
        assertThat(done.path("journalId").isNull()).isTrue();
        assertThat(SharedStack.count("select count(*) from revenue_transaction where idempotency_key like ?", "%facts-tn%")).isZero();
        JsonNode failed = JSON.readTree(SharedStack.get("/api/v1/ops/payments?status=FAILED").body());
        boolean listed = false;
        for (JsonNode row : failed) listed |= row.toString().contains("facts-tn") && row.toString().contains("place_of_supply");
        assertThat(listed).as(failed.toString()).isTrue();
    }

    /** The demo community supplies from KA; the order says KA: intra-state (CGST + SGST) although the request says nothing. */
    @Test
    void aRequestThatOmitsThePlaceOfSupplyTakesTheOrders() throws Exception {
        SharedStack.get().simulator().createPaidOrder("facts_order_ka", 100_000, "INR",
                Map.of("community_id", "demo-community", "place_of_supply", "KA"), PaymentMethod.UPI);
        assertThat(pay("demo-community", "facts-ka", "EVENT", "facts_order_ka", null).statusCode()).isEqualTo(202);
        JsonNode done = EndToEndPaymentTest.awaitFinal("facts-ka");
        assertThat(done.path("stage").asText()).as(done.toString()).isEqualTo("COMPLETED");
        JsonNode heads = done.path("breakdown");
        assertThat(heads.toString()).as("booked breakdown").isNotEmpty();
        assertThat(heads.findValue("igstPaise").asLong()).as(heads.toString()).isZero();
        assertThat(heads.findValue("cgstPaise").asLong()).as(heads.toString()).isPositive();
    }
}
