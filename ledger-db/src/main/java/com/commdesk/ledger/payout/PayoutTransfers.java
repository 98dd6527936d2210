package com.commdesk.ledger.payout;

import static com.commdesk.ledger.jooq.Tables.JOURNAL;
import static com.commdesk.ledger.jooq.Tables.PAYOUT;
import static com.commdesk.ledger.jooq.Tables.PAYOUT_FLAG;
import static com.commdesk.ledger.payout.PayoutRows.allocate;
import static com.commdesk.ledger.payout.PayoutRows.event;
import static com.commdesk.ledger.payout.PayoutRows.member;
import static com.commdesk.ledger.payout.PayoutRows.require;
import static com.commdesk.ledger.payout.PayoutStates.TERMINAL;
import static com.commdesk.ledger.payout.PayoutStates.cashfreeRank;
import static com.commdesk.ledger.payout.PayoutStates.saidSuccess;

import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.WalletMovements;
import com.commdesk.ledger.WalletMovements.Movement;
import com.commdesk.ledger.jooq.tables.records.PayoutRecord;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * A payout's transfer lifecycle as its workflow drives it: the lock, the approval decision, the one transfer request,
 * Cashfree's answers and the bank's reference, then paid or released, or NEEDS_ATTENTION when the outcome stays
 * unknown. Money moves only through {@link WalletMovements}, each journal keyed by the payout and written in the same
 * transaction as the payout row that records it, so "was it locked?" is read from the payout's own
 * {@code lock_journal_id}, never from whether some journal key exists. Every method is idempotent.
 */
public final class PayoutTransfers {
    private final Ledger ledger;
    private final WalletMovements movements;

    public PayoutTransfers(Ledger ledger) {
        this.ledger = ledger;
        this.movements = new WalletMovements(ledger);
    }

    public PayoutTransfers(DSLContext dsl) {
        this(new Ledger(dsl));
    }

    /**
     * available -> locked (PAYOUT_LOCK), recorded on the payout in the same transaction.
     * INSUFFICIENT_FUNDS (nothing written) if the balance is gone. Idempotent.
     */
    public long lock(String payoutId) {
        return ledger.inTransaction(tx -> {
            PayoutRecord p = require(tx, payoutId);
            if (p.getLockJournalId() != null) return p.getLockJournalId();
            if (TERMINAL.contains(p.getStatus())) {
                // e.g. FAILED because its first lock found too little: a finished payout never takes money again.
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "payout " + payoutId + " is " + p.getStatus() + "; it locks nothing");
            }
            long journal = movements.payoutMovement(tx, Movement.PAYOUT_LOCK, payoutId, member(p), p.getAmountPaise(),
                    "payout " + payoutId + " locked");
            tx.update(PAYOUT).set(PAYOUT.LOCK_JOURNAL_ID, journal).set(PAYOUT.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
            allocate(tx, payoutId, journal);
            return journal;
        });
    }

    /** Status change with an audit event. Terminal statuses never change, except PAID -> REVERSED. */
    public boolean setStatus(String payoutId, String status, String actor, String detail) {
        return ledger.inTransaction(tx -> PayoutRows.setStatus(tx, payoutId, status, actor, detail));
    }

    /** Records the approver's decision, not knowing which flags the approver saw; see {@link #recordDecision(String, boolean, String, String, Integer)}. */
    public void recordDecision(String payoutId, boolean approved, String approver, String note) {
        recordDecision(payoutId, approved, approver, note, null);
    }

    /**
     * Records the approver's decision (four eyes: the database refuses the requester as approver, case-insensitively).
     * {@code flagGenerationSeen}: the payout's {@link Payout#flagGeneration} the approver saw when deciding (the API reads
     * it before it signals). An approval given before a flag that was raised since no longer counts, however late it
     * reaches this record: nothing is recorded but an APPROVAL_SUPERSEDED event, and {@link #sendPermit} keeps the
     * transfer waiting for a new approval. A rejection always counts. Null (a decision signalled before the API carried
     * the generation): recorded as before. Returns whether the decision was recorded.
     */
    public boolean recordDecision(String payoutId, boolean approved, String approver, String note, Integer flagGenerationSeen) {
        return ledger.inTransaction(tx -> {
            PayoutRecord p = require(tx, payoutId);
            if (approved && flagGenerationSeen != null && flagGenerationSeen.intValue() != p.getFlagGeneration().intValue()) {
                event(tx, payoutId, "APPROVAL_SUPERSEDED", approver, "approved seeing flag generation " + flagGenerationSeen
                        + "; flagged since (generation " + p.getFlagGeneration() + ": " + p.getFlaggedReason() + "): a new approval is needed");
                return false;
            }
            tx.update(PAYOUT).set(PAYOUT.DECIDED_BY, approver).where(PAYOUT.PAYOUT_ID.eq(payoutId), PAYOUT.DECIDED_BY.isNull()).execute();
            PayoutRows.setStatus(tx, payoutId, approved ? "APPROVED" : "REJECTED", approver, note);
            return true;
        });
    }

