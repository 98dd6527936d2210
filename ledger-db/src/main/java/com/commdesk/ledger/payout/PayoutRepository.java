package com.commdesk.ledger.payout;

import static com.commdesk.ledger.jooq.Tables.PAYOUT;
import static com.commdesk.ledger.jooq.Tables.PAYOUT_EVENT;
import static com.commdesk.ledger.payout.PayoutReturns.holdPaidForFinance;
import static com.commdesk.ledger.payout.PayoutRows.allocate;
import static com.commdesk.ledger.payout.PayoutRows.event;
import static com.commdesk.ledger.payout.PayoutRows.member;
import static com.commdesk.ledger.payout.PayoutRows.payoutOf;
import static com.commdesk.ledger.payout.PayoutRows.require;
import static com.commdesk.ledger.payout.PayoutStates.TERMINAL;
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
import com.commdesk.ledger.payout.Beneficiaries.Beneficiary;
import com.commdesk.ledger.payout.PayoutEvents.PayoutEvent;
import com.commdesk.ledger.payout.PayoutReturns.PaidAction;
import com.commdesk.ledger.payout.PayoutStates.Hold;
import com.commdesk.ledger.payout.PayoutTransfers.SendPermit;
import com.commdesk.ledger.payout.Settlements.CommunityPolicy;
import com.commdesk.ledger.payout.Settlements.Settlement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Settlements, payouts, beneficiaries and finance flags (changelog 010-payouts.sql). Every method is
 * idempotent: a retried activity writes nothing new. Money moves only through {@link WalletMovements}:
 * each journal of a payout is keyed by the payout ({@code payout_lock:payout:<id>}, ...) and written in
 * the same transaction as the payout row that records it, so "was it locked?" is read from the payout's
 * own {@code lock_journal_id}, never from whether some journal key exists.
 */
public final class PayoutRepository {
    private final Ledger ledger;
    private final WalletMovements movements;
    private final Beneficiaries beneficiaries;
    private final PayoutFlags flags;
    private final PayoutEvents events;
    private final Settlements settlements;
    private final PayoutTransfers transfers;
    private final PayoutReturns returns;

    public PayoutRepository(Ledger ledger) {
        this.ledger = ledger;
        this.movements = new WalletMovements(ledger);
        this.beneficiaries = new Beneficiaries(ledger);
        this.flags = new PayoutFlags(ledger);
        this.events = new PayoutEvents(ledger);
        this.settlements = new Settlements(ledger);
        this.transfers = new PayoutTransfers(ledger);
        this.returns = new PayoutReturns(ledger);
    }

    public PayoutRepository(DSLContext dsl) {
        this(new Ledger(dsl));
    }

    // ---- Beneficiaries -------------------------------------------------------------------------------
    public Beneficiary saveBeneficiary(String communityId, String role, String userId, String givenName, String bankAccountNumber, String bankIfsc, String vpa, String actor) {
        return beneficiaries.saveBeneficiary(communityId, role, userId, givenName, bankAccountNumber, bankIfsc, vpa, actor);
    }

    public Optional<Beneficiary> beneficiary(String beneficiaryId) {
        return beneficiaries.beneficiary(beneficiaryId);
    }

    public Optional<Beneficiary> currentBeneficiary(String communityId, String role, String userId) {
        return beneficiaries.currentBeneficiary(communityId, role, userId);
    }

    public void markRegistered(String beneficiaryId, String cashfreeBeneficiaryId) {
        beneficiaries.markRegistered(beneficiaryId, cashfreeBeneficiaryId);
    }

    public void markUnregistered(String beneficiaryId) {
        beneficiaries.markUnregistered(beneficiaryId);
    }

    // ---- PayoutFlags ---------------------------------------------------------------------------------
    public void flagRecipient(String communityId, String role, String userId, String reason, String actor) {
        flags.flagRecipient(communityId, role, userId, reason, actor);
    }

    public int clearFlag(String communityId, String role, String userId, String actor) {
        return flags.clearFlag(communityId, role, userId, actor);
    }

