package com.commdesk.worker;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.analytics.RollupCompactor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the dashboard's rollups small (docs/analytics.md): every payment batch adds a delta row per
 * community and day, and this merges each key's rows into one. Every replica may run it; one at a
 * time does the work (an advisory lock), and readers see the same sums before and after.
 */
@Component
public class AnalyticsMaintenance {
    private static final Logger log = LoggerFactory.getLogger(AnalyticsMaintenance.class);

    private final RollupCompactor compactor;
    private final Counter merged;

    public AnalyticsMaintenance(LedgerDatabase db, MeterRegistry metrics) {
        this.compactor = new RollupCompactor(db.dsl());
        this.merged = Counter.builder("commdesk.analytics.rollup.rows.merged")
                .description("Delta rows of the analytics rollups merged away by compaction").register(metrics);
    }

    @Scheduled(fixedDelayString = "${commdesk.analytics.compact-interval:PT1M}", initialDelayString = "PT20S")
    public void compact() {
        long removed = compactor.compact();
        if (removed > 0) {
            merged.increment(removed);
            log.debug("analytics rollups: merged away {} delta rows", removed);
        }
    }
}
