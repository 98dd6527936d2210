package com.commdesk.ledger.payout;

import static com.commdesk.ledger.jooq.Tables.PAYOUT;
import static com.commdesk.ledger.jooq.Tables.PAYOUT_EVENT;
import static com.commdesk.ledger.payout.PayoutStates.TERMINAL;

import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.WalletMovements.Member;
import com.commdesk.ledger.jooq.tables.records.PayoutRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * What every payout repository of this package reads and writes the same way, inside the caller's transaction: the payout
 * row under its lock, its member, its audit events, its status change and the allocation of a lock to distributions.
 */
final class PayoutRows {
    static PayoutRecord require(DSLContext tx, String payoutId) {
        return tx.selectFrom(PAYOUT).where(PAYOUT.PAYOUT_ID.eq(payoutId)).forUpdate().fetchOptional()
                .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no payout " + payoutId));
    }

    static Member member(PayoutRecord p) {
        return new Member(p.getCommunityId(), p.getRole(), p.getUserId());
    }

    /**
     * The lock's money allocated to the member's open distributions, oldest first, in the lock's transaction
     * (changeset 091's {@code distribution_allocate}; idempotent per lock journal). Returns what no open
     * distribution covered (0 unless the member had money from outside any share).
     */
    static long allocate(DSLContext tx, String payoutId, long lockJournalId) {
        return tx.select(DSL.field("distribution_allocate({0}, {1})", Long.class, DSL.val(payoutId), DSL.val(lockJournalId)))
                .fetchSingle().value1();
    }

    static boolean setStatus(DSLContext tx, String payoutId, String status, String actor, String detail) {
        int n = tx.update(PAYOUT).set(PAYOUT.STATUS, status)
                .set(PAYOUT.REASON, detail == null ? PAYOUT.REASON : DSL.val(detail))
                .set(PAYOUT.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(PAYOUT.PAYOUT_ID.eq(payoutId), PAYOUT.STATUS.ne(status),
                        PAYOUT.STATUS.notIn(TERMINAL).or(PAYOUT.STATUS.eq("PAID").and(DSL.val(status).eq("REVERSED"))))
                .execute();
        if (n > 0) event(tx, payoutId, status, actor, detail);
        return n > 0;
    }

    static Payout payoutOf(PayoutRecord r) {
        return new Payout(r.getPayoutId(), r.getSettlementId(), r.getCommunityId(), r.getRole(), r.getUserId(), r.getBeneficiaryId(),
                r.getAmountPaise(), r.getRequestedBy(), r.getStatus(), r.getNeedsApproval(), r.getFlaggedReason(), r.getDecidedBy(),
                r.getTransferRequestedAt(), r.getCfTransferId(), r.getCashfreeStatus(), r.getReason(), r.getCreatedAt(), r.getPaidAt(),
                r.getFlagGeneration(), r.getBankUtr());
    }

    static void event(DSLContext tx, String payoutId, String status, String actor, String detail) {
        tx.insertInto(PAYOUT_EVENT).set(PAYOUT_EVENT.PAYOUT_ID, payoutId).set(PAYOUT_EVENT.STATUS, status).set(PAYOUT_EVENT.ACTOR, actor)
                .set(PAYOUT_EVENT.DETAIL, detail == null ? null : detail.length() > 1000 ? detail.substring(0, 1000) : detail)
                .execute();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private PayoutRows() {}
}
