package com.commdesk.api.payout;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.WebhookAudit;
import com.commdesk.api.web.WebhookSignatures;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.WebhookEvents;
import com.commdesk.ledger.payouts.PayoutRepository;
import com.commdesk.workflows.payout.PayoutTypes.TransferUpdate;
import com.commdesk.workflows.payout.PayoutWorkflow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
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
 * Cashfree Payouts V2 webhooks (TRANSFER_SUCCESS / FAILED / REJECTED / REVERSED / ACKNOWLEDGED),
 * signed with the Payouts secret (never the PG one) and checked like PG webhooks. A verified event is
 * acted on once by its event id (transfer id + status + code; Payouts webhooks carry no idempotency
 * key): signalled to the payout's workflow, or, when that workflow has ended, posted by its own
 * journal (a late SUCCESS after the money was returned, a late REVERSED after success). V1 payloads
 * (form-encoded, signed differently) are refused with a clear error: the dashboard must send V2
 * (docs/decisions.md D-CF2); polling still finds every outcome meanwhile. A first delivery for one of our
 * payouts is appended to the audit log as {@code cashfree-payouts} ({@link WebhookAudit}).
 */
@RestController
public class PayoutWebhookController {
    private static final Logger log = LoggerFactory.getLogger(PayoutWebhookController.class);

    private final WebhookSignatures signatures;
    private final PayoutRepository payouts;
    private final WebhookEvents events;
    private final WorkflowClient workflows;
    private final ObjectMapper json;
    private final Counter late;
    private final Counter v1Refused;
    private final WebhookAudit audit;

    public PayoutWebhookController(@Qualifier("payoutWebhookSignatures") WebhookSignatures signatures, LedgerDatabase db,
                                   WebhookEvents events, WorkflowClient workflows, ObjectMapper json, MeterRegistry metrics,
                                   WebhookAudit audit) {
        this.audit = audit;
        this.signatures = signatures;
        this.payouts = new PayoutRepository(db.dsl());
        this.events = events;
        this.workflows = workflows;
        this.json = json;
        this.late = Counter.builder("commdesk.webhooks.payouts.late").description("Payout webhooks for ended payouts, posted or for finance")
                .register(metrics);
        this.v1Refused = Counter.builder("commdesk.webhooks.payouts.v1.refused")
                .description("Payouts V1 webhooks refused: set the Payouts webhook version to V2 in Cashfree's dashboard").register(metrics);
    }

    public record Receipt(String eventId, String transferId, String action) {}

    @PostMapping(path = "/webhooks/cashfree/payouts", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> receive(@RequestHeader(name = "x-webhook-signature", required = false) String signature,
                                     @RequestHeader(name = "x-webhook-timestamp", required = false) String timestamp,
                                     @RequestHeader(name = "content-type", required = false) String contentType,
                                     @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        if (isV1(contentType, body)) {
            v1Refused.increment();
            log.error("refused a Cashfree Payouts V1 webhook: configure the Payouts webhook as V2 in Cashfree's dashboard");
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Payouts V1 webhook refused",
                    "only Payouts V2 webhooks (JSON, x-webhook-signature) are accepted; set the webhook version to V2 in the dashboard",
                    null);
        }
        JsonNode root = signatures.readVerified("payouts", signature, timestamp, body, json);
        String type = root.path("type").asText("");
        JsonNode data = root.path("data");
        String transferId = data.path("transfer_id").asText(null);
        String status = data.path("status").asText(null);
        String code = data.path("status_code").asText(null);
        String eventId = WebhookSignatures.eventIdOf(root, body);
        if (transferId == null || status == null || payouts.payout(transferId).isEmpty()) {
            return ResponseEntity.ok(new Receipt(eventId, transferId, "ignored: not one of our payouts"));
        }
        if (events.seen(eventId)) return ResponseEntity.ok(new Receipt(eventId, transferId, "already received"));
        String action;
        try {
            workflows.newWorkflowStub(PayoutWorkflow.class, transferId).transferUpdate(new TransferUpdate(eventId, status, code,
                    data.path("status_description").asText(null), data.path("cf_transfer_id").asText(null)));
            action = "signalled";
        } catch (WorkflowNotFoundException ended) {
            late.increment();
            action = lateOutcome(transferId, type, status, code);
        }
        // Recorded after acting (acting is idempotent): a delivery that failed half-way is retried by Cashfree and lands.
        if (events.recordOnce(eventId, type, transferId, new String(body, StandardCharsets.UTF_8))) {
            payouts.recordEvent(transferId, "WEBHOOK", "cashfree", type + " " + status + " " + code);
            audit.changed(WebhookAudit.PAYOUTS, type, status, "/api/v1/finance/payouts/" + transferId, 200, request, body);
        }
        return ResponseEntity.ok(new Receipt(eventId, transferId, action));
    }

    /** The payout's workflow has ended: a late SUCCESS or REVERSED is posted by its own journals; the rest is recorded. */
    private String lateOutcome(String transferId, String type, String status, String code) {
        String now = payouts.payout(transferId).orElseThrow().status();
        try {
            if ("SUCCESS".equals(status) && ("FAILED".equals(now) || "REJECTED".equals(now))) {
                payouts.latePaid(transferId, type + " " + code);
                log.warn("payout {} was {} but Cashfree reports SUCCESS: posted as paid (its own journals)", transferId, now);
                return "late SUCCESS posted";
            }
            if ("REVERSED".equals(status) && "PAID".equals(now)) {
                payouts.reversePaid(transferId, "late REVERSED " + code);
                log.warn("payout {} was reversed after its workflow ended: posted, money back in available", transferId);
                return "late REVERSED posted";
            }
        } catch (LedgerException e) {
            payouts.recordEvent(transferId, "LATE_UNPOSTED", "cashfree", type + " " + status + ": " + e.getMessage());
            log.error("payout {}: late {} could not be posted ({}): finance must look", transferId, status, e.getMessage());
            return "recorded for finance: " + e.code();
        }
        log.warn("payout webhook {} {} for {} ({}) arrived after its workflow ended: recorded", type, status, transferId, now);
        return "recorded; payout workflow has ended";
    }

    /** A V1 payouts webhook: form-encoded POST parameters (event, transferId, ..., signature). */
    static boolean isV1(String contentType, byte[] body) {
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) return true;
        if (body == null || body.length == 0) return false;
        String start = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8).stripLeading();
        return start.startsWith("event=") || start.contains("&signature=");
    }
}
