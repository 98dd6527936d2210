package com.commdesk.fees;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The spec's worked examples (seed 000, "Example Revenue Calculation") and FACTS.md's recomputation,
 * checked to the paisa. Every expected number is computed by hand in the comments.
 */
class GoldenExamplesTest {

    static final List<RoleSplit> SPEC_ROLES = List.of(
            new RoleSplit("owner", 5000, MemberSplitMode.EQUAL, List.of(MemberShare.of("u-owner"))),
            new RoleSplit("admins", 2000, MemberSplitMode.EQUAL, List.of(MemberShare.of("u-admin"))),
            new RoleSplit("moderators", 1000, MemberSplitMode.EQUAL, List.of(MemberShare.of("u-mod"))),
            new RoleSplit("event team", 2000, MemberSplitMode.EQUAL, List.of(MemberShare.of("u-event"))));

    static PaymentFacts facts(long paise, String source) {
        return new PaymentFacts(paise, source, "CARD", null, null);
    }

    /*
     * Example 1, seedExamples() (ON_GROSS 18 %, gateway 2 % AFTER_GST + 18 % GST, EVENT 10 % INCLUDED, RUPEE/FLOOR):
     *   amount                  = 1,000,000 paise (₹10,000)
     *   GST      = 1,000,000 × 1800 / 10000 = 180,000            (₹1,800.00, exact)
     *   gateway  = (1,000,000 − 180,000) × 200 / 10000 = 16,400  (₹164.00, exact)
     *   gw GST   = 16,400 × 1800 / 10000 = 2,952 → floor to rupee = 2,900 (₹29.00)   [seed: 2% + GST = ₹193]
     *   base     = 1,000,000 − 180,000 − 16,400 − 2,900 = 800,700  (₹8,007)
     *   platform = 800,700 × 1000 / 10000 = 80,070 → floor to rupee = 80,000 (₹800.00)
     *   plat GST = 80,000 × 1800 / 11800 = 12,203.38… → 12,200 (inside the fee; community unaffected)
     *   net      = 800,700 − 80,000 = 720,700 (₹7,207.00)
     *   roles    = 720,700 × 50 % = 360,350; × 20 % = 144,140; × 10 % = 72,070; × 20 % = 144,140 (all exact)
     */
    @Test
    void example1_event_seedExamples_matchesTheSpecLineForLine() {
        FeeBreakdown b = FeeEngine.calculate(facts(1_000_000, "EVENT"), FeeSchedules.seedExamples());
        assertThat(b.gstPaise()).isEqualTo(180_000);
        assertThat(b.gatewayFeePaise()).isEqualTo(16_400);
        assertThat(b.gatewayFeeGstPaise()).isEqualTo(2_900);
        assertThat(b.gatewayChargesPaise()).isEqualTo(19_300);
        assertThat(b.platformFeePaise()).isEqualTo(80_000);
        assertThat(b.platformFeeGstPaise()).isEqualTo(12_200);
        assertThat(b.platformFeeRateBps()).isEqualTo(1000);
        assertThat(b.tcsPaise()).isZero();
        assertThat(b.tdsPaise()).isZero();
        assertThat(b.netPaise()).isEqualTo(720_700);
        assertThat(b.scheduleName()).isEqualTo("seed-examples");
        assertThat(b.gstHeads()).isEqualTo(new GstHeads(0, 0, 180_000)); // no states given → IGST

        List<RoleAllocation> shares = SplitEngine.splitRevenueAcrossRoles(b.netPaise(), SPEC_ROLES);
        assertThat(shares).extracting(RoleAllocation::amountPaise).containsExactly(360_350L, 144_140L, 72_070L, 144_140L);
        assertThat(shares.get(0).members()).containsExactly(new MemberAllocation("u-owner", 360_350));
    }

    /*
     * Example 2, seedExamples(), SPONSOR 12 %:
     *   amount   = 5,000,000 (₹50,000)
     *   GST      = 5,000,000 × 18 % = 900,000 (₹9,000.00)
     *   gateway  = 4,100,000 × 2 % = 82,000 (₹820.00)
     *   gw GST   = 82,000 × 18 % = 14,760 → floor rupee 14,700 (₹147.00)   [seed prints 968 = 820 + 148, rounding up]
     *   base     = 5,000,000 − 900,000 − 82,000 − 14,700 = 4,003,300 (₹40,033)  [seed: 40,032]
     *   platform = 4,003,300 × 12 % = 480,396 → floor rupee 480,300 (₹4,803.00)
     *   net      = 4,003,300 − 480,300 = 3,523,000 (₹35,230.00)  [seed: 35,229]
     */
    @Test
    void example2_sponsor_seedExamples_roundsLikeExample1() {
        FeeBreakdown b = FeeEngine.calculate(facts(5_000_000, "SPONSOR"), FeeSchedules.seedExamples());
        assertThat(b.gstPaise()).isEqualTo(900_000);
        assertThat(b.gatewayFeePaise()).isEqualTo(82_000);
        assertThat(b.gatewayFeeGstPaise()).isEqualTo(14_700);
        assertThat(b.platformFeePaise()).isEqualTo(480_300);
        assertThat(b.platformFeeRateBps()).isEqualTo(1200);
        assertThat(b.netPaise()).isEqualTo(3_523_000);
    }

