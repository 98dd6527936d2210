package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.PAYMENT;
import static com.commdesk.ledger.jooq.Tables.REFUND_APPROVAL;
import static com.commdesk.ledger.jooq.Tables.REFUND_OUTCOME;
import static com.commdesk.ledger.jooq.Tables.REFUND_REQUEST;

import com.commdesk.ledger.jooq.tables.records.RefundApprovalRecord;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * Community owners' refunds that take what has been asked for of a payment above the approval threshold
 * (changesets 096, 097, docs/payments.md "Refund approvals"). Such a refund is recorded as a refund request and an approval request in one transaction and
 * nothing else happens — nothing is reserved and Cashfree is not asked — until a finance approver other than
 * the requester (any letter case; the database checks it too) approves it, which lets the API start its
 * workflow, or rejects it, which is final. Each is decided once.
 */
public final class RefundApprovals {
    public static final int MAX_PAGE = 500;

    private final Ledger ledger;

    public RefundApprovals(Ledger ledger) {
        this.ledger = ledger;
    }

    public enum Status { AWAITING_APPROVAL, APPROVED, REJECTED }

    public record Approval(String refundId, String paymentId, String communityId, String kind, long amountPaise, long thresholdPaise,
                           String reason, String requestedBy, Status status, String decidedBy, OffsetDateTime decidedAt,
                           String decisionNote, OffsetDateTime createdAt, long requestedTotalPaise) {}

    /**
     * Records the refund request ({@link RefundIntake}'s idempotency rules) and, if it is new, asked for by an owner
     * ({@code ownerRequest}) and takes the payment's {@linkplain #askedFor total asked for} above {@code thresholdPaise},
     * its approval request, together. The payment's row is locked first, so parts asked for at once are totalled one
     * after the other and cannot each slip under the threshold. Returns the refund's approval if it has one (new, or
     * recorded by the first request with this key), empty if the refund needs none.
     */
    public Optional<Approval> accept(RefundIntake.RefundRequestRecord r, boolean ownerRequest, String communityId, String reason,
                                     long thresholdPaise) {
        return ledger.inTransaction(tx -> {
            if (tx.select(PAYMENT.PAYMENT_ID).from(PAYMENT).where(PAYMENT.PAYMENT_ID.eq(r.paymentId())).forUpdate().fetchOptional().isEmpty()) {
                throw new LedgerException(LedgerException.Code.NOT_FOUND, "no payment with id '" + r.paymentId() + "'");
            }
            if (RefundIntake.accept(tx, r) != RefundIntake.Outcome.CREATED || !ownerRequest) {
                return tx.selectFrom(REFUND_APPROVAL).where(REFUND_APPROVAL.REFUND_ID.eq(r.refundId())).fetchOptional(RefundApprovals::of);
            }
            long total = askedFor(tx, r.paymentId());
            if (total > thresholdPaise) {
                tx.insertInto(REFUND_APPROVAL).set(REFUND_APPROVAL.REFUND_ID, r.refundId()).set(REFUND_APPROVAL.PAYMENT_ID, r.paymentId())
                        .set(REFUND_APPROVAL.COMMUNITY_ID, communityId).set(REFUND_APPROVAL.KIND, r.kind())
                        .set(REFUND_APPROVAL.AMOUNT_PAISE, r.amountPaise()).set(REFUND_APPROVAL.THRESHOLD_PAISE, thresholdPaise)
                        .set(REFUND_APPROVAL.REASON, reason).set(REFUND_APPROVAL.REQUESTED_BY, r.requestedBy())
                        .set(REFUND_APPROVAL.REQUESTED_TOTAL_PAISE, total).execute();
            }
            return tx.selectFrom(REFUND_APPROVAL).where(REFUND_APPROVAL.REFUND_ID.eq(r.refundId())).fetchOptional(RefundApprovals::of);
        });
    }

