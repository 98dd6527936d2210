package com.commdesk.api.payout;

import com.commdesk.api.web.WebhookSignatures;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.payouts.PayoutRepository;
import com.commdesk.workflows.payout.PayoutTypes.TransferUpdate;
import com.commdesk.workflows.payout.PayoutWorkflow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private final Counter late;

    public PayoutWebhookController(WebhookSignatures signatures, LedgerDatabase db, WorkflowClient workflows, ObjectMapper json,
                                   MeterRegistry metrics) {
        this.signatures = signatures;
        this.payouts = new PayoutRepository(db.dsl());
        this.workflows = workflows;
        this.json = json;
        this.late = Counter.builder("commdesk.webhooks.payouts.late").description("Payout webhooks for ended payouts (finance must look)").register(metrics);
    }

    public record Receipt(String eventId, String transferId, String action) {}

    @PostMapping(path = "/webhooks/cashfree/payouts", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> receive(@RequestHeader(name = "x-webhook-signature", required = false) String signature,
                                     @RequestHeader(name = "x-webhook-timestamp", required = false) String timestamp,
                                     @RequestBody(required = false) byte[] body) {
        JsonNode root = signatures.readVerified("payouts", signature, timestamp, body, json);
        String type = root.path("type").asText("");
        JsonNode data = root.path("data");
        String transferId = data.path("transfer_id").asText(null);
        String status = data.path("status").asText(null);
        String code = data.path("status_code").asText(null);
        String eventId = WebhookSignatures.eventId(type, transferId, status, code);
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

}
