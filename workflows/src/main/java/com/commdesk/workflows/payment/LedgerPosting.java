package com.commdesk.workflows.payment;

/** The journal a payment was posted as. {@code newlyPosted} is false when a retry found it already there. */
public record LedgerPosting(String transactionId, long journalId, boolean newlyPosted) {}