    /**
     * What has been asked for of a payment, in paise: every refund and chargeback requested for it (whoever asked, this
     * transaction's included) except those finance rejected and those Cashfree failed or cancelled. A request that never
     * got as far as a reservation still counts: the total errs towards asking finance.
     */
    static long askedFor(org.jooq.DSLContext tx, String paymentId) {
        var total = tx.select(DSL.coalesce(DSL.sum(REFUND_REQUEST.AMOUNT_PAISE), java.math.BigDecimal.ZERO)).from(REFUND_REQUEST)
                .where(REFUND_REQUEST.PAYMENT_ID.eq(paymentId))
                .andNotExists(DSL.selectOne().from(REFUND_APPROVAL).where(REFUND_APPROVAL.REFUND_ID.eq(REFUND_REQUEST.REFUND_ID))
                        .and(REFUND_APPROVAL.STATUS.eq(Status.REJECTED.name())))
                .andNotExists(DSL.selectOne().from(REFUND_OUTCOME).where(REFUND_OUTCOME.REFUND_ID.eq(REFUND_REQUEST.REFUND_ID))
                        .and(REFUND_OUTCOME.OUTCOME.in("FAILED", "CANCELLED")))
                .fetchSingle().value1();
        return total.longValueExact();
    }

    public Optional<Approval> find(String refundId) {
        return ledger.once(tx -> tx.selectFrom(REFUND_APPROVAL).where(REFUND_APPROVAL.REFUND_ID.eq(refundId)).fetchOptional(RefundApprovals::of));
    }

    /**
     * Decides an approval once, under its row lock. The same decision again by its decider (any letter case) is answered
     * with the decided approval (a repeated request); the same decision by someone else, the other decision afterwards,
     * or any decision by the requester (any letter case), is a {@link LedgerException.Code#WRONG_STATE} (the database's
     * check refuses the last too): nobody else's call is answered as if it had decided (review s12, the audit log).
     */
    public Approval decide(String refundId, boolean approve, String decidedBy, String note) {
        return ledger.inTransaction(tx -> {
            Approval a = tx.selectFrom(REFUND_APPROVAL).where(REFUND_APPROVAL.REFUND_ID.eq(refundId)).forUpdate().fetchOptional(RefundApprovals::of)
                    .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no refund awaiting approval with id '" + refundId + "'"));
            if (samePerson(a.requestedBy(), decidedBy)) {
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "four eyes: refund " + refundId + " was requested by "
                        + decidedBy + "; another approver must decide");
            }
            Status wanted = approve ? Status.APPROVED : Status.REJECTED;
            if (a.status() == wanted && samePerson(a.decidedBy(), decidedBy)) return a;
            if (a.status() != Status.AWAITING_APPROVAL) {
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + " is already " + a.status()
                        + (a.decidedBy() == null ? "" : " by " + a.decidedBy()));
            }
            return tx.update(REFUND_APPROVAL).set(REFUND_APPROVAL.STATUS, wanted.name()).set(REFUND_APPROVAL.DECIDED_BY, decidedBy)
                    .set(REFUND_APPROVAL.DECIDED_AT, DSL.currentOffsetDateTime()).set(REFUND_APPROVAL.DECISION_NOTE, note)
                    .where(REFUND_APPROVAL.REFUND_ID.eq(refundId)).returning().fetchSingle().map(r -> of((RefundApprovalRecord) r));
        });
    }

    /** Approvals in {@code status}, oldest first (ties by refund id), limited to {@code communities} (null: all), at most {@code limit}. */
    public List<Approval> list(Status status, Set<String> communities, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        Condition where = REFUND_APPROVAL.STATUS.eq(status.name());
        if (communities != null) where = where.and(REFUND_APPROVAL.COMMUNITY_ID.in(communities));
        Condition scope = where;
        return ledger.once(tx -> tx.selectFrom(REFUND_APPROVAL).where(scope).orderBy(REFUND_APPROVAL.CREATED_AT, REFUND_APPROVAL.REFUND_ID)
                .limit(limit).fetch(RefundApprovals::of));
    }

    static boolean samePerson(String a, String b) {
        return a != null && b != null && a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }

    private static Approval of(RefundApprovalRecord r) {
        return new Approval(r.getRefundId(), r.getPaymentId(), r.getCommunityId(), r.getKind(), r.getAmountPaise(), r.getThresholdPaise(),
                r.getReason(), r.getRequestedBy(), Status.valueOf(r.getStatus()), r.getDecidedBy(), r.getDecidedAt(), r.getDecisionNote(),
                r.getCreatedAt(), r.getRequestedTotalPaise());
    }
}
