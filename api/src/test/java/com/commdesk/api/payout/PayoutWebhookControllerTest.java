package com.commdesk.api.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.api.web.WebhookSignatures;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.WebhookEvents;
import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.workflows.payout.PayoutTypes;
import com.commdesk.workflows.payout.PayoutWorkflow;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Cashfree's Payouts webhook through the controller, on a real database (review P13): Cashfree's answer (and the bank's
 * reference) is on the payout before the payout's workflow is signalled, so whoever acts later (the workflow, or the late
 * path once it has ended) reads it; and a delivery for an ended payout goes to the late path.
 */
@WebMvcTest(controllers = PayoutWebhookController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class, RealLedgerBeans.class, PayoutWebhookControllerTest.Beans.class})
class PayoutWebhookControllerTest {
    static final String SECRET = "payout-test-secret";

    @TestConfiguration
    static class Beans {
        @Bean
        WebhookEvents webhookEvents(LedgerDatabase db) {
            return new WebhookEvents(db.dsl());
        }

        @Bean
        WebhookSignatures payoutWebhookSignatures(MeterRegistry metrics) {
            return new WebhookSignatures(SECRET, Clock.systemUTC(), metrics);
        }
    }

    @Autowired MockMvc mvc;
    @Autowired LedgerDatabase db;
    @MockitoBean WorkflowClient workflows;
    @MockitoBean com.commdesk.api.web.WebhookAudit audit;

    PayoutRepository payouts;

    @BeforeEach
    void repository() {
        payouts = new PayoutRepository(db.dsl());
        payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null, "u-owner");
    }

    /** A payout whose transfer was requested, in the given status and with Cashfree's record as given. */
    String aPayout(String id, String status, String cashfreeStatus) {
        String bene = payouts.currentBeneficiary("demo-community", "owner", "u-owner").orElseThrow().beneficiaryId();
        db.dsl().execute("insert into settlement (settlement_id, community_id, cycle, cut_off, requested_by) values (?, 'demo-community',"
                + " 'MANUAL', now(), 'alice')", "stl_" + id);
        db.dsl().execute("insert into payout (payout_id, settlement_id, community_id, role, user_id, beneficiary_id, amount_paise,"
                + " requested_by, status, needs_approval, transfer_requested_at, cashfree_status) values (?, ?, 'demo-community', 'owner',"
                + " 'u-owner', ?, 360350, 'alice', ?, false, now(), ?)", id, "stl_" + id, bene, status, cashfreeStatus);
        return id;
    }

    static String body(String id, String type, String status, String code, String utr) {
        return "{\"type\":\"" + type + "\",\"event_time\":\"2026-12-02 10:00:00\",\"data\":{\"transfer_id\":\"" + id
                + "\",\"cf_transfer_id\":\"cf-" + id + "\",\"status\":\"" + status + "\",\"status_code\":\"" + code + "\""
                + (utr == null ? "" : ",\"transfer_utr\":\"" + utr + "\"") + "}}";
    }

    org.springframework.test.web.servlet.ResultActions deliver(String json) throws Exception {
        String ts = Long.toString(System.currentTimeMillis());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(ts.getBytes(StandardCharsets.UTF_8));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(json.getBytes(StandardCharsets.UTF_8)));
        return mvc.perform(post("/webhooks/cashfree/payouts").contentType(MediaType.APPLICATION_JSON).content(json)
                .header("x-webhook-signature", signature).header("x-webhook-timestamp", ts));
    }

    /** The payout's workflow as the controller reaches it: records what the payout row says at the moment of each signal. */
    PayoutWorkflow running(String id, List<String> seenAtSignal, boolean ended) {
        PayoutWorkflow wf = new PayoutWorkflow() {
            @Override public PayoutTypes.PayoutStatus payout(PayoutTypes.PayoutRequest request) { throw new UnsupportedOperationException(); }
            @Override public void approve(PayoutTypes.PayoutDecision decision) { throw new UnsupportedOperationException(); }
            @Override public void reject(PayoutTypes.PayoutDecision decision) { throw new UnsupportedOperationException(); }
            @Override public void resolve(PayoutTypes.PayoutResolution resolution) { throw new UnsupportedOperationException(); }
            @Override public PayoutTypes.PayoutStatus status() { throw new UnsupportedOperationException(); }

            @Override
            public void transferUpdate(PayoutTypes.TransferUpdate update) {
                var p = payouts.payout(id).orElseThrow();
                seenAtSignal.add(update.status() + " signalled; payout records " + p.cashfreeStatus() + "/" + p.bankUtr());
                if (ended) throw new WorkflowNotFoundException(WorkflowExecution.newBuilder().setWorkflowId(id).build(), "PayoutWorkflow", null);
            }
        };
        when(workflows.newWorkflowStub(PayoutWorkflow.class, id)).thenReturn(wf);
        return wf;
    }

    @Test
    void cashfreesAnswerIsOnThePayoutBeforeItsWorkflowIsSignalled() throws Exception {
        String id = aPayout("po_webhook_recorded_first", "SENT", "PENDING");
        List<String> seen = new ArrayList<>();
        running(id, seen, false);
        deliver(body(id, "TRANSFER_SUCCESS", "SUCCESS", "COMPLETED", "UTR0001")).andExpect(status().isOk())
                .andExpect(jsonPath("$.action").value("signalled"));
        assertThat(seen).containsExactly("SUCCESS signalled; payout records SUCCESS/UTR0001");
        deliver(body(id, "TRANSFER_REVERSED", "REVERSED", "ACCOUNT_CLOSED", null)).andExpect(status().isOk());
        assertThat(seen).last().isEqualTo("REVERSED signalled; payout records REVERSED/UTR0001");
    }

    @Test
    void aDelayedSuccessAfterTheWorkflowEndedOnCashfreesReversedIsRecordedForFinanceOnce() throws Exception {
        // The workflow took Cashfree's REVERSED and released the money; Cashfree's retried SUCCESS arrives after it ended.
        String id = aPayout("po_webhook_late_success", "FAILED", "REVERSED");
        List<String> seen = new ArrayList<>();
        running(id, seen, true);
        String success = body(id, "TRANSFER_SUCCESS", "SUCCESS", "COMPLETED", "UTR0002");
        deliver(success).andExpect(status().isOk()).andExpect(jsonPath("$.action").value(org.hamcrest.Matchers.containsString("for finance")));
        deliver(success).andExpect(status().isOk()).andExpect(jsonPath("$.action").value("already received"));
        var p = payouts.payout(id).orElseThrow();
        assertThat(p.status()).isEqualTo("FAILED");
        assertThat(p.cashfreeStatus()).as("Cashfree's record never goes back from REVERSED").isEqualTo("REVERSED");
        assertThat(payouts.events(id)).filteredOn(e -> e.status().equals("LATE_UNPOSTED")).hasSize(1);
        assertThat(db.dsl().fetchCount(com.commdesk.ledger.jooq.Tables.JOURNAL,
                com.commdesk.ledger.jooq.Tables.JOURNAL.IDEMPOTENCY_KEY.like("%" + id))).as("nothing moved").isZero();
    }
}
