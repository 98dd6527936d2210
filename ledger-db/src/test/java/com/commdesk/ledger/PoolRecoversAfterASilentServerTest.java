package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.testing.DatabaseProxy;
import com.commdesk.ledger.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, found by the failure suite's database restart: a connection attempt that reaches something that accepts
 * TCP but never answers (a server half up, a proxy or load balancer whose backend is gone) blocked the pool's only
 * connection-adding thread for ever — pgjdbc's login has no time limit unless one is given — so after the database
 * came back the pool still had no connection and every query failed until the JVM was restarted. With a login
 * timeout the stuck attempt ends and the next one connects.
 */
class PoolRecoversAfterASilentServerTest {

    @Test
    @Timeout(120)
    void aLoginThatNeverGetsAnAnswerTimesOutAndThePoolConnectsOnceTheServerIsBack() throws Exception {
        try (DatabaseProxy proxy = new DatabaseProxy(TestDatabases.freshUrl())) {
            try (LedgerDatabase db = LedgerDatabase.open(proxy.url(), null, null, 1)) {
                assertThat(db.dsl().fetchValue("select 1")).isEqualTo(1);

                // The database goes away: every connection cut; new ones are accepted and never answered.
                proxy.mode(DatabaseProxy.Mode.SILENT);
                proxy.cutAll();
                long deadline = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < deadline) {
                    try {
                        db.dsl().fetchValue("select 1");
                    } catch (RuntimeException expected) {
                        // down
                    }
                }
                assertThat(proxy.silentlyHeld()).as("connection attempts held without an answer").isPositive();

                // The database is back; the pool must connect again by itself (the login timeout is 10 s).
                proxy.mode(DatabaseProxy.Mode.PASS);
                Object answer = null;
                long until = System.nanoTime() + 60_000_000_000L;
                while (answer == null && System.nanoTime() < until) {
                    try {
                        answer = db.dsl().fetchValue("select 1");
                    } catch (RuntimeException stillDown) {
                        Thread.sleep(200);
                    }
                }
                assertThat(answer).as("a query through the pool within 60 s of the server being back").isEqualTo(1);
            }
        }
    }

}
