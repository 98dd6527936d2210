package com.commdesk.fees.rules;

import java.util.List;

/**
 * The result of {@link RuleSet#explain}: the rule {@link RuleSet#select} returns (null when none), every
 * candidate rule in the order selection considers them (priority high to low, then rule id, then
 * version) with its outcome, and how many other rules the set holds — rules whose conditions require
 * another communityId or sourceType, which cannot match this payment.
 */
public record RuleSelection(CommissionRule selected, List<RuleExplanation> candidates, int otherRules) {
    public RuleSelection {
        candidates = List.copyOf(candidates);
    }
}
