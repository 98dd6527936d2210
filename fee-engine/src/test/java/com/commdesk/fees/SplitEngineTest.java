package com.commdesk.fees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The allocation primitive and the role/member split, on hand-checked cases. */
class SplitEngineTest {

    static long[] w(long... weights) {
        return weights;
    }

    static void assertField(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FeeValidationException.class,
                e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
    }

    /*
     * amount; weights; expected — hand computation:
     *   10; 1,1,1         → 3.33 each: floors 3,3,3 = 9, 1 left, equal remainders → the first     → 4,3,3
     *   100; 1,1,1        → 33.33 each: 1 left → the first                                         → 34,33,33
     *   2; 1,1,1          → 0.67 each: 2 left → first two                                          → 1,1,0
     *   7; 5000,3000,2000 → 3.5, 2.1, 1.4: floors 6, 1 left → largest remainder .5                 → 4,2,1
     *   1; 1,2            → 0.33, 0.67: 1 left → .67                                               → 0,1
     *   0; 1,2            → nothing to give                                                        → 0,0
     *   5; 0,1            → zero weight gets 0                                                     → 0,5
     *   1; 1,1            → tie → earlier                                                          → 1,0
     *   3; 1,1,1,1        → 0.75 each: 3 left → first three                                        → 1,1,1,0
     *   11; 1,3,6         → 1.1, 3.3, 6.6: floors 10, 1 left → .6 (index 2)                        → 1,3,7
     *   12; 1,3,6         → 1.2, 3.6, 7.2: floors 11, 1 left → .6 (index 1)                        → 1,4,7
     *   1000000000000; 1,1,1 → 333,333,333,333.33 each → first gets the 1 left                     → 333333333334,333333333333,333333333333
     *   999; 1000000,1    → 998.999…, 0.000999…: floors 998+0, 1 left → .999 (index 0)             → 999,0
     */
    @ParameterizedTest(name = "{0} by {1} → {2}")
    @CsvSource(delimiter = ';', value = {
            "10; 1,1,1; 4,3,3", "100; 1,1,1; 34,33,33", "2; 1,1,1; 1,1,0", "7; 5000,3000,2000; 4,2,1",
            "1; 1,2; 0,1", "0; 1,2; 0,0", "5; 0,1; 0,5", "1; 1,1; 1,0", "3; 1,1,1,1; 1,1,1,0",
            "11; 1,3,6; 1,3,7", "12; 1,3,6; 1,4,7",
            "1000000000000; 1,1,1; 333333333334,333333333333,333333333333", "999; 1000000,1; 999,0"})
    void largestRemainder(long amount, String weights, String expected) {
        long[] ws = Arrays.stream(weights.split(",")).mapToLong(Long::parseLong).toArray();
        long[] out = SplitEngine.largestRemainder(amount, ws);
        assertThat(out).containsExactly(Arrays.stream(expected.split(",")).mapToLong(Long::parseLong).toArray());
    }

    /* More than 32 parts takes the sorting path: 50 over 40 equal weights = 1.25 each → the first 10 get 2. */
    @Test
    void manyPartsTiesGoToTheEarlierEntry() {
        long[] ws = new long[40];
        Arrays.fill(ws, 1);
        long[] out = SplitEngine.largestRemainder(50, ws);
        for (int i = 0; i < 40; i++) assertThat(out[i]).as("part %d", i).isEqualTo(i < 10 ? 2 : 1);

        // weights 1..40 (Σ = 820), amount 1000: part i gets 1000·i/820; compare with a slow reference
        long[] grow = new long[40];
        for (int i = 0; i < 40; i++) grow[i] = i + 1;
        assertThat(SplitEngine.largestRemainder(1000, grow)).containsExactly(Reference.largestRemainder(1000, grow));
    }

