package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.FeeBearer;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import org.junit.jupiter.api.Test;

/**
 * Payments whose fees other parties bear go through the real writer into PostgreSQL: one balanced
 * journal each, the pool and the convenience clearing account empty, the books whole (LedgerFixture
 * checks every invariant and the trial balance after each test).
 */
class FeeBearerPostingTest extends LedgerFixture {

    PostedPayment post(String key, FeeBearer gateway, FeeBearer platform, long amount, Long ticket) {
        FeeSchedule s = FeeSchedules.recommendedDefault().withBearers(gateway, platform);
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(amount, "EVENT", "CARD", "KA", "KA", ticket), s);
        return payments.postPayment(posting(key, b));
    }

    @Test
    void everyBearerPostsABalancedJournalThatSaysWhoPaid() {
        post("community", FeeBearer.COMMUNITY, FeeBearer.COMMUNITY, 1_000_000, null);
        post("promotion", FeeBearer.PLATFORM, FeeBearer.PLATFORM, 1_000_000, null);
        post("convenience", FeeBearer.CUSTOMER, FeeBearer.CUSTOMER, 1_108_346, 1_000_000L);

        assertThat(balance(AccountCodes.communityPool("demo-community"))).isZero();
        assertThat(balance(AccountCodes.CONVENIENCE_FEE_CLEARING)).isZero();
        // the gateway kept 23,600 of each payment; the platform paid one of them, the community and the customer one each
        assertThat(balance(AccountCodes.CASHFREE_CLEARING)).isEqualTo(1_000_000 + 1_000_000 + 1_108_346 - 3 * 23_600);
        assertThat(balance(AccountCodes.GATEWAY_FEE_ABSORBED)).isEqualTo(23_600);
        assertThat(balance(AccountCodes.GATEWAY_FEE_RECOVERY)).isEqualTo(-3 * 23_600);
        // platform fee income ex GST: 82,386 − 12,567 (community) + 0 (waived) + 84,746 − 12,927 (customer)
        assertThat(balance(AccountCodes.PLATFORM_FEE_INCOME)).isEqualTo(-((82_386 - 12_567) + (84_746 - 12_927)));
        // members: 736,388 + 842,374 + 842,374
        assertThat(num("select sum(pending_paise) from member_wallet where community_id = 'demo-community'"))
                .isEqualTo(736_388 + 842_374 + 842_374);
    }

    /*
     * A full refund of a payment whose gateway fee the platform absorbed: what the customer paid was
     * 1,000,000 = GST 152,542 + platform 84,746 + TCS 4,237 + TDS 847 + net 757,628 (the gateway's
     * 23,600 was never part of it), so the refund takes back exactly those parts and nothing is owed.
     */
    @Test
    void aFullRefundOfAPromotionUndoesExactlyWhatTheCustomerPaid() {
        PostedPayment p = post("promo-refund", FeeBearer.PLATFORM, FeeBearer.COMMUNITY, 1_000_000, null);
        holdQueue.queueHolds(p.transactionId());
        var refunded = refunds.postRefund(refund("rf-promo", p, 1_000_000L));
        assertThat(refunded.fromPendingPaise()).isEqualTo(757_628);
        assertThat(refunded.toReceivablePaise()).isZero();
        assertThat(num("select sum(pending_paise) from member_wallet where community_id = 'demo-community'")).isZero();
        assertThat(balance("gst_output_payable:CGST") + balance("gst_output_payable:SGST")).isZero();
        assertThat(balance("platform_fee_income") + balance("platform_gst_payable:CGST") + balance("platform_gst_payable:SGST")).isZero();
        assertThat(balance(AccountCodes.CASHFREE_CLEARING)).as("the gateway keeps its fee, CommDesk bore it").isEqualTo(-23_600);
        assertThat(balance(AccountCodes.GATEWAY_FEE_ABSORBED)).isEqualTo(23_600);
    }
}
