package com.commdesk.activities.cashfree;

/**
 * Cashfree could not be reached or answered with a transient failure: 5xx, 429, 408, a timeout, an I/O
 * error, or an unreadable body. Retryable.
 */
public final class CashfreeUnavailableException extends CashfreeException {
    CashfreeUnavailableException(String message, int httpStatus, String errorCode, Throwable cause) {
        super(message, httpStatus, errorCode, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
