package com.commdesk.api.payment;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.ledger.LedgerQueries;
import com.commdesk.ledger.PaymentIntake;
import com.commdesk.ledger.community.CommunityOnboarding;
import io.temporal.client.WorkflowClient;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = PaymentsController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class})
class PaymentsControllerTest {
    @Autowired MockMvc mvc;
    @MockitoBean PaymentIntake intake;
    @MockitoBean LedgerQueries ledger;
    @MockitoBean WorkflowClient workflows;
    @MockitoBean CommunityOnboarding onboarding;

    @Test
    void onlyThePaymentServiceStartsPayments() throws Exception {
        mvc.perform(post("/api/v1/payments").with(as("admin", Role.PLATFORM_ADMIN)).header("Idempotency-Key", "k1")
                .contentType(MediaType.APPLICATION_JSON).content("{}")).andExpect(status().isForbidden());
        verifyNoInteractions(intake, workflows);
    }

    @Test
    void badInputIsA400NamingTheFieldAndNothingIsRecorded() throws Exception {
        mvc.perform(post("/api/v1/payments").with(as("commdesk-app", Role.PAYMENT_SERVICE)).header("Idempotency-Key", "k1")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"o_1\",\"amountPaise\":0}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("amountPaise"));
        verifyNoInteractions(intake, workflows);
    }

    @Test
    void anotherCommunitysPaymentIsForbiddenToAnOwner() throws Exception {
        when(intake.find("p1")).thenReturn(Optional.of(new PaymentIntake.AcceptedPayment("p1", "h", "demo-community", "EVENT", "o1", "o1",
                100, "payment-o1", null)));
        mvc.perform(get("/api/v1/payments/p1").with(as("other-owner", Role.COMMUNITY_OWNER, "other-community")))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("demo-community"))));
        verifyNoInteractions(workflows);
    }
}
