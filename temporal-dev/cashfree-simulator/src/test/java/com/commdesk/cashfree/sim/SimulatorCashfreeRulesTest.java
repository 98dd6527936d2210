package com.commdesk.cashfree.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator holds callers to Cashfree's rules, not ours (issue 16): separate Payouts keys, the 2FA
 * signature or an allowlisted IP, the name alphabet, one beneficiary per account, transfer_mode
 * defaulting to banktransfer, deleted beneficiaries, APPROVAL_PENDING, webhook retries that keep their
 * timestamp, V1 payloads, recon events of no payment and dates with seconds. Fault scenarios for each.
 */
class SimulatorCashfreeRulesTest {
    static final String ID = "rules-id";
    static final String SECRET = "rules-secret";
    static CashfreeSimulator sim;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        sim = CashfreeSimulator.start(new SimulatorConfig("127.0.0.1", 0, ID, SECRET));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.reset();
        sim.payouts().completionDelay(Duration.ofMillis(10));
    }

    String signature() throws Exception {
        String pem = sim.payouts().publicKeyPem().replaceAll("-----(BEGIN|END) PUBLIC KEY-----|\\s", "");
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        c.init(Cipher.ENCRYPT_MODE, key);
        return Base64.getEncoder().encodeToString(c.doFinal((sim.config().payoutClientId() + "." + Instant.now().getEpochSecond())
                .getBytes(StandardCharsets.UTF_8)));
    }

    HttpResponse<String> payouts(String method, String path, String body, String id, String secret, String signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).header("x-client-id", id)
                .header("x-client-secret", secret).header("x-api-version", "2024-01-01").header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) b.header("X-Cf-Signature", signature);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> payouts(String method, String path, String body) throws Exception {
        return payouts(method, path, body, sim.config().payoutClientId(), sim.config().payoutClientSecret(), signature());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return SimHttp.MAPPER.readTree(r.body());
    }

    static String bene(String id, String name, String account, String vpa) {
        return "{\"beneficiary_id\":\"" + id + "\",\"beneficiary_name\":\"" + name + "\",\"beneficiary_instrument_details\":"
                + (vpa != null ? "{\"vpa\":\"" + vpa + "\"}" : "{\"bank_account_number\":\"" + account + "\",\"bank_ifsc\":\"HDFC0000001\"}") + "}";
    }

    static String transfer(String id, String beneficiary, String mode) {
        return "{\"transfer_id\":\"" + id + "\",\"transfer_amount\":100.00,\"beneficiary_details\":{\"beneficiary_id\":\"" + beneficiary + "\"}"
                + (mode == null ? "" : ",\"transfer_mode\":\"" + mode + "\"") + "}";
    }

    @Test
    void payoutsWantTheirOwnKeysAndASecondFactor() throws Exception {
        String body = bene("b1", "Asha Rao", "000111222333", null);
        assertThat(payouts("POST", "/payout/beneficiary", body, ID, SECRET, null).statusCode()).as("the PG keys").isEqualTo(401);
        HttpResponse<String> noSecondFactor = payouts("POST", "/payout/beneficiary", body, sim.config().payoutClientId(),
                sim.config().payoutClientSecret(), null);
        assertThat(noSecondFactor.statusCode()).isEqualTo(403);
        assertThat(payouts("POST", "/payout/beneficiary", body, sim.config().payoutClientId(), sim.config().payoutClientSecret(),
                "bm90IGEgc2lnbmF0dXJl").statusCode()).as("a forged signature").isEqualTo(403);
        assertThat(payouts("POST", "/payout/beneficiary", body).statusCode()).isEqualTo(201);
        sim.payouts().allowlistIp("127.0.0.1");
        assertThat(payouts("GET", "/payout/beneficiary?beneficiary_id=b1", null, sim.config().payoutClientId(),
                sim.config().payoutClientSecret(), null).statusCode()).as("an allowlisted IP needs no signature").isEqualTo(200);
    }

    @Test
    void beneficiaryNamesAreLettersAndSpacesAndAnAccountIsRegisteredOnce() throws Exception {
        HttpResponse<String> punctuated = payouts("POST", "/payout/beneficiary", bene("b1", "J. D'Souza", "000111222333", null));
        assertThat(punctuated.statusCode()).isEqualTo(400);
        assertThat(json(punctuated).path("code").asText()).isEqualTo("beneficiary_name_invalid");
        assertThat(payouts("POST", "/payout/beneficiary", bene("b1", "J D Souza", "000111222333", null)).statusCode()).isEqualTo(201);
        HttpResponse<String> sameAccount = payouts("POST", "/payout/beneficiary", bene("b2", "Another Name", "000111222333", null));
        assertThat(sameAccount.statusCode()).isEqualTo(409);
        assertThat(json(sameAccount).path("code").asText()).isEqualTo("beneficiary_already_exists");
        HttpResponse<String> byAccount = payouts("GET", "/payout/beneficiary?bank_account_number=000111222333&bank_ifsc=HDFC0000001", null);
        assertThat(json(byAccount).path("beneficiary_id").asText()).isEqualTo("b1");
        HttpResponse<String> sameId = payouts("POST", "/payout/beneficiary", bene("b1", "J D Souza", "000111222999", null));
        assertThat(json(sameId).path("code").asText()).isEqualTo("beneficiary_id_already_exists");
    }

    @Test
    void transferModeDefaultsToBankTransferSoAVpaOnlyBeneficiaryNeedsUpi() throws Exception {
        payouts("POST", "/payout/beneficiary", bene("v1", "Asha Rao", null, "asha@okhdfc"));
        JsonNode defaulted = json(payouts("POST", "/payout/transfers", transfer("t_default", "v1", null)));
        assertThat(defaulted.path("transfer_mode").asText()).isEqualTo("banktransfer");
        assertThat(defaulted.path("status").asText()).isEqualTo("REJECTED");
        JsonNode upi = json(payouts("POST", "/payout/transfers", transfer("t_upi", "v1", "upi")));
        assertThat(upi.path("status").asText()).isEqualTo("RECEIVED");
        assertThat(json(payouts("POST", "/payout/transfers", transfer("t_bad", "v1", "pigeon"))).path("code").asText())
                .isEqualTo("transfer_mode_invalid");
    }

    @Test
    void aSuccessfulTransferHasTheBanksUtrInItsStatusAndItsWebhookAndNoneBefore() throws Exception {
        sim.payouts().completionDelay(Duration.ofMillis(300));
        payouts("POST", "/payout/beneficiary", bene("u1", "Asha Rao", "000111222333", null));
        JsonNode received = json(payouts("POST", "/payout/transfers", transfer("t_utr", "u1", null)));
        assertThat(received.path("status").asText()).isEqualTo("RECEIVED");
        assertThat(received.has("transfer_utr")).as("no bank reference before the bank has the money").isFalse();
        JsonNode done = null;
        for (int i = 0; i < 100; i++) {
            done = json(payouts("GET", "/payout/transfers?transfer_id=t_utr", null));
            if ("SUCCESS".equals(done.path("status").asText())) break;
            Thread.sleep(20);
        }
        assertThat(done.path("status").asText()).isEqualTo("SUCCESS");
        String utr = done.path("transfer_utr").asText();
        assertThat(utr).matches("[A-Za-z0-9]{1,40}");
        assertThat(sim.payouts().sentWebhooks()).singleElement().satisfies(w -> {
            JsonNode data = SimHttp.MAPPER.readTree(w.rawBody()).path("data");
            assertThat(data.path("status").asText()).isEqualTo("SUCCESS");
            assertThat(data.path("transfer_utr").asText()).isEqualTo(utr);
        });
        assertThat(json(payouts("GET", "/payout/transfers?transfer_id=t_utr", null)).path("transfer_utr").asText())
                .as("the same reference on every fetch").isEqualTo(utr);
    }

    @Test
    void aDeletedBeneficiaryGets404AndAnUnknownTransferTheDocumentedNotFound() throws Exception {
        payouts("POST", "/payout/beneficiary", bene("d1", "Asha Rao", "000111222333", null));
        assertThat(payouts("DELETE", "/payout/beneficiary?beneficiary_id=d1", null).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = payouts("POST", "/payout/transfers", transfer("t_gone", "d1", null));
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(json(refused).path("code").asText()).isEqualTo("beneficiary_not_found");
        HttpResponse<String> unknown = payouts("GET", "/payout/transfers?transfer_id=t_gone", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("code").asText()).isEqualTo("transfer_id_not_found");
        assertThat(json(unknown).path("type").asText()).isEqualTo("invalid_request_error");
        sim.payouts().scenario("t_proxy", PayoutsApi.Scenario.UNDOCUMENTED_404);
        HttpResponse<String> proxy = payouts("GET", "/payout/transfers?transfer_id=t_proxy", null);
        assertThat(proxy.statusCode()).isEqualTo(404);
        assertThat(json(proxy).has("code")).as("not Cashfree's body").isFalse();
    }

    @Test
    void anApprovalPendingTransferWaitsForTheDashboard() throws Exception {
        payouts("POST", "/payout/beneficiary", bene("a1", "Asha Rao", "000111222333", null));
        sim.payouts().scenario("t_held", PayoutsApi.Scenario.APPROVAL_PENDING);
        assertThat(json(payouts("POST", "/payout/transfers", transfer("t_held", "a1", null))).path("status").asText())
                .isEqualTo("APPROVAL_PENDING");
        Thread.sleep(100);
        assertThat(sim.payouts().transfer("t_held").orElseThrow().status()).isEqualTo("APPROVAL_PENDING");
        sim.payouts().approve("t_held");
        for (int i = 0; i < 100 && !"SUCCESS".equals(sim.payouts().transfer("t_held").orElseThrow().status()); i++) Thread.sleep(20);
        assertThat(sim.payouts().transfer("t_held").orElseThrow().status()).isEqualTo("SUCCESS");
    }

    @Test
    void aFailedWebhookIsRetriedWithItsOriginalTimestampAndSignatureThenV1PayloadsAreFormEncoded() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            seen.add(Map.of("timestamp", String.valueOf(ex.getRequestHeaders().getFirst("x-webhook-timestamp")),
                    "signature", String.valueOf(ex.getRequestHeaders().getFirst("x-webhook-signature")),
                    "attempt", String.valueOf(ex.getRequestHeaders().getFirst("x-webhook-attempt")),
                    "type", String.valueOf(ex.getRequestHeaders().getFirst("content-type")),
                    "body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            ex.sendResponseHeaders(calls.getAndIncrement() == 0 ? 503 : 200, -1);
            ex.close();
        });
        receiver.start();
        try {
            sim.webhookRetrySchedule(List.of(Duration.ofMillis(200), Duration.ofMillis(400)));
            sim.setWebhookUrl(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/pg"));
            sim.createPaidOrder("order_retry", 10_000, "INR", Map.of(), PaymentMethod.UPI);
            for (int i = 0; i < 100 && seen.size() < 2; i++) Thread.sleep(20);
            assertThat(seen).hasSize(2);
            assertThat(seen.get(1).get("timestamp")).isEqualTo(seen.get(0).get("timestamp"));
            assertThat(seen.get(1).get("signature")).isEqualTo(seen.get(0).get("signature"));
            assertThat(seen.get(1).get("attempt")).isEqualTo("2");
            Thread.sleep(600);
            assertThat(seen).as("no retry after a 200").hasSize(2);

            seen.clear();
            sim.payouts().allowlistIp("127.0.0.1");
            sim.payouts().webhookVersion("V1");
            sim.payouts().setWebhookUrl(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/payouts"));
            payouts("POST", "/payout/beneficiary", bene("w1", "Asha Rao", "000111222333", null));
            payouts("POST", "/payout/transfers", transfer("t_v1", "w1", null));
            for (int i = 0; i < 100 && seen.isEmpty(); i++) Thread.sleep(20);
            assertThat(seen.get(0).get("type")).startsWith("application/x-www-form-urlencoded");
            assertThat(seen.get(0).get("body")).startsWith("acknowledged=").contains("event=TRANSFER_SUCCESS", "transferId=t_v1", "&signature=");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void reconHasEventsOfNoPaymentAndWantsDatesWithSeconds() throws Exception {
        sim.createPaidOrder("order_recon", 10_000, "INR", Map.of(), PaymentMethod.UPI);
        var settled = sim.settlements().settle(List.of("order_recon"), null, Map.of(), Set.of(),
                List.of(new SettlementDesk.Plant(null, null, -500L, 0L, 0L, "OTHER_ADJUSTMENT")));
        String day = settled.settledAt().toLocalDate().toString();
        String withoutSeconds = "{\"pagination\":{\"limit\":10},\"filters\":{\"start_date\":\"" + day + "T00:00Z\",\"end_date\":\"" + day
                + "T23:59Z\"}}";
        HttpResponse<String> refused = pg("/pg/settlement/recon", withoutSeconds);
        assertThat(refused.statusCode()).isEqualTo(400);
        HttpResponse<String> ok = pg("/pg/settlement/recon", withoutSeconds.replace("T00:00Z", "T00:00:00+05:30").replace("T23:59Z", "T23:59:59+05:30"));
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode adjustment = json(ok).path("data").get(1);
        assertThat(adjustment.path("event_type").asText()).isEqualTo("OTHER_ADJUSTMENT");
        assertThat(adjustment.path("order_id").isNull()).isTrue();
        assertThat(adjustment.path("cf_payment_id").isNull()).isTrue();
        assertThat(adjustment.path("event_id").asText()).isNotBlank();
    }

    HttpResponse<String> pg(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).header("x-client-id", ID).header("x-client-secret", SECRET)
                .header("x-api-version", "2023-08-01").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
