package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.COMMUNITY;
import static com.commdesk.ledger.jooq.Tables.REVENUE_DISTRIBUTION;
import static com.commdesk.ledger.jooq.Tables.REVENUE_TRANSACTION;
import static com.commdesk.ledger.jooq.Tables.WALLET_HOLD;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The hold queue of posted payments (each member credit waits out the community's hold period). Times derive from the posting's own
 * timestamp and the community's settings, never from a clock, so a retried step writes the same rows. (Named SettlementRepository
 * before "settlement" came to mean one payout cycle only, docs/terminology.md; the payment activity that calls it keeps its
 * released name, queueSettlement.)
 */
public final class HoldQueue {
    private final DSLContext dsl;

    public HoldQueue(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A hold per member credit until {@code posted_at + hold_days}. Idempotent. Returns the release time. */
    public OffsetDateTime queueHolds(UUID transactionId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            var rt = REVENUE_TRANSACTION;
            var c = COMMUNITY;
            var row = tx.select(rt.CREATED_AT, c.HOLD_DAYS).from(rt).join(c).on(c.COMMUNITY_ID.eq(rt.COMMUNITY_ID))
                    .where(rt.TRANSACTION_ID.eq(transactionId)).fetchOptional()
                    .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "transaction " + transactionId + " not posted"));
            OffsetDateTime releaseAt = row.value1().plusDays(row.value2());
            // A payment reversed before its holds were queued has nothing left to hold (compensation ran first).
            // Locked like every other writer touching a posted payment, so a reversal runs before or after, never across.
            RefundLedger.lockPayment(tx, transactionId);
            boolean reversed = tx.fetchExists(tx.selectOne().from(com.commdesk.ledger.jooq.Tables.JOURNAL)
                    .join(rt).on(rt.JOURNAL_ID.eq(com.commdesk.ledger.jooq.Tables.JOURNAL.REVERSES_JOURNAL_ID))
                    .where(rt.TRANSACTION_ID.eq(transactionId)));
            if (reversed) return releaseAt;
            var d = REVENUE_DISTRIBUTION;
            tx.insertInto(WALLET_HOLD, WALLET_HOLD.TRANSACTION_ID, WALLET_HOLD.COMMUNITY_ID, WALLET_HOLD.ROLE,
                            WALLET_HOLD.USER_ID, WALLET_HOLD.AMOUNT_PAISE, WALLET_HOLD.RELEASE_AT)
                    .select(tx.select(d.TRANSACTION_ID, d.COMMUNITY_ID, d.ROLE_NAME, d.USER_ID, d.AMOUNT_PAISE, DSL.val(releaseAt))
                            .from(d).where(d.TRANSACTION_ID.eq(transactionId), d.AMOUNT_PAISE.gt(0L)))
                    .onConflictDoNothing()
                    .execute();
            return releaseAt;
        });
    }

    /** The payout policy of the community a transaction belongs to. */
    public String payoutPolicyOf(UUID transactionId) {
        return dsl.select(COMMUNITY.PAYOUT_POLICY).from(REVENUE_TRANSACTION).join(COMMUNITY)
                .on(COMMUNITY.COMMUNITY_ID.eq(REVENUE_TRANSACTION.COMMUNITY_ID))
                .where(REVENUE_TRANSACTION.TRANSACTION_ID.eq(transactionId))
                .fetchOptional(COMMUNITY.PAYOUT_POLICY)
                .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "transaction " + transactionId + " not posted"));
    }

}
