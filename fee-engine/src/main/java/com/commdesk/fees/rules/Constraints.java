package com.commdesk.fees.rules;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Necessary conditions extracted from a condition tree: for some fields, the set of values (folded
 * to lower case) the attribute must be one of, and for numeric/date fields, the closed interval it must
 * lie in. Every payment that satisfies the condition satisfies its constraints (they over-approximate),
 * so two conditions whose constraints are disjoint on some field can never both match one payment.
 * Used for the {@link RuleSet} index and its tie check.
 */
final class Constraints {
    static final Constraints NONE = new Constraints(Map.of(), Map.of(), false);
    static final Constraints UNSATISFIABLE = new Constraints(Map.of(), Map.of(), true);

    final Map<String, Set<String>> values;
    final Map<String, long[]> intervals;
    final boolean unsatisfiable;

    private Constraints(Map<String, Set<String>> values, Map<String, long[]> intervals, boolean unsatisfiable) {
        this.values = values;
        this.intervals = intervals;
        this.unsatisfiable = unsatisfiable;
    }

    static Constraints values(String field, Set<String> folded) {
        return new Constraints(Map.of(field, Set.copyOf(folded)), Map.of(), false);
    }

    static Constraints interval(String field, long min, long max) {
        if (min > max) return UNSATISFIABLE;
        return new Constraints(Map.of(), Map.of(field, new long[] {min, max}), false);
    }

    /** All must hold: intersect per field. */
    static Constraints and(List<Constraints> parts) {
        Map<String, Set<String>> v = new HashMap<>();
        Map<String, long[]> iv = new HashMap<>();
        for (Constraints c : parts) {
            if (c.unsatisfiable) return UNSATISFIABLE;
            for (Map.Entry<String, Set<String>> e : c.values.entrySet()) {
                Set<String> cur = v.get(e.getKey());
                if (cur == null) {
                    v.put(e.getKey(), new HashSet<>(e.getValue()));
                } else {
                    cur.retainAll(e.getValue());
                    if (cur.isEmpty()) return UNSATISFIABLE;
                }
            }
            for (Map.Entry<String, long[]> e : c.intervals.entrySet()) {
                long[] cur = iv.get(e.getKey());
                long[] x = e.getValue();
                if (cur == null) {
                    iv.put(e.getKey(), x.clone());
                } else {
                    cur[0] = Math.max(cur[0], x[0]);
                    cur[1] = Math.min(cur[1], x[1]);
                    if (cur[0] > cur[1]) return UNSATISFIABLE;
                }
            }
        }
        return new Constraints(freeze(v), Map.copyOf(iv), false);
    }

    /** Any may hold: a field stays constrained only if every satisfiable branch constrains it (union / hull). */
    static Constraints or(List<Constraints> parts) {
        Map<String, Set<String>> v = null;
        Map<String, long[]> iv = null;
        for (Constraints c : parts) {
            if (c.unsatisfiable) continue;
            if (v == null) {
                v = new HashMap<>();
                for (Map.Entry<String, Set<String>> e : c.values.entrySet()) v.put(e.getKey(), new HashSet<>(e.getValue()));
                iv = new HashMap<>();
                for (Map.Entry<String, long[]> e : c.intervals.entrySet()) iv.put(e.getKey(), e.getValue().clone());
                continue;
            }
            v.keySet().retainAll(c.values.keySet());
            for (Map.Entry<String, Set<String>> e : v.entrySet()) e.getValue().addAll(c.values.get(e.getKey()));
            iv.keySet().retainAll(c.intervals.keySet());
            for (Map.Entry<String, long[]> e : iv.entrySet()) {
                long[] x = c.intervals.get(e.getKey());
                e.getValue()[0] = Math.min(e.getValue()[0], x[0]);
                e.getValue()[1] = Math.max(e.getValue()[1], x[1]);
            }
        }
        if (v == null) return UNSATISFIABLE;
        return new Constraints(freeze(v), Map.copyOf(iv), false);
    }

    private static Map<String, Set<String>> freeze(Map<String, Set<String>> v) {
        Map<String, Set<String>> out = new HashMap<>();
        v.forEach((k, s) -> out.put(k, Set.copyOf(s)));
        return Map.copyOf(out);
    }

    /** The values the field must take (folded), or null when unconstrained. */
    Set<String> valuesOf(String field) {
        return values.get(field);
    }

    /** True when no payment can satisfy both: some field's value sets or intervals do not meet. */
    boolean disjoint(Constraints other) {
        if (unsatisfiable || other.unsatisfiable) return true;
        for (Map.Entry<String, Set<String>> e : values.entrySet()) {
            Set<String> o = other.values.get(e.getKey());
            if (o == null) continue;
            Set<String> small = o.size() < e.getValue().size() ? o : e.getValue();
            Set<String> big = small == o ? e.getValue() : o;
            boolean meet = false;
            for (String s : small) {
                if (big.contains(s)) { meet = true; break; }
            }
            if (!meet) return true;
        }
        for (Map.Entry<String, long[]> e : intervals.entrySet()) {
            long[] o = other.intervals.get(e.getKey());
            if (o == null) continue;
            long[] x = e.getValue();
            if (x[1] < o[0] || o[1] < x[0]) return true;
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> sb.append(k).append(" in ").append(new java.util.TreeSet<>(v)).append("; "));
        intervals.forEach((k, v) -> sb.append(k).append(" in [").append(v[0]).append(", ").append(v[1]).append("]; "));
        return sb.append(unsatisfiable ? "unsatisfiable}" : "}").toString();
    }
}
