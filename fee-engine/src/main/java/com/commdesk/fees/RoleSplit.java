package com.commdesk.fees;

import java.util.List;

/**
 * One role's share of the net and how it is divided among its members (docs/fees.md §4).
 *
 * @param shareBps   PERCENT: the role's share of what FIXED and TIERED roles leave, 0..10000 (the PERCENT
 *                   roles total exactly 10000); must be 0 for the other methods
 * @param method     how the share is set; null = {@link ShareMethod#PERCENT}
 * @param fixedPaise FIXED: the role's amount, 0..10^12; else 0
 * @param tiers      TIERED: 1..32 bands on the net (first from 0, starts increasing), rates 0..10000
 *                   bps, fixed parts 0..10^12; else empty (null = empty)
 * @param tierMode   TIERED: SLAB or MARGINAL; else null
 */
public record RoleSplit(String role, int shareBps, MemberSplitMode mode, List<MemberShare> members,
                        ShareMethod method, long fixedPaise, List<FeeTier> tiers, TierMode tierMode) {
    public RoleSplit {
        members = Copies.list(members);
        if (method == null) method = ShareMethod.PERCENT;
        tiers = tiers == null ? List.of() : Copies.list(tiers);
    }

    /** A PERCENT role (the only kind before fixed and tiered roles existed). */
    public RoleSplit(String role, int shareBps, MemberSplitMode mode, List<MemberShare> members) {
        this(role, shareBps, mode, members, ShareMethod.PERCENT, 0, List.of(), null);
    }

    /** A role that receives {@code fixedPaise} of the net. */
    public static RoleSplit fixed(String role, long fixedPaise, MemberSplitMode mode, List<MemberShare> members) {
        return new RoleSplit(role, 0, mode, members, ShareMethod.FIXED, fixedPaise, List.of(), null);
    }

    /** A role whose amount is {@code tiers} applied to the net, e.g. 10 % up to ₹1 lakh and 15 % above. */
    public static RoleSplit tiered(String role, TierMode tierMode, List<FeeTier> tiers, MemberSplitMode mode, List<MemberShare> members) {
        return new RoleSplit(role, 0, mode, members, ShareMethod.TIERED, 0, tiers, tierMode);
    }
}
