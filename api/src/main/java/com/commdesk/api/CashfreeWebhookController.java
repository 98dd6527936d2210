package com.commdesk.api;

import com.commdesk.ledger.PaymentIntake;
import com.commdesk.ledger.PaymentIntake.AcceptedPayment;
import com.commdesk.ledger.WebhookEvents;
import com.commdesk.workflows.payment.CashfreeEvent;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.PaymentWorkflow;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import com.commdesk.workflows.refund.RefundStatusEvent;
import com.commdesk.workflows.refund.RefundWorkflow;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Cashfree PG webhooks. Unsigned, forged or stale deliveries get 401 and write nothing. A signed
 * delivery is recorded once by event id (Cashfree delivers at least once, sometimes all at once),
 * then PAYMENT_SUCCESS signals the order's payment workflow, starting it if the API has not (the
 * order tags name the community and revenue source). Repeats and out-of-order events are harmless:
 * verification always asks Cashfree itself.
 */
@RestController
public class CashfreeWebhookController {
    private static final Logger log = LoggerFactory.getLogger(CashfreeWebhookController.class);

    private final WebhookSignatures signatures;
    private final WebhookEvents events;
    private final PaymentIntake intake;
    private final WorkflowClient workflows;
    private final ObjectMapper json;

    public CashfreeWebhookController(WebhookSignatures signatures, WebhookEvents events, PaymentIntake intake,
                                     WorkflowClient workflows, ObjectMapper json, MeterRegistry metrics) {
        this.signatures = signatures;
        this.events = events;
        this.intake = intake;
        this.workflows = workflows;
        this.json = json;
    }

    public record Receipt(String eventId, boolean duplicate, String action) {}

    @PostMapping(path = "/webhooks/cashfree/pg", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> receive(@RequestHeader(name = "x-webhook-signature", required = false) String signature,
                                     @RequestHeader(name = "x-webhook-timestamp", required = false) String timestamp,
                                     @RequestHeader(name = "x-idempotency-key", required = false) String idempotencyKey,
                                     @RequestBody(required = false) byte[] body) {
        JsonNode root = signatures.readVerified("pg", signature, timestamp, body, json);
        String type = root.path("type").asText("");
        if ("REFUND_STATUS_WEBHOOK".equals(type)) return refundStatus(root, idempotencyKey, body);
        JsonNode order = root.path("data").path("order");
        JsonNode payment = root.path("data").path("payment");
        String orderId = order.path("order_id").asText(null);
        String cfPaymentId = payment.path("cf_payment_id").asText(null);
        String paymentStatus = payment.path("payment_status").asText(null);
        String eventId = idempotencyKey != null && !idempotencyKey.isBlank() ? idempotencyKey
                : WebhookSignatures.eventId(type, orderId, cfPaymentId, paymentStatus);
        if (!events.recordOnce(eventId, type, orderId, new String(body, StandardCharsets.UTF_8))) {
            return ResponseEntity.ok(new Receipt(eventId, true, "already received"));
        }
        if (!"PAYMENT_SUCCESS_WEBHOOK".equals(type) || orderId == null) {
            return ResponseEntity.ok(new Receipt(eventId, false, "recorded"));
        }
        CashfreeEvent event = new CashfreeEvent(eventId, type, cfPaymentId, paymentStatus);
        AcceptedPayment existing = intake.findByOrder(orderId).orElse(null);
        if (existing != null) {
            signalWithStart(requestOf(existing), event);
            return ResponseEntity.ok(new Receipt(eventId, false, "signalled payment " + existing.paymentId()));
        }
        String communityId = order.path("order_tags").path("community_id").asText(null);
        String sourceType = order.path("order_tags").path("source_type").asText(null);
        if (communityId == null || sourceType == null) {
            // Without both tags we cannot know whose money this is or which fee applies: the API path must claim it.
            log.warn("webhook for order {} lacks community_id/source_type tags; waiting for the API to claim it", orderId);
            return ResponseEntity.ok(new Receipt(eventId, false, "recorded; order not tagged for automatic start"));
        }
        long amountPaise = new BigDecimal(order.path("order_amount").asText("0")).movePointRight(2).longValueExact();
        String paymentId = "cf-" + orderId;
        var accepted = intake.accept(new AcceptedPayment(paymentId, PaymentsController.requestSha256(
                new PaymentRequest(paymentId, communityId, sourceType, orderId, orderId, amountPaise, Map.of())),
                communityId, sourceType, orderId, orderId, amountPaise, PaymentWorkflow.workflowId(orderId), null));
        signalWithStart(requestOf(accepted.payment()), event);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Receipt(eventId, false, "payment " + accepted.payment().paymentId()));
    }

    /**
     * A refund's outcome from Cashfree: recorded once by event id (without x-idempotency-key, one id per
     * refund and status, so two refunds' events never collapse), then signalled to the refund's workflow,
     * which books SUCCESS, CANCELLED or FAILED (docs/payments.md, "Refunds").
     */
    private ResponseEntity<?> refundStatus(JsonNode root, String idempotencyKey, byte[] body) {
        JsonNode refund = root.path("data").path("refund");
        String refundId = refund.path("refund_id").asText(null);
        String cfRefundId = refund.path("cf_refund_id").asText(null);
        String status = refund.path("refund_status").asText(null);
        String orderId = refund.path("order_id").asText(null);
        String eventId = idempotencyKey != null && !idempotencyKey.isBlank() ? idempotencyKey
                : WebhookSignatures.eventId("REFUND_STATUS_WEBHOOK", orderId, refundId, cfRefundId, status);
        if (!events.recordOnce(eventId, "REFUND_STATUS_WEBHOOK", orderId, new String(body, StandardCharsets.UTF_8))) {
            return ResponseEntity.ok(new Receipt(eventId, true, "already received"));
        }
        if (refundId == null || status == null || !RefundsController.KEY.matcher(refundId).matches()) {
            return ResponseEntity.ok(new Receipt(eventId, false, "recorded; no refund id or status"));
        }
        try {
            workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(refundId))
                    .cashfreeStatus(new RefundStatusEvent(eventId, cfRefundId, status));
            return ResponseEntity.ok(new Receipt(eventId, false, "signalled refund " + refundId));
        } catch (WorkflowNotFoundException e) {
            // Not a refund of ours, or its workflow is over: recorded, and the books already have its outcome.
            return ResponseEntity.ok(new Receipt(eventId, false, "recorded; no running refund " + refundId));
        }
    }

    private static PaymentRequest requestOf(AcceptedPayment p) {
        return new PaymentRequest(p.paymentId(), p.communityId(), p.sourceType(), p.sourceId(), p.cashfreeOrderId(),
                p.amountPaise(), Map.of());
    }

    private void signalWithStart(PaymentRequest request, CashfreeEvent event) {
        PaymentWorkflow stub = workflows.newWorkflowStub(PaymentWorkflow.class, PaymentsController.startOptions(request));
        BatchRequest batch = workflows.newSignalWithStartRequest();
        batch.add(stub::process, request);
        batch.add(stub::cashfreeEvent, event);
        try {
            workflows.signalWithStart(batch);
        } catch (WorkflowExecutionAlreadyStarted e) {
            // The payment's workflow has already finished: nothing left to tell it.
        }
    }

}
