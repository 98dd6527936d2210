package com.commdesk.fees.rules;

import com.commdesk.fees.CaseFold;
import com.commdesk.fees.FeeValidationException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A validated, compiled {@link Condition}: field names resolved once, values folded and parsed once,
 * regexes compiled once. Immutable and thread-safe. Limits: depth 16, 256 nodes, 256 In values,
 * regex and value length 256.
 */
public final class ConditionMatcher {
    private final Condition condition;
    private final Node root;
    private final Constraints constraints;

    private ConditionMatcher(Condition condition, Node root, Constraints constraints) {
        this.condition = condition;
        this.root = root;
        this.constraints = constraints;
    }

    public static ConditionMatcher compile(Condition condition) {
        return compile(condition, "condition");
    }

    /** Compiles, naming errors under {@code path} (e.g. "rules[3].condition"). */
    public static ConditionMatcher compile(Condition condition, String path) {
        Compiler c = new Compiler();
        Compiled out = c.compile(condition, path, 1);
        return new ConditionMatcher(condition, out.node, out.constraints);
    }

    public Condition condition() {
        return condition;
    }

    public boolean matches(PaymentAttributes a) {
        return root.test(a);
    }

    /**
     * Why the condition does not match {@code a}: the path of the first condition that failed (in the
     * order they are written; "condition" is the root, "condition.conditions[1]" its second part, …) and
     * what it needed against what the payment has. Null when it matches.
     */
    public Failure explain(PaymentAttributes a) {
        return explain(root, condition, "condition", a);
    }

    /**
     * Walks the compiled nodes together with the conditions they were compiled from (one node per
     * condition, children in order), so the nodes carry nothing but what matching needs.
     */
    private static Failure explain(Node n, Condition c, String path, PaymentAttributes a) {
        if (n.test(a)) return null;
        return switch (c) {
            case Condition.And and -> {
                Node[] parts = ((AndNode) n).parts;
                for (int i = 0; i < parts.length; i++) {
                    Failure f = explain(parts[i], and.conditions().get(i), path + ".conditions[" + i + "]", a);
                    if (f != null) yield f;
                }
                throw new IllegalStateException("an And that fails has a failing part");
            }
            case Condition.Or or -> {
                Failure first = explain(((OrNode) n).parts[0], or.conditions().get(0), path + ".conditions[0]", a);
                yield new Failure(path, "none of its " + or.conditions().size() + " alternatives matches; the first fails at "
                        + first.path() + ": " + first.reason());
            }
            case Condition.Not not -> new Failure(path, "not (" + describe(not.condition()) + "), but it holds");
            default -> {
                String has = n.actual(a);
                yield new Failure(path, describe(c) + (has.isEmpty() ? "" : ", but " + has));
            }
        };
    }

    /** The condition in words, for explanations: "sourceType = EVENT", "amountPaise ≥ 100", … */
    static String describe(Condition c) {
        return switch (c) {
            case Condition.Always x -> "always";
            case Condition.Eq eq -> eq.field() + " = " + shorten(eq.value());
            case Condition.In in -> in.field() + " in " + (in.values().size() <= 5 ? in.values()
                    : in.values().subList(0, 5) + " (+" + (in.values().size() - 5) + " more)");
            case Condition.Range r -> r.min() == null ? r.field() + " ≤ " + r.max() : r.max() == null ? r.field() + " ≥ " + r.min()
                    : r.field() + " in " + r.min() + ".." + r.max();
            case Condition.DateRange r -> r.from() == null ? r.field() + " on or before " + r.to()
                    : r.to() == null ? r.field() + " on or after " + r.from() : r.field() + " from " + r.from() + " to " + r.to();
            case Condition.Regex r -> r.field() + " matches /" + shorten(r.pattern()) + "/";
            case Condition.Not n -> "not (" + describe(n.condition()) + ")";
            case Condition.And and -> "all of " + and.conditions().size() + " conditions";
            case Condition.Or or -> "any of " + or.conditions().size() + " conditions";
        };
    }

    /** The first condition that failed ({@code path}) and why ({@code reason}). */
    public record Failure(String path, String reason) {}

    /** True when the condition can never match (contradictory equalities or ranges). */
    public boolean unsatisfiable() {
        return constraints.unsatisfiable;
    }

