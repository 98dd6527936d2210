package com.commdesk.ledger.analytics;

import org.jooq.DSLContext;

/**
 * Merges the rollups' delta rows (changelog 070's {@code analytics_compact()}): every key's rows
 * become one, atomically, so readers see the same sums before and after. Safe to run from every
 * worker replica at once (one wins an advisory lock, the others return 0). Run it often under load:
 * between runs a busy day gains about one row per community per group-commit batch.
 */
public final class RollupCompactor {
    private final DSLContext dsl;

    public RollupCompactor(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Returns how many rows the merge removed. */
    public long compact() {
        Object v = dsl.fetchValue("select analytics_compact()");
        return v == null ? 0 : ((Number) v).longValue();
    }
}
