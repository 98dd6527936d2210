package com.commdesk.ledger.analytics;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * A community's member wallets as the dashboard shows them: balances by state (the wallet
 * projection, which the invariant checker keeps equal to the postings) and the open holds with
 * their release dates. The posting-by-posting history with a running balance is
 * {@link com.commdesk.ledger.WalletStatements}.
 */
public final class MemberWallets {
    private final DSLContext dsl;

    public MemberWallets(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** One member in one role: money pending (held), available, locked in a payout, paid out, and owed back. */
    public record Wallet(String communityId, String role, String userId, long pendingPaise, long availablePaise,
                         long lockedPaise, long paidOutPaise, long receivablePaise, OffsetDateTime updatedAt) {
        /** What the community owes this member now. */
        public long owedPaise() {
            return pendingPaise + availablePaise + lockedPaise - receivablePaise;
        }
    }

    public record Hold(long holdId, UUID transactionId, String role, long amountPaise, OffsetDateTime releaseAt,
                       String blockedReason) {}

    public List<Wallet> community(String communityId) {
        return dsl.fetch(SELECT + " where community_id = ? order by role, user_id", communityId).map(MemberWallets::wallet);
    }

    /** A member's wallets (one per role it holds in the community). */
    public List<Wallet> member(String communityId, String userId) {
        return dsl.fetch(SELECT + " where community_id = ? and user_id = ? order by role", communityId, userId).map(MemberWallets::wallet);
    }

    /** Every wallet of one user, in any community and role (a member's own dashboard), at most {@code limit}. */
    public List<Wallet> ofUser(String userId, int limit) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be 1..1000");
        return dsl.fetch(SELECT + " where user_id = ? order by community_id, role limit ?", userId, limit).map(MemberWallets::wallet);
    }

    /** A member's holds that have not been released or cancelled yet, soonest release first. */
    public List<Hold> openHolds(String communityId, String userId, int limit) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be 1..1000");
        return dsl.fetch("""
                select hold_id, transaction_id, role, amount_paise, release_at, blocked_reason
                  from wallet_hold
                 where community_id = ? and user_id = ? and released_journal_id is null and cancelled_journal_id is null
                 order by release_at, hold_id limit ?
                """, communityId, userId, limit)
                .map(r -> new Hold(r.get(0, Long.class), r.get(1, UUID.class), r.get(2, String.class), r.get(3, Long.class),
                        r.get(4, OffsetDateTime.class), r.get(5, String.class)));
    }

    private static final String SELECT = "select community_id, role, user_id, pending_paise, available_paise, locked_paise,"
            + " paid_out_paise, receivable_paise, updated_at from member_wallet";

    private static Wallet wallet(org.jooq.Record r) {
        return new Wallet(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class), r.get(3, Long.class),
                r.get(4, Long.class), r.get(5, Long.class), r.get(6, Long.class), r.get(7, Long.class), r.get(8, OffsetDateTime.class));
    }
}
