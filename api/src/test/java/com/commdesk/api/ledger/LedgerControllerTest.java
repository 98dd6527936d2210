package com.commdesk.api.ledger;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.ledger.LedgerQueries;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = LedgerController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class})
class LedgerControllerTest {
    @Autowired MockMvc mvc;
    @MockitoBean LedgerQueries ledger;

    @Test
    void theTrialBalanceIsForFinanceAdminsAndOps() throws Exception {
        for (Role r : new Role[] {Role.COMMUNITY_OWNER, Role.MEMBER, Role.PAYMENT_SERVICE}) {
            mvc.perform(get("/api/v1/ledger/trial-balance").with(as("x", r, "demo-community"))).andExpect(status().isForbidden());
        }
        verifyNoInteractions(ledger);
        mvc.perform(get("/api/v1/ledger/trial-balance").with(as("viewer", Role.FINANCE_VIEWER))).andExpect(status().isOk());
        verify(ledger).trialBalance();
    }
}
