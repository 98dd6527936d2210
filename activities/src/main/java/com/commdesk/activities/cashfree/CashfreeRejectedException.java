package com.commdesk.activities.cashfree;

/**
 * Cashfree refused the call (4xx other than 404/408/429, e.g. 400, 401, 409, 422), or the call/answer
 * cannot be represented exactly (a non-positive amount refused before sending, fractional
 * paise in a response, an existing order that differs from the one asked for). Retrying the same call
 * will fail the same way. Not retryable.
 */
public final class CashfreeRejectedException extends CashfreeException {
    CashfreeRejectedException(String message, int httpStatus, String errorCode) {
        super(message, httpStatus, errorCode, null);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
