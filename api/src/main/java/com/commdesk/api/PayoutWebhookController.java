package com.commdesk.api;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.payouts.PayoutRepository;
import com.commdesk.workflows.payout.PayoutTypes.TransferUpdate;
import com.commdesk.workflows.payout.PayoutWorkflow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
 * Cashfree Payouts v2 webhooks (TRANSFER_SUCCESS / FAILED / REJECTED / REVERSED / ACKNOWLEDGED),
 * checked exactly like PG webhooks (HMAC-SHA256 over timestamp + raw body, constant-time, fresh).
 * A verified event is recorded on the payout and signalled to its workflow (id = transfer_id); the
 * workflow ignores repeats by event id, so duplicates are harmless. An event for a workflow that has
 * ended (a REVERSED after the reversal window) is recorded for finance and logged.
 */
@RestController
public class PayoutWebhookController {
    private static final Logger log = LoggerFactory.getLogger(PayoutWebhookController.class);

    private final WebhookSignatures signatures;
    private final PayoutRepository payouts;
    private final WorkflowClient workflows;
    private final ObjectMapper json;
    private final Counter rejected;
    private final Counter late;

    public PayoutWebhookController(WebhookSignatures signatures, LedgerDatabase db, WorkflowClient workflows, ObjectMapper json,
                                   MeterRegistry metrics) {
        this.signatures = signatures;
        this.payouts = new PayoutRepository(db.dsl());
        this.workflows = workflows;
        this.json = json;
        this.rejected = Counter.builder("commdesk.webhooks.payouts.rejected").description("Payout webhooks refused (unsigned, forged, stale)").register(metrics);
        this.late = Counter.builder("commdesk.webhooks.payouts.late").description("Payout webhooks for ended payouts (finance must look)").register(metrics);
    }

    public record Receipt(String eventId, String transferId, String action) {}

    @PostMapping(path = "/webhooks/cashfree/payouts", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> receive(@RequestHeader(name = "x-webhook-signature", required = false) String signature,
                                     @RequestHeader(name = "x-webhook-timestamp", required = false) String timestamp,
                                     @RequestBody(required = false) byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        if (raw.length > CashfreeWebhookController.MAX_BODY_BYTES) throw ApiProblem.invalid(null, "webhook body too large");
        String why = signatures.reject(signature, timestamp, raw);
        if (why != null) {
            rejected.increment();
            log.warn("rejected a Cashfree payout webhook: {}", why);
            return ProblemHandler.problem(HttpStatus.UNAUTHORIZED, "Unauthenticated webhook", why, "x-webhook-signature");
        }
        JsonNode root;
        try {
            root = json.readTree(raw);
        } catch (RuntimeException e) {
            throw ApiProblem.invalid(null, "webhook body is not JSON");
        }
        String type = root.path("type").asText("");
        JsonNode data = root.path("data");
        String transferId = data.path("transfer_id").asText(null);
        String status = data.path("status").asText(null);
        String code = data.path("status_code").asText(null);
        String eventId = sha256(type + "|" + transferId + "|" + status + "|" + code);
        if (transferId == null || status == null || payouts.payout(transferId).isEmpty()) {
            return ResponseEntity.ok(new Receipt(eventId, transferId, "ignored: not one of our payouts"));
        }
        payouts.recordEvent(transferId, "WEBHOOK", "cashfree", type + " " + status + " " + code);
        try {
            workflows.newWorkflowStub(PayoutWorkflow.class, transferId).transferUpdate(new TransferUpdate(eventId, status, code,
                    data.path("status_description").asText(null), data.path("cf_transfer_id").asText(null)));
            return ResponseEntity.ok(new Receipt(eventId, transferId, "signalled"));
        } catch (WorkflowNotFoundException ended) {
            late.increment();
            log.warn("payout webhook {} {} for {} arrived after its workflow ended: recorded for finance", type, status, transferId);
            return ResponseEntity.ok(new Receipt(eventId, transferId, "recorded; payout workflow has ended"));
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
