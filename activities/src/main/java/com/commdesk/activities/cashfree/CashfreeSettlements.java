package com.commdesk.activities.cashfree;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Cashfree's settlement data, for reconciliation (docs/reconciliation.md). Amounts are exact paise.
 * Failures are the same exceptions as {@link CashfreeGateway}'s.
 */
public interface CashfreeSettlements {

    /**
     * One settlement event ({@code event_type} PAYMENT, REFUND, CHARGEBACK, OTHER_ADJUSTMENT, ...). Events of
     * no payment (adjustments) name neither order nor payment: {@code eventId} identifies them.
     */
    record ReconEvent(String cfSettlementId, String settlementUtr, String eventType, String orderId, String cfPaymentId,
                      long amountPaise, long serviceChargePaise, long serviceTaxPaise, long settlementAmountPaise,
                      OffsetDateTime eventTime, String eventId) {}

    /** A page of events and the cursor of the next page ({@code null} on the last page). */
    record ReconPage(List<ReconEvent> events, String nextCursor) {
        public ReconPage {
            events = List.copyOf(events);
        }
    }

    /** What Cashfree's settlements API says about one settlement. */
    record SettlementSummary(String cfSettlementId, String transferUtr, String transferTime, long orderAmountPaise,
                             long serviceChargePaise, long serviceTaxPaise, long settlementAmountPaise) {}

    /**
     * Settlement events of settlements made in [from, to], one page ({@code PGSettlementFetchRecon}); the
     * dates are sent in Cashfree's documented form, with seconds ({@code 2024-05-01T00:00:00Z}).
     */
    ReconPage fetchSettlementRecon(OffsetDateTime from, OffsetDateTime to, String cursor, int limit);

    /** One settlement by Cashfree's id ({@code PGFetchSettlements} filtered by {@code cf_settlement_ids}). */
    SettlementSummary fetchSettlement(String cfSettlementId);
}
