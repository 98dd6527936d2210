package com.commdesk.activities.cashfree;

import java.time.Instant;
import java.util.Objects;

/**
 * One payment attempt on a Cashfree order.
 *
 * @param cfPaymentId   Cashfree's payment id
 * @param orderId       our order id
 * @param amountPaise   amount of this payment in paise (exact; may differ from the order amount)
 * @param currency      e.g. {@code INR}
 * @param status        Cashfree's {@code payment_status}: SUCCESS, NOT_ATTEMPTED, FAILED, USER_DROPPED, VOID,
 *                      CANCELLED, PENDING, or UNKNOWN if Cashfree sent something else
 * @param paymentGroup  Cashfree's raw {@code payment_group}, e.g. {@code upi}, {@code credit_card}
 * @param paymentMethod our normalised method: UPI, CARD, NETBANKING, WALLET or OTHER
 *                      (see {@link CashfreePgAdapter#normalisePaymentMethod(String)})
 * @param paymentTime   when it was paid; {@code null} if Cashfree gave none (e.g. not attempted)
 */
public record CashfreePayment(String cfPaymentId, String orderId, long amountPaise, String currency, String status,
                              String paymentGroup, String paymentMethod, Instant paymentTime) {
    public CashfreePayment {
        Objects.requireNonNull(cfPaymentId, "cfPaymentId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(paymentMethod, "paymentMethod");
    }
}
