package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.JOURNAL;
import static com.commdesk.ledger.jooq.Tables.LEDGER_ACCOUNT;
import static com.commdesk.ledger.jooq.Tables.POSTING;

import com.commdesk.ledger.jooq.tables.records.JournalRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;

/**
 * The one writer of journals. Every journal of every kind goes through {@link #write} (or, for group
 * commit, {@link #claim} then {@link #post}): it inserts the journal row under its key, handles
 * idempotency (the same key with the same content hash is the journal already written; with another
 * hash it is an IDEMPOTENCY_CONFLICT and nothing is written), finds or creates the accounts of the
 * lines, and inserts all postings of a journal in one statement. The Java checks (at least two lines,
 * sum zero) are made when the {@link Journal} is built; the database makes them again and derives the
 * wallet projections from the postings (changelog 017). Callers run it inside {@link Ledger#inTransaction}.
 */
final class JournalWriter {
    /** A journal as written: its id, and whether this call wrote it (false: it was already there). */
    record Written(long journalId, boolean fresh) {}

    /** Account ids never change once committed, so they are cached after commit only. */
    private final Map<String, Long> accountIds = new ConcurrentHashMap<>();
    /** Accounts created by the transaction running on this thread (cached only after it commits). */
    private final ThreadLocal<Map<String, Long>> created = ThreadLocal.withInitial(HashMap::new);

    Written write(DSLContext tx, Journal journal) {
        Written w = claim(tx, List.of(journal)).get(0);
        if (w.fresh()) post(tx, Map.of(w.journalId(), journal.lines()));
        return w;
    }

    /**
     * Inserts the journal rows (in key order, so two transactions sharing keys take the unique index's
     * locks in one order) and returns, in the order given, each journal's id and whether it is new.
     * Keys must be distinct within one call.
     */
    List<Written> claim(DSLContext tx, List<Journal> journals) {
        var insert = new ColumnarInsert<>(JOURNAL, JOURNAL.IDEMPOTENCY_KEY, JOURNAL.KIND, JOURNAL.COMMUNITY_ID, JOURNAL.DESCRIPTION,
                JOURNAL.CONTENT_SHA256, JOURNAL.REVERSES_JOURNAL_ID);
        List<Journal> byKey = new ArrayList<>(journals);
        byKey.sort(Comparator.comparing(j -> j.key().toString()));
        for (Journal j : byKey) {
            insert.row(j.key().toString(), j.kind().name(), j.communityId(), j.description(), j.contentSha256(), j.reversesJournalId());
        }
        Map<String, Long> newIds = new HashMap<>();
        insert.insert(tx).onConflict(JOURNAL.IDEMPOTENCY_KEY).doNothing()
                .returningResult(JOURNAL.IDEMPOTENCY_KEY, JOURNAL.JOURNAL_ID)
                .fetch().forEach(r -> newIds.put(r.value1(), r.value2()));
        if (newIds.size() > journals.size()) throw new IllegalStateException("more journals inserted than asked");
        List<String> repeatedKeys = new ArrayList<>();
        for (Journal j : journals) if (!newIds.containsKey(j.key().toString())) repeatedKeys.add(j.key().toString());
        Map<String, JournalRecord> repeated = repeatedKeys.isEmpty() ? Map.of()
                : tx.selectFrom(JOURNAL).where(JOURNAL.IDEMPOTENCY_KEY.in(repeatedKeys)).fetchMap(JOURNAL.IDEMPOTENCY_KEY);
        List<Written> out = new ArrayList<>(journals.size());
        for (Journal j : journals) {
            String key = j.key().toString();
            Long id = newIds.get(key);
            if (id != null) {
                out.add(new Written(id, true));
                continue;
            }
            JournalRecord existing = repeated.get(key);
            if (existing == null || !existing.getContentSha256().equals(j.contentSha256()) || !existing.getKind().equals(j.kind().name())) {
                throw new LedgerException(LedgerException.Code.IDEMPOTENCY_CONFLICT,
                        "journal " + key + " was already written with different content");
            }
            out.add(new Written(existing.getJournalId(), false));
        }
        return out;
    }

    /** The postings of freshly claimed journals, all in one statement (one statement per journal is what the database allows). */
    void post(DSLContext tx, Map<Long, List<JournalLine>> journals) {
        List<JournalLine> all = new ArrayList<>();
        journals.values().forEach(all::addAll);
        if (all.isEmpty()) return;
        Map<String, Long> ids = resolveAccounts(tx, all);
        var insert = new ColumnarInsert<>(POSTING, POSTING.JOURNAL_ID, POSTING.ACCOUNT_ID, POSTING.AMOUNT_PAISE);
        for (var e : journals.entrySet()) {
            for (JournalLine line : e.getValue()) insert.row(e.getKey(), ids.get(line.accountCode()), line.amountPaise());
        }
        insert.insert(tx).execute();
    }

    /** Finds or creates the accounts of these lines; new ones are cached once their transaction commits. */
    private Map<String, Long> resolveAccounts(DSLContext tx, List<JournalLine> lines) {
        Map<String, JournalLine> missing = new LinkedHashMap<>();
        Map<String, Long> ids = new HashMap<>();
        Map<String, Long> createdHere = created.get();
        for (JournalLine line : lines) {
            Long id = accountIds.get(line.accountCode());
            if (id == null) id = createdHere.get(line.accountCode());
            if (id != null) ids.put(line.accountCode(), id);
            else missing.putIfAbsent(line.accountCode(), line);
        }
        if (missing.isEmpty()) return ids;
        var insert = tx.insertInto(LEDGER_ACCOUNT, LEDGER_ACCOUNT.CODE, LEDGER_ACCOUNT.KIND, LEDGER_ACCOUNT.PURPOSE,
                LEDGER_ACCOUNT.COMMUNITY_ID, LEDGER_ACCOUNT.ROLE, LEDGER_ACCOUNT.USER_ID);
        // Sorted, so two transactions creating the same accounts take their index locks in the same order.
        for (JournalLine line : new TreeMap<>(missing).values()) {
            insert = insert.values(line.accountCode(), line.kind(), line.purpose(), line.communityId(), line.role(), line.userId());
        }
        insert.onConflictDoNothing().execute();
        tx.select(LEDGER_ACCOUNT.CODE, LEDGER_ACCOUNT.ACCOUNT_ID).from(LEDGER_ACCOUNT)
                .where(LEDGER_ACCOUNT.CODE.in(missing.keySet()))
                .forEach(r -> {
                    ids.put(r.value1(), r.value2());
                    createdHere.put(r.value1(), r.value2());
                });
        if (!ids.keySet().containsAll(missing.keySet())) throw new IllegalStateException("accounts not created: " + missing.keySet());
        return ids;
    }

    /** Called by {@link Ledger} around each transaction attempt. */
    void beginTransaction() {
        created.get().clear();
    }

    void committed() {
        accountIds.putAll(created.get());
        created.get().clear();
    }

    void rolledBack() {
        created.get().clear();
    }

    /** The accounts cached so far (tests). */
    java.util.Set<String> cachedAccountCodes() {
        return java.util.Set.copyOf(accountIds.keySet());
    }
}
