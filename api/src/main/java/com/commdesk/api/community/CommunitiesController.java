package com.commdesk.api.community;

import com.commdesk.api.rules.RoleInput;
import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;
import com.commdesk.api.web.IdempotentWrites;
import com.commdesk.api.web.Role;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.community.CommunityOnboarding;
import com.commdesk.ledger.community.CommunityOnboarding.Agreement;
import com.commdesk.ledger.community.CommunityOnboarding.Community;
import com.commdesk.ledger.community.CommunityOnboarding.Settings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Community onboarding (docs/communities.md): a platform admin creates a community; the admin or the
 * community's owner configures it and changes its split by adding an effective-dated agreement
 * version. Owners may change only name, payout cycle and minimum payout of the settings; tier, hold
 * period, tax status, fraud thresholds and the cooling-off are the platform's. Every write takes an
 * Idempotency-Key and is audited.
 */
@RestController
@RequestMapping("/api/v1/communities")
public class CommunitiesController {
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{1,63}");
    static final Pattern STATE = Pattern.compile("[A-Z]{2}");
    static final Pattern GSTIN = Pattern.compile("[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]");
    static final List<String> CYCLES = List.of("INSTANT", "DAILY", "WEEKLY", "MANUAL");
    static final List<String> PAN = List.of("VERIFIED", "MISSING");
    static final int MAX_SOURCE_TYPES = 50;
    static final Pattern SOURCE_TYPE = com.commdesk.api.payment.PaymentsController.SOURCE_TYPE;
    /** An agreement may start at most this long before the request (clock skew), never further back. */
    static final Duration BACKDATING_TOLERANCE = Duration.ofMinutes(1);

    private final CommunityOnboarding onboarding;
    private final IdempotentWrites idempotent;
    private final Clock clock = Clock.systemUTC();

    public CommunitiesController(CommunityOnboarding onboarding, IdempotentWrites idempotent) {
        this.onboarding = onboarding;
        this.idempotent = idempotent;
    }

    public record Fraud(Long maxPaymentPaise, Integer velocityFloor, Integer velocityMultiplier) {}

    /**
     * Create and settings body; {@code communityId} only on create. Defaults: tier STANDARD, hold 7 days, DAILY, Rs 100, 24 h.
     * {@code sourceTypes}: the revenue sources the community offers (a payment of another is refused); absent on create or
     * empty = every source type, absent on update = unchanged.
     */
    public record CommunityInput(String communityId, String name, String tier, String supplierState, String gstin, String panStatus,
                                 Integer holdDays, String payoutCycle, Long minPayoutPaise, Fraud fraud, Integer beneficiaryCoolingOffHours,
                                 List<String> sourceTypes) {}

    /** {@code sourceTypes} null: the community offers every source type. */
    public record CommunityView(String communityId, String name, String tier, String supplierState, String gstin, String panStatus,
                                int holdDays, String payoutCycle, long minPayoutPaise, Fraud fraud, int beneficiaryCoolingOffHours,
                                List<String> sourceTypes, String createdBy, Instant createdAt, AgreementView currentAgreement) {}

    public record AgreementInput(Instant effectiveFrom, List<RoleInput> roles, String note) {}