    public boolean flagPayout(String payoutId, String reason, String actor) {
        return flags.flagPayout(payoutId, reason, actor);
    }

    // ---- PayoutEvents --------------------------------------------------------------------------------
    public void recordEvent(String payoutId, String status, String actor, String detail) {
        events.recordEvent(payoutId, status, actor, detail);
    }

    public List<PayoutEvent> events(String payoutId) {
        return events.events(payoutId);
    }

    // ---- Settlements ---------------------------------------------------------------------------------
    public Optional<CommunityPolicy> policy(String communityId) {
        return settlements.policy(communityId);
    }

    public List<Payout> openSettlement(String settlementId, String communityId, String cycle, OffsetDateTime cutOff, String requestedBy, long approvalThresholdPaise) {
        return settlements.openSettlement(settlementId, communityId, cycle, cutOff, requestedBy, approvalThresholdPaise);
    }

    public int open(String settlementId, String communityId, String cycle, OffsetDateTime cutOff, String requestedBy, long approvalThresholdPaise) {
        return settlements.open(settlementId, communityId, cycle, cutOff, requestedBy, approvalThresholdPaise);
    }

    public List<Payout> payoutPage(String settlementId, String afterPayoutId, int limit) {
        return settlements.payoutPage(settlementId, afterPayoutId, limit);
    }

    public List<Payout> payoutsOf(String settlementId) {
        return settlements.payoutsOf(settlementId);
    }

    public Optional<Payout> payout(String payoutId) {
        return settlements.payout(payoutId);
    }

    public Optional<Settlement> settlement(String settlementId) {
        return settlements.settlement(settlementId);
    }

    public String refreshSettlement(String settlementId) {
        return settlements.refreshSettlement(settlementId);
    }

    // ---- PayoutTransfers -----------------------------------------------------------------------------
    public long lock(String payoutId) {
        return transfers.lock(payoutId);
    }

    public boolean setStatus(String payoutId, String status, String actor, String detail) {
        return transfers.setStatus(payoutId, status, actor, detail);
    }

    public void recordDecision(String payoutId, boolean approved, String approver, String note) {
        transfers.recordDecision(payoutId, approved, approver, note);
    }

    public boolean recordDecision(String payoutId, boolean approved, String approver, String note, Integer flagGenerationSeen) {
        return transfers.recordDecision(payoutId, approved, approver, note, flagGenerationSeen);
    }

    public boolean markTransferRequested(String payoutId) {
        return transfers.markTransferRequested(payoutId);
    }

    public SendPermit sendPermit(String payoutId) {
        return transfers.sendPermit(payoutId);
    }

    public void recordCashfree(String payoutId, String cfTransferId, String status, String statusCode) {
        transfers.recordCashfree(payoutId, cfTransferId, status, statusCode);
    }

    public void recordCashfree(String payoutId, String cfTransferId, String status, String statusCode, String utr) {
        transfers.recordCashfree(payoutId, cfTransferId, status, statusCode, utr);
    }

    public String recordCashfreeAnswer(String payoutId, String status, String statusCode) {
        return transfers.recordCashfreeAnswer(payoutId, status, statusCode);
    }

    public String recordCashfreeAnswer(String payoutId, String status, String statusCode, String utr) {
        return transfers.recordCashfreeAnswer(payoutId, status, statusCode, utr);
    }

    public void recordBankUtr(String payoutId, String status, String utr) {
        transfers.recordBankUtr(payoutId, status, utr);
    }

    public OffsetDateTime markPaid(String payoutId) {
        return transfers.markPaid(payoutId);
    }

    public OffsetDateTime markPaid(String payoutId, boolean onFinanceWord) {
        return transfers.markPaid(payoutId, onFinanceWord);
    }

    public void release(String payoutId, String finalStatus, String reason) {
        transfers.release(payoutId, finalStatus, reason);
    }

    public boolean markNeedsAttention(String payoutId, String why) {
        return transfers.markNeedsAttention(payoutId, why);
    }

