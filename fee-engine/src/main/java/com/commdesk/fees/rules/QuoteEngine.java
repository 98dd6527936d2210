package com.commdesk.fees.rules;

import com.commdesk.fees.CaseFold;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeValidationException;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.SplitPlan;
import java.time.Instant;
import java.util.List;

/**
 * Quotes one payment: selects the rule, calculates the breakdown with the rule's schedule, and
 * splits the net across the rule's roles (or the community's default roles when the rule has none).
 */
public final class QuoteEngine {
    private QuoteEngine() {}

    /**
     * @param facts        the payment
     * @param attributes   what the rule conditions see; its amountPaise (the ticket price:
     *                     {@code facts.ticketPriceOrAmount()}), sourceType and paymentMethod must agree
     *                     with {@code facts} (error on "attributes.…")
     * @param rules        the rule set
     * @param at           the instant that decides which rules are effective (usually the payment time)
     * @param defaultRoles the community's roles, used (and validated, on "defaultRoles") only when the
     *                     selected rule has no roles
     * @throws FeeValidationException on "rule" when no effective rule matches
     */
    public static FeeQuote quote(PaymentFacts facts, PaymentAttributes attributes, RuleSet rules, Instant at,
                                 List<RoleSplit> defaultRoles) {
        RuleSet.Entry e = select(facts, attributes, rules, at);
        SplitPlan plan = e.roles != null ? e.roles : new SplitPlan(defaultRoles, "defaultRoles");
        return quote(facts, e, plan);
    }

    /** As above with the default roles validated once ({@link com.commdesk.fees.SplitEngine#compile}). */
    public static FeeQuote quote(PaymentFacts facts, PaymentAttributes attributes, RuleSet rules, Instant at,
                                 SplitPlan defaultRoles) {
        RuleSet.Entry e = select(facts, attributes, rules, at);
        SplitPlan plan = e.roles != null ? e.roles : defaultRoles;
        if (plan == null) throw new FeeValidationException("defaultRoles", "is required: rule '" + e.rule.ruleId() + "' has no roles");
        return quote(facts, e, plan);
    }

    private static FeeQuote quote(PaymentFacts facts, RuleSet.Entry e, SplitPlan plan) {
        FeeBreakdown b = e.schedule.calculate(facts);
        List<RoleAllocation> shares = plan.split(b.netPaise());
        return new FeeQuote(b, shares, e.rule.ruleId(), e.rule.version());
    }

    private static RuleSet.Entry select(PaymentFacts facts, PaymentAttributes a, RuleSet rules, Instant at) {
        if (facts == null) throw new FeeValidationException("facts", "is required");
        if (a == null) throw new FeeValidationException("attributes", "is required");
        if (rules == null) throw new FeeValidationException("rules", "is required");
        if (a.amountPaise() != facts.ticketPriceOrAmount()) {
            throw new FeeValidationException("attributes.amountPaise", a.amountPaise() + " differs from the payment's ticket price "
                    + facts.ticketPriceOrAmount());
        }
        if (!CaseFold.equal(a.sourceType(), facts.sourceType())) {
            throw new FeeValidationException("attributes.sourceType", "'" + a.sourceType() + "' differs from the payment's '" + facts.sourceType() + "'");
        }
        if (!CaseFold.equal(a.paymentMethod(), facts.paymentMethod())) {
            throw new FeeValidationException("attributes.paymentMethod", "'" + a.paymentMethod() + "' differs from the payment's '" + facts.paymentMethod() + "'");
        }
        RuleSet.Entry e = rules.selectEntry(a, at);
        if (e == null) {
            throw new FeeValidationException("rule", "no commission rule is effective at " + at + " and matches sourceType '"
                    + a.sourceType() + "', communityId '" + a.communityId() + "'; add a catch-all rule (Always) at the lowest priority");
        }
        return e;
    }
}
