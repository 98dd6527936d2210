package com.commdesk.worker;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.HoldReleases;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerContentionMeters;
import com.commdesk.ledger.LedgerException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Periodic ledger work in every worker replica (safe to run concurrently): releasing due holds and
 * checking the invariants. A failed check is logged at ERROR and shows in the
 * {@code commdesk.ledger.invariant.violations} gauge, which alerting watches (> 0 pages someone).
 */
@Component
public class LedgerMaintenance {
    private static final Logger log = LoggerFactory.getLogger(LedgerMaintenance.class);

    private final HoldReleases holds;
    private final LedgerInvariants invariants;
    private final int releaseBatch;
    private final AtomicInteger violations = new AtomicInteger();
    private final AtomicLong negativeBalances = new AtomicLong();
    private final AtomicLong lastCheckEpochSeconds = new AtomicLong();
    private final Counter released;

    public LedgerMaintenance(LedgerDatabase db, Ledger ledger, MeterRegistry metrics,
                             @Value("${commdesk.settlement.release-batch:1000}") int releaseBatch) {
        this.holds = new HoldReleases(ledger);
        this.invariants = new LedgerInvariants(db.dsl());
        this.releaseBatch = releaseBatch;
        Gauge.builder("commdesk.ledger.invariant.violations", violations, AtomicInteger::get)
                .description("Violations found by the last ledger invariant check (alert if > 0)").register(metrics);
        Gauge.builder("commdesk.ledger.negative.balances", negativeBalances, AtomicLong::get)
                .description("Accounts on the wrong side of zero in the last invariant check: overdrawn members, negative receivables or tax payables")
                .register(metrics);
        Gauge.builder("commdesk.ledger.invariant.last.check", lastCheckEpochSeconds, AtomicLong::get).baseUnit("timestamp_seconds")
                .description("When the ledger invariants were last checked (epoch seconds; alert if it stops moving)").register(metrics);
        this.released = Counter.builder("commdesk.settlement.holds.released").description("Holds released to available").register(metrics);
        new LedgerContentionMeters().bindTo(metrics);
    }

    @Scheduled(fixedDelayString = "${commdesk.settlement.release-interval:PT1M}",
            initialDelayString = "${commdesk.settlement.release-initial-delay:PT10S}")
    public void releaseDueHolds() {
        int n;
        try {
            n = holds.releaseDueHolds(OffsetDateTime.now(), releaseBatch);
        } catch (LedgerException e) {
            if (!e.retryable()) throw e;
            // The database is away or busy: nothing was set aside; the next run tries again.
            log.warn("hold release interrupted, will retry: {}", e.getMessage());
            return;
        }
        if (n > 0) {
            released.increment(n);
            log.info("released {} holds", n);
        }
    }

    @Scheduled(fixedDelayString = "${commdesk.ledger.invariant-interval:PT5M}",
            initialDelayString = "${commdesk.ledger.invariant-initial-delay:PT30S}")
    public void checkInvariants() {
        LedgerInvariants.Report report = invariants.check();
        violations.set(report.violations().size());
        negativeBalances.set(report.negativeBalances());
        lastCheckEpochSeconds.set(report.checkedAt().toEpochSecond());
        if (!report.holds()) {
            log.error("LEDGER INVARIANTS VIOLATED ({}): {}", report.violations().size(), report.violations());
        }
    }
}
