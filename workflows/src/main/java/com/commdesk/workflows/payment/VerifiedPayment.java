package com.commdesk.workflows.payment;

/**
 * What Cashfree confirmed: the order is PAID, for this amount, in this currency, by this method.
 * {@code paidAtEpochMillis}: Cashfree's payment time (decides which commission rules are effective);
 * null when Cashfree gave none. {@code customerId}: the order's customer (fraud velocity); null if none.
 */
public record VerifiedPayment(String cashfreeOrderId, String cashfreePaymentId, long amountPaise, String currency,
                              String paymentMethod, Long paidAtEpochMillis, String customerId) {
    public VerifiedPayment(String cashfreeOrderId, String cashfreePaymentId, long amountPaise, String currency, String paymentMethod) {
        this(cashfreeOrderId, cashfreePaymentId, amountPaise, currency, paymentMethod, null, null);
    }

    public VerifiedPayment(String cashfreeOrderId, String cashfreePaymentId, long amountPaise, String currency, String paymentMethod,
                           Long paidAtEpochMillis) {
        this(cashfreeOrderId, cashfreePaymentId, amountPaise, currency, paymentMethod, paidAtEpochMillis, null);
    }
}