    Constraints constraints() {
        return constraints;
    }

    // ----------------------------------------------------------------------------------------------
    // Fields

    enum Kind { SOURCE_TYPE, COMMUNITY_ID, COMMUNITY_TIER, PAYMENT_METHOD, AMOUNT, PAYMENT_DATE, METADATA }

    /** A resolved field; {@code key} is its canonical name used by {@link Constraints}. */
    record Field(Kind kind, String metaKey, String key) {
        boolean text() {
            return kind != Kind.AMOUNT && kind != Kind.PAYMENT_DATE;
        }

        String string(PaymentAttributes a) {
            return switch (kind) {
                case SOURCE_TYPE -> a.sourceType();
                case COMMUNITY_ID -> a.communityId();
                case COMMUNITY_TIER -> a.communityTier();
                case PAYMENT_METHOD -> a.paymentMethod();
                case METADATA -> a.metadataValue(metaKey);
                case AMOUNT, PAYMENT_DATE -> throw new IllegalStateException(kind.name());
            };
        }
    }

    static final String SOURCE_TYPE = "sourceType";
    static final String COMMUNITY_ID = "communityId";

    static Field field(String name, String path) {
        if (name == null || name.isBlank()) throw new FeeValidationException(path, "is required");
        if (name.length() > 9 && name.regionMatches(true, 0, "metadata.", 0, 9)) {
            String k = name.substring(9);
            if (k.isEmpty() || k.length() > RuleLimits.MAX_METADATA_KEY_LENGTH) {
                throw new FeeValidationException(path, "metadata key must be 1.." + RuleLimits.MAX_METADATA_KEY_LENGTH + " characters");
            }
            return new Field(Kind.METADATA, k, "metadata." + CaseFold.fold(k));
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sourcetype" -> new Field(Kind.SOURCE_TYPE, null, SOURCE_TYPE);
            case "communityid" -> new Field(Kind.COMMUNITY_ID, null, COMMUNITY_ID);
            case "communitytier" -> new Field(Kind.COMMUNITY_TIER, null, "communityTier");
            case "paymentmethod" -> new Field(Kind.PAYMENT_METHOD, null, "paymentMethod");
            case "amountpaise" -> new Field(Kind.AMOUNT, null, "amountPaise");
            case "paymentdate" -> new Field(Kind.PAYMENT_DATE, null, "paymentDate");
            default -> throw new FeeValidationException(path, "unknown field '" + name
                    + "' (sourceType, communityId, communityTier, paymentMethod, amountPaise, paymentDate, metadata.<key>)");
        };
    }

    // ----------------------------------------------------------------------------------------------
    // Compiled nodes

    private abstract static class Node {
        abstract boolean test(PaymentAttributes a);

        /** For explanations: what the payment has for this condition's field, e.g. "sourceType is 'SPONSOR'". */
        String actual(PaymentAttributes a) {
            return "";
        }
    }

    /** "sourceType is 'SPONSOR'", "amountPaise is 500", "metadata.campaign is absent". */
    static String actual(Field f, PaymentAttributes a) {
        String v = switch (f.kind()) {
            case AMOUNT -> Long.toString(a.amountPaise());
            case PAYMENT_DATE -> a.paymentDate() == null ? null : a.paymentDate().toString();
            default -> f.string(a) == null ? null : "'" + shorten(f.string(a)) + "'";
        };
        return f.key() + (v == null ? " is absent" : " is " + v);
    }

    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    private static final class TrueNode extends Node {
        @Override boolean test(PaymentAttributes a) { return true; }
    }

    private static final class TextEq extends Node {
        final Field f; final String v;
        TextEq(Field f, String v) { this.f = f; this.v = v; }
        @Override boolean test(PaymentAttributes a) { return CaseFold.equal(f.string(a), v); }
        @Override String actual(PaymentAttributes a) { return ConditionMatcher.actual(f, a); }
    }

