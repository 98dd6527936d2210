package com.commdesk.api.rules;

import com.commdesk.api.payment.PaymentsController;
import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;

import com.commdesk.fees.CompiledFeeSchedule;
import com.commdesk.fees.FeeBearer;
import com.commdesk.fees.FeeBounds;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.GstHeads;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.PlatformFeeGst;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.fees.SplitPlan;
import com.commdesk.fees.rules.CommissionRule;
import com.commdesk.fees.rules.PaymentAttributes;
import com.commdesk.fees.rules.RuleExplanation;
import com.commdesk.fees.rules.RuleSelection;
import com.commdesk.ledger.CommunityConfig;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.rules.CommissionRuleRepository;
import com.commdesk.ledger.rules.FeeBoundsRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /api/v1/fee-quotes: what a payment would cost — now, or under the rules of any instant, with any
 * attributes — and which rule would price it and why not the others, without writing anything
 * (docs/rules.md, "Quote API"). The schedule is the inline one, else the stored rule selected at
 * {@code at}, else the default preset; the roles are the inline ones, else the rule's, else the
 * community's, else none. Every schedule used is checked against the platform-wide fee bounds.
 */
@RestController
@RequestMapping("/api/v1/fee-quotes")
public class FeeQuotesController {
    static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Kolkata");
    /** At most this many rules are explained in one response; the rest are counted in omittedCandidates. */
    static final int MAX_EXPLAINED = 200;

    private final CommissionRuleRepository rules;
    private final CommunityRepository communities;
    private final FeeBoundsRepository bounds;
    private final FeeSchedule defaultSchedule;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    public FeeQuotesController(CommissionRuleRepository rules, CommunityRepository communities, FeeBoundsRepository bounds,
                               FeeSchedule defaultFeeSchedule) {
        this(rules, communities, bounds, defaultFeeSchedule, Clock.systemUTC());
    }

    FeeQuotesController(CommissionRuleRepository rules, CommunityRepository communities, FeeBoundsRepository bounds,
                        FeeSchedule defaultFeeSchedule, Clock clock) {
        this.rules = rules;
        this.communities = communities;
        this.bounds = bounds;
        this.defaultSchedule = defaultFeeSchedule;
        this.clock = clock;
    }

    /**
     * The request. Required: {@code sourceType}, {@code paymentMethod}, and {@code amountPaise} or
     * {@code ticketPricePaise} (or both). Every other field is optional, with these defaults:
     *
     * @param amountPaise      what the customer pays; default: the ticket price plus its convenience fee
     * @param ticketPricePaise the price before any convenience fee; default: {@code amountPaise}. Needed when
     *                         the schedule makes the customer bear a fee
     * @param communityId      default none: no community tier, roles or supplier state
     * @param supplierState    default the community's; a GST state code, GSTIN, name or abbreviation
     * @param placeOfSupply    default none (IGST)
     * @param at               the instant whose rules apply (and whose date in India is paymentDate), an ISO-8601
     *                         date-time with an offset ("2026-11-01T10:00:00Z", "…+05:30"); default now
     * @param metadata         what metadata conditions see, string values only; default {}
     * @param schedule         an inline schedule to try; default the rule selected at {@code at}, else the default preset
     * @param roles            inline roles (a role may have no members: its amount is still shown); default the
     *                         rule's, else the community's, else none
     */
    public record QuoteRequest(Long amountPaise, Long ticketPricePaise, String sourceType, String paymentMethod, String communityId,
                               String supplierState, String placeOfSupply, String at, Map<String, Object> metadata,
                               FeeSchedule schedule, List<RoleInput> roles) {}

    public record MemberAmount(String userId, long amountPaise) {}

    /** @param shareBps PERCENT: the role's share; TIERED: the rate of the band the net fell in; FIXED: 0 */
    public record Share(String role, int shareBps, long amountPaise, List<MemberAmount> members) {}

    /** The platform-wide bounds the schedule was checked against. */
    public record Bounds(int minPlatformFeeBps, int maxPlatformFeeBps, long maxPlatformFixedPaise, long revision) {}

