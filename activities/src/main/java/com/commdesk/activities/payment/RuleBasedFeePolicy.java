package com.commdesk.activities.payment;

import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.rules.CommissionRule;
import com.commdesk.fees.rules.PaymentAttributes;
import com.commdesk.fees.rules.RuleLimits;
import com.commdesk.ledger.CommunityConfig;
import com.commdesk.ledger.rules.CommissionRuleRepository;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.VerifiedPayment;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the schedule (and, if the rule has them, the roles) from the stored commission rules
 * (docs/rules.md):
 *
 * <ul>
 *   <li>Attributes: sourceType and metadata from the request, communityId and tier from the stored
 *       community, paymentMethod from what Cashfree confirmed, amountPaise = the ticket price (the
 *       {@code ticket_price_paise} tag when a convenience fee was added on top, else the amount Cashfree
 *       confirmed), paymentDate = the date of the payment instant in India (Asia/Kolkata).</li>
 *   <li>The payment instant, which also decides which rule versions are effective, is Cashfree's
 *       payment time; only when Cashfree gave none, this activity's clock.</li>
 *   <li>No effective rule matches → the configured default preset, with rule id and version null
 *       (the payment still goes through; the ledger shows it was not priced by a rule).</li>
 *   <li>A matching rule's version is marked used before the choice is returned, so it can never
 *       change afterwards (an activity retry marks it again, which is a no-op).</li>
 * </ul>
 */
public final class RuleBasedFeePolicy implements FeePolicy {
    /** Calendar of {@code paymentDate} conditions: the business's time zone. */
    public static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Kolkata");

    private final CommissionRuleRepository rules;
    private final FeeSchedule fallback;
    private final Clock clock;

    public RuleBasedFeePolicy(CommissionRuleRepository rules, FeeSchedule fallback, Clock clock) {
        FeeSchedules.validate(fallback);
        this.rules = rules;
        this.fallback = fallback;
        this.clock = clock;
    }

    @Override
    public Choice choose(PaymentRequest request, VerifiedPayment verified, CommunityConfig community) {
        Instant at = verified.paidAtEpochMillis() != null ? Instant.ofEpochMilli(verified.paidAtEpochMillis()) : clock.instant();
        Long ticketPrice = TicketPrice.of(request.metadata());
        long price = ticketPrice != null ? ticketPrice : verified.amountPaise();
        PaymentAttributes attributes = new PaymentAttributes(request.sourceType(), community.communityId(), community.tier(),
                verified.paymentMethod(), price, LocalDate.ofInstant(at, BUSINESS_ZONE), metadata(request.metadata()));
        Optional<CommissionRule> rule = rules.activeRules().select(attributes, at);
        if (rule.isEmpty()) return new Choice(fallback, null, null, null);
        CommissionRule r = rule.get();
        rules.markUsed(r.ruleId(), r.version());
        return new Choice(r.schedule(), r.ruleId(), r.version(), r.roles().isEmpty() ? null : r.roles());
    }

    /** Metadata the conditions may see: at most 32 entries of short keys and values; longer ones are left out. */
    private static Map<String, String> metadata(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        if (m == null) return out;
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (out.size() == RuleLimits.MAX_METADATA_ENTRIES) break;
            String k = e.getKey();
            String v = e.getValue();
            if (k == null || k.isEmpty() || k.length() > RuleLimits.MAX_METADATA_KEY_LENGTH) continue;
            if (v == null || v.length() > RuleLimits.MAX_VALUE_LENGTH) continue;
            out.put(k, v);
        }
        return out;
    }
}
