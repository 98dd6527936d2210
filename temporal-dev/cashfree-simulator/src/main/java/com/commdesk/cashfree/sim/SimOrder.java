package com.commdesk.cashfree.sim;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of an order held by the simulator (immutable; later payments are not reflected in it).
 *
 * @param orderId          the merchant's order id
 * @param cfOrderId        Cashfree's order id
 * @param amountPaise      order amount in paise
 * @param currency         e.g. {@code INR}
 * @param status           Cashfree's {@code order_status}: {@code ACTIVE}, {@code PAID}, {@code TERMINATED} or {@code TERMINATION_REQUESTED}
 * @param tags             {@code order_tags} (empty if none were sent)
 * @param customerId       {@code customer_details.customer_id}
 * @param customerPhone    {@code customer_details.customer_phone}
 * @param paymentSessionId Cashfree's {@code payment_session_id}
 * @param createdAt        creation time (IST)
 * @param expiresAt        {@code order_expiry_time} (IST)
 * @param payments         payments recorded so far, oldest first
 */
public record SimOrder(String orderId, String cfOrderId, long amountPaise, String currency, String status,
                       Map<String, String> tags, String customerId, String customerPhone,
                       String paymentSessionId, OffsetDateTime createdAt, OffsetDateTime expiresAt,
                       List<SimPayment> payments) {
    public SimOrder {
        tags = Map.copyOf(tags);
        payments = List.copyOf(payments);
    }
}
