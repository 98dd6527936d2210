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
import com.commdesk.ledger.PaymentProjection;
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
    @MockitoBean PaymentProjection projection;
    @MockitoBean PaymentStarter starter;
    @MockitoBean WorkflowClient workflows;
    @MockitoBean CommunityOnboarding onboarding;

    private static PaymentProjection.View view(String paymentId, String communityId, String stage) {
        return new PaymentProjection.View(paymentId, "payment-o1", communityId, "EVENT", "o1", "o1", 100, stage, null,
                java.time.OffsetDateTime.now(), null, null, null, java.util.List.of(), null, null, null);
    }

    @Test
    void onlyThePaymentServiceStartsPayments() throws Exception {
        mvc.perform(post("/api/v1/payments").with(as("admin", Role.PLATFORM_ADMIN)).header("Idempotency-Key", "k1")
                .contentType(MediaType.APPLICATION_JSON).content("{}")).andExpect(status().isForbidden());
        verifyNoInteractions(intake, starter, workflows);
    }

    @Test
    void badInputIsA400NamingTheFieldAndNothingIsRecorded() throws Exception {
        mvc.perform(post("/api/v1/payments").with(as("commdesk-app", Role.PAYMENT_SERVICE)).header("Idempotency-Key", "k1")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"o_1\",\"amountPaise\":0}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("amountPaise"));
        verifyNoInteractions(intake, starter, workflows);
    }

    @Test
    void aKeyInTheWebhooksNamespaceIsRefusedAndNothingIsRecorded() throws Exception {
        // Review s12: a payment claimed by its signed webhook is recorded as "cf-" + its order id. A client's key "cf-ORD2" on
        // order ORD1 took that id first, so ORD2's webhook met ORD1's payment (409), was never recorded, and ORD2's money
        // stayed unbooked: an internal key must never be something a client can send. Any letter case: ids are compared as
        // written, but nobody should read "CF-x" as another thing than "cf-x".
        for (String key : java.util.List.of("cf-o_2", "CF-o_2", "Cf-x")) {
            mvc.perform(post("/api/v1/payments").with(as("commdesk-app", Role.PAYMENT_SERVICE)).header("Idempotency-Key", key)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"o_1\",\"amountPaise\":100}"))
                    .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("Idempotency-Key"));
        }
        verifyNoInteractions(intake, starter, workflows);
    }

    /** Issue 10 item 7: the community's configuration names the sources it offers; another is a 422 and nothing is recorded. */
    @Test
    void aSourceTypeTheCommunityDoesNotOfferIsA422AndNothingIsRecorded() throws Exception {
        when(onboarding.offers("demo-community", "MEMBERSHIP")).thenReturn(false);
        mvc.perform(post("/api/v1/payments").with(as("commdesk-app", Role.PAYMENT_SERVICE)).header("Idempotency-Key", "k1")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"communityId\":\"demo-community\",\"sourceType\":\"membership\",\"cashfreeOrderId\":\"o_1\",\"amountPaise\":100}"))
                .andExpect(status().isUnprocessableContent()).andExpect(jsonPath("$.field").value("sourceType"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("does not offer source type 'MEMBERSHIP'")));
        verifyNoInteractions(intake, starter, workflows);
    }

    @Test
    void anotherCommunitysPaymentIsForbiddenToAnOwner() throws Exception {
        when(projection.find("p1")).thenReturn(Optional.of(view("p1", "demo-community", "COMPLETED")));
        mvc.perform(get("/api/v1/payments/p1").with(as("other-owner", Role.COMMUNITY_OWNER, "other-community")))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("demo-community"))));
        verifyNoInteractions(workflows);
    }

    /**
     * Issue 13: the request path never touches Temporal. POST records the payment and hands the start to the
     * starter (off the request thread); GET reads the projection. A workflow query under load waits for a
     * workflow task (seconds), and a start waits for the frontend: neither may be in a request.
     */
    @Test
    void neitherPostNorGetTalksToTemporal() throws Exception {
        var accepted = new PaymentIntake.AcceptedPayment("k1", "h", "demo-community", "EVENT", "o_1", "o_1", 100, "payment-o_1", null);
        when(intake.accept(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.anyMap()))
                .thenReturn(new PaymentIntake.Accepted(PaymentIntake.Outcome.CREATED, accepted));
        when(projection.find("k1")).thenReturn(Optional.of(view("k1", "demo-community", "ACCEPTED")));
        when(onboarding.offers("demo-community", "EVENT")).thenReturn(true);

        mvc.perform(post("/api/v1/payments").with(as("commdesk-app", Role.PAYMENT_SERVICE)).header("Idempotency-Key", "k1")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"o_1\",\"amountPaise\":100}"))
                .andExpect(status().isAccepted()).andExpect(jsonPath("$.stage").value("ACCEPTED"));
        org.mockito.Mockito.verify(starter).startSoon(org.mockito.ArgumentMatchers.eq(accepted), org.mockito.ArgumentMatchers.anyMap());

        mvc.perform(get("/api/v1/payments/k1").with(as("owner", Role.COMMUNITY_OWNER, "demo-community")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.stage").value("ACCEPTED"));
        verifyNoInteractions(workflows);
    }
}
