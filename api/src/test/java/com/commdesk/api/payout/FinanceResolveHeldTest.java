package com.commdesk.api.payout;

import static com.commdesk.api.web.Tokens.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.LedgerQueries;
import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.ledger.payout.Settlements;
import com.commdesk.workflows.payout.PayoutTypes;
import com.commdesk.workflows.payout.PayoutWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Finance's resolution of a payout the ledger holds after its workflow ended, through the endpoint on a real database
 * (issue 10, review M2): the signal finds no workflow, so the ledger acts on it (settleHeld).
 */
@WebMvcTest(controllers = FinanceController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class, RealLedgerBeans.class})
@org.springframework.test.annotation.DirtiesContext(classMode = org.springframework.test.annotation.DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class FinanceResolveHeldTest { // a fresh database per test: each starts from the demo owner's one payment
    @Autowired MockMvc mvc;
    @Autowired LedgerDatabase db;
    @MockitoBean WorkflowClient workflows;

    long wallet(String column) {
        return ((Number) db.dsl().fetchValue("select " + column + " from member_wallet where community_id = 'demo-community'"
                + " and role = 'owner' and user_id = 'u-owner'")).longValue();
    }

    /** The payout's workflow has ended: every signal to it fails as Temporal's client does. */
    void ended(String id) {
        workflow(id, true);
    }

    /**
     * The payout's workflow (review M-3: {@code ended} false, still open, e.g. its last task not yet completed): a resolve
     * signal is taken in and, the workflow not waiting in NEEDS_ATTENTION, ignored.
     */
    void workflow(String id, boolean ended) {
        PayoutWorkflow wf = new PayoutWorkflow() {
            @Override public PayoutTypes.PayoutStatus payout(PayoutTypes.PayoutRequest request) { throw new UnsupportedOperationException(); }
            @Override public void approve(PayoutTypes.PayoutDecision decision) { throw new UnsupportedOperationException(); }
            @Override public void reject(PayoutTypes.PayoutDecision decision) { throw new UnsupportedOperationException(); }
            @Override public PayoutTypes.PayoutStatus status() { throw new UnsupportedOperationException(); }
            @Override public void transferUpdate(PayoutTypes.TransferUpdate update) { throw new UnsupportedOperationException(); }

            @Override
            public void resolve(PayoutTypes.PayoutResolution resolution) {
                if (!ended) return;
                throw new WorkflowNotFoundException(WorkflowExecution.newBuilder().setWorkflowId(id).build(), "PayoutWorkflow", null);
            }
        };
        when(workflows.newWorkflowStub(PayoutWorkflow.class, id)).thenReturn(wf);
    }

    long owner;

    /** The demo owner paid, holds released, a settlement opened; its payout confirmed paid by finance (alice). */
    String aPayoutConfirmedPaid(String settlementId) {
        RealLedgerBeans.demoCommunityPaidAndReleased(db, "p-held");
        var dsl = db.dsl();
        PayoutRepository payouts = new PayoutRepository(dsl);
        payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null, "u-owner");
        owner = wallet("available_paise");
        payouts.open(settlementId, "demo-community", "MANUAL", OffsetDateTime.now(), "alice", Long.MAX_VALUE);
        String id = Settlements.payoutId(settlementId, "owner", "u-owner");
        payouts.lock(id);
        payouts.sendPermit(id);
        payouts.markNeedsAttention(id, "unknown for a day");
        payouts.resolve(id, "PAID", "alice", "the bank statement shows it");
        payouts.markPaid(id, true);
        return id;
    }

    @Test
    void aPayoutPaidReturnedAndHeldAgainIsSettledPaidThroughTheEndpoint() throws Exception {
        var dsl = db.dsl();
        PayoutRepository payouts = new PayoutRepository(dsl);
        String id = aPayoutConfirmedPaid("stl_held");
        // Returned on Cashfree's FAILED, held again on Cashfree's SUCCESS (review M2).
        payouts.lateAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL", "TRANSFER_FAILED");
        payouts.lateAnswer(id, "SUCCESS", "COMPLETED", "TRANSFER_SUCCESS");
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
        ended(id);

        mvc.perform(post("/api/v1/finance/payouts/" + id + "/resolve").with(as("bob", Role.FINANCE_APPROVER))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"outcome\":\"PAID\",\"note\":\"the bank shows the credit\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("PAID"));

        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("PAID");
        assertThat(wallet("locked_paise") + wallet("available_paise")).as("nothing locked for ever, nothing spendable twice").isZero();
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(payouts.settlement("stl_held").orElseThrow().status()).isEqualTo("PAID");
        assertThat(new LedgerQueries(dsl).trialBalance().balanced()).isTrue();
        assertThat(new LedgerInvariants(dsl).check().violations()).isEmpty();
    }

    @Test
    void aPaidPayoutCashfreeRefusedAfterItsSuccessIsReturnedOnFinancesFailedByTwoThroughTheEndpoint() throws Exception {
        var dsl = db.dsl();
        PayoutRepository payouts = new PayoutRepository(dsl);
        String id = aPayoutConfirmedPaid("stl_refused");
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED"); // review L1: on finance's list
        ended(id);
        mvc.perform(get("/api/v1/finance/payouts/attention").with(as("bob", Role.FINANCE_APPROVER)))
                .andExpect(status().isOk()).andExpect(jsonPath("$[0].payoutId").value(id));
        String failed = "{\"outcome\":\"FAILED\",\"note\":\"the bank returned it\"}";
        mvc.perform(post("/api/v1/finance/payouts/" + id + "/resolve").with(as("bob", Role.FINANCE_APPROVER))
                .contentType(MediaType.APPLICATION_JSON).content(failed)).andExpect(status().isAccepted());
        assertThat(wallet("paid_out_paise")).as("one person moves nothing").isEqualTo(owner);
        mvc.perform(post("/api/v1/finance/payouts/" + id + "/resolve").with(as("carol", Role.FINANCE_APPROVER))
                        .contentType(MediaType.APPLICATION_JSON).content(failed))
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("REVERSED"));
        assertThat(wallet("paid_out_paise") + wallet("locked_paise")).isZero();
        assertThat(wallet("available_paise")).as("back once").isEqualTo(owner);
        assertThat(new LedgerQueries(dsl).trialBalance().balanced()).isTrue();
        assertThat(new LedgerInvariants(dsl).check().violations()).isEmpty();
    }

    @Test
    void aResolutionOfALedgerHeldPayoutIsActedOnWhileItsWorkflowIsStillOpen() throws Exception {
        var dsl = db.dsl();
        PayoutRepository payouts = new PayoutRepository(dsl);
        String id = aPayoutConfirmedPaid("stl_open");
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED"); // on finance's list (L1)
        workflow(id, false); // its workflow has not finished its last task: the signal is taken in and ignored
        mvc.perform(post("/api/v1/finance/payouts/" + id + "/resolve").with(as("bob", Role.FINANCE_APPROVER))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"outcome\":\"PAID\",\"note\":\"the bank shows the credit\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("PAID"));
        assertThat(payouts.payout(id).orElseThrow().status()).as("review M-3: acted on, not only accepted").isEqualTo("PAID");
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
    }

    @Test
    void thePayoutsRecipientMayNotResolveItNorMayTheSettlementsRequesterReturnIt() throws Exception {
        PayoutRepository payouts = new PayoutRepository(db.dsl());
        String id = aPayoutConfirmedPaid("stl_eyes");
        payouts.recordCashfreeAnswer(id, "SUCCESS", "COMPLETED");
        payouts.lateAnswer(id, "FAILED", "BENEFICIARY_BANK_OFFLINE", "TRANSFER_FAILED"); // on finance's list (L1)
        ended(id);
        String failed = "{\"outcome\":\"FAILED\",\"note\":\"the bank returned it\"}";
        mvc.perform(post("/api/v1/finance/payouts/" + id + "/resolve").with(as("U-Owner", Role.FINANCE_APPROVER))
                        .contentType(MediaType.APPLICATION_JSON).content(failed))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.title").value("Four eyes"));
        mvc.perform(post("/api/v1/finance/payouts/" + id + "/resolve").with(as("u-owner", Role.FINANCE_APPROVER))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"outcome\":\"PAID\",\"note\":\"I have it\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/finance/payouts/" + id + "/resolve").with(as("alice", Role.FINANCE_APPROVER))
                        .contentType(MediaType.APPLICATION_JSON).content(failed))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.title").value("Four eyes"));
        mvc.perform(post("/api/v1/finance/payouts/" + id + "/resolve").with(as("bob", Role.FINANCE_APPROVER))
                .contentType(MediaType.APPLICATION_JSON).content(failed)).andExpect(status().isAccepted());
        mvc.perform(post("/api/v1/finance/payouts/" + id + "/resolve").with(as("u-owner", Role.FINANCE_APPROVER))
                        .contentType(MediaType.APPLICATION_JSON).content(failed))
                .andExpect(status().isForbidden());
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("NEEDS_ATTENTION");
        assertThat(wallet("paid_out_paise")).as("nothing returned").isEqualTo(owner);
    }
}
