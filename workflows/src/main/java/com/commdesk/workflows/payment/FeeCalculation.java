package com.commdesk.workflows.payment;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.RoleSplit;
import java.util.List;

/**
 * The fee breakdown and the rule (id and version) that chose its schedule; ruleId is null for the
 * default schedule. {@code roles}: the rule's own role split, which overrides the community's in
 * allocateShares; null (or empty) = the community's roles.
 */
public record FeeCalculation(FeeBreakdown breakdown, String ruleId, Integer ruleVersion, List<RoleSplit> roles) {
    public FeeCalculation(FeeBreakdown breakdown, String ruleId, Integer ruleVersion) {
        this(breakdown, ruleId, ruleVersion, null);
    }
}
