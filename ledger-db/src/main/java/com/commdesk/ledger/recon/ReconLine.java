package com.commdesk.ledger.recon;

import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * One event of Cashfree's settlement reconciliation (API {@code /pg/settlement/recon} or the recon
 * file), in paise. Cashfree's fee for a payment is {@code serviceChargePaise + serviceTaxPaise}; what it
 * pays us is {@code settlementAmountPaise}.
 *
 * @param eventType Cashfree's {@code event_type}: PAYMENT, REFUND, CHARGEBACK, ...; only PAYMENT lines are
 *                  matched against our payments (the others are stored and counted)
 */
public record ReconLine(String cfSettlementId, String settlementUtr, String eventType, String orderId, String cfPaymentId,
                        long amountPaise, long serviceChargePaise, long serviceTaxPaise, long settlementAmountPaise,
                        OffsetDateTime eventTime) {
    public static final int MAX_ID = 200;

    public ReconLine {
        cfSettlementId = required(cfSettlementId, "cf_settlement_id");
        eventType = required(eventType, "event_type").toUpperCase(Locale.ROOT);
        orderId = optional(orderId, "order_id");
        cfPaymentId = optional(cfPaymentId, "cf_payment_id");
        settlementUtr = optional(settlementUtr, "settlement_utr");
        if (orderId == null && cfPaymentId == null) throw new IllegalArgumentException("a line needs order_id or cf_payment_id");
    }

    public boolean isPayment() {
        return "PAYMENT".equals(eventType);
    }

    /** What makes a line the same line when it is ingested again (from the API or a file). */
    public String lineKey() {
        return cfSettlementId + "|" + eventType + "|" + (cfPaymentId != null ? "p:" + cfPaymentId : "o:" + orderId);
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
