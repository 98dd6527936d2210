package com.commdesk.fees;

/** How an exact non-negative quotient is rounded to the rounding unit. */
public enum RoundingMode { HALF_UP, HALF_EVEN, FLOOR, CEILING }
