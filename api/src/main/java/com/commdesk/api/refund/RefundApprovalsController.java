package com.commdesk.api.refund;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;
import com.commdesk.ledger.RefundApprovals;
import com.commdesk.ledger.RefundMismatchVotes;
import com.commdesk.workflows.refund.RefundWorkflow;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowQueryException;
import com.commdesk.workflows.refund.RefundMismatchHold;
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
    private final com.commdesk.ledger.RefundLedger refunds;

    public RefundApprovalsController(RefundApprovals approvals, WorkflowClient workflows, RefundMismatchVotes mismatchVotes,
                                     RefundResolutionSignals resolutionSignals, com.commdesk.ledger.RefundLedger refunds) {
        this.refunds = refunds;
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
        var booked = RefundsController.start(workflows, refunds, RefundsController.approvedRequest(a));
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/refunds/" + refundId))
                .body(booked.map(RefundsController::booked).orElseGet(() -> RefundsController.statusOf(a)));
    }

    /** Rejects: final; the refund never reserves anything and Cashfree never hears of it. */
    @PostMapping(path = "/{refundId}/reject", produces = MediaType.APPLICATION_JSON_VALUE)
    public RefundStatus reject(@PathVariable String refundId, @RequestBody(required = false) Decision d) {
        return RefundsController.statusOf(decide(refundId, false, d));
    }

    public record ResolveMismatch(String outcome, String reason, String cashfreeReference) {}

    /**
     * The resolution of the refund's current round as it stands: the votes that count (first first; withdrawn ones are kept
     * in the ledger, not listed), {@code ready} once two people agreed; {@code round} the mismatch hold they were cast in;
     * {@code next} what is missing.
     */
    public record MismatchResolution(String refundId, int round, String outcome, boolean ready, List<RefundMismatchVotes.Vote> votes,
                                     String next) {
        static MismatchResolution of(RefundMismatchVotes.Resolution r) {
            String next = r.ready() ? null : r.votes().isEmpty()
                    ? "two finance approvers (not the refund's requester) must agree PAID or RELEASED"
                    : "another finance approver (not " + r.votes().get(0).votedBy() + ", not the refund's requester) must confirm " + r.outcome();
            return new MismatchResolution(r.refundId(), r.round(), r.outcome() == null ? null : r.outcome().name(), r.ready(), r.votes(), next);
        }
    }

    /**
     * Finance's resolution of a refund held because Cashfree's record of our refund id has another amount or order
     * (docs/payments.md "Refunds", step 4): PAID (Cashfree's dashboard shows OUR amount left for OUR refund: booked as
     * paid) or RELEASED (Cashfree did not refund ours: the reservation goes back). Two finance approvers, neither the
     * refund's requester (403), each with a reason and Cashfree's reference: the first vote is recorded (202); the second,
     * by someone else with the same outcome, makes it ready (200) and the refund's workflow is signalled (retried until
     * Temporal takes it, {@link RefundResolutionSignals}). Votes are cast in the workflow's current hold (its round, read
     * from the workflow with the hold itself): a refund held again is a new round, and earlier votes do not count in it. A
     * vote of the other outcome is 409 (the first stands until its voter withdraws it); the same vote again is answered as
     * it stands. 409 too when the refund is not held for a mismatch; 503 when its workflow cannot say (a worker older than
     * rounds: deploy workers first). Cashfree's other amount is not ours to book: finance settles that with Cashfree.
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
        RefundMismatchHold hold = mismatchHold(refundId);
        RefundMismatchVotes.Resolution r;
        if (!hold.held()) {
            // A repeated vote is answered as it stands, even once the refund is booked (a lost response retried).
            RefundMismatchVotes.Resolution standing = mismatchVotes.find(refundId);
            boolean repeat = standing.votes().stream().anyMatch(v -> caller.isSamePerson(v.votedBy()) && v.outcome() == outcome);
            if (!repeat) {
                throw new ApiProblem(HttpStatus.CONFLICT, "Not a mismatch", "refund " + refundId
                        + " is not held for finance (a Cashfree record of another amount or order, or a refund Cashfree"
                        + " acknowledged and now says it does not know)", null);
            }
            r = standing;
        } else {
            try {
                r = mismatchVotes.vote(refundId, hold.round(), outcome, caller.subject(), body.reason(), body.cashfreeReference());
            } catch (RefundMismatchVotes.FourEyes e) {
                throw new ApiProblem(HttpStatus.FORBIDDEN, "Four eyes", e.getMessage(), null);
            } catch (com.commdesk.ledger.LedgerException e) {
                throw problem(refundId, e, "Conflicting resolution");
            }
        }
        if (!r.ready()) {
            return ResponseEntity.accepted().location(URI.create("/api/v1/refunds/" + refundId)).body(MismatchResolution.of(r));
        }
        resolutionSignals.signalSoon(r); // idempotent: the workflow acts once; a failed signal is retried by the sweep
        return ResponseEntity.ok().location(URI.create("/api/v1/refunds/" + refundId)).body(MismatchResolution.of(r));
    }

    public record WithdrawVote(String reason) {}

    /**
     * Withdraws the caller's own vote of the refund's current round (review s7 round 2 M2): a mistaken first vote no longer
     * blocks the other outcome. Recorded as a row of its own (refund_mismatch_vote_withdrawal: the vote is kept, append-only)
     * and in the audit log; the withdrawn vote no longer counts, and its voter may vote again. 409 when the caller has no
     * vote there, once two agreeing votes made it ready (the workflow is told), or once the refund's outcome is booked;
     * a vote already withdrawn is answered as it stands. Finance approvers only, as voting.
     */
    @PostMapping(path = "/{refundId}/resolve-mismatch/withdraw", produces = MediaType.APPLICATION_JSON_VALUE)
    public MismatchResolution withdrawMismatchVote(@PathVariable String refundId, @RequestBody(required = false) WithdrawVote body) {
        if (!RefundsController.KEY.matcher(refundId).matches()) throw ApiProblem.invalid("refundId", "not a valid refund id");
        if (body == null || body.reason() == null || body.reason().isBlank() || body.reason().length() > 500) {
            throw ApiProblem.invalid("reason", "reason is required (why the vote is withdrawn; at most 500 characters)");
        }
        try {
            return MismatchResolution.of(mismatchVotes.withdraw(refundId, Caller.current().subject(), body.reason()));
        } catch (com.commdesk.ledger.LedgerException e) {
            throw problem(refundId, e, "Cannot withdraw");
        }
    }

    private static RuntimeException problem(String refundId, com.commdesk.ledger.LedgerException e, String title) {
        if (e.code() == com.commdesk.ledger.LedgerException.Code.NOT_FOUND) {
            return new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no refund with id '" + refundId + "'", "refundId");
        }
        if (e.retryable()) return e;
        return new ApiProblem(HttpStatus.CONFLICT, title, e.getMessage(), null);
    }

    /**
     * Whether the refund's workflow holds it for a mismatch now, and the hold's round, in one query. 404 for an unknown
     * refund; not held when its workflow is gone or never started; 503 when the workflow cannot be asked (a worker that
     * predates the query answers none: workers must be deployed before this API).
     */
    private RefundMismatchHold mismatchHold(String refundId) {
        try {
            return workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(refundId)).mismatchHold();
        } catch (WorkflowNotFoundException e) {
            approvals.find(refundId).orElseThrow(() ->
                    new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no refund with id '" + refundId + "'", "refundId"));
            return new RefundMismatchHold(false, 0);
        } catch (WorkflowQueryException e) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Workflow not answering", "refund " + refundId
                    + ": its workflow could not say whether it is held for a mismatch (" + e.getMessage() + ")", null);
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
        if (a.status() != RefundApprovals.Status.AWAITING_APPROVAL && (a.status() != wanted || !caller.isSamePerson(a.decidedBy()))) {
            // Only its decider's repeat is answered as it stands (a retry); anyone else's would be audited as their decision.
            throw new ApiProblem(HttpStatus.CONFLICT, "Already decided", "refund " + refundId + " is already " + a.status()
                    + (a.decidedBy() == null ? "" : " by " + a.decidedBy()), null);
        }
        return approvals.decide(refundId, approve, caller.subject(), note);
    }
}
