package com.commdesk.api.payout;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.testing.TestDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** For a {@code @WebMvcTest} of a payout controller on a real database: a fresh test database and a meter registry. */
@TestConfiguration
class RealLedgerBeans {
    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean(destroyMethod = "close")
    LedgerDatabase ledgerDatabase() {
        return TestDatabases.fresh();
    }
}
