package com.commdesk.api.refund;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.ledger.PaymentIntake;
import io.temporal.client.WorkflowClient;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = RefundsController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class})
class RefundsControllerTest {
    @Autowired MockMvc mvc;
    @MockitoBean PaymentIntake intake;
    @MockitoBean WorkflowClient workflows;
    @MockitoBean com.commdesk.ledger.RefundApprovals approvals;
    @MockitoBean com.commdesk.ledger.RefundLedger refunds;

    @BeforeEach
    void aPayment() {
        when(intake.find("p1")).thenReturn(Optional.of(new PaymentIntake.AcceptedPayment("p1", "h", "demo-community", "EVENT", "o1", "o1",
                100_000, "payment-o1", null)));
    }

    @Test
    void anOwnerAsksRefundsOfItsOwnPaymentsButRecordsNoChargebacks() throws Exception {
        mvc.perform(post("/api/v1/payments/p1/refunds").with(as("owner", Role.COMMUNITY_OWNER, "demo-community"))
                .header("Idempotency-Key", "r1").contentType(MediaType.APPLICATION_JSON)
                .content("{\"kind\":\"CHARGEBACK\",\"amountPaise\":100,\"reason\":\"bank\"}")).andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/payments/p1/refunds").with(as("x", Role.COMMUNITY_OWNER, "other-community"))
                .header("Idempotency-Key", "r2").contentType(MediaType.APPLICATION_JSON)
                .content("{\"kind\":\"REFUND\",\"amountPaise\":100,\"reason\":\"seat\"}")).andExpect(status().isForbidden());
        verifyNoInteractions(workflows, approvals);
    }

    @Test
    void anInvalidAmountIsA400ForAnAllowedCaller() throws Exception {
        mvc.perform(post("/api/v1/payments/p1/refunds").with(as("approver1", Role.FINANCE_APPROVER))
                .header("Idempotency-Key", "r3").contentType(MediaType.APPLICATION_JSON)
                .content("{\"kind\":\"REFUND\",\"amountPaise\":0,\"reason\":\"x\"}")).andExpect(status().isBadRequest());
        verifyNoInteractions(workflows, approvals);
    }
}
