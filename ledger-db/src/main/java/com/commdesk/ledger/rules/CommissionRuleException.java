package com.commdesk.ledger.rules;

/**
 * A rule change the store refuses for a reason other than invalid input (invalid input is a
 * {@link com.commdesk.fees.FeeValidationException} naming the field).
 */
public class CommissionRuleException extends RuntimeException {
    public enum Code {
        /** No rule with that id. */
        NOT_FOUND,
        /** A rule with that id (ignoring case) exists already. */
        ALREADY_EXISTS,
        /** The rule would tie with another active rule (same priority, overlapping windows, conditions not provably disjoint). */
        TIE,
        /** The rule is already inactive. */
        ALREADY_INACTIVE
    }

    private final Code code;
    private final String field;
    private final String otherRuleId;

    public CommissionRuleException(Code code, String field, String otherRuleId, String message) {
        super(message);
        this.code = code;
        this.field = field;
        this.otherRuleId = otherRuleId;
    }

    public Code code() { return code; }

    /** The input at fault, e.g. "priority" for a tie, "ruleId" for a duplicate. */
    public String field() { return field; }

    /** For TIE: the active rule it would tie with. */
    public String otherRuleId() { return otherRuleId; }
}
