package com.commdesk.ledger.recon;

/** A reconciliation request refused; {@code code} says why (the API maps it to 404/409/422). */
public class ReconciliationFailure extends RuntimeException {
    public enum Code {
        NOT_FOUND, ALREADY_RESOLVED, INVALID,
        /** The payment's own workflow books it, has, or may (it cannot be told apart): not the books' to adjust (explain it). */
        PAYMENT_BOOKS_IT
    }

    private final Code code;

    public ReconciliationFailure(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() { return code; }
}
