package com.commdesk.activities.cashfree;

import java.util.Map;
import java.util.Objects;

/**
 * An order to create at Cashfree.
 *
 * @param orderId       our order id (Cashfree allows 3–45 characters of letters, digits, '_' and '-')
 * @param amountPaise   amount in paise, &gt; 0 (Cashfree's minimum is ₹1.00)
 * @param currency      e.g. {@code INR}
 * @param customerId    Cashfree's required {@code customer_details.customer_id}
 * @param customerPhone Cashfree's required {@code customer_details.customer_phone}
 * @param tags          {@code order_tags}; may be empty; no null key or value (refused here, before anything is sent)
 */
public record NewOrder(String orderId, long amountPaise, String currency, String customerId, String customerPhone,
                       Map<String, String> tags) {
    public NewOrder {
        if (orderId == null || orderId.isBlank()) {
            throw new IllegalArgumentException("orderId is required");
        }
        if (amountPaise <= 0) {
            throw new IllegalArgumentException("amountPaise must be > 0, was " + amountPaise);
        }
        Objects.requireNonNull(currency, "currency");
        if (customerId == null || customerId.isBlank()) {
            throw new IllegalArgumentException("customerId is required by Cashfree");
        }
        if (customerPhone == null || customerPhone.isBlank()) {
            throw new IllegalArgumentException("customerPhone is required by Cashfree");
        }
        if (tags != null) {
            tags.forEach((k, v) -> {
                if (k == null) throw new IllegalArgumentException("order_tags: a tag key is null");
                if (v == null) throw new IllegalArgumentException("order_tags: tag " + k + " has a null value");
            });
        }
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
