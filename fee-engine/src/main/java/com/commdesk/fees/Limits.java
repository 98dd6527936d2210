package com.commdesk.fees;

/** Every bound the engine enforces, in one place (docs/fees.md, "Limits"). */
public final class Limits {
    private Limits() {}

    /** Largest payment amount: 10^12 paise = ₹1,000 crore. */
    public static final long MAX_AMOUNT_PAISE = 1_000_000_000_000L;
    /** Largest fixed fee component (gateway, platform, tier): same as the largest amount. */
    public static final long MAX_FIXED_PAISE = MAX_AMOUNT_PAISE;
    /** 100 % in basis points; every rate is in 0..BPS_ONE. */
    public static final int BPS_ONE = 10_000;
    /** Entries in a rate card (payment methods) or platform fee table (revenue sources). */
    public static final int MAX_TABLE_ENTRIES = 64;
    /** Tiers in one platform fee rule. */
    public static final int MAX_TIERS = 32;
    /** Length of a schedule name, rule id, role name, user id, state code. */
    public static final int MAX_NAME_LENGTH = 128;
    /** Length of a rate-card or revenue-source key. */
    public static final int MAX_KEY_LENGTH = 64;
    /** Roles in one split. */
    public static final int MAX_ROLES = 64;
    /** Members in one role. */
    public static final int MAX_MEMBERS = 10_000;
    /** Largest member weight (WEIGHTED). With MAX_AMOUNT_PAISE the exact product stays below 2^63. */
    public static final long MAX_WEIGHT = 1_000_000L;
    /** Parts in one {@link SplitEngine#largestRemainder} call. */
    public static final int MAX_PARTS = MAX_MEMBERS;
}
