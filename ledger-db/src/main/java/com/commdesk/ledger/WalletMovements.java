package com.commdesk.ledger;

import com.commdesk.ledger.AccountCodes.WalletBucket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;

/**
 * A member's money changing state after it was credited: a payout's lock, payment, failure and late
 * reversal, and the recovery of what a member owes. Each is one balanced journal keyed by the payout
 * it belongs to ({@code payout_lock:payout:<id>}, ...), written by the {@link JournalWriter}; a bucket
 * that would go negative refuses the movement (INSUFFICIENT_FUNDS, nothing written).
 *
 * <p>Receivables first: whenever money becomes available to a member (a payout failed or came back, a
 * hold released, a cancelled refund returned), what the member owes is repaid from it in the same
 * transaction by a RECOVERY journal, before anything can be paid out.
 */
public final class WalletMovements {
    /**
     * A member's money changing state: available -> locked -> paid out, or back. Each has its journal kind, the buckets the
     * money leaves and enters, and the first part of the content its hash is made of in a payout's second round
     * ({@link #relockRoundMovement}); the first round's is the movement's name. Those prefixes are production's: journals
     * written already must still be found by a retry (WalletMovementKeysTest pins them).
     */
    public enum Movement {
        PAYOUT_LOCK(JournalKind.PAYOUT_LOCK, WalletBucket.AVAILABLE, WalletBucket.LOCKED, "relock"),
        PAYOUT_PAID(JournalKind.PAYOUT_PAID, WalletBucket.LOCKED, null, "paid-after-relock"),
        PAYOUT_FAILED(JournalKind.PAYOUT_FAILED, WalletBucket.LOCKED, WalletBucket.AVAILABLE, "release-after-relock"),
        /** A paid-out transfer the bank sent back (late REVERSED): the exact negation of PAYOUT_PAID, back into locked. */
        PAYOUT_REVERSED(JournalKind.PAYOUT_REVERSED, null, WalletBucket.LOCKED, "reversed-after-relock");

        final JournalKind kind;
        final WalletBucket from; // null: from Cashfree's payout balance, back into the wallet
        final WalletBucket to; // null: out of the wallet, to Cashfree's payout balance
        final String relockContent;

        Movement(JournalKind kind, WalletBucket from, WalletBucket to, String relockContent) {
            this.kind = kind;
            this.from = from;
            this.to = to;
            this.relockContent = relockContent;
        }
    }

    /** Whose wallet. */
    public record Member(String communityId, String role, String userId) {
        public Member {
            if (communityId == null || role == null || userId == null) throw new IllegalArgumentException("community, role and user are required");
        }
    }

    private final Ledger ledger;

    public WalletMovements(Ledger ledger) {
        this.ledger = ledger;
    }

    /** One payout movement in a transaction of its own; see {@link #payoutMovement(DSLContext, Movement, String, Member, long, String)}. */
    public long payoutMovement(Movement movement, String payoutId, Member member, long amountPaise, String description) {
        return ledger.inTransaction(tx -> payoutMovement(tx, movement, payoutId, member, amountPaise, description));
    }

    /**
     * Moves a payout's money as one journal keyed {@code <kind>:payout:<payoutId>}, inside the caller's
     * transaction (run it through {@link Ledger#inTransaction}), idempotent by key and content. Money
     * returning to available (PAYOUT_FAILED) first repays what the member owes. Returns the journal id.
     */
    public long payoutMovement(DSLContext tx, Movement movement, String payoutId, Member member, long amountPaise, String description) {
        return write(tx, movement, false, payoutId, member, amountPaise, description);
    }

    /**
     * A movement of a payout's second round, by journals of that round's own ({@code <kind>:payout_relock:<payoutId>}),
     * otherwise as {@link #payoutMovement(DSLContext, Movement, String, Member, long, String)}:
     * <ul>
     * <li>PAYOUT_LOCK: Cashfree reports SUCCESS for a payout whose money had gone back to available, so the money is locked
     * again ({@code payout_lock:payout_relock:<id>}) before it can be paid or while finance decides;</li>
     * <li>PAYOUT_FAILED: that money returns to available (what the member owes repaid first): the first release already holds
     * {@code payout_failed:payout:<id>}, and reusing it would read as a retry of that release and move nothing;</li>
     * <li>PAYOUT_PAID: the relocked money of a payout paid once and returned already is paid; the first round's
     * {@code payout_paid:payout:<id>} is taken by the first payment (review M2);</li>
     * <li>PAYOUT_REVERSED: that second payment sent back by the bank, the exact negation of it; the money then returns to
     * available by this round's PAYOUT_FAILED.</li>
     * </ul>
     */
    public long relockRoundMovement(DSLContext tx, Movement movement, String payoutId, Member member, long amountPaise,
                                    String description) {
        return write(tx, movement, true, payoutId, member, amountPaise, description);
    }

