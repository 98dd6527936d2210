package com.commdesk.api.ops;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.ledger.FraudRecords;
import com.commdesk.ledger.PaymentIntake;
import com.commdesk.ledger.PaymentOperations;
import io.temporal.client.WorkflowClient;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = OpsController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class})
class OpsControllerTest {
    @Autowired MockMvc mvc;
    @MockitoBean PaymentOperations operations;
    @MockitoBean PaymentIntake intake;
    @MockitoBean FraudRecords fraud;
    @MockitoBean WorkflowClient workflows;

    @Test
    void withoutATokenItIs401ProblemJson() throws Exception {
        mvc.perform(get("/api/v1/ops/payments")).andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer")))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        verifyNoInteractions(operations);
    }

    @Test
    void aCommunityOwnerListsOnlyItsOwnCommunities() throws Exception {
        mvc.perform(get("/api/v1/ops/payments").with(as("owner", Role.COMMUNITY_OWNER, "demo-community"))).andExpect(status().isOk());
        verify(operations).list(isNull(), isNull(), isNull(), eq(100), eq(Set.of("demo-community")));
    }

    @Test
    void opsListsEveryCommunity() throws Exception {
        mvc.perform(get("/api/v1/ops/payments").with(as("ops", Role.OPS))).andExpect(status().isOk());
        verify(operations).list(isNull(), isNull(), isNull(), eq(100), isNull());
    }

    @Test
    void theBlocklistIsTheAdminsAndTheActorIsTheTokenSubjectNotAHeader() throws Exception {
        String body = "{\"kind\":\"ORDER\",\"value\":\"o1\",\"reason\":\"ring\"}";
        mvc.perform(post("/api/v1/ops/blocklist").with(as("viewer", Role.FINANCE_VIEWER)).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isForbidden());
        verifyNoInteractions(fraud);
        mvc.perform(post("/api/v1/ops/blocklist").with(as("admin", Role.PLATFORM_ADMIN)).header("X-Actor", "someone-else")
                .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isCreated());
        verify(fraud).block("ORDER", "o1", "ring", "admin");
    }

    @Test
    void aDecisionNeedsTheOpsRole() throws Exception {
        mvc.perform(post("/api/v1/ops/payments/p1/retry").with(as("approver1", Role.FINANCE_APPROVER))
                .contentType(MediaType.APPLICATION_JSON).content("{}")).andExpect(status().isForbidden());
        verifyNoInteractions(intake, workflows);
    }

    @Test
    void anUnknownStatusIsA400() throws Exception {
        mvc.perform(get("/api/v1/ops/payments?status=NOPE").with(as("ops", Role.OPS))).andExpect(status().isBadRequest());
        verify(operations, org.mockito.Mockito.never()).list(anyString(), any(), any(), anyInt(), any());
    }

    /** s17: the ops page's stable cursor. The time goes with the id, and a time PostgreSQL cannot hold is a 400, not a 500. */
    @Test
    void aCursorsTimeIsPassedWithItsIdAndABadOneIsA400() throws Exception {
        mvc.perform(get("/api/v1/ops/payments?after=cf-ord:1&afterUpdatedAt=2026-12-04T04:00:00.000001Z").with(as("ops", Role.OPS)))
                .andExpect(status().isOk());
        verify(operations).list(isNull(), eq("cf-ord:1"), eq(java.time.OffsetDateTime.parse("2026-12-04T04:00:00.000001Z")), eq(100), isNull());
        for (String bad : new String[] {"afterUpdatedAt=2026-12-04T04:00:00Z", "after=p&afterUpdatedAt=yesterday",
                "after=p&afterUpdatedAt=%2B10000-01-01T00:00:00Z", "after=p&afterUpdatedAt=1900-01-01T00:00:00Z"}) {
            mvc.perform(get("/api/v1/ops/payments?" + bad).with(as("ops", Role.OPS))).andExpect(status().isBadRequest());
        }
        verify(operations, org.mockito.Mockito.times(1)).list(any(), any(), any(), anyInt(), any());
    }
}
