package com.commdesk.activities.cashfree;

/** Cashfree answered 404 for the entity (e.g. {@code order_not_found}). Not retryable. */
public final class CashfreeNotFoundException extends CashfreeException {
    CashfreeNotFoundException(String message, int httpStatus, String errorCode) {
        super(message, httpStatus, errorCode, null);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
