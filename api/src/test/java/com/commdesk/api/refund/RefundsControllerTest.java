package com.commdesk.api.refund;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
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

    /**
     * s18: the waiting-refunds list asked each refund's workflow in turn, as long as each query took, and called a query that
     * failed "no workflow". A workflow that does not answer now costs the page at most RefundsController.STAGE_WAIT, and is
     * listed as NOT_ANSWERED, not as gone. The slow query is held until the test ends: the answer arriving while it is still
     * held is what shows the page did not wait for it.
     */
    @Test
    void aWorkflowThatDoesNotAnswerNeitherHoldsTheListNorIsCalledGone() throws Exception {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean slowAnswered = new java.util.concurrent.atomic.AtomicBoolean();
        java.time.OffsetDateTime t = java.time.OffsetDateTime.parse("2026-12-01T10:00:00Z");
        java.util.List<com.commdesk.ledger.RefundLedger.Refund> page = java.util.stream.Stream.of("rf-slow", "rf-gone", "rf-fine", "rf-broken")
                .map(id -> new com.commdesk.ledger.RefundLedger.Refund(id, java.util.UUID.randomUUID(), com.commdesk.ledger.RefundPosting.Kind.REFUND,
                        100, "seat", 1, 100, 0, 0, com.commdesk.ledger.RefundLedger.Status.PENDING, null, null, null, null, t))
                .toList();
        when(refunds.pending(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.isNull(), org.mockito.ArgumentMatchers.eq(100)))
                .thenReturn(page);
        com.commdesk.workflows.refund.RefundWorkflow slow = org.mockito.Mockito.mock(com.commdesk.workflows.refund.RefundWorkflow.class);
        when(slow.status()).thenAnswer(i -> {
            held.await(30, java.util.concurrent.TimeUnit.SECONDS);
            slowAnswered.set(true);
            return new com.commdesk.workflows.refund.RefundStatus("rf-slow", com.commdesk.workflows.refund.RefundStatus.Stage.AWAITING_CASHFREE,
                    null, null, null);
        });
        com.commdesk.workflows.refund.RefundWorkflow gone = org.mockito.Mockito.mock(com.commdesk.workflows.refund.RefundWorkflow.class);
        when(gone.status()).thenThrow(new io.temporal.client.WorkflowNotFoundException(
                io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId("refund-rf-gone").build(), "RefundWorkflow", null));
        com.commdesk.workflows.refund.RefundWorkflow fine = org.mockito.Mockito.mock(com.commdesk.workflows.refund.RefundWorkflow.class);
        when(fine.status()).thenReturn(new com.commdesk.workflows.refund.RefundStatus("rf-fine",
                com.commdesk.workflows.refund.RefundStatus.Stage.NEEDS_ATTENTION, null, null, "Cashfree refused", "FAILED", null));
        com.commdesk.workflows.refund.RefundWorkflow broken = org.mockito.Mockito.mock(com.commdesk.workflows.refund.RefundWorkflow.class);
        when(broken.status()).thenThrow(new IllegalStateException("query failed"));
        for (var e : java.util.Map.of("rf-slow", slow, "rf-gone", gone, "rf-fine", fine, "rf-broken", broken).entrySet()) {
            when(workflows.newWorkflowStub(com.commdesk.workflows.refund.RefundWorkflow.class,
                    com.commdesk.workflows.refund.RefundWorkflow.workflowId(e.getKey()))).thenReturn(e.getValue());
        }
        try {
            String body = mvc.perform(get("/api/v1/ops/refunds").param("olderThanMinutes", "0").with(as("ops-anita", Role.OPS)))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(slowAnswered).as("the list answered while the slow workflow's query was still held").isFalse();
            var rows = new tools.jackson.databind.ObjectMapper().readTree(body);
            assertThat(rows).hasSize(4);
            assertThat(rows.get(0).path("refundId").asText()).isEqualTo("rf-slow");
            assertThat(rows.get(0).path("stageAnswer").asText()).isEqualTo("NOT_ANSWERED");
            assertThat(rows.get(0).path("stage").isNull()).isTrue();
            assertThat(rows.get(1).path("stageAnswer").asText()).isEqualTo("NO_WORKFLOW");
            assertThat(rows.get(2).path("stageAnswer").asText()).isEqualTo("ANSWERED");
            assertThat(rows.get(2).path("stage").asText()).isEqualTo("NEEDS_ATTENTION");
            assertThat(rows.get(2).path("cashfreeStatus").asText()).isEqualTo("FAILED");
            assertThat(rows.get(3).path("stageAnswer").asText()).as("an error is not the absence of a workflow").isEqualTo("NOT_ANSWERED");
        } finally {
            held.countDown();
        }
    }

    @Test
    void aCursorThatIsNoRefundIdOrNamesNoRefundIsA400() throws Exception {
        mvc.perform(get("/api/v1/ops/refunds").param("after", "not a refund!").with(as("ops-anita", Role.OPS)))
                .andExpect(status().isBadRequest());
        when(refunds.pending(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.eq("rf-none"), org.mockito.ArgumentMatchers.anyInt()))
                .thenThrow(new com.commdesk.ledger.LedgerException(com.commdesk.ledger.LedgerException.Code.NOT_FOUND, "no refund rf-none"));
        mvc.perform(get("/api/v1/ops/refunds").param("after", "rf-none").with(as("ops-anita", Role.OPS)))
                .andExpect(status().isBadRequest());
        verifyNoInteractions(workflows);
    }

    /**
     * s18: a refund's status asked while Temporal is down or overloaded was a 500 "unexpected error" (logged as ours), so a
     * client could not tell it from a bug and would not retry. It is a 503 with Retry-After; any other failure stays a 500.
     */
    @Test
    void aStatusAskedWhileTemporalIsAwayIsA503ToRetryNotA500() throws Exception {
        com.commdesk.workflows.refund.RefundWorkflow away = org.mockito.Mockito.mock(com.commdesk.workflows.refund.RefundWorkflow.class);
        var execution = io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId("refund-rf-away").build();
        when(away.status()).thenThrow(new io.temporal.client.WorkflowServiceException(execution, "RefundWorkflow",
                new io.grpc.StatusRuntimeException(io.grpc.Status.UNAVAILABLE.withDescription("connection refused"))));
        when(workflows.newWorkflowStub(com.commdesk.workflows.refund.RefundWorkflow.class,
                com.commdesk.workflows.refund.RefundWorkflow.workflowId("rf-away"))).thenReturn(away);
        mvc.perform(get("/api/v1/refunds/rf-away").with(as("ops-anita", Role.OPS)))
                .andExpect(status().isServiceUnavailable())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.header().string("Retry-After", "5"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.title")
                        .value("Temporal temporarily unavailable"));

        com.commdesk.workflows.refund.RefundWorkflow broken = org.mockito.Mockito.mock(com.commdesk.workflows.refund.RefundWorkflow.class);
        when(broken.status()).thenThrow(new io.temporal.client.WorkflowServiceException(execution, "RefundWorkflow",
                new io.grpc.StatusRuntimeException(io.grpc.Status.INVALID_ARGUMENT)));
        when(workflows.newWorkflowStub(com.commdesk.workflows.refund.RefundWorkflow.class,
                com.commdesk.workflows.refund.RefundWorkflow.workflowId("rf-broken"))).thenReturn(broken);
        mvc.perform(get("/api/v1/refunds/rf-broken").with(as("ops-anita", Role.OPS))).andExpect(status().isInternalServerError());
    }

    /**
     * s18: once Temporal no longer had a refund's workflow (its namespace retention passed, or an embedded server
     * restarted), GET /api/v1/refunds/{id} answered 404 for a refund the books had settled, since only an approval was
     * looked for. A refund whose outcome is booked is answered from the books; one still pending there is not guessed at.
     */
    @Test
    void aRefundWhoseWorkflowIsGoneIsAnsweredFromItsBookedOutcome() throws Exception {
        var execution = io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId("refund-rf-old").build();
        when(refunds.find("cb-old")).thenReturn(Optional.of(new com.commdesk.ledger.RefundLedger.Refund("cb-old", java.util.UUID.randomUUID(),
                com.commdesk.ledger.RefundPosting.Kind.CHARGEBACK, 50_000, "bank", 51, 40_000, 0, 10_000,
                com.commdesk.ledger.RefundLedger.Status.SUCCEEDED, 51L, null, "chargeback: Cashfree already took it back", null,
                java.time.OffsetDateTime.parse("2026-11-01T10:00:00Z"))));
        for (String id : java.util.List.of("rf-old", "rf-failed", "rf-pending", "cb-old")) {
            com.commdesk.workflows.refund.RefundWorkflow gone = org.mockito.Mockito.mock(com.commdesk.workflows.refund.RefundWorkflow.class);
            when(gone.status()).thenThrow(new io.temporal.client.WorkflowNotFoundException(execution, "RefundWorkflow", null));
            when(workflows.newWorkflowStub(com.commdesk.workflows.refund.RefundWorkflow.class,
                    com.commdesk.workflows.refund.RefundWorkflow.workflowId(id))).thenReturn(gone);
        }
        java.time.OffsetDateTime t = java.time.OffsetDateTime.parse("2026-11-01T10:00:00Z");
        when(refunds.find("rf-old")).thenReturn(Optional.of(new com.commdesk.ledger.RefundLedger.Refund("rf-old", java.util.UUID.randomUUID(),
                com.commdesk.ledger.RefundPosting.Kind.REFUND, 50_000, "seat", 11, 40_000, 0, 10_000,
                com.commdesk.ledger.RefundLedger.Status.SUCCEEDED, 12L, "cf-77", null, "approver1", t)));
        when(refunds.find("rf-failed")).thenReturn(Optional.of(new com.commdesk.ledger.RefundLedger.Refund("rf-failed", java.util.UUID.randomUUID(),
                com.commdesk.ledger.RefundPosting.Kind.REFUND, 50_000, "seat", 21, 40_000, 0, 10_000,
                com.commdesk.ledger.RefundLedger.Status.FAILED, 22L, null, "Cashfree failed it", null, t)));
        when(refunds.find("rf-pending")).thenReturn(Optional.of(new com.commdesk.ledger.RefundLedger.Refund("rf-pending", java.util.UUID.randomUUID(),
                com.commdesk.ledger.RefundPosting.Kind.REFUND, 50_000, "seat", 31, 40_000, 0, 10_000,
                com.commdesk.ledger.RefundLedger.Status.PENDING, null, null, null, null, t)));

        mvc.perform(get("/api/v1/refunds/rf-old").with(as("ops-anita", Role.OPS))).andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.stage").value("COMPLETED"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.cashfreeRefundId").value("cf-77"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.outcome.journalId").value(12))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.outcome.toReceivablePaise").value(10_000));
        mvc.perform(get("/api/v1/refunds/rf-failed").with(as("ops-anita", Role.OPS))).andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.stage").value("FAILED"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.outcome.journalId").value(22))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.error").value("Cashfree failed it"));
        // a chargeback's books detail is a description, not an error (its workflow reports none)
        mvc.perform(get("/api/v1/refunds/cb-old").with(as("ops-anita", Role.OPS))).andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.stage").value("COMPLETED"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.error").doesNotExist());
        // pending in the books with no workflow following it: not answered from a guess (as before: 404 without an approval)
        mvc.perform(get("/api/v1/refunds/rf-pending").with(as("ops-anita", Role.OPS))).andExpect(status().isNotFound());
        // and an operator's decision on a settled refund is refused, not signalled to a workflow that is not there
        mvc.perform(post("/api/v1/ops/refunds/rf-old/retry").with(as("ops-anita", Role.OPS))).andExpect(status().isConflict());
    }

    /**
     * Review s18 (H1): after Temporal's retention forgot a settled refund's run, REJECT_DUPLICATE no longer stopped a second
     * start, so the same Idempotency-Key again started a new run, which would ask Cashfree again for a refund the books had
     * settled or given back. A refund whose outcome is booked is answered from the books and never started again.
     */
    @Test
    void theSameKeyAgainAfterTheRefundIsBookedStartsNothing() throws Exception {
        java.time.OffsetDateTime t = java.time.OffsetDateTime.parse("2026-11-01T10:00:00Z");
        when(refunds.find("rf-done")).thenReturn(Optional.of(new com.commdesk.ledger.RefundLedger.Refund("rf-done", java.util.UUID.randomUUID(),
                com.commdesk.ledger.RefundPosting.Kind.REFUND, 100, "seat", 41, 80, 0, 20,
                com.commdesk.ledger.RefundLedger.Status.FAILED, 42L, null, "Cashfree refused it", null, t)));
        mvc.perform(post("/api/v1/payments/p1/refunds").with(as("approver1", Role.FINANCE_APPROVER))
                        .header("Idempotency-Key", "rf-done").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"kind\":\"REFUND\",\"amountPaise\":100,\"reason\":\"seat\"}"))
                .andExpect(status().isAccepted())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.stage").value("FAILED"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.outcome.journalId").value(42));
        org.mockito.Mockito.verify(workflows, org.mockito.Mockito.never()).newWorkflowStub(
                org.mockito.ArgumentMatchers.eq(com.commdesk.workflows.refund.RefundWorkflow.class),
                org.mockito.ArgumentMatchers.any(io.temporal.client.WorkflowOptions.class));
    }
}
