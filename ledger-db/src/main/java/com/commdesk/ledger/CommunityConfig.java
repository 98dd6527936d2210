package com.commdesk.ledger;

import com.commdesk.fees.RoleSplit;
import java.util.List;

/**
 * A community's settings and its role split, as stored. {@code agreementVersion} is the split
 * agreement version the roles come from (null: the legacy seed tables, no agreement yet);
 * {@code panStatus} VERIFIED or MISSING (TDS 194-O); fraud thresholds null = the platform's defaults.
 */
public record CommunityConfig(String communityId, String name, String tier, String supplierState, int holdDays,
                              String payoutPolicy, long minPayoutPaise, List<RoleSplit> roles, Integer agreementVersion,
                              String panStatus, Long fraudMaxPaymentPaise, Integer fraudVelocityFloor, Integer fraudVelocityMultiplier) {
    public CommunityConfig {
        roles = List.copyOf(roles);
    }

    public CommunityConfig(String communityId, String name, String tier, String supplierState, int holdDays,
                           String payoutPolicy, long minPayoutPaise, List<RoleSplit> roles) {
        this(communityId, name, tier, supplierState, holdDays, payoutPolicy, minPayoutPaise, roles, null, "VERIFIED", null, null, null);
    }

    public boolean panMissing() {
        return "MISSING".equals(panStatus);
    }
}
