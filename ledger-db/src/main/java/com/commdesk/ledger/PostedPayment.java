package com.commdesk.ledger;

import java.util.UUID;

/** The result of posting: {@code newlyPosted} is false when the idempotency key had already been posted. */
public record PostedPayment(UUID transactionId, long journalId, boolean newlyPosted) {}
