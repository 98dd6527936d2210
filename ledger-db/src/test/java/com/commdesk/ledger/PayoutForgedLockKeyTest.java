package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.ledger.payout.Settlements;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 1 through release(): payout ids are predictable (sha256 of settlement|role|user, the settlement id
 * from community and cut-off), a payment's Idempotency-Key may be "payout-lock:<id>" (1-64 of A-Za-z0-9_.:-), and
 * release() treated the mere existence of a journal with that key as "locked". The payout's own lock failed
 * (IDEMPOTENCY_CONFLICT), the workflow gave up and released: PAYOUT_FAILED moved money that was never locked for it
 * out of the member's locked balance, i.e. the money locked for their other payout. Now a payment's key can never
 * equal a payout's journal key (JournalKey) and release() reads the payout's own lock_journal_id.
 */
class PayoutForgedLockKeyTest extends LedgerFixture {
    long wallet(String column) {
        return num("select " + column + " from member_wallet where community_id = 'demo-community' and user_id = 'u-owner'");
    }

    @Test
    void aPaymentKeyedLikeAPayoutLockDoesNotMakeTheReleaseMoveMoney() {
        PayoutRepository payouts = new PayoutRepository(dsl);
        pay("p1");
        holds.releaseDueHolds(OffsetDateTime.now().plusDays(400), 100);
        payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null, "u-owner");
        payouts.open("stl_1", "demo-community", "MANUAL", OffsetDateTime.now(), "alice", Long.MAX_VALUE);
        String first = Settlements.payoutId("stl_1", "owner", "u-owner");
        payouts.lock(first); // in flight (e.g. NEEDS_ATTENTION): its money is locked
        long lockedForFirst = wallet("locked_paise");

        String second = Settlements.payoutId("stl_2", "owner", "u-owner"); // predictable
        pay("payout-lock:" + second); // a client's payment whose Idempotency-Key is that payout's lock key
        holds.releaseDueHolds(OffsetDateTime.now().plusDays(400), 100);
        long available = wallet("available_paise");
        assertThat(num("select count(*) from journal where idempotency_key like 'payout%'")).as("only the first payout's lock")
                .isEqualTo(1);
        payouts.open("stl_2", "demo-community", "MANUAL", OffsetDateTime.now(), "alice", Long.MAX_VALUE);
        payouts.lock(second); // the client's key did not take the payout's key: the lock goes through
        long lockedForSecond = payouts.payout(second).orElseThrow().amountPaise();
        assertThat(wallet("locked_paise")).isEqualTo(lockedForFirst + lockedForSecond);
        payouts.release(second, "FAILED", "bank refused"); // its own money comes back, nothing else

        assertThat(wallet("locked_paise")).as("the first payout's money stays locked").isEqualTo(lockedForFirst);
        assertThat(wallet("available_paise")).as("exactly what was locked for the second comes back").isEqualTo(available);
        payouts.release(first, "FAILED", "test over");
    }
}
