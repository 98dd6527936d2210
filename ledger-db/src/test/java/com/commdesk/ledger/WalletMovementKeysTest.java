package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.WalletMovements.Member;
import com.commdesk.ledger.WalletMovements.Movement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The journal key and content hash of every payout movement, both rounds, pinned as production has them: journals already
 * written must still be found by a retry (key + content hash), whatever the code that writes them looks like. The hashes
 * are sha256("<KIND>|<content prefix>|<payout>|<community>|<role>|<user>|<amount>"), computed outside the code under test.
 */
class WalletMovementKeysTest extends LedgerFixture {
    static final String PAYOUT = "po_pin";
    static final long AMOUNT = 100_000L;

    record Pinned(String key, String sha256) {}

    static final List<Pinned> PINNED = List.of(
            new Pinned("payout_lock:payout:po_pin", "45bee0a5db4b15c7ca8a0e9a4aed99f96330e231f98d0119a872cd8255cf599e"),
            new Pinned("payout_paid:payout:po_pin", "334c631232b2588b5072d231ba67d0daf38452a02e9a922156c8de5e06ee8355"),
            new Pinned("payout_reversed:payout:po_pin", "85ad96309d835f355a1b553bd2906e7328cfd56b8a6e3f72bc87d7403f4c514e"),
            new Pinned("payout_failed:payout:po_pin", "68a4ae0d4171f18278c1a698ab9e2a1892cbe0ac2f661f87ab13a2fa06eace6e"),
            new Pinned("payout_lock:payout_relock:po_pin", "dfe0048f1a66d01f676239dc79cb282bb4c2ef936bbad1b1946dfc15035694da"),
            new Pinned("payout_paid:payout_relock:po_pin", "63fd10ff6ba968132cb44ffb293d526ad4737251e43dc591ddc775c951b6ae07"),
            new Pinned("payout_reversed:payout_relock:po_pin", "d95f424363355f046926e88eefc960e1a1058675c818deca03d40c44bcf58b8a"),
            new Pinned("payout_failed:payout_relock:po_pin", "4450b38305ed75c722085e245c473eb551ced5e0fe012a9620aa431655315e32"));

    @Test
    void everyPayoutMovementKeepsItsKeyAndContentHashAndIsFoundAgainByARetry() {
        pay("p1");
        holds.releaseDueHolds(OffsetDateTime.now().plusDays(400), 100);
        Member owner = new Member("demo-community", "owner", "u-owner");
        // Lock, pay, the bank sends it back, returned; locked again, paid again, sent back again, returned again.
        List<Supplier<Long>> steps = List.of(
                () -> movements.payoutMovement(Movement.PAYOUT_LOCK, PAYOUT, owner, AMOUNT, "lock"),
                () -> movements.payoutMovement(Movement.PAYOUT_PAID, PAYOUT, owner, AMOUNT, "paid"),
                () -> movements.payoutMovement(Movement.PAYOUT_REVERSED, PAYOUT, owner, AMOUNT, "reversed"),
                () -> movements.payoutMovement(Movement.PAYOUT_FAILED, PAYOUT, owner, AMOUNT, "returned"),
                () -> core.inTransaction(tx -> movements.relockRoundMovement(tx, Movement.PAYOUT_LOCK, PAYOUT, owner, AMOUNT, "locked again")),
                () -> core.inTransaction(tx -> movements.relockRoundMovement(tx, Movement.PAYOUT_PAID, PAYOUT, owner, AMOUNT, "paid again")),
                () -> core.inTransaction(tx -> movements.relockRoundMovement(tx, Movement.PAYOUT_REVERSED, PAYOUT, owner, AMOUNT, "reversed again")),
                () -> core.inTransaction(tx -> movements.relockRoundMovement(tx, Movement.PAYOUT_FAILED, PAYOUT, owner, AMOUNT, "returned again")));
        List<Long> ids = new ArrayList<>();
        for (Supplier<Long> step : steps) ids.add(step.get());
        List<Pinned> written = new ArrayList<>();
        for (long id : ids) {
            var r = dsl.fetchSingle("select idempotency_key, content_sha256 from journal where journal_id = ?", id);
            written.add(new Pinned(r.get(0, String.class), r.get(1, String.class)));
        }
        assertThat(written).containsExactlyElementsOf(PINNED);
        // A retry of each finds the journal written before (key and content hash match).
        for (int i = 0; i < steps.size(); i++) assertThat(steps.get(i).get()).as(PINNED.get(i).key()).isEqualTo(ids.get(i));
        assertThat(num("select count(*) from journal where idempotency_key like ?", "%:" + PAYOUT)).isEqualTo(8);
        assertThat(num("select available_paise from member_wallet where community_id = 'demo-community' and user_id = 'u-owner'"))
                .as("locked, paid, returned twice: all available again").isPositive();
        assertThat(num("select locked_paise + paid_out_paise from member_wallet where community_id = 'demo-community'"
                + " and user_id = 'u-owner'")).isZero();
    }
}
