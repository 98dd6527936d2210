package com.commdesk.ledger.recon;

import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * One event of Cashfree's settlement reconciliation (API {@code /pg/settlement/recon} or the recon
 * file), in paise. Cashfree's fee for a payment is {@code serviceChargePaise + serviceTaxPaise}; what it
 * pays us is {@code settlementAmountPaise}.
 *
 * @param eventType Cashfree's {@code event_type}: PAYMENT, REFUND, CHARGEBACK, OTHER_ADJUSTMENT, ...; only PAYMENT
 *                  lines are matched against our payments (the others are stored and counted)
 * @param eventId   Cashfree's {@code event_id}: what identifies an event that names no order and no payment
 *                  (an adjustment); such a line is an UNMATCHED_EVENT exception for finance
 */
public record ReconLine(String cfSettlementId, String settlementUtr, String eventType, String orderId, String cfPaymentId,
                        long amountPaise, long serviceChargePaise, long serviceTaxPaise, long settlementAmountPaise,
                        OffsetDateTime eventTime, String eventId) {
    public static final int MAX_ID = 200;

    public ReconLine(String cfSettlementId, String settlementUtr, String eventType, String orderId, String cfPaymentId, long amountPaise,
                     long serviceChargePaise, long serviceTaxPaise, long settlementAmountPaise, OffsetDateTime eventTime) {
        this(cfSettlementId, settlementUtr, eventType, orderId, cfPaymentId, amountPaise, serviceChargePaise, serviceTaxPaise,
                settlementAmountPaise, eventTime, null);
    }

    public ReconLine {
        cfSettlementId = required(cfSettlementId, "cf_settlement_id");
        eventType = required(eventType, "event_type").toUpperCase(Locale.ROOT);
        orderId = optional(orderId, "order_id");
        cfPaymentId = optional(cfPaymentId, "cf_payment_id");
        settlementUtr = optional(settlementUtr, "settlement_utr");
        eventId = optional(eventId, "event_id");
        if (orderId == null && cfPaymentId == null && eventId == null) {
            throw new IllegalArgumentException("a line needs order_id, cf_payment_id or event_id");
        }
    }

    /** Names neither an order nor a payment: nothing of ours can match it. */
    public boolean unidentified() {
        return orderId == null && cfPaymentId == null;
    }

    public boolean isPayment() {
        return "PAYMENT".equals(eventType);
    }

    /** What makes a line the same line when it is ingested again (from the API or a file). */
    public String lineKey() {
        return cfSettlementId + "|" + eventType + "|" + (cfPaymentId != null ? "p:" + cfPaymentId : orderId != null ? "o:" + orderId : "e:" + eventId);
    }

    private static String required(String v, String field) {
        String s = optional(v, field);
        if (s == null) throw new IllegalArgumentException(field + " is required");
        return s;
    }

    private static String optional(String v, String field) {
        if (v == null || v.isBlank() || v.equalsIgnoreCase("null")) return null;
        String s = v.strip();
        if (s.length() > MAX_ID) throw new IllegalArgumentException(field + " is longer than " + MAX_ID);
        return s;
    }
}
