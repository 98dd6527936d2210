package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.LEDGER_ACCOUNT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;

/**
 * The ledger side of resolving a reconciliation exception: one ADJUSTMENT journal keyed
 * {@code adjustment:recon_exception:<id>}, on system accounts that already exist (the reconciliation
 * code decides the amounts; docs/reconciliation.md).
 */
public final class ReconAdjustments {
    private final Ledger ledger;

    public ReconAdjustments(Ledger ledger) {
        this.ledger = ledger;
    }

    /** Writes the adjustment of one exception inside the caller's transaction; returns the journal id. Idempotent by exception. */
    public long post(DSLContext tx, long exceptionId, String communityId, String description, Map<String, Long> amountsByAccountCode) {
        Map<String, Long> sorted = new TreeMap<>(amountsByAccountCode);
        var accounts = tx.select(LEDGER_ACCOUNT.CODE, LEDGER_ACCOUNT.KIND, LEDGER_ACCOUNT.PURPOSE).from(LEDGER_ACCOUNT)
                .where(LEDGER_ACCOUNT.CODE.in(sorted.keySet()), LEDGER_ACCOUNT.COMMUNITY_ID.isNull()).fetchMap(LEDGER_ACCOUNT.CODE);
        List<JournalLine> lines = new ArrayList<>();
        StringBuilder content = new StringBuilder("recon-adjust|" + exceptionId);
        for (var e : sorted.entrySet()) {
            var account = accounts.get(e.getKey());
            if (account == null) throw new IllegalStateException("no system account " + e.getKey());
            lines.add(JournalLine.system(e.getKey(), account.value2(), account.value3(), e.getValue()));
            content.append('|').append(e.getKey()).append('=').append(e.getValue());
        }
        return ledger.writer().write(tx, Journal.of(JournalKey.adjustment(exceptionId), communityId, description, null, lines,
                content.toString())).journalId();
    }
}
