package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.ledger.LedgerDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A payment through every real layer: HTTP API -> Temporal -> worker -> cashfree_pg SDK over HTTP
 * to the simulator -> fee engine -> PostgreSQL via jOOQ.
 */
class EndToEndPaymentTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static DevStack stack;
    static LedgerDatabase db;

    @BeforeAll
    static void start() {
        stack = SharedStack.get();
        db = SharedStack.db();
    }


    static String body(String orderId, long amountPaise) {
        return """
                {"communityId":"demo-community","sourceType":"EVENT","sourceId":"evt-9","cashfreeOrderId":"%s","amountPaise":%d}
                """.formatted(orderId, amountPaise);
    }

    static JsonNode awaitFinal(String paymentId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            JsonNode view = JSON.readTree(SharedStack.get("/api/v1/payments/" + paymentId).body());
            String stage = view.path("stage").asText();
            if (List.of("COMPLETED", "FAILED", "COMPENSATED").contains(stage)) return view;
            if (System.nanoTime() > deadline) throw new AssertionError("payment " + paymentId + " still " + stage);
            Thread.sleep(200);
        }
    }

    static long count(String sql, Object... binds) {
        return SharedStack.count(sql, binds);
    }

    @Test
    void aPaidOrderBecomesOneBalancedJournalWithExactShares() throws Exception {
        stack.simulator().createPaidOrder("e2e_order_1", 1_000_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.CARD);

        HttpResponse<String> created = SharedStack.post("/api/v1/payments", "e2e-pay-1", body("e2e_order_1", 1_000_000L));
        assertThat(created.statusCode()).isEqualTo(202);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/payments/e2e-pay-1");

        JsonNode view = awaitFinal("e2e-pay-1");
        assertThat(view.path("stage").asText()).isEqualTo("COMPLETED");
        JsonNode b = view.path("breakdown");
        long amount = b.path("amountPaise").asLong();
        long parts = b.path("gstPaise").asLong() + b.path("gatewayFeePaise").asLong() + b.path("gatewayFeeGstPaise").asLong()
                + b.path("platformFeePaise").asLong() + b.path("tcsPaise").asLong() + b.path("tdsPaise").asLong()
                + b.path("netPaise").asLong();
        assertThat(b.path("platformFeeGst").asText()).isEqualTo("INCLUDED");
        assertThat(parts).isEqualTo(amount).isEqualTo(1_000_000L);
        // The recommended default: GST extracted from the inclusive price, 18/118 of Rs 10,000.
        assertThat(b.path("gstPaise").asLong()).isEqualTo(152_542L);
        long shares = 0;
        for (JsonNode role : view.path("shares")) {
            long members = 0;
            for (JsonNode m : role.path("members")) members += m.path("amountPaise").asLong();
            assertThat(members).isEqualTo(role.path("amountPaise").asLong());
            shares += role.path("amountPaise").asLong();
        }
        assertThat(shares).isEqualTo(b.path("netPaise").asLong());

        JsonNode trial = JSON.readTree(SharedStack.get("/api/v1/ledger/trial-balance").body());
        assertThat(trial.path("balanced").asBoolean()).isTrue();
        assertThat(trial.path("totalDebitsPaise").asLong()).isEqualTo(trial.path("totalCreditsPaise").asLong()).isPositive();
        assertThat(count("select count(*) from journal where idempotency_key = ?", "payment:demo-community:e2e-pay-1")).isEqualTo(1);
        assertThat(count("select count(*) from wallet_hold h join revenue_transaction t using (transaction_id) where t.idempotency_key = ?",
                "e2e-pay-1")).isEqualTo(7);
        // No hand-over rows any more (docs/decisions.md D13): payouts come from AVAILABLE balances via settlement cycles.
        assertThat(count("select count(*) from payout_instruction p join revenue_transaction t using (transaction_id) "
                + "where t.idempotency_key = ?", "e2e-pay-1")).isZero();
    }

    @Test
    void tenConcurrentSubmissionsOfOnePaymentMakeOneJournal() throws Exception {
        stack.simulator().createPaidOrder("e2e_order_2", 250_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.UPI);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Callable<HttpResponse<String>> call = () -> SharedStack.post("/api/v1/payments", "e2e-pay-2", body("e2e_order_2", 250_000L));
            calls.add(pool.submit(call));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<HttpResponse<String>> f : calls) statuses.add(f.get().statusCode());
        pool.shutdown();

        assertThat(statuses).containsOnly(200, 202);
        assertThat(statuses.stream().filter(s -> s == 202)).hasSize(1);
        assertThat(awaitFinal("e2e-pay-2").path("stage").asText()).isEqualTo("COMPLETED");
        assertThat(count("select count(*) from journal where idempotency_key = ?", "payment:demo-community:e2e-pay-2")).isEqualTo(1);
        assertThat(count("select count(*) from revenue_transaction where cashfree_order_id = ?", "e2e_order_2")).isEqualTo(1);
    }

    @Test
    void anAmountCashfreeDidNotReceiveFailsVerificationAndPostsNothing() throws Exception {
        stack.simulator().createPaidOrder("e2e_order_3", 50_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.UPI);

        HttpResponse<String> created = SharedStack.post("/api/v1/payments", "e2e-pay-3", body("e2e_order_3", 60_000L));
        assertThat(created.statusCode()).isEqualTo(202);

        JsonNode view = awaitFinal("e2e-pay-3");
        assertThat(view.path("stage").asText()).isEqualTo("FAILED");
        assertThat(view.path("error").asText()).contains("differs from the claimed");
        assertThat(count("select count(*) from journal where idempotency_key = ?", "payment:demo-community:e2e-pay-3")).isZero();
    }

    @Test
    void anOrderOfAnotherCommunityIsRefused() throws Exception {
        stack.simulator().createPaidOrder("e2e_order_4", 50_000L, "INR", Map.of("community_id", "someone-else"), PaymentMethod.UPI);

        SharedStack.post("/api/v1/payments", "e2e-pay-4", body("e2e_order_4", 50_000L));

        JsonNode view = awaitFinal("e2e-pay-4");
        assertThat(view.path("stage").asText()).isEqualTo("FAILED");
        assertThat(view.path("error").asText()).contains("belongs to community 'someone-else'");
        assertThat(count("select count(*) from journal where idempotency_key = ?", "payment:demo-community:e2e-pay-4")).isZero();
    }

    @Test
    void cashfreeDowntimeDelaysThePaymentButLosesNothing() throws Exception {
        stack.simulator().createPaidOrder("e2e_order_5", 75_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.NETBANKING);
        stack.simulator().faults().unavailableNext(3); // three 503s, then Cashfree is back

        SharedStack.post("/api/v1/payments", "e2e-pay-5", body("e2e_order_5", 75_000L));

        assertThat(awaitFinal("e2e-pay-5").path("stage").asText()).isEqualTo("COMPLETED");
        assertThat(count("select count(*) from journal where idempotency_key = ?", "payment:demo-community:e2e-pay-5")).isEqualTo(1);
    }
}
