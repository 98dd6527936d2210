package com.commdesk.fees.rules;

/** Every bound of the rule engine (docs/fees.md, "Limits"). */
public final class RuleLimits {
    private RuleLimits() {}

    /** Rules in one {@link RuleSet}. */
    public static final int MAX_RULES = 10_000;
    /** Nesting depth of a condition (Always/Eq at the top is depth 1). */
    public static final int MAX_CONDITION_DEPTH = 16;
    /** Nodes in one condition tree. */
    public static final int MAX_CONDITION_NODES = 256;
    /** Values in one In. */
    public static final int MAX_IN_VALUES = 256;
    /** Length of a regular expression. */
    public static final int MAX_REGEX_LENGTH = 256;
    /** Length of a value compared against, and of every attribute string. */
    public static final int MAX_VALUE_LENGTH = 256;
    /** Entries in {@link PaymentAttributes#metadata()}; keys are 1..64 characters. */
    public static final int MAX_METADATA_ENTRIES = 32;
    public static final int MAX_METADATA_KEY_LENGTH = 64;
    /** Priorities are in -10^6..10^6; versions in 1..10^6. */
    public static final int MAX_PRIORITY = 1_000_000;
    public static final int MAX_VERSION = 1_000_000;
    /** Index fan-out of one rule (community ids × source types it is filed under); beyond this it is filed as "any source". */
    public static final int MAX_INDEX_FANOUT = 1024;
}
