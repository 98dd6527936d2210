package com.commdesk.api.payment;

import com.commdesk.api.refund.RefundSignals;
import com.commdesk.api.refund.RefundsController;
import com.commdesk.api.web.WebhookAudit;
import com.commdesk.api.web.WebhookSignatures;

import com.commdesk.ledger.LedgerQueries;
import com.commdesk.ledger.PaymentIntake;
import com.commdesk.ledger.PaymentIntake.AcceptedPayment;
import com.commdesk.ledger.WebhookEvents;
import com.commdesk.workflows.payment.CashfreeEvent;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.PaymentWorkflow;
import jakarta.servlet.http.HttpServletRequest;
import com.commdesk.workflows.refund.RefundStatusEvent;
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
 * delivery is acted on once per event id (Cashfree delivers at least once, sometimes all at once,
 * and retries failures): PAYMENT_SUCCESS records the order's payment if the API has not (the order tags
 * name the community and revenue source) and hands it to {@link PaymentStarter}, which signals (and if
 * need be starts) its workflow off the request thread — the delivery never waits on Temporal, and a
 * start lost after the answer is made by the starter's sweep; the event is recorded after that, so a
 * delivery that failed half-way lands on its retry. Repeats and out-of-order events are
 * harmless: every step is idempotent and verification always asks Cashfree itself. A REFUND_STATUS event is recorded
 * first and signalled to the refund's workflow by {@link RefundSignals}, off the request thread too. Event ids:
 * {@link WebhookSignatures#eventIdOf} (docs/cashfree.md). A first delivery that started or signalled a
 * payment or refund of ours is appended to the audit log as {@code cashfree-pg} ({@link WebhookAudit}).
 */
@RestController
public class CashfreeWebhookController {
    private static final Logger log = LoggerFactory.getLogger(CashfreeWebhookController.class);
    /**
     * A payment its webhook claimed is {@code cf-<order id>}; clients' Idempotency-Keys may not start with it in any letter
     * case (PaymentsController), and the database refuses such an id for another order (changeset 123-webhook-payment-id-namespace).
     */
    static final String PAYMENT_ID_PREFIX = "cf-";

    private final WebhookSignatures signatures;
    private final WebhookEvents events;
    private final PaymentIntake intake;
    private final ObjectMapper json;
    private final WebhookAudit audit;
    private final PaymentStarter starter;
    private final RefundSignals refundSignals;
    private final LedgerQueries ledger;

    public CashfreeWebhookController(@org.springframework.beans.factory.annotation.Qualifier("webhookSignatures") WebhookSignatures signatures, WebhookEvents events, PaymentIntake intake,
                                     ObjectMapper json, WebhookAudit audit, PaymentStarter starter, RefundSignals refundSignals,
                                     LedgerQueries ledger) {
        this.starter = starter;
        this.refundSignals = refundSignals;
        this.ledger = ledger;
        this.audit = audit;
        this.signatures = signatures;
        this.events = events;
        this.intake = intake;
        this.json = json;
    }

    public record Receipt(String eventId, boolean duplicate, String action) {}

    /** What a delivery did: the answer, and the API path of the payment or refund it changed (null: nothing changed). */
    private record Acted(ResponseEntity<Receipt> answer, String changed) {}

    @PostMapping(path = "/webhooks/cashfree/pg", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Receipt> receive(@RequestHeader(name = "x-webhook-signature", required = false) String signature,
                                     @RequestHeader(name = "x-webhook-timestamp", required = false) String timestamp,
                                     @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        JsonNode root = signatures.readVerified("pg", signature, timestamp, body, json);
        String type = root.path("type").asText("");
        if ("REFUND_STATUS_WEBHOOK".equals(type)) return refundStatus(root, body, request);
        JsonNode order = root.path("data").path("order");
        JsonNode payment = root.path("data").path("payment");
        String orderId = order.path("order_id").asText(null);
        String cfPaymentId = payment.path("cf_payment_id").asText(null);
        String paymentStatus = payment.path("payment_status").asText(null);
        // The id comes from the event's own entity in the signed body (PG webhooks at API version 2023-08-01 carry no
        // x-idempotency-key), never from that header: the signature does not cover it, so a replay of one genuine
        // delivery with new keys would be a new event each time (review s12).
        String eventId = WebhookSignatures.eventIdOf(root, body);
        if (events.seen(eventId)) return ResponseEntity.ok(new Receipt(eventId, true, "already received"));
        // Acted on first (every step is idempotent: the payment by order, the workflow by id, the signal by event id),
        // recorded after: a delivery that failed half-way (500) is retried by Cashfree and lands, once.
        Acted acted = act(root, type, eventId, orderId, cfPaymentId, paymentStatus);
        return recorded(eventId, type, paymentStatus, orderId, body, request, acted);
    }

    /** Records the event (once); the first delivery that changed something is audited. */
    private ResponseEntity<Receipt> recorded(String eventId, String type, String status, String orderId, byte[] body,
                                             HttpServletRequest request, Acted acted) {
        if (events.recordOnce(eventId, type, orderId, new String(body, StandardCharsets.UTF_8)) && acted.changed() != null) {
            audit.changed(WebhookAudit.PG, type, status, acted.changed(), acted.answer().getStatusCode().value(), request, body);
        }
        return acted.answer();
    }

    private Acted act(JsonNode root, String type, String eventId, String orderId, String cfPaymentId,
                                        String paymentStatus) {
        JsonNode order = root.path("data").path("order");
        if (!CashfreeEvent.PAYMENT_SUCCESS.equals(type) || orderId == null) {
            return new Acted(ResponseEntity.ok(new Receipt(eventId, false, "recorded")), null);
        }
        CashfreeEvent event = new CashfreeEvent(eventId, type, cfPaymentId, paymentStatus);
        AcceptedPayment existing = intake.findByOrder(orderId).orElse(null);
        if (existing != null) {
            starter.startSoon(existing, intake.metadata(existing.paymentId()), event);
            return new Acted(ResponseEntity.ok(new Receipt(eventId, false, "signalling payment " + existing.paymentId())),
                    "/api/v1/payments/" + existing.paymentId());
        }
        String communityId = trimmed(order.path("order_tags").path("community_id").asText(null));
        String sourceType = trimmed(order.path("order_tags").path("source_type").asText(null));
        // Read as the REST path reads its body (PaymentsController): a tag or amount it would refuse is not started here
        // either. Answered 200 (Cashfree has nothing to deliver again); the event is recorded and the API path may claim it.
        // One difference: a source type the community does not offer is started, and parks (SourceNotOffered) for a person,
        // because Cashfree has taken the money.
        if (sourceType != null) sourceType = sourceType.toUpperCase(java.util.Locale.ROOT);
        long amountPaise = paiseOrZero(order.path("order_amount").asText(""));
        String refused = communityId == null || sourceType == null ? "lacks its community_id/source_type tags"
                : !PaymentsController.COMMUNITY.matcher(communityId).matches() ? "its community_id tag is not a community id"
                : !PaymentsController.SOURCE_TYPE.matcher(sourceType).matches() ? "its source_type tag is not a revenue source"
                : !PaymentsController.ORDER_ID.matcher(orderId).matches() ? "its order id is not one the API takes"
                : amountPaise <= 0 || amountPaise > PaymentsController.MAX_AMOUNT_PAISE
                        ? "its amount is not whole paise between 1 and " + PaymentsController.MAX_AMOUNT_PAISE : null;
        if (refused != null) return notStarted(eventId, orderId, refused);
        String paymentId = PAYMENT_ID_PREFIX + orderId;
        PaymentIntake.Accepted accepted;
        try {
            accepted = intake.accept(new AcceptedPayment(paymentId, PaymentsController.requestSha256(
                    new PaymentRequest(paymentId, communityId, sourceType, orderId, orderId, amountPaise, Map.of())),
                    communityId, sourceType, orderId, orderId, amountPaise, PaymentWorkflow.workflowId(orderId), null));
        } catch (com.commdesk.ledger.LedgerException e) {
            if (e.code() != com.commdesk.ledger.LedgerException.Code.UNKNOWN_COMMUNITY) throw e; // transient or a race: delivered again
            return notStarted(eventId, orderId, "its community_id tag names no community of ours");
        }
        starter.startSoon(accepted.payment(), intake.metadata(accepted.payment().paymentId()), event);
        return new Acted(ResponseEntity.status(HttpStatus.ACCEPTED).body(new Receipt(eventId, false, "payment " + accepted.payment().paymentId())),
                "/api/v1/payments/" + accepted.payment().paymentId());
    }

    /** Recorded, answered 200, nothing started: the API path must claim the order (say why, with a bounded, printable id). */
    private static Acted notStarted(String eventId, String orderId, String why) {
        String shown = orderId.length() > 50 ? orderId.substring(0, 50) + "..." : orderId;
        log.warn("webhook for order {}: {}; waiting for the API to claim it", shown.replaceAll("[^A-Za-z0-9_.-]", "?"), why);
        return new Acted(ResponseEntity.ok(new Receipt(eventId, false, "recorded; order not tagged for automatic start")), null);
    }

    private static String trimmed(String s) {
        return s == null ? null : s.strip();
    }

    /** Whole paise of a rupee amount; 0 for anything else (not a number, fractional paise, too large). */
    private static long paiseOrZero(String rupees) {
        try {
            return new BigDecimal(rupees).movePointRight(2).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return 0;
        }
    }

    /**
     * A refund's outcome from Cashfree, acted on once per event id (one id per refund and status, from the signed body,
     * {@link WebhookSignatures#eventIdOf}, so two refunds' events never collapse). Cashfree's answer is recorded
     * first ({@code webhook_event}, committed before the answer), then handed to {@link RefundSignals}, which signals the
     * refund's workflow off the request thread (it books SUCCESS, CANCELLED or FAILED, docs/payments.md "Refunds"): the
     * delivery never waits on Temporal, and a signal lost to an outage or a crash is sent again by its sweep from the record.
     */
    private ResponseEntity<Receipt> refundStatus(JsonNode root, byte[] body, HttpServletRequest request) {
        JsonNode refund = root.path("data").path("refund");
        String orderId = refund.path("order_id").asText(null);
        String eventId = WebhookSignatures.eventIdOf(root, body); // from the signed body, as in receive
        if (events.seen(eventId)) return ResponseEntity.ok(new Receipt(eventId, true, "already received"));
        String refundId = refund.path("refund_id").asText(null);
        String cfRefundId = refund.path("cf_refund_id").asText(null);
        String status = refund.path("refund_status").asText(null);
        if (!events.recordOnce(eventId, "REFUND_STATUS_WEBHOOK", orderId, new String(body, StandardCharsets.UTF_8))) {
            return ResponseEntity.ok(new Receipt(eventId, true, "already received")); // a concurrent delivery recorded it
        }
        if (refundId == null || status == null || !RefundsController.KEY.matcher(refundId).matches() || !ledger.refundExists(refundId)) {
            return ResponseEntity.ok(new Receipt(eventId, false, "recorded; not a refund of ours"));
        }
        audit.changed(WebhookAudit.PG, "REFUND_STATUS_WEBHOOK", status, "/api/v1/refunds/" + refundId, 200, request, body);
        refundSignals.signalSoon(refundId, new RefundStatusEvent(eventId, cfRefundId, status));
        return ResponseEntity.ok(new Receipt(eventId, false, "signalling refund " + refundId));
    }

}
