package com.commdesk.fees;

import static com.commdesk.fees.SplitEngineTest.assertField;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fixed and tiered recipient splits (seed 002: "percentage, fixed and tiered methods per recipient"),
 * hand-checked. The seed's example: an event team earns 10 % of the net up to ₹1 lakh and 15 % above it;
 * the other roles divide the rest 62.5 / 25 / 12.5 %.
 */
class TieredSplitTest {
    static final List<FeeTier> EVENT_TIERS = List.of(new FeeTier(0, 1000, 0), new FeeTier(10_000_000, 1500, 0)); // ₹1 lakh

    static RoleSplit percent(String role, int bps) {
        return new RoleSplit(role, bps, MemberSplitMode.EQUAL, List.of(MemberShare.of("u-" + role)));
    }

    static List<RoleSplit> roles(TierMode mode) {
        return List.of(percent("owner", 6250), percent("admins", 2500), percent("moderators", 1250),
                RoleSplit.tiered("event_team", mode, EVENT_TIERS, MemberSplitMode.EQUAL,
                        List.of(MemberShare.of("e1"), MemberShare.of("e2"), MemberShare.of("e3"))));
    }

    static List<Long> amounts(List<RoleAllocation> a) {
        return a.stream().map(RoleAllocation::amountPaise).toList();
    }

    /*
     * net ₹1,50,000 = 15,000,000 paise, MARGINAL: event team 10,000,000 × 10 % + 5,000,000 × 15 %
     *   = 1,000,000 + 750,000 = 1,750,000; the rest 13,250,000 → owner 62.5 % 8,281,250, admins 25 %
     *   3,312,500, moderators 12.5 % 1,656,250 (all exact); members of the event team 583,334 + 583,333 × 2.
     * SLAB: the whole net at the band's 15 % = 2,250,000; rest 12,750,000 → 7,968,750 / 3,187,500 / 1,593,750.
     */
    @Test
    void theSeedsEventTeamMarginalAndSlab() {
        List<RoleAllocation> m = SplitEngine.splitRevenueAcrossRoles(15_000_000, roles(TierMode.MARGINAL));
        assertThat(amounts(m)).containsExactly(8_281_250L, 3_312_500L, 1_656_250L, 1_750_000L);
        assertThat(m.get(3).shareBps()).as("the rate of the band the net fell in").isEqualTo(1500);
        assertThat(m.get(3).members()).extracting(MemberAllocation::amountPaise).containsExactly(583_334L, 583_333L, 583_333L);

        List<RoleAllocation> s = SplitEngine.splitRevenueAcrossRoles(15_000_000, roles(TierMode.SLAB));
        assertThat(amounts(s)).containsExactly(7_968_750L, 3_187_500L, 1_593_750L, 2_250_000L);
    }

    /*
     * net 720,583 (below ₹1 lakh: 10 % band in both modes):
     *   event team exact 72,058.3; rest 648,524.7 → owner × 62.5 % = 405,327.9375, admins × 25 % = 162,131.175,
     *   moderators × 12.5 % = 81,065.5875. Floors 405,327 + 162,131 + 81,065 + 72,058 = 720,581, 2 paise left:
     *   largest remainders .9375 (owner) and .5875 (moderators) → 405,328 / 162,131 / 81,066 / 72,058.
     */
    @Test
    void leftoverPaiseGoToTheLargestRemaindersAcrossEveryRole() {
        assertThat(amounts(SplitEngine.splitRevenueAcrossRoles(720_583, roles(TierMode.MARGINAL))))
                .containsExactly(405_328L, 162_131L, 81_066L, 72_058L);
    }

