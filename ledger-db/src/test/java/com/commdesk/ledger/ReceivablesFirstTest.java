package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.WalletMovements.Movement;
import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.ledger.payout.Payout;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 4: whenever money becomes available to a member, what they owe (from a refund after
 * their money had moved on) is repaid first; only the rest is available, and settlement pays only that.
 */
class ReceivablesFirstTest extends LedgerFixture {
    long owner(String column) {
        return num("select " + column + " from member_wallet where user_id = 'u-owner'");
    }

    @Test
    void aFailedPayoutRepaysWhatTheMemberOwesBeforeTheMoneyIsAvailable() {
        PostedPayment p = pay("rcv");
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100);
        movements.payoutMovement(Movement.PAYOUT_LOCK, "po-r", member("owner", "u-owner"), 360_350L, "payout");
        refunds.postRefund(refund("rf-rcv", p, 1_000_000L)); // the owner's share is locked in a payout: they owe it
        long owed = owner("receivable_paise");
        assertThat(owed).isEqualTo(370_000L);

        movements.payoutMovement(Movement.PAYOUT_FAILED, "po-r", member("owner", "u-owner"), 360_350L, "bank refused");

        assertThat(owner("available_paise")).as("all of it repaid the receivable").isZero();
        assertThat(owner("receivable_paise")).isEqualTo(owed - 360_350L);
        assertThat(num("select count(*) from journal where kind = 'RECOVERY'")).isEqualTo(1);
    }

    @Test
    void aReversedPayoutRepaysFirstAndTheNextSettlementPaysOnlyTheRest() {
        PayoutRepository payouts = new PayoutRepository(core);
        pay("first");
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100);
        payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Owner", "000111222333", "HDFC0000001", null, "u-owner");
        String po = payouts.openSettlement("stl_1", "demo-community", "MANUAL", OffsetDateTime.now(), "finance", Long.MAX_VALUE).stream()
                .filter(x -> x.userId().equals("u-owner")).findFirst().orElseThrow().payoutId();
        payouts.lock(po);
        payouts.markPaid(po);
        // A small refund of a later payment, after its hold ended and the owner's money was paid out... 
        PostedPayment second = pay("second");
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100);
        movements.payoutMovement(Movement.PAYOUT_LOCK, "po-x", member("owner", "u-owner"), 360_350L, "another payout in flight");
        refunds.postRefund(refund("rf-second", second, 1_000_000L));
        long owed = owner("receivable_paise");
        assertThat(owed).isPositive();

        payouts.reversePaid(po, "account closed"); // the first payout's 3,603.50 comes back

        assertThat(owner("receivable_paise")).isEqualTo(Math.max(0, owed - 360_350L));
        assertThat(owner("available_paise")).isEqualTo(Math.max(0, 360_350L - owed));
        var next = payouts.openSettlement("stl_2", "demo-community", "MANUAL", OffsetDateTime.now(), "finance", Long.MAX_VALUE);
        assertThat(next.stream().filter(x -> x.userId().equals("u-owner")).mapToLong(Payout::amountPaise).sum())
                .as("settlement pays what is left after the debt").isEqualTo(Math.max(0, 360_350L - owed));
    }
}
