package com.commdesk.workflows.payment;

/** What Cashfree confirmed: the order is PAID, for this amount, in this currency, by this method. */
public record VerifiedPayment(String cashfreeOrderId, String cashfreePaymentId, long amountPaise, String currency,
                              String paymentMethod) {}