    private static final class TextIn extends Node {
        final Field f; final String[] small; final CaseFold.Table<Boolean> table;
        TextIn(Field f, List<String> values) {
            this.f = f;
            if (values.size() <= 8) {
                small = values.toArray(new String[0]);
                table = null;
            } else {
                small = null;
                CaseFold.Table.Builder<Boolean> b = CaseFold.Table.builder();
                for (String v : values) b.put(v, Boolean.TRUE);
                table = b.build();
            }
        }
        @Override String actual(PaymentAttributes a) { return ConditionMatcher.actual(f, a); }
        @Override boolean test(PaymentAttributes a) {
            String s = f.string(a);
            if (s == null) return false;
            if (table != null) return table.get(s) != null;
            for (String v : small) if (CaseFold.equal(s, v)) return true;
            return false;
        }
    }

    private static final class AmountIn extends Node {
        final long[] values; final long min; final long max;
        AmountIn(long[] values, long min, long max) { this.values = values; this.min = min; this.max = max; }
        @Override String actual(PaymentAttributes a) { return "amountPaise is " + a.amountPaise(); }
        @Override boolean test(PaymentAttributes a) {
            long x = a.amountPaise();
            if (x < min || x > max) return false;
            if (values == null) return true;
            for (long v : values) if (v == x) return true;
            return false;
        }
    }

    private static final class DateIn extends Node {
        final long[] values; final long min; final long max;
        DateIn(long[] values, long min, long max) { this.values = values; this.min = min; this.max = max; }
        @Override String actual(PaymentAttributes a) { return a.paymentDate() == null ? "paymentDate is absent" : "paymentDate is " + a.paymentDate(); }
        @Override boolean test(PaymentAttributes a) {
            LocalDate d = a.paymentDate();
            if (d == null) return false;
            long x = d.toEpochDay();
            if (x < min || x > max) return false;
            if (values == null) return true;
            for (long v : values) if (v == x) return true;
            return false;
        }
    }

    private static final class MetaNumberRange extends Node {
        final Field f; final long min; final long max;
        MetaNumberRange(Field f, long min, long max) { this.f = f; this.min = min; this.max = max; }
        @Override String actual(PaymentAttributes a) { return ConditionMatcher.actual(f, a); }
        @Override boolean test(PaymentAttributes a) {
            String s = f.string(a);
            if (s == null) return false;
            long x = parseWhole(s);
            return x != NOT_A_NUMBER && x >= min && x <= max;
        }
    }

    private static final class MetaDateRange extends Node {
        final Field f; final long min; final long max;
        MetaDateRange(Field f, long min, long max) { this.f = f; this.min = min; this.max = max; }
        @Override String actual(PaymentAttributes a) { return ConditionMatcher.actual(f, a); }
        @Override boolean test(PaymentAttributes a) {
            String s = f.string(a);
            if (s == null) return false;
            try {
                long x = LocalDate.parse(s.strip()).toEpochDay();
                return x >= min && x <= max;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
    }

    private static final class RegexNode extends Node {
        final Field f; final Pattern p;
        RegexNode(Field f, Pattern p) { this.f = f; this.p = p; }
        @Override String actual(PaymentAttributes a) { return ConditionMatcher.actual(f, a); }
        @Override boolean test(PaymentAttributes a) {
            String s = f.string(a);
            return s != null && p.matcher(s).matches();
        }
    }

    private static final class AndNode extends Node {
        final Node[] parts;
        AndNode(Node[] parts) { this.parts = parts; }
        @Override boolean test(PaymentAttributes a) {
            for (Node n : parts) if (!n.test(a)) return false;
            return true;
        }

    }

    private static final class OrNode extends Node {
        final Node[] parts;
        OrNode(Node[] parts) { this.parts = parts; }
        @Override boolean test(PaymentAttributes a) {
            for (Node n : parts) if (n.test(a)) return true;
            return false;
        }

    }

    private static final class NotNode extends Node {
        final Node inner;
        NotNode(Node inner) { this.inner = inner; }
        @Override boolean test(PaymentAttributes a) { return !inner.test(a); }

    }

    static final long NOT_A_NUMBER = Long.MIN_VALUE;

    /** An optional '-' and 1..18 ASCII digits, surrounding blanks allowed; else {@link #NOT_A_NUMBER}. */
    static long parseWhole(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && s.charAt(i) == ' ') i++;
        while (n > i && s.charAt(n - 1) == ' ') n--;
        boolean neg = i < n && s.charAt(i) == '-';
        if (neg) i++;
        if (i == n || n - i > 18) return NOT_A_NUMBER;
        long v = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return NOT_A_NUMBER;
            v = v * 10 + (c - '0');
        }
        return neg ? -v : v;
    }

