package com.commdesk.fees.rules;

import com.commdesk.fees.Copies;
import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.RoleSplit;
import java.time.Instant;
import java.util.List;

/**
 * One version of a commission rule. Effective on the half-open window
 * {@code [effectiveFrom, effectiveTo)}; {@code effectiveTo} null means open-ended. A higher
 * {@code priority} wins. {@code roles} empty (or null) means "use the community's default roles".
 * Validated when a {@link RuleSet} is built.
 */
public record CommissionRule(String ruleId, int version, int priority, Instant effectiveFrom, Instant effectiveTo,
                             Condition condition, FeeSchedule schedule, List<RoleSplit> roles) {
    public CommissionRule {
        roles = roles == null ? List.of() : Copies.list(roles);
    }

    /** True when {@code effectiveFrom <= at < effectiveTo}. */
    public boolean effectiveAt(Instant at) {
        return effectiveFrom.compareTo(at) <= 0 && (effectiveTo == null || at.compareTo(effectiveTo) < 0);
    }

    /** True when the two windows share an instant. */
    public boolean overlaps(CommissionRule other) {
        boolean startsBeforeOtherEnds = other.effectiveTo == null || effectiveFrom.compareTo(other.effectiveTo) < 0;
        boolean otherStartsBeforeThisEnds = effectiveTo == null || other.effectiveFrom.compareTo(effectiveTo) < 0;
        return startsBeforeOtherEnds && otherStartsBeforeThisEnds;
    }
}
