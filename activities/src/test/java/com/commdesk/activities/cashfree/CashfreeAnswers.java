package com.commdesk.activities.cashfree;

/** Cashfree's failures as the adapter throws them, for tests of the activities that read them (their constructors are the adapter's). */
public final class CashfreeAnswers {
    private CashfreeAnswers() {}

    public static CashfreeRejectedException rejected(String message, int httpStatus, String errorCode) {
        return new CashfreeRejectedException(message, httpStatus, errorCode);
    }

    public static CashfreeNotFoundException notFound(String message) {
        return new CashfreeNotFoundException(message, 404, "order_not_found");
    }

    public static CashfreeUnavailableException unavailable(String message) {
        return new CashfreeUnavailableException(message, 503, null, null);
    }
}
