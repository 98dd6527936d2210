package com.commdesk.ledger.payout;

import static com.commdesk.ledger.jooq.Tables.PAYOUT;
import static com.commdesk.ledger.jooq.Tables.PAYOUT_FLAG;
import static com.commdesk.ledger.payout.PayoutRows.event;

import com.commdesk.ledger.Ledger;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Finance's flags on recipients and payouts: a flagged payout waits for an individual approval before its transfer. */
public final class PayoutFlags {
    private final Ledger ledger;

    public PayoutFlags(Ledger ledger) {
        this.ledger = ledger;
    }

    public PayoutFlags(DSLContext dsl) {
        this(new Ledger(dsl));
    }

    /** Flags a recipient for investigation: their payouts need approval until cleared. Idempotent while open. */
    public void flagRecipient(String communityId, String role, String userId, String reason, String actor) {
        var f = PAYOUT_FLAG;
        ledger.inTransaction(tx -> {
            tx.insertInto(f).set(f.COMMUNITY_ID, communityId).set(f.ROLE, role).set(f.USER_ID, userId)
                    .set(f.REASON, reason).set(f.FLAGGED_BY, actor)
                    .onConflict(f.COMMUNITY_ID, f.ROLE, f.USER_ID).where(f.CLEARED_AT.isNull()).doNothing()
                    .execute();
            // Their payouts not yet sent wait for an approval too (row locks order this against sendPermit).
            for (String id : tx.select(PAYOUT.PAYOUT_ID).from(PAYOUT)
                    .where(PAYOUT.COMMUNITY_ID.eq(communityId), PAYOUT.ROLE.eq(role), PAYOUT.USER_ID.eq(userId),
                            PAYOUT.TRANSFER_REQUESTED_AT.isNull(), PAYOUT.STATUS.in("CREATED", "PENDING_APPROVAL", "APPROVED"))
                    .fetch(PAYOUT.PAYOUT_ID)) {
                flag(tx, id, "recipient flagged: " + reason, actor);
            }
            return null;
        });
    }

    public int clearFlag(String communityId, String role, String userId, String actor) {
        var f = PAYOUT_FLAG;
        return ledger.once(tx -> tx.update(f).set(f.CLEARED_AT, DSL.currentOffsetDateTime()).set(f.CLEARED_BY, actor)
                .where(f.COMMUNITY_ID.eq(communityId), f.ROLE.eq(role), f.USER_ID.eq(userId), f.CLEARED_AT.isNull())
                .execute());
    }

    /**
     * Flags one payout not yet sent: it will not be bulk-approved, and it waits for an individual
     * approval before its transfer (an approval given before the flag no longer counts). False if the
     * transfer was already requested (too late).
     */
    public boolean flagPayout(String payoutId, String reason, String actor) {
        return ledger.inTransaction(tx -> flag(tx, payoutId, reason, actor));
    }

    private static boolean flag(DSLContext tx, String payoutId, String reason, String actor) {
        int n = tx.update(PAYOUT).set(PAYOUT.FLAGGED_REASON, reason).set(PAYOUT.NEEDS_APPROVAL, true).setNull(PAYOUT.DECIDED_BY)
                .set(PAYOUT.FLAG_GENERATION, PAYOUT.FLAG_GENERATION.plus(1))
                .set(PAYOUT.UPDATED_AT, DSL.currentOffsetDateTime())
                .set(PAYOUT.STATUS, DSL.when(PAYOUT.STATUS.eq("APPROVED"), DSL.inline("PENDING_APPROVAL")).otherwise(PAYOUT.STATUS))
                .where(PAYOUT.PAYOUT_ID.eq(payoutId), PAYOUT.TRANSFER_REQUESTED_AT.isNull(),
                        PAYOUT.STATUS.in("CREATED", "PENDING_APPROVAL", "APPROVED"))
                .execute();
        if (n > 0) event(tx, payoutId, "FLAGGED", actor, reason);
        return n > 0;
    }
}
