package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.ledger.payout.Settlements;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 1: a client's Idempotency-Key must never collide with a key the ledger makes for
 * itself. Each test plays one trick a client could play with the payment API's Idempotency-Key
 * (the payment id) and shows the ledger's own movement still happens exactly once.
 */
class KeyNamespaceTest extends LedgerFixture {
    @Test
    void aPaymentKeyedLikeARefundCannotBlockThatRefund() {
        PostedPayment victim = pay("victim");
        pay("refund:rf-victim"); // a client names its payment after the refund id it expects support to use

        var refund = refunds.postRefund(refund("rf-victim", victim, 100_000L));

        assertThat(refund.newlyPosted()).isTrue();
        assertThat(num("select count(*) from refund where refund_id = 'rf-victim'")).isEqualTo(1);
    }

    @Test
    void aPaymentKeyedLikeAHoldReleaseCannotBlockThatRelease() {
        pay("first");
        long nextHold = num("select max(hold_id) from wallet_hold") + 1;
        pay("release:" + nextHold); // the next hold id is predictable
        pay("second"); // its holds come after the attacker's (which took nextHold .. nextHold + 6)

        int released = holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100);

        assertThat(released).isEqualTo(21);
        assertThat(num("select count(*) from wallet_hold where blocked_reason is not null")).isZero();
    }

    @Test
    void aPaymentKeyedLikeAPayoutLockCannotMakeAFailedPayoutReleaseSomeoneElsesLockedMoney() {
        PayoutRepository payouts = new PayoutRepository(dsl);
        pay("earnings");
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100);
        payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Owner", "000111222333", "HDFC0000001", null, "u-owner");
        var settlement = payouts.openSettlement("stl_a", "demo-community", "MANUAL", OffsetDateTime.now(), "finance", Long.MAX_VALUE);
        String honest = settlement.stream().filter(p -> p.userId().equals("u-owner")).findFirst().orElseThrow().payoutId();
        payouts.lock(honest); // the owner's whole available balance is now locked for the honest payout
        long locked = num("select locked_paise from member_wallet where user_id = 'u-owner'");
        assertThat(locked).isEqualTo(360_350L);

        // The next settlement's payout id is predictable; the attacker claims its lock key with a payment.
        String predicted = Settlements.payoutId("stl_b", "owner", "u-owner");
        pay("payout-lock:" + predicted);
        dsl.execute("insert into settlement (settlement_id, community_id, cycle, cut_off, requested_by) "
                + "values ('stl_b', 'demo-community', 'MANUAL', now(), 'finance')");
        dsl.execute("insert into payout (payout_id, settlement_id, community_id, role, user_id, beneficiary_id, amount_paise, "
                + "requested_by, needs_approval) select ?, 'stl_b', 'demo-community', 'owner', 'u-owner', beneficiary_id, ?, 'finance', false "
                + "from payout_beneficiary where user_id = 'u-owner'", predicted, locked);
        // Its transfer fails (or it never locked): compensation must not touch the honest payout's locked money.
        payouts.release(predicted, "FAILED", "bank refused");

        assertThat(num("select locked_paise from member_wallet where user_id = 'u-owner'")).as("still locked for the honest payout")
                .isEqualTo(locked);
        assertThat(num("select available_paise from member_wallet where user_id = 'u-owner'")).isZero();
        payouts.markPaid(honest);
        assertThat(num("select paid_out_paise + available_paise + locked_paise from member_wallet where user_id = 'u-owner'"))
                .as("paid once, nothing left to pay again").isEqualTo(locked);
    }
}
