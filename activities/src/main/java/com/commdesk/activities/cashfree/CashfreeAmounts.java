package com.commdesk.activities.cashfree;

import java.math.BigDecimal;

/**
 * Exact conversions between our paise and Cashfree's rupee amounts.
 *
 * <p>The SDK's {@code CreateOrderRequest.orderAmount} is a {@code Double}, which Gson writes with
 * {@code Double.toString}. {@link #toRequestAmount(long)} only hands over a double whose decimal text is
 * exactly the paise amount (true for every amount up to about 10^15 paise); anything else is refused.
 * Responses carry {@code BigDecimal}s, converted with {@code movePointRight(2).longValueExact()}.
 */
public final class CashfreeAmounts {

    private CashfreeAmounts() {
    }

    /**
     * The {@code Double} to put in {@code CreateOrderRequest.orderAmount} for {@code paise}.
     *
     * @throws IllegalArgumentException if {@code paise <= 0} or the double would not say exactly {@code paise}
     */
    public static Double toRequestAmount(long paise) {
        if (paise <= 0) {
            throw new IllegalArgumentException("amount must be > 0 paise, was " + paise);
        }
        BigDecimal exact = BigDecimal.valueOf(paise, 2);
        double d = exact.doubleValue();
        // BigDecimal.valueOf(double) parses Double.toString(d): the very text Gson puts on the wire.
        if (Double.isInfinite(d) || BigDecimal.valueOf(d).compareTo(exact) != 0) {
            throw new IllegalArgumentException("amount of " + paise + " paise cannot be sent exactly through the "
                    + "cashfree_pg SDK's Double (it would become " + BigDecimal.valueOf(d).toPlainString() + ")");
        }
        return d;
    }

    /**
     * Paise from a Cashfree rupee amount.
     *
     * @throws ArithmeticException if it has fractions of a paisa or does not fit a long
     */
    public static long toPaise(BigDecimal rupees) {
        return rupees.movePointRight(2).longValueExact();
    }
}
