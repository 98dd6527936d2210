package com.commdesk.workflows.refund;

/**
 * Whether the refund's workflow holds it for finance's resolution of a mismatch now ({@code held}: NEEDS_ATTENTION for a
 * Cashfree record of another amount or order), and {@code round}: how many times it has been held so (1 for the first
 * hold; 0 never). Each hold after an operator's RETRY or COMPENSATE had the workflow look at Cashfree again is a new
 * round; finance's votes and resolution belong to one (changeset 114, {@link RefundDecision#round}). A query of its own,
 * not a field of {@link RefundStatus}: an API older than this reads a worker's status, and Temporal's JSON converter
 * refuses a field it does not know.
 */
public record RefundMismatchHold(boolean held, int round) {}
