package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.PAYMENT;
import static com.commdesk.ledger.jooq.Tables.REFUND_MISMATCH_VOTE;
import static com.commdesk.ledger.jooq.Tables.REFUND_OUTCOME;
import static com.commdesk.ledger.jooq.Tables.REFUND_REQUEST;

import com.commdesk.ledger.jooq.tables.records.RefundMismatchVoteRecord;
import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.impl.DSL;

/**
 * Finance's two-person resolution of a refund whose Cashfree record has another amount or order (changeset 113,
 * docs/payments.md "Refunds"). Each approver's vote — PAID or RELEASED, a reason, Cashfree's reference — is a row kept
 * for ever; the resolution is {@linkplain Resolution#ready ready} when a second person (not the first, any letter case)
 * voted the same outcome (votes on one payment's refunds are ordered by its row lock), and only then may the refund's workflow be told. Neither voter may be the refund's requester
 * (the same rule as {@link RefundApprovals}: {@link RefundApprovals#samePerson}). The first vote stands: a vote of the
 * other outcome is refused, as is any vote once the refund's outcome is booked. The same person voting the same outcome
 * again is answered as it stands (a repeated request). The database holds the same rules (trigger of changeset 113).
 */
public final class RefundMismatchVotes {
    private final Ledger ledger;

    public RefundMismatchVotes(Ledger ledger) {
        this.ledger = ledger;
    }

    public enum Outcome { PAID, RELEASED }

    public record Vote(Outcome outcome, String votedBy, String reason, String cashfreeReference, OffsetDateTime votedAt) {}

    /** The votes so far, first first; {@code ready} when two people agreed. {@link #decidedBy} names both. */
    public record Resolution(String refundId, List<Vote> votes) {
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

