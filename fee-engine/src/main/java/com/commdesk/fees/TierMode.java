package com.commdesk.fees;

/** SLAB: the whole base at the rate of the band it falls in. MARGINAL: each band's portion at its own rate. */
public enum TierMode { SLAB, MARGINAL }
