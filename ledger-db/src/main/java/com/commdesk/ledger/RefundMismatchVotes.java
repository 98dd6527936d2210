package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.PAYMENT;
import static com.commdesk.ledger.jooq.Tables.REFUND_MISMATCH_VOTE;
import static com.commdesk.ledger.jooq.Tables.REFUND_MISMATCH_VOTE_WITHDRAWAL;
import static com.commdesk.ledger.jooq.Tables.REFUND_OUTCOME;
import static com.commdesk.ledger.jooq.Tables.REFUND_REQUEST;

import com.commdesk.ledger.jooq.tables.records.RefundMismatchVoteRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Finance's two-person resolution of a refund whose Cashfree record has another amount or order (changesets 113, 114,
 * docs/payments.md "Refunds"). Each approver's vote — PAID or RELEASED, a reason, Cashfree's reference — is a row kept
 * for ever, cast in a <em>round</em>: the refund workflow's count of its mismatch holds when the API read it (a refund
 * held again after an operator's RETRY is a new round, and votes of an earlier one never count in it; a vote recorded
 * before rounds is one of round 1). A round's resolution is {@linkplain Resolution#ready ready} when a second person (not
 * the first, any letter case) voted the same outcome in it (votes on one payment's refunds are ordered by its row lock),
 * and only then may the refund's workflow be told. Neither voter may be the refund's requester (the same rule as
 * {@link RefundApprovals}: {@link RefundApprovals#samePerson}). A vote of the other outcome is refused while one stands;
 * its voter may {@linkplain #withdraw withdraw} it (a row of its own, never a change) until the round is ready, and a
 * withdrawn vote no longer counts. Nothing is voted once the refund's outcome is booked, nor for a round before the
 * latest. The same person voting the same outcome again is answered as it stands (a repeated request). The database
 * holds the same rules (triggers of changeset 114).
 */
public final class RefundMismatchVotes {
    private final Ledger ledger;

    public RefundMismatchVotes(Ledger ledger) {
        this.ledger = ledger;
    }

    public enum Outcome { PAID, RELEASED }

    public record Vote(Outcome outcome, String votedBy, String reason, String cashfreeReference, OffsetDateTime votedAt) {}

    /**
     * A round's votes that count (not withdrawn), first first; {@code ready} when two people agreed. {@link #decidedBy}
     * names both. {@code round} 0: no vote at all yet.
     */
    public record Resolution(String refundId, int round, List<Vote> votes) {
        public boolean ready() {
            return votes.size() == 2;
        }

        public Outcome outcome() {
            return votes.isEmpty() ? null : votes.get(0).outcome();
        }

        /** "first+second" once ready (recorded as the refund outcome's decided_by: at most 128 characters). */
        public String decidedBy() {
            if (!ready()) return null;
            String both = votes.get(0).votedBy() + "+" + votes.get(1).votedBy();
            return both.length() <= 128 ? both : both.substring(0, 128);
        }
    }

    /** The voter may not take part: the refund's requester. Nothing is written. */
    public static final class FourEyes extends LedgerException {
        public FourEyes(String message) {
            super(Code.WRONG_STATE, message);
        }
    }

    /** One stored vote: its number, round (null read as 1) and whether its voter withdrew it. */
    private record Row(short voteNo, int round, Vote vote, boolean withdrawn) {}

    /**
     * Records {@code voter}'s vote in {@code round} under the payment's row lock. {@link LedgerException.Code#NOT_FOUND}:
     * no such refund; {@link FourEyes}: the voter requested the refund; {@link LedgerException.Code#WRONG_STATE}: the
     * refund's outcome is booked, the round is over (a later one has votes), the voter's vote of the other outcome stands
     * in it, a vote of the other outcome stands, or two people already resolved it. The voter's same vote again: the
     * resolution as it stands, nothing written.
     */
    public Resolution vote(String refundId, int round, Outcome outcome, String voter, String reason, String cashfreeReference) {
        if (round < 1) throw new IllegalArgumentException("a round (the workflow's mismatch hold, from 1) is required");
        if (outcome == null) throw new IllegalArgumentException("outcome is required");
        if (voter == null || voter.isBlank() || voter.length() > 128) throw new IllegalArgumentException("a voter is required");
        if (reason == null || reason.isBlank() || reason.length() > 500) throw new IllegalArgumentException("a reason of at most 500 is required");
        if (cashfreeReference == null || cashfreeReference.isBlank() || cashfreeReference.length() > 128) {
            throw new IllegalArgumentException("Cashfree's reference (at most 128) is required");
        }
        return ledger.inTransaction(tx -> {
            String requester = lock(tx, refundId);
            if (RefundApprovals.samePerson(requester, voter)) {
                throw new FourEyes("four eyes: " + voter + " requested refund " + refundId + "; two other finance approvers must resolve it");
            }
            List<Row> rows = rows(tx, refundId);
            int latest = latest(rows);
            if (round < latest) {
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + ": round " + round
                        + " is over, its votes are for round " + latest + " (the refund was held for a mismatch again)");
            }
            List<Vote> votes = live(rows, round);
            for (Vote v : votes) {
                if (RefundApprovals.samePerson(v.votedBy(), voter)) {
                    if (v.outcome() == outcome) return new Resolution(refundId, round, votes); // a repeated request
                    throw new LedgerException(LedgerException.Code.WRONG_STATE, voter + " already voted " + v.outcome() + " for refund "
                            + refundId + " (withdraw that vote first)");
                }
            }
            if (votes.size() >= 2) {
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + " is already resolved "
                        + votes.get(0).outcome() + " by " + votes.get(0).votedBy() + " and " + votes.get(1).votedBy());
            }
            if (!votes.isEmpty() && votes.get(0).outcome() != outcome) {
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + ": " + votes.get(0).votedBy() + " voted "
                        + votes.get(0).outcome() + "; a second vote must agree (talk to them: they may withdraw it)");
            }
            if (tx.fetchExists(REFUND_OUTCOME, REFUND_OUTCOME.REFUND_ID.eq(refundId))) {
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + "'s outcome is already booked");
            }
            int next = rows.stream().mapToInt(Row::voteNo).max().orElse(0) + 1;
            tx.insertInto(REFUND_MISMATCH_VOTE).set(REFUND_MISMATCH_VOTE.REFUND_ID, refundId)
                    .set(REFUND_MISMATCH_VOTE.VOTE_NO, (short) next).set(REFUND_MISMATCH_VOTE.HOLD_ROUND, round)
                    .set(REFUND_MISMATCH_VOTE.OUTCOME, outcome.name())
                    .set(REFUND_MISMATCH_VOTE.VOTED_BY, voter).set(REFUND_MISMATCH_VOTE.REASON, reason.strip())
                    .set(REFUND_MISMATCH_VOTE.CASHFREE_REFERENCE, cashfreeReference.strip()).execute();
            return new Resolution(refundId, round, live(rows(tx, refundId), round));
        });
    }

    /**
     * Withdraws {@code voter}'s own vote of the refund's latest round (a row in refund_mismatch_vote_withdrawal; the vote is
     * kept) under the payment's row lock: it no longer counts, and the voter may vote again. NOT_FOUND: no such refund;
     * WRONG_STATE: the voter has no vote there, the round is ready (two agreeing votes: the workflow is told), or the
     * refund's outcome is booked. A vote already withdrawn: the resolution as it stands, nothing written.
     */
    public Resolution withdraw(String refundId, String voter, String reason) {
        if (voter == null || voter.isBlank() || voter.length() > 128) throw new IllegalArgumentException("a voter is required");
        if (reason == null || reason.isBlank() || reason.length() > 500) throw new IllegalArgumentException("a reason of at most 500 is required");
        return ledger.inTransaction(tx -> {
            lock(tx, refundId);
            List<Row> rows = rows(tx, refundId);
            int round = latest(rows);
            List<Row> mine = rows.stream().filter(r -> r.round() == round && RefundApprovals.samePerson(r.vote().votedBy(), voter)).toList();
            Row standing = mine.stream().filter(r -> !r.withdrawn()).findFirst().orElse(null);
            if (standing == null) {
                if (!mine.isEmpty()) return new Resolution(refundId, round, live(rows, round)); // a repeated request
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + ": no vote of " + voter
                        + " in its latest round to withdraw");
            }
            List<Vote> votes = live(rows, round);
            if (votes.size() >= 2) {
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + " is ready: " + votes.get(0).votedBy()
                        + " and " + votes.get(1).votedBy() + " agreed " + votes.get(0).outcome() + " and its workflow is told; a vote cannot be withdrawn");
            }
            if (tx.fetchExists(REFUND_OUTCOME, REFUND_OUTCOME.REFUND_ID.eq(refundId))) {
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + "'s outcome is already booked");
            }
            tx.insertInto(REFUND_MISMATCH_VOTE_WITHDRAWAL).set(REFUND_MISMATCH_VOTE_WITHDRAWAL.REFUND_ID, refundId)
                    .set(REFUND_MISMATCH_VOTE_WITHDRAWAL.VOTE_NO, standing.voteNo()).set(REFUND_MISMATCH_VOTE_WITHDRAWAL.WITHDRAWN_BY, voter)
                    .set(REFUND_MISMATCH_VOTE_WITHDRAWAL.REASON, reason.strip()).execute();
            return new Resolution(refundId, round, live(rows(tx, refundId), round));
        });
    }

    /** The resolution of the refund's latest round as it stands (no votes: round 0, none). */
    public Resolution find(String refundId) {
        return ledger.once(tx -> {
            List<Row> rows = rows(tx, refundId);
            int round = latest(rows);
            return new Resolution(refundId, round, live(rows, round));
        });
    }

    /**
     * Resolutions made ready since {@code since} in their refund's latest round, whose refund has no outcome booked yet,
     * oldest first, at most {@code limit}: what the API signals again if the signal sent with the second vote was lost
     * (Temporal down, process died). A ready round followed by votes of a later one is not listed (its hold is over).
     */
    public List<Resolution> readyNotBooked(OffsetDateTime since, int limit) {
        return ledger.once(tx -> {
            var v = REFUND_MISMATCH_VOTE.as("v");
            var first = REFUND_MISMATCH_VOTE.as("f");
            var later = REFUND_MISMATCH_VOTE.as("l");
            Field<Integer> round = DSL.coalesce(v.HOLD_ROUND, DSL.inline(1));
            // The second counting vote of a round (a round has at most two): it made the round ready.
            var ready = tx.select(v.REFUND_ID, round).from(v)
                    .where(v.VOTED_AT.ge(since), notWithdrawn(v))
                    .andExists(DSL.selectOne().from(first).where(first.REFUND_ID.eq(v.REFUND_ID), first.VOTE_NO.lt(v.VOTE_NO),
                            DSL.coalesce(first.HOLD_ROUND, DSL.inline(1)).eq(round), notWithdrawn(first)))
                    .andNotExists(DSL.selectOne().from(later).where(later.REFUND_ID.eq(v.REFUND_ID),
                            DSL.coalesce(later.HOLD_ROUND, DSL.inline(1)).gt(round)))
                    .andNotExists(DSL.selectOne().from(REFUND_OUTCOME).where(REFUND_OUTCOME.REFUND_ID.eq(v.REFUND_ID)))
                    .orderBy(v.VOTED_AT, v.REFUND_ID).limit(limit).fetch();
            if (ready.isEmpty()) return List.of();
            // Every ready refund's votes in two more queries, not per refund (the sweep reads up to `limit` every 5 minutes).
            Map<String, List<Row>> byRefund = rows(tx, REFUND_MISMATCH_VOTE.REFUND_ID.in(ready.getValues(v.REFUND_ID)),
                    REFUND_MISMATCH_VOTE_WITHDRAWAL.REFUND_ID.in(ready.getValues(v.REFUND_ID)));
            return ready.stream().map(r -> new Resolution(r.value1(), r.value2(), live(byRefund.get(r.value1()), r.value2()))).toList();
        });
    }

    /** The refund's requester, with the payment's row lock held: votes and withdrawals on its refunds go one after the other. */
    private static String lock(DSLContext tx, String refundId) {
        var request = tx.select(REFUND_REQUEST.REQUESTED_BY, REFUND_REQUEST.PAYMENT_ID).from(REFUND_REQUEST)
                .where(REFUND_REQUEST.REFUND_ID.eq(refundId)).fetchOptional()
                .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no refund with id '" + refundId + "'"));
        // The payment's row lock orders votes on its refunds (as refund approvals and the ledger's refunds do): two
        // approvers voting at once are counted one after the other.
        tx.select(PAYMENT.PAYMENT_ID).from(PAYMENT).where(PAYMENT.PAYMENT_ID.eq(request.value2())).forUpdate().fetch();
        return request.value1();
    }

    private static Condition notWithdrawn(com.commdesk.ledger.jooq.tables.RefundMismatchVote t) {
        return DSL.notExists(DSL.selectOne().from(REFUND_MISMATCH_VOTE_WITHDRAWAL).where(
                REFUND_MISMATCH_VOTE_WITHDRAWAL.REFUND_ID.eq(t.REFUND_ID), REFUND_MISMATCH_VOTE_WITHDRAWAL.VOTE_NO.eq(t.VOTE_NO)));
    }

    private static List<Row> rows(DSLContext tx, String refundId) {
        return rows(tx, REFUND_MISMATCH_VOTE.REFUND_ID.eq(refundId), REFUND_MISMATCH_VOTE_WITHDRAWAL.REFUND_ID.eq(refundId))
                .getOrDefault(refundId, List.of());
    }

    /** The votes the conditions select, by refund, in vote order, each marked withdrawn or not. */
    private static Map<String, List<Row>> rows(DSLContext tx, Condition votes, Condition withdrawals) {
        Set<String> withdrawn = new HashSet<>(tx.select(REFUND_MISMATCH_VOTE_WITHDRAWAL.REFUND_ID, REFUND_MISMATCH_VOTE_WITHDRAWAL.VOTE_NO)
                .from(REFUND_MISMATCH_VOTE_WITHDRAWAL).where(withdrawals).fetch(r -> r.value1() + "#" + r.value2()));
        Map<String, List<Row>> out = new HashMap<>();
        for (RefundMismatchVoteRecord r : tx.selectFrom(REFUND_MISMATCH_VOTE).where(votes)
                .orderBy(REFUND_MISMATCH_VOTE.REFUND_ID, REFUND_MISMATCH_VOTE.VOTE_NO).fetch()) {
            out.computeIfAbsent(r.getRefundId(), k -> new ArrayList<>()).add(new Row(r.getVoteNo(),
                    r.getHoldRound() == null ? 1 : r.getHoldRound(), of(r), withdrawn.contains(r.getRefundId() + "#" + r.getVoteNo())));
        }
        return out;
    }

    /** The refund's latest round with a vote (a vote without one is round 1); 0 when nobody voted. */
    private static int latest(List<Row> rows) {
        return rows.stream().mapToInt(Row::round).max().orElse(0);
    }

    /** The round's votes that count: not withdrawn, first first. */
    private static List<Vote> live(List<Row> rows, int round) {
        return rows == null ? List.of() : rows.stream().filter(r -> r.round() == round && !r.withdrawn()).map(Row::vote).toList();
    }

    private static Vote of(RefundMismatchVoteRecord r) {
        return new Vote(Outcome.valueOf(r.getOutcome()), r.getVotedBy(), r.getReason(), r.getCashfreeReference(), r.getVotedAt());
    }
}