    @Test
    void largestRemainderValidation() {
        assertField(() -> SplitEngine.largestRemainder(-1, w(1)), "amountPaise");
        assertField(() -> SplitEngine.largestRemainder(Limits.MAX_AMOUNT_PAISE + 1, w(1)), "amountPaise");
        assertField(() -> SplitEngine.largestRemainder(1, null), "weights");
        assertField(() -> SplitEngine.largestRemainder(1, w()), "weights");
        assertField(() -> SplitEngine.largestRemainder(1, w(0, 0)), "weights");
        assertField(() -> SplitEngine.largestRemainder(1, w(1, -1)), "weights[1]");
        assertField(() -> SplitEngine.largestRemainder(1, w(1, Limits.MAX_WEIGHT + 1)), "weights[1]");
        assertField(() -> SplitEngine.largestRemainder(1, new long[Limits.MAX_PARTS + 1]), "weights");
    }

    static RoleSplit role(String name, int bps, MemberSplitMode mode, MemberShare... members) {
        return new RoleSplit(name, bps, mode, List.of(members));
    }

    /*
     * net 1,000: owner 50 % = 500 (1 member); admins 30 % = 300 EQUAL over 3 → 100 each;
     * team 20 % = 200 WEIGHTED 3:1 → 150 / 50.
     */
    @Test
    void rolesThenMembers() {
        List<RoleAllocation> out = SplitEngine.splitRevenueAcrossRoles(1_000, List.of(
                role("owner", 5000, MemberSplitMode.EQUAL, MemberShare.of("o")),
                role("admins", 3000, MemberSplitMode.EQUAL, MemberShare.of("a1"), MemberShare.of("a2"), MemberShare.of("a3")),
                role("team", 2000, MemberSplitMode.WEIGHTED, new MemberShare("t1", 3, 0), new MemberShare("t2", 1, 0))));
        assertThat(out).containsExactly(
                new RoleAllocation("owner", 5000, 500, List.of(new MemberAllocation("o", 500))),
                new RoleAllocation("admins", 3000, 300, List.of(new MemberAllocation("a1", 100), new MemberAllocation("a2", 100), new MemberAllocation("a3", 100))),
                new RoleAllocation("team", 2000, 200, List.of(new MemberAllocation("t1", 150), new MemberAllocation("t2", 50))));
    }

    /*
     * net 101 over owner 50 % / mods 50 %: 50.5 / 50.5 → floors 100, 1 left, tie → owner 51, mods 50.
     * mods EQUAL over 3: 16.67 each → 17, 17, 16. owner WEIGHTED 1:1 → 25.5/25.5 → 26, 25.
     */
    @Test
    void leftoverPaiseGoToTheEarlierRoleAndMember() {
        List<RoleAllocation> out = SplitEngine.splitRevenueAcrossRoles(101, List.of(
                role("owner", 5000, MemberSplitMode.WEIGHTED, new MemberShare("x", 1, 0), new MemberShare("y", 1, 0)),
                role("mods", 5000, MemberSplitMode.EQUAL, MemberShare.of("m1"), MemberShare.of("m2"), MemberShare.of("m3"))));
        assertThat(out.get(0).amountPaise()).isEqualTo(51);
        assertThat(out.get(0).members()).extracting(MemberAllocation::amountPaise).containsExactly(26L, 25L);
        assertThat(out.get(1).amountPaise()).isEqualTo(50);
        assertThat(out.get(1).members()).extracting(MemberAllocation::amountPaise).containsExactly(17L, 17L, 16L);
    }