    /**
     * The one writer of a payout's movements, both rounds. The key and the content prefix come from the movement and the
     * round: {@code <kind>:payout:<id>} and the movement's name, or {@code <kind>:payout_relock:<id>} and its
     * {@code relockContent}; the rest of the content is {@code |<payout>|<community>|<role>|<user>|<amount>}.
     */
    private long write(DSLContext tx, Movement movement, boolean relockRound, String payoutId, Member member, long amountPaise,
                       String description) {
        if (amountPaise <= 0) throw new IllegalArgumentException("amountPaise must be positive, got " + amountPaise);
        JournalKey key = relockRound ? JournalKey.payoutAfterRelock(movement.kind, payoutId) : JournalKey.payout(movement.kind, payoutId);
        String content = (relockRound ? movement.relockContent : movement.name()) + "|" + payoutId + "|" + member.communityId() + "|"
                + member.role() + "|" + member.userId() + "|" + amountPaise;
        JournalWriter.Written w = ledger.writer().write(tx, Journal.of(key, member.communityId(), description, null,
                lines(movement, member, amountPaise), content));
        if (w.fresh() && movement.to == WalletBucket.AVAILABLE) recover(tx, w.journalId(), member.communityId(), List.of(member));
        return w.journalId();
    }

    /** The lines of a movement (pure): debit the bucket the money leaves, credit the one it enters. */
    static List<JournalLine> lines(Movement m, Member member, long amountPaise) {
        return List.of(
                m.from != null ? memberLine(member, m.from, amountPaise)
                        : JournalLine.system(AccountCodes.CASHFREE_PAYOUT_BALANCE, "ASSET", "CASHFREE_PAYOUT_BALANCE", amountPaise),
                m.to != null ? memberLine(member, m.to, -amountPaise)
                        : JournalLine.system(AccountCodes.CASHFREE_PAYOUT_BALANCE, "ASSET", "CASHFREE_PAYOUT_BALANCE", -amountPaise));
    }

    static JournalLine memberLine(Member m, WalletBucket bucket, long amountPaise) {
        return PaymentJournal.memberLine(m.communityId(), m.role(), m.userId(), bucket, amountPaise);
    }

    /**
     * Receivables first: for each of these members of one community, repays what they owe from their
     * available money (a member who owes has nothing else available: a refund takes available money
     * before it makes a receivable). One RECOVERY journal, keyed after the journal that made the money
     * available; none if nobody owes. Returns its id, or null.
     */
    Long recover(DSLContext tx, long afterJournalId, String communityId, Collection<Member> members) {
        Map<String, long[]> balances = lockWallets(tx, communityId, members);
        List<JournalLine> lines = new ArrayList<>();
        StringBuilder content = new StringBuilder("recovery|" + afterJournalId);
        for (Member m : new TreeMap<>(byKey(members)).values()) {
            long[] b = balances.get(key(m.role(), m.userId()));
            long r = Math.min(b[1], b[3]);
            if (r == 0) continue;
            lines.add(memberLine(m, WalletBucket.AVAILABLE, r));
            lines.add(memberLine(m, WalletBucket.RECEIVABLE, -r));
            content.append('|').append(m.role()).append('/').append(m.userId()).append('=').append(r);
        }
        if (lines.isEmpty()) return null;
        return ledger.writer().write(tx, Journal.of(JournalKey.recovery(afterJournalId), communityId,
                "receivables repaid from money made available by journal " + afterJournalId, null, lines, content.toString())).journalId();
    }

    private static Map<String, Member> byKey(Collection<Member> members) {
        Map<String, Member> out = new HashMap<>();
        for (Member m : members) out.put(key(m.role(), m.userId()), m);
        return out;
    }

    static String key(String role, String userId) {
        return role + "\u0000" + userId;
    }

    /**
     * Locks the community's wallet row, then these members' rows in sorted order (the projections' own
     * lock order; changelog 017), creating missing rows, and returns {pending, available, locked,
     * receivable} by {@link #key}.
     */
    static Map<String, long[]> lockWallets(DSLContext tx, String communityId, Collection<Member> members) {
        List<String> roles = new ArrayList<>(members.size());
        List<String> users = new ArrayList<>(members.size());
        for (Member m : members) {
            if (!m.communityId().equals(communityId)) throw new IllegalArgumentException(m + " is not of community " + communityId);
            roles.add(m.role());
            users.add(m.userId());
        }
        Map<String, long[]> out = new HashMap<>();
        tx.fetch("select * from ledger_lock_wallets(?, ?, ?)", communityId, roles.toArray(String[]::new), users.toArray(String[]::new))
                .forEach(r -> out.put(key(r.get(0, String.class), r.get(1, String.class)),
                        new long[] {r.get(2, Long.class), r.get(3, Long.class), r.get(4, Long.class), r.get(5, Long.class)}));
        return out;
    }
}
