package com.commdesk.fees;

/**
 * One band of a tiered platform fee. The band starts at {@code fromPaise} (inclusive) and ends
 * where the next tier starts (exclusive); the first tier starts at 0. {@code fixedPaise} is added
 * once, when the base falls in this band.
 */
public record FeeTier(long fromPaise, int rateBps, long fixedPaise) {}
