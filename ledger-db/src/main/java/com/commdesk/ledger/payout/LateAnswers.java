package com.commdesk.ledger.payout;

import static com.commdesk.ledger.jooq.Tables.PAYOUT;
import static com.commdesk.ledger.jooq.Tables.PAYOUT_EVENT;
import static com.commdesk.ledger.payout.PayoutReturns.holdPaidForFinance;
import static com.commdesk.ledger.payout.PayoutRows.allocate;
import static com.commdesk.ledger.payout.PayoutRows.event;
import static com.commdesk.ledger.payout.PayoutRows.member;
import static com.commdesk.ledger.payout.PayoutRows.payoutOf;
import static com.commdesk.ledger.payout.PayoutRows.require;
import static com.commdesk.ledger.payout.PayoutStates.cashfreeSaidNotPaid;
import static com.commdesk.ledger.payout.PayoutStates.heldBy;
import static com.commdesk.ledger.payout.PayoutStates.paidOnFinanceWordAlone;
import static com.commdesk.ledger.payout.PayoutStates.paidOutNow;
import static com.commdesk.ledger.payout.PayoutStates.refusedByCashfree;

import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.WalletMovements;
import com.commdesk.ledger.WalletMovements.Movement;
import com.commdesk.ledger.jooq.tables.records.PayoutRecord;
import com.commdesk.ledger.payout.PayoutStates.Hold;
import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Cashfree's answers that reach a payout after its workflow ended (webhooks and the backstop sweep): recorded first,
 * then posted by the payout's own journals exactly once, or recorded for finance; and the sweep's candidates.
 */
public final class LateAnswers {
    private final Ledger ledger;
    private final WalletMovements movements;
    private final PayoutReturns returns;
    private final PayoutTransfers transfers;
    private final Settlements settlements;

    public LateAnswers(Ledger ledger) {
        this.ledger = ledger;
        this.movements = new WalletMovements(ledger);
        this.returns = new PayoutReturns(ledger);
        this.transfers = new PayoutTransfers(ledger);
        this.settlements = new Settlements(ledger);
    }

    public LateAnswers(DSLContext dsl) {
        this(new Ledger(dsl));
    }

    /**
     * Cashfree reports SUCCESS for a payout whose money we had returned to the member (its workflow
     * had ended FAILED or REJECTED): the payout is posted by its own journals: a second lock
     * (available -> locked, key {@code payout_lock:payout_relock:<id>}, recorded as relock_journal_id) and PAYOUT_PAID.
     * A payout paid on finance's word and REVERSED on Cashfree's FAILED/REJECTED is {@link PayoutReturns#holdForFinance held for finance}
     * (review P4-2, P5); any other REVERSED payout posts nothing (LATE_UNPOSTED).
     * Not if Cashfree's own record of the transfer says FAILED, REJECTED or REVERSED: a SUCCESS delivered after that
     * (a retried delivery) is older news, so nothing moves and a LATE_UNPOSTED event tells finance (returns false).
     * INSUFFICIENT_FUNDS (nothing written) if the member no longer has the money: finance must look. Idempotent.
     */
    public boolean latePaid(String payoutId, String detail) {
        Answered<Boolean> paid = ledger.inTransaction(tx -> {
            PayoutRecord p = require(tx, payoutId);
            return new Answered<>(latePaid(tx, p, detail), p.getSettlementId());
        });
        // Every time, a retry too: if the refresh after an earlier delivery's post was lost (a failover between the two
        // transactions), this one repairs it (review s7 L2). It writes only what differs (refreshSettlement).
        settlements.refreshSettlement(paid.settlementId());
        return paid.value();
    }

    /** What an action on a payout answered, and the payout's settlement (refreshed after the action's transaction). */
    private record Answered<T>(T value, String settlementId) {}

