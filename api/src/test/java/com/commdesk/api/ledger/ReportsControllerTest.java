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
import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.TaxReports;
import com.commdesk.ledger.WalletStatements;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = ReportsController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class})
class ReportsControllerTest {
    @Autowired MockMvc mvc;
    @MockitoBean LedgerInvariants invariants;
    @MockitoBean WalletStatements statements;
    @MockitoBean TaxReports reports;

    @Test
    void aMemberReadsItsOwnStatementOnly() throws Exception {
        mvc.perform(get("/api/v1/wallets/demo-community/members/u-admin1/statement").with(as("u-admin1", Role.MEMBER)))
                .andExpect(status().isOk());
        verify(statements).member("demo-community", "u-admin1", 0, 100);
        mvc.perform(get("/api/v1/wallets/demo-community/members/u-owner/statement").with(as("u-admin1", Role.MEMBER)))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/wallets/demo-community/statement").with(as("u-admin1", Role.MEMBER))).andExpect(status().isForbidden());
    }

    @Test
    void taxReportsAreFinances() throws Exception {
        mvc.perform(get("/api/v1/reports/gst/2026-01").with(as("owner", Role.COMMUNITY_OWNER, "demo-community")))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/reports/gst/2026-13").with(as("viewer", Role.FINANCE_VIEWER))).andExpect(status().isBadRequest());
        verifyNoInteractions(reports);
    }
}
