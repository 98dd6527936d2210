package com.commdesk.api.payout;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.ledger.LedgerDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
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
 * Who may act on payouts and beneficiaries (the four-eyes decisions themselves are proven end to end in
 * FourEyesApiTest and in the workflow's PayoutFourEyesTest). Refusals never reach the database.
 */
@WebMvcTest(controllers = FinanceController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class, FinanceControllerTest.Metrics.class})
class FinanceControllerTest {
    @TestConfiguration
    static class Metrics {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired MockMvc mvc;
    @MockitoBean LedgerDatabase db;
    @MockitoBean WorkflowClient workflows;

    @Test
    void onlyFinanceApproversDecidePayouts() throws Exception {
        for (Role r : new Role[] {Role.FINANCE_VIEWER, Role.OPS, Role.PLATFORM_ADMIN, Role.COMMUNITY_OWNER, Role.MEMBER, Role.PAYMENT_SERVICE}) {
            mvc.perform(post("/api/v1/finance/payouts/po_1/approve").with(as("x", r, "demo-community"))
                    .contentType(MediaType.APPLICATION_JSON).content("{}")).andExpect(status().isForbidden());
        }
        verifyNoInteractions(workflows);
    }

    @Test
    void anotherThanTheMemberSeesItsAccountMasked() {
        var bank = new com.commdesk.ledger.payout.Beneficiaries.Beneficiary("bene_1", "demo-community", "owner", "u-owner", "Asha Rao",
                "BANK", "000111222333", "HDFC0000001", null, null, null, null, "u-owner", null);
        org.assertj.core.api.Assertions.assertThat(FinanceController.masked(bank).bankAccountNumber()).isEqualTo("XXXXXXXX2333");
        var upi = new com.commdesk.ledger.payout.Beneficiaries.Beneficiary("bene_2", "demo-community", "owner", "u-owner", "Asha Rao",
                "UPI", null, null, "asha.rao@okhdfc", null, null, null, "u-owner", null);
        org.assertj.core.api.Assertions.assertThat(FinanceController.masked(upi).vpa()).isEqualTo("asXXXXXX@okhdfc");
    }

    /**
     * Review s15: a beneficiary id is a digest of the member's full account details. Its community's owner gets the payout
     * without it, in its fields and in the texts the payout activities write it into; the member and finance see it.
     */
    @Test
    void anOwnerSeesAPayoutWithoutItsBeneficiaryIdAnywhere() {
        String bene = "bene_" + "0123456789abcdef".repeat(2) + "01234567";
        var p = new com.commdesk.ledger.payout.Payout("po_1", "stl_1", "demo-community", "admins", "u-admin1", bene, 100L, "approver1",
                "FAILED", false, null, null, null, null, null, "no transfer was requested: the member's beneficiary changed after this"
                + " payout was opened: not sent to " + bene, null, null, 0, null);
        var owner = new com.commdesk.api.web.Caller("owner", java.util.Set.of(Role.COMMUNITY_OWNER), java.util.Set.of("demo-community"));
        var shown = FinanceController.shown(p, owner);
        org.assertj.core.api.Assertions.assertThat(shown.beneficiaryId()).isNull();
        org.assertj.core.api.Assertions.assertThat(shown.reason()).doesNotContain(bene).endsWith("not sent to bene_(hidden)");
        var member = new com.commdesk.api.web.Caller("u-admin1", java.util.Set.of(Role.MEMBER), java.util.Set.of());
        org.assertj.core.api.Assertions.assertThat(FinanceController.shown(p, member)).isEqualTo(p);
        var finance = new com.commdesk.api.web.Caller("viewer", java.util.Set.of(Role.FINANCE_VIEWER), java.util.Set.of());
        org.assertj.core.api.Assertions.assertThat(FinanceController.shown(p, finance)).isEqualTo(p);
    }

    @Test
    void aMemberSetsOnlyItsOwnBeneficiaryAndAnOwnerOnlyInItsCommunity() throws Exception {
        String body = "{\"communityId\":\"demo-community\",\"role\":\"owner\",\"userId\":\"u-owner\",\"name\":\"X\",\"vpa\":\"x@okhdfc\"}";
        mvc.perform(put("/api/v1/finance/beneficiaries").with(as("u-admin1", Role.MEMBER)).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isForbidden());
        mvc.perform(put("/api/v1/finance/beneficiaries").with(as("o", Role.COMMUNITY_OWNER, "other-community"))
                .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isForbidden());
        mvc.perform(put("/api/v1/finance/beneficiaries").with(as("approver1", Role.FINANCE_APPROVER))
                .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isForbidden());
    }

