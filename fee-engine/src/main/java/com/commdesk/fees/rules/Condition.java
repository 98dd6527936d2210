package com.commdesk.fees.rules;

import com.commdesk.fees.Copies;
import java.time.LocalDate;
import java.util.List;

/**
 * A rule's condition over {@link PaymentAttributes}, as plain data. Evaluate it with
 * {@link ConditionMatcher#compile(Condition)} (validates, compiles regexes once); store it as JSON
 * with {@link ConditionCodec}. Fields: {@code sourceType}, {@code communityId}, {@code communityTier},
 * {@code paymentMethod}, {@code amountPaise}, {@code paymentDate}, {@code metadata.<key>} (field names
 * and string values are case-insensitive). A condition on an absent attribute is false (so
 * {@code Not} of it is true).
 */
public sealed interface Condition {

    /** The attribute equals the value: case-insensitive for strings, numeric for amountPaise, ISO date for paymentDate. */
    record Eq(String field, String value) implements Condition {}

    /** The attribute equals one of the values (1..256 of them). */
    record In(String field, List<String> values) implements Condition {
        public In {
            values = Copies.list(values);
        }
    }

    /**
     * min ≤ attribute ≤ max, either bound optional (not both). amountPaise in paise, paymentDate in
     * epoch days ({@link LocalDate#toEpochDay()}), metadata.&lt;key&gt; parsed as a whole number (a value
     * that is not one does not match). Not for other string fields.
     */
    record Range(String field, Long min, Long max) implements Condition {}

    /** from ≤ date ≤ to (either optional, not both) on paymentDate or an ISO-date metadata value. */
    record DateRange(String field, LocalDate from, LocalDate to) implements Condition {}

    /** The whole attribute matches the regular expression (case-insensitive, at most 256 characters). String fields only. */
    record Regex(String field, String pattern) implements Condition {}

    /** All of the conditions (1 or more). */
    record And(List<Condition> conditions) implements Condition {
        public And {
            conditions = Copies.list(conditions);
        }
    }

    /** Any of the conditions (1 or more). */
    record Or(List<Condition> conditions) implements Condition {
        public Or {
            conditions = Copies.list(conditions);
        }
    }

    /** The condition is false. */
    record Not(Condition condition) implements Condition {}

    /** Always true: a catch-all rule. */
    record Always() implements Condition {}

    static Condition eq(String field, String value) {
        return new Eq(field, value);
    }

    static Condition in(String field, String... values) {
        return new In(field, List.of(values));
    }

    static Condition and(Condition... conditions) {
        return new And(List.of(conditions));
    }

    static Condition or(Condition... conditions) {
        return new Or(List.of(conditions));
    }

    static Condition not(Condition condition) {
        return new Not(condition);
    }

    static Condition always() {
        return new Always();
    }
}
