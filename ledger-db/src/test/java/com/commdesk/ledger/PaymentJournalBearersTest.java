package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.FeeBearer;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.MemberShare;
import com.commdesk.fees.MemberSplitMode;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.SplitEngine;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The payment journal records who bore each fee (pure: no database). One ₹10,000 CARD ticket under
 * recommendedDefault(), intra-state (KA to KA), the numbers of fee-engine's BearerGoldenTest:
 * GST 152,542, gateway 20,000 + 3,600, TCS 4,237, TDS 847; platform fee 82,386 (GST 12,567) on the
 * base 823,858 when the community bears the gateway fee, 84,746 (GST 12,927) on 847,458 otherwise.
 */
class PaymentJournalBearersTest {
    static final String C = "c1";
    static final String POOL = AccountCodes.communityPool(C);
    static final List<RoleSplit> ROLES = List.of(new RoleSplit("owner", 10_000, MemberSplitMode.EQUAL, List.of(MemberShare.of("u1"))));

    static Map<String, Long> journal(FeeBearer gateway, FeeBearer platform, long amount, Long ticket) {
        FeeSchedule s = FeeSchedules.recommendedDefault().withBearers(gateway, platform);
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(amount, "EVENT", "CARD", "KA", "KA", ticket), s);
        List<RoleAllocation> shares = SplitEngine.splitRevenueAcrossRoles(b.netPaise(), ROLES);
        Map<String, Long> byAccount = new TreeMap<>();
        long sum = 0;
        for (JournalLine l : PaymentJournal.lines(C, b, shares)) {
            byAccount.merge(l.accountCode(), l.amountPaise(), Long::sum);
            sum += l.amountPaise();
        }
        assertThat(sum).as("balanced").isZero();
        assertThat(byAccount.getOrDefault(POOL, 0L)).as("the pool is empty after the payment").isZero();
        assertThat(byAccount.getOrDefault(AccountCodes.CONVENIENCE_FEE_CLEARING, 0L)).as("the convenience fee is all spent").isZero();
        return byAccount;
    }

    static long member(Map<String, Long> j) {
        return -j.get(AccountCodes.member(C, "owner", "u1", AccountCodes.WalletBucket.PENDING));
    }

    @Test
    void communityBearsBoth_theJournalIsTheOneBeforeBearers() {
        Map<String, Long> j = journal(FeeBearer.COMMUNITY, FeeBearer.COMMUNITY, 1_000_000, null);
        assertThat(j.get(AccountCodes.CASHFREE_CLEARING)).isEqualTo(1_000_000 - 23_600);
        assertThat(j.get(AccountCodes.GATEWAY_FEE_RECOVERY)).isEqualTo(-23_600);
        assertThat(j).doesNotContainKeys(AccountCodes.GATEWAY_FEE_ABSORBED, AccountCodes.CONVENIENCE_FEE_CLEARING);
        assertThat(j.get(AccountCodes.PLATFORM_FEE_INCOME)).isEqualTo(-(82_386 - 12_567));
        assertThat(member(j)).isEqualTo(736_388);
    }

    /* The platform absorbs the gateway's 23,600: its own expense pays the recovery; the pool never sees it. */
    @Test
    void platformAbsorbsTheGatewayFee() {
        Map<String, Long> j = journal(FeeBearer.PLATFORM, FeeBearer.COMMUNITY, 1_000_000, null);
        assertThat(j.get(AccountCodes.GATEWAY_FEE_ABSORBED)).isEqualTo(23_600);
        assertThat(j.get(AccountCodes.GATEWAY_FEE_RECOVERY)).isEqualTo(-23_600);
        assertThat(j.get(AccountCodes.GATEWAY_FEE_EXPENSE)).isEqualTo(20_000);
        assertThat(j.get(AccountCodes.CASHFREE_CLEARING)).isEqualTo(1_000_000 - 23_600);
        assertThat(j.get(AccountCodes.PLATFORM_FEE_INCOME)).isEqualTo(-(84_746 - 12_927));
        assertThat(member(j)).isEqualTo(757_628);
    }

    /* The customer pays 1,023,600: the 23,600 convenience fee passes through its clearing account to the gateway recovery. */
    @Test
    void customerPaysTheGatewayFeeAsAConvenienceFee() {
        Map<String, Long> j = journal(FeeBearer.CUSTOMER, FeeBearer.COMMUNITY, 1_023_600, 1_000_000L);
        assertThat(j.get(AccountCodes.CASHFREE_CLEARING)).isEqualTo(1_023_600 - 23_600);
        assertThat(j.get(AccountCodes.GATEWAY_FEE_RECOVERY)).isEqualTo(-23_600);
        assertThat(j).doesNotContainKey(AccountCodes.GATEWAY_FEE_ABSORBED);
        // GST output on the ticket price only: 152,542 split CGST 76,271 + SGST 76,271 (intra-state)
        assertThat(j.get(AccountCodes.gstOutputPayable(AccountCodes.GstHead.CGST))).isEqualTo(-76_271);
        assertThat(j.get(AccountCodes.gstOutputPayable(AccountCodes.GstHead.SGST))).isEqualTo(-76_271);
        assertThat(member(j)).isEqualTo(757_628);
    }

    /* A waived platform fee moves no money: no income, no platform GST. */
    @Test
    void platformWaivesItsFee() {
        Map<String, Long> j = journal(FeeBearer.COMMUNITY, FeeBearer.PLATFORM, 1_000_000, null);
        assertThat(j).doesNotContainKeys(AccountCodes.PLATFORM_FEE_INCOME, AccountCodes.platformGstPayable(AccountCodes.GstHead.CGST),
                AccountCodes.platformGstPayable(AccountCodes.GstHead.SGST), AccountCodes.platformGstPayable(AccountCodes.GstHead.IGST));
        assertThat(member(j)).isEqualTo(818_774);
    }

    /* The customer pays the platform fee: 82,386 (GST 12,567 inside) from the convenience fee to income and platform GST. */
    @Test
    void customerPaysThePlatformFee() {
        Map<String, Long> j = journal(FeeBearer.COMMUNITY, FeeBearer.CUSTOMER, 1_082_386, 1_000_000L);
        assertThat(j.get(AccountCodes.PLATFORM_FEE_INCOME)).isEqualTo(-(82_386 - 12_567));
        assertThat(j.get(AccountCodes.platformGstPayable(AccountCodes.GstHead.CGST))
                + j.get(AccountCodes.platformGstPayable(AccountCodes.GstHead.SGST))).isEqualTo(-12_567);
        assertThat(j.get(AccountCodes.CASHFREE_CLEARING)).isEqualTo(1_082_386 - 23_600);
        assertThat(member(j)).isEqualTo(818_774);
    }

    @Test
    void customerPaysBoth() {
        // convenience fee 23,600 + 84,746 = 108,346 (platform GST INCLUDED)
        Map<String, Long> j = journal(FeeBearer.CUSTOMER, FeeBearer.CUSTOMER, 1_108_346, 1_000_000L);
        assertThat(j.get(AccountCodes.GATEWAY_FEE_RECOVERY)).isEqualTo(-23_600);
        assertThat(j.get(AccountCodes.PLATFORM_FEE_INCOME)).isEqualTo(-(84_746 - 12_927));
        assertThat(member(j)).isEqualTo(847_458 - 4_237 - 847);
    }
}
