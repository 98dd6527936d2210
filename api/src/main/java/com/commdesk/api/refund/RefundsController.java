package com.commdesk.api.refund;

import com.commdesk.api.payment.PaymentsController;
import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;
import com.commdesk.api.web.Role;

import com.commdesk.ledger.PaymentIntake;
import com.commdesk.ledger.RefundApprovals;
import com.commdesk.ledger.RefundIntake;
import com.commdesk.ledger.RefundLedger;
import com.commdesk.workflows.refund.RefundDecision;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Refunds and chargebacks of a payment, and the operators' view of refunds that wait. The
 * Idempotency-Key is the refund id: Cashfree's refund_id, so it follows Cashfree's rule (at most 40
 * letters, digits, {@code _} and {@code -}); it is recorded with its payment and body before the
 * refund's workflow starts, so the same key again is the same refund and the same key for another
 * payment or body is a 409, never another refund's status. The ledger's own keys are never a client's.
 * A community owner's refund that takes what has been asked for of the payment above
 * {@code commdesk.refunds.owner-approval-threshold-paise} waits for a finance approver before its workflow starts ({@link RefundApprovalsController}, docs/payments.md).
 */
@RestController
public class RefundsController {
    /** Cashfree's refund_id: 1 to 40 of letters, digits, '_' and '-'. */
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    private final PaymentIntake intake;
    private final RefundApprovals approvals;
    private final RefundLedger refunds;
    private final WorkflowClient workflows;
    private final long ownerApprovalThresholdPaise;
    private final RefundStages stages;

    public RefundsController(PaymentIntake intake, RefundApprovals approvals, RefundLedger refunds, WorkflowClient workflows,
                             @org.springframework.beans.factory.annotation.Value("${commdesk.refunds.owner-approval-threshold-paise:500000}")
                             long ownerApprovalThresholdPaise) {
        if (ownerApprovalThresholdPaise < 0) throw new IllegalArgumentException("commdesk.refunds.owner-approval-threshold-paise must be >= 0");
        this.intake = intake;
        this.approvals = approvals;
        this.refunds = refunds;
        this.workflows = workflows;
        this.ownerApprovalThresholdPaise = ownerApprovalThresholdPaise;
        this.stages = new RefundStages(workflows, 16, 32, STAGE_WAIT);
    }

    public record CreateRefund(RefundRequest.Kind kind, Long amountPaise, String reason) {}

