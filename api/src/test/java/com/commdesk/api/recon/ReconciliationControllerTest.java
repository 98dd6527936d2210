package com.commdesk.api.recon;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.ledger.LedgerDatabase;
import io.temporal.client.WorkflowClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = ReconciliationController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class})
class ReconciliationControllerTest {
    @Autowired MockMvc mvc;
    @MockitoBean LedgerDatabase db;
    @MockitoBean WorkflowClient workflows;

    @Test
    void viewersReadApproversResolveOthersNeither() throws Exception {
        mvc.perform(post("/api/v1/reconciliation/exceptions/1/adjust").with(as("viewer", Role.FINANCE_VIEWER))
                .contentType(MediaType.APPLICATION_JSON).content("{\"reason\":\"x\"}")).andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/reconciliation/runs").with(as("ops", Role.OPS)).contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/reconciliation/exceptions").with(as("owner", Role.COMMUNITY_OWNER, "demo-community")))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/reconciliation/runs").with(as("approver1", Role.FINANCE_APPROVER)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"from\":\"not a time\"}")).andExpect(status().isBadRequest());
        verifyNoInteractions(workflows);
    }
}