    @Test
    void aBulkApprovalWithABadFlagGenerationIsRefusedBeforeAnyPayoutIsRead() throws Exception {
        // Review L-6: checked inside the loop, the bad entry for po_2 answered 400 after po_1 had been approved.
        mvc.perform(post("/api/v1/finance/payouts/approve").with(as("approver2", Role.FINANCE_APPROVER))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"payoutIds\":[\"po_1\",\"po_2\"],\"flagGenerations\":{\"po_1\":0,\"po_2\":-1}}"))
                .andExpect(status().isBadRequest());
        verifyNoInteractions(workflows, db);
    }

    @Test
    void aCommunityOwnerCannotStartASettlementOfItsOwnCommunity() throws Exception {
        // Review s12 (HIGH): the route admitted COMMUNITY_OWNER and the tenancy check let it through for its own community, so
        // an owner could send its members' money out when it chose (payouts at or below the threshold need no approval);
        // manual settlements are finance's (docs/security.md). AccessMatrixTest's probe named another community, so the
        // owner's 403 there came from tenancy, not from the role.
        org.mockito.Mockito.clearInvocations(db); // the controller's constructor, when this test creates the context
        mvc.perform(post("/api/v1/finance/settlements").with(as("owner", Role.COMMUNITY_OWNER, "demo-community"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"communityId\":\"demo-community\"}")).andExpect(status().isForbidden());
        verifyNoInteractions(workflows, db);
    }

    @Test
    void aBulkApprovalWithABadPayoutIdOrNoteIsRefusedBeforeAnyPayoutIsRead() throws Exception {
        // Review s12: ids were not checked, so ["po_1", "x\u0000"] approved po_1 and then answered 400 (PostgreSQL refused the
        // NUL), and a 4xx is not audited: an approval that moved money with no audit entry, the client told it failed.
        org.mockito.Mockito.clearInvocations(db);
        for (String body : java.util.List.of("{\"payoutIds\":[\"po_1\",\"x\\u0000\"]}", "{\"payoutIds\":[\"po_1\",\"a b\"]}",
                "{\"payoutIds\":[\"po_1\",null]}", "{\"payoutIds\":[\"po_1\"],\"note\":\"ok\\u0000\"}",
                "{\"payoutIds\":[\"po_1\"],\"note\":\"" + "n".repeat(501) + "\"}")) {
            mvc.perform(post("/api/v1/finance/payouts/approve").with(as("approver2", Role.FINANCE_APPROVER))
                    .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isBadRequest());
        }
        verifyNoInteractions(workflows, db);
    }

    @Test
    void aDecisionsNoteThatTheDatabaseCannotStoreIsRefusedBeforeAnythingIsSignalled() throws Exception {
        // Review s12: a note reached the payout workflow unchecked and its decision activity could never store a NUL.
        org.mockito.Mockito.clearInvocations(db);
        for (String path : java.util.List.of("/api/v1/finance/payouts/po_1/approve", "/api/v1/finance/payouts/po_1/reject")) {
            for (String body : java.util.List.of("{\"note\":\"no\\u0000\"}", "{\"note\":\"" + "n".repeat(501) + "\"}")) {
                mvc.perform(post(path).with(as("approver2", Role.FINANCE_APPROVER)).contentType(MediaType.APPLICATION_JSON).content(body))
                        .andExpect(status().isBadRequest());
            }
        }
        verifyNoInteractions(workflows, db);
    }

    @Test
    void pendingPayoutsAreFinancesToSee() throws Exception {
        mvc.perform(get("/api/v1/finance/payouts/pending").with(as("owner", Role.COMMUNITY_OWNER, "demo-community")))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/finance/payouts/pending")).andExpect(status().isUnauthorized());
    }

    @Test
    void theLateSweepsCandidatesAreForFinanceAndOpsOnly() throws Exception {
        // Not a payout id: the rule for GET /payouts/{payoutId} (owners and members) must not let them list every community's.
        mvc.perform(get("/api/v1/finance/payouts/late-returns").with(as("u-admin1", Role.MEMBER)))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/finance/payouts/late-returns").with(as("owner", Role.COMMUNITY_OWNER, "demo-community")))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/finance/payouts/late-returns")).andExpect(status().isUnauthorized());
        for (Role r : new Role[] {Role.FINANCE_VIEWER, Role.OPS}) {
            mvc.perform(get("/api/v1/finance/payouts/late-returns?limit=0").with(as("x", r)))
                    .andExpect(status().isBadRequest());
        }
    }
}