    /**
     * How the rule was chosen: the rule selected (null: none matched, the default preset applied); every
     * candidate rule (the active rules filed under this payment's community and source type, or under
     * any) in the order selection considers them, each with its outcome and, when its condition failed,
     * the first condition that failed — at most 200, the rest counted in {@code omittedCandidates}; and
     * how many other active rules exist ({@code otherRules}: they require another community or source
     * type, so they cannot match, and are not shown).
     */
    public record Explanation(String selectedRuleId, Integer selectedVersion, List<RuleExplanation> candidates, int omittedCandidates,
                              int otherRules) {}

    /**
     * @param scheduleSource "inline", "rule" or "default" (no rule matched: the default preset)
     * @param rolesSource    "inline", "rule", "community" or "none" (shares empty)
     * @param at             the instant whose rules were applied
     * @param explanation    null when the schedule was inline (no rule was selected)
     */
    public record Quote(long amountPaise, long ticketPricePaise, long convenienceFeePaise, long gstPaise, long gatewayFeePaise,
                        long gatewayFeeGstPaise, long platformFeePaise, long platformFeeGstPaise, long platformFeeWaivedPaise,
                        long tcsPaise, long tdsPaise, long netPaise, FeeBearer gatewayFeeBearer, FeeBearer platformFeeBearer,
                        PlatformFeeGst platformFeeGst, int platformFeeRateBps, GstHeads gstHeads, GstHeads gatewayGstHeads,
                        GstHeads platformGstHeads, List<Share> shares, String ruleId, Integer ruleVersion, String scheduleName,
                        String scheduleSource, String rolesSource, Bounds feeBounds, Instant at, Instant quotedAt,
                        Explanation explanation) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Quote quote(@RequestBody(required = false) QuoteRequest body) {
        if (body == null) throw ApiProblem.invalid(null, "a JSON request body is required");
        if (body.communityId() != null) Caller.current().requireCommunity(body.communityId());
        if (body.amountPaise() == null && body.ticketPricePaise() == null) {
            throw ApiProblem.invalid("amountPaise", "amountPaise (what the customer pays) or ticketPricePaise (the price before any "
                    + "convenience fee) is required, an integer number of paise");
        }
        paise(body.amountPaise(), "amountPaise");
        paise(body.ticketPricePaise(), "ticketPricePaise");
        String sourceType = required(body.sourceType(), "sourceType");
        String method = required(body.paymentMethod(), "paymentMethod");
        CommunityConfig community = null;
        if (body.communityId() != null) {
            community = communities.find(body.communityId()).orElseThrow(() -> new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT,
                    "Unknown community", "no community '" + body.communityId() + "'", "communityId"));
        }
        SplitPlan inlineRoles = body.roles() == null ? null : new SplitPlan(RoleInput.toSplits(body.roles(), "roles"), "roles", true);
        Instant now = clock.instant();
        Instant at = body.at() != null ? instant(body.at()) : now;
        long price = body.ticketPricePaise() != null ? body.ticketPricePaise() : body.amountPaise();
        PaymentAttributes attributes = new PaymentAttributes(sourceType, body.communityId(), community == null ? null : community.tier(),
                method, price, LocalDate.ofInstant(at, BUSINESS_ZONE), metadata(body.metadata()));

        FeeSchedule schedule;
        String scheduleSource;
        CommissionRule rule = null;
        Explanation explanation = null;
        if (body.schedule() != null) {
            FeeSchedules.validate(body.schedule(), "schedule");
            schedule = body.schedule();
            scheduleSource = "inline";
        } else {
            RuleSelection selection = rules.activeRules().explain(attributes, at);
            rule = selection.selected();
            schedule = rule == null ? defaultSchedule : rule.schedule();
            scheduleSource = rule == null ? "default" : "rule";
            explanation = explanation(selection);
        }
        FeeBoundsRepository.Stored policy = bounds.current();
        policy.bounds().check(schedule, "schedule");

