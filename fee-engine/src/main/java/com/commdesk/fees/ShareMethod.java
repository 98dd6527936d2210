package com.commdesk.fees;

/**
 * How a role's share of the net is set (docs/fees.md §4). FIXED and TIERED roles are served first, from
 * the net; PERCENT roles divide what they leave, their shares totalling exactly 10000 bps.
 */
public enum ShareMethod {
    /** {@code shareBps} of what the FIXED and TIERED roles leave (all of the net when there are none). */
    PERCENT,
    /** {@code fixedPaise} of the net. */
    FIXED,
    /** {@code tiers} (SLAB or MARGINAL, like the platform fee) applied to the net. */
    TIERED
}
