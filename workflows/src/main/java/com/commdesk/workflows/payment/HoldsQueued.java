package com.commdesk.workflows.payment;

/**
 * Member credits are pending until {@code releaseAtEpochMillis} (the community's hold period). The result
 * of the released activity {@code queueSettlement}; the type was named SettlementQueued before "settlement"
 * came to mean one payout cycle only (docs/terminology.md). Payloads are JSON without type names, so
 * recorded histories replay.
 */
public record HoldsQueued(long releaseAtEpochMillis) {}