    /*
     * A fixed ₹500 to the venue first, then owner 50 % / crew 50 % of the rest:
     *   net 100,001 → venue 50,000; rest 50,001 → 25,000.5 each; 1 paisa left, equal remainders → the owner
     *   (listed first) → 25,001 / 25,000. On net 50,000 the percentage roles get nothing; on 49,999 the
     *   fixed role cannot be paid and the split is refused on "roles".
     */
    @Test
    void aFixedRoleIsServedFirst() {
        List<RoleSplit> roles = List.of(RoleSplit.fixed("venue", 50_000, MemberSplitMode.EQUAL, List.of(MemberShare.of("v"))),
                percent("owner", 5000), percent("crew", 5000));
        assertThat(amounts(SplitEngine.splitRevenueAcrossRoles(100_001, roles))).containsExactly(50_000L, 25_001L, 25_000L);
        assertThat(amounts(SplitEngine.splitRevenueAcrossRoles(50_000, roles))).containsExactly(50_000L, 0L, 0L);
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(49_999, roles), "roles");
    }

    /*
     * A tiered role's fixed part per band (a bonus above ₹10,000): 5 % + ₹100 on 2,000,000 = 100,000 + 10,000.
     * On 999,999 (first band): 49,999.95 for the promoter, 949,999.05 for the owner; 1 paisa left → the
     * larger remainder .95 → 50,000 / 949,999.
     */
    @Test
    void tierFixedPartsAreAddedOnce() {
        List<RoleSplit> roles = List.of(percent("owner", 10_000), RoleSplit.tiered("promoter", TierMode.SLAB,
                List.of(new FeeTier(0, 500, 0), new FeeTier(1_000_000, 500, 10_000)), MemberSplitMode.EQUAL, List.of(MemberShare.of("p"))));
        assertThat(amounts(SplitEngine.splitRevenueAcrossRoles(2_000_000, roles))).containsExactly(1_890_000L, 110_000L);
        assertThat(amounts(SplitEngine.splitRevenueAcrossRoles(999_999, roles))).containsExactly(949_999L, 50_000L);
    }

    @Test
    void validationNamesTheField() {
        FeeTier t0 = new FeeTier(0, 1000, 0);
        var m = List.of(MemberShare.of("x"));
        // bands ordered, starting at 0 (a band ends where the next begins, so there is no gap to leave)
        assertField(() -> SplitEngine.compile(List.of(percent("o", 10_000),
                RoleSplit.tiered("t", TierMode.SLAB, List.of(new FeeTier(5, 1000, 0)), MemberSplitMode.EQUAL, m))), "roles[1].tiers[0].fromPaise");
        assertField(() -> SplitEngine.compile(List.of(percent("o", 10_000), RoleSplit.tiered("t", TierMode.SLAB,
                List.of(t0, new FeeTier(100, 500, 0), new FeeTier(100, 400, 0)), MemberSplitMode.EQUAL, m))), "roles[1].tiers[2].fromPaise");
        assertField(() -> SplitEngine.compile(List.of(percent("o", 10_000), RoleSplit.tiered("t", TierMode.SLAB,
                List.of(t0, new FeeTier(100, 10_001, 0)), MemberSplitMode.EQUAL, m))), "roles[1].tiers[1].rateBps");
        assertField(() -> SplitEngine.compile(List.of(percent("o", 10_000),
                RoleSplit.tiered("t", null, List.of(t0), MemberSplitMode.EQUAL, m))), "roles[1].tierMode");
        assertField(() -> SplitEngine.compile(List.of(percent("o", 10_000),
                RoleSplit.tiered("t", TierMode.SLAB, List.of(), MemberSplitMode.EQUAL, m))), "roles[1].tiers");
        List<FeeTier> many = new java.util.ArrayList<>();
        for (int i = 0; i <= Limits.MAX_TIERS; i++) many.add(new FeeTier(i, 100, 0));
        assertField(() -> SplitEngine.compile(List.of(percent("o", 10_000),
                RoleSplit.tiered("t", TierMode.SLAB, many, MemberSplitMode.EQUAL, m))), "roles[1].tiers");
        // shares are for PERCENT roles, and they must still total 10000
        assertField(() -> SplitEngine.compile(List.of(percent("o", 10_000),
                new RoleSplit("t", 100, MemberSplitMode.EQUAL, m, ShareMethod.TIERED, 0, List.of(t0), TierMode.SLAB))), "roles[1].shareBps");
        assertField(() -> SplitEngine.compile(List.of(percent("o", 9_000),
                RoleSplit.fixed("f", 100, MemberSplitMode.EQUAL, m))), "roles");
        assertField(() -> SplitEngine.compile(List.of(RoleSplit.fixed("f", 100, MemberSplitMode.EQUAL, m))), "roles");
        assertField(() -> SplitEngine.compile(List.of(percent("o", 10_000),
                RoleSplit.fixed("f", Limits.MAX_AMOUNT_PAISE + 1, MemberSplitMode.EQUAL, m))), "roles[1].fixedPaise");
        assertField(() -> SplitEngine.compile(List.of(percent("o", 10_000),
                new RoleSplit("f", 0, MemberSplitMode.EQUAL, m, ShareMethod.FIXED, 5, List.of(t0), null))), "roles[1].tiers");
        assertField(() -> SplitEngine.compile(List.of(percent("o", 10_000),
                new RoleSplit("t", 0, MemberSplitMode.EQUAL, m, ShareMethod.TIERED, 5, List.of(t0), TierMode.SLAB))), "roles[1].fixedPaise");
    }

    /* Quotes may leave a role without members: its amount is computed, nobody is paid. Payments may not. */
    @Test
    void memberlessRolesOnlyWhereAllowed() {
        List<RoleSplit> roles = List.of(new RoleSplit("owner", 5000, MemberSplitMode.EQUAL, null),
                new RoleSplit("crew", 5000, MemberSplitMode.WEIGHTED, List.of()));
        List<RoleAllocation> a = new SplitPlan(roles, "roles", true).split(1001);
        assertThat(amounts(a)).containsExactly(501L, 500L);
        assertThat(a.get(0).members()).isEmpty();
        assertField(() -> new SplitPlan(roles, "roles"), "roles[0].members");
        // FIXED member amounts need members to add up to the role's amount
        assertField(() -> new SplitPlan(List.of(new RoleSplit("owner", 10_000, MemberSplitMode.FIXED, List.of())), "roles", true),
                "roles[0].members");
    }
}
