package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 8: a lost connection or a failover is temporary, so it must stay retryable on
 * every path, and it must never set money aside for good. The connection "breaks" here with the
 * SQLSTATE a dropped backend gives (08006), after a number of statements.
 */
class TransientErrorsTest extends LedgerFixture {
    /** The same database, whose connection breaks from the {@code afterStatements}+1-th statement while {@code broken} is set. */
    private DSLContext breaking(int afterStatements, AtomicBoolean broken) {
        AtomicInteger statements = new AtomicInteger();
        return DSL.using(dsl.configuration().derive(new DefaultExecuteListenerProvider(new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                if (broken.get() && statements.incrementAndGet() > afterStatements) {
                    throw new org.jooq.exception.DataAccessException("connection lost",
                            new SQLException("An I/O error occurred while sending to the backend.", "08006"));
                }
            }
        })));
    }

    @Test
    void aLostConnectionInAGroupCommitIsRetryableForEveryPaymentOfTheBatch() {
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(1_000_000L, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
        var items = new PaymentLedger(new Ledger(breaking(2, new AtomicBoolean(true)))).postPayments(List.of(posting("t1", b), posting("t2", b)));

        assertThat(items).allSatisfy(i -> {
            assertThat(i.refused().code()).isEqualTo(LedgerException.Code.UNAVAILABLE);
            assertThat(i.refused().retryable()).isTrue();
        });
        assertThat(num("select count(*) from journal")).isZero();
        // When the database is back, the same postings go through.
        assertThat(payments.postPayments(List.of(posting("t1", b), posting("t2", b)))).allSatisfy(i -> assertThat(i.posted()).isNotNull());
    }

    @Test
    void aHoldInterruptedByALostConnectionIsNotBlockedAndReleasesNextTime() {
        pay("h");
        AtomicBoolean broken = new AtomicBoolean(true);
        HoldReleases flaky = new HoldReleases(new Ledger(breaking(1, broken)));

        assertThatThrownBy(() -> flaky.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.retryable()).isTrue());
        assertThat(num("select count(*) from wallet_hold where blocked_reason is not null")).as("nothing set aside").isZero();

        broken.set(false);
        assertThat(flaky.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100)).isEqualTo(7);
    }

    @Test
    void anOperatorPutsABlockedHoldBackInLine() throws Exception {
        pay("k1");
        long hold = num("select min(hold_id) from wallet_hold where user_id = 'u-owner'");
        // Simulated damage only the owner could do: the hold claims more than is pending, so it cannot release.
        asOwner("update wallet_hold set amount_paise = amount_paise + 1000000000 where hold_id = ?", hold);
        assertThat(holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100)).isEqualTo(6);
        assertThat(holds.blocked(0, 10)).extracting(HoldReleases.BlockedHold::holdId).containsExactly(hold);

        asOwner("update wallet_hold set amount_paise = amount_paise - 1000000000 where hold_id = ?", hold); // the fix
        assertThat(holds.unblock(hold)).isTrue();
        assertThat(holds.unblock(hold)).as("not blocked any more").isFalse();
        assertThat(holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100)).isEqualTo(1);
        assertThat(holds.blocked(0, 10)).isEmpty();
    }
}
