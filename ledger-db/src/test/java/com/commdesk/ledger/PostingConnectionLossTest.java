package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * Found by the failure suite (docs/failures.md, scenario 3): when the database drops the connections
 * mid-batch, group commit must hand the failure back to its callers to retry, not call the payment
 * refused. A refusal (LedgerException) is final: the workflow parks the payment for an operator.
 */
class PostingConnectionLossTest extends LedgerFixture {

    @Test
    void aLostConnectionDuringGroupCommitIsAFailureToRetryNotARefusal() {
        AtomicBoolean down = new AtomicBoolean(true);
        DataSource real = db.dataSource();
        // Every connection fails as Hikari's does once PostgreSQL has terminated it (SQLState 08003).
        DataSource flaky = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && down.get()) {
                        Connection c = real.getConnection();
                        c.close();
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                            if (m.getName().equals("close") || m.getName().equals("isClosed")) return m.getName().equals("isClosed");
                            throw new SQLException("Connection is closed", "08003");
                        });
                    }
                    return method.invoke(real, args);
                });
        LedgerRepository ledgerOverFlaky = new LedgerRepository(DSL.using(flaky, SQLDialect.POSTGRES, new Settings().withRenderSchema(false)));
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(1_000_000L, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
        List<PaymentPosting> batch = List.of(posting("lost-conn-1", b), posting("lost-conn-2", b));

        assertThatThrownBy(() -> ledgerOverFlaky.postPayments(batch)).as("nothing is known to be posted: the caller retries")
                .isNotInstanceOf(LedgerException.class);

        down.set(false);
        List<LedgerRepository.BatchItem> retried = ledgerOverFlaky.postPayments(batch);
        assertThat(retried).allSatisfy(item -> assertThat(item.refused()).isNull());
        assertThat(retried).allSatisfy(item -> assertThat(item.posted().newlyPosted()).isTrue());
    }
}
