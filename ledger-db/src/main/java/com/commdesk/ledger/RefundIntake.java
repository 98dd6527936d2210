package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.REFUND_REQUEST;

/**
 * Clients' refund keys, stored apart from every ledger key (changelog 018): the API records a refund
 * request under its Idempotency-Key before the refund's workflow starts (through {@link RefundApprovals}). The same key for the same
 * payment and body is the same refund; for another payment, or with another body, it is an
 * IDEMPOTENCY_CONFLICT (409) — never that other refund's status.
 */
public final class RefundIntake {
    private RefundIntake() {}

    public record RefundRequestRecord(String refundId, String paymentId, String requestSha256, String kind, long amountPaise,
                                      String requestedBy) {}

    public enum Outcome { CREATED, REPEATED }

    /** Records the request inside the caller's transaction ({@link RefundApprovals#accept}: a refund and its approval request together). */
    static Outcome accept(org.jooq.DSLContext tx, RefundRequestRecord r) {
        int inserted = tx.insertInto(REFUND_REQUEST).set(REFUND_REQUEST.REFUND_ID, r.refundId())
                .set(REFUND_REQUEST.PAYMENT_ID, r.paymentId()).set(REFUND_REQUEST.REQUEST_SHA256, r.requestSha256())
                .set(REFUND_REQUEST.KIND, r.kind()).set(REFUND_REQUEST.AMOUNT_PAISE, r.amountPaise())
                .set(REFUND_REQUEST.REQUESTED_BY, r.requestedBy())
                .onConflictDoNothing().execute();
        if (inserted == 1) return Outcome.CREATED;
        var existing = tx.selectFrom(REFUND_REQUEST).where(REFUND_REQUEST.REFUND_ID.eq(r.refundId())).fetchSingle();
        if (!existing.getPaymentId().equals(r.paymentId())) {
            throw new LedgerException(LedgerException.Code.IDEMPOTENCY_CONFLICT,
                    "refund id '" + r.refundId() + "' belongs to another payment");
        }
        if (!existing.getRequestSha256().equals(r.requestSha256())) {
            throw new LedgerException(LedgerException.Code.IDEMPOTENCY_CONFLICT,
                    "Idempotency-Key '" + r.refundId() + "' was already used for a different refund request");
        }
        return Outcome.REPEATED;
    }
}
