package com.commdesk.api.recon;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.recon.ReconCsv;
import com.commdesk.ledger.recon.ReconException;
import com.commdesk.ledger.recon.ReconciliationFailure;
import com.commdesk.ledger.recon.ReconciliationRepository;
import com.commdesk.workflows.recon.ReconPeriod;
import com.commdesk.workflows.recon.ReconRunSummary;
import com.commdesk.workflows.recon.ReconSchedule;
import com.commdesk.workflows.recon.ReconciliationWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Finance's reconciliation API (docs/reconciliation.md): exceptions (list, drill-down, resolve by an
 * adjustment journal or an explanation, by the token's subject), recon file upload, and a run of one period
 * through {@link ReconciliationWorkflow}.
 */
@RestController
@RequestMapping("/api/v1/reconciliation")
public class ReconciliationController {
    private static final List<String> KINDS = Arrays.stream(ReconException.Kind.values()).map(Enum::name).toList();
    private static final List<String> STATUSES = Arrays.stream(ReconException.Status.values()).map(Enum::name).toList();
    private static final Duration MAX_PERIOD = Duration.ofDays(31);

    private final ReconciliationRepository recon;
    private final WorkflowClient workflows;

    public ReconciliationController(LedgerDatabase db, WorkflowClient workflows) {
        this.recon = new ReconciliationRepository(db.dsl());
        this.workflows = workflows;
    }

    @GetMapping(path = "/exceptions", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<ReconException> list(@RequestParam(required = false) String kind, @RequestParam(required = false) String status,
                                     @RequestParam(required = false) String orderId, @RequestParam(required = false) Long after,
                                     @RequestParam(defaultValue = "100") int limit) {
        if (kind != null && !KINDS.contains(kind)) throw ApiProblem.invalid("kind", "kind must be one of " + KINDS);
        if (status != null && !STATUSES.contains(status)) throw ApiProblem.invalid("status", "status must be one of " + STATUSES);
        if (limit < 1 || limit > ReconciliationRepository.MAX_PAGE) throw ApiProblem.invalid("limit", "limit must be 1.." + ReconciliationRepository.MAX_PAGE);
        return recon.list(kind, status, orderId, after, limit);
    }

    /** The exception, its audit trail, the adjustment's postings and the original payment journal's postings. */
    public record DrillDown(ReconException exception, List<ReconciliationRepository.AuditEntry> audit,
                            List<ReconciliationRepository.PostingLine> adjustmentPostings,
                            List<ReconciliationRepository.PostingLine> paymentPostings) {}

    @GetMapping(path = "/exceptions/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public DrillDown drillDown(@PathVariable long id) {
        ReconException e = recon.find(id).orElseThrow(() -> notFound(id));
        return new DrillDown(e, recon.audit(id),
                e.adjustmentJournalId() == null ? List.of() : recon.postings(e.adjustmentJournalId()),
                e.paymentJournalId() == null ? List.of() : recon.postings(e.paymentJournalId()));
    }

    public record Reason(String reason) {}

    @PostMapping(path = "/exceptions/{id}/adjust", produces = MediaType.APPLICATION_JSON_VALUE)
    public ReconciliationRepository.Resolution adjust(@PathVariable long id, @RequestBody(required = false) Reason body) {
        return translate(() -> recon.adjust(id, Caller.current().subject(), body == null ? null : body.reason(), this::running));
    }

    @PostMapping(path = "/exceptions/{id}/explain", produces = MediaType.APPLICATION_JSON_VALUE)
    public ReconciliationRepository.Resolution explain(@PathVariable long id, @RequestBody(required = false) Reason body) {
        return translate(() -> recon.explain(id, Caller.current().subject(), body == null ? null : body.reason()));
    }

    /**
     * Ingests a recon file (text/csv, Cashfree's recon columns). With {@code from}/{@code to} our payments of
     * that period that the file does not show are MISSING_ON_THEIRS. The same file (and period) again is the
     * same run: no duplicate exceptions.
     */
    @PostMapping(path = "/uploads", consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE}, produces = MediaType.APPLICATION_JSON_VALUE)
    public ReconciliationRepository.RunReport upload(@RequestBody(required = false) String csv, @RequestParam(required = false) String from,
                                                     @RequestParam(required = false) String to) {
        if (csv == null || csv.isBlank()) throw ApiProblem.invalid("body", "the recon file is empty");
        OffsetDateTime f = time("from", from);
        OffsetDateTime t = time("to", to);
        if ((f == null) != (t == null)) throw ApiProblem.invalid(f == null ? "from" : "to", "give both from and to, or neither");
        if (f != null && !f.isBefore(t)) throw ApiProblem.invalid("to", "to must be after from");
        String key = "csv:" + sha256(csv) + (f == null ? "" : ":" + f.toInstant() + "/" + t.toInstant());
        return translate(() -> recon.ingest(key, "CSV", f, t, ReconCsv.parse(csv)));
    }