    public record AgreementView(String communityId, int version, Instant effectiveFrom, List<RoleSplit> roles, String note,
                                String createdBy, Instant createdAt) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> create(@RequestHeader(name = IdempotentWrites.HEADER, required = false) String key,
                                         @RequestBody(required = false) CommunityInput body) {
        if (body == null) throw ApiProblem.invalid(null, "a JSON request body is required");
        String id = body.communityId();
        if (id == null || !ID.matcher(id).matches()) {
            throw ApiProblem.invalid("communityId", "communityId must be 2-64 of a-z 0-9 _ - starting with a letter or digit");
        }
        Settings settings = settings(body, null);
        return idempotent.run(key, "POST /api/v1/communities", body, () -> {
            Community c = translate(() -> onboarding.create(id, settings, Caller.current().subject()));
            return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/communities/" + id)).body(view(c));
        });
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public List<CommunityView> list() {
        var scope = Caller.current().communityScope();
        return onboarding.list(scope).stream().map(this::view).toList();
    }

    @GetMapping(path = "/{communityId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public CommunityView get(@PathVariable String communityId) {
        Caller.current().requireCommunity(communityId);
        return view(find(communityId));
    }

    @PutMapping(path = "/{communityId}", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> update(@PathVariable String communityId,
                                         @RequestHeader(name = IdempotentWrites.HEADER, required = false) String key,
                                         @RequestBody(required = false) CommunityInput body) {
        Caller caller = Caller.current();
        caller.requireCommunity(communityId);
        if (body == null) throw ApiProblem.invalid(null, "a JSON request body is required");
        if (body.communityId() != null && !body.communityId().equals(communityId)) {
            throw ApiProblem.invalid("communityId", "the body's communityId differs from the path's");
        }
        Community current = find(communityId);
        Settings next = settings(body, current.settings());
        if (!caller.has(Role.PLATFORM_ADMIN)) requireOwnerMayChange(current.settings(), next);
        return idempotent.run(key, "PUT /api/v1/communities/" + communityId, body,
                () -> ResponseEntity.ok(view(translate(() -> onboarding.update(communityId, next)))));
    }

    @PostMapping(path = "/{communityId}/split-agreements", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> addAgreement(@PathVariable String communityId,
                                               @RequestHeader(name = IdempotentWrites.HEADER, required = false) String key,
                                               @RequestBody(required = false) AgreementInput body) {
        Caller.current().requireCommunity(communityId);
        find(communityId);
        if (body == null) throw ApiProblem.invalid(null, "a JSON request body is required");
        if (body.effectiveFrom() == null) throw ApiProblem.invalid("effectiveFrom", "effectiveFrom is required (an ISO-8601 instant)");
        if (body.effectiveFrom().isBefore(clock.instant().minus(BACKDATING_TOLERANCE))) {
            throw ApiProblem.unprocessable("effectiveFrom", "effectiveFrom is in the past: an agreement applies from now on, never to payments already made");
        }
        if (body.roles() == null || body.roles().isEmpty()) throw ApiProblem.invalid("roles", "roles are required");
        if (body.note() != null && body.note().length() > 500) throw ApiProblem.invalid("note", "note is at most 500 characters");
        List<RoleSplit> roles = RoleInput.toSplits(body.roles(), "roles");
        SplitEngine.compile(roles); // shares total exactly 10000 bps, members valid: 422 naming "roles[i]…" otherwise
        return idempotent.run(key, "POST /api/v1/communities/" + communityId + "/split-agreements", body, () -> {
            Agreement a = translate(() -> onboarding.addAgreement(communityId, body.effectiveFrom(), roles, body.note(),
                    Caller.current().subject()));
            return ResponseEntity.status(HttpStatus.CREATED)
                    .location(URI.create("/api/v1/communities/" + communityId + "/split-agreements/" + a.version())).body(view(a));
        });
    }

    /** Every version, oldest first: who changed what, and from when. */
    @GetMapping(path = "/{communityId}/split-agreements", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<AgreementView> agreements(@PathVariable String communityId) {
        Caller.current().requireCommunity(communityId);
        find(communityId);
        return onboarding.agreements(communityId).stream().map(CommunitiesController::view).toList();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private Community find(String communityId) {
        if (communityId == null || !ID.matcher(communityId).matches()) throw ApiProblem.invalid("communityId", "not a community id");
        return onboarding.find(communityId).orElseThrow(() ->
                new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "no community '" + communityId + "'", "communityId"));
    }

    private static <T> T translate(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (CommunityOnboarding.Conflict e) {
            throw e.notFound ? new ApiProblem(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), "communityId")
                    : new ApiProblem(HttpStatus.CONFLICT, "Exists", e.getMessage(), "communityId");
        }
    }

    /** The settings from a body, each missing field taken from {@code base} (or the defaults on create). */
    static Settings settings(CommunityInput b, Settings base) {
        String name = b.name() != null ? b.name().strip() : base == null ? null : base.name();
        if (name == null || name.isEmpty() || name.length() > 200) throw ApiProblem.invalid("name", "name is required (1-200 characters)");
        String tier = b.tier() != null ? b.tier() : base == null ? "STANDARD" : base.tier();
        if (!tier.matches("[A-Z][A-Z0-9_]{0,31}")) throw ApiProblem.invalid("tier", "tier must be 1-32 of A-Z 0-9 _ (e.g. STANDARD)");
        String state = b.supplierState() != null ? b.supplierState() : base == null ? null : base.supplierState();
        if (state == null || !STATE.matcher(state).matches()) {
            throw ApiProblem.invalid("supplierState", "supplierState is the supplier's two-letter GST state code (e.g. KA)");
        }
        String gstin = b.gstin() != null ? b.gstin() : base == null ? null : base.gstin();
        if (gstin != null && !GSTIN.matcher(gstin).matches()) throw ApiProblem.invalid("gstin", "gstin is not a valid GSTIN (15 characters)");
        String pan = b.panStatus() != null ? b.panStatus() : base == null ? null : base.panStatus();
        if (pan == null || !PAN.contains(pan)) {
            throw ApiProblem.invalid("panStatus", "panStatus is VERIFIED or MISSING (without a PAN, TDS 194-O is 5 %)");
        }
        int hold = b.holdDays() != null ? b.holdDays() : base == null ? 7 : base.holdDays();
        if (hold < 0 || hold > 180) throw ApiProblem.invalid("holdDays", "holdDays must be 0..180");
        String cycle = b.payoutCycle() != null ? b.payoutCycle() : base == null ? "DAILY" : base.payoutPolicy();
        if (!CYCLES.contains(cycle)) throw ApiProblem.invalid("payoutCycle", "payoutCycle must be one of " + CYCLES);
        long min = b.minPayoutPaise() != null ? b.minPayoutPaise() : base == null ? 10_000 : base.minPayoutPaise();
        if (min < 0 || min > 100_000_000_00L) throw ApiProblem.invalid("minPayoutPaise", "minPayoutPaise must be 0..10000000000");
        Fraud f = b.fraud();
        Long cap = f != null && f.maxPaymentPaise() != null ? f.maxPaymentPaise() : base == null ? null : base.fraudMaxPaymentPaise();
        Integer floor = f != null && f.velocityFloor() != null ? f.velocityFloor() : base == null ? null : base.fraudVelocityFloor();
        Integer mult = f != null && f.velocityMultiplier() != null ? f.velocityMultiplier() : base == null ? null : base.fraudVelocityMultiplier();
        if (cap != null && cap <= 0) throw ApiProblem.invalid("fraud.maxPaymentPaise", "fraud.maxPaymentPaise must be positive");
        if (floor != null && (floor < 1 || floor > 1_000_000)) throw ApiProblem.invalid("fraud.velocityFloor", "fraud.velocityFloor must be 1..1000000");
        if (mult != null && (mult < 1 || mult > 1000)) throw ApiProblem.invalid("fraud.velocityMultiplier", "fraud.velocityMultiplier must be 1..1000");
        int cooling = b.beneficiaryCoolingOffHours() != null ? b.beneficiaryCoolingOffHours() : base == null ? 24 : base.beneficiaryCoolingOffHours();
        if (cooling < 0 || cooling > 720) throw ApiProblem.invalid("beneficiaryCoolingOffHours", "beneficiaryCoolingOffHours must be 0..720");
        return new Settings(name, tier, state, gstin, pan, hold, cycle, min, cap, floor, mult, cooling,
                b.sourceTypes() != null ? sourceTypes(b.sourceTypes()) : base == null ? null : base.sourceTypes());
    }

    /** Upper-cased, each as a payment's sourceType is spelled, no repeats; empty = every source type (null). */
    static List<String> sourceTypes(List<String> given) {
        if (given.size() > MAX_SOURCE_TYPES) throw ApiProblem.invalid("sourceTypes", "sourceTypes has more than " + MAX_SOURCE_TYPES + " entries");
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String t = given.get(i) == null ? "" : given.get(i).strip().toUpperCase(java.util.Locale.ROOT);
            if (!SOURCE_TYPE.matcher(t).matches()) {
                throw ApiProblem.invalid("sourceTypes[" + i + "]", "a source type is 2-32 of A-Z 0-9 _ (e.g. EVENT, SPONSOR)");
            }
            out.add(t);
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    /** An owner changes its community's name, payout cycle and minimum payout; the rest is the platform's. */
    static void requireOwnerMayChange(Settings current, Settings next) {
        boolean platformFieldsSame = Objects.equals(current.tier(), next.tier()) && Objects.equals(current.supplierState(), next.supplierState())
                && Objects.equals(current.gstin(), next.gstin()) && Objects.equals(current.panStatus(), next.panStatus())
                && current.holdDays() == next.holdDays() && Objects.equals(current.fraudMaxPaymentPaise(), next.fraudMaxPaymentPaise())
                && Objects.equals(current.fraudVelocityFloor(), next.fraudVelocityFloor())
                && Objects.equals(current.fraudVelocityMultiplier(), next.fraudVelocityMultiplier())
                && current.beneficiaryCoolingOffHours() == next.beneficiaryCoolingOffHours();
        if (!platformFieldsSame) {
            throw new AccessDeniedException("only a platform admin changes tier, tax details, hold period, fraud thresholds or cooling-off");
        }
    }

    private CommunityView view(Community c) {
        Settings s = c.settings();
        AgreementView current = onboarding.agreementAt(c.communityId(), clock.instant()).map(CommunitiesController::view).orElse(null);
        return new CommunityView(c.communityId(), s.name(), s.tier(), s.supplierState(), s.gstin(), s.panStatus(), s.holdDays(),
                s.payoutPolicy(), s.minPayoutPaise(), new Fraud(s.fraudMaxPaymentPaise(), s.fraudVelocityFloor(), s.fraudVelocityMultiplier()),
                s.beneficiaryCoolingOffHours(), s.sourceTypes(), c.createdBy(), c.createdAt() == null ? null : c.createdAt().toInstant(), current);
    }

    static AgreementView view(Agreement a) {
        return new AgreementView(a.communityId(), a.version(), a.effectiveFrom(), a.roles(), a.note(), a.createdBy(),
                a.createdAt() == null ? null : a.createdAt().toInstant());
    }
}
