package com.commdesk.api.refund;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;
import com.commdesk.ledger.RefundApprovals;
import com.commdesk.ledger.RefundMismatchVotes;
import com.commdesk.workflows.refund.RefundWorkflow;
import io.temporal.client.WorkflowNotFoundException;
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
    private final RefundMismatchVotes mismatchVotes;
    private final RefundResolutionSignals resolutionSignals;

    public RefundApprovalsController(RefundApprovals approvals, WorkflowClient workflows, RefundMismatchVotes mismatchVotes,
                                     RefundResolutionSignals resolutionSignals) {
        this.approvals = approvals;
        this.workflows = workflows;
        this.mismatchVotes = mismatchVotes;
        this.resolutionSignals = resolutionSignals;
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

    public record ResolveMismatch(String outcome, String reason, String cashfreeReference) {}

    /** The resolution as it stands: the votes so far (first first), {@code ready} once two people agreed; {@code next} what is missing. */
    public record MismatchResolution(String refundId, String outcome, boolean ready, List<RefundMismatchVotes.Vote> votes, String next) {}

    /**
     * Finance's resolution of a refund held because Cashfree's record of our refund id has another amount or order
     * (docs/payments.md "Refunds", step 4): PAID (Cashfree's dashboard shows OUR amount left for OUR refund: booked as
     * paid) or RELEASED (Cashfree did not refund ours: the reservation goes back). Two finance approvers, neither the
     * refund's requester (403), each with a reason and Cashfree's reference: the first vote is recorded (202); the second,
     * by someone else with the same outcome, makes it ready (200) and the refund's workflow is signalled (retried until
     * Temporal takes it, {@link RefundResolutionSignals}). A vote of the other outcome is 409 (the first stands); the same
     * vote again is answered as it stands. 409 too when the refund is not held for a mismatch. Cashfree's other amount is
     * not ours to book: finance settles that with Cashfree.
     */
    @PostMapping(path = "/{refundId}/resolve-mismatch", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<MismatchResolution> resolveMismatch(@PathVariable String refundId, @RequestBody(required = false) ResolveMismatch body) {
        if (!RefundsController.KEY.matcher(refundId).matches()) throw ApiProblem.invalid("refundId", "not a valid refund id");
        if (body == null || body.outcome() == null || !List.of("PAID", "RELEASED").contains(body.outcome())) {
            throw ApiProblem.invalid("outcome", "outcome must be PAID or RELEASED");
        }
        if (body.reason() == null || body.reason().isBlank() || body.reason().length() > 500) {
            throw ApiProblem.invalid("reason", "reason is required (what finance found; at most 500 characters)");
        }
        if (body.cashfreeReference() == null || body.cashfreeReference().isBlank() || body.cashfreeReference().length() > 128) {
            throw ApiProblem.invalid("cashfreeReference", "cashfreeReference is required (Cashfree's reference seen in its dashboard; at most 128)");
        }
        Caller caller = Caller.current();
        RefundMismatchVotes.Outcome outcome = RefundMismatchVotes.Outcome.valueOf(body.outcome());
        RefundMismatchVotes.Resolution standing = mismatchVotes.find(refundId);
        boolean repeat = standing.votes().stream().anyMatch(v -> caller.isSamePerson(v.votedBy()) && v.outcome() == outcome);
        if (!repeat) requireHeldForMismatch(refundId); // a repeated vote is answered as it stands, even once the refund is booked
        RefundMismatchVotes.Resolution r;
        try {
            r = mismatchVotes.vote(refundId, outcome, caller.subject(), body.reason(), body.cashfreeReference());
        } catch (RefundMismatchVotes.FourEyes e) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Four eyes", e.getMessage(), null);
        } catch (com.commdesk.ledger.LedgerException e) {
            if (e.code() == com.commdesk.ledger.LedgerException.Code.NOT_FOUND) {
                throw new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no refund with id '" + refundId + "'", "refundId");
            }
            if (e.retryable()) throw e;
            throw new ApiProblem(HttpStatus.CONFLICT, "Conflicting resolution", e.getMessage(), null);
        }
        if (!r.ready()) {
            return ResponseEntity.accepted().location(URI.create("/api/v1/refunds/" + refundId)).body(new MismatchResolution(refundId,
                    r.outcome().name(), false, r.votes(), "another finance approver (not " + r.votes().get(0).votedBy()
                    + ", not the refund's requester) must confirm " + r.outcome()));
        }
        resolutionSignals.signalSoon(r); // idempotent: the workflow acts once; a failed signal is retried by the sweep
        return ResponseEntity.ok().location(URI.create("/api/v1/refunds/" + refundId))
                .body(new MismatchResolution(refundId, r.outcome().name(), true, r.votes(), null));
    }

    /** 404 for an unknown refund, 409 unless its workflow holds it NEEDS_ATTENTION for a Cashfree record of another amount or order. */
    private void requireHeldForMismatch(String refundId) {
        RefundStatus s;
        try {
            s = workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(refundId)).status();
        } catch (WorkflowNotFoundException e) {
            s = approvals.find(refundId).map(RefundsController::statusOf).orElseThrow(() ->
                    new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no refund with id '" + refundId + "'", "refundId"));
        }
        if (s.stage() != RefundStatus.Stage.NEEDS_ATTENTION || !s.mismatched()) {
            throw new ApiProblem(HttpStatus.CONFLICT, "Not a mismatch", "refund " + refundId + " is " + s.stage()
                    + ", not held for a Cashfree record of another amount or order", null);
        }
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
