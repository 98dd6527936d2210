package com.commdesk.api.rules;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.ledger.rules.CommissionRuleException;
import com.commdesk.ledger.rules.CommissionRuleRepository;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = CommissionRulesController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class})
class CommissionRulesControllerTest {
    @Autowired MockMvc mvc;
    @MockitoBean CommissionRuleRepository rules;

    @Test
    void theAuditedActorIsTheAdminsTokenSubject() throws Exception {
        when(rules.deactivate("r1", "admin")).thenThrow(new CommissionRuleException(CommissionRuleException.Code.NOT_FOUND, "ruleId", null, "no rule"));
        mvc.perform(post("/api/v1/admin/commission-rules/r1/deactivate").with(as("admin", Role.PLATFORM_ADMIN)).header("X-Actor", "mallory"))
                .andExpect(status().isNotFound());
        verify(rules).deactivate("r1", "admin");
    }

    @Test
    void financeReadsRulesButOnlyAdminsWriteThem() throws Exception {
        when(rules.list()).thenReturn(List.of());
        mvc.perform(get("/api/v1/admin/commission-rules").with(as("viewer", Role.FINANCE_VIEWER))).andExpect(status().isOk());
        mvc.perform(post("/api/v1/admin/commission-rules").with(as("approver1", Role.FINANCE_APPROVER))
                .contentType(MediaType.APPLICATION_JSON).content("{\"ruleId\":\"x\"}")).andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/admin/commission-rules").with(as("u-admin1", Role.MEMBER))).andExpect(status().isForbidden());
    }

    @Test
    void noTokenNoRules() throws Exception {
        mvc.perform(get("/api/v1/admin/commission-rules")).andExpect(status().isUnauthorized());
        verifyNoInteractions(rules);
    }
}
