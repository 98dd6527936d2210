package com.commdesk.activities.cashfree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.cashfree.sim.CashfreeSimulator;
import com.commdesk.cashfree.sim.ExchangeRecorder;
import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.cashfree.sim.SignedWebhook;
import com.commdesk.cashfree.sim.contract.CashfreeContract;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our clients and the simulator held to our own contract of Cashfree's APIs
 * (cashfree-contract/contract.json, docs/cashfree.md): every request the PG adapter and the Payouts
 * client send, every answer and webhook the simulator gives, is checked against it. If either side
 * drifts from what Cashfree documents, this fails.
 */
class CashfreeContractTest {
    static CashfreeSimulator sim;
    static CashfreePgAdapter pg;
    static CashfreePayoutsClient payouts;
    static final CashfreeContract CONTRACT = CashfreeContract.load();

    @BeforeAll
    static void start() {
        sim = CashfreeTestSupport.startSimulator();
        pg = new CashfreePgAdapter(CashfreeTestSupport.configFor(sim, Duration.ofSeconds(10)));
        payouts = new CashfreePayoutsClient(new CashfreePayoutConfig(sim.config().payoutClientId(), sim.config().payoutClientSecret(),
                CashfreeConfig.Environment.SANDBOX, sim.baseUrl(), Duration.ofSeconds(5), CashfreePayoutConfig.TwoFactor.SIGNATURE,
                CashfreePayoutConfig.PayoutSignature.publicKey(sim.payouts().publicKeyPem())));
    }

    @AfterAll
    static void stop() {
        pg.close();
        sim.close();
    }

    @Test
    void everyRequestWeSendAndEveryAnswerAndWebhookTheSimulatorGivesConformsToTheContract() throws Exception {
        sim.reset();
        sim.payouts().completionDelay(Duration.ofMillis(10));
        // Payouts: beneficiaries (bank and UPI), a duplicate account, transfers in both modes, a lookup of an unknown one.
        payouts.createBeneficiary(new CashfreePayouts.NewBeneficiary("bene_bank", "J D Souza", "000111222333", "HDFC0000001", null));
        payouts.createBeneficiary(new CashfreePayouts.NewBeneficiary("bene_upi", "Asha Rao", null, null, "asha.rao@okhdfc"));
        assertThatThrownBy(() -> payouts.createBeneficiary(new CashfreePayouts.NewBeneficiary("bene_again", "Other Name", "000111222333",
                "HDFC0000001", null))).isInstanceOf(CashfreeRejectedException.class);
        assertThat(payouts.beneficiary("bene_bank")).isPresent();
        assertThat(payouts.beneficiaryByAccount("000111222333", "HDFC0000001").orElseThrow().beneficiaryId()).isEqualTo("bene_bank");
        assertThat(payouts.beneficiary("bene_nobody")).isEmpty();
        payouts.createTransfer(new CashfreePayouts.NewTransfer("po_contract_bank", 123_45, "bene_bank", "banktransfer"));
        payouts.createTransfer(new CashfreePayouts.NewTransfer("po_contract_upi", 100, "bene_upi", "upi"));
        assertThat(payouts.transfer("po_contract_bank")).isPresent();
        assertThat(payouts.transfer("po_contract_none")).isEmpty();
        for (int i = 0; i < 100 && sim.payouts().sentWebhooks().size() < 2; i++) Thread.sleep(20);

        // PG: an order, its payments, recon and settlements.
        sim.createPaidOrder("contract_order_1", 10_000, "INR", Map.of("community_id", "c1"), PaymentMethod.CARD);
        pg.createOrder(new NewOrder("contract_order_2", 20_000, "INR", "cust_1", "9876543210", Map.of("community_id", "c1")));
        pg.fetchOrder("contract_order_1");
        pg.terminateOrder("contract_order_2");
        pg.fetchPayments("contract_order_1");
        pg.createRefund("contract_order_1", "contract_refund_1", 2_507, "seat cancelled");
        var settled = sim.settlements().settle(List.of("contract_order_1"), null, Map.of(), Set.of(), List.of());
        OffsetDateTime day = settled.settledAt().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        pg.fetchSettlementRecon(day.minusDays(1), day.plusDays(2), null, 10);
        pg.fetchSettlement(settled.cfSettlementId());

        // The simulator records an exchange once its answer is written: the last one may land just after our call returned.
        for (int i = 0; i < 50 && sim.exchanges().stream().noneMatch(e -> e.path().equals("/pg/settlements")); i++) Thread.sleep(20);
        List<String> violations = new ArrayList<>();
        Set<String> exercised = new TreeSet<>();
        for (ExchangeRecorder.Exchange e : sim.exchanges()) {
            var op = CONTRACT.operation(e.method(), e.path());
            if (op.isEmpty()) {
                violations.add("not in the contract: " + e.method() + " " + e.path());
                continue;
            }
            exercised.add(op.get());
            if (!e.requestBody().isBlank()) violations.addAll(CONTRACT.checkRequest(op.get(), e.requestBody()));
            violations.addAll(CONTRACT.checkResponse(op.get(), e.status(), e.responseBody()));
        }
        for (SignedWebhook w : sim.payouts().sentWebhooks()) violations.addAll(CONTRACT.checkWebhook("payouts.v2", w.rawBody()));
        violations.addAll(CONTRACT.checkWebhook("pg.payment", sim.paymentSuccessWebhook("contract_order_1").rawBody()));

        assertThat(violations).as("contract violations").isEmpty();
        assertThat(exercised).as(sim.exchanges().stream().map(e -> e.method() + " " + e.path()).toList().toString()).contains("payouts.createBeneficiary", "payouts.getBeneficiary", "payouts.createTransfer",
                "payouts.getTransfer", "pg.createOrder", "pg.createRefund", "pg.fetchOrder", "pg.terminateOrder", "pg.fetchPayments", "pg.settlementRecon", "pg.settlements");
        assertThat(sim.payouts().sentWebhooks()).hasSizeGreaterThanOrEqualTo(2);

        // The bank's reference of a successful transfer: the status fetch and the webhook give the same transfer_utr.
        CashfreePayouts.Transfer done = payouts.transfer("po_contract_bank").orElseThrow();
        assertThat(done.status()).isEqualTo("SUCCESS");
        assertThat(done.utr()).isNotBlank();
        assertThat(sim.payouts().sentWebhooks()).filteredOn(w -> w.rawBody().contains("\"po_contract_bank\""))
                .anySatisfy(w -> assertThat(w.rawBody()).contains("\"transfer_utr\":\"" + done.utr() + "\""));
    }

