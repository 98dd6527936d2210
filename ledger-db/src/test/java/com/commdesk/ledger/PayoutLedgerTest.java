package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.ledger.payout.PayoutRepository;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A payout's money moves only as its own record allows (found by the money-conservation stress test):
 * a payout whose money went back to available can never be marked paid — that would take locked money
 * of another payout in flight — and a payout that finished without locking never locks later.
 */
class PayoutLedgerTest extends LedgerFixture {
    PayoutRepository payouts;

    @BeforeEach
    void availableMoneyAndABeneficiary() {
        payouts = new PayoutRepository(core);
        pay("earn-1");
        pay("earn-2");
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100);
        payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Owner", "000111222333", "HDFC0000001", null, "u-owner");
    }

    String ownerPayout(String settlementId) {
        return payouts.openSettlement(settlementId, "demo-community", "MANUAL", OffsetDateTime.now(), "finance", Long.MAX_VALUE).stream()
                .filter(p -> p.userId().equals("u-owner")).findFirst().orElseThrow().payoutId();
    }

    long owner(String column) {
        return num("select " + column + " from member_wallet where user_id = 'u-owner'");
    }

    @Test
    void aReleasedPayoutCanNeverBePaidWithAnotherPayoutsLockedMoney() throws Exception {
        String released = ownerPayout("stl_a");
        payouts.lock(released);
        payouts.release(released, "FAILED", "bank refused"); // its 7,207.00 is available again
        String inFlight = ownerPayout("stl_b");
        payouts.lock(inFlight); // the same 7,207.00 locked again, for another payout

        assertThatThrownBy(() -> payouts.markPaid(released)).isInstanceOfSatisfying(LedgerException.class,
                e -> assertThat(e.code()).isEqualTo(LedgerException.Code.WRONG_STATE));
        assertThat(owner("locked_paise")).as("still locked for the payout in flight").isEqualTo(720_700L);
        assertThat(owner("paid_out_paise")).isZero();
        payouts.markPaid(inFlight);
        assertThat(owner("paid_out_paise")).isEqualTo(720_700L);
    }

    @Test
    void aPayoutThatFinishedWithoutLockingNeverLocksLater() {
        String first = ownerPayout("stl_c");
        String second = ownerPayout("stl_d"); // opened from the same available balance
        payouts.lock(first);
        assertThatThrownBy(() -> payouts.lock(second)).isInstanceOfSatisfying(LedgerException.class,
                e -> assertThat(e.code()).isEqualTo(LedgerException.Code.INSUFFICIENT_FUNDS));
        payouts.release(second, "FAILED", "insufficient funds");
        payouts.release(first, "FAILED", "bank refused"); // money available again

        assertThatThrownBy(() -> payouts.lock(second)).isInstanceOfSatisfying(LedgerException.class,
                e -> assertThat(e.code()).isEqualTo(LedgerException.Code.WRONG_STATE));
        assertThat(owner("available_paise")).isEqualTo(720_700L);
        assertThat(owner("locked_paise")).isZero();
    }
}
