package com.commdesk.workflows.refund;

/** A refund reserved in the books before Cashfree is asked: the payment it belongs to, and who gave what back. */
public record RefundReservation(String transactionId, String cashfreeOrderId, long journalId, long fromPendingPaise,
                                long fromAvailablePaise, long toReceivablePaise) {}
