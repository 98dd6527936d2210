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
 *
 * <p>{@code round} (review s7 round 2 M2, changeset 114): the mismatch hold the resolution was voted for
 * ({@link RefundMismatchHold#round}); since {@code getVersion("refund-mismatch-round")} the workflow takes a resolution
 * only for the hold it is in, and ignores one without a round. Null for RETRY and COMPENSATE, and in every decision
 * recorded before; a null round is not written at all. A worker older than this field cannot read a decision that carries it and drops the signal: deploy
 * workers before the API (docs/operations.md).
 */
public record RefundDecision(Action action, String operator, String note,
                             // Left out when null, so an operator's RETRY / COMPENSATE still reads on a worker older than
                             // this field (review s8 L1: "round":null made old workers drop operators' decisions too).
                             @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                             Integer round) {
    public enum Action { RETRY, COMPENSATE, RESOLVE_PAID, RESOLVE_RELEASED }

    /** An operator's decision (or one recorded before rounds): no round. */
    public RefundDecision(Action action, String operator, String note) {
        this(action, operator, note, null);
    }
}
