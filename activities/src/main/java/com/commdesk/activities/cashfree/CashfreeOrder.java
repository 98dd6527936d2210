package com.commdesk.activities.cashfree;

import java.util.Map;
import java.util.Objects;

/**
 * A Cashfree order.
 *
 * @param orderId     our order id
 * @param cfOrderId   Cashfree's order id
 * @param amountPaise order amount in paise (exact)
 * @param currency    e.g. {@code INR}
 * @param status      Cashfree's {@code order_status}: ACTIVE, PAID, EXPIRED, TERMINATED, TERMINATION_REQUESTED
 * @param tags        {@code order_tags}; empty if none
 * @param customerId  {@code customer_details.customer_id}; null if Cashfree gave none
 */
public record CashfreeOrder(String orderId, String cfOrderId, long amountPaise, String currency, String status,
                            Map<String, String> tags, String customerId) {
    public CashfreeOrder {
        Objects.requireNonNull(orderId, "orderId");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
