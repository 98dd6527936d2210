package com.commdesk.ledger;

import com.commdesk.fees.RoleSplit;
import java.util.List;

/** A community's settings and its role split, as stored. */
public record CommunityConfig(String communityId, String name, String tier, String supplierState, int holdDays,
                              String payoutPolicy, long minPayoutPaise, List<RoleSplit> roles) {
    public CommunityConfig {
        roles = List.copyOf(roles);
    }
}
