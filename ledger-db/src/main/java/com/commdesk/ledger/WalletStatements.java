package com.commdesk.ledger;

import com.commdesk.ledger.analytics.PayoutAnalytics;
import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Statements of member and community wallets: every posting on their wallet accounts, oldest
 * first, with the running balance after it. Keyset-paginated by posting id (stable under inserts).
 */
public final class WalletStatements {
    public static final int MAX_PAGE = 500;

    private final DSLContext dsl;

    public WalletStatements(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** One line: a credit to the wallet is positive; {@code balancePaise} is pending + available + locked after it. */
    public record Line(long postingId, long journalId, String journalKind, OffsetDateTime at, String role, String userId,
                       String bucket, long amountPaise, long balancePaise, String description) {}

    /** {@code nextAfter} is the posting id to pass as {@code after} for the next page, or null at the end. */
    public record Page(List<Line> lines, Long nextAfter) {}

    public Page member(String communityId, String userId, long afterPostingId, int limit) {
        return page("a.community_id = ? and a.user_id = ?", new Object[] {communityId, userId}, afterPostingId, limit);
    }

    public Page community(String communityId, long afterPostingId, int limit) {
        return page("a.community_id = ?", new Object[] {communityId}, afterPostingId, limit);
    }

    private Page page(String where, Object[] binds, long after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        Object[] all = new Object[binds.length + 2];
        System.arraycopy(binds, 0, all, 0, binds.length);
        all[binds.length] = after;
        all[binds.length + 1] = limit + 1;
        // The running balance is a window over the whole history, then the page is cut from it. A relock hold's return is
        // recognised as the monthly statement recognises it (PayoutAnalytics.heldForFinance, journal.tx_id), for the page's
        // lines only: one written before R2-L3 says "reversed by the bank" / "after reversal" in its journal, which stays as
        // written (append-only), and is shown in the words such journals are written in since.
        List<Line> rows = dsl.fetch("""
                select s.posting_id, s.journal_id, s.kind, s.created_at, s.role, s.user_id, s.bucket, s.amount, s.balance,
                       case when %held then regexp_replace(s.description, '^(payout \\S+) reversed by the bank after success: ',
                                 '\\1 returned to be held for finance (no bank reversal; Cashfree contradicted itself): ')
                            when %release then regexp_replace(s.description, '^(payout \\S+) returned to available after reversal: ',
                                 '\\1 returned, to be locked again for finance: ')
                            else s.description end
                  from (
                  select p.posting_id, p.journal_id, j.kind, j.tx_id, p.created_at, a.role, a.user_id,
                         lower(substring(a.purpose from 8)) as bucket, -p.amount_paise as amount,
                         sum(-p.amount_paise) over (order by p.posting_id) as balance, j.description
                    from posting p
                    join ledger_account a using (account_id)
                    join journal j using (journal_id)
                   where a.purpose like 'MEMBER_%' and %s
                ) s where s.posting_id > ? order by s.posting_id limit ?
                """.replace("%held", PayoutAnalytics.heldForFinance("s")).replace("%release", PayoutAnalytics.heldForFinanceRelease("s"))
                .replace("%s", where), all)
                .map(r -> new Line(r.get(0, Long.class), r.get(1, Long.class), r.get(2, String.class),
                        r.get(3, OffsetDateTime.class), r.get(4, String.class), r.get(5, String.class), r.get(6, String.class),
                        r.get(7, Long.class), r.get(8, Long.class), r.get(9, String.class)));
        boolean more = rows.size() > limit;
        List<Line> lines = more ? rows.subList(0, limit) : rows;
        return new Page(List.copyOf(lines), more ? lines.get(lines.size() - 1).postingId() : null);
    }
}
