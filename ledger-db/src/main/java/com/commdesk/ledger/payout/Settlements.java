package com.commdesk.ledger.payout;

import static com.commdesk.ledger.jooq.Tables.COMMUNITY;
import static com.commdesk.ledger.jooq.Tables.MEMBER_WALLET;
import static com.commdesk.ledger.jooq.Tables.PAYOUT;
import static com.commdesk.ledger.jooq.Tables.PAYOUT_BENEFICIARY;
import static com.commdesk.ledger.jooq.Tables.PAYOUT_FLAG;
import static com.commdesk.ledger.jooq.Tables.SETTLEMENT;
import static com.commdesk.ledger.payout.PayoutRows.event;
import static com.commdesk.ledger.payout.PayoutRows.sha256;
import static com.commdesk.ledger.payout.PayoutStates.PAID_OUT_SQL;
import static com.commdesk.ledger.payout.PayoutStates.TERMINAL;

import com.commdesk.ledger.Ledger;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Settlements: opening one (a payout per member with money available), paging its payouts, and its status and totals
 * from its payouts. Idempotent: a retried activity writes nothing new.
 */
public final class Settlements {
    private final Ledger ledger;

    public Settlements(Ledger ledger) {
        this.ledger = ledger;
    }

    public Settlements(DSLContext dsl) {
        this(new Ledger(dsl));
    }

    /** At most this many payouts in one page of a settlement (no activity result carries them all). */
    public static final int MAX_PAGE = 1000;

    public record Settlement(String settlementId, String communityId, String cycle, OffsetDateTime cutOff, String requestedBy,
                             String status, int payoutCount, long totalPaise, long paidPaise, int skippedNoBeneficiary,
                             OffsetDateTime createdAt, OffsetDateTime completedAt) {}

    public record CommunityPolicy(String communityId, String payoutPolicy, long minPayoutPaise) {}

    public Optional<CommunityPolicy> policy(String communityId) {
        return ledger.once(tx -> tx.select(COMMUNITY.COMMUNITY_ID, COMMUNITY.PAYOUT_POLICY, COMMUNITY.MIN_PAYOUT_PAISE).from(COMMUNITY)
                .where(COMMUNITY.COMMUNITY_ID.eq(communityId))
                .fetchOptional(r -> new CommunityPolicy(r.value1(), r.value2(), r.value3())));
    }

    /** A payout id Cashfree accepts as transfer_id (alphanumeric and _, at most 40), derived from settlement and member. */
    public static String payoutId(String settlementId, String role, String userId) {
        return "po_" + sha256(settlementId + "|" + role + "|" + userId).substring(0, 32);
    }

    /**
     * Opens a settlement and creates one payout per member whose AVAILABLE balance, net of what they owe,
     * is at least the community's minimum payout (and who has a beneficiary). The amounts are the
     * balances at this moment; the payouts lock them later. Idempotent: a settlement that exists returns
     * its payouts unchanged. Payouts above {@code approvalThresholdPaise}, of a flagged recipient, or to a beneficiary
     * someone other than the member set need approval.
     */
    public List<Payout> openSettlement(String settlementId, String communityId, String cycle, OffsetDateTime cutOff,
                                       String requestedBy, long approvalThresholdPaise) {
        open(settlementId, communityId, cycle, cutOff, requestedBy, approvalThresholdPaise);
        return payoutsOf(settlementId);
    }

