package com.commdesk.fees.rules;

import static com.commdesk.fees.rules.Condition.always;
import static com.commdesk.fees.rules.Condition.and;
import static com.commdesk.fees.rules.Condition.eq;
import static com.commdesk.fees.rules.Condition.in;
import static com.commdesk.fees.rules.Condition.not;
import static com.commdesk.fees.rules.Condition.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.fees.FeeValidationException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionMatcherTest {

    static final PaymentAttributes A = new PaymentAttributes("EVENT", "comm-42", "Gold", "CARD", 150_000,
            LocalDate.of(2026, 11, 14), Map.of("campaign", "Diwali-2026", "seats", "120", "launch", "2026-10-01"));
    static final PaymentAttributes EMPTY = new PaymentAttributes(null, null, null, null, 0, null, null);

    static boolean m(Condition c, PaymentAttributes a) {
        return ConditionMatcher.compile(c).matches(a);
    }

    static void bad(Condition c, String field) {
        assertThatThrownBy(() -> ConditionMatcher.compile(c)).isInstanceOfSatisfying(FeeValidationException.class,
                e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
    }

    @Test
    void equalityIsCaseInsensitiveOnTextAndFieldNames() {
        assertThat(m(eq("sourceType", "event"), A)).isTrue();
        assertThat(m(eq("SOURCETYPE", "EVENT"), A)).isTrue();
        assertThat(m(eq("communityTier", "GOLD"), A)).isTrue();
        assertThat(m(eq("communityId", "COMM-42"), A)).isTrue();
        assertThat(m(eq("paymentMethod", "upi"), A)).isFalse();
        assertThat(m(eq("metadata.CAMPAIGN", "diwali-2026"), A)).isTrue(); // metadata keys too
        assertThat(m(eq("metadata.missing", "x"), A)).isFalse();
    }

    @Test
    void numbersAndDates() {
        assertThat(m(eq("amountPaise", "150000"), A)).isTrue();
        assertThat(m(eq("amountPaise", "150001"), A)).isFalse();
        assertThat(m(in("amountPaise", "1", "150000"), A)).isTrue();
        assertThat(m(in("amountPaise", "1", "149999", "150001"), A)).isFalse();
        assertThat(m(new Condition.Range("amountPaise", 150_000L, null), A)).isTrue();   // inclusive
        assertThat(m(new Condition.Range("amountPaise", null, 150_000L), A)).isTrue();
        assertThat(m(new Condition.Range("amountPaise", 150_001L, null), A)).isFalse();
        assertThat(m(new Condition.Range("amountPaise", 0L, 149_999L), A)).isFalse();
        long day = LocalDate.of(2026, 11, 14).toEpochDay();
        assertThat(m(new Condition.Range("paymentDate", day, day), A)).isTrue();
        assertThat(m(new Condition.Range("paymentDate", day + 1, null), A)).isFalse();
        assertThat(m(eq("paymentDate", "2026-11-14"), A)).isTrue();
        assertThat(m(in("paymentDate", "2026-11-13", "2026-11-15"), A)).isFalse();
        assertThat(m(new Condition.DateRange("paymentDate", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 14)), A)).isTrue();
        assertThat(m(new Condition.DateRange("paymentDate", LocalDate.of(2026, 11, 15), null), A)).isFalse();
        // dates compare as dates, not strings: "2026-11-14" < "2026-9-30" as strings, but not as dates
        assertThat(m(new Condition.DateRange("paymentDate", null, LocalDate.of(2026, 9, 30)), A)).isFalse();
        // metadata numbers and dates are parsed; unparsable values do not match
        assertThat(m(new Condition.Range("metadata.seats", 100L, 200L), A)).isTrue();
        assertThat(m(new Condition.Range("metadata.seats", 121L, null), A)).isFalse();
        assertThat(m(new Condition.Range("metadata.campaign", 0L, null), A)).isFalse();
        assertThat(m(new Condition.DateRange("metadata.launch", LocalDate.of(2026, 9, 1), LocalDate.of(2026, 10, 31)), A)).isTrue();
        assertThat(m(new Condition.DateRange("metadata.campaign", LocalDate.of(2026, 1, 1), null), A)).isFalse();
    }

    @Test
    void inWithManyValuesUsesATable() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) ids.add("COMM-" + i);
        assertThat(m(new Condition.In("communityId", ids), A)).isTrue();
        assertThat(m(new Condition.In("communityId", ids.subList(50, 100)), A)).isFalse();
        assertThat(m(in("sourceType", "sponsor", "Event"), A)).isTrue();
    }

    @Test
    void regexMatchesTheWholeValueIgnoringCase() {
        assertThat(m(new Condition.Regex("metadata.campaign", "diwali-\\d{4}"), A)).isTrue();
        assertThat(m(new Condition.Regex("metadata.campaign", "diwali"), A)).isFalse(); // whole value, not find()
        assertThat(m(new Condition.Regex("communityId", "comm-4[0-9]"), A)).isTrue();
    }

    @Test
    void booleanStructureAndMissingAttributes() {
        assertThat(m(always(), EMPTY)).isTrue();
        assertThat(m(and(eq("sourceType", "EVENT"), eq("paymentMethod", "CARD")), A)).isTrue();
        assertThat(m(and(eq("sourceType", "EVENT"), eq("paymentMethod", "UPI")), A)).isFalse();
        assertThat(m(or(eq("sourceType", "SPONSOR"), eq("paymentMethod", "CARD")), A)).isTrue();
        assertThat(m(or(eq("sourceType", "SPONSOR"), eq("paymentMethod", "UPI")), A)).isFalse();
        assertThat(m(not(eq("sourceType", "SPONSOR")), A)).isTrue();
        // a condition on an absent attribute is false, so its negation is true
        assertThat(m(eq("communityTier", "GOLD"), EMPTY)).isFalse();
        assertThat(m(not(eq("communityTier", "GOLD")), EMPTY)).isTrue();
        assertThat(m(new Condition.Range("paymentDate", 0L, null), EMPTY)).isFalse();
        assertThat(m(new Condition.Regex("sourceType", ".*"), EMPTY)).isFalse();
    }

    @Test
    void compileErrorsNameThePath() {
        bad(null, "condition");
        bad(eq("colour", "red"), "condition.field");
        bad(eq(null, "x"), "condition.field");
        bad(eq("sourceType", null), "condition.value");
        bad(eq("sourceType", ""), "condition.value");
        bad(eq("sourceType", "x".repeat(RuleLimits.MAX_VALUE_LENGTH + 1)), "condition.value");
        bad(eq("metadata.", "x"), "condition.field");
        bad(eq("amountPaise", "12.5"), "condition.value");
        bad(eq("paymentDate", "14/11/2026"), "condition.value");
        bad(and(eq("sourceType", "EVENT"), in("amountPaise", "1", "x")), "condition.conditions[1].values[1]");
        bad(new Condition.In("sourceType", List.of()), "condition.values");
        bad(new Condition.Range("sourceType", 1L, 2L), "condition.field");
        bad(new Condition.Range("amountPaise", null, null), "condition");
        bad(new Condition.Range("amountPaise", 5L, 4L), "condition.min");
        bad(new Condition.DateRange("amountPaise", LocalDate.MIN, null), "condition.field");
        bad(new Condition.DateRange("paymentDate", LocalDate.of(2026, 2, 1), LocalDate.of(2026, 1, 1)), "condition.from");
        bad(new Condition.Regex("amountPaise", "1.*"), "condition.field");
        bad(new Condition.Regex("sourceType", "(unclosed"), "condition.pattern");
        bad(new Condition.Regex("sourceType", "a".repeat(RuleLimits.MAX_REGEX_LENGTH + 1)), "condition.pattern");
        bad(new Condition.And(List.of()), "condition.conditions");
        bad(new Condition.Or(null), "condition.conditions");
        bad(not(null), "condition.condition");
        bad(or(always(), new Condition.And(Arrays.asList(always(), null))), "condition.conditions[1].conditions[1]");
    }

    @Test
    void depthAndSizeLimits() {
        Condition deep = always();
        for (int i = 1; i < RuleLimits.MAX_CONDITION_DEPTH; i++) deep = not(deep);
        assertThat(m(deep, A)).isEqualTo(RuleLimits.MAX_CONDITION_DEPTH % 2 == 1); // 15 Nots around Always
        bad(not(deep), "condition" + ".condition".repeat(RuleLimits.MAX_CONDITION_DEPTH));

        List<Condition> wide = new ArrayList<>();
        for (int i = 0; i < RuleLimits.MAX_CONDITION_NODES - 1; i++) wide.add(always());
        assertThat(m(new Condition.And(wide), A)).isTrue(); // 1 + 255 nodes
        wide.add(always());
        bad(new Condition.And(wide), "condition.conditions[255]");
    }

    @Test
    void unsatisfiableConditionsAreDetected() {
        assertThat(ConditionMatcher.compile(and(eq("sourceType", "EVENT"), eq("sourceType", "SPONSOR"))).unsatisfiable()).isTrue();
        assertThat(ConditionMatcher.compile(and(new Condition.Range("amountPaise", 10L, 20L), new Condition.Range("amountPaise", 30L, null)))
                .unsatisfiable()).isTrue();
        assertThat(ConditionMatcher.compile(and(eq("sourceType", "EVENT"), eq("sourceType", "event"))).unsatisfiable()).isFalse();
        assertThat(ConditionMatcher.compile(or(and(eq("sourceType", "A"), eq("sourceType", "B")), eq("sourceType", "C")))
                .unsatisfiable()).isFalse();
    }

    @Test
    void attributeLimits() {
        Map<String, String> big = new HashMap<>();
        for (int i = 0; i <= RuleLimits.MAX_METADATA_ENTRIES; i++) big.put("k" + i, "v");
        assertThatThrownBy(() -> new PaymentAttributes("EVENT", null, null, null, 1, null, big))
                .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isEqualTo("metadata"));
        assertThatThrownBy(() -> new PaymentAttributes("x".repeat(RuleLimits.MAX_VALUE_LENGTH + 1), null, null, null, 1, null, null))
                .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isEqualTo("sourceType"));
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> new PaymentAttributes("EVENT", null, null, null, 1, null, nullValue))
                .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isEqualTo("metadata.k"));
    }
}