    /** {@link #latePaid(String, String)} inside the caller's transaction, {@code p} read under the payout's row lock. */
    private boolean latePaid(DSLContext tx, PayoutRecord p, String detail) {
            String payoutId = p.getPayoutId();
            if ("PAID".equals(p.getStatus())) return true;
            if ("NEEDS_ATTENTION".equals(p.getStatus()) && heldBy(p) != null) {
                // Already held by the ledger for finance (e.g. returned and locked again at once, review s6 F-M1): finance decides.
                event(tx, payoutId, "LATE_UNPOSTED", "cashfree", "late SUCCESS (" + detail + ") not posted: the payout is held"
                        + " for finance already");
                return false;
            }
            if ("REVERSED".equals(p.getStatus())) {
                // Its workflow returned money paid on finance's word on Cashfree's FAILED, and took in Cashfree's SUCCESS
                // meanwhile (review P4-2): held for finance, as when the SUCCESS arrives after the workflow ended.
                if (refusedByCashfree(p.getCashfreeStatus())) {
                    returns.holdForFinance(tx, p, "late SUCCESS (" + detail + ") after the money was returned on Cashfree's " + p.getCashfreeStatus());
                } else {
                    event(tx, payoutId, "LATE_UNPOSTED", "cashfree", "late SUCCESS (" + detail + ") not posted: the payout was"
                            + " paid and reversed (Cashfree's record: " + p.getCashfreeStatus() + ")");
                }
                return false;
            }
            if (!"FAILED".equals(p.getStatus()) && !"REJECTED".equals(p.getStatus())) {
                throw new IllegalStateException("payout " + payoutId + " is " + p.getStatus() + ": its workflow decides");
            }
            if (p.getTransferRequestedAt() == null) {
                event(tx, payoutId, "LATE_UNPOSTED", "cashfree", "late SUCCESS (" + detail + ") not posted: no transfer was ever"
                        + " requested for this payout");
                return false;
            }
            if (refusedByCashfree(p.getCashfreeStatus())) {
                // Cashfree's own FAILED/REJECTED and now its SUCCESS: the money must not stay spendable while finance looks.
                returns.holdForFinance(tx, p, "late SUCCESS (" + detail + ") contradicts Cashfree's " + p.getCashfreeStatus() + " "
                        + p.getCashfreeStatusCode());
                return false;
            }
            if (cashfreeSaidNotPaid(p.getCashfreeStatus())) {
                event(tx, payoutId, "LATE_UNPOSTED", "cashfree", "late SUCCESS (" + detail + ") not posted: Cashfree's record of the"
                        + " transfer says " + p.getCashfreeStatus() + " " + p.getCashfreeStatusCode());
                return false;
            }
            var paid = tx.update(PAYOUT);
            Long relock = null;
            if (p.getFailedJournalId() != null || p.getLockJournalId() == null) {
                relock = movements.relockRoundMovement(tx, Movement.PAYOUT_LOCK, payoutId, member(p), p.getAmountPaise(),
                        "payout " + payoutId + " paid after all: locked again");
                paid.set(PAYOUT.RELOCK_JOURNAL_ID, relock);
            }
            long journal = movements.payoutMovement(tx, Movement.PAYOUT_PAID, payoutId, member(p), p.getAmountPaise(),
                    "payout " + payoutId + " paid (late SUCCESS)");
            paid.set(PAYOUT.PAID_JOURNAL_ID, journal).set(PAYOUT.PAID_AT, DSL.coalesce(PAYOUT.PAID_AT, DSL.currentOffsetDateTime()))
                    .set(PAYOUT.STATUS, "PAID").set(PAYOUT.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
            event(tx, payoutId, "PAID", "cashfree", "late SUCCESS: " + detail);
            if (relock != null) allocate(tx, payoutId, relock); // after the status: these allocations are PAID at once
            return true;
    }

    /** What a Cashfree answer arriving after the payout's workflow ended did. */
    public enum LateAction {
        /** Posted by the payout's own journals. */
        POSTED,
        /** Could not or must not be posted: a LATE_UNPOSTED event tells finance. */
        UNPOSTED,
        /** Nothing to post (recorded only). */
        RECORDED
    }

    public record LateAnswer(LateAction action, String detail) {}

    /**
     * Cashfree's webhook for a payout whose workflow has ended. Cashfree's answer is recorded first (its record only
     * moves forward), then acted on by the payout's own journals, exactly once (every step is idempotent, so a
     * redelivery moves nothing):
     * <ul>
     * <li>SUCCESS for a payout whose money was returned (FAILED/REJECTED): posted as paid ({@link #latePaid}), unless
     * Cashfree's record already says FAILED/REJECTED/REVERSED (then LATE_UNPOSTED, nothing moves);</li>
     * <li>REVERSED for a PAID payout: the money comes back ({@link PayoutReturns#reversePaid});</li>
     * <li>FAILED/REJECTED for a payout PAID on finance's word alone ("confirm paid"; Cashfree had not said SUCCESS): the
     * money never left, it comes back the same way; after Cashfree's own SUCCESS it is a contradiction: nothing moves,
     * LATE_UNPOSTED;</li>
     * <li>if the member no longer has the money: LATE_UNPOSTED; anything else is recorded only.</li>
     * </ul>
     */
    public LateAnswer lateAnswer(String payoutId, String status, String code, String detail) {
        return lateAnswer(payoutId, transfers.recordCashfreeAnswer(payoutId, status, code), status, code, detail);
    }

    /**
     * As {@link #lateAnswer(String, String, String, String)}, the answer already recorded ({@code before}: the record before
     * it). The branch is chosen from the payout read under its row lock, in the transaction that posts it; the settlement's
     * totals are refreshed after a post. A transient database failure is thrown (Cashfree delivers again; the sweep retries).
     */
    public LateAnswer lateAnswer(String payoutId, String before, String status, String code, String detail) {
        Answered<LateAnswer> done;
        try {
            done = ledger.inTransaction(tx -> {
                PayoutRecord p = require(tx, payoutId);
                return new Answered<>(lateAnswer(tx, p, before, status, code, detail), p.getSettlementId());
            });
        } catch (LedgerException e) {
            if (e.retryable()) throw e;
            // Once per payout and reason: the sweep meets the same refusal on every pass (and Cashfree may deliver again).
            recordEventOnce(payoutId, "LATE_UNPOSTED", "cashfree", detail + ": " + e.getMessage());
            return new LateAnswer(LateAction.UNPOSTED, "recorded for finance: " + e.code());
        }
        // Posted, or held for finance (the payout is open again): the settlement's totals follow. Every time, so a retry
        // repairs a refresh an earlier delivery lost (review s7 L2); refreshSettlement writes only what differs.
        settlements.refreshSettlement(done.settlementId());
        return done.value();
    }

    private LateAnswer lateAnswer(DSLContext tx, PayoutRecord p, String before, String status, String code, String detail) {
        String payoutId = p.getPayoutId();
        String now = p.getStatus();
        if ("SUCCESS".equals(status) && ("FAILED".equals(now) || "REJECTED".equals(now))) {
            return latePaid(tx, p, detail) ? new LateAnswer(LateAction.POSTED, "late SUCCESS posted")
                    : new LateAnswer(LateAction.UNPOSTED, "recorded for finance: Cashfree's record says " + p.getCashfreeStatus());
        }
        if ("SUCCESS".equals(status) && "REVERSED".equals(now) && refusedByCashfree(p.getCashfreeStatus())) {
            // Returned because Cashfree said FAILED/REJECTED after finance's "confirm paid"; now it says SUCCESS (review P5).
            latePaid(tx, p, detail);
            return new LateAnswer(LateAction.UNPOSTED, "held for finance: contradicts Cashfree's " + p.getCashfreeStatus());
        }
        if ("REVERSED".equals(status) && "PAID".equals(now)) {
            returns.reversePaid(tx, p, "late REVERSED " + code);
            return new LateAnswer(LateAction.POSTED, "late REVERSED posted");
        }
        if ("REVERSED".equals(status) && "NEEDS_ATTENTION".equals(now) && heldBy(p) == Hold.REFUSAL && paidOutNow(p)) {
            // On finance's list for Cashfree's refusal after its SUCCESS (review L-3): the REVERSED settles the contradiction
            // (the bank sent the money back), so it comes back now, once; any resolution pending is moot (settleHeld answers
            // REVERSED). Before, it was only recorded, and finance's PAID left a PAID payout the sweep would undo.
            returns.reversePaid(tx, p, "late REVERSED " + code + " while on finance's list (Cashfree's refusal after its SUCCESS)");
            return new LateAnswer(LateAction.POSTED, "late REVERSED posted: settles the payout held for finance");
        }
        if ("REVERSED".equals(status) && "NEEDS_ATTENTION".equals(now) && heldBy(p) == Hold.RELOCK) {
            return reversedWhileRelocked(tx, p, code, detail);
        }
        if (("FAILED".equals(status) || "REJECTED".equals(status)) && "PAID".equals(now)) {
            // Decided from facts on the payout, read under its lock: the workflow paid it on finance's word alone (written by
            // its markPaid, never by the resolve endpoint), and Cashfree has never said SUCCESS (cashfree_success_at, sticky:
            // its record keeps a FAILED that a SUCCESS followed): a redelivered or second refusal must see the SUCCESS too,
            // or it would pay twice.
            if (paidOnFinanceWordAlone(p) && cashfreeSaidNotPaid(p.getCashfreeStatus())) {
                returns.reversePaid(tx, p, "confirmed paid by finance, but Cashfree says " + status + " " + code
                        + " after the payout's workflow ended; the money is back in available");
                return new LateAnswer(LateAction.POSTED, "late " + status + " after a confirm-paid posted");
            }
            if ("SUCCESS".equals(p.getCashfreeStatus()) && p.getRefusalAfterSuccessAt() == null && paidOutNow(p)) {
                // Only when its money is paid out now by a journal of its own (review L-1): a PAID row without one (legacy or
                // damaged) would be held for ever, no resolution settleable; it is recorded for finance below instead.
                // Cashfree's refusal after its own SUCCESS (its record keeps the SUCCESS): finance decides (review L1).
                holdPaidForFinance(tx, p, "Cashfree said " + status + " " + code + " after its SUCCESS at " + p.getCashfreeSuccessAt()
                        + " (" + detail + ")");
                return new LateAnswer(LateAction.UNPOSTED, "held for finance: contradicts Cashfree's SUCCESS");
            }
            event(tx, payoutId, "LATE_UNPOSTED", "cashfree", detail + ": contradicts Cashfree's " + before
                    + (paidOnFinanceWordAlone(p) ? "" : p.getCashfreeSuccessAt() != null ? " (Cashfree said SUCCESS at "
                    + p.getCashfreeSuccessAt() + ")" : " (paid on Cashfree's word, not finance's)") + "; nothing moved");
            return new LateAnswer(LateAction.UNPOSTED, "recorded for finance: contradicts Cashfree's " + before);
        }
        return new LateAnswer(LateAction.RECORDED, "recorded; payout workflow has ended (payout " + now + ")");
    }

    /** How a relock hold's reason starts once Cashfree said REVERSED for it ({@link #reversedWhileRelocked}). */
    static final String REVERSED_WHILE_HELD = "Cashfree said REVERSED while the payout was held for finance";

    /**
     * Cashfree's REVERSED for a payout held by a relock ({@link PayoutReturns#holdForFinance}; review s6 R2-L4: it was only recorded). The
     * money is locked already, so nothing has to move to keep it from being paid twice; what changes is what finance can
     * decide: the bank sent the transfer back, so the money is not with the member and "confirm paid" would pay out money
     * that came back ({@link FinanceResolutions#unsettleable} refuses PAID from now on; FAILED, by two, returns it). The payout stays on
     * finance's list with the reversal as its reason (and an event), and a PAID resolution saved but not yet acted on is
     * cleared (kept in the events): it was given before the reversal was known. Once: a redelivery changes nothing.
     */
    private LateAnswer reversedWhileRelocked(DSLContext tx, PayoutRecord p, String code, String detail) {
        String payoutId = p.getPayoutId();
        if (p.getReason() == null || !p.getReason().startsWith(REVERSED_WHILE_HELD)) {
            String reason = REVERSED_WHILE_HELD + " (" + code + "): the bank sent the transfer back, so it cannot be confirmed"
                    + " paid; confirm it failed (two people) to return the money, which stays locked until then. Held because: "
                    + p.getReason();
            var update = tx.update(PAYOUT).set(PAYOUT.REASON, reason).set(PAYOUT.UPDATED_AT, DSL.currentOffsetDateTime());
            if ("PAID".equals(p.getResolutionOutcome())) {
                update = update.setNull(PAYOUT.RESOLUTION_OUTCOME).setNull(PAYOUT.RESOLUTION_REQUESTED_BY)
                        .setNull(PAYOUT.RESOLUTION_CONFIRMED_BY);
            }
            update.where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
            event(tx, payoutId, "LATE_UNPOSTED", "cashfree", detail + ": REVERSED " + code + " for a payout held for finance;"
                    + " its money stays locked until finance confirms it failed"
                    + ("PAID".equals(p.getResolutionOutcome()) ? " (the PAID resolution by " + p.getResolutionRequestedBy()
                    + ", given before the reversal was known, is cleared)" : ""));
        }
        return new LateAnswer(LateAction.UNPOSTED, "held for finance: Cashfree said REVERSED; confirm it failed to return the money");
    }

    /**
     * PAID payouts whose recorded Cashfree answer says the money came back and nothing posted it: REVERSED, or FAILED /
     * REJECTED for one paid on finance's word alone, Cashfree never having said SUCCESS (a signal the workflow accepted but
     * never acted on). Oldest change
     * first. {@link PayoutLateSweep} posts them through {@link #lateAnswer} once their workflow has ended.
     */
    public List<Payout> unpostedReturns(int limit) {
        return unpostedReturns(null, limit).stream().map(LateCandidate::payout).toList();
    }

    /**
     * A candidate of {@link #unpostedReturns(LateCandidate, int)}, with the key its page is sorted by ({@code updatedAt},
     * payout id) and what returning it rests on: paid on finance's word, and when Cashfree first said SUCCESS (null: never).
     */
    public record LateCandidate(Payout payout, OffsetDateTime updatedAt, boolean paidOnFinanceWord, OffsetDateTime cashfreeSuccessAt) {}

    /**
     * A page of {@link #unpostedReturns(int)} after {@code after} (keyset: last change, then payout id; null: the first page),
     * so a sweep reaches every candidate however many of them it must leave to their running workflow.
     */
    public List<LateCandidate> unpostedReturns(LateCandidate after, int limit) {
        return after == null ? unpostedReturns(null, null, limit) : unpostedReturns(after.updatedAt(), after.payout().payoutId(), limit);
    }

    /** As {@link #unpostedReturns(LateCandidate, int)}, after the key ({@code afterUpdatedAt}, {@code afterPayoutId}); nulls: the first page. */
    public List<LateCandidate> unpostedReturns(OffsetDateTime afterUpdatedAt, String afterPayoutId, int limit) {
        return ledger.once(tx -> tx.selectFrom(PAYOUT)
                .where(unpostedReturn(),
                        afterUpdatedAt == null ? DSL.noCondition()
                                : DSL.row(PAYOUT.UPDATED_AT, PAYOUT.PAYOUT_ID).gt(afterUpdatedAt, afterPayoutId))
                .orderBy(PAYOUT.UPDATED_AT, PAYOUT.PAYOUT_ID).limit(limit)
                .fetch(r -> new LateCandidate(payoutOf(r), r.getUpdatedAt(), Boolean.TRUE.equals(r.getPaidOnFinanceWord()),
                        r.getCashfreeSuccessAt())));
    }

    /** How many candidates {@link #unpostedReturns(int)} has in all (review M-5: the whole list is reviewed before {@code post}). */
    public long unpostedReturnsCount() {
        return ledger.once(tx -> (long) tx.fetchCount(PAYOUT, unpostedReturn()));
    }

    private static org.jooq.Condition unpostedReturn() {
        return PAYOUT.STATUS.eq("PAID").and(PAYOUT.CASHFREE_STATUS.eq("REVERSED")
                .or(PAYOUT.PAID_ON_FINANCE_WORD.isTrue().and(PAYOUT.CASHFREE_SUCCESS_AT.isNull())
                        .and(PAYOUT.CASHFREE_STATUS.in("FAILED", "REJECTED"))));
    }

    /**
     * Appends the event unless the payout already has one with this status and detail (under the payout's row lock, so
     * concurrent sweeps in several workers append it once). Returns whether it was appended.
     */
    private boolean recordEventOnce(String payoutId, String status, String actor, String detail) {
        String text = detail == null ? null : detail.length() > 1000 ? detail.substring(0, 1000) : detail;
        return ledger.inTransaction(tx -> {
            tx.selectFrom(PAYOUT).where(PAYOUT.PAYOUT_ID.eq(payoutId)).forUpdate().fetchOptional();
            if (tx.fetchExists(PAYOUT_EVENT, PAYOUT_EVENT.PAYOUT_ID.eq(payoutId), PAYOUT_EVENT.STATUS.eq(status),
                    text == null ? PAYOUT_EVENT.DETAIL.isNull() : PAYOUT_EVENT.DETAIL.eq(text))) {
                return false;
            }
            event(tx, payoutId, status, actor, text);
            return true;
        });
    }
}
