package com.commdesk.api.web;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.ledger.audit.AuditLog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = AuditController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class})
class AuditControllerTest {
    @Autowired MockMvc mvc;
    @MockitoBean AuditLog audit;

    @Test
    void adminsAndFinanceReadTheLogOthersDoNot() throws Exception {
        mvc.perform(get("/api/v1/audit?actor=alice&target=/api/v1/finance").with(as("viewer", Role.FINANCE_VIEWER))).andExpect(status().isOk());
        verify(audit).list("alice", "/api/v1/finance", null, 100);
        mvc.perform(get("/api/v1/audit").with(as("ops", Role.OPS))).andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/audit").with(as("owner", Role.COMMUNITY_OWNER, "demo-community"))).andExpect(status().isForbidden());
    }

    @Test
    void badFiltersAre400() throws Exception {
        mvc.perform(get("/api/v1/audit?limit=0").with(as("admin", Role.PLATFORM_ADMIN))).andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/audit?target=finance").with(as("admin", Role.PLATFORM_ADMIN))).andExpect(status().isBadRequest());
    }
}
