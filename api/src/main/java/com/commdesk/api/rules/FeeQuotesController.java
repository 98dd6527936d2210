package com.commdesk.api.rules;

import com.commdesk.api.payment.PaymentsController;
import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.GstHeads;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.PlatformFeeGst;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.SplitEngine;
import com.commdesk.fees.rules.CommissionRule;
import com.commdesk.fees.rules.PaymentAttributes;
import com.commdesk.ledger.CommunityConfig;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.rules.CommissionRuleRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /api/v1/fee-quotes: what a payment would cost, without writing anything (docs/rules.md).
 * The schedule is the inline one, else the stored rule that matches now, else the default preset;
 * the roles are the inline ones, else the rule's, else the community's, else none (no shares).
 */
@RestController
@RequestMapping("/api/v1/fee-quotes")
public class FeeQuotesController {
    static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Kolkata");

    private final CommissionRuleRepository rules;
    private final CommunityRepository communities;
    private final FeeSchedule defaultSchedule;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    public FeeQuotesController(CommissionRuleRepository rules, CommunityRepository communities, FeeSchedule defaultFeeSchedule) {
        this(rules, communities, defaultFeeSchedule, Clock.systemUTC());
    }

    FeeQuotesController(CommissionRuleRepository rules, CommunityRepository communities, FeeSchedule defaultFeeSchedule,
                        Clock clock) {
        this.rules = rules;
        this.communities = communities;
        this.defaultSchedule = defaultFeeSchedule;
        this.clock = clock;
    }

    public record QuoteRequest(Long amountPaise, String sourceType, String paymentMethod, String communityId,
                               String supplierState, String placeOfSupply, FeeSchedule schedule, List<RoleInput> roles) {}

    public record MemberAmount(String userId, long amountPaise) {}

    public record Share(String role, int shareBps, long amountPaise, List<MemberAmount> members) {}

    /**
     * @param scheduleSource "inline", "rule" or "default" (no rule matched: the default preset)
     * @param rolesSource    "inline", "rule", "community" or "none" (shares empty)
     */
    public record Quote(long amountPaise, long gstPaise, long gatewayFeePaise, long gatewayFeeGstPaise, long platformFeePaise,
                        long platformFeeGstPaise, long tcsPaise, long tdsPaise, long netPaise, PlatformFeeGst platformFeeGst,
                        int platformFeeRateBps, GstHeads gstHeads, GstHeads gatewayGstHeads, GstHeads platformGstHeads,
                        List<Share> shares, String ruleId, Integer ruleVersion, String scheduleName, String scheduleSource,
                        String rolesSource, Instant quotedAt) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Quote quote(@RequestBody(required = false) QuoteRequest body) {
        if (body == null) throw ApiProblem.invalid(null, "a JSON request body is required");
        if (body.communityId() != null) Caller.current().requireCommunity(body.communityId());
        if (body.amountPaise() == null) throw ApiProblem.invalid("amountPaise", "amountPaise is required (an integer number of paise)");
        long amount = body.amountPaise();
        if (amount <= 0 || amount > PaymentsController.MAX_AMOUNT_PAISE) {
            throw ApiProblem.invalid("amountPaise", "amountPaise must be between 1 and " + PaymentsController.MAX_AMOUNT_PAISE + " (got " + amount + ")");
        }
        String sourceType = required(body.sourceType(), "sourceType");
        String method = required(body.paymentMethod(), "paymentMethod");
        CommunityConfig community = null;
        if (body.communityId() != null) {
            community = communities.find(body.communityId()).orElseThrow(() -> new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT,
                    "Unknown community", "no community '" + body.communityId() + "'", "communityId"));
        }
        List<RoleSplit> inlineRoles = RoleInput.toSplits(body.roles(), "roles");
        if (inlineRoles != null) SplitEngine.compile(inlineRoles); // field paths "roles[i]…" before anything else
        Instant now = clock.instant();

        FeeSchedule schedule;
        String scheduleSource;
        CommissionRule rule = null;
        if (body.schedule() != null) {
            FeeSchedules.validate(body.schedule(), "schedule");
            schedule = body.schedule();
            scheduleSource = "inline";
        } else {
            PaymentAttributes attributes = new PaymentAttributes(sourceType, body.communityId(),
                    community == null ? null : community.tier(), method, amount, LocalDate.ofInstant(now, BUSINESS_ZONE), Map.of());
            Optional<CommissionRule> selected = rules.activeRules().select(attributes, now);
            rule = selected.orElse(null);
            schedule = rule == null ? defaultSchedule : rule.schedule();
            scheduleSource = rule == null ? "default" : "rule";
        }

        String supplierState = body.supplierState() != null ? body.supplierState() : community == null ? null : community.supplierState();
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(amount, sourceType, method, supplierState, body.placeOfSupply()), schedule);

        List<RoleSplit> roles;
        String rolesSource;
        if (inlineRoles != null) {
            roles = inlineRoles;
            rolesSource = "inline";
        } else if (rule != null && !rule.roles().isEmpty()) {
            roles = rule.roles();
            rolesSource = "rule";
        } else if (community != null) {
            roles = community.roles();
            rolesSource = "community";
        } else {
            roles = null;
            rolesSource = "none";
        }
        List<Share> shares = roles == null ? List.of() : shares(SplitEngine.splitRevenueAcrossRoles(b.netPaise(), roles));

        return new Quote(b.amountPaise(), b.gstPaise(), b.gatewayFeePaise(), b.gatewayFeeGstPaise(), b.platformFeePaise(),
                b.platformFeeGstPaise(), b.tcsPaise(), b.tdsPaise(), b.netPaise(), b.platformFeeGst(), b.platformFeeRateBps(),
                b.gstHeads(), b.gatewayGstHeads(), b.platformGstHeads(), shares, rule == null ? null : rule.ruleId(),
                rule == null ? null : rule.version(), b.scheduleName(), scheduleSource, rolesSource, now);
    }

    private static List<Share> shares(List<RoleAllocation> allocations) {
        return allocations.stream().map(a -> new Share(a.role(), a.shareBps(), a.amountPaise(),
                a.members().stream().map(m -> new MemberAmount(m.userId(), m.amountPaise())).toList())).toList();
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) throw ApiProblem.invalid(field, field + " is required");
        return value.strip();
    }
}
