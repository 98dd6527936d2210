package com.commdesk.ledger.payout;

import com.commdesk.ledger.jooq.tables.records.PayoutRecord;
import java.util.Set;

/**
 * Facts about a payout row that decide what may happen to it: final statuses, where Cashfree's answer stands, the ledger's
 * holds for finance and the one definition of "paid out" ({@link #PAID_OUT_SQL}). Read only; nothing here writes.
 */
public final class PayoutStates {
    public static final Set<String> TERMINAL = Set.of("PAID", "FAILED", "REJECTED", "REVERSED");

    /** Where a status stands in Cashfree's transfer lifecycle: pending (0), SUCCESS (1), a final refusal or reversal (2). */
    static int cashfreeRank(String status) {
        if (status == null) return -1;
        return switch (status) {
            case "SUCCESS" -> 1;
            case "FAILED", "REJECTED", "REVERSED" -> 2;
            default -> 0;
        };
    }

    /** Cashfree's answer means it paid the transfer (REVERSED only ever follows its SUCCESS). */
    static boolean saidSuccess(String status) {
        return "SUCCESS".equals(status) || "REVERSED".equals(status);
    }

    /**
     * Paid on finance's word alone, and Cashfree has never said SUCCESS (sticky, read under the payout's row lock): the
     * only payout a FAILED / REJECTED from Cashfree may return to available (review P4-1).
     */
    static boolean paidOnFinanceWordAlone(PayoutRecord p) {
        return Boolean.TRUE.equals(p.getPaidOnFinanceWord()) && p.getCashfreeSuccessAt() == null;
    }

    /** Cashfree itself has said the money did not reach the member, or came back. */
    static boolean cashfreeSaidNotPaid(String cashfreeStatus) {
        return cashfreeRank(cashfreeStatus) == 2;
    }

    static boolean refusedByCashfree(String cashfreeStatus) {
        return "FAILED".equals(cashfreeStatus) || "REJECTED".equals(cashfreeStatus);
    }

    /** Why the ledger holds a payout for finance after its workflow ended. */
    enum Hold {
        /** Cashfree's SUCCESS after the money was returned: locked again ({@link PayoutReturns#holdForFinance}). */
        RELOCK,
        /** Cashfree's FAILED/REJECTED after its own SUCCESS for a PAID payout: the money stays paid out ({@link PayoutReturns#holdPaidForFinance}). */
        REFUSAL
    }

    /**
     * The ledger's hold of a payout, if any (whatever its status now). A refusal hold is only ever set on a PAID payout and a
     * relock hold only on a FAILED/REJECTED/REVERSED one whose Cashfree record says FAILED/REJECTED, which a refusal hold never
     * leaves behind: holdForFinance never locks again a payout that had a refusal hold (nor one locked again once), so
     * the refusal marker, when set, names the current hold.
     */
    static Hold heldBy(PayoutRecord p) {
        if (p.getRefusalAfterSuccessAt() != null) return Hold.REFUSAL;
        if (p.getRelockJournalId() != null) return Hold.RELOCK;
        return null;
    }

    /**
     * A payout row whose money is paid out, as SQL over the columns of {@code payout} (unqualified): PAID, or a PAID payout on
     * finance's list for Cashfree's refusal after its SUCCESS (a refusal hold: the money stays paid out until finance decides,
     * review L-4) whose journals say it is paid out ({@link #paidOutNow}: a payment not sent back; review s6 F-M1). The one
     * definition the settlement's {@code paid_paise} ({@link Settlements#refreshSettlement}) and the invariant "paid allocations equal
     * each member's paid payouts" (LedgerInvariants) both use: they used to differ on a refusal hold no journal shows paid.
     */
    public static final String PAID_OUT_SQL = "(status = 'PAID' or (status = 'NEEDS_ATTENTION' and refusal_after_success_at is not null"
            + " and ((paid_journal_id is not null and reversed_journal_id is null)"
            + " or (relock_paid_journal_id is not null and relock_reversed_journal_id is null))))";

    /** The member has the payout's money now: a payment (first, or the relock's) not sent back; {@link #PAID_OUT_SQL}'s journal part. */
    static boolean paidOutNow(PayoutRecord p) {
        return (p.getPaidJournalId() != null && p.getReversedJournalId() == null)
                || (p.getRelockPaidJournalId() != null && p.getRelockReversedJournalId() == null);
    }

    private PayoutStates() {}
}
