package com.commdesk.ledger.rules;

import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeValidationException;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.rules.CommissionRule;
import com.commdesk.fees.rules.Condition;
import com.commdesk.fees.rules.ConditionCodec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jsonb shapes of a stored rule. Conditions go through {@link ConditionCodec} (the
 * {@code {"op":…}} tree the docs describe), schedules and roles are the fee-engine records as Jackson 2
 * writes them (field names = record components). Jackson 2 because Temporal and the activities already
 * carry it, so it costs no new artifact on any classpath that has ledger-db.
 */
final class RuleJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final TypeReference<List<RoleSplit>> ROLES = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> TREE = new TypeReference<>() {};

    private RuleJson() {}

    static String condition(Condition c) {
        return write(ConditionCodec.toTree(c));
    }

    static Condition condition(String json) {
        return ConditionCodec.fromTree(read(json, TREE));
    }

    static String schedule(FeeSchedule s) {
        return write(s);
    }

    static FeeSchedule schedule(String json) {
        try {
            return MAPPER.readValue(json, FeeSchedule.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored schedule is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    static String roles(List<RoleSplit> roles) {
        return write(roles == null ? List.of() : roles);
    }

    static List<RoleSplit> roles(String json) {
        return read(json, ROLES);
    }

    /** The rule as a JSON-shaped tree, for the audit trail's before/after. */
    static Map<String, Object> tree(CommissionRule r, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ruleId", r.ruleId());
        m.put("version", r.version());
        m.put("status", status);
        m.put("priority", r.priority());
        m.put("effectiveFrom", r.effectiveFrom().toString());
        m.put("effectiveTo", r.effectiveTo() == null ? null : r.effectiveTo().toString());
        m.put("condition", ConditionCodec.toTree(r.condition()));
        m.put("schedule", MAPPER.convertValue(r.schedule(), TREE));
        m.put("roles", MAPPER.convertValue(r.roles(), new TypeReference<List<Object>>() {}));
        return m;
    }

    static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> readTree(String json) {
        return json == null ? null : read(json, TREE);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new FeeValidationException("json", "unreadable stored JSON: " + e.getOriginalMessage());
        }
    }
}