    public record RunRequest(String from, String to, Long graceMinutes) {}

    /** Reconciles one period now against Cashfree's API (a workflow per period; running it again adds no duplicates). */
    @PostMapping(path = "/runs", produces = MediaType.APPLICATION_JSON_VALUE)
    public ReconRunSummary run(@RequestBody(required = false) RunRequest body) {
        if (body == null) throw ApiProblem.invalid("from", "from and to are required");
        OffsetDateTime f = time("from", body.from());
        OffsetDateTime t = time("to", body.to());
        if (f == null || t == null) throw ApiProblem.invalid(f == null ? "from" : "to", "from and to are required");
        if (!f.isBefore(t) || Duration.between(f, t).compareTo(MAX_PERIOD) > 0) {
            throw ApiProblem.invalid("to", "the period must be positive and at most " + MAX_PERIOD.toDays() + " days");
        }
        long grace = body.graceMinutes() == null ? 0 : body.graceMinutes();
        if (grace < 0 || grace > 7 * 24 * 60) throw ApiProblem.invalid("graceMinutes", "graceMinutes must be 0..10080");
        long period = t.toInstant().toEpochMilli() - f.toInstant().toEpochMilli();
        if (period < 60_000) throw ApiProblem.invalid("to", "the period must be at least a minute");
        ReconPeriod p = new ReconPeriod(f.toInstant().toEpochMilli(), t.toInstant().toEpochMilli(), grace * 60_000);
        ReconciliationWorkflow wf = workflows.newWorkflowStub(ReconciliationWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(ReconciliationWorkflow.TASK_QUEUE)
                .setWorkflowId(ReconciliationWorkflow.periodWorkflowId(p) + "-" + System.currentTimeMillis())
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setWorkflowExecutionTimeout(Duration.ofHours(1))
                .build());
        // lag = grace: a past period runs at once; one that has not ended waits for its end (+ grace).
        return wf.run(new ReconSchedule(p.fromEpochMillis(), period, p.graceMillis(), p.graceMillis(), 1, 1));
    }

    /**
     * Whether a payment's workflow still runs, as Temporal says (its latest run): null when Temporal cannot be asked (the
     * recorded status then stands, and the adjustment is refused).
     */
    private Boolean running(String workflowId) {
        try {
            return workflows.newUntypedWorkflowStub(workflowId).describe().getStatus()
                    == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        } catch (io.temporal.client.WorkflowNotFoundException ended) {
            return false; // closed and past the namespace's retention
        } catch (RuntimeException e) {
            // The client may also answer a describe of an unknown id with the RPC's NOT_FOUND status.
            return com.commdesk.api.payment.PaymentStarter.codeOf(e) == io.grpc.Status.Code.NOT_FOUND ? Boolean.FALSE : null;
        }
    }

    private static <T> T translate(Supplier<T> call) {
        try {
            return call.get();
        } catch (ReconciliationFailure e) {
            throw switch (e.code()) {
                case NOT_FOUND -> new ApiProblem(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), null);
                case ALREADY_RESOLVED -> new ApiProblem(HttpStatus.CONFLICT, "Already resolved", e.getMessage(), null);
                case INVALID -> ApiProblem.unprocessable(null, e.getMessage());
                case PAYMENT_BOOKS_IT -> new ApiProblem(HttpStatus.CONFLICT, "The payment books it", e.getMessage(), null);
            };
        }
    }


    private static OffsetDateTime time(String field, String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(field, field + " must be an ISO-8601 date-time with offset, e.g. 2026-11-01T00:00:00+05:30");
        }
    }

    private static ApiProblem notFound(long id) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no reconciliation exception " + id, null);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
