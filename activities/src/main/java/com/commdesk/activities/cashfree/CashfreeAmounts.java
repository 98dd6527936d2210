package com.commdesk.activities.cashfree;

import java.math.BigDecimal;

/**
 * Exact conversions between our paise and Cashfree's rupee amounts, never through a {@code double}.
 *
 * <p>Requests carry {@link #toRupees(long)}: {@code BigDecimal.valueOf(paise, 2)}, written as a JSON number with
 * exactly two decimals ({@code 100000000000.01}, {@code 50.00}, {@code 0.07}). Responses carry {@code BigDecimal}s,
 * converted with {@code movePointRight(2).longValueExact()}.
 */
public final class CashfreeAmounts {

    private CashfreeAmounts() {
    }

    /** Rupees for {@code paise}, exactly, with scale 2 (so its plain text always has two decimals). */
    public static BigDecimal toRupees(long paise) {
        return BigDecimal.valueOf(paise, 2);
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
