package com.commdesk.api.refund;

import com.commdesk.api.payment.PaymentsController;
import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;
import com.commdesk.api.web.Role;

import com.commdesk.ledger.PaymentIntake;
import com.commdesk.workflows.refund.RefundRequest;
import com.commdesk.workflows.refund.RefundStatus;
import com.commdesk.workflows.refund.RefundWorkflow;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.net.URI;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Refunds and chargebacks of a payment. The Idempotency-Key is the refund id: it becomes the
 * workflow id and Cashfree's refund_id, so a repeated request is the same refund, never a second.
 */
@RestController
public class RefundsController {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final PaymentIntake intake;
    private final WorkflowClient workflows;

    public RefundsController(PaymentIntake intake, WorkflowClient workflows) {
        this.intake = intake;
        this.workflows = workflows;
    }

    public record CreateRefund(RefundRequest.Kind kind, Long amountPaise, String reason) {}

    @PostMapping(path = "/api/v1/payments/{paymentId}/refunds", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<RefundStatus> create(@PathVariable String paymentId,
                                               @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                               @RequestBody(required = false) CreateRefund body) {
        if (key == null || !KEY.matcher(key).matches()) throw ApiProblem.invalid("Idempotency-Key", "Idempotency-Key must be 1-64 of A-Z a-z 0-9 _ . : -");
        // Whose payment it is decides first: another tenant learns nothing from validation messages.
        var payment = intake.find(paymentId).orElseThrow(() ->
                new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no payment with id '" + paymentId + "'", "paymentId"));
        Caller caller = Caller.current();
        caller.requireCommunity(payment.communityId());
        if (body == null || body.kind() == null) throw ApiProblem.invalid("kind", "kind must be REFUND or CHARGEBACK");
        if (body.amountPaise() == null || body.amountPaise() <= 0 || body.amountPaise() > PaymentsController.MAX_AMOUNT_PAISE) {
            throw ApiProblem.invalid("amountPaise", "amountPaise must be between 1 and " + PaymentsController.MAX_AMOUNT_PAISE);
        }
        if (body.reason() == null || body.reason().isBlank() || body.reason().length() > 200) {
            throw ApiProblem.invalid("reason", "reason is required (at most 200 characters)");
        }
        if (body.kind() == RefundRequest.Kind.CHARGEBACK && !caller.has(Role.FINANCE_APPROVER)) {
            throw new org.springframework.security.access.AccessDeniedException("chargebacks are recorded by finance");
        }
        RefundRequest request = new RefundRequest(key, payment.paymentId(), body.kind(), body.amountPaise(), body.reason(), caller.subject());
        RefundWorkflow wf = workflows.newWorkflowStub(RefundWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(RefundWorkflow.TASK_QUEUE).setWorkflowId(RefundWorkflow.workflowId(key))
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .build());
        try {
            WorkflowClient.start(wf::process, request);
        } catch (WorkflowExecutionAlreadyStarted e) {
            // This refund has already run.
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/refunds/" + key)).body(status(key));
    }

    @GetMapping(path = "/api/v1/refunds/{refundId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public RefundStatus get(@PathVariable String refundId) {
        if (!KEY.matcher(refundId).matches()) throw ApiProblem.invalid("refundId", "not a valid refund id");
        return status(refundId);
    }

    private RefundStatus status(String refundId) {
        try {
            return workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(refundId)).status();
        } catch (WorkflowNotFoundException e) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no refund with id '" + refundId + "'", "refundId");
        }
    }
}
