package com.commdesk.workflows.payment;

/** Member credits are pending until {@code releaseAtEpochMillis} (the community's hold period). */
public record SettlementQueued(long releaseAtEpochMillis) {}
