package com.commdesk.workflows.refund;

/** Who bore the refund: members' pending and available money, and what became receivable. */
public record RefundOutcome(long journalId, long fromPendingPaise, long fromAvailablePaise, long toReceivablePaise) {}
