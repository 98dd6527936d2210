package com.commdesk.ledger;

/**
 * A posting the ledger refuses, or a database failure translated to what callers need to know
 * ({@link SqlStates}). {@code code} says why, for callers that map it (HTTP 409/422, retryable or
 * non-retryable workflow failures): {@link #retryable()} codes are temporary and the same call may
 * succeed later; every other code is final for that input.
 */
public class LedgerException extends RuntimeException {
    public enum Code {
        IDEMPOTENCY_CONFLICT, UNKNOWN_COMMUNITY, ALREADY_REVERSED, NOT_FOUND, INSUFFICIENT_FUNDS, ORDER_ALREADY_POSTED,
        REFUND_EXCEEDS_PAYMENT, PAYMENT_REFUNDED, INVALID_POSTING,
        /** Reconciliation booked the order's settlement as owed to us (an ADJUSTED MISSING_ON_OUR_SIDE): not booked again. */
        SETTLED_BY_RECONCILIATION,
        /** A unique key the caller did not expect to collide (SQLSTATE 23505). */
        DUPLICATE,
        /** Serialization failure or deadlock still there after the bounded retries (40001, 40P01): retry later. */
        CONTENTION,
        /** The database could not be reached or went away (08xxx, 57P0x, 53300, pool timeouts): retry later. */
        UNAVAILABLE,
        /** The operation is not possible in the record's current state (e.g. a refund that is not pending). */
        WRONG_STATE
    }

    private final Code code;

    public LedgerException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public LedgerException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() { return code; }

    /** True when nothing was written and the same call may succeed later (the database was busy or away). */
    public boolean retryable() {
        return code == Code.CONTENTION || code == Code.UNAVAILABLE;
    }
}
