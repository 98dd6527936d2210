package com.commdesk.fees.rules;

import java.time.Instant;

/**
 * Why one rule was or was not selected for a payment at an instant (a what-if preview).
 *
 * @param failedCondition for CONDITION_FAILED: the path of the first condition that failed ("condition",
 *                        "condition.conditions[1]", …); else null
 * @param reason          in words: what the rule needed and what the payment had, or why it won or lost
 */
public record RuleExplanation(String ruleId, int version, int priority, Instant effectiveFrom, Instant effectiveTo,
                              Outcome outcome, String failedCondition, String reason) {

    public enum Outcome {
        /** Effective, its condition matches, and it has the highest priority of the matching rules. */
        SELECTED,
        /** Effective and its condition matches, but a rule with a higher priority was selected. */
        MATCHED_LOWER_PRIORITY,
        /** Effective, but its condition does not match (see failedCondition). */
        CONDITION_FAILED,
        /** Not effective at the instant (before effectiveFrom, or at/after effectiveTo). */
        NOT_EFFECTIVE
    }
}
