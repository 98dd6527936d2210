package com.commdesk.activities.cashfree;

import java.util.List;

/**
 * The platform's only way to talk to Cashfree's Payment Gateway. Implementations are thread-safe.
 * Every method throws {@link CashfreeUnavailableException} (retry later), {@link CashfreeNotFoundException}
 * or {@link CashfreeRejectedException} (do not retry) on failure.
 */
public interface CashfreeGateway {

    /** The order as Cashfree has it now. */
    CashfreeOrder fetchOrder(String orderId);

    /** Every payment attempt Cashfree has for the order (any status), in Cashfree's order. */
    List<CashfreePayment> fetchPayments(String orderId);

    /**
     * Cashfree's Terminate Order: asks that no payment can be made on the order any more, and answers the order as it is
     * afterwards: {@code TERMINATED}; {@code TERMINATION_REQUESTED} while a payment attempt is in flight (Cashfree: it may
     * still succeed, and the order go {@code PAID}); a {@code PAID} or {@code EXPIRED} order as it was. Asking again
     * changes nothing. The answer is not the last word: read the order again ({@link #fetchOrder}) to decide on it.
     */
    CashfreeOrder terminateOrder(String orderId);

    /**
     * Creates an order (used by tools, tests and dev; amounts in paise). Idempotent per order id: creating
     * the same order again returns the existing one; the same id with a different amount or currency is
     * rejected.
     */
    CashfreeOrder createOrder(NewOrder order);
}
