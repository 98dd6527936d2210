package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.payout.Payout;
import com.commdesk.ledger.payout.PayoutRepository;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Review s13 (HIGH): a community's owner may set its members' beneficiaries, but never choose where a member's money goes
 * on its own say: an account the owner set is not paid during the community's cooling-off (the member can see and replace
 * it), and after it only with a finance approver's approval, whatever the amount.
 */
class OwnerSetBeneficiaryTest extends LedgerFixture {
    static final String OWNER = "owner-of-demo";
    PayoutRepository payouts;

    @BeforeEach
    void availableMoney() {
        payouts = new PayoutRepository(core);
        pay("earn-1");
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100);
    }

    List<Payout> settle(String settlementId) {
        return payouts.openSettlement(settlementId, "demo-community", "MANUAL", OffsetDateTime.now(), "finance", Long.MAX_VALUE);
    }

    @Test
    void anAccountItsOwnerSetIsNotPaidDuringTheCoolingOff() {
        payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null, OWNER);
        payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444", "HDFC0000001", null, "u-admin1");
        assertThat(settle("stl_cool")).extracting(Payout::userId).containsExactly("u-admin1");
        assertThat(num("select skipped_no_beneficiary from settlement where settlement_id = 'stl_cool'")).isPositive();
    }

    @Test
    void afterTheCoolingOffAnAccountItsOwnerSetIsPaidOnlyWithApproval() {
        dsl.execute("update community set beneficiary_cooling_off_hours = 0 where community_id = 'demo-community'");
        payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null, OWNER);
        payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444", "HDFC0000001", null, "u-admin1");
        assertThat(settle("stl_after")).extracting(p -> p.userId() + " " + p.needsApproval())
                .containsExactlyInAnyOrder("u-owner true", "u-admin1 false");
        assertThat(dsl.fetchValue("select detail from payout_event where payout_id = ? and status = 'CREATED'",
                com.commdesk.ledger.payout.Settlements.payoutId("stl_after", "owner", "u-owner")).toString())
                .contains("beneficiary set by " + OWNER + ", not the member");
    }

    /**
     * Review s15 (M5 of the follow-up): the owner made the member's own former account current again. Its details are the
     * member's, but choosing it now was the owner's: paid only with approval, as any account the owner chose.
     */
    @Test
    void anAccountItsOwnerMadeCurrentAgainIsPaidOnlyWithApproval() {
        dsl.execute("update community set beneficiary_cooling_off_hours = 0 where community_id = 'demo-community'");
        payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444", "HDFC0000001", null, "u-admin1");
        payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", null, null, "ravi.k@okaxis", "u-admin1");
        payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444", "HDFC0000001", null, OWNER);
        assertThat(settle("stl_again")).filteredOn(p -> p.userId().equals("u-admin1")).extracting(Payout::needsApproval).containsExactly(true);
        assertThat(dsl.fetchValue("select detail from payout_event where payout_id = ? and status = 'CREATED'",
                com.commdesk.ledger.payout.Settlements.payoutId("stl_again", "admins", "u-admin1")).toString())
                .contains("made current by " + OWNER);
    }
}
