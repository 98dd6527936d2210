package com.commdesk.workflows.refund;

/**
 * An operator's decision on a refund that waits for attention: RETRY (ask Cashfree again) or COMPENSATE
 * (give the reserved money back, which happens only if Cashfree says the refund does not exist, was
 * cancelled or failed; a refund Cashfree paid or still holds is never compensated).
 *
 * <p>RESOLVE_PAID / RESOLVE_RELEASED end a refund held because Cashfree's record of our refund id has another amount
 * or order (RefundFailures#CASHFREE_REFUND_MISMATCH), and only such a refund. They are sent by the API once two
 * finance approvers recorded the same resolution in the ledger (changeset 113, docs/payments.md "Refunds"):
 * PAID books our refund as paid (as Cashfree's SUCCESS does), RELEASED gives the reservation back (as CANCELLED).
 * {@code operator} names both approvers.
 */
public record RefundDecision(Action action, String operator, String note) {
    public enum Action { RETRY, COMPENSATE, RESOLVE_PAID, RESOLVE_RELEASED }
}