    // ---- PayoutReturns -------------------------------------------------------------------------------
    public PaidAction reversePaid(String payoutId, String reason) {
        return returns.reversePaid(payoutId, reason);
    }

    public PaidAction holdPaid(String payoutId, String why) {
        return returns.holdPaid(payoutId, why);
    }

    // ---- a payout's life -------------------------------------------------------------------------

    /** Payouts waiting for finance (oldest first), optionally of one community. */
    public List<Payout> needingAttention(String communityId, int limit) {
        return ledger.once(tx -> tx.selectFrom(PAYOUT)
                .where(PAYOUT.STATUS.eq("NEEDS_ATTENTION"), communityId == null ? DSL.noCondition() : PAYOUT.COMMUNITY_ID.eq(communityId))
                .orderBy(PAYOUT.ATTENTION_SINCE, PAYOUT.PAYOUT_ID).limit(limit).fetch(PayoutRows::payoutOf));
    }

    public long countNeedingAttention() {
        return ledger.once(tx -> tx.fetchCount(PAYOUT, PAYOUT.STATUS.eq("NEEDS_ATTENTION")));
    }

    /** A finance resolution of a NEEDS_ATTENTION payout; {@code ready} when it may be acted on. */
    public record Resolution(String outcome, String requestedBy, String confirmedBy, boolean ready) {}

    /** A resolution refused because the actor may not take part in it (the payout is to them). Nothing is written. */
    public static final class FourEyes extends IllegalStateException {
        public FourEyes(String message) {
            super(message);
        }
    }