    // ----------------------------------------------------------------------------------------------
    // Compiler

    private record Compiled(Node node, Constraints constraints) {}

    private static final class Compiler {
        int nodes;

        Compiled compile(Condition c, String path, int depth) {
            if (c == null) throw new FeeValidationException(path, "is required");
            if (depth > RuleLimits.MAX_CONDITION_DEPTH) {
                throw new FeeValidationException(path, "nests deeper than " + RuleLimits.MAX_CONDITION_DEPTH + " levels");
            }
            if (++nodes > RuleLimits.MAX_CONDITION_NODES) {
                throw new FeeValidationException(path, "the condition has more than " + RuleLimits.MAX_CONDITION_NODES + " nodes");
            }
            Compiled out = switch (c) {
                case Condition.Always x -> new Compiled(new TrueNode(), Constraints.NONE);
                case Condition.Eq eq -> eq(eq, path);
                case Condition.In in -> in(in, path);
                case Condition.Range r -> range(r, path);
                case Condition.DateRange r -> dateRange(r, path);
                case Condition.Regex r -> regex(r, path);
                case Condition.Not not -> {
                    Compiled inner = compile(not.condition(), path + ".condition", depth + 1);
                    yield new Compiled(new NotNode(inner.node), Constraints.NONE);
                }
                case Condition.And and -> {
                    List<Compiled> parts = children(and.conditions(), path, depth);
                    yield new Compiled(new AndNode(nodes(parts)), Constraints.and(constraints(parts)));
                }
                case Condition.Or or -> {
                    List<Compiled> parts = children(or.conditions(), path, depth);
                    yield new Compiled(new OrNode(nodes(parts)), Constraints.or(constraints(parts)));
                }
            };
            return out;
        }

        private List<Compiled> children(List<Condition> list, String path, int depth) {
            if (list == null || list.isEmpty()) {
                throw new FeeValidationException(path + ".conditions", "must have at least one condition (use Always for true)");
            }
            List<Compiled> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) out.add(compile(list.get(i), path + ".conditions[" + i + "]", depth + 1));
            return out;
        }

        private static Node[] nodes(List<Compiled> parts) {
            Node[] out = new Node[parts.size()];
            for (int i = 0; i < out.length; i++) out[i] = parts.get(i).node;
            return out;
        }

        private static List<Constraints> constraints(List<Compiled> parts) {
            List<Constraints> out = new ArrayList<>(parts.size());
            for (Compiled p : parts) out.add(p.constraints);
            return out;
        }

        private Compiled eq(Condition.Eq eq, String path) {
            Field f = field(eq.field(), path + ".field");
            String v = value(eq.value(), path + ".value");
            return switch (f.kind()) {
                case AMOUNT -> {
                    long x = amount(v, path + ".value");
                    yield new Compiled(new AmountIn(null, x, x), Constraints.interval(f.key(), x, x));
                }
                case PAYMENT_DATE -> {
                    long d = date(v, path + ".value");
                    yield new Compiled(new DateIn(null, d, d), Constraints.interval(f.key(), d, d));
                }
                default -> new Compiled(new TextEq(f, v), Constraints.values(f.key(), Set.of(CaseFold.fold(v))));
            };
        }

        private Compiled in(Condition.In in, String path) {
            Field f = field(in.field(), path + ".field");
            List<String> vs = in.values();
            if (vs == null || vs.isEmpty() || vs.size() > RuleLimits.MAX_IN_VALUES) {
                throw new FeeValidationException(path + ".values", "must have 1.." + RuleLimits.MAX_IN_VALUES + " values");
            }
            List<String> checked = new ArrayList<>(vs.size());
            for (int i = 0; i < vs.size(); i++) checked.add(value(vs.get(i), path + ".values[" + i + "]"));
            if (f.kind() == Kind.AMOUNT || f.kind() == Kind.PAYMENT_DATE) {
                long[] xs = new long[checked.size()];
                long min = Long.MAX_VALUE;
                long max = Long.MIN_VALUE;
                for (int i = 0; i < xs.length; i++) {
                    String p = path + ".values[" + i + "]";
                    xs[i] = f.kind() == Kind.AMOUNT ? amount(checked.get(i), p) : date(checked.get(i), p);
                    min = Math.min(min, xs[i]);
                    max = Math.max(max, xs[i]);
                }
                Node n = f.kind() == Kind.AMOUNT ? new AmountIn(xs, min, max) : new DateIn(xs, min, max);
                return new Compiled(n, Constraints.interval(f.key(), min, max));
            }
            Set<String> folded = new HashSet<>();
            for (String v : checked) folded.add(CaseFold.fold(v));
            return new Compiled(new TextIn(f, checked), Constraints.values(f.key(), folded));
        }

