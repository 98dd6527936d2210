package com.commdesk.ledger;

import java.util.UUID;

/**
 * A journal's idempotency key: {@code <kind>:<scope>:<id>}. Made only here, by the ledger's own
 * builders, from the ids of the ledger's own records (a payment id, a refund id within its payment,
 * a hold, a payout, a journal, an exception): never a string a client chose. The kind comes first and
 * the database refuses a key whose first part is not the journal's kind (changelog 016), so a client's
 * payment key ({@code payment:<community>:<whatever the client sent>}) can never equal the key of a
 * refund, a release or a payout movement.
 */
public record JournalKey(JournalKind kind, String scope, String id) {
    public JournalKey {
        if (kind == null) throw new IllegalArgumentException("kind is required");
        if (scope == null || scope.isEmpty() || scope.indexOf(':') >= 0) throw new IllegalArgumentException("bad key scope " + scope);
        if (id == null || id.isEmpty()) throw new IllegalArgumentException("key id is required");
        if (kind.prefix().length() + scope.length() + id.length() + 2 > 200) throw new IllegalArgumentException("key longer than 200");
    }

    static JournalKey payment(String communityId, String paymentId) {
        return new JournalKey(JournalKind.PAYMENT, communityId, paymentId);
    }

    static JournalKey refund(JournalKind kind, UUID transactionId, String refundId) {
        if (kind != JournalKind.REFUND && kind != JournalKind.CHARGEBACK && kind != JournalKind.REFUND_PAID) {
            throw new IllegalArgumentException(kind + " is not a refund journal");
        }
        return new JournalKey(kind, transactionId.toString(), refundId);
    }

    static JournalKey reversal(long journalId) {
        return new JournalKey(JournalKind.REVERSAL, "journal", Long.toString(journalId));
    }

    static JournalKey release(long holdId) {
        return new JournalKey(JournalKind.RELEASE, "hold", Long.toString(holdId));
    }

    static JournalKey recovery(long afterJournalId) {
        return new JournalKey(JournalKind.RECOVERY, "journal", Long.toString(afterJournalId));
    }

    static JournalKey payout(JournalKind kind, String payoutId) {
        if (!kind.name().startsWith("PAYOUT_")) throw new IllegalArgumentException(kind + " is not a payout journal");
        return new JournalKey(kind, "payout", payoutId);
    }

    /**
     * A movement of a payout's second round: its money was released, Cashfree then reported it paid after all, so it
     * was locked again ({@code payout_lock:payout_relock:<id>}); if the bank then sends it back, the money returns
     * by {@code payout_failed:payout_relock:<id>} (the first release's key is never reused). A payout whose first
     * payment was returned already (paid, then reversed) and whose relocked money finance confirms paid is paid by
     * {@code payout_paid:payout_relock:<id>}, and that second payment sent back by the bank comes back by
     * {@code payout_reversed:payout_relock:<id>} (review M2).
     */
    static JournalKey payoutAfterRelock(JournalKind kind, String payoutId) {
        return new JournalKey(payout(kind, payoutId).kind(), "payout_relock", payoutId); // the same guard as payout()
    }

    static JournalKey adjustment(long exceptionId) {
        return new JournalKey(JournalKind.ADJUSTMENT, "recon_exception", Long.toString(exceptionId));
    }

    /** The key as stored in journal.idempotency_key. */
    @Override
    public String toString() {
        return kind.prefix() + ":" + scope + ":" + id;
    }
}
