package com.commdesk.api.payout;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.WebhookAudit;
import com.commdesk.api.web.WebhookSignatures;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.WebhookEvents;
import com.commdesk.ledger.payout.LateAnswers;
import com.commdesk.ledger.payout.PayoutEvents;
import com.commdesk.ledger.payout.PayoutTransfers;
import com.commdesk.ledger.payout.Settlements;
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
 * payouts is appended to the audit log as {@code cashfree-payouts} ({@link WebhookAudit}). A SUCCESS (or
 * REVERSED) carries the bank's reference {@code transfer_utr}, stored on the payout once (whichever of webhook
 * and status fetch comes first).
 */
@RestController
public class PayoutWebhookController {
    private static final Logger log = LoggerFactory.getLogger(PayoutWebhookController.class);

    private final WebhookSignatures signatures;
    private final Settlements settlements;
    private final PayoutTransfers transfers;
    private final PayoutEvents payoutEvents;
    private final LateAnswers lateAnswers;
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
        // One Ledger (one account cache) shared by the parts of payouts this controller uses.
        com.commdesk.ledger.Ledger ledger = new com.commdesk.ledger.Ledger(db.dsl());
        this.settlements = new Settlements(ledger);
        this.transfers = new PayoutTransfers(ledger);
        this.payoutEvents = new PayoutEvents(ledger);
        this.lateAnswers = new LateAnswers(ledger);
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
        if (transferId == null || status == null || settlements.payout(transferId).isEmpty()) {
            return ResponseEntity.ok(new Receipt(eventId, transferId, "ignored: not one of our payouts"));
        }
        if (events.seen(eventId)) return ResponseEntity.ok(new Receipt(eventId, transferId, "already received"));
        // Cashfree's own record first (it only moves forward): whoever acts later reads it, so a SUCCESS delivered
        // after Cashfree's REVERSED or FAILED can never be booked as paid (docs/payouts.md, "Late answers").
        // With it, in the same transaction, the bank's reference of a successful transfer, kept on the payout whether the
        // workflow or this webhook hears of the success first (idempotent; the first reference stays).
        String before = transfers.recordCashfreeAnswer(transferId, status, code, data.path("transfer_utr").asText(null));
        String action;
        try {
            workflows.newWorkflowStub(PayoutWorkflow.class, transferId).transferUpdate(new TransferUpdate(eventId, status, code,
                    data.path("status_description").asText(null), data.path("cf_transfer_id").asText(null)));
            action = "signalled";
        } catch (WorkflowNotFoundException ended) {
            late.increment();
            action = lateOutcome(transferId, before, type, status, code);
        }
        // Recorded after acting (acting is idempotent): a delivery that failed half-way is retried by Cashfree and lands.
        if (events.recordOnce(eventId, type, transferId, new String(body, StandardCharsets.UTF_8))) {
            payoutEvents.recordEvent(transferId, "WEBHOOK", "cashfree", type + " " + status + " " + code);
            audit.changed(WebhookAudit.PAYOUTS, type, status, "/api/v1/finance/payouts/" + transferId, 200, request, body);
        }
        return ResponseEntity.ok(new Receipt(eventId, transferId, action));
    }

    /** The payout's workflow has ended: the repository posts what Cashfree's answer means, or records it for finance. */
    private String lateOutcome(String transferId, String cashfreeBefore, String type, String status, String code) {
        LateAnswers.LateAnswer done = lateAnswers.lateAnswer(transferId, cashfreeBefore, status, code, type + " " + status + " " + code);
        switch (done.action()) {
            case POSTED -> log.warn("payout {}: {} after its workflow ended: {}", transferId, status, done.detail());
            case UNPOSTED -> log.error("payout {}: late {} not posted ({}): finance must look", transferId, status, done.detail());
            case RECORDED -> log.warn("payout webhook {} {} for {} arrived after its workflow ended: {}", type, status, transferId,
                    done.detail());
        }
        return done.detail();
    }

    /** A V1 payouts webhook: form-encoded POST parameters (event, transferId, ..., signature). */
    static boolean isV1(String contentType, byte[] body) {
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) return true;
        if (body == null || body.length == 0) return false;
        String start = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8).stripLeading();
        return start.startsWith("event=") || start.contains("&signature=");
    }
}