    /**
     * Records {@code voter}'s vote under the payment's row lock. {@link LedgerException.Code#NOT_FOUND}: no such refund;
     * {@link FourEyes}: the voter requested the refund; {@link LedgerException.Code#WRONG_STATE}: the refund's outcome is
     * booked, the voter already voted the other outcome, or a vote of the other outcome stands, or two people already
     * resolved it otherwise. The voter's same vote again: the resolution as it stands, nothing written.
     */
    public Resolution vote(String refundId, Outcome outcome, String voter, String reason, String cashfreeReference) {
        if (outcome == null) throw new IllegalArgumentException("outcome is required");
        if (voter == null || voter.isBlank() || voter.length() > 128) throw new IllegalArgumentException("a voter is required");
        if (reason == null || reason.isBlank() || reason.length() > 500) throw new IllegalArgumentException("a reason of at most 500 is required");
        if (cashfreeReference == null || cashfreeReference.isBlank() || cashfreeReference.length() > 128) {
            throw new IllegalArgumentException("Cashfree's reference (at most 128) is required");
        }
        return ledger.inTransaction(tx -> {
            var request = tx.select(REFUND_REQUEST.REQUESTED_BY, REFUND_REQUEST.PAYMENT_ID).from(REFUND_REQUEST)
                    .where(REFUND_REQUEST.REFUND_ID.eq(refundId)).fetchOptional()
                    .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no refund with id '" + refundId + "'"));
            String requester = request.value1();
            // The payment's row lock orders votes on its refunds (as refund approvals and the ledger's refunds do): two
            // approvers voting at once are counted one after the other.
            tx.select(PAYMENT.PAYMENT_ID).from(PAYMENT).where(PAYMENT.PAYMENT_ID.eq(request.value2())).forUpdate().fetch();
            if (RefundApprovals.samePerson(requester, voter)) {
                throw new FourEyes("four eyes: " + voter + " requested refund " + refundId + "; two other finance approvers must resolve it");
            }
            List<Vote> votes = votes(tx, refundId);
            for (Vote v : votes) {
                if (RefundApprovals.samePerson(v.votedBy(), voter)) {
                    if (v.outcome() == outcome) return new Resolution(refundId, votes); // a repeated request
                    throw new LedgerException(LedgerException.Code.WRONG_STATE, voter + " already voted " + v.outcome() + " for refund " + refundId);
                }
            }
            if (!votes.isEmpty() && votes.get(0).outcome() != outcome) {
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + ": " + votes.get(0).votedBy() + " voted "
                        + votes.get(0).outcome() + "; a second vote must agree (talk to them)");
            }
            if (votes.size() >= 2) {
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + " is already resolved "
                        + votes.get(0).outcome() + " by " + votes.get(0).votedBy() + " and " + votes.get(1).votedBy());
            }
            if (tx.fetchExists(REFUND_OUTCOME, REFUND_OUTCOME.REFUND_ID.eq(refundId))) {
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + "'s outcome is already booked");
            }
            tx.insertInto(REFUND_MISMATCH_VOTE).set(REFUND_MISMATCH_VOTE.REFUND_ID, refundId)
                    .set(REFUND_MISMATCH_VOTE.VOTE_NO, (short) (votes.size() + 1)).set(REFUND_MISMATCH_VOTE.OUTCOME, outcome.name())
                    .set(REFUND_MISMATCH_VOTE.VOTED_BY, voter).set(REFUND_MISMATCH_VOTE.REASON, reason.strip())
                    .set(REFUND_MISMATCH_VOTE.CASHFREE_REFERENCE, cashfreeReference.strip()).execute();
            return new Resolution(refundId, votes(tx, refundId));
        });
    }

    /** The resolution as it stands (no votes: an empty one). */
    public Resolution find(String refundId) {
        return ledger.once(tx -> new Resolution(refundId, votes(tx, refundId)));
    }

    /**
     * Resolutions made ready since {@code since} whose refund has no outcome booked yet, oldest first, at most {@code limit}:
     * what the API signals again if the signal sent with the second vote was lost (Temporal down, process died).
     */
    public List<Resolution> readyNotBooked(OffsetDateTime since, int limit) {
        return ledger.once(tx -> {
            List<String> ready = tx.select(REFUND_MISMATCH_VOTE.REFUND_ID).from(REFUND_MISMATCH_VOTE)
                    .where(REFUND_MISMATCH_VOTE.VOTE_NO.eq((short) 2), REFUND_MISMATCH_VOTE.VOTED_AT.ge(since))
                    .andNotExists(DSL.selectOne().from(REFUND_OUTCOME).where(REFUND_OUTCOME.REFUND_ID.eq(REFUND_MISMATCH_VOTE.REFUND_ID)))
                    .orderBy(REFUND_MISMATCH_VOTE.VOTED_AT, REFUND_MISMATCH_VOTE.REFUND_ID).limit(limit)
                    .fetch(REFUND_MISMATCH_VOTE.REFUND_ID);
            // Every ready refund's votes in one more query, not one per refund (the sweep reads up to `limit` every 5 minutes).
            java.util.Map<String, List<Vote>> byRefund = tx.selectFrom(REFUND_MISMATCH_VOTE).where(REFUND_MISMATCH_VOTE.REFUND_ID.in(ready))
                    .orderBy(REFUND_MISMATCH_VOTE.REFUND_ID, REFUND_MISMATCH_VOTE.VOTE_NO).fetch().stream()
                    .collect(java.util.stream.Collectors.groupingBy(RefundMismatchVoteRecord::getRefundId,
                            java.util.stream.Collectors.mapping(RefundMismatchVotes::of, java.util.stream.Collectors.toList())));
            return ready.stream().map(id -> new Resolution(id, byRefund.get(id))).toList();
        });
    }

    private static List<Vote> votes(org.jooq.DSLContext tx, String refundId) {
        return tx.selectFrom(REFUND_MISMATCH_VOTE).where(REFUND_MISMATCH_VOTE.REFUND_ID.eq(refundId)).orderBy(REFUND_MISMATCH_VOTE.VOTE_NO)
                .fetch(RefundMismatchVotes::of);
    }

    private static Vote of(RefundMismatchVoteRecord r) {
        return new Vote(Outcome.valueOf(r.getOutcome()), r.getVotedBy(), r.getReason(), r.getCashfreeReference(), r.getVotedAt());
    }
}