    /** As {@link #openSettlement}, but returns only how many payouts the settlement has; read them by {@link #payoutPage}. */
    public int open(String settlementId, String communityId, String cycle, OffsetDateTime cutOff, String requestedBy,
                    long approvalThresholdPaise) {
        return ledger.inTransaction(tx -> {
            int created = tx.insertInto(SETTLEMENT).set(SETTLEMENT.SETTLEMENT_ID, settlementId).set(SETTLEMENT.COMMUNITY_ID, communityId)
                    .set(SETTLEMENT.CYCLE, cycle).set(SETTLEMENT.CUT_OFF, cutOff).set(SETTLEMENT.REQUESTED_BY, requestedBy)
                    .onConflict(SETTLEMENT.SETTLEMENT_ID).doNothing().execute();
            if (created == 0) return tx.fetchCount(PAYOUT, PAYOUT.SETTLEMENT_ID.eq(settlementId));
            var w = MEMBER_WALLET;
            var b = PAYOUT_BENEFICIARY;
            var f = PAYOUT_FLAG;
            // Receivables are repaid before money becomes available, so a member who owes has nothing
            // available; netting here keeps that true even for a wallet the trigger has not caught up with.
            var payable = w.AVAILABLE_PAISE.minus(w.RECEIVABLE_PAISE);
            var rows = tx.select(w.ROLE, w.USER_ID, payable, b.BENEFICIARY_ID, f.REASON, b.CREATED_BY, b.ACTIVATED_BY)
                    .from(w).join(COMMUNITY).on(COMMUNITY.COMMUNITY_ID.eq(w.COMMUNITY_ID))
                    .leftJoin(b).on(b.COMMUNITY_ID.eq(w.COMMUNITY_ID), b.ROLE.eq(w.ROLE), b.USER_ID.eq(w.USER_ID), b.SUPERSEDED_AT.isNull(),
                            // a replaced beneficiary is paid only once its cooling-off period is over
                            b.PAYABLE_FROM.isNull().or(b.PAYABLE_FROM.le(DSL.currentOffsetDateTime())))
                    .leftJoin(f).on(f.COMMUNITY_ID.eq(w.COMMUNITY_ID), f.ROLE.eq(w.ROLE), f.USER_ID.eq(w.USER_ID), f.CLEARED_AT.isNull())
                    .where(w.COMMUNITY_ID.eq(communityId), payable.gt(0L), payable.ge(COMMUNITY.MIN_PAYOUT_PAISE))
                    .orderBy(w.ROLE, w.USER_ID)
                    .fetch();
            int skipped = 0;
            long total = 0;
            int count = 0;
            for (var r : rows) {
                String role = r.value1(), user = r.value2(), bene = r.value4(), flag = r.value5(), beneficiarySetBy = r.value6(),
                        madeCurrentBy = r.value7();
                long amount = r.value3();
                if (bene == null) {
                    skipped++;
                    continue;
                }
                // An account someone else set for the member (its community's owner) is paid only with a finance approver's
                // approval, whatever the amount: the owner never chooses alone where a member's money goes (review s13).
                // Both who entered its details and who made it current (changeset 131: its owner may make a former account
                // current again) must be the member.
                boolean setByAnother = !Beneficiaries.setByItsMember(user, beneficiarySetBy);
                boolean madeCurrentByAnother = madeCurrentBy != null && !Beneficiaries.setByItsMember(user, madeCurrentBy);
                boolean needsApproval = amount > approvalThresholdPaise || flag != null || setByAnother || madeCurrentByAnother;
                String id = payoutId(settlementId, role, user);
                tx.insertInto(PAYOUT).set(PAYOUT.PAYOUT_ID, id).set(PAYOUT.SETTLEMENT_ID, settlementId).set(PAYOUT.COMMUNITY_ID, communityId)
                        .set(PAYOUT.ROLE, role).set(PAYOUT.USER_ID, user).set(PAYOUT.BENEFICIARY_ID, bene).set(PAYOUT.AMOUNT_PAISE, amount)
                        .set(PAYOUT.REQUESTED_BY, requestedBy).set(PAYOUT.NEEDS_APPROVAL, needsApproval).set(PAYOUT.FLAGGED_REASON, flag)
                        .execute();
                event(tx, id, "CREATED", requestedBy, "settlement " + settlementId + (flag != null ? "; recipient flagged: " + flag : "")
                        + (setByAnother ? "; beneficiary set by " + beneficiarySetBy + ", not the member: needs approval" : "")
                        + (!setByAnother && madeCurrentByAnother ? "; beneficiary made current by " + madeCurrentBy
                                + ", not the member: needs approval" : ""));
                total += amount;
                count++;
            }
            tx.update(SETTLEMENT).set(SETTLEMENT.PAYOUT_COUNT, count).set(SETTLEMENT.TOTAL_PAISE, total)
                    .set(SETTLEMENT.SKIPPED_NO_BENEFICIARY, skipped).where(SETTLEMENT.SETTLEMENT_ID.eq(settlementId)).execute();
            return count;
        });
    }

    /** The settlement's payouts after {@code afterPayoutId} (null: from the first), in payout id order, at most {@code limit}. */
    public List<Payout> payoutPage(String settlementId, String afterPayoutId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        return ledger.once(tx -> tx.selectFrom(PAYOUT)
                .where(PAYOUT.SETTLEMENT_ID.eq(settlementId), afterPayoutId == null ? DSL.noCondition() : PAYOUT.PAYOUT_ID.gt(afterPayoutId))
                .orderBy(PAYOUT.PAYOUT_ID).limit(limit).fetch(PayoutRows::payoutOf));
    }

