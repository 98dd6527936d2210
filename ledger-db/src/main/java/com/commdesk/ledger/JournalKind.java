package com.commdesk.ledger;

import java.util.Locale;

/**
 * Every kind of journal the ledger writes. A journal's key starts with its kind in lower case
 * ({@link JournalKey}), and the database checks that it does (changelog 016): keys of different
 * kinds can never be equal.
 */
public enum JournalKind {
    /** A customer payment: gross in, GST, fees, withholding and members' pending credits. */
    PAYMENT,
    /** The exact negation of an earlier journal (a payment, or a refund Cashfree cancelled or failed). */
    REVERSAL,
    /** A refund reserved before Cashfree is asked: members' money to refunds_in_flight. */
    REFUND,
    /** A chargeback: Cashfree already took the money back. */
    CHARGEBACK,
    /** Cashfree paid a reserved refund: refunds_in_flight to cashfree_clearing. */
    REFUND_PAID,
    /** A hold ended: pending to available. */
    RELEASE,
    /** What a member owes is repaid from money that just became available to them. */
    RECOVERY,
    PAYOUT_LOCK,
    PAYOUT_PAID,
    PAYOUT_FAILED,
    PAYOUT_REVERSED,
    /** A reconciliation exception resolved with an adjustment. */
    ADJUSTMENT;

    /** The first part of every key of this kind. */
    public String prefix() {
        return name().toLowerCase(Locale.ROOT);
    }
}