    @Test
    void theContractRefusesWhatCashfreeRefusesAndAgreesWithOurNotFoundCodes() {
        assertThat(CONTRACT.checkRequest("payouts.createBeneficiary",
                "{\"beneficiary_id\":\"b1\",\"beneficiary_name\":\"J. D'Souza\"}")).singleElement().asString().contains("beneficiary_name");
        assertThat(CONTRACT.checkRequest("payouts.createTransfer",
                "{\"transfer_id\":\"t-1\",\"transfer_amount\":0.5,\"beneficiary_details\":{\"beneficiary_id\":\"b1\"}}")).hasSize(2);
        assertThat(CONTRACT.checkRequest("pg.settlementRecon",
                "{\"pagination\":{\"limit\":10},\"filters\":{\"start_date\":\"2024-05-01T00:00Z\",\"end_date\":\"2024-05-02T00:00:00Z\"}}"))
                .singleElement().asString().contains("start_date");
        assertThat(CONTRACT.checkResponse("payouts.getTransfer", 302, "{}")).isNotEmpty();
        assertThat(CONTRACT.documentedNotFound("payouts.getTransfer",
                "{\"type\":\"invalid_request_error\",\"code\":\"" + CashfreePayouts.TRANSFER_NOT_FOUND + "\",\"message\":\"x\"}")).isTrue();
        assertThat(CONTRACT.documentedNotFound("payouts.getBeneficiary",
                "{\"type\":\"invalid_request_error\",\"code\":\"" + CashfreePayouts.BENEFICIARY_NOT_FOUND + "\",\"message\":\"x\"}")).isTrue();
        assertThat(CONTRACT.documentedNotFound("payouts.getTransfer", "{\"error\":\"Not Found\"}")).isFalse();
        JsonNode codes = CONTRACT.root().path("operations").path("payouts.createBeneficiary").path("errorCodes").path("409");
        assertThat(codes.toString()).contains(CashfreePayouts.BENEFICIARY_ID_EXISTS, CashfreePayouts.BENEFICIARY_ACCOUNT_EXISTS);
        assertThat(CONTRACT.root().path("versions").path("payouts").asText()).isEqualTo(CashfreePayoutsClient.API_VERSION);
        assertThat(CONTRACT.root().path("versions").path("pg").asText()).isEqualTo(CashfreeConfig.DEFAULT_API_VERSION);
    }

    @Test
    void theContractsOwnWebhookExamplesConformToIt() {
        CONTRACT.root().path("webhooks").fields().forEachRemaining(w ->
                assertThat(CONTRACT.checkWebhook(w.getKey(), w.getValue().path("example").toString())).as(w.getKey()).isEmpty());
    }
}
