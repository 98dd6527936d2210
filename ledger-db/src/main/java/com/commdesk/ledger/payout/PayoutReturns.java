package com.commdesk.ledger.payout;

import static com.commdesk.ledger.jooq.Tables.MEMBER_WALLET;
import static com.commdesk.ledger.jooq.Tables.PAYOUT;
import static com.commdesk.ledger.payout.PayoutRows.allocate;
import static com.commdesk.ledger.payout.PayoutRows.event;
import static com.commdesk.ledger.payout.PayoutRows.member;
import static com.commdesk.ledger.payout.PayoutRows.require;
import static com.commdesk.ledger.payout.PayoutStates.heldBy;
import static com.commdesk.ledger.payout.PayoutStates.paidOutNow;
import static com.commdesk.ledger.payout.PayoutStates.refusedByCashfree;

import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.WalletMovements;
import com.commdesk.ledger.WalletMovements.Movement;
import com.commdesk.ledger.jooq.tables.records.PayoutRecord;
import com.commdesk.ledger.payout.PayoutStates.Hold;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Returning a PAID payout's money (a bank's reversal) and the ledger's holds for finance when Cashfree contradicts
 * itself: a relock ({@link #holdForFinance}) or a refusal hold ({@link #holdPaidForFinance}). Each in the transaction
 * holding the payout's row; every step idempotent.
 */
public final class PayoutReturns {
    private final Ledger ledger;
    private final WalletMovements movements;

    public PayoutReturns(Ledger ledger) {
        this.ledger = ledger;
        this.movements = new WalletMovements(ledger);
    }

    public PayoutReturns(DSLContext dsl) {
        this(new Ledger(dsl));
    }

    /** What the ledger did when asked to return a PAID payout's money, or to hold it for finance. */
    public enum PaidAction {
        /** The money came back now: status REVERSED. */
        REVERSED,
        /** The money came back by an earlier call (an idempotent retry): nothing moved now, status REVERSED (review s6 L-3). */
        ALREADY_REVERSED,
        /**
         * Cashfree said SUCCESS: the payout is on finance's list, now or before, its money paid out ({@link #holdPaidForFinance})
         * or, when Cashfree's record says FAILED/REJECTED (its SUCCESS recorded after), returned and locked again at once
         * ({@link #holdForFinance}; review s6 F-M1).
         */
        HELD,
        /**
         * Nothing moved and nothing is held: a LATE_UNPOSTED event tells finance; or finance settled the ledger's hold PAID
         * already (a retried request is answered with that decision, nothing written; review s6 R2-L2).
         */
        UNCHANGED
    }

    /**
     * A paid transfer came back (late REVERSED): PAYOUT_REVERSED (payout balance -> locked, the exact
     * negation of PAYOUT_PAID) then PAYOUT_FAILED (locked -> available; what the member owes repaid
     * first), in one transaction holding the payout's row. Paid-out totals go down. Decided from the payout's own
     * journal ids: reversed once (reversed_journal_id) is never reversed again; a payout that was released, locked
     * again and paid for a late SUCCESS (relock_journal_id) returns its money by the second release's own key.
     * Idempotent; WRONG_STATE if it was never paid. Returns whether the money came back ({@link PaidAction#REVERSED}):
     * if Cashfree said SUCCESS and has not said REVERSED, nothing moves, and a PAID payout is held for finance
     * ({@link PaidAction#HELD}, review M-2) rather than only recorded.
     */
    public PaidAction reversePaid(String payoutId, String reason) {
        return ledger.inTransaction(tx -> {
            PayoutRecord p = require(tx, payoutId);
            Hold held = heldBy(p);
            if ("NEEDS_ATTENTION".equals(p.getStatus()) && held != null
                    && !(held == Hold.REFUSAL && "REVERSED".equals(p.getCashfreeStatus()) && paidOutNow(p))) {
                // Held by the ledger for finance (e.g. a retry of the call that held it, review s6 F-M1): finance decides; a
                // return now would set REVERSED over a relock hold and leave its money locked for ever. Only Cashfree's own
                // REVERSED settles a refusal hold (as lateAnswer does, review L-3).
                return PaidAction.HELD;
            }
            // Not reversed yet, or paid again after a return (review M2): the payment that would be returned is the current one.
            if ((p.getReversedJournalId() == null || paidOutNow(p)) && p.getCashfreeSuccessAt() != null
                    && !"REVERSED".equals(p.getCashfreeStatus())) {
                // Cashfree said SUCCESS (sticky, under the row lock) and has not said REVERSED: a workflow asking to return
                // the money decided from what it had taken in (e.g. a FAILED whose signal overtook the SUCCESS recorded
                // before it). Never returned on a contradiction: nothing moves (last review, M1), and the payout goes on
                // finance's list (review M-2: its workflow ends right after, so nothing else would put it there). When Cashfree's
                // record says FAILED/REJECTED (its SUCCESS recorded after), the hold returns and locks it again at once
                // (review s6 F-M1, see holdPaid).
                return holdPaid(tx, p, "not returned (" + reason + "): Cashfree said SUCCESS at " + p.getCashfreeSuccessAt()
                        + " and its record says " + p.getCashfreeStatus());
            }
            return reversePaid(tx, p, reason) ? PaidAction.REVERSED : PaidAction.ALREADY_REVERSED;
        });
    }

    /**
     * Cashfree's FAILED/REJECTED after its own SUCCESS, taken in by the payout's running workflow within its reversal window
     * (review M-2): the same hold as after the workflow ended ({@link #holdPaidForFinance}): nothing moves, the payout is
     * NEEDS_ATTENTION for finance, who resolve it ({@link FinanceResolutions#settleHeld}). Only a PAID payout whose money is paid out now, that
     * Cashfree said SUCCESS for (sticky) and not REVERSED, and that was never held for this before; otherwise recorded for
     * finance (LATE_UNPOSTED). Idempotent: a payout already held answers HELD.
     */
    public PaidAction holdPaid(String payoutId, String why) {
        return ledger.inTransaction(tx -> holdPaid(tx, require(tx, payoutId), why));
    }

    /**
     * A refusal hold ({@link #holdPaidForFinance}) only where no relock can follow it (review s6 F-M1): Cashfree's record says
     * SUCCESS (as {@link LateAnswers#lateAnswer} requires), or the payout's relock round is used up (holdForFinance locks once only).
     * When the record says FAILED/REJECTED (recorded before the SUCCESS), a refusal hold would be followed by a relock once
     * finance returned the money and the SUCCESS came again, and the refusal marker would then name the wrong hold: the
     * money is instead returned and locked again in this transaction (the old path, return then relock on the SUCCESS, done
     * at once because the SUCCESS is already recorded: never spendable meanwhile), a relock hold both resolutions settle.
     */
    PaidAction holdPaid(DSLContext tx, PayoutRecord p, String why) {
        if (heldBy(p) != null && "NEEDS_ATTENTION".equals(p.getStatus())) return PaidAction.HELD;
        PaidAction decided = decidedByFinance(p);
        if (decided != null) {
            // Held once and settled by finance since (settleHeld): a retry of the call that held it (its answer lost) is answered
            // with finance's decision and moves nothing; it never reopens it (review s6 R2-L2: a relock hold settled PAID was
            // held again as a refusal hold, back on finance's list). Only Cashfree's own REVERSED moves it again (reversePaid).
            return decided;
        }
        if ("PAID".equals(p.getStatus()) && p.getRefusalAfterSuccessAt() == null && p.getCashfreeSuccessAt() != null
                && !"REVERSED".equals(p.getCashfreeStatus()) && paidOutNow(p)) {
            if ("SUCCESS".equals(p.getCashfreeStatus()) || p.getRelockJournalId() != null) {
                holdPaidForFinance(tx, p, why);
                return PaidAction.HELD;
            }
            if (refusedByCashfree(p.getCashfreeStatus()) && owes(tx, p)) {
                // The return would first repay what the member owes (receivables first), leaving less than the payout to lock
                // again: the relock would be refused and the payout left PAID, on nobody's list (review s6 R2-M1). A refusal
                // hold instead: nothing moves, finance's list, both resolutions settle it (settleHeld).
                holdPaidForFinance(tx, p, why + "; Cashfree said " + p.getCashfreeStatus() + " and then SUCCESS at "
                        + p.getCashfreeSuccessAt() + "; the member owes money, so it is held as paid out");
                return PaidAction.HELD;
            }
            if (refusedByCashfree(p.getCashfreeStatus())) {
                reversePaid(tx, p, why + "; Cashfree's record says " + p.getCashfreeStatus() + " (its SUCCESS came after)", true);
                holdForFinance(tx, require(tx, p.getPayoutId()), why + "; Cashfree said " + p.getCashfreeStatus()
                        + " and then SUCCESS at " + p.getCashfreeSuccessAt());
                return PaidAction.HELD;
            }
        }
        event(tx, p.getPayoutId(), "LATE_UNPOSTED", "cashfree", why + "; nothing moved (payout " + p.getStatus()
                + ", Cashfree's record " + p.getCashfreeStatus() + (p.getRefusalAfterSuccessAt() == null ? ""
                : ", held for finance once already") + ")");
        return PaidAction.UNCHANGED;
    }

    /**
     * What finance decided for a payout the ledger held and {@link FinanceResolutions#settleHeld} settled, as the answer to a hold or return
     * request: PAID (the money stays paid out) is {@link PaidAction#UNCHANGED}, REVERSED (it came back) is
     * {@link PaidAction#ALREADY_REVERSED}; null when the payout was never held, or its hold is not settled.
     */
    static PaidAction decidedByFinance(PayoutRecord p) {
        if (heldBy(p) == null) return null;
        boolean ready = "PAID".equals(p.getResolutionOutcome()) || p.getResolutionConfirmedBy() != null;
        if (!ready) return null;
        return switch (p.getStatus()) {
            case "PAID" -> PaidAction.UNCHANGED;
            case "REVERSED" -> PaidAction.ALREADY_REVERSED;
            default -> null;
        };
    }

    /** Whether the payout's member owes money (a receivable), read in the caller's transaction. */
    private static boolean owes(DSLContext tx, PayoutRecord p) {
        Long owed = tx.select(MEMBER_WALLET.RECEIVABLE_PAISE).from(MEMBER_WALLET)
                .where(MEMBER_WALLET.COMMUNITY_ID.eq(p.getCommunityId()), MEMBER_WALLET.ROLE.eq(p.getRole()),
                        MEMBER_WALLET.USER_ID.eq(p.getUserId()))
                .fetchOne(MEMBER_WALLET.RECEIVABLE_PAISE);
        return owed != null && owed > 0;
    }

    /**
     * {@link #reversePaid(String, String)} inside the caller's transaction, {@code p} read under the payout's row lock.
     * Returns whether money moved now (false: returned by an earlier call).
     */
    boolean reversePaid(DSLContext tx, PayoutRecord p, String reason) {
        return reversePaid(tx, p, reason, false);
    }

    /**
     * As {@link #reversePaid(DSLContext, PayoutRecord, String)}; {@code forHold}: no bank sent it back, the return is the first
     * half of a relock hold ({@link #holdPaid}), and its journals say so (review s6 R2-L3: statements showed a bank reversal
     * that never happened). Descriptions only: keys and content hashes are the same either way.
     */
    boolean reversePaid(DSLContext tx, PayoutRecord p, String reason, boolean forHold) {
            String payoutId = p.getPayoutId();
            boolean moved = true;
            if (p.getReversedJournalId() == null) {
                if (p.getPaidJournalId() == null) {
                    throw new LedgerException(LedgerException.Code.WRONG_STATE, "payout " + payoutId + " was never paid; nothing to reverse");
                }
                long reversed = movements.payoutMovement(tx, Movement.PAYOUT_REVERSED, payoutId, member(p), p.getAmountPaise(),
                        forHold ? "payout " + payoutId + " returned to be held for finance (no bank reversal; Cashfree contradicted"
                                + " itself): " + reason
                                : "payout " + payoutId + " reversed by the bank after success: " + reason);
                String back = forHold ? "payout " + payoutId + " returned, to be locked again for finance: " + reason
                        : "payout " + payoutId + " returned to available after reversal: " + reason;
                if (p.getRelockJournalId() == null) {
                    long failed = movements.payoutMovement(tx, Movement.PAYOUT_FAILED, payoutId, member(p), p.getAmountPaise(), back);
                    tx.update(PAYOUT).set(PAYOUT.REVERSED_JOURNAL_ID, reversed).set(PAYOUT.FAILED_JOURNAL_ID, failed)
                            .where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
                } else {
                    // Released once already, locked again for a late SUCCESS: this is the second release, by its own key.
                    long failed = movements.relockRoundMovement(tx, Movement.PAYOUT_FAILED, payoutId, member(p), p.getAmountPaise(), back);
                    tx.update(PAYOUT).set(PAYOUT.REVERSED_JOURNAL_ID, reversed).set(PAYOUT.RELOCK_FAILED_JOURNAL_ID, failed)
                            .where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
                }
            } else if (p.getRelockPaidJournalId() != null && p.getRelockReversedJournalId() == null) {
                // Paid, returned, locked again and paid again on finance's confirmation (review M2): this reversal returns the
                // second payment, by the relock round's own journals.
                long reversed = movements.relockRoundMovement(tx, Movement.PAYOUT_REVERSED, payoutId, member(p), p.getAmountPaise(),
                        "payout " + payoutId + " paid again, reversed by the bank: " + reason);
                long failed = movements.relockRoundMovement(tx, Movement.PAYOUT_FAILED, payoutId, member(p), p.getAmountPaise(),
                        "payout " + payoutId + " returned to available after the second payment's reversal: " + reason);
                tx.update(PAYOUT).set(PAYOUT.RELOCK_REVERSED_JOURNAL_ID, reversed).set(PAYOUT.RELOCK_FAILED_JOURNAL_ID, failed)
                        .where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
            } else {
                moved = false;
            }
            PayoutRows.setStatus(tx, payoutId, "REVERSED", null, reason);
            return moved;
    }

    /**
     * Fail closed on a contradiction (review P4, P5): Cashfree's SUCCESS after its own FAILED/REJECTED, for a payout whose
     * money is back in available. The money is locked again ({@code payout_lock:payout_relock:<id>}, relock_journal_id) so
     * the next settlement cannot pay it, and the payout is NEEDS_ATTENTION (finance's attention list, the gauge) with any
     * earlier resolution cleared (kept in the events): finance resolves it ({@link FinanceResolutions#settleHeld}). Once only: a payout
     * already locked again is recorded for finance (LATE_UNPOSTED). INSUFFICIENT_FUNDS if the member no longer has it.
     */
    void holdForFinance(DSLContext tx, PayoutRecord p, String why) {
        String payoutId = p.getPayoutId();
        if (p.getRelockJournalId() != null) {
            event(tx, payoutId, "LATE_UNPOSTED", "cashfree", why + "; the payout was locked again once already: nothing moved");
            return;
        }
        if (p.getRefusalAfterSuccessAt() != null) {
            // Held once for Cashfree's refusal after its SUCCESS and decided by finance, who knew of that SUCCESS: a SUCCESS
            // delivered again is no news, and a relock under the refusal marker would be a hold heldBy misnames (re-read s6).
            event(tx, payoutId, "LATE_UNPOSTED", "cashfree", why + "; finance decided this payout's contradiction already: nothing moved");
            return;
        }
        long relock = movements.relockRoundMovement(tx, Movement.PAYOUT_LOCK, payoutId, member(p), p.getAmountPaise(),
                "payout " + payoutId + " held for finance: " + why);
        String reason = why + "; the money is locked again until finance resolves it";
        tx.update(PAYOUT).set(PAYOUT.RELOCK_JOURNAL_ID, relock).set(PAYOUT.STATUS, "NEEDS_ATTENTION")
                .set(PAYOUT.ATTENTION_SINCE, DSL.currentOffsetDateTime()).set(PAYOUT.REASON, reason)
                .setNull(PAYOUT.RESOLUTION_OUTCOME).setNull(PAYOUT.RESOLUTION_REQUESTED_BY).setNull(PAYOUT.RESOLUTION_CONFIRMED_BY)
                .set(PAYOUT.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
        event(tx, payoutId, "LATE_UNPOSTED", "cashfree", why + "; not posted");
        event(tx, payoutId, "NEEDS_ATTENTION", "cashfree", reason);
        allocate(tx, payoutId, relock);
    }

    /**
     * Fail visible on a contradiction (review L1): Cashfree's FAILED/REJECTED after its own SUCCESS for a PAID payout whose
     * workflow has ended. Nothing moves (the money stays paid out: Cashfree's SUCCESS is not overridden by a guess); the
     * payout becomes NEEDS_ATTENTION with the reason (finance's attention list, the gauge) and any earlier resolution
     * cleared (kept in the events), and {@code refusal_after_success_at} is set (changeset 103): once only, so a redelivery
     * or a later refusal never reopens what finance decided. Finance resolves it ({@link FinanceResolutions#settleHeld}).
     */
    static void holdPaidForFinance(DSLContext tx, PayoutRecord p, String why) {
        String payoutId = p.getPayoutId();
        String reason = why + "; the money stays paid out until finance resolves it (PAID: nothing moves; FAILED, by two: it"
                + " comes back)";
        tx.update(PAYOUT).set(PAYOUT.STATUS, "NEEDS_ATTENTION").set(PAYOUT.REFUSAL_AFTER_SUCCESS_AT, DSL.currentOffsetDateTime())
                .set(PAYOUT.ATTENTION_SINCE, DSL.currentOffsetDateTime()).set(PAYOUT.REASON, reason)
                .setNull(PAYOUT.RESOLUTION_OUTCOME).setNull(PAYOUT.RESOLUTION_REQUESTED_BY).setNull(PAYOUT.RESOLUTION_CONFIRMED_BY)
                .set(PAYOUT.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
        event(tx, payoutId, "LATE_UNPOSTED", "cashfree", why + "; not posted");
        event(tx, payoutId, "NEEDS_ATTENTION", "cashfree", reason);
    }
}
