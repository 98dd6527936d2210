package com.commdesk.cashfree.sim;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A payment the simulator recorded against an order (immutable).
 *
 * @param cfPaymentId   Cashfree's payment id
 * @param orderId       the merchant's order id
 * @param amountPaise   amount paid, in paise (may differ from the order amount: short/over payment)
 * @param currency      e.g. {@code INR}
 * @param status        Cashfree's {@code payment_status}, e.g. {@code SUCCESS}
 * @param method        the instrument used
 * @param paymentTime   when it was paid (Cashfree reports IST, {@code +05:30})
 * @param bankReference the bank's reference (UTR for UPI)
 */
public record SimPayment(String cfPaymentId, String orderId, long amountPaise, String currency, String status,
                         PaymentMethod method, OffsetDateTime paymentTime, String bankReference) {
    public SimPayment {
        Objects.requireNonNull(cfPaymentId, "cfPaymentId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(paymentTime, "paymentTime");
        Objects.requireNonNull(bankReference, "bankReference");
    }
}