    /**
     * Marks the moment before the one transfer request. True only the first time: a retried
     * activity learns the transfer may already exist and must ask Cashfree instead of sending again.
     */
    public boolean markTransferRequested(String payoutId) {
        return sendPermit(payoutId) == SendPermit.MARKED;
    }

    /** What {@link #sendPermit} found. */
    public enum SendPermit {
        /** Marked now: this caller sends the one transfer. */
        MARKED,
        /** Marked before: an earlier attempt may have reached Cashfree; ask, never send blindly. */
        ALREADY_MARKED,
        /** Flagged (payout or recipient) and not approved since: nothing may be sent until an approval. */
        NEEDS_APPROVAL
    }

    /**
     * Marks the moment before the one transfer request, unless the payout or its recipient is flagged
     * and no approval has been recorded since (a flag raised before SENT makes the payout wait). One
     * conditional UPDATE of the payout's row: a concurrent flag either lands first (and the payout
     * waits) or finds the transfer requested (and reports "too late").
     */
    public SendPermit sendPermit(String payoutId) {
        var f = PAYOUT_FLAG;
        return ledger.inTransaction(tx -> {
            int n = tx.update(PAYOUT).set(PAYOUT.TRANSFER_REQUESTED_AT, DSL.currentOffsetDateTime()).set(PAYOUT.STATUS, "SENT")
                    .set(PAYOUT.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(PAYOUT.PAYOUT_ID.eq(payoutId), PAYOUT.TRANSFER_REQUESTED_AT.isNull(),
                            PAYOUT.DECIDED_BY.isNotNull().or(PAYOUT.FLAGGED_REASON.isNull().andNotExists(tx.selectOne().from(f)
                                    .where(f.COMMUNITY_ID.eq(PAYOUT.COMMUNITY_ID), f.ROLE.eq(PAYOUT.ROLE), f.USER_ID.eq(PAYOUT.USER_ID),
                                            f.CLEARED_AT.isNull()))))
                    .execute();
            if (n > 0) {
                event(tx, payoutId, "SENT", null, "transfer requested");
                return SendPermit.MARKED;
            }
            var requested = tx.select(PAYOUT.TRANSFER_REQUESTED_AT).from(PAYOUT).where(PAYOUT.PAYOUT_ID.eq(payoutId)).fetchOptional()
                    .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no payout " + payoutId));
            return requested.value1() != null ? SendPermit.ALREADY_MARKED : SendPermit.NEEDS_APPROVAL;
        });
    }

    /** Cashfree's answer about the transfer (a poll), recorded on the payout; see {@link #recordCashfreeAnswer}. */
    public void recordCashfree(String payoutId, String cfTransferId, String status, String statusCode) {
        recordCashfree(payoutId, cfTransferId, status, statusCode, null);
    }

    /** Cashfree's answer for the transfer (a poll), with the bank's reference (UTR) when it gave one for a transfer that succeeded. */
    public void recordCashfree(String payoutId, String cfTransferId, String status, String statusCode, String utr) {
        ledger.inTransaction(tx -> {
            recordCashfree(tx, payoutId, cfTransferId, status, statusCode);
            bankUtr(tx, payoutId, status, utr);
            return null;
        });
    }

    /**
     * Cashfree's answer from a verified webhook, recorded on the payout (before it is acted on). Returns Cashfree's
     * status as recorded before this answer.
     */
    public String recordCashfreeAnswer(String payoutId, String status, String statusCode) {
        return ledger.inTransaction(tx -> recordCashfree(tx, payoutId, null, status, statusCode));
    }

    /**
     * As {@link #recordCashfreeAnswer(String, String, String)}, with the bank's reference Cashfree sent with it
     * ({@link #recordBankUtr}), in one transaction: the payout carries both or neither before its workflow is signalled.
     */
    public String recordCashfreeAnswer(String payoutId, String status, String statusCode, String utr) {
        return ledger.inTransaction(tx -> {
            String before = recordCashfree(tx, payoutId, null, status, statusCode);
            bankUtr(tx, payoutId, status, utr);
            return before;
        });
    }

    /**
     * Cashfree's record of a transfer only moves forward along Cashfree's own lifecycle (anything pending, then
     * SUCCESS, then REVERSED; or FAILED / REJECTED, which a REVERSED may still follow but never precede): an answer delivered late (a retried SUCCESS webhook after the
     * REVERSED, a poll that raced a webhook) never takes the record back, and a refusal after Cashfree's SUCCESS is a
     * contradiction that never replaces it (only REVERSED follows SUCCESS), so whoever decides later still sees that
     * Cashfree said the money arrived. The first SUCCESS (or REVERSED, which only follows one) also sets
     * {@code cashfree_success_at} (changeset 102), never cleared: the sticky "Cashfree said SUCCESS" that a refusal
     * recorded before it cannot hide. Under the payout's row lock; returns the status recorded before.
     */
    private static String recordCashfree(DSLContext tx, String payoutId, String cfTransferId, String status, String statusCode) {
        PayoutRecord p = require(tx, payoutId);
        String before = p.getCashfreeStatus();
        boolean forward = "SUCCESS".equals(before) ? "SUCCESS".equals(status) || "REVERSED".equals(status)
                // REVERSED is Cashfree's last word on a paid transfer (review M-1): a stale FAILED/REJECTED never replaces
                // it, or an unposted reversal would leave the sweep's candidates and GET /late-returns for good.
                : "REVERSED".equals(before) ? "REVERSED".equals(status)
                : cashfreeRank(status) >= cashfreeRank(before);
        tx.update(PAYOUT).set(PAYOUT.CF_TRANSFER_ID, DSL.coalesce(DSL.val(cfTransferId), PAYOUT.CF_TRANSFER_ID))
                .set(PAYOUT.CASHFREE_STATUS, forward ? status : before)
                .set(PAYOUT.CASHFREE_STATUS_CODE, forward ? statusCode : p.getCashfreeStatusCode())
                .set(PAYOUT.CASHFREE_SUCCESS_AT, saidSuccess(status)
                        ? DSL.coalesce(PAYOUT.CASHFREE_SUCCESS_AT, DSL.currentOffsetDateTime()) : PAYOUT.CASHFREE_SUCCESS_AT)
                .set(PAYOUT.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
        return before;
    }

    /**
     * The bank's reference (UTR) Cashfree reported for a payout's transfer, from the status fetch or the webhook,
     * whichever comes first; idempotent. Only a transfer that succeeded has one (a reversal keeps it); the first
     * reference is kept, a different one reported later is recorded as an event for finance, and a malformed one
     * is recorded and not stored (never a reason to fail the payout).
     */
    public void recordBankUtr(String payoutId, String status, String utr) {
        ledger.inTransaction(tx -> {
            bankUtr(tx, payoutId, status, utr);
            return null;
        });
    }

    static final java.util.regex.Pattern UTR = java.util.regex.Pattern.compile("[A-Za-z0-9]{1,40}");

    private static void bankUtr(DSLContext tx, String payoutId, String status, String utr) {
        if (utr == null || utr.isBlank() || !("SUCCESS".equals(status) || "REVERSED".equals(status))) return;
        if (!UTR.matcher(utr).matches()) {
            event(tx, payoutId, "UTR_REFUSED", "cashfree", "malformed bank reference not stored: " + utr.replaceAll("[^\\x20-\\x7e]", "?"));
            return;
        }
        int n = tx.update(PAYOUT).set(PAYOUT.BANK_UTR, utr).where(PAYOUT.PAYOUT_ID.eq(payoutId), PAYOUT.BANK_UTR.isNull()).execute();
        if (n > 0) {
            event(tx, payoutId, "UTR", "cashfree", "bank reference " + utr);
            return;
        }
        String kept = tx.select(PAYOUT.BANK_UTR).from(PAYOUT).where(PAYOUT.PAYOUT_ID.eq(payoutId)).fetchOne(PAYOUT.BANK_UTR);
        if (kept != null && !kept.equals(utr)) {
            event(tx, payoutId, "UTR_MISMATCH", "cashfree", "bank reference " + utr + " reported; " + kept + " kept");
        }
    }

    /** locked -> paid out (PAYOUT_PAID) on Cashfree's word; see {@link #markPaid(String, boolean)}. */
    public OffsetDateTime markPaid(String payoutId) {
        return markPaid(payoutId, false);
    }

    /**
     * locked -> paid out (PAYOUT_PAID), recorded on the payout. Idempotent. Returns the time the payout was first marked paid.
     * {@code onFinanceWord}: the workflow marks it paid because finance confirmed it ("confirm paid"), not because Cashfree
     * said SUCCESS; recorded as {@code paid_on_finance_word} (changeset 101), the only fact that lets a later FAILED or
     * REJECTED from Cashfree return the money ({@link LateAnswers#lateAnswer}). A resolution the workflow never acted on is not one.
     */
    public OffsetDateTime markPaid(String payoutId, boolean onFinanceWord) {
        return ledger.inTransaction(tx -> {
            PayoutRecord p = require(tx, payoutId);
            if (p.getPaidJournalId() == null) {
                if (p.getLockJournalId() == null) {
                    throw new LedgerException(LedgerException.Code.WRONG_STATE, "payout " + payoutId + " was never locked; nothing to pay");
                }
                if (p.getFailedJournalId() != null) {
                    // Its money went back to available: paying now would take locked money of another payout.
                    throw new LedgerException(LedgerException.Code.WRONG_STATE, "payout " + payoutId
                            + " was released (its money is available again); it cannot be marked paid");
                }
                long journal = movements.payoutMovement(tx, Movement.PAYOUT_PAID, payoutId, member(p), p.getAmountPaise(),
                        "payout " + payoutId + " paid");
                tx.update(PAYOUT).set(PAYOUT.PAID_JOURNAL_ID, journal)
                        .set(PAYOUT.PAID_AT, DSL.coalesce(PAYOUT.PAID_AT, DSL.currentOffsetDateTime()))
                        .set(PAYOUT.PAID_ON_FINANCE_WORD, onFinanceWord && p.getCashfreeSuccessAt() == null)
                        .where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
                if (onFinanceWord && p.getCashfreeSuccessAt() == null) {
                    event(tx, payoutId, "PAID_ON_FINANCE_WORD", p.getResolutionRequestedBy(), "paid on finance's confirmation;"
                            + " Cashfree's record: " + p.getCashfreeStatus());
                }
            }
            PayoutRows.setStatus(tx, payoutId, "PAID", null, null);
            return tx.select(PAYOUT.PAID_AT).from(PAYOUT).where(PAYOUT.PAYOUT_ID.eq(payoutId)).fetchSingle(PAYOUT.PAID_AT);
        });
    }

    /**
     * Compensation: locked -> available (PAYOUT_FAILED; what the member owes repaid first), with the
     * reason, and the final status (FAILED or REJECTED). Only money this payout itself locked (its own
     * lock_journal_id) is returned; if it never locked anything, only the status is recorded. Idempotent.
     */
    public void release(String payoutId, String finalStatus, String reason) {
        ledger.inTransaction(tx -> {
            PayoutRecord p = require(tx, payoutId);
            // The payout's own lock record decides; a PAYOUT_LOCK journal under the old key (a lock from before
            // lock_journal_id was written in the same transaction) counts too, but never a journal of another
            // kind: a client's payment whose Idempotency-Key was "payout-lock:<id>" locked nothing.
            boolean locked = p.getLockJournalId() != null || tx.fetchExists(JOURNAL,
                    JOURNAL.IDEMPOTENCY_KEY.eq("payout-lock:" + payoutId).and(JOURNAL.KIND.eq("PAYOUT_LOCK")));
            if (locked && p.getFailedJournalId() == null && p.getPaidJournalId() == null) {
                long journal = movements.payoutMovement(tx, Movement.PAYOUT_FAILED, payoutId, member(p), p.getAmountPaise(),
                        "payout " + payoutId + " " + finalStatus.toLowerCase(Locale.ROOT) + ": " + reason);
                tx.update(PAYOUT).set(PAYOUT.FAILED_JOURNAL_ID, journal).where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
            }
            PayoutRows.setStatus(tx, payoutId, finalStatus, null, reason);
            return null;
        });
    }

    /**
     * The transfer's outcome is still unknown after the bounded wait: NEEDS_ATTENTION for finance (the
     * money stays locked). Idempotent; the first time counts. Returns whether it changed now.
     */
    public boolean markNeedsAttention(String payoutId, String why) {
        return ledger.inTransaction(tx -> {
            int n = tx.update(PAYOUT).set(PAYOUT.STATUS, "NEEDS_ATTENTION")
                    .set(PAYOUT.ATTENTION_SINCE, DSL.coalesce(PAYOUT.ATTENTION_SINCE, DSL.currentOffsetDateTime()))
                    .set(PAYOUT.REASON, why).set(PAYOUT.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(PAYOUT.PAYOUT_ID.eq(payoutId), PAYOUT.STATUS.in("CREATED", "APPROVED", "SENT"))
                    .execute();
            if (n > 0) event(tx, payoutId, "NEEDS_ATTENTION", null, why);
            return n > 0;
        });
    }
}