    /* FIXED: the role's 600 of net 1,000 must be exactly the members' fixed amounts (400 + 200). */
    @Test
    void fixedMembers() {
        List<RoleSplit> roles = List.of(
                role("owner", 4000, MemberSplitMode.EQUAL, MemberShare.of("o")),
                role("speakers", 6000, MemberSplitMode.FIXED, new MemberShare("s1", 0, 400), new MemberShare("s2", 0, 200)));
        assertThat(SplitEngine.splitRevenueAcrossRoles(1_000, roles).get(1).members())
                .containsExactly(new MemberAllocation("s1", 400), new MemberAllocation("s2", 200));
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(1_001, roles), "roles[1].members"); // role gets 600.6 → 601 ≠ 600
    }

    @Test
    void zeroNetSplitsIntoZeros() {
        List<RoleAllocation> out = SplitEngine.splitRevenueAcrossRoles(0, GoldenExamplesTest.SPEC_ROLES);
        assertThat(out).allMatch(r -> r.amountPaise() == 0 && r.members().get(0).amountPaise() == 0);
    }

    @Test
    void roleValidation() {
        MemberShare m = MemberShare.of("u");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, null), "roles");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of()), "roles");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(role("a", 9999, MemberSplitMode.EQUAL, m))), "roles");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(role("a", 5000, MemberSplitMode.EQUAL, m),
                role("b", 5001, MemberSplitMode.EQUAL, m))), "roles");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(role("Owner", 5000, MemberSplitMode.EQUAL, m),
                role("owner", 5000, MemberSplitMode.EQUAL, m))), "roles[1].role");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(role("a", 5000, MemberSplitMode.EQUAL, m),
                role("b", 5000, MemberSplitMode.EQUAL))), "roles[1].members");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(role("a", 5000, MemberSplitMode.EQUAL, m),
                new RoleSplit("b", 5000, MemberSplitMode.EQUAL, null))), "roles[1].members");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(role("a", 5000, MemberSplitMode.EQUAL, m),
                role("b", 3000, MemberSplitMode.EQUAL, m), role("c", 12000, MemberSplitMode.EQUAL, m))), "roles[2].shareBps");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(role("a", 5000, MemberSplitMode.EQUAL, m),
                role("b", 6000, MemberSplitMode.EQUAL, m), role("c", -1000, MemberSplitMode.EQUAL, m))), "roles[2].shareBps");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(role("a", 10000, MemberSplitMode.EQUAL,
                MemberShare.of("u1"), MemberShare.of("U1")))), "roles[0].members[1].userId");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(role("a", 10000, MemberSplitMode.EQUAL,
                MemberShare.of(" ")))), "roles[0].members[0].userId");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(role("a", 10000, MemberSplitMode.WEIGHTED,
                new MemberShare("u", 0, 0)))), "roles[0].members[0].weight");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(role("a", 10000, MemberSplitMode.FIXED,
                new MemberShare("u", 0, -1)))), "roles[0].members[0].fixedPaise");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(new RoleSplit("a", 10000, null, List.of(m)))), "roles[0].mode");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(new RoleSplit(null, 10000, MemberSplitMode.EQUAL, List.of(m)))), "roles[0].role");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, Arrays.asList(role("a", 10000, MemberSplitMode.EQUAL, m), null)), "roles[1]");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(new RoleSplit("a", 10000, MemberSplitMode.EQUAL,
                Arrays.asList(m, null)))), "roles[0].members[1]");
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(-1, GoldenExamplesTest.SPEC_ROLES), "netPaise");
        List<RoleSplit> many = new ArrayList<>();
        for (int i = 0; i <= Limits.MAX_ROLES; i++) many.add(role("r" + i, i == 0 ? 10000 : 0, MemberSplitMode.EQUAL, m));
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, many), "roles");
    }

    /* Duplicate detection also works on the large-role path (> 8 members uses a hash table). */
    @Test
    void duplicateMembersInALargeRole() {
        List<MemberShare> ms = new ArrayList<>();
        for (int i = 0; i < 20; i++) ms.add(MemberShare.of("user-" + i));
        ms.add(MemberShare.of("USER-7"));
        assertField(() -> SplitEngine.splitRevenueAcrossRoles(100, List.of(new RoleSplit("all", 10000, MemberSplitMode.EQUAL, ms))),
                "roles[0].members[20].userId");
    }
}
