package com.commdesk.activities.cashfree;

import java.util.Optional;

/**
 * A failed Cashfree call. Messages carry the operation, our order id, the HTTP status and Cashfree's error
 * code/type/message — never credentials or request headers.
 */
public abstract sealed class CashfreeException extends RuntimeException
        permits CashfreeUnavailableException, CashfreeNotFoundException, CashfreeRejectedException {

    private final int httpStatus;
    private final String errorCode;

    CashfreeException(String message, int httpStatus, String errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status Cashfree answered with; {@code 0} if no HTTP answer was involved. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Cashfree's error {@code code} (e.g. {@code order_not_found}), if it sent one. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** Whether trying the same call again later can succeed. */
    public abstract boolean retryable();
}
