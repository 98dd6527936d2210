package com.commdesk.fees.rules;

import java.util.List;

/**
 * The result of {@link RuleSet#explain}: the rule {@link RuleSet#select} returns (null when none), and
 * every rule of the set in the order selection considers them (priority high to low, then rule id,
 * then version) with its outcome.
 */
public record RuleSelection(CommissionRule selected, List<RuleExplanation> candidates) {
    public RuleSelection {
        candidates = List.copyOf(candidates);
    }
}
