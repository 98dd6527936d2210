package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.WALLET_HOLD;

import com.commdesk.ledger.AccountCodes.WalletBucket;
import com.commdesk.ledger.WalletMovements.Member;
import com.commdesk.ledger.jooq.tables.records.WalletHoldRecord;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Holds ending: pending -> available when a hold's time has come (RELEASE journal keyed
 * {@code release:hold:<id>}), what the member owes repaid first (RECOVERY). A hold that cannot be
 * released for a reason no retry fixes is set aside with the reason (reported by the invariant
 * checker) instead of blocking every release behind it; a temporary database failure never blocks a
 * hold — the next run simply tries again. An operator can put a blocked hold back in line.
 */
public final class HoldReleases {
    public static final int MAX_PAGE = 500;

    private final Ledger ledger;
    private final WalletMovements movements;

    public HoldReleases(Ledger ledger) {
        this.ledger = ledger;
        this.movements = new WalletMovements(ledger);
    }

    /**
     * Releases holds whose time has come, one transaction per hold, at most {@code limit}. Safe to run
     * from several workers at once (SKIP LOCKED). Returns how many were released. A retryable failure
     * (database busy or unreachable) ends the run with that exception; nothing is blocked by it.
     */
    public int releaseDueHolds(OffsetDateTime now, int limit) {
        if (limit < 1 || limit > 10_000) throw new IllegalArgumentException("limit must be 1..10000");
        int released = 0;
        while (released < limit) {
            long[] attempted = {0};
            try {
                boolean did = ledger.inTransaction(tx -> {
                    WalletHoldRecord h = tx.selectFrom(WALLET_HOLD)
                            .where(WALLET_HOLD.RELEASE_AT.le(now), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull(),
                                    WALLET_HOLD.CANCELLED_JOURNAL_ID.isNull(), WALLET_HOLD.BLOCKED_REASON.isNull())
                            .orderBy(WALLET_HOLD.RELEASE_AT, WALLET_HOLD.HOLD_ID)
                            .limit(1).forUpdate().skipLocked()
                            .fetchOptional().orElse(null);
                    if (h == null) return false;
                    attempted[0] = h.getHoldId();
                    release(tx, h);
                    return true;
                });
                if (!did) break;
                released++;
            } catch (LedgerException e) {
                if (attempted[0] == 0 || e.retryable()) throw e;
                long holdId = attempted[0];
                String why = String.valueOf(e.getMessage());
                ledger.once(tx -> tx.update(WALLET_HOLD).set(WALLET_HOLD.BLOCKED_REASON, why.length() > 500 ? why.substring(0, 500) : why)
                        .where(WALLET_HOLD.HOLD_ID.eq(holdId), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull()).execute());
            }
        }
        return released;
    }

    private void release(org.jooq.DSLContext tx, WalletHoldRecord h) {
        Member member = new Member(h.getCommunityId(), h.getRole(), h.getUserId());
        long amount = h.getAmountPaise();
        Journal journal = Journal.of(JournalKey.release(h.getHoldId()), h.getCommunityId(), "hold " + h.getHoldId() + " released", null,
                List.of(WalletMovements.memberLine(member, WalletBucket.PENDING, amount),
                        WalletMovements.memberLine(member, WalletBucket.AVAILABLE, -amount)),
                "release|" + h.getHoldId() + "|" + h.getCommunityId() + "|" + h.getRole() + "|" + h.getUserId() + "|" + amount);
        JournalWriter.Written w = ledger.writer().write(tx, journal);
        tx.update(WALLET_HOLD).set(WALLET_HOLD.RELEASED_JOURNAL_ID, w.journalId()).where(WALLET_HOLD.HOLD_ID.eq(h.getHoldId())).execute();
        if (w.fresh()) movements.recover(tx, w.journalId(), h.getCommunityId(), List.of(member));
    }

    /** A hold set aside, for operators. */
    public record BlockedHold(long holdId, String communityId, String role, String userId, long amountPaise,
                              OffsetDateTime releaseAt, String reason) {}

    /** Blocked holds, oldest first, after {@code afterHoldId}. */
    public List<BlockedHold> blocked(long afterHoldId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        return ledger.once(tx -> tx.selectFrom(WALLET_HOLD)
                .where(WALLET_HOLD.BLOCKED_REASON.isNotNull(), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull(),
                        WALLET_HOLD.CANCELLED_JOURNAL_ID.isNull(), WALLET_HOLD.HOLD_ID.gt(afterHoldId))
                .orderBy(WALLET_HOLD.HOLD_ID).limit(limit)
                .fetch(h -> new BlockedHold(h.getHoldId(), h.getCommunityId(), h.getRole(), h.getUserId(), h.getAmountPaise(),
                        h.getReleaseAt(), h.getBlockedReason())));
    }

    /**
     * An operator's retry: puts a blocked hold back in line for the next release run (which releases
     * it if its time has come and whatever blocked it is fixed, or blocks it again with the new
     * reason). False if the hold is not blocked.
     */
    public boolean unblock(long holdId) {
        return ledger.once(tx -> tx.update(WALLET_HOLD).setNull(WALLET_HOLD.BLOCKED_REASON)
                .where(WALLET_HOLD.HOLD_ID.eq(holdId), WALLET_HOLD.BLOCKED_REASON.isNotNull(), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull(),
                        WALLET_HOLD.CANCELLED_JOURNAL_ID.isNull())
                .execute()) == 1;
    }
}
