package com.commdesk.api.payment;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.api.web.WebhookSignatures;
import com.commdesk.ledger.PaymentIntake;
import com.commdesk.ledger.WebhookEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** Cashfree's webhooks need no token but a valid signature; a bearer token is no substitute for one. */
@WebMvcTest(controllers = CashfreeWebhookController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class, CashfreeWebhookControllerTest.Signatures.class})
class CashfreeWebhookControllerTest {
    @TestConfiguration
    static class Signatures {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        WebhookSignatures webhookSignatures(MeterRegistry metrics) {
            return new WebhookSignatures("test-secret", Clock.systemUTC(), metrics);
        }
    }

    @Autowired MockMvc mvc;
    @MockitoBean WebhookEvents events;
    @MockitoBean PaymentIntake intake;
    @MockitoBean WorkflowClient workflows;
    @MockitoBean com.commdesk.api.web.WebhookAudit audit;

    @Test
    void anUnsignedDeliveryIs401AndNothingIsRecordedEvenWithAnAdminsToken() throws Exception {
        String body = "{\"type\":\"PAYMENT_SUCCESS_WEBHOOK\",\"data\":{\"order\":{\"order_id\":\"o1\"}}}";
        mvc.perform(post("/webhooks/cashfree/pg").contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isUnauthorized());
        mvc.perform(post("/webhooks/cashfree/pg").with(as("admin", Role.PLATFORM_ADMIN)).contentType(MediaType.APPLICATION_JSON).content(body)
                .header("x-webhook-signature", "forged").header("x-webhook-timestamp", Long.toString(System.currentTimeMillis())))
                .andExpect(status().isUnauthorized());
        verifyNoInteractions(events, intake, workflows, audit);
    }
}
