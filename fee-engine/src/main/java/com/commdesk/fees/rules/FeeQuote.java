package com.commdesk.fees.rules;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.RoleAllocation;
import java.util.List;

/** The result of quoting one payment: the deductions, the role shares of the net, and the rule version applied (for the audit trail). */
public record FeeQuote(FeeBreakdown breakdown, List<RoleAllocation> shares, String ruleId, int ruleVersion) {
    public FeeQuote {
        shares = shares == null ? null : List.copyOf(shares);
    }
}
