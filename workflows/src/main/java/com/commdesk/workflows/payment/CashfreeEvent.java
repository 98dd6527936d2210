package com.commdesk.workflows.payment;

/** A verified Cashfree webhook about this payment's order, delivered as a signal (at least once). */
public record CashfreeEvent(String eventId, String type, String cfPaymentId, String paymentStatus) {
    /** The event type that has a payment awaiting its order's payment look at Cashfree again at once. */
    public static final String PAYMENT_SUCCESS = "PAYMENT_SUCCESS_WEBHOOK";
}
