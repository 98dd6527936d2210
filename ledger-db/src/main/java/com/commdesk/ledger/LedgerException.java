package com.commdesk.ledger;

/** A posting the ledger refuses. {@code code} says why, for callers that map it (HTTP 409/422, non-retryable failures). */
public class LedgerException extends RuntimeException {
    public enum Code { IDEMPOTENCY_CONFLICT, UNKNOWN_COMMUNITY, ALREADY_REVERSED, NOT_FOUND, INSUFFICIENT_FUNDS, ORDER_ALREADY_POSTED, REFUND_EXCEEDS_PAYMENT, PAYMENT_REFUNDED, INVALID_POSTING }

    private final Code code;

    public LedgerException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() { return code; }
}
