package com.commdesk.fees.rules;

import com.commdesk.fees.FeeValidationException;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a {@link Condition} to and from a JSON-shaped tree of Maps, Lists, Strings and numbers
 * (what Jackson's {@code convertValue(…, Map.class)} / {@code readValue(json, Map.class)} produce), so
 * conditions can be stored as JSON without the engine depending on a JSON library. Shapes:
 * <pre>
 * {"op":"always"}
 * {"op":"eq",        "field":"sourceType",  "value":"EVENT"}
 * {"op":"in",        "field":"communityId", "values":["c1","c2"]}
 * {"op":"range",     "field":"amountPaise", "min":100000, "max":null}
 * {"op":"dateRange", "field":"paymentDate", "from":"2026-01-01", "to":"2026-03-31"}
 * {"op":"regex",     "field":"metadata.campaign", "pattern":"diwali-.*"}
 * {"op":"and" | "or", "conditions":[ … ]}
 * {"op":"not",       "condition":{ … }}
 * </pre>
 * {@link #fromTree} checks the shape (errors name the path, e.g. "condition.conditions[1].op") and the
 * depth/node limits; {@link ConditionMatcher#compile} checks the meaning.
 */
public final class ConditionCodec {
    private ConditionCodec() {}

    public static Map<String, Object> toTree(Condition c) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (c) {
            case Condition.Always x -> m.put("op", "always");
            case Condition.Eq x -> { m.put("op", "eq"); m.put("field", x.field()); m.put("value", x.value()); }
            case Condition.In x -> { m.put("op", "in"); m.put("field", x.field()); m.put("values", x.values() == null ? null : new ArrayList<>(x.values())); }
            case Condition.Range x -> { m.put("op", "range"); m.put("field", x.field()); m.put("min", x.min()); m.put("max", x.max()); }
            case Condition.DateRange x -> {
                m.put("op", "dateRange");
                m.put("field", x.field());
                m.put("from", x.from() == null ? null : x.from().toString());
                m.put("to", x.to() == null ? null : x.to().toString());
            }
            case Condition.Regex x -> { m.put("op", "regex"); m.put("field", x.field()); m.put("pattern", x.pattern()); }
            case Condition.And x -> { m.put("op", "and"); m.put("conditions", trees(x.conditions())); }
            case Condition.Or x -> { m.put("op", "or"); m.put("conditions", trees(x.conditions())); }
            case Condition.Not x -> { m.put("op", "not"); m.put("condition", toTree(x.condition())); }
        }
        return m;
    }

    private static List<Object> trees(List<Condition> cs) {
        List<Object> out = new ArrayList<>();
        for (Condition c : cs) out.add(toTree(c));
        return out;
    }

    public static Condition fromTree(Object tree) {
        return new Reader().read(tree, "condition", 1);
    }

    private static final class Reader {
        int nodes;

        Condition read(Object tree, String path, int depth) {
            if (depth > RuleLimits.MAX_CONDITION_DEPTH) {
                throw new FeeValidationException(path, "nests deeper than " + RuleLimits.MAX_CONDITION_DEPTH + " levels");
            }
            if (++nodes > RuleLimits.MAX_CONDITION_NODES) {
                throw new FeeValidationException(path, "the condition has more than " + RuleLimits.MAX_CONDITION_NODES + " nodes");
            }
            if (!(tree instanceof Map<?, ?> m)) throw new FeeValidationException(path, "must be an object with an \"op\"");
            String op = string(m.get("op"), path + ".op", true);
            return switch (op) {
                case "always" -> new Condition.Always();
                case "eq" -> new Condition.Eq(field(m, path), string(m.get("value"), path + ".value", true));
                case "in" -> new Condition.In(field(m, path), strings(m.get("values"), path + ".values"));
                case "range" -> new Condition.Range(field(m, path), number(m.get("min"), path + ".min"), number(m.get("max"), path + ".max"));
                case "dateRange" -> new Condition.DateRange(field(m, path), date(m.get("from"), path + ".from"), date(m.get("to"), path + ".to"));
                case "regex" -> new Condition.Regex(field(m, path), string(m.get("pattern"), path + ".pattern", true));
                case "and" -> new Condition.And(children(m.get("conditions"), path, depth));
                case "or" -> new Condition.Or(children(m.get("conditions"), path, depth));
                case "not" -> new Condition.Not(read(m.get("condition"), path + ".condition", depth + 1));
                default -> throw new FeeValidationException(path + ".op", "unknown op '" + op + "' (always, eq, in, range, dateRange, regex, and, or, not)");
            };
        }

        private List<Condition> children(Object list, String path, int depth) {
            if (!(list instanceof List<?> l)) throw new FeeValidationException(path + ".conditions", "must be a list");
            List<Condition> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) out.add(read(l.get(i), path + ".conditions[" + i + "]", depth + 1));
            return out;
        }

        private static String field(Map<?, ?> m, String path) {
            return string(m.get("field"), path + ".field", true);
        }

        private static String string(Object o, String path, boolean required) {
            if (o == null) {
                if (required) throw new FeeValidationException(path, "is required");
                return null;
            }
            if (o instanceof String s) {
                if (s.length() > RuleLimits.MAX_VALUE_LENGTH) throw new FeeValidationException(path, "must be at most " + RuleLimits.MAX_VALUE_LENGTH + " characters");
                return s;
            }
            if (o instanceof Integer || o instanceof Long || o instanceof BigInteger) return o.toString();
            throw new FeeValidationException(path, "must be a string");
        }

        private static List<String> strings(Object o, String path) {
            if (!(o instanceof List<?> l)) throw new FeeValidationException(path, "must be a list");
            if (l.size() > RuleLimits.MAX_IN_VALUES) throw new FeeValidationException(path, "must have at most " + RuleLimits.MAX_IN_VALUES + " values");
            List<String> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) out.add(string(l.get(i), path + "[" + i + "]", true));
            return out;
        }

        private static Long number(Object o, String path) {
            if (o == null) return null;
            if (o instanceof Integer i) return i.longValue();
            if (o instanceof Long l) return l;
            if (o instanceof BigInteger b && b.bitLength() < 64) return b.longValue();
            throw new FeeValidationException(path, "must be a whole number that fits in 64 bits");
        }

        private static LocalDate date(Object o, String path) {
            if (o == null) return null;
            if (!(o instanceof String s)) throw new FeeValidationException(path, "must be an ISO date string (yyyy-MM-dd)");
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                throw new FeeValidationException(path, "must be an ISO date (yyyy-MM-dd), was '" + s + "'");
            }
        }
    }
}
