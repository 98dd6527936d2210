package com.commdesk.workflows.payment;

/**
 * What Cashfree confirmed: the order is PAID, for this amount, in this currency, by this method.
 * {@code paidAtEpochMillis}: Cashfree's payment time (decides which commission rules are effective);
 * null when Cashfree gave none. {@code customerId}: the order's customer (fraud velocity); null if none.
 * {@code placeOfSupply}: the order's {@code place_of_supply} tag, the fact a request that omits it takes
 * (docs/decisions.md D16); null when the order has none (and in results recorded before it existed).
 * {@code ticketPricePaise}: the order's {@code ticket_price_paise} tag as written (the price before a convenience fee the
 * customer bore), the fact a request that omits it takes, as the place of supply; null when the order has none (and in
 * results recorded before it existed).
 */
public record VerifiedPayment(String cashfreeOrderId, String cashfreePaymentId, long amountPaise, String currency,
                              String paymentMethod, Long paidAtEpochMillis, String customerId, String placeOfSupply,
                              String ticketPricePaise) {
    public VerifiedPayment(String cashfreeOrderId, String cashfreePaymentId, long amountPaise, String currency, String paymentMethod,
                           Long paidAtEpochMillis, String customerId, String placeOfSupply) {
        this(cashfreeOrderId, cashfreePaymentId, amountPaise, currency, paymentMethod, paidAtEpochMillis, customerId, placeOfSupply, null);
    }

    public VerifiedPayment(String cashfreeOrderId, String cashfreePaymentId, long amountPaise, String currency, String paymentMethod,
                           Long paidAtEpochMillis, String customerId) {
        this(cashfreeOrderId, cashfreePaymentId, amountPaise, currency, paymentMethod, paidAtEpochMillis, customerId, null);
    }

    public VerifiedPayment(String cashfreeOrderId, String cashfreePaymentId, long amountPaise, String currency, String paymentMethod) {
        this(cashfreeOrderId, cashfreePaymentId, amountPaise, currency, paymentMethod, null, null);
    }

    public VerifiedPayment(String cashfreeOrderId, String cashfreePaymentId, long amountPaise, String currency, String paymentMethod,
                           Long paidAtEpochMillis) {
        this(cashfreeOrderId, cashfreePaymentId, amountPaise, currency, paymentMethod, paidAtEpochMillis, null);
    }
}