    public List<Payout> payoutsOf(String settlementId) {
        return ledger.once(tx -> payoutsOf(tx, settlementId));
    }

    private static List<Payout> payoutsOf(DSLContext tx, String settlementId) {
        return tx.selectFrom(PAYOUT).where(PAYOUT.SETTLEMENT_ID.eq(settlementId)).orderBy(PAYOUT.PAYOUT_ID).fetch(PayoutRows::payoutOf);
    }

    public Optional<Payout> payout(String payoutId) {
        return ledger.once(tx -> tx.selectFrom(PAYOUT).where(PAYOUT.PAYOUT_ID.eq(payoutId)).fetchOptional(PayoutRows::payoutOf));
    }

    public Optional<Settlement> settlement(String settlementId) {
        return ledger.once(tx -> tx.selectFrom(SETTLEMENT).where(SETTLEMENT.SETTLEMENT_ID.eq(settlementId)).fetchOptional(r -> new Settlement(
                r.getSettlementId(), r.getCommunityId(), r.getCycle(), r.getCutOff(), r.getRequestedBy(), r.getStatus(), r.getPayoutCount(),
                r.getTotalPaise(), r.getPaidPaise(), r.getSkippedNoBeneficiary(), r.getCreatedAt(), r.getCompletedAt())));
    }

    /**
     * The settlement's status from its payouts: PENDING while any awaits approval, APPROVED while
     * any is on its way, then PAID if every payout was paid, REVERSED if a paid one came back, else
     * FAILED (some failed or were rejected; the payouts say which). Returns it.
     */
    public String refreshSettlement(String settlementId) {
        return ledger.inTransaction(tx -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            tx.select(PAYOUT.STATUS, DSL.count()).from(PAYOUT).where(PAYOUT.SETTLEMENT_ID.eq(settlementId)).groupBy(PAYOUT.STATUS)
                    .forEach(r -> counts.put(r.value1(), r.value2().longValue()));
            long all = counts.values().stream().mapToLong(Long::longValue).sum();
            long open = all - TERMINAL.stream().mapToLong(s -> counts.getOrDefault(s, 0L)).sum();
            String status;
            if (counts.getOrDefault("PENDING_APPROVAL", 0L) > 0 || counts.getOrDefault("CREATED", 0L) > 0) status = "PENDING";
            else if (open > 0) status = "APPROVED";
            else if (counts.getOrDefault("REVERSED", 0L) > 0) status = "REVERSED";
            else if (counts.getOrDefault("PAID", 0L) == all) status = "PAID";
            else status = "FAILED";
            var paidSum = DSL.coalesce(DSL.sum(PAYOUT.AMOUNT_PAISE), java.math.BigDecimal.ZERO);
            // Paid out: the one definition the invariants use too (PAID_OUT_SQL; review L-4, s6 F-M1).
            long paid = tx.select(paidSum).from(PAYOUT).where(PAYOUT.SETTLEMENT_ID.eq(settlementId), DSL.condition(PAID_OUT_SQL))
                    .fetchSingle(paidSum).longValueExact();
            // Complete while every payout is final; a payout reopened for finance (a ledger hold) makes it open again, so
            // completed_at says when it last became complete, never "complete" beside an open status (review L-4).
            // Written only where a value differs: a refresh that changes nothing writes no row version (late answers refresh
            // on every delivery, so that a retry repairs a lost refresh; review s7 L2).
            tx.update(SETTLEMENT).set(SETTLEMENT.STATUS, status).set(SETTLEMENT.PAID_PAISE, paid)
                    .set(SETTLEMENT.COMPLETED_AT, open == 0 ? DSL.coalesce(SETTLEMENT.COMPLETED_AT, DSL.currentOffsetDateTime())
                            : DSL.castNull(SETTLEMENT.COMPLETED_AT))
                    .where(SETTLEMENT.SETTLEMENT_ID.eq(settlementId))
                    .and(SETTLEMENT.STATUS.isDistinctFrom(status).or(SETTLEMENT.PAID_PAISE.isDistinctFrom(paid))
                            .or(open == 0 ? SETTLEMENT.COMPLETED_AT.isNull() : SETTLEMENT.COMPLETED_AT.isNotNull()))
                    .execute();
            return status;
        });
    }
}
