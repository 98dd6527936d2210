package com.commdesk.fees;

/**
 * An input to the fee engine is invalid. {@link #field()} names the offending input as a path,
 * e.g. {@code "amountPaise"}, {@code "schedule.gatewayFee.UPI.rateBps"}, {@code "roles[2].shareBps"}.
 */
public class FeeValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    public FeeValidationException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
        this.reason = message;
    }

    /** The path of the offending input. */
    public String field() {
        return field;
    }

    /** The message without the field prefix. */
    public String reason() {
        return reason;
    }
}
