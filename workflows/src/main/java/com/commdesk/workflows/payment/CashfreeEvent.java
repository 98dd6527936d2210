package com.commdesk.workflows.payment;

/** A verified Cashfree webhook about this payment's order, delivered as a signal (at least once). */
public record CashfreeEvent(String eventId, String type, String cfPaymentId, String paymentStatus) {}
