package com.commdesk.api.ops;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;

import com.commdesk.ledger.FraudRecords;
import com.commdesk.ledger.PaymentIntake;
import com.commdesk.ledger.PaymentOperations;
import com.commdesk.workflows.payment.Cancellation;
import com.commdesk.workflows.payment.OperatorDecision;
import com.commdesk.workflows.payment.PaymentStage;
import com.commdesk.workflows.payment.PaymentWorkflow;
import com.commdesk.workflows.payment.ReviewDecision;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators: see parked and flagged payments, and decide on them. Decisions are signals to the
 * payment's workflow; they are accepted only in the stage they are meant for (409 otherwise).
 * Who decides is the access token's subject. A community owner sees only its own communities' payments.
 */
@RestController
@RequestMapping("/api/v1/ops")
public class OpsController {
    /** A note is an operator's hint, kept in the workflow's state and error: bounded. */
    static final int MAX_NOTE = 500;
    private static final List<String> STATUSES = java.util.Arrays.stream(PaymentStage.values()).map(Enum::name).toList();

    private final PaymentOperations operations;
    private final PaymentIntake intake;
    private final FraudRecords fraud;
    private final io.temporal.client.WorkflowClient workflows;

    public OpsController(PaymentOperations operations, PaymentIntake intake, FraudRecords fraud,
                         io.temporal.client.WorkflowClient workflows) {
        this.operations = operations;
        this.intake = intake;
        this.fraud = fraud;
        this.workflows = workflows;
    }

