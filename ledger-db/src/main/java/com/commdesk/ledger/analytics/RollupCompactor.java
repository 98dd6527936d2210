package com.commdesk.ledger.analytics;

import java.time.LocalDate;
import org.jooq.DSLContext;

/**
 * Merges the rollups' delta rows (changelog 070's {@code analytics_compact(since)}): every key's rows
 * become one, atomically, so readers see the same sums before and after. Safe to run from every
 * worker replica at once (one wins an advisory lock, the others return 0). Run it often under load:
 * between runs a busy day gains about one row per community per group-commit batch.
 */
public final class RollupCompactor {
    private final DSLContext dsl;

    public RollupCompactor(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Yesterday and today (India time): new deltas always carry the day of the transaction that wrote
     * them, so older days never gain rows. Returns how many rows the merge removed.
     */
    public long compact() {
        return compact(Period.todayInIndia().minusDays(1));
    }

    /** Every day, e.g. after a bulk load of history. */
    public long compactAll() {
        return compact(null);
    }

    private long compact(LocalDate since) {
        Object v = dsl.fetchValue("select analytics_compact(cast(? as date))", since);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
