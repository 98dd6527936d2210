package com.commdesk.api.payment;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;

import com.commdesk.fees.MemberAllocation;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.ledger.LedgerQueries;
import com.commdesk.ledger.PaymentIntake;
import com.commdesk.ledger.PaymentProjection;
import com.commdesk.ledger.PaymentIntake.AcceptedPayment;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.PaymentWorkflow;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Payments: accept one (idempotent by the Idempotency-Key header, which becomes the payment id and
 * the workflow id) and report it. Nothing is written for a request that fails validation.
 */
@RestController
@RequestMapping("/api/v1/payments")
public class PaymentsController {
    private static final Logger log = LoggerFactory.getLogger(PaymentsController.class);

    public static final long MAX_AMOUNT_PAISE = 1_000_000_000_000L;
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    static final Pattern COMMUNITY = Pattern.compile("[a-z0-9][a-z0-9_-]{1,63}");
    public static final Pattern SOURCE_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{1,31}");
    /** Cashfree's order id rule: 3 to 50 of letters, digits, '-' and '_'. */
    static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9_-]{3,50}");
    static final int MAX_METADATA_ENTRIES = 20;

    private final PaymentIntake intake;
    private final PaymentProjection projection;
    private final PaymentStarter starter;
    private final com.commdesk.ledger.community.CommunityOnboarding onboarding;

    public PaymentsController(PaymentIntake intake, PaymentProjection projection, PaymentStarter starter,
                              com.commdesk.ledger.community.CommunityOnboarding onboarding) {
        this.onboarding = onboarding;
        this.intake = intake;
        this.projection = projection;
        this.starter = starter;
    }

    /** The body of POST /api/v1/payments. Boxed types so a missing field is told apart from zero. */
    public record CreatePayment(String communityId, String sourceType, String sourceId, String cashfreeOrderId,
                                Long amountPaise, Map<String, String> metadata) {}

    /**
     * Where a payment stands, from PostgreSQL alone (never a workflow query: see {@link PaymentProjection}).
     * {@code stage}: ACCEPTED, POSTED, or the last notable stage the workflow recorded (COMPLETED,
     * UNDER_REVIEW, NEEDS_ATTENTION, AWAITING_PAYMENT, REJECTED, FAILED, COMPENSATED); {@code error} is what it recorded with
     * it. {@code breakdown} is the money as booked in the ledger, present once posted.
     */
    public record PaymentView(String paymentId, String workflowId, String communityId, String sourceType, String sourceId,
                              String cashfreeOrderId, long amountPaise, String stage, String error, OffsetDateTime stageAt,
                              PaymentProjection.Booked breakdown, String ruleId, Integer ruleVersion,
                              List<RoleAllocation> shares, String transactionId, Long journalId, OffsetDateTime releaseAt,
                              Integer splitAgreementVersion) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<PaymentView> create(@RequestHeader(name = "Idempotency-Key", required = false) String key,
                                              @RequestBody(required = false) CreatePayment body) {
        if (key == null || key.isBlank()) {
            throw ApiProblem.invalid("Idempotency-Key", "the Idempotency-Key header is required (1-64 of A-Z a-z 0-9 _ . : -)");
        }
        if (!KEY.matcher(key).matches()) {
            throw ApiProblem.invalid("Idempotency-Key", "Idempotency-Key must be 1-64 of A-Z a-z 0-9 _ . : -");
        }
        // The key is the payment's id, and "cf-" + order id is the id of a payment its signed webhook claimed
        // (CashfreeWebhookController): a client's key there could take another order's payment id (review s12).
        if (key.regionMatches(true, 0, CashfreeWebhookController.PAYMENT_ID_PREFIX, 0, CashfreeWebhookController.PAYMENT_ID_PREFIX.length())) {
            throw ApiProblem.invalid("Idempotency-Key", "Idempotency-Key must not start with \"" + CashfreeWebhookController.PAYMENT_ID_PREFIX
                    + "\" (the ids of payments claimed by Cashfree's webhooks)");
        }
        if (body == null) throw ApiProblem.invalid(null, "a JSON request body is required");
        PaymentRequest request = validate(key, body);
        // A fact of the community's configuration the API can check itself (D16): the sources it offers.
        // What only the Cashfree order can tell is checked by the payment's verification.
        if (!onboarding.offers(request.communityId(), request.sourceType())) {
            throw ApiProblem.unprocessable("sourceType", "community '" + request.communityId() + "' does not offer source type '"
                    + request.sourceType() + "'");
        }

        var accepted = intake.accept(new AcceptedPayment(key, requestSha256(request), request.communityId(),
                request.sourceType(), request.sourceId(), request.cashfreeOrderId(), request.amountPaise(),
                PaymentWorkflow.workflowId(request.cashfreeOrderId()), null), request.metadata());
        AcceptedPayment payment = accepted.payment();
        // Recorded, with everything its start needs: the workflow is started off this thread, and by the
        // starter's sweep if that start is lost (a crash here, Temporal unreachable). A repeated request
        // (or an earlier claim of the same order, e.g. by a webhook) was started by whoever recorded it.
        if (accepted.outcome() == PaymentIntake.Outcome.CREATED) starter.startSoon(payment, request.metadata());
        // A new payment is where this request left it (ACCEPTED, nothing booked): answered from the row just
        // written, with no further query. A repeated one is read from the projection, never by querying the
        // workflow: under load a query waits for a workflow task.
        boolean created = accepted.outcome() == PaymentIntake.Outcome.CREATED;
        PaymentView view = created ? accepted(payment) : view(payment.paymentId(), false);
        HttpStatus status = created ? HttpStatus.ACCEPTED : HttpStatus.OK;
        return ResponseEntity.status(status).location(URI.create("/api/v1/payments/" + payment.paymentId())).body(view);
    }

    @GetMapping(path = "/{paymentId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public PaymentView get(@PathVariable String paymentId) {
        if (!KEY.matcher(paymentId).matches()) throw ApiProblem.invalid("paymentId", "not a valid payment id");
        return view(paymentId, true);
    }

    /** Options under which a payment's workflow is started, by the API and by webhooks alike. */
    static WorkflowOptions startOptions(PaymentRequest request) {
        return WorkflowOptions.newBuilder()
                .setTaskQueue(PaymentWorkflow.TASK_QUEUE)
                .setWorkflowId(PaymentWorkflow.workflowId(request.cashfreeOrderId()))
                // Ops find it in the Temporal Web UI by community, order, amount and stage (docs/operations.md).
                .setTypedSearchAttributes(PaymentWorkflow.searchAttributes(request))
                // A finished payment is never run again under the same id; a running one is joined.
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                // Eager start: where a worker polls this task queue on the same WorkflowClient (the dev stack,
                // API and worker in one process), the server hands its first workflow task back in the start's
                // reply and that worker runs it at once, without a poll. Elsewhere the SDK asks nothing.
                .setDisableEagerExecution(false)
                .build();
    }

    /** The view of a payment this request has just recorded: what the projection shows until its workflow records a stage. */
    private static PaymentView accepted(AcceptedPayment p) {
        return new PaymentView(p.paymentId(), p.workflowId(), p.communityId(), p.sourceType(), p.sourceId(), p.cashfreeOrderId(),
                p.amountPaise(), PaymentProjection.ACCEPTED, null, p.createdAt(), null, null, null, List.of(), null, null, null, null);
    }

    /** {@code authorise}: refuse (403) a caller who may not see this payment's community. */
    private PaymentView view(String paymentId, boolean authorise) {
        PaymentProjection.View v = projection.find(paymentId).orElseThrow(() ->
                new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no payment with id '" + paymentId + "'", "paymentId"));
        if (authorise) Caller.current().requireCommunity(v.communityId());
        return new PaymentView(v.paymentId(), v.workflowId(), v.communityId(), v.sourceType(), v.sourceId(), v.cashfreeOrderId(),
                v.amountPaise(), v.stage(), v.detail(), v.stageAt(), v.booked(), v.ruleId(), v.ruleVersion(), sharesOf(v.shares()),
                v.transactionId() == null ? null : v.transactionId().toString(), v.journalId(), v.releaseAt(),
                onboarding.paymentAgreement(v.paymentId()).orElse(null));
    }

    private static List<RoleAllocation> sharesOf(List<LedgerQueries.Share> rows) {
        Map<String, List<LedgerQueries.Share>> byRole = new LinkedHashMap<>();
        for (LedgerQueries.Share s : rows) byRole.computeIfAbsent(s.role(), r -> new ArrayList<>()).add(s);
        List<RoleAllocation> out = new ArrayList<>();
        byRole.forEach((role, members) -> out.add(new RoleAllocation(role, members.get(0).shareBps(),
                members.stream().mapToLong(LedgerQueries.Share::amountPaise).sum(),
                members.stream().map(m -> new MemberAllocation(m.userId(), m.amountPaise())).toList())));
        return out;
    }

    static PaymentRequest validate(String key, CreatePayment b) {
        String communityId = required(b.communityId(), "communityId");
        if (!COMMUNITY.matcher(communityId).matches()) {
            throw ApiProblem.invalid("communityId", "communityId must be 2-64 of a-z 0-9 _ - starting with a letter or digit");
        }
        String sourceType = required(b.sourceType(), "sourceType").toUpperCase(Locale.ROOT);
        if (!SOURCE_TYPE.matcher(sourceType).matches()) {
            throw ApiProblem.invalid("sourceType", "sourceType must be a revenue source such as EVENT, SPONSOR or PREMIUM "
                    + "(2-32 of A-Z 0-9 _)");
        }
        String orderId = required(b.cashfreeOrderId(), "cashfreeOrderId");
        if (!ORDER_ID.matcher(orderId).matches()) {
            throw ApiProblem.invalid("cashfreeOrderId", "cashfreeOrderId must be 3-50 of A-Z a-z 0-9 _ -");
        }
        if (b.amountPaise() == null) throw ApiProblem.invalid("amountPaise", "amountPaise is required (an integer number of paise)");
        long amount = b.amountPaise();
        if (amount <= 0 || amount > MAX_AMOUNT_PAISE) {
            throw ApiProblem.invalid("amountPaise", "amountPaise must be between 1 and " + MAX_AMOUNT_PAISE + " (got " + amount + ")");
        }
        String sourceId = b.sourceId() == null || b.sourceId().isBlank() ? orderId : b.sourceId();
        if (sourceId.length() > 200) throw ApiProblem.invalid("sourceId", "sourceId is longer than 200 characters");
        Map<String, String> metadata = b.metadata() == null ? Map.of() : b.metadata();
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw ApiProblem.invalid("metadata", "metadata has more than " + MAX_METADATA_ENTRIES + " entries");
        }
        for (var e : metadata.entrySet()) {
            if (e.getKey().isBlank() || e.getKey().length() > 64 || e.getValue() == null || e.getValue().length() > 256) {
                throw ApiProblem.invalid("metadata." + e.getKey(), "metadata keys must be 1-64 characters and values at most 256");
            }
        }
        return new PaymentRequest(key, communityId, sourceType, sourceId, orderId, amount, metadata);
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) throw ApiProblem.invalid(field, field + " is required");
        return value.trim();
    }

    /** Fingerprint of everything that defines the payment, so a reused key with another body is caught. */
    static String requestSha256(PaymentRequest r) {
        StringBuilder s = new StringBuilder().append(r.communityId()).append('|').append(r.sourceType()).append('|')
                .append(r.sourceId()).append('|').append(r.cashfreeOrderId()).append('|').append(r.amountPaise());
        new TreeMap<>(r.metadata()).forEach((k, v) -> s.append('|').append(k).append('=').append(v));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