    /*
     * FACTS.md: Example 1 at paise precision, HALF_UP (otherwise as the seed):
     *   GST 180,000; gateway 16,400; gw GST 16,400 × 0.18 = 2,952 (₹29.52, exact)
     *   base = 1,000,000 − 180,000 − 16,400 − 2,952 = 800,648 (₹8,006.48)
     *   platform = 800,648 × 0.10 = 80,064.8 → half-up 80,065 (₹800.65)
     *   plat GST = 80,065 × 1800 / 11800 = 12,213.305… → 12,213
     *   net = 800,648 − 80,065 = 720,583 (₹7,205.83)
     *   roles = 720,583 × 5000/10000 = 360,291.5 → 360,291 r .5; × 2000 → 144,116.6 → 144,116 r .6;
     *           × 1000 → 72,058.3 → 72,058 r .3; × 2000 → 144,116 r .6. Floors sum 720,581, 2 paise left:
     *           largest remainders .6 (admins, index 1) and .6 (event team, index 3) → 144,117 each.
     */
    @Test
    void example1_atPaisePrecision_matchesFacts() {
        FeeSchedule s = withRounding(FeeSchedules.seedExamples(), Rounding.PAISE_HALF_UP);
        FeeBreakdown b = FeeEngine.calculate(facts(1_000_000, "EVENT"), s);
        assertThat(b.gatewayFeePaise()).isEqualTo(16_400);
        assertThat(b.gatewayFeeGstPaise()).isEqualTo(2_952);
        assertThat(b.platformFeePaise()).isEqualTo(80_065);
        assertThat(b.platformFeeGstPaise()).isEqualTo(12_213);
        assertThat(b.netPaise()).isEqualTo(720_583);
        assertThat(SplitEngine.splitRevenueAcrossRoles(b.netPaise(), SPEC_ROLES))
                .extracting(RoleAllocation::amountPaise).containsExactly(360_291L, 144_117L, 72_058L, 144_117L);
    }

    /*
     * Example 1, recommendedDefault() (INCLUSIVE 18 %, CARD 2 % on GROSS, 18 % GST, EVENT 10 % INCLUDED,
     * TCS 0.5 %, TDS 0.1 %, PAISE/HALF_UP):
     *   GST      = 1,000,000 × 1800 / 11800 = 152,542.37… → 152,542 (₹1,525.42, FACTS.md)
     *   taxable  = 1,000,000 − 152,542 = 847,458
     *   gateway  = 1,000,000 × 2 % = 20,000 (₹200.00); gw GST = 20,000 × 18 % = 3,600 (₹36.00)
     *   base     = 1,000,000 − 152,542 − 20,000 − 3,600 = 823,858
     *   platform = 82,385.8 → 82,386 (₹823.86); plat GST = 82,386 × 1800/11800 = 12,567.35… → 12,567
     *   TCS      = 847,458 × 50 / 10000 = 4,237.29 → 4,237; TDS = 847,458 × 10 / 10000 = 847.458 → 847
     *   net      = 823,858 − 82,386 − 4,237 − 847 = 736,388 (₹7,363.88)
     */
    @Test
    void example1_recommendedDefault() {
        FeeBreakdown b = FeeEngine.calculate(facts(1_000_000, "EVENT"), FeeSchedules.recommendedDefault());
        assertThat(b).isEqualTo(new FeeBreakdown(1_000_000, 152_542, 20_000, 3_600, 82_386, 12_567, 4_237, 847, 736_388,
                new GstHeads(0, 0, 152_542), new GstHeads(0, 0, 3_600), new GstHeads(0, 0, 12_567),
                PlatformFeeGst.INCLUDED, "recommended-default", 1000));
    }

    /*
     * Example 2, recommendedDefault(), SPONSOR 12 %:
     *   GST      = 5,000,000 × 1800 / 11800 = 762,711.86… → 762,712 (₹7,627.12)
     *   taxable  = 4,237,288
     *   gateway  = 100,000 (₹1,000.00); gw GST = 18,000 (₹180.00)
     *   base     = 5,000,000 − 762,712 − 100,000 − 18,000 = 4,119,288
     *   platform = 4,119,288 × 12 % = 494,314.56 → 494,315 (₹4,943.15); plat GST = 494,315 × 1800/11800 = 75,404.49… → 75,404
     *   TCS      = 4,237,288 × 0.5 % = 21,186.44 → 21,186; TDS = 4,237,288 × 0.1 % = 4,237.288 → 4,237
     *   net      = 4,119,288 − 494,315 − 21,186 − 4,237 = 3,599,550 (₹35,995.50)
     */
    @Test
    void example2_recommendedDefault() {
        FeeBreakdown b = FeeEngine.calculate(facts(5_000_000, "SPONSOR"), FeeSchedules.recommendedDefault());
        assertThat(b.gstPaise()).isEqualTo(762_712);
        assertThat(b.gatewayFeePaise()).isEqualTo(100_000);
        assertThat(b.gatewayFeeGstPaise()).isEqualTo(18_000);
        assertThat(b.platformFeePaise()).isEqualTo(494_315);
        assertThat(b.platformFeeGstPaise()).isEqualTo(75_404);
        assertThat(b.tcsPaise()).isEqualTo(21_186);
        assertThat(b.tdsPaise()).isEqualTo(4_237);
        assertThat(b.netPaise()).isEqualTo(3_599_550);
    }

    static FeeSchedule withRounding(FeeSchedule s, Rounding r) {
        return new FeeSchedule(s.name(), s.gstMethod(), s.gstRateBps(), s.gatewayFeeByMethod(), s.gatewayFeeBase(),
                s.gatewayGstRateBps(), s.platformFeeBySource(), s.platformFeeGst(), s.platformGstRateBps(),
                s.tcsRateBps(), s.tdsRateBps(), r, s.minPlatformFeeBps(), s.maxPlatformFeeBps());
    }
}