        String supplierState = body.supplierState() != null ? body.supplierState() : community == null ? null : community.supplierState();
        CompiledFeeSchedule compiled = FeeEngine.compile(schedule);
        long amount = body.amountPaise() != null ? body.amountPaise() : compiled.orderAmount(body.ticketPricePaise(), sourceType, method);
        FeeBreakdown b = compiled.calculate(new PaymentFacts(amount, sourceType, method, supplierState, body.placeOfSupply(),
                body.ticketPricePaise()));

        SplitPlan roles;
        String rolesSource;
        if (inlineRoles != null) {
            roles = inlineRoles;
            rolesSource = "inline";
        } else if (rule != null && !rule.roles().isEmpty()) {
            roles = new SplitPlan(rule.roles(), "roles");
            rolesSource = "rule";
        } else if (community != null) {
            roles = new SplitPlan(community.roles(), "roles");
            rolesSource = "community";
        } else {
            roles = null;
            rolesSource = "none";
        }
        List<Share> shares = roles == null ? List.of() : shares(roles.split(b.netPaise()));

        FeeBounds fb = policy.bounds();
        return new Quote(b.amountPaise(), b.ticketPricePaise(), b.convenienceFeePaise(), b.gstPaise(), b.gatewayFeePaise(),
                b.gatewayFeeGstPaise(), b.platformFeePaise(), b.platformFeeGstPaise(), b.platformFeeWaivedPaise(), b.tcsPaise(),
                b.tdsPaise(), b.netPaise(), b.gatewayFeeBearer(), b.platformFeeBearer(), b.platformFeeGst(), b.platformFeeRateBps(),
                b.gstHeads(), b.gatewayGstHeads(), b.platformGstHeads(), shares, rule == null ? null : rule.ruleId(),
                rule == null ? null : rule.version(), b.scheduleName(), scheduleSource, rolesSource,
                new Bounds(fb.minPlatformFeeBps(), fb.maxPlatformFeeBps(), fb.maxPlatformFixedPaise(), policy.revision()), at, now,
                explanation);
    }

    private static Explanation explanation(RuleSelection s) {
        List<RuleExplanation> all = s.candidates();
        List<RuleExplanation> shown = all.size() <= MAX_EXPLAINED ? all : all.subList(0, MAX_EXPLAINED);
        CommissionRule selected = s.selected();
        return new Explanation(selected == null ? null : selected.ruleId(), selected == null ? null : selected.version(), shown,
                all.size() - shown.size(), s.otherRules());
    }

    private static List<Share> shares(List<RoleAllocation> allocations) {
        return allocations.stream().map(a -> new Share(a.role(), a.shareBps(), a.amountPaise(),
                a.members().stream().map(m -> new MemberAmount(m.userId(), m.amountPaise())).toList())).toList();
    }

    /** Strict: an ISO-8601 date-time with an offset; a number (epoch seconds) or a local time is refused. */
    private static Instant instant(String at) {
        try {
            return OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid("at", "at must be an ISO-8601 date-time with an offset, e.g. 2026-11-01T10:00:00Z or "
                    + "2026-11-01T15:30:00+05:30; was '" + (at.length() > 40 ? at.substring(0, 40) + "…" : at) + "'");
        }
    }

    /** Strict: every value a JSON string (the engine then checks sizes: 32 entries, keys 64, values 256 characters). */
    private static Map<String, String> metadata(Map<String, Object> in) {
        if (in == null) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : in.entrySet()) {
            if (!(e.getValue() instanceof String v)) {
                throw ApiProblem.invalid("metadata." + e.getKey(), "metadata values must be strings; metadata." + e.getKey() + " is not");
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    private static void paise(Long value, String field) {
        if (value != null && (value <= 0 || value > PaymentsController.MAX_AMOUNT_PAISE)) {
            throw ApiProblem.invalid(field, field + " must be between 1 and " + PaymentsController.MAX_AMOUNT_PAISE + " (got " + value + ")");
        }
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) throw ApiProblem.invalid(field, field + " is required");
        return value.strip();
    }
}