    @GetMapping(path = "/payments", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<PaymentOperations.PaymentRow> payments(@RequestParam(required = false) String status,
                                                       @RequestParam(required = false) String after,
                                                       @RequestParam(required = false) String afterUpdatedAt,
                                                       @RequestParam(defaultValue = "100") int limit) {
        if (status != null && !status.equals("ACCEPTED") && !STATUSES.contains(status)) {
            throw ApiProblem.invalid("status", "status must be ACCEPTED or one of " + STATUSES);
        }
        if (limit < 1 || limit > PaymentOperations.MAX_PAGE) throw ApiProblem.invalid("limit", "limit must be 1.." + PaymentOperations.MAX_PAGE);
        // The stable cursor: the last row's updatedAt as it was shown, with its paymentId (s17). Without it the payment's
        // current time is used, and rows are skipped if it changed since.
        java.time.OffsetDateTime afterTime = null;
        if (afterUpdatedAt != null) {
            if (after == null) throw ApiProblem.invalid("afterUpdatedAt", "afterUpdatedAt goes with after (the last row's paymentId)");
            afterTime = cursorTime(afterUpdatedAt);
            if (afterTime == null) {
                throw ApiProblem.invalid("afterUpdatedAt", "afterUpdatedAt must be the last row's updatedAt, e.g. 2026-12-04T04:00:00.123456Z");
            }
        }
        return operations.list(status, after, afterTime, limit, Caller.current().communityScope());
    }

    /**
     * A cursor's time as the API takes it (an ISO-8601 time with offset, years 2000 to 9999: one PostgreSQL cannot hold
     * would fail in the database, a 500, and no row's time is outside these anyway); null for anything else. The dashboard
     * reads its links' cursors with the same rule.
     */
    public static java.time.OffsetDateTime cursorTime(String text) {
        try {
            var time = java.time.OffsetDateTime.parse(text);
            return time.getYear() < 2000 || time.getYear() > 9999 ? null : time;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    public record Note(String note) {}

    public record Review(ReviewDecision.Outcome outcome, String reason) {}

    @PostMapping(path = "/payments/{paymentId}/retry")
    public ResponseEntity<?> retry(@PathVariable String paymentId, @RequestBody(required = false) Note note) {
        PaymentWorkflow wf = parked(paymentId, PaymentStage.NEEDS_ATTENTION);
        wf.decide(new OperatorDecision(OperatorDecision.Action.RETRY, Caller.current().subject(), note == null ? null : note.note()));
        return ResponseEntity.accepted().body(Map.of("paymentId", paymentId, "signal", "retry"));
    }

    @PostMapping(path = "/payments/{paymentId}/compensate")
    public ResponseEntity<?> compensate(@PathVariable String paymentId, @RequestBody(required = false) Note note) {
        PaymentWorkflow wf = parked(paymentId, PaymentStage.NEEDS_ATTENTION);
        wf.decide(new OperatorDecision(OperatorDecision.Action.COMPENSATE, Caller.current().subject(), note == null ? null : note.note()));
        return ResponseEntity.accepted().body(Map.of("paymentId", paymentId, "signal", "compensate"));
    }

    /**
     * Cancels a payment that awaits its order's payment (AWAITING_PAYMENT): its workflow has Cashfree terminate the order
     * and FAILS the payment only once the order can no longer be paid. Paid meanwhile (or by an attempt in flight), the
     * payment is booked as any other. (Parked as NEEDS_ATTENTION while awaiting, {@code /compensate} does the same.)
     */
    @PostMapping(path = "/payments/{paymentId}/cancel")
    public ResponseEntity<?> cancel(@PathVariable String paymentId, @RequestBody(required = false) Note note) {
        if (note != null && note.note() != null && note.note().length() > MAX_NOTE) {
            throw ApiProblem.invalid("note", "note must be at most " + MAX_NOTE + " characters");
        }
        PaymentWorkflow wf = parked(paymentId, PaymentStage.AWAITING_PAYMENT);
        wf.cancel(new Cancellation(Caller.current().subject(), note == null ? null : note.note()));
        return ResponseEntity.accepted().body(Map.of("paymentId", paymentId, "signal", "cancel"));
    }

    @PostMapping(path = "/payments/{paymentId}/review")
    public ResponseEntity<?> review(@PathVariable String paymentId, @RequestBody(required = false) Review review) {
        if (review == null || review.outcome() == null) throw ApiProblem.invalid("outcome", "outcome must be APPROVE or REJECT");
        String who = Caller.current().subject();
        PaymentWorkflow wf = parked(paymentId, PaymentStage.UNDER_REVIEW);
        wf.review(new ReviewDecision(review.outcome(), who, review.reason()));
        return ResponseEntity.accepted().body(Map.of("paymentId", paymentId, "signal", "review " + review.outcome()));
    }

    public record Block(String kind, String value, String reason) {}

    @PostMapping(path = "/blocklist")
    public ResponseEntity<?> block(@RequestBody(required = false) Block b) {
        String who = Caller.current().subject();
        if (b == null || b.kind() == null || !List.of("CUSTOMER", "COMMUNITY", "ORDER").contains(b.kind())) {
            throw ApiProblem.invalid("kind", "kind must be CUSTOMER, COMMUNITY or ORDER");
        }
        if (b.value() == null || b.value().isBlank() || b.value().length() > 200) throw ApiProblem.invalid("value", "value is required (at most 200)");
        if (b.reason() == null || b.reason().isBlank()) throw ApiProblem.invalid("reason", "reason is required");
        fraud.block(b.kind(), b.value(), b.reason(), who);
        return ResponseEntity.status(HttpStatus.CREATED).body(b);
    }

    private PaymentWorkflow parked(String paymentId, PaymentStage expected) {
        var payment = intake.find(paymentId).orElseThrow(() ->
                new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no payment with id '" + paymentId + "'", "paymentId"));
        PaymentWorkflow wf = workflows.newWorkflowStub(PaymentWorkflow.class, payment.workflowId());
        PaymentStage stage = wf.status().stage();
        if (stage != expected) {
            throw new ApiProblem(HttpStatus.CONFLICT, "Wrong stage", "payment " + paymentId + " is " + stage + ", not " + expected, null);
        }
        return wf;
    }

}
