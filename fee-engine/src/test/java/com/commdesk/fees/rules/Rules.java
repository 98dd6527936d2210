package com.commdesk.fees.rules;

import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.RoleSplit;
import java.time.Instant;
import java.util.List;

/** Test helpers for rules. */
final class Rules {
    private Rules() {}

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T1 = Instant.parse("2026-07-01T00:00:00Z");
    static final Instant T2 = Instant.parse("2027-01-01T00:00:00Z");

    static CommissionRule rule(String id, int priority, Condition c) {
        return new CommissionRule(id, 1, priority, T0, null, c, FeeSchedules.recommendedDefault(), List.of());
    }

    static CommissionRule rule(String id, int version, int priority, Instant from, Instant to, Condition c) {
        return new CommissionRule(id, version, priority, from, to, c, FeeSchedules.recommendedDefault(), List.of());
    }

    static CommissionRule withSchedule(CommissionRule r, FeeSchedule s) {
        return new CommissionRule(r.ruleId(), r.version(), r.priority(), r.effectiveFrom(), r.effectiveTo(), r.condition(), s, r.roles());
    }

    static CommissionRule withRoles(CommissionRule r, List<RoleSplit> roles) {
        return new CommissionRule(r.ruleId(), r.version(), r.priority(), r.effectiveFrom(), r.effectiveTo(), r.condition(), r.schedule(), roles);
    }

    static PaymentAttributes attrs(String source, String community, long amount) {
        return new PaymentAttributes(source, community, null, "CARD", amount, null, null);
    }
}
