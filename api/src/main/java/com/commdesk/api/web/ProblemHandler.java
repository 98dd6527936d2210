package com.commdesk.api.web;

import com.commdesk.ledger.LedgerException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every error is RFC 9457 application/problem+json with a detail a client can act on. */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    public static final String TYPE_BASE = "https://commdesk.dev/problems/";

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem e) {
        return problem(e.status(), e.title(), e.getMessage(), e.field());
    }

    @ExceptionHandler(WebhookSignatures.Rejected.class)
    ResponseEntity<ProblemDetail> unauthenticatedWebhook(WebhookSignatures.Rejected e) {
        return problem(HttpStatus.UNAUTHORIZED, "Unauthenticated webhook", e.getMessage(), "x-webhook-signature");
    }

    @ExceptionHandler(LedgerException.class)
    ResponseEntity<ProblemDetail> ledger(LedgerException e, jakarta.servlet.http.HttpServletRequest request) {
        if (e.code() == LedgerException.Code.CONTENTION || e.code() == LedgerException.Code.UNAVAILABLE) {
            // Its transaction rolled back and the database is away or contended: the entry is kept on disk, not tried now
            // (AuditTrail, DurableAudit).
            request.setAttribute(AuditTrail.DATABASE_AWAY, Boolean.TRUE);
        }
        return switch (e.code()) {
            case UNKNOWN_COMMUNITY -> problem(HttpStatus.UNPROCESSABLE_CONTENT, "Unknown community", e.getMessage(), "communityId");
            case IDEMPOTENCY_CONFLICT -> problem(HttpStatus.CONFLICT, "Idempotency key reused", e.getMessage(), "Idempotency-Key");
            case ORDER_ALREADY_POSTED -> problem(HttpStatus.CONFLICT, "Order already claimed", e.getMessage(), "cashfreeOrderId");
            case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), null);
            // Temporary: nothing was written; the same request may be sent again.
            case CONTENTION, UNAVAILABLE -> problem(HttpStatus.SERVICE_UNAVAILABLE, "Database temporarily unavailable",
                    "nothing was written; retry the same request", null);
            default -> problem(HttpStatus.CONFLICT, "Refused by the ledger", e.getMessage(), null);
        };
    }

    /** Fee-engine validation (quotes, commission rules): 422 naming the input at fault ("schedule.gatewayFee.UPI.rateBps", "roles[1].members"). */
    @ExceptionHandler(com.commdesk.fees.FeeValidationException.class)
    ResponseEntity<ProblemDetail> feeValidation(com.commdesk.fees.FeeValidationException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid fee input", e.getMessage(), e.field());
    }

    @ExceptionHandler(com.commdesk.ledger.rules.CommissionRuleException.class)
    ResponseEntity<ProblemDetail> commissionRule(com.commdesk.ledger.rules.CommissionRuleException e) {
        return switch (e.code()) {
            case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), e.field());
            case ALREADY_EXISTS -> problem(HttpStatus.CONFLICT, "Rule exists", e.getMessage(), e.field());
            case ALREADY_INACTIVE -> problem(HttpStatus.CONFLICT, "Rule inactive", e.getMessage(), e.field());
            case TIE -> {
                ResponseEntity<ProblemDetail> r = problem(HttpStatus.CONFLICT, "Rule tie", e.getMessage(), e.field());
                r.getBody().setProperty("otherRuleId", e.otherRuleId());
                yield r;
            }
        };
    }

    /** Bounds that would leave active rules outside: 409 naming the bound and the rules. */
    @ExceptionHandler(com.commdesk.ledger.rules.FeeBoundsRepository.OutsideBoundsException.class)
    ResponseEntity<ProblemDetail> outsideBounds(com.commdesk.ledger.rules.FeeBoundsRepository.OutsideBoundsException e) {
        ResponseEntity<ProblemDetail> r = problem(HttpStatus.CONFLICT, "Rules outside the bounds", e.getMessage(), e.field());
        r.getBody().setProperty("ruleIds", e.ruleIds());
        return r;
    }

    /** "schedule.gatewayFeeByMethod.UPI.rateBps" from Jackson's path of the value it could not read; null if none. */
    static String jsonPath(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof tools.jackson.core.JacksonException j && !j.getPath().isEmpty()) {
                StringBuilder b = new StringBuilder();
                for (tools.jackson.core.JacksonException.Reference r : j.getPath()) {
                    if (r.getPropertyName() != null) b.append(b.isEmpty() ? "" : ".").append(r.getPropertyName());
                    else if (r.getIndex() >= 0) b.append('[').append(r.getIndex()).append(']');
                }
                return b.isEmpty() ? null : b.toString();
            }
        }
        return null;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        String detail = "malformed JSON request body";
        Throwable cause = e.getMostSpecificCause();
        if (cause != null && cause != e && cause.getMessage() != null) {
            // Jackson's first line names the field and the problem; the rest is source excerpts.
            detail += ": " + cause.getMessage().lines().findFirst().orElse("");
        }
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(body(HttpStatus.BAD_REQUEST, "Malformed request", detail, jsonPath(e)));
    }

    /** A tenancy check in a controller (Caller.require…): 403, without saying whose the resource is. */
    @ExceptionHandler(org.springframework.security.access.AccessDeniedException.class)
    ResponseEntity<ProblemDetail> forbidden(org.springframework.security.access.AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage(), null);
    }

    /**
     * Text the database cannot store (a NUL character, an invalid encoding) is the caller's input, not a
     * server fault: 400, without the SQL. Other database errors stay 500 (they are ours).
     */
    @ExceptionHandler(org.jooq.exception.DataException.class)
    ResponseEntity<ProblemDetail> unstorableText(org.jooq.exception.DataException e) {
        String state = e.sqlState();
        if ("22021".equals(state) || "22P05".equals(state)) {
            return problem(HttpStatus.BAD_REQUEST, "Invalid request", "the request contains characters that cannot be stored (e.g. NUL)", null);
        }
        return unexpected(e);
    }

    /** Seconds a client is asked to wait before asking again while Temporal is away. */
    static final int TEMPORAL_RETRY_AFTER_SECONDS = 5;

    /**
     * Temporal overloaded or unreachable, or no worker answering a query (the gRPC status under a Temporal client call:
     * DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE): 503 with Retry-After, so a client can tell it from a fault of
     * ours. Until s18 it was a 500 "unexpected error", logged with its stack as ours. Whether what was asked was taken is
     * not known; docs/failures.md says which requests are the same request when repeated (refund creates and approvals,
     * keyed by the refund id; decisions, which check the stage again) and which are a new one each time (a manual
     * settlement, a reconciliation run). Any other Temporal failure stays a logged 500.
     */
    @ExceptionHandler({io.temporal.failure.TemporalException.class, io.grpc.StatusRuntimeException.class})
    ResponseEntity<ProblemDetail> temporal(RuntimeException e) {
        io.grpc.Status.Code code = com.commdesk.api.payment.PaymentStarter.codeOf(e);
        if (code != io.grpc.Status.Code.DEADLINE_EXCEEDED && code != io.grpc.Status.Code.RESOURCE_EXHAUSTED
                && code != io.grpc.Status.Code.UNAVAILABLE) {
            return unexpected(e);
        }
        log.warn("Temporal did not answer ({}, {}): answered 503", code, e.getClass().getSimpleName());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(TEMPORAL_RETRY_AFTER_SECONDS))
                .body(body(HttpStatus.SERVICE_UNAVAILABLE, "Temporal temporarily unavailable", "the workflow service or its workers did not"
                        + " answer (" + code + "); what this request asked may or may not have been taken: repeat it later (docs/failures.md"
                        + " says which requests are safe to repeat)", null));
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        log.error("unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "an unexpected error occurred; it has been logged", null);
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail, String field) {
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(body(status, title, detail, field));
    }

    private static ProblemDetail body(HttpStatus status, String title, String detail, String field) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        p.setType(URI.create(TYPE_BASE + title.toLowerCase().replace(' ', '-')));
        if (field != null) p.setProperty("field", field);
        return p;
    }
}
