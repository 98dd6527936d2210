package com.commdesk.fees.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.fees.FeeValidationException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionCodecTest {

    static final Condition EVERYTHING = Condition.and(
            Condition.eq("sourceType", "EVENT"),
            Condition.in("communityId", "c1", "c2"),
            new Condition.Range("amountPaise", 100_000L, null),
            new Condition.DateRange("paymentDate", LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 30)),
            new Condition.Regex("metadata.campaign", "diwali-.*"),
            Condition.or(Condition.not(Condition.eq("communityTier", "free")), Condition.always()));

    @Test
    void roundTripsThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(ConditionCodec.toTree(EVERYTHING));
        assertThat(text).startsWith("{\"op\":\"and\",\"conditions\":[{\"op\":\"eq\",\"field\":\"sourceType\",\"value\":\"EVENT\"}");
        Condition back = ConditionCodec.fromTree(json.readValue(text, Map.class));
        assertThat(back).isEqualTo(EVERYTHING);
        PaymentAttributes a = new PaymentAttributes("event", "C2", "gold", "CARD", 250_000, LocalDate.of(2026, 11, 2),
                Map.of("campaign", "Diwali-Mela"));
        assertThat(ConditionMatcher.compile(back).matches(a)).isTrue();
    }

    @Test
    void readsHandWrittenJson() throws Exception {
        String text = """
                {"op":"or","conditions":[
                  {"op":"range","field":"amountPaise","min":5000000000000,"max":null},
                  {"op":"eq","field":"amountPaise","value":42}]}""";
        Condition c = ConditionCodec.fromTree(new ObjectMapper().readValue(text, Map.class));
        assertThat(c).isEqualTo(Condition.or(new Condition.Range("amountPaise", 5_000_000_000_000L, null), Condition.eq("amountPaise", "42")));
    }

    static void bad(Object tree, String field) {
        assertThatThrownBy(() -> ConditionCodec.fromTree(tree)).isInstanceOfSatisfying(FeeValidationException.class,
                e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
    }

    @Test
    void shapeErrorsNameThePath() {
        bad(null, "condition");
        bad("eq", "condition");
        bad(Map.of(), "condition.op");
        bad(Map.of("op", "xor"), "condition.op");
        bad(Map.of("op", "eq", "value", "x"), "condition.field");
        bad(Map.of("op", "and", "conditions", "nope"), "condition.conditions");
        bad(Map.of("op", "and", "conditions", List.of(Map.of("op", "always"), Map.of("op", "in", "field", "sourceType", "values", "E"))),
                "condition.conditions[1].values");
        bad(Map.of("op", "range", "field", "amountPaise", "min", 1.5), "condition.min");
        bad(Map.of("op", "dateRange", "field", "paymentDate", "from", "01/01/2026"), "condition.from");
        bad(Map.of("op", "eq", "field", "sourceType", "value", true), "condition.value");
        Map<String, Object> deep = new HashMap<>(Map.of("op", "always"));
        for (int i = 0; i < RuleLimits.MAX_CONDITION_DEPTH; i++) deep = new HashMap<>(Map.of("op", "not", "condition", deep));
        bad(deep, "condition" + ".condition".repeat(RuleLimits.MAX_CONDITION_DEPTH));
        List<Object> wide = new ArrayList<>();
        for (int i = 0; i < RuleLimits.MAX_CONDITION_NODES; i++) wide.add(Map.of("op", "always"));
        bad(Map.of("op", "or", "conditions", wide), "condition.conditions[255]");
    }
}
