package com.commdesk.api.refund;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;
import com.commdesk.ledger.RefundApprovals;
import com.commdesk.workflows.refund.RefundStatus;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.temporal.client.WorkflowClient;

/**
 * Community owners' refunds above the approval threshold (docs/payments.md, "Refund approvals"): finance
 * lists them (an owner sees its own communities' only), and a finance approver other than the requester
 * approves — the refund's workflow starts, reserves and runs the usual lifecycle — or rejects: final,
 * nothing reserved, nothing sent to Cashfree. Four eyes is checked here, in the database and in the
 * refund's workflow, comparing subjects case-insensitively. A repeated decision answers as the first.
 */
@RestController
@RequestMapping("/api/v1/finance/refunds")
public class RefundApprovalsController {
    private final RefundApprovals approvals;
    private final WorkflowClient workflows;

    public RefundApprovalsController(RefundApprovals approvals, WorkflowClient workflows) {
        this.approvals = approvals;
        this.workflows = workflows;
    }

    /** A refund waiting for finance: what was asked, by whom, for which payment and community, and the threshold it is above. */
    public record PendingRefund(String refundId, String paymentId, String communityId, String kind, long amountPaise, long thresholdPaise,
                                String reason, String requestedBy, OffsetDateTime requestedAt) {}

    @GetMapping(path = "/pending", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<PendingRefund> pending(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > RefundApprovals.MAX_PAGE) throw ApiProblem.invalid("limit", "limit must be 1.." + RefundApprovals.MAX_PAGE);
        return approvals.list(RefundApprovals.Status.AWAITING_APPROVAL, Caller.current().communityScope(), limit).stream()
                .map(a -> new PendingRefund(a.refundId(), a.paymentId(), a.communityId(), a.kind(), a.amountPaise(), a.thresholdPaise(),
                        a.reason(), a.requestedBy(), a.createdAt()))
                .toList();
    }

    public record Decision(String note) {}

    /** Approves: the refund's workflow starts (idempotently: approving again finds the same workflow). */
    @PostMapping(path = "/{refundId}/approve", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<RefundStatus> approve(@PathVariable String refundId, @RequestBody(required = false) Decision d) {
        RefundApprovals.Approval a = decide(refundId, true, d);
        RefundsController.start(workflows, RefundsController.approvedRequest(a));
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/refunds/" + refundId))
                .body(RefundsController.statusOf(a));
    }

    /** Rejects: final; the refund never reserves anything and Cashfree never hears of it. */
    @PostMapping(path = "/{refundId}/reject", produces = MediaType.APPLICATION_JSON_VALUE)
    public RefundStatus reject(@PathVariable String refundId, @RequestBody(required = false) Decision d) {
        return RefundsController.statusOf(decide(refundId, false, d));
    }

    private RefundApprovals.Approval decide(String refundId, boolean approve, Decision d) {
        if (!RefundsController.KEY.matcher(refundId).matches()) throw ApiProblem.invalid("refundId", "not a valid refund id");
        String note = d == null || d.note() == null || d.note().isBlank() ? null : d.note().strip();
        if (note != null && note.length() > 500) throw ApiProblem.invalid("note", "note must be at most 500 characters");
        Caller caller = Caller.current();
        RefundApprovals.Approval a = approvals.find(refundId).orElseThrow(() ->
                new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no refund awaiting approval with id '" + refundId + "'", "refundId"));
        if (caller.isSamePerson(a.requestedBy())) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Four eyes", "you requested refund " + refundId + "; another approver must decide", null);
        }
        RefundApprovals.Status wanted = approve ? RefundApprovals.Status.APPROVED : RefundApprovals.Status.REJECTED;
        if (a.status() != RefundApprovals.Status.AWAITING_APPROVAL && a.status() != wanted) {
            throw new ApiProblem(HttpStatus.CONFLICT, "Already decided", "refund " + refundId + " is already " + a.status(), null);
        }
        return approvals.decide(refundId, approve, caller.subject(), note);
    }
}
