package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.ledger.testing.TestDatabases;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, scenario 5, in one JVM: a writer that takes the wallet locks in the opposite order to the
 * platform's (member rows, then the community row) deadlocks with a payment's posting; PostgreSQL aborts
 * the posting (40P01), the ledger runs it again, counts the retry, and the payment is posted once.
 */
class ForcedDeadlockTest extends LedgerFixture {
    @Test
    void aPostingChosenAsTheDeadlockVictimIsRetriedCountedAndPostedOnce() throws Exception {
        pay("warm"); // every wallet row of the community exists
        long deadlocksBefore = LedgerContention.retries(LedgerContention.DEADLOCK);
        CountDownLatch membersLocked = new CountDownLatch(1);
        try (LedgerDatabase owner = TestDatabases.owner(db)) {
            CompletableFuture<Void> intruder = CompletableFuture.runAsync(() -> owner.dsl().transaction(cfg -> {
                var tx = cfg.dsl();
                // The platform's sessions detect the cycle first (1 s): the platform's transaction is the victim.
                tx.execute("set local deadlock_timeout = '20s'");
                tx.execute("select 1 from member_wallet where community_id = 'demo-community' order by role desc, user_id desc for update");
                membersLocked.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (((Number) tx.fetchValue("select count(*) from pg_locks where not granted and pid <> pg_backend_pid()")).longValue() == 0) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException("the posting never waited for a member wallet");
                    Thread.sleep(20);
                }
                // The posting holds the community row and waits for the members: take the community row now.
                tx.execute("select 1 from community_wallet where community_id = 'demo-community' for update");
            }));
            assertThat(membersLocked.await(20, TimeUnit.SECONDS)).isTrue();

            FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(1_000_000L, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
            PostedPayment posted = payments.postPayment(posting("victim", b));
            intruder.get(30, TimeUnit.SECONDS);

            assertThat(posted.newlyPosted()).isTrue();
            assertThat(LedgerContention.retries(LedgerContention.DEADLOCK) - deadlocksBefore)
                    .as("deadlock retries counted").isPositive();
            assertThat(num("select count(*) from journal j join revenue_transaction r using (journal_id) where r.cashfree_order_id = 'order-victim'"))
                    .as("journals of the victim").isEqualTo(1);
        }
    }
}
