package com.commdesk.api.payout;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.ledger.payout.FinanceResolutions;
import com.commdesk.ledger.payout.Settlements;
import com.commdesk.ledger.payout.PayoutEvents;
import com.commdesk.ledger.payout.Beneficiaries;
import com.commdesk.ledger.payout.Payout;
import com.commdesk.workflows.payout.PayoutTypes.PayoutDecision;
import com.commdesk.workflows.payout.PayoutTypes.PayoutStage;
import com.commdesk.workflows.payout.PayoutTypes.SettlementRequest;
import com.commdesk.workflows.payout.PayoutWorkflow;
import com.commdesk.workflows.payout.SettlementWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Finance review of payouts (docs/payouts.md): beneficiaries, pending payouts grouped by recipient,
 * bulk approve, reject, flag for investigation, and manual settlements. Decisions are signals to the
 * payout's workflow. Identity is the access token's subject. Four eyes: whoever requested a payout (the
 * subject that started the settlement; compared case-insensitively) can never decide it, nor can its recipient —
 * approve it — refused here (403), ignored by the workflow, and refused by the database.
 */
@RestController
@RequestMapping("/api/v1/finance")
public class FinanceController {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    static final int MAX_BULK = 500;

    private final PayoutRepository payouts;
    private final WorkflowClient workflows;
    private final Clock clock = Clock.systemUTC();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FinanceController.class);
    private final io.micrometer.core.instrument.Counter beneficiaryChanges;

    public FinanceController(LedgerDatabase db, WorkflowClient workflows, io.micrometer.core.instrument.MeterRegistry metrics) {
        this.beneficiaryChanges = io.micrometer.core.instrument.Counter.builder("commdesk.beneficiaries.changed")
                .description("Beneficiaries replaced, or set by someone other than their member (payouts held for the cooling-off)").register(metrics);
        this.payouts = new PayoutRepository(db.dsl());
        this.workflows = workflows;
    }

    public record BeneficiaryInput(String communityId, String role, String userId, String name, String bankAccountNumber,
                                   String ifsc, String vpa) {}

    /**
     * A member's current beneficiary, with who set it and from when it is paid: for the member itself, its community's
     * owner and finance. A member sees here an account its owner chose for it and replaces it during the cooling-off.
     */
    @GetMapping(path = "/beneficiaries", produces = MediaType.APPLICATION_JSON_VALUE)
    public Beneficiaries.Beneficiary currentBeneficiary(@RequestParam(required = false) String communityId,
                                                        @RequestParam(required = false) String role,
                                                        @RequestParam(required = false) String userId) {
        member(communityId, role, userId);
        Caller caller = Caller.current();
        caller.requireMemberOrCommunity(communityId, userId);
        Beneficiaries.Beneficiary b = payouts.currentBeneficiary(communityId, role, userId)
                .orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "Not found",
                        "no beneficiary for '" + userId + "' as '" + role + "' in '" + communityId + "'", "userId"));
        // The member sees its own account in full; its owner and finance see enough to tell accounts apart.
        return userId.equals(caller.subject()) ? b : masked(b);
    }

    /**
     * The account number but its last 4 digits, and a UPI id but its first 2 characters and its handle, as X; without the
     * beneficiary's ids, which are digests of the full details (with the name, IFSC and last 4 digits shown, the rest of a
     * 12-digit account number would be found by trying 10^8 of them: review s15).
     */
    static Beneficiaries.Beneficiary masked(Beneficiaries.Beneficiary b) {
        String account = b.bankAccountNumber() == null ? null
                : "X".repeat(b.bankAccountNumber().length() - 4) + b.bankAccountNumber().substring(b.bankAccountNumber().length() - 4);
        String vpa = null;
        if (b.vpa() != null) {
            int at = b.vpa().indexOf('@');
            vpa = b.vpa().substring(0, 2) + "X".repeat(at - 2) + b.vpa().substring(at);
        }
        return new Beneficiaries.Beneficiary(null, b.communityId(), b.role(), b.userId(), b.name(), b.kind(), account,
                b.bankIfsc(), vpa, b.registeredAt(), null, b.payableFrom(), b.createdBy(), b.createdAt());
    }

    /**
     * Sets a member's beneficiary (bank account + IFSC, or UPI VPA); the member itself or its community's
     * owner. Registered with Cashfree at the first payout. Payable at once only when it is the member's first
     * and the member set it; a change, or one the owner set, is paid only from {@code payableFrom} (the
     * community's cooling-off) and is logged and counted (one the owner set is also paid only with a finance
     * approver's approval, Settlements); a change's audit entry carries the digest of the beneficiary it replaced.
     * The database writes the member a notice of it (changeset 129), which the member finds on its page or at
     * GET /api/v1/me/notices; nothing is sent to it (no e-mail or SMS provider yet).
     */
    @PutMapping(path = "/beneficiaries", produces = MediaType.APPLICATION_JSON_VALUE)
    public Beneficiaries.Beneficiary beneficiary(@RequestBody(required = false) BeneficiaryInput in,
                                                    jakarta.servlet.http.HttpServletRequest request) {
        Caller caller = Caller.current();
        String who = caller.subject();
        if (in == null) throw ApiProblem.invalid(null, "a JSON body is required");
        member(in.communityId(), in.role(), in.userId());
        caller.requireMemberOrCommunity(in.communityId(), in.userId());
        String why = Beneficiaries.invalidBeneficiary(in.name(), in.bankAccountNumber(), in.ifsc(), in.vpa());
        if (why != null) throw ApiProblem.unprocessable(why.substring(0, why.indexOf(':') > 0 ? why.indexOf(':') : why.length()), why);
        var before = payouts.currentBeneficiary(in.communityId(), in.role(), in.userId());
        before.ifPresent(b -> request.setAttribute(com.commdesk.api.web.AuditTrail.BEFORE_DIGEST,
                com.commdesk.api.web.AuditTrail.sha256(b.beneficiaryId())));
        var saved = payouts.saveBeneficiary(in.communityId(), in.role(), in.userId(), in.name(), in.bankAccountNumber(), in.ifsc(), in.vpa(), who);
        boolean isNew = before.isEmpty() || !before.get().beneficiaryId().equals(saved.beneficiaryId());
        if (saved.payableFrom() != null && isNew) {
            // A changed payout destination, or one set by someone other than the member (the standard account-takeover
            // signal): held for the cooling-off, the member may replace it meanwhile. Ops see this line and the counter; the
            // member finds the notice the database wrote with the account (changeset 129) when it looks.
            log.warn("beneficiary of member {} in {} {} by {}: payouts held until {}", in.userId(), in.communityId(),
                    before.isPresent() ? "changed" : "set", who, saved.payableFrom());
            beneficiaryChanges.increment();
        }
        return saved;
    }

    /** Payouts awaiting a decision, grouped by recipient. */
    @GetMapping(path = "/payouts/pending", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<FinanceResolutions.RecipientGroup> pending(@RequestParam(required = false) String communityId,
                                                         @RequestParam(defaultValue = "500") int limit) {
        if (limit < 1 || limit > 5000) throw ApiProblem.invalid("limit", "limit must be 1..5000");
        return payouts.pendingByRecipient(communityId, limit);
    }

    public record PayoutView(Payout payout, List<PayoutEvents.PayoutEvent> events) {}

    @GetMapping(path = "/payouts/{payoutId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public PayoutView payout(@PathVariable String payoutId) {
        Payout p = find(payoutId);
        Caller caller = Caller.current();
        caller.requireMemberOrCommunity(p.communityId(), p.userId());
        List<PayoutEvents.PayoutEvent> events = payouts.events(payoutId);
        if (!seesBeneficiaryIds(p, caller)) {
            events = events.stream().map(e -> new PayoutEvents.PayoutEvent(e.status(), e.actor(), withoutBeneficiaryIds(e.detail()), e.at()))
                    .toList();
        }
        return new PayoutView(shown(p, caller), events);
    }

    /** The member itself and finance; not its community's owner. */
    private static boolean seesBeneficiaryIds(Payout p, Caller caller) {
        return p.userId().equals(caller.subject()) || caller.has(com.commdesk.api.web.Role.FINANCE_APPROVER)
                || caller.has(com.commdesk.api.web.Role.FINANCE_VIEWER);
    }

    /** Beneficiary ids as the payout activities write them into a payout's reason and events ("bene_" and 40 hex digits). */
    private static final Pattern BENEFICIARY_ID = Pattern.compile("bene_[0-9a-f]{40}");

    static String withoutBeneficiaryIds(String text) {
        return text == null ? null : BENEFICIARY_ID.matcher(text).replaceAll("bene_(hidden)");
    }

    /**
     * The payout as the caller may see it: its beneficiary id is a digest of the member's full account details (with the
     * masked view's name, IFSC and last 4 digits, the hidden digits could be found by trying them: review s15), so only
     * the member and finance see it.
     */
    static Payout shown(Payout p, Caller caller) {
        if (seesBeneficiaryIds(p, caller)) return p;
        return new Payout(p.payoutId(), p.settlementId(), p.communityId(), p.role(), p.userId(), null, p.amountPaise(), p.requestedBy(),
                p.status(), p.needsApproval(), p.flaggedReason(), p.decidedBy(), p.transferRequestedAt(), p.cfTransferId(),
                p.cashfreeStatus(), withoutBeneficiaryIds(p.reason()), p.createdAt(), p.paidAt(), p.flagGeneration(), p.bankUtr());
    }

    /**
     * {@code flagGenerations}: per payout id, the {@code flagGeneration} the approver's list showed (optional, for API
     * clients; the dashboard approves one payout at a time and sends its generation there). A payout flagged since is
     * skipped, not approved (review P7).
     */
    public record BulkApproval(List<String> payoutIds, String note, Map<String, Integer> flagGenerations) {}

    public record Outcome(String payoutId, String result, String detail) {}

    /**
     * Approves each payout that awaits approval, is not flagged, and was not requested by the caller.
     * Each id gets its own outcome (approved / skipped with why); the call itself succeeds.
     */
    @PostMapping(path = "/payouts/approve", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Outcome> approve(@RequestBody(required = false) BulkApproval body) {
        Caller caller = Caller.current();
        String who = caller.subject();
        if (body == null || body.payoutIds() == null || body.payoutIds().isEmpty() || body.payoutIds().size() > MAX_BULK) {
            throw ApiProblem.invalid("payoutIds", "payoutIds: 1.." + MAX_BULK + " payout ids");
        }
        // Checked before anything is signalled: a bad entry must not leave part of the batch approved behind a 400.
        for (String id : body.payoutIds()) {
            if (id == null || !ID.matcher(id).matches()) throw ApiProblem.invalid("payoutIds", "payoutIds: each must be a payout id");
        }
        note(body.note());
        if (body.flagGenerations() != null) {
            body.flagGenerations().forEach((id, generation) -> {
                if (generation == null || generation < 0) throw ApiProblem.invalid("flagGenerations", "flagGenerations: each must be >= 0");
            });
        }
        List<Outcome> out = new ArrayList<>();
        for (String id : new java.util.LinkedHashSet<>(body.payoutIds())) {
            Payout p = payouts.payout(id).orElse(null);
            if (p == null) out.add(new Outcome(id, "skipped", "no such payout"));
            else if (!"PENDING_APPROVAL".equals(p.status())) out.add(new Outcome(id, "skipped", "payout is " + p.status()));
            else if (caller.isSamePerson(p.requestedBy())) out.add(new Outcome(id, "skipped", "four eyes: you requested this payout"));
            else if (caller.isSamePerson(p.userId())) out.add(new Outcome(id, "skipped", "four eyes: this payout is to you"));
            else if (p.flaggedReason() != null) out.add(new Outcome(id, "skipped", "flagged for investigation: " + p.flaggedReason()
                    + " (approve it on its own)"));
            else if (changedSinceSeen(body.flagGenerations() == null ? null : body.flagGenerations().get(id), p)) {
                out.add(new Outcome(id, "skipped", changedSince(body.flagGenerations().get(id), p)));
            }
            else {
                try {
                    signal(id).approve(new PayoutDecision(who, body.note(), p.flagGeneration()));
                    out.add(new Outcome(id, "approved", null));
                } catch (io.temporal.client.WorkflowNotFoundException ended) {
                    out.add(new Outcome(id, "skipped", "its payout workflow has ended"));
                } catch (RuntimeException unconfirmed) {
                    // The ids before it were signalled: answered per id (and audited) rather than as one failure for all.
                    // Temporal may have taken this one; approving it again is harmless (one approval per person counts).
                    log.warn("bulk approval of payout {} by {} not confirmed by Temporal", id, who, unconfirmed);
                    out.add(new Outcome(id, "unconfirmed", "the approval was not confirmed (" + unconfirmed.getClass().getSimpleName()
                            + ", logged); approve it again"));
                }
            }
        }
        return out;
    }

    /**
     * {@code flagGeneration}: the payout's {@code flagGeneration} as the approver saw it (GET or the pending list), like an
     * If-Match: when the payout was flagged since, the approval is refused (409) and nothing is signalled (review
     * P7). Optional for API clients (then: as the API reads it now); the dashboard always sends it.
     */
    public record Decision(String note, Integer flagGeneration) {}

    /** Approves one payout, flagged or not (still four eyes). */
    @PostMapping(path = "/payouts/{payoutId}/approve")
    public ResponseEntity<?> approveOne(@PathVariable String payoutId, @RequestBody(required = false) Decision d) {
        String who = Caller.current().subject();
        String note = d == null ? null : note(d.note()); // checked before the payout is read
        Payout p = awaitingDecision(payoutId);
        Integer seen = d == null ? null : d.flagGeneration();
        if (changedSinceSeen(seen, p)) throw new ApiProblem(HttpStatus.CONFLICT, "Changed since you looked", changedSince(seen, p), null);
        // The flags this approver saw: a flag raised after this read makes the approval not count (docs/payouts.md).
        signal(p.payoutId()).approve(new PayoutDecision(who, note, p.flagGeneration()));
        return ResponseEntity.accepted().body(Map.of("payoutId", payoutId, "signal", "approve"));
    }

    @PostMapping(path = "/payouts/{payoutId}/reject")
    public ResponseEntity<?> reject(@PathVariable String payoutId, @RequestBody(required = false) Decision d) {
        String who = Caller.current().subject();
        if (d == null || d.note() == null || d.note().isBlank()) throw ApiProblem.invalid("note", "a rejection needs a note (the reason)");
        note(d.note());
        Payout p = awaitingDecision(payoutId);
        signal(p.payoutId()).reject(new PayoutDecision(who, d.note(), p.flagGeneration()));
        return ResponseEntity.accepted().body(Map.of("payoutId", payoutId, "signal", "reject"));
    }

    public record Flag(String reason) {}

    /**
     * Flags a payout that has not been sent for investigation: bulk approval skips it, and its transfer
     * waits for an individual approval (one given before the flag no longer counts).
     */
    @PostMapping(path = "/payouts/{payoutId}/flag")
    public ResponseEntity<?> flag(@PathVariable String payoutId, @RequestBody(required = false) Flag f) {
        String who = Caller.current().subject();
        if (f == null || f.reason() == null || f.reason().isBlank() || f.reason().length() > 500) {
            throw ApiProblem.invalid("reason", "reason is required (at most 500)");
        }
        find(payoutId);
        if (!payouts.flagPayout(payoutId, f.reason(), who)) {
            throw new ApiProblem(HttpStatus.CONFLICT, "Too late", "payout " + payoutId + " has been sent (or has ended)", null);
        }
        return ResponseEntity.ok(Map.of("payoutId", payoutId, "flagged", f.reason()));
    }

    /** Payouts whose transfer outcome stayed unknown (money locked), oldest first: finance must resolve them. */
    @GetMapping(path = "/payouts/attention", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Payout> attention(@RequestParam(required = false) String communityId, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) throw ApiProblem.invalid("limit", "limit must be 1..1000");
        return payouts.needingAttention(communityId, limit);
    }

    /**
     * The late-answer sweep's candidates (docs/payouts.md, "Backstop sweep"), oldest change first: PAID payouts whose
     * recorded Cashfree answer says the money came back (REVERSED, or FAILED/REJECTED for one paid on finance's word alone)
     * and nothing posted it. The sweep posts one once its workflow has ended, only in {@code post} mode; in {@code list}
     * mode (the default) this is what it would post: review it before setting {@code PAYOUTS_LATE_SWEEP_MODE=post}.
     */
    @GetMapping(path = "/payouts/late-returns", produces = MediaType.APPLICATION_JSON_VALUE)
    public LateReturns lateReturns(@RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String after) {
        if (limit < 1 || limit > 1000) throw ApiProblem.invalid("limit", "limit must be 1..1000");
        OffsetDateTime afterChange = null;
        String afterId = null;
        Long counted = null;
        if (after != null && !after.isBlank()) {
            // The cursor is the sweep's own keyset (last change, payout id), as this endpoint gave it in "next", and the total
            // counted with the first page (a cursor of two parts, given before the total went with it, is counted again).
            try {
                String[] key = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8).split(" ", 3);
                afterChange = OffsetDateTime.parse(key[0]);
                afterId = key[1];
                if (key.length == 3) counted = Long.parseLong(key[2]);
            } catch (RuntimeException e) {
                throw ApiProblem.invalid("after", "after must be the \"next\" of an earlier page");
            }
            if (!ID.matcher(afterId).matches() || (counted != null && counted < 0)) {
                throw ApiProblem.invalid("after", "after must be the \"next\" of an earlier page");
            }
        }
        // Counted once per listing, with its first page: the count reads every PAID payout, so counting it for every page made
        // reading all the candidates cost a full count per page (issue 10).
        long total = counted != null ? counted : payouts.unpostedReturnsCount();
        var page = payouts.unpostedReturns(afterChange, afterId, limit);
        String next = null;
        if (page.size() == limit) {
            var last = page.get(page.size() - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString((last.updatedAt() + " " + last.payout().payoutId() + " "
                    + total).getBytes(StandardCharsets.UTF_8));
        }
        return new LateReturns(total, page.stream().map(c -> new LateReturn(c.payout(), c.updatedAt(), c.paidOnFinanceWord(),
                c.cashfreeSuccessAt())).toList(), next);
    }

    /**
     * One page of the late-answer sweep's candidates (review M-5): {@code total} in all, counted once with the first page and
     * carried in {@code next} to the pages after it (a candidate added or posted meanwhile is not in it; a new listing counts
     * again), {@code next} the cursor of the next page ({@code after}), null on the last.
     */
    public record LateReturns(long total, List<LateReturn> candidates, String next) {}

    /**
     * A candidate and what returning its money rests on: paid on finance's word alone or on Cashfree's SUCCESS
     * ({@code cashfreeSuccessAt}, null if Cashfree never said it), the bank's reference ({@code payout.bankUtr}).
     */
    public record LateReturn(Payout payout, OffsetDateTime lastChangeAt, boolean paidOnFinanceWord, OffsetDateTime cashfreeSuccessAt) {}

    public record Resolve(String outcome, String note) {}

    /**
     * Resolves a NEEDS_ATTENTION payout after checking with Cashfree or the bank: {@code PAID} (one
     * person; it releases no money) or {@code FAILED} (returns the money to the member, so two people:
     * the first call records the request, 202; a second by someone else confirms it, 200; the requester
     * repeating it is answered as it stands, 202, still waiting for someone else). Neither the payout's recipient nor, for
     * FAILED, the settlement's requester may take part (403, review M-4). The payout's workflow acts on it; a payout the
     * ledger holds is settled by the ledger at once ({@link PayoutRepository#settleHeld}, review M-3).
     */
    @PostMapping(path = "/payouts/{payoutId}/resolve", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> resolve(@PathVariable String payoutId, @RequestBody(required = false) Resolve body) {
        String who = Caller.current().subject();
        if (body == null || body.outcome() == null || !List.of("PAID", "FAILED").contains(body.outcome())) {
            throw ApiProblem.invalid("outcome", "outcome must be PAID or FAILED");
        }
        if (body.note() == null || body.note().isBlank() || body.note().length() > 500) {
            throw ApiProblem.invalid("note", "note is required (what Cashfree or the bank showed; at most 500)");
        }
        Payout p = find(payoutId);
        Caller caller = Caller.current();
        // Four eyes exclude the beneficiary (review M-4): the recipient never resolves their own payout (PayoutRepository.resolve
        // refuses it, FourEyes → 403 below, and the database too, changeset 107), and the settlement's requester never takes
        // part in returning its money, as in approvals (checked here only, as docs/payouts.md says).
        if ("FAILED".equals(body.outcome()) && caller.isSamePerson(p.requestedBy())) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Four eyes", "you requested payout " + payoutId
                    + "'s settlement; other finance users must resolve it FAILED", null);
        }
        FinanceResolutions.Resolution r;
        try {
            r = payouts.resolve(payoutId, body.outcome(), who, body.note());
        } catch (FinanceResolutions.FourEyes e) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Four eyes", e.getMessage(), null);
        } catch (IllegalStateException e) {
            throw new ApiProblem(HttpStatus.CONFLICT, "Wrong stage", e.getMessage(), null);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("payoutId", payoutId);
        out.put("resolution", r);
        if (!r.ready()) {
            out.put("next", "another finance user must confirm FAILED");
            return ResponseEntity.accepted().body(out);
        }
        if (payouts.heldByLedger(payoutId)) {
            // Held by the ledger (Cashfree contradicted itself after the workflow's end, or as it was ending): no workflow acts
            // on this resolution, even one whose last task has not completed yet and still takes the signal (review M-3),
            // so the ledger acts on it now, whether or not a workflow answers. settleHeld is idempotent under the row lock.
            return settled(payoutId, out);
        }
        try {
            signal(payoutId).resolve(new com.commdesk.workflows.payout.PayoutTypes.PayoutResolution(r.outcome(), r.requestedBy(),
                    r.confirmedBy(), body.note()));
        } catch (io.temporal.client.WorkflowNotFoundException ended) {
            // Ended without a ledger hold (a hold written since the check above is settled here too).
            return settled(payoutId, out);
        }
        return ResponseEntity.ok(out);
    }

    /** The ledger acts on a ready resolution of a payout it holds ({@link PayoutRepository#settleHeld}); 409 if it cannot. */
    private ResponseEntity<?> settled(String payoutId, Map<String, Object> out) {
        java.util.Optional<String> settled;
        try {
            settled = payouts.settleHeld(payoutId);
        } catch (IllegalStateException e) {
            throw new ApiProblem(HttpStatus.CONFLICT, "Cannot post", e.getMessage(), null);
        }
        if (settled.isPresent()) {
            out.put("status", settled.get());
            return ResponseEntity.ok(out);
        }
        // The resolution is recorded (and audited) but nothing can act on it: say so, never a 500.
        throw new ApiProblem(HttpStatus.CONFLICT, "Payout workflow ended", "payout " + payoutId + "'s workflow has ended; the"
                + " resolution was recorded but moves no money: use the payout's audit trail and the ledger to settle it", null);
    }

    public record RecipientFlag(String communityId, String role, String userId, String reason) {}

    /** Flags a recipient: their future payouts need an approval until the flag is cleared. */
    @PostMapping(path = "/recipients/flag")
    public ResponseEntity<?> flagRecipient(@RequestBody(required = false) RecipientFlag f) {
        String who = Caller.current().subject();
        if (f == null) throw ApiProblem.invalid(null, "a JSON body is required");
        member(f.communityId(), f.role(), f.userId());
        if (f.reason() == null || f.reason().isBlank() || f.reason().length() > 500) throw ApiProblem.invalid("reason", "reason is required");
        payouts.flagRecipient(f.communityId(), f.role(), f.userId(), f.reason(), who);
        return ResponseEntity.status(HttpStatus.CREATED).body(f);
    }

    public record ManualSettlement(String communityId) {}

    /** Starts a settlement now (MANUAL communities, or an extra cycle); the caller is its requester. */
    @PostMapping(path = "/settlements", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> settle(@RequestBody(required = false) ManualSettlement body) {
        Caller caller = Caller.current();
        String who = caller.subject();
        if (body == null || body.communityId() == null) throw ApiProblem.unprocessable("communityId", "communityId is required");
        caller.requireCommunity(body.communityId());
        if (payouts.policy(body.communityId()).isEmpty()) {
            throw ApiProblem.unprocessable("communityId", "communityId must name an existing community");
        }
        long now = clock.millis();
        String id = "stl_" + body.communityId() + "_manual_" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                .format(Instant.ofEpochMilli(now).atZone(com.commdesk.fees.IndiaTime.ZONE));
        SettlementWorkflow wf = workflows.newWorkflowStub(SettlementWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(id)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE).build());
        try {
            WorkflowClient.start(wf::settle, new SettlementRequest(id, body.communityId(), "MANUAL", now, who));
        } catch (WorkflowExecutionAlreadyStarted e) {
            throw new ApiProblem(HttpStatus.CONFLICT, "Already started", "settlement " + id + " is already running", null);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("settlementId", id);
        r.put("requestedBy", who);
        return ResponseEntity.accepted().body(r);
    }

    public record SettlementView(Settlements.Settlement settlement, List<Payout> payouts) {}

    @GetMapping(path = "/settlements/{settlementId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public SettlementView settlement(@PathVariable String settlementId) {
        var s = payouts.settlement(settlementId).orElseThrow(() ->
                new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no settlement '" + settlementId + "'", "settlementId"));
        Caller caller = Caller.current();
        caller.requireCommunity(s.communityId());
        return new SettlementView(s, payouts.payoutsOf(settlementId).stream().map(p -> shown(p, caller)).toList());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The approver saw an older (or another) flag generation than the payout's now: flagged since. */
    private static boolean changedSinceSeen(Integer seen, Payout p) {
        if (seen == null) return false;
        if (seen < 0) throw ApiProblem.invalid("flagGeneration", "flagGeneration must be >= 0");
        return seen.intValue() != p.flagGeneration();
    }

    private static String changedSince(Integer seen, Payout p) {
        return "payout " + p.payoutId() + " was flagged since you looked (flag generation " + seen + ", now "
                + p.flagGeneration() + (p.flaggedReason() == null ? "" : ", flagged: " + p.flaggedReason())
                + "); look at it again before approving";
    }

    private Payout awaitingDecision(String payoutId) {
        Payout p = find(payoutId);
        Caller caller = Caller.current();
        if (caller.isSamePerson(p.requestedBy())) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Four eyes", "you requested payout " + payoutId + "; another approver must decide", null);
        }
        if (caller.isSamePerson(p.userId())) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Four eyes", "payout " + payoutId + " is to you; another approver must decide", null);
        }
        PayoutStage stage = signal(payoutId).status().stage();
        if (stage != PayoutStage.AWAITING_APPROVAL) {
            throw new ApiProblem(HttpStatus.CONFLICT, "Wrong stage", "payout " + payoutId + " is " + stage + ", not AWAITING_APPROVAL", null);
        }
        return p;
    }

    static final int MAX_NOTE = 500;

    /**
     * A decision's note as the payout workflow can store it (its decision activity writes it): at most {@value #MAX_NOTE}
     * characters and no NUL, which PostgreSQL's text cannot hold; checked before anything is read or signalled.
     */
    private static String note(String note) {
        if (note != null && (note.length() > MAX_NOTE || note.indexOf('\0') >= 0)) {
            throw ApiProblem.invalid("note", "note: at most " + MAX_NOTE + " characters, and no NUL");
        }
        return note;
    }

    private PayoutWorkflow signal(String payoutId) {
        return workflows.newWorkflowStub(PayoutWorkflow.class, payoutId);
    }

    private Payout find(String payoutId) {
        if (payoutId == null || !ID.matcher(payoutId).matches()) throw ApiProblem.invalid("payoutId", "not a payout id");
        return payouts.payout(payoutId).orElseThrow(() ->
                new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no payout '" + payoutId + "'", "payoutId"));
    }

    private static void member(String communityId, String role, String userId) {
        if (communityId == null || !ID.matcher(communityId).matches()) throw ApiProblem.invalid("communityId", "communityId is required");
        if (role == null || !ID.matcher(role).matches()) throw ApiProblem.invalid("role", "role is required");
        if (userId == null || !ID.matcher(userId).matches()) throw ApiProblem.invalid("userId", "userId is required");
    }

}