        private Compiled range(Condition.Range r, String path) {
            Field f = field(r.field(), path + ".field");
            if (r.min() == null && r.max() == null) throw new FeeValidationException(path, "needs min, max or both");
            long min = r.min() == null ? Long.MIN_VALUE + 1 : r.min();
            long max = r.max() == null ? Long.MAX_VALUE : r.max();
            if (min > max) throw new FeeValidationException(path + ".min", "must not exceed max (" + min + " > " + max + ")");
            return switch (f.kind()) {
                case AMOUNT -> new Compiled(new AmountIn(null, min, max), Constraints.interval(f.key(), min, max));
                case PAYMENT_DATE -> new Compiled(new DateIn(null, min, max), Constraints.interval(f.key(), min, max));
                case METADATA -> new Compiled(new MetaNumberRange(f, min, max), Constraints.interval(f.key() + "#number", min, max));
                default -> throw new FeeValidationException(path + ".field", "Range needs amountPaise, paymentDate or metadata.<key>, not " + r.field());
            };
        }

        private Compiled dateRange(Condition.DateRange r, String path) {
            Field f = field(r.field(), path + ".field");
            if (r.from() == null && r.to() == null) throw new FeeValidationException(path, "needs from, to or both");
            long min = r.from() == null ? Long.MIN_VALUE + 1 : r.from().toEpochDay();
            long max = r.to() == null ? Long.MAX_VALUE : r.to().toEpochDay();
            if (min > max) throw new FeeValidationException(path + ".from", "must not be after to");
            return switch (f.kind()) {
                case PAYMENT_DATE -> new Compiled(new DateIn(null, min, max), Constraints.interval(f.key(), min, max));
                case METADATA -> new Compiled(new MetaDateRange(f, min, max), Constraints.interval(f.key() + "#date", min, max));
                default -> throw new FeeValidationException(path + ".field", "DateRange needs paymentDate or metadata.<key>, not " + r.field());
            };
        }

        private Compiled regex(Condition.Regex r, String path) {
            Field f = field(r.field(), path + ".field");
            if (!f.text()) throw new FeeValidationException(path + ".field", "Regex needs a text field, not " + r.field());
            String p = r.pattern();
            if (p == null || p.isEmpty() || p.length() > RuleLimits.MAX_REGEX_LENGTH) {
                throw new FeeValidationException(path + ".pattern", "must be 1.." + RuleLimits.MAX_REGEX_LENGTH + " characters");
            }
            try {
                return new Compiled(new RegexNode(f, Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)), Constraints.NONE);
            } catch (PatternSyntaxException e) {
                throw new FeeValidationException(path + ".pattern", "is not a valid regular expression: " + e.getDescription());
            }
        }

        private static String value(String v, String path) {
            if (v == null) throw new FeeValidationException(path, "is required");
            if (v.isEmpty() || v.length() > RuleLimits.MAX_VALUE_LENGTH) {
                throw new FeeValidationException(path, "must be 1.." + RuleLimits.MAX_VALUE_LENGTH + " characters");
            }
            return v;
        }

        private static long amount(String v, String path) {
            long x = parseWhole(v);
            if (x == NOT_A_NUMBER) throw new FeeValidationException(path, "amountPaise needs a whole number of paise, was '" + v + "'");
            return x;
        }

        private static long date(String v, String path) {
            try {
                return LocalDate.parse(v.strip()).toEpochDay();
            } catch (DateTimeParseException e) {
                throw new FeeValidationException(path, "paymentDate needs an ISO date (yyyy-MM-dd), was '" + v + "'");
            }
        }
    }
}
