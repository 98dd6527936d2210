package com.commdesk.ledger.payout;

import static com.commdesk.ledger.jooq.Tables.PAYOUT;
import static com.commdesk.ledger.payout.PayoutRows.event;
import static com.commdesk.ledger.payout.PayoutRows.member;
import static com.commdesk.ledger.payout.PayoutRows.require;
import static com.commdesk.ledger.payout.PayoutStates.TERMINAL;
import static com.commdesk.ledger.payout.PayoutStates.heldBy;
import static com.commdesk.ledger.payout.PayoutStates.paidOutNow;

import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.WalletMovements;
import com.commdesk.ledger.WalletMovements.Movement;
import com.commdesk.ledger.jooq.tables.records.PayoutRecord;
import com.commdesk.ledger.payout.PayoutStates.Hold;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Finance's side of payouts: what waits for approval or attention, a resolution of a NEEDS_ATTENTION payout (four
 * eyes), and the ledger acting on a ready resolution of a payout it holds ({@link #settleHeld}).
 */
public final class FinanceResolutions {
    private final Ledger ledger;
    private final WalletMovements movements;
    private final PayoutReturns returns;
    private final Settlements settlements;

    public FinanceResolutions(Ledger ledger) {
        this.ledger = ledger;
        this.movements = new WalletMovements(ledger);
        this.returns = new PayoutReturns(ledger);
        this.settlements = new Settlements(ledger);
    }

    public FinanceResolutions(DSLContext dsl) {
        this(new Ledger(dsl));
    }

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
            if ("FAILED".equals(outcome) && heldBy(r) == null && r.getCashfreeSuccessAt() != null && !"REVERSED".equals(r.getCashfreeStatus())) {
                // Its workflow decides (the ledger does not hold it) and Cashfree's SUCCESS is on record, its signal to the
                // workflow perhaps lost: FAILED would have the workflow return money Cashfree paid out, and the next
                // settlement would pay it again (review s12). Cashfree's own answer outranks finance's word, as in the
                // workflow (CASHFREE_FIRST); only Cashfree's REVERSED returns it. A payout the ledger holds for a
                // contradiction (SUCCESS, then FAILED) is finance's to settle either way (settleHeld knows what moved).
                throw new IllegalStateException("payout " + payoutId + " cannot be resolved FAILED: Cashfree said SUCCESS at "
                        + r.getCashfreeSuccessAt() + " and its record says " + r.getCashfreeStatus()
                        + "; resolve it PAID, or wait for Cashfree's REVERSED");
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
     * Acts on finance's ready resolution of a payout held by the ledger after its workflow ended (nothing else will):
     * <ul>
     * <li>{@link PayoutReturns#holdForFinance locked again} on Cashfree's contradicting SUCCESS: PAID pays the relocked money
     * (PAYOUT_PAID, status PAID; not paid on finance's word alone when Cashfree said SUCCESS, so no later FAILED returns it)
     * by {@code payout_paid:payout:<id>}, or, for a payout paid once and returned already (review M2), by the relock's own
     * {@code payout_paid:payout_relock:<id>} (relock_paid_journal_id); FAILED (confirmed by two) returns it by the relock's
     * own release ({@code payout_failed:payout_relock:<id>}) and the payout is FAILED again (REVERSED if it had been paid
     * and reversed);</li>
     * <li>{@link PayoutReturns#holdPaidForFinance put on finance's list} on Cashfree's refusal after its own SUCCESS (review L1): PAID
     * moves nothing (the money stayed paid out) and the payout is PAID again; FAILED (confirmed by two) returns the money
     * once by {@link PayoutReturns#reversePaid(DSLContext, PayoutRecord, String) the reversal} and the payout is REVERSED.</li>
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
        if (done.isPresent()) settlements.payout(payoutId).ifPresent(p -> settlements.refreshSettlement(p.settlementId()));
        return done;
    }

    /**
     * The ledger holds this payout for finance after its workflow ended ({@link PayoutReturns#holdForFinance}, {@link PayoutReturns#holdPaidForFinance}):
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