    @PostMapping(path = "/api/v1/payments/{paymentId}/refunds", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<RefundStatus> create(@PathVariable String paymentId,
                                               @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                               @RequestBody(required = false) CreateRefund body) {
        // Whose payment it is decides first: another tenant learns nothing from validation messages.
        var payment = intake.find(paymentId).orElseThrow(() ->
                new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no payment with id '" + paymentId + "'", "paymentId"));
        Caller caller = Caller.current();
        caller.requireCommunity(payment.communityId());
        if (key == null || key.isBlank()) throw ApiProblem.invalid("Idempotency-Key", "the Idempotency-Key header (the refund id) is required");
        if (!KEY.matcher(key).matches()) {
            throw ApiProblem.unprocessable("Idempotency-Key", "the refund id must be 1-40 of A-Z a-z 0-9 _ - (Cashfree's refund_id)");
        }
        if (body == null || body.kind() == null) throw ApiProblem.invalid("kind", "kind must be REFUND or CHARGEBACK");
        if (body.amountPaise() == null || body.amountPaise() <= 0 || body.amountPaise() > PaymentsController.MAX_AMOUNT_PAISE) {
            throw ApiProblem.invalid("amountPaise", "amountPaise must be between 1 and " + PaymentsController.MAX_AMOUNT_PAISE);
        }
        if (body.reason() == null || body.reason().isBlank()) throw ApiProblem.invalid("reason", "reason is required");
        if (body.reason().length() < 3 || body.reason().length() > 100) {
            throw ApiProblem.unprocessable("reason", "reason must be 3-100 characters (it is Cashfree's refund_note)");
        }
        if (body.kind() == RefundRequest.Kind.CHARGEBACK && !caller.has(Role.FINANCE_APPROVER)) {
            throw new org.springframework.security.access.AccessDeniedException("chargebacks are recorded by finance");
        }
        String who = caller.subject();
        RefundRequest request = new RefundRequest(key, payment.paymentId(), body.kind(), body.amountPaise(), body.reason(), who);
        // An owner's refund that takes the payment's total asked for above the threshold waits for finance (split parts
        // add up, under the payment's lock); finance's own refunds (and chargebacks) do not wait.
        boolean ownerRequest = !caller.has(Role.FINANCE_APPROVER);
        // Recorded (with its approval request, if it needs one) before any workflow starts: the same key on another
        // payment or with another body is a 409 here; the same key again finds the approval the first request made.
        var approval = approvals.accept(new RefundIntake.RefundRequestRecord(key, payment.paymentId(), requestSha256(request),
                body.kind().name(), body.amountPaise(), who), ownerRequest, payment.communityId(), body.reason(), ownerApprovalThresholdPaise);
        URI location = URI.create("/api/v1/refunds/" + key);
        if (approval.isPresent()) {
            RefundApprovals.Approval a = approval.get();
            if (a.status() != RefundApprovals.Status.APPROVED) return ResponseEntity.status(HttpStatus.ACCEPTED).location(location).body(statusOf(a));
            request = approvedRequest(a);
        }
        var booked = start(workflows, refunds, request);
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(location).body(booked.map(RefundsController::booked).orElseGet(() -> status(key)));
    }

    /**
     * Starts the refund's workflow once: its id is the refund id; a second start joins or finds the first. A refund whose
     * outcome the books have booked is never started again, and is returned instead: once Temporal's retention has
     * forgotten its closed run, REJECT_DUPLICATE no longer stops a second start, and a second run would ask Cashfree again
     * for a refund the books already settled or gave back (review s18).
     */
    static java.util.Optional<RefundLedger.Refund> start(WorkflowClient workflows, RefundLedger refunds, RefundRequest request) {
        var booked = refunds.find(request.refundId()).filter(r -> r.status() != RefundLedger.Status.PENDING);
        if (booked.isPresent()) return booked;
        RefundWorkflow wf = workflows.newWorkflowStub(RefundWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(RefundWorkflow.TASK_QUEUE).setWorkflowId(RefundWorkflow.workflowId(request.refundId()))
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .build());
        try {
            WorkflowClient.start(wf::process, request);
        } catch (WorkflowExecutionAlreadyStarted e) {
            // This refund has already run.
        }
        return java.util.Optional.empty();
    }

    /** The refund an approval approved: as its requester asked for it, with the approver. */
    static RefundRequest approvedRequest(RefundApprovals.Approval a) {
        return new RefundRequest(a.refundId(), a.paymentId(), RefundRequest.Kind.valueOf(a.kind()), a.amountPaise(), a.reason(),
                a.requestedBy(), a.decidedBy());
    }

    /** A refund whose workflow has not started: waiting for finance, rejected, or approved and being started. */
    static RefundStatus statusOf(RefundApprovals.Approval a) {
        RefundStatus.Stage stage = switch (a.status()) {
            case AWAITING_APPROVAL -> RefundStatus.Stage.AWAITING_APPROVAL;
            case REJECTED -> RefundStatus.Stage.REJECTED;
            case APPROVED -> RefundStatus.Stage.CHECKING;
        };
        return new RefundStatus(a.refundId(), stage, null, null, a.decisionNote(), null, a.decidedBy());
    }

    @GetMapping(path = "/api/v1/refunds/{refundId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public RefundStatus get(@PathVariable String refundId) {
        if (!KEY.matcher(refundId).matches()) throw ApiProblem.invalid("refundId", "not a valid refund id");
        return status(refundId);
    }

    /**
     * A refund that waits: its reservation in the books and its workflow's stage. {@code stageAnswer} says what the stage
     * rests on (RefundStages.Answer): ANSWERED, NO_WORKFLOW, or NOT_ANSWERED / NOT_ASKED (the stage is not known, which is
     * not the same as no workflow).
     */
    public record WaitingRefund(String refundId, String transactionId, String kind, long amountPaise, String status,
                                OffsetDateTime reservedAt, String stage, String cashfreeStatus, String error, RefundStages.Answer stageAnswer) {}

    /** How long a page of waiting refunds waits for its workflows' stages, all of them together (RefundStages). */
    static final Duration STAGE_WAIT = Duration.ofSeconds(2);

    @jakarta.annotation.PreDestroy
    void closeStageQueries() {
        stages.close();
    }

    /**
     * Refunds still PENDING in the books (reserved, Cashfree's outcome not booked) for longer than
     * {@code olderThanMinutes}, oldest first (reservation time, then refund id), after the refund {@code after}: what an
     * operator looks at, then retries or compensates. Reads the books once; the stages are asked of the refunds' workflows
     * together, 16 at a time per page and 32 across pages, for at most {@link #STAGE_WAIT} ({@link RefundStages}).
     */
    @GetMapping(path = "/api/v1/ops/refunds", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<WaitingRefund> waiting(@RequestParam(defaultValue = "60") long olderThanMinutes,
                                       @RequestParam(required = false) String after,
                                       @RequestParam(defaultValue = "100") int limit) {
        if (olderThanMinutes < 0 || olderThanMinutes > 525_600) throw ApiProblem.invalid("olderThanMinutes", "0..525600");
        if (limit < 1 || limit > RefundLedger.MAX_PAGE) throw ApiProblem.invalid("limit", "limit must be 1.." + RefundLedger.MAX_PAGE);
        // Every REFUND-kind refund was created through this API, so its id is a KEY (the books take a wider set, for
        // chargebacks and internal ids, which this list never shows).
        if (after != null && !KEY.matcher(after).matches()) throw ApiProblem.invalid("after", "after must be a refund id");
        List<RefundLedger.Refund> page;
        try {
            page = refunds.pending(OffsetDateTime.now().minus(Duration.ofMinutes(olderThanMinutes)), after, limit);
        } catch (com.commdesk.ledger.LedgerException e) {
            if (e.code() != com.commdesk.ledger.LedgerException.Code.NOT_FOUND) throw e;
            throw ApiProblem.invalid("after", "no refund '" + after + "' to continue after");
        }
        List<RefundStages.Stage> known = stages.of(page.stream().map(RefundLedger.Refund::refundId).toList());
        List<WaitingRefund> out = new ArrayList<>(page.size());
        for (int i = 0; i < page.size(); i++) {
            RefundLedger.Refund r = page.get(i);
            RefundStatus s = known.get(i).status();
            out.add(new WaitingRefund(r.refundId(), r.transactionId().toString(), r.kind().name(), r.amountPaise(), r.status().name(),
                    r.createdAt(), s == null ? null : s.stage().name(), s == null ? null : s.cashfreeStatus(), s == null ? null : s.error(),
                    known.get(i).answer()));
        }
        return out;
    }

    public record Note(String note) {}

    /** Ask Cashfree again now (a refund that waits or needs attention). */
    @PostMapping(path = "/api/v1/ops/refunds/{refundId}/retry")
    public ResponseEntity<?> retry(@PathVariable String refundId, @RequestBody(required = false) Note note) {
        return decide(refundId, RefundDecision.Action.RETRY, note);
    }

    /**
     * Give the reserved money back. The refund's workflow asks Cashfree first and compensates only if
     * Cashfree has no such refund or cancelled or failed it; a refund Cashfree paid or still holds is
     * followed, never compensated (GET the refund to see what happened).
     */
    @PostMapping(path = "/api/v1/ops/refunds/{refundId}/compensate")
    public ResponseEntity<?> compensate(@PathVariable String refundId, @RequestBody(required = false) Note note) {
        return decide(refundId, RefundDecision.Action.COMPENSATE, note);
    }

    private ResponseEntity<?> decide(String refundId, RefundDecision.Action action, Note note) {
        String who = Caller.current().subject();
        if (!KEY.matcher(refundId).matches()) throw ApiProblem.invalid("refundId", "not a valid refund id");
        RefundStatus s = status(refundId);
        if (s.stage() != RefundStatus.Stage.NEEDS_ATTENTION && s.stage() != RefundStatus.Stage.AWAITING_CASHFREE) {
            throw new ApiProblem(HttpStatus.CONFLICT, "Wrong stage", "refund " + refundId + " is " + s.stage()
                    + ", not waiting for Cashfree or an operator", null);
        }
        workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(refundId))
                .decide(new RefundDecision(action, who, note == null ? null : note.note()));
        return ResponseEntity.accepted().body(Map.of("refundId", refundId, "signal", action.name().toLowerCase()));
    }

    /**
     * The refund's workflow's own status; without a workflow (namespace retention passed, an embedded server restarted,
     * or not started yet), a refund whose outcome the books have booked is answered from the books (until s18 it was a
     * 404), one waiting for finance from its approval. A refund still pending in the books with no workflow following it
     * is not answered from a guess.
     */
    private RefundStatus status(String refundId) {
        try {
            return workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(refundId)).status();
        } catch (WorkflowNotFoundException e) {
            return refunds.find(refundId).filter(r -> r.status() != RefundLedger.Status.PENDING).map(RefundsController::booked)
                    .or(() -> approvals.find(refundId).map(RefundsController::statusOf))
                    .orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no refund with id '" + refundId + "'", "refundId"));
        }
    }

    /**
     * A refund as the books booked its outcome: the outcome's journal, Cashfree's id, the detail (of a refund that failed or
     * was cancelled), who decided the outcome (null when Cashfree did). Unlike the workflow's own status, {@code cashfreeStatus}
     * is not known (null).
     */
    static RefundStatus booked(RefundLedger.Refund r) {
        RefundStatus.Stage stage = switch (r.status()) {
            case SUCCEEDED -> RefundStatus.Stage.COMPLETED;
            case FAILED -> RefundStatus.Stage.FAILED;
            case CANCELLED -> RefundStatus.Stage.CANCELLED;
            case PENDING -> throw new IllegalArgumentException("refund " + r.refundId() + " has no outcome booked");
        };
        // a booked outcome always has its journal (refund_outcome.journal_id is not null)
        var outcome = new com.commdesk.workflows.refund.RefundOutcome(r.outcomeJournalId(), r.fromPendingPaise(), r.fromAvailablePaise(),
                r.toReceivablePaise());
        // the books' detail of a completed refund is a description (a chargeback's "Cashfree already took it back"), not an error
        return new RefundStatus(r.refundId(), stage, r.cashfreeRefundId(), outcome, stage == RefundStatus.Stage.COMPLETED ? null : r.detail(),
                null, r.decidedBy());
    }

    /** Fingerprint of what defines the refund, so a reused key with another body is caught. */
    static String requestSha256(RefundRequest r) {
        String s = r.paymentId() + '|' + r.kind() + '|' + r.amountPaise() + '|' + r.reason();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
