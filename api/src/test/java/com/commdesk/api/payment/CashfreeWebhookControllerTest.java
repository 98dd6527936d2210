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
    @MockitoBean PaymentStarter starter;
    @MockitoBean com.commdesk.api.refund.RefundSignals refundSignals;
    @MockitoBean com.commdesk.ledger.LedgerQueries ledger;

    static String sign(String timestamp, String body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("test-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.Base64.getEncoder().encodeToString(mac.doFinal((timestamp + body).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** A PAYMENT_SUCCESS delivery for an order the API has not recorded; every event is recorded the first time. */
    private void unrecordedOrder(String orderId) {
        org.mockito.Mockito.when(intake.findByOrder(orderId)).thenReturn(java.util.Optional.empty());
        org.mockito.Mockito.when(events.recordOnce(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any(),
                org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any())).thenReturn(true);
    }

    /** The intake records the payment of {@code orderId} as this (what a database would answer). */
    private PaymentIntake.AcceptedPayment accepting(String orderId, long amountPaise) {
        var accepted = new PaymentIntake.AcceptedPayment("cf-" + orderId, "sha", "c-1", "EVENT", orderId, orderId, amountPaise,
                "payment-" + orderId, java.time.OffsetDateTime.now());
        org.mockito.Mockito.when(intake.accept(org.mockito.ArgumentMatchers.any()))
                .thenReturn(new PaymentIntake.Accepted(PaymentIntake.Outcome.CREATED, accepted));
        return accepted;
    }

    private org.springframework.test.web.servlet.ResultActions deliver(String body) throws Exception {
        String ts = Long.toString(System.currentTimeMillis());
        return mvc.perform(post("/webhooks/cashfree/pg").contentType(MediaType.APPLICATION_JSON).content(body)
                .header("x-webhook-signature", sign(ts, body)).header("x-webhook-timestamp", ts));
    }

    /** Recorded and answered 200, nothing started: the API path must claim the order. */
    private void recordedAndNotStarted(String orderId) {
        verifyNoInteractions(starter, workflows, audit);
        org.mockito.Mockito.verify(events).recordOnce(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.eq("PAYMENT_SUCCESS_WEBHOOK"),
                org.mockito.ArgumentMatchers.eq(orderId), org.mockito.ArgumentMatchers.any());
    }

    /**
     * Issue 13: a delivery used to signal-with-start the workflow on the request thread, so under load every
     * Tomcat thread waited on Temporal and POST /api/v1/payments queued behind them (p99 30 s at 16.7/s). The
     * payment is recorded and handed to the starter; the request never calls Temporal.
     */
    @Test
    void aPaymentSuccessIsRecordedAndStartedOffTheRequestThread() throws Exception {
        String body = """
                {"type":"PAYMENT_SUCCESS_WEBHOOK","data":{"order":{"order_id":"ord_w1","order_amount":"250.00",
                 "order_tags":{"community_id":"c-1","source_type":"EVENT"}},
                 "payment":{"cf_payment_id":"cfp-1","payment_status":"SUCCESS"}}}""";
        unrecordedOrder("ord_w1");
        var accepted = accepting("ord_w1", 25_000);
        org.mockito.Mockito.when(intake.metadata("cf-ord_w1")).thenReturn(java.util.Map.of());
        deliver(body).andExpect(status().isAccepted());
        verifyNoInteractions(workflows);
        org.mockito.Mockito.verify(starter).startSoon(org.mockito.ArgumentMatchers.eq(accepted), org.mockito.ArgumentMatchers.eq(java.util.Map.of()),
                org.mockito.ArgumentMatchers.argThat(e -> e != null && "cfp-1".equals(e.cfPaymentId())));
    }

    /**
     * s17: the webhook path took the order's tags as sent, so an order tagged {@code "source_type":"event"} was recorded
     * as source type "event" (the REST path upper-cases it) and its payment parked as "not offered"; a tag or amount the
     * REST path would refuse (a community id that is not one, fractional paise) was recorded too, or threw (500, so
     * Cashfree delivered it again and again). Tags are read as the REST path reads its body: the source type upper-cased,
     * both checked against the same patterns, the amount whole paise above zero; anything else is recorded and left for
     * the API path to claim, with nothing started.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "'\"250.00\"' | c-1   | event   | 25000",   // the source type in lower case (as a client might tag it)
            "250.10       | ' c-1 ' | ' Event ' | 25010"})   // review s17: Cashfree sends a JSON number; tags may carry spaces
    void anOrdersTagsAreReadAsTheRestPathReadsThem(String amountJson, String community, String source, long paise) throws Exception {
        String body = """
                {"type":"PAYMENT_SUCCESS_WEBHOOK","data":{"order":{"order_id":"ord_w2","order_amount":%s,
                 "order_tags":{"community_id":"%s","source_type":"%s"}},
                 "payment":{"cf_payment_id":"cfp-2","payment_status":"SUCCESS"}}}""".formatted(amountJson, community, source);
        unrecordedOrder("ord_w2");
        accepting("ord_w2", paise);
        deliver(body).andExpect(status().isAccepted());
        org.mockito.Mockito.verify(intake).accept(org.mockito.ArgumentMatchers.argThat(p ->
                "EVENT".equals(p.sourceType()) && "c-1".equals(p.communityId()) && p.amountPaise() == paise));
    }

    /** Review s17: a community id that is none of ours was refused by the database as a 422, so Cashfree delivered it forever. */
    @Test
    void anOrderTaggedWithAnUnknownCommunityIsRecordedAndNotStarted() throws Exception {
        String body = """
                {"type":"PAYMENT_SUCCESS_WEBHOOK","data":{"order":{"order_id":"ord_w5","order_amount":"250.00",
                 "order_tags":{"community_id":"no-such-community","source_type":"EVENT"}},
                 "payment":{"cf_payment_id":"cfp-5","payment_status":"SUCCESS"}}}""";
        unrecordedOrder("ord_w5");
        org.mockito.Mockito.when(intake.accept(org.mockito.ArgumentMatchers.any())).thenThrow(new com.commdesk.ledger.LedgerException(
                com.commdesk.ledger.LedgerException.Code.UNKNOWN_COMMUNITY, "unknown community no-such-community"));
        deliver(body).andExpect(status().isOk());
        recordedAndNotStarted("ord_w5");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "Demo Community! | EVENT    | 250.00 | ord_w3",   // not a community id
            "c-1             | EV ENT   | 250.00 | ord_w3",   // not a source type
            "c-1             | EVENT    | 250.005 | ord_w3",  // fractional paise
            "c-1             | EVENT    | -5.00  | ord_w3",   // not money coming in
            "c-1             | EVENT    | 0      | ord_w3",
            "c-1             | EVENT    | lots   | ord_w3",
            "c-1             | EVENT    | 250.00 | o/../x",   // not an order id
            "c-1             | EVENT    | 10000000000.01 | ord_w3",   // above the REST path's largest amount
            "c-1             | EVENT    | 100000000000.01 | ord_w3"})
    void anOrderTaggedOrPricedAsTheRestPathWouldRefuseIsRecordedAndNotStarted(String community, String source, String amount,
                                                                              String orderId) throws Exception {
        String body = """
                {"type":"PAYMENT_SUCCESS_WEBHOOK","data":{"order":{"order_id":"%s","order_amount":"%s",
                 "order_tags":{"community_id":"%s","source_type":"%s"}},
                 "payment":{"cf_payment_id":"cfp-3","payment_status":"SUCCESS"}}}""".formatted(orderId, amount, community, source);
        unrecordedOrder(orderId);
        deliver(body).andExpect(status().isOk());
        org.mockito.Mockito.verify(intake, org.mockito.Mockito.never()).accept(org.mockito.ArgumentMatchers.any());
        recordedAndNotStarted(orderId);
    }

    /**
     * Review s12: the event id was the delivery's x-idempotency-key when it had one, a header the signature does not cover,
     * so one genuine signed delivery replayed with new keys was a new event each time (recorded and audited again). The id
     * is the signed body's own (its type, entity and status), whatever the headers say.
     */
    @Test
    void theEventIdComesFromTheSignedBodyNotFromAnUnsignedHeader() throws Exception {
        String body = """
                {"type":"REFUND_STATUS_WEBHOOK","data":{"refund":{"cf_refund_id":"cfr-9","refund_id":"rf_9","order_id":"ord_9",
                 "refund_status":"SUCCESS"}}}""";
        String ts = Long.toString(System.currentTimeMillis());
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (String key : java.util.List.of("k-1", "k-2")) {
            String receipt = mvc.perform(post("/webhooks/cashfree/pg").contentType(MediaType.APPLICATION_JSON).content(body)
                            .header("x-webhook-signature", sign(ts, body)).header("x-webhook-timestamp", ts).header("x-idempotency-key", key))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            ids.add(new tools.jackson.databind.ObjectMapper().readTree(receipt).path("eventId").asText());
        }
        org.assertj.core.api.Assertions.assertThat(ids.get(0)).isEqualTo(ids.get(1))
                .isEqualTo(com.commdesk.api.web.WebhookSignatures.eventIdOf(new tools.jackson.databind.ObjectMapper().readTree(body),
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void anUnsignedDeliveryIs401AndNothingIsRecordedEvenWithAnAdminsToken() throws Exception {
        String body = "{\"type\":\"PAYMENT_SUCCESS_WEBHOOK\",\"data\":{\"order\":{\"order_id\":\"o1\"}}}";
        mvc.perform(post("/webhooks/cashfree/pg").contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isUnauthorized());
        mvc.perform(post("/webhooks/cashfree/pg").with(as("admin", Role.PLATFORM_ADMIN)).contentType(MediaType.APPLICATION_JSON).content(body)
                .header("x-webhook-signature", "forged").header("x-webhook-timestamp", Long.toString(System.currentTimeMillis())))
                .andExpect(status().isUnauthorized());
        verifyNoInteractions(events, intake, workflows, audit);
    }

    /**
     * Issue 10: a REFUND_STATUS delivery signalled the refund's workflow on the request thread, so an 8 s Temporal outage
     * held (then failed) the delivery and a Tomcat thread. Cashfree's answer is recorded first and answered 200 at once;
     * RefundSignals signals it off the request thread (its sweep retries until Temporal is back: RefundSignalsTest).
     */
    @Test
    void aRefundStatusIsRecordedAnsweredAtOnceAndSignalledOffTheRequestThreadWhileTemporalIsDown() throws Exception {
        String body = """
                {"type":"REFUND_STATUS_WEBHOOK","data":{"refund":{"refund_id":"rf_1","cf_refund_id":"77001",
                 "refund_status":"SUCCESS","order_id":"ord_r1"}}}""";
        var down = new com.commdesk.workflows.refund.RefundWorkflow() { // Temporal unreachable: a call waits 8 s, then fails
            public com.commdesk.workflows.refund.RefundStatus process(com.commdesk.workflows.refund.RefundRequest r) { throw unreachable(); }
            public com.commdesk.workflows.refund.RefundStatus status() { throw unreachable(); }
            public com.commdesk.workflows.refund.RefundMismatchHold mismatchHold() { throw unreachable(); }
            public void retryPosting(String operator) { throw unreachable(); }
            public void cashfreeStatus(com.commdesk.workflows.refund.RefundStatusEvent e) { throw unreachable(); }
            public void decide(com.commdesk.workflows.refund.RefundDecision d) { throw unreachable(); }

            RuntimeException unreachable() {
                try {
                    Thread.sleep(8_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new io.grpc.StatusRuntimeException(io.grpc.Status.UNAVAILABLE.withDescription("connection refused"));
            }
        };
        org.mockito.Mockito.when(workflows.newWorkflowStub(org.mockito.ArgumentMatchers.eq(com.commdesk.workflows.refund.RefundWorkflow.class),
                org.mockito.ArgumentMatchers.anyString())).thenReturn(down);
        org.mockito.Mockito.when(events.recordOnce(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any(),
                org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any())).thenReturn(true);
        org.mockito.Mockito.when(ledger.refundExists("rf_1")).thenReturn(true);
        String ts = Long.toString(System.currentTimeMillis());

        long started = System.nanoTime();
        mvc.perform(post("/webhooks/cashfree/pg").contentType(MediaType.APPLICATION_JSON).content(body)
                        .header("x-webhook-signature", sign(ts, body)).header("x-webhook-timestamp", ts))
                .andExpect(status().isOk());
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        org.assertj.core.api.Assertions.assertThat(tookMillis).as("answered without waiting on Temporal").isLessThan(2_000);
        var order = org.mockito.Mockito.inOrder(events, refundSignals);
        order.verify(events).recordOnce(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.eq("REFUND_STATUS_WEBHOOK"),
                org.mockito.ArgumentMatchers.eq("ord_r1"), org.mockito.ArgumentMatchers.contains("77001"));
        order.verify(refundSignals).signalSoon(org.mockito.ArgumentMatchers.eq("rf_1"), org.mockito.ArgumentMatchers.argThat(e ->
                e != null && "SUCCESS".equals(e.status()) && "77001".equals(e.cfRefundId()) && e.eventId() != null));
        org.mockito.Mockito.verifyNoInteractions(workflows);
    }
}