    /**
     * Finance resolves a payout whose outcome Cashfree has not told us. "PAID" (Cashfree's dashboard or
     * the bank shows it paid) is ready at once: it releases no money. "FAILED" returns the money to
     * the member, so it needs two people: the first call records the request, a second call by someone
     * else confirms it (the requester again: answered as it stands, not ready; the database refuses the requester as
     * confirmer too). A ready
     * resolution (PAID, or FAILED confirmed) is final: another one is refused (IllegalStateException, 409).
     */
    public Resolution resolve(String payoutId, String outcome, String actor, String note) {
        if (!"PAID".equals(outcome) && !"FAILED".equals(outcome)) throw new IllegalArgumentException("outcome must be PAID or FAILED");
        if (actor == null || actor.isBlank()) throw new IllegalArgumentException("an actor is required");
        return ledger.inTransaction(tx -> {
            PayoutRecord r = require(tx, payoutId);
            if (actor.equalsIgnoreCase(r.getUserId())) {
                // Four eyes exclude the beneficiary (review M-4; changeset 107 refuses it in the database too).
                throw new FourEyes("payout " + payoutId + " is to you; other finance users must resolve it");
            }
            if (!"NEEDS_ATTENTION".equals(r.getStatus())) {
                throw new IllegalStateException("payout " + payoutId + " is " + r.getStatus() + ", not NEEDS_ATTENTION");
            }
            if ("PAID".equals(r.getResolutionOutcome()) || r.getResolutionConfirmedBy() != null) {
                // Written before its signal: the same resolution by the same person again (a retry after a failed signal) is
                // answered as it stands, so the caller signals again (the workflow takes one resolution only).
                String decider = r.getResolutionConfirmedBy() != null ? r.getResolutionConfirmedBy() : r.getResolutionRequestedBy();
                if (outcome.equals(r.getResolutionOutcome()) && actor.equalsIgnoreCase(decider)) {
                    event(tx, payoutId, "RESOLVE_REPEATED", actor, outcome + (note == null ? "" : ": " + note));
                    return new Resolution(outcome, r.getResolutionRequestedBy(), r.getResolutionConfirmedBy(), true);
                }
                // Ready resolutions were signalled to the workflow: final, never overwritten by someone else's.
                throw new IllegalStateException("payout " + payoutId + " was already resolved " + r.getResolutionOutcome() + " by "
                        + r.getResolutionRequestedBy() + (r.getResolutionConfirmedBy() == null ? "" : " and " + r.getResolutionConfirmedBy()));
            }
            String refused = unsettleable(r, outcome);
            if (refused != null) {
                // Held by the ledger (its workflow has ended): a resolution the books cannot take is never saved (review M2).
                throw new IllegalStateException("payout " + payoutId + " cannot be resolved " + outcome + ": " + refused);
            }
            String requested = r.getResolutionRequestedBy();
            boolean confirming = "FAILED".equals(outcome) && "FAILED".equals(r.getResolutionOutcome()) && requested != null;
            if (confirming) {
                if (requested.equalsIgnoreCase(actor)) {
                    // The requester repeating their own request (a retry after a lost 202): answered as it stands, still
                    // waiting for someone else (review P10). Never a confirmation: the database refuses it too.
                    event(tx, payoutId, "RESOLVE_REPEATED", actor, "FAILED (still to be confirmed by someone else)"
                            + (note == null ? "" : ": " + note));
                    return new Resolution("FAILED", requested, null, false);
                }
                tx.update(PAYOUT).set(PAYOUT.RESOLUTION_CONFIRMED_BY, actor).set(PAYOUT.UPDATED_AT, DSL.currentOffsetDateTime())
                        .where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
                event(tx, payoutId, "RESOLVE_CONFIRMED", actor, "FAILED" + (note == null ? "" : ": " + note));
                return new Resolution("FAILED", requested, actor, true);
            }
            tx.update(PAYOUT).set(PAYOUT.RESOLUTION_OUTCOME, outcome).set(PAYOUT.RESOLUTION_REQUESTED_BY, actor)
                    .setNull(PAYOUT.RESOLUTION_CONFIRMED_BY).set(PAYOUT.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
            event(tx, payoutId, "RESOLVE_REQUESTED", actor, outcome + (note == null ? "" : ": " + note));
            return new Resolution(outcome, actor, null, "PAID".equals(outcome));
        });
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
        refreshSettlement(paid.settlementId());
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

    /**
     * Acts on finance's ready resolution of a payout held by the ledger after its workflow ended (nothing else will):
     * <ul>
     * <li>{@link PayoutReturns#holdForFinance locked again} on Cashfree's contradicting SUCCESS: PAID pays the relocked money
     * (PAYOUT_PAID, status PAID; not paid on finance's word alone when Cashfree said SUCCESS, so no later FAILED returns it)
     * by {@code payout_paid:payout:<id>}, or, for a payout paid once and returned already (review M2), by the relock's own
     * {@code payout_paid:payout_relock:<id>} (relock_paid_journal_id); FAILED (confirmed by two) returns it by the relock's
     * own release ({@code payout_failed:payout_relock:<id>}) and the payout is FAILED again (REVERSED if it had been paid
     * and reversed);</li>
     * <li>{@link #holdPaidForFinance put on finance's list} on Cashfree's refusal after its own SUCCESS (review L1): PAID
     * moves nothing (the money stayed paid out) and the payout is PAID again; FAILED (confirmed by two) returns the money
     * once by {@link #reversePaid(DSLContext, PayoutRecord, String) the reversal} and the payout is REVERSED.</li>
     * </ul>
     * Returns the status, or empty when the payout is not held or its resolution is not ready; IllegalStateException
     * (nothing written) when the books cannot take it ({@link #unsettleable}, which {@link #resolve} checks before it saves
     * a resolution). Idempotent. The settlement's totals are refreshed after it acts.
     */
    public Optional<String> settleHeld(String payoutId) {
        Optional<String> done = ledger.inTransaction(tx -> {
            PayoutRecord p = require(tx, payoutId);
            Hold hold = heldBy(p);
            if (hold == null) return Optional.<String>empty();
            if (!"NEEDS_ATTENTION".equals(p.getStatus())) {
                return TERMINAL.contains(p.getStatus()) ? Optional.of(p.getStatus()) : Optional.<String>empty();
            }
            String outcome = p.getResolutionOutcome();
            boolean ready = "PAID".equals(outcome) || ("FAILED".equals(outcome) && p.getResolutionConfirmedBy() != null);
            if (!ready) return Optional.<String>empty();
            String refused = unsettleable(p, outcome);
            if (refused != null) throw new IllegalStateException("payout " + payoutId + ": " + refused);
            String by = p.getResolutionRequestedBy() + (p.getResolutionConfirmedBy() == null ? "" : " and " + p.getResolutionConfirmedBy());
            if (hold == Hold.REFUSAL) {
                if ("PAID".equals(outcome)) {
                    // Cashfree's SUCCESS stands: the money stayed paid out, nothing moves.
                    PayoutRows.setStatus(tx, payoutId, "PAID", p.getResolutionRequestedBy(), "confirmed paid by " + by
                            + ": Cashfree's refusal after its SUCCESS set aside");
                    return Optional.of("PAID");
                }
                returns.reversePaid(tx, p, "confirmed failed by " + by + " after Cashfree's refusal following its SUCCESS");
                return Optional.of("REVERSED");
            }
            if ("PAID".equals(outcome)) {
                var paid = tx.update(PAYOUT);
                if (p.getPaidJournalId() == null) {
                    long journal = movements.payoutMovement(tx, Movement.PAYOUT_PAID, payoutId, member(p), p.getAmountPaise(),
                            "payout " + payoutId + " paid: confirmed by finance after Cashfree's contradicting answers");
                    paid.set(PAYOUT.PAID_JOURNAL_ID, journal);
                } else {
                    // Paid once, returned (REVERSED), locked again on Cashfree's SUCCESS: the member has it again (review M2).
                    long journal = movements.relockRoundMovement(tx, Movement.PAYOUT_PAID, payoutId, member(p), p.getAmountPaise(), "payout " + payoutId
                            + " paid again: confirmed by finance after the first payment was returned and Cashfree said SUCCESS");
                    paid.set(PAYOUT.RELOCK_PAID_JOURNAL_ID, journal);
                }
                paid.set(PAYOUT.PAID_AT, DSL.coalesce(PAYOUT.PAID_AT, DSL.currentOffsetDateTime()))
                        // Held only because Cashfree said SUCCESS: finance's PAID agrees with Cashfree, never finance's word alone,
                        // even on a legacy row whose success time is missing (review L-2: it would read as a sweep candidate and
                        // the relock payment would be returned).
                        .set(PAYOUT.PAID_ON_FINANCE_WORD, false)
                        .set(PAYOUT.CASHFREE_SUCCESS_AT, DSL.coalesce(PAYOUT.CASHFREE_SUCCESS_AT, DSL.currentOffsetDateTime()))
                        .where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
                PayoutRows.setStatus(tx, payoutId, "PAID", p.getResolutionRequestedBy(), "confirmed paid by " + by);
                return Optional.of("PAID");
            }
            long back = movements.relockRoundMovement(tx, Movement.PAYOUT_FAILED, payoutId, member(p), p.getAmountPaise(),
                    "payout " + payoutId + " held for finance, confirmed failed by " + by);
            tx.update(PAYOUT).set(PAYOUT.RELOCK_FAILED_JOURNAL_ID, back).where(PAYOUT.PAYOUT_ID.eq(payoutId)).execute();
            String end = p.getReversedJournalId() != null ? "REVERSED" : "FAILED";
            PayoutRows.setStatus(tx, payoutId, end, p.getResolutionConfirmedBy(), "confirmed failed by " + by);
            return Optional.of(end);
        });
        if (done.isPresent()) payout(payoutId).ifPresent(p -> refreshSettlement(p.settlementId()));
        return done;
    }

    /**
     * The ledger holds this payout for finance after its workflow ended ({@link PayoutReturns#holdForFinance}, {@link #holdPaidForFinance}):
     * no workflow acts on its resolution, {@link #settleHeld} does (review M-3).
     */
    public boolean heldByLedger(String payoutId) {
        return ledger.once(tx -> tx.selectFrom(PAYOUT).where(PAYOUT.PAYOUT_ID.eq(payoutId)).fetchOptional()
                .map(p -> heldBy(p) != null).orElse(false));
    }

    /**
     * Why {@link #settleHeld} could not act on resolution {@code outcome} of payout {@code p} held by the ledger, or null.
     * Checked by {@link #resolve} under the same row lock before it saves a resolution, so no resolution the books cannot
     * take is ever saved as final (review M2: one was, and then blocked every other).
     */
    static String unsettleable(PayoutRecord p, String outcome) {
        Hold hold = heldBy(p);
        if (hold == null) return null;
        if (hold == Hold.REFUSAL) {
            // PAID moves nothing (review L-1): only a return needs money paid out now.
            return "PAID".equals(outcome) || paidOutNow(p) ? null : "none of its money is paid out now: there is nothing to return";
        }
        if ("PAID".equals(outcome)) {
            if ("REVERSED".equals(p.getCashfreeStatus())) {
                // Review s6 R2-L4: the bank sent the transfer back; paying the relocked money would pay out money that came back.
                return "Cashfree said REVERSED: the bank sent the transfer back, so it cannot be confirmed paid (confirm it failed)";
            }
            if (p.getPaidJournalId() == null) return null;
            if (p.getReversedJournalId() == null) return "its first payment was never returned: paying the relocked money would pay it twice";
            if (p.getRelockPaidJournalId() != null) return "its relocked money was paid already (relock_paid_journal_id)";
            return null;
        }
        return p.getRelockFailedJournalId() != null ? "its relocked money was returned already (relock_failed_journal_id)" : null;
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
     * <li>REVERSED for a PAID payout: the money comes back ({@link #reversePaid});</li>
     * <li>FAILED/REJECTED for a payout PAID on finance's word alone ("confirm paid"; Cashfree had not said SUCCESS): the
     * money never left, it comes back the same way; after Cashfree's own SUCCESS it is a contradiction: nothing moves,
     * LATE_UNPOSTED;</li>
     * <li>if the member no longer has the money: LATE_UNPOSTED; anything else is recorded only.</li>
     * </ul>
     */
    public LateAnswer lateAnswer(String payoutId, String status, String code, String detail) {
        return lateAnswer(payoutId, recordCashfreeAnswer(payoutId, status, code), status, code, detail);
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
        refreshSettlement(done.settlementId());
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
     * that came back ({@link #unsettleable} refuses PAID from now on; FAILED, by two, returns it). The payout stays on
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

    // ---- finance review --------------------------------------------------------------------------

    public record RecipientGroup(String communityId, String role, String userId, long totalPaise, List<Payout> payouts) {}

    /** Payouts awaiting approval (optionally of one community), grouped by recipient. */
    public List<RecipientGroup> pendingByRecipient(String communityId, int limit) {
        var rows = ledger.once(tx -> tx.selectFrom(PAYOUT)
                .where(PAYOUT.STATUS.eq("PENDING_APPROVAL"), communityId == null ? DSL.noCondition() : PAYOUT.COMMUNITY_ID.eq(communityId))
                .orderBy(PAYOUT.COMMUNITY_ID, PAYOUT.ROLE, PAYOUT.USER_ID, PAYOUT.CREATED_AT).limit(limit)
                .fetch(PayoutRows::payoutOf));
        Map<String, List<Payout>> groups = new LinkedHashMap<>();
        for (Payout p : rows) groups.computeIfAbsent(p.communityId() + "\u0000" + p.role() + "\u0000" + p.userId(), k -> new ArrayList<>()).add(p);
        List<RecipientGroup> out = new ArrayList<>();
        for (List<Payout> g : groups.values()) {
            Payout first = g.get(0);
            out.add(new RecipientGroup(first.communityId(), first.role(), first.userId(),
                    g.stream().mapToLong(Payout::amountPaise).sum(), List.copyOf(g)));
        }
        return out;
    }
}
