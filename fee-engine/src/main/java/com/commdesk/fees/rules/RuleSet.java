package com.commdesk.fees.rules;

import com.commdesk.fees.CaseFold;
import com.commdesk.fees.CompiledFeeSchedule;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeValidationException;
import com.commdesk.fees.SplitPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable, validated, indexed set of commission rules. {@link #select} returns the
 * highest-priority rule that is effective at the given instant and whose condition matches.
 *
 * <p>Build-time checks (each a {@link FeeValidationException} naming {@code rules[i]...}):
 * every field valid; conditions compile and are satisfiable; schedules valid; role splits valid;
 * (ruleId, version) unique; versions of one ruleId have non-overlapping windows; and no <b>tie</b>.
 *
 * <p><b>Tie rule.</b> Two rules tie when (1) their priorities are equal, (2) their effective windows
 * {@code [from, to)} share an instant, and (3) their conditions are not <i>provably disjoint</i>.
 * Conditions are provably disjoint when, for some field, the values the two conditions require
 * (from Eq/In on a text field — case-insensitive — combined through And by intersection and through
 * Or by union when every branch constrains the field) have no value in common, or the intervals they
 * require for amountPaise, paymentDate or a metadata number/date (from Eq, In, Range, DateRange) do
 * not meet. Not and Regex never prove disjointness. So whenever two rules could both be selected for
 * one payment at one instant, one of them has a strictly higher priority, and the result never depends
 * on list order.
 *
 * <p><b>Index.</b> Rules are filed by the communityId and sourceType values their conditions require
 * (or under "any"); {@link #select} looks at at most four priority-ordered lists and stops at the first
 * effective match, so it does not scan rules for other communities or sources.
 */
public final class RuleSet {

    /** A rule with everything prepared for quoting. */
    static final class Entry {
        final int index;
        final CommissionRule rule;
        final ConditionMatcher matcher;
        final CompiledFeeSchedule schedule;
        final SplitPlan roles; // null: use the default roles

        Entry(int index, CommissionRule rule, ConditionMatcher matcher, CompiledFeeSchedule schedule, SplitPlan roles) {
            this.index = index;
            this.rule = rule;
            this.matcher = matcher;
            this.schedule = schedule;
            this.roles = roles;
        }

        boolean effectiveAt(Instant at) {
            return rule.effectiveAt(at);
        }
    }

    /** Rules filed under one communityId (or any), by sourceType (or any). */
    private static final class Bucket {
        final CaseFold.Table<Entry[]> bySource;
        final Entry[] anySource;

        Bucket(CaseFold.Table<Entry[]> bySource, Entry[] anySource) {
            this.bySource = bySource;
            this.anySource = anySource;
        }
    }

    private static final Entry[] NONE = new Entry[0];
    private static final Comparator<Entry> ORDER = Comparator.<Entry>comparingInt(e -> -e.rule.priority())
            .thenComparing(e -> e.rule.ruleId())
            .thenComparingInt(e -> e.rule.version());

    private final List<CommissionRule> rules;
    private final CaseFold.Table<Bucket> byCommunity;
    private final Bucket anyCommunity;
    private final Entry[] ordered; // every rule in selection order, for explanations

    private RuleSet(List<CommissionRule> rules, CaseFold.Table<Bucket> byCommunity, Bucket anyCommunity, Entry[] ordered) {
        this.rules = rules;
        this.byCommunity = byCommunity;
        this.anyCommunity = anyCommunity;
        this.ordered = ordered;
    }

    /** Validates and indexes the rules (0..10,000). */
    public static RuleSet of(List<CommissionRule> rules) {
        if (rules == null) throw new FeeValidationException("rules", "is required");
        if (rules.size() > RuleLimits.MAX_RULES) {
            throw new FeeValidationException("rules", "must have at most " + RuleLimits.MAX_RULES + " rules, had " + rules.size());
        }
        List<Entry> entries = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) entries.add(entry(i, rules.get(i)));
        checkVersions(entries);
        checkTies(entries);
        return index(List.copyOf(rules), entries);
    }

    public List<CommissionRule> rules() {
        return rules;
    }

    public int size() {
        return rules.size();
    }

    /** The highest-priority rule effective at {@code at} whose condition matches, if any. */
    public Optional<CommissionRule> select(PaymentAttributes attributes, Instant at) {
        Entry e = selectEntry(attributes, at);
        return e == null ? Optional.empty() : Optional.of(e.rule);
    }

    Entry selectEntry(PaymentAttributes a, Instant at) {
        if (a == null) throw new FeeValidationException("attributes", "is required");
        if (at == null) throw new FeeValidationException("at", "is required");
        Bucket c = a.communityId() == null ? null : byCommunity.get(a.communityId());
        String st = a.sourceType();
        Entry[] l0 = c == null ? NONE : orNone(st == null ? null : c.bySource.get(st));
        Entry[] l1 = c == null ? NONE : c.anySource;
        Entry[] l2 = orNone(st == null ? null : anyCommunity.bySource.get(st));
        Entry[] l3 = anyCommunity.anySource;
        int i0 = 0, i1 = 0, i2 = 0, i3 = 0;
        while (true) {
            // take the head with the highest priority; equal priorities cannot both match (tie rule)
            Entry best = null;
            int from = -1;
            if (i0 < l0.length) { best = l0[i0]; from = 0; }
            if (i1 < l1.length && (best == null || l1[i1].rule.priority() > best.rule.priority())) { best = l1[i1]; from = 1; }
            if (i2 < l2.length && (best == null || l2[i2].rule.priority() > best.rule.priority())) { best = l2[i2]; from = 2; }
            if (i3 < l3.length && (best == null || l3[i3].rule.priority() > best.rule.priority())) { best = l3[i3]; from = 3; }
            if (best == null) return null;
            switch (from) {
                case 0 -> i0++;
                case 1 -> i1++;
                case 2 -> i2++;
                default -> i3++;
            }
            if (best.effectiveAt(at) && best.matcher.matches(a)) return best;
        }
    }

    /**
     * A what-if preview of {@link #select}: the rule it returns for these attributes at {@code at}, and
     * for every candidate rule — every rule the index files under this payment's communityId and
     * sourceType or under "any" — in the order selection considers them, whether it was selected,
     * matched with a lower priority, failed a condition (the first one, with what it needed and what the
     * payment had) or was not effective. The other rules require another communityId or sourceType, so
     * they cannot match; they are only counted. Consistent with {@link #select} by construction: the
     * selected rule is the first effective, matching candidate of that order.
     */
    public RuleSelection explain(PaymentAttributes a, Instant at) {
        if (a == null) throw new FeeValidationException("attributes", "is required");
        if (at == null) throw new FeeValidationException("at", "is required");
        Entry selected = selectEntry(a, at);
        Bucket c = a.communityId() == null ? null : byCommunity.get(a.communityId());
        String st = a.sourceType();
        java.util.Set<Entry> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Entry> candidates = new ArrayList<>();
        for (Entry[] list : List.of(c == null ? NONE : orNone(st == null ? null : c.bySource.get(st)), c == null ? NONE : c.anySource,
                orNone(st == null ? null : anyCommunity.bySource.get(st)), anyCommunity.anySource)) {
            for (Entry e : list) if (seen.add(e)) candidates.add(e);
        }
        candidates.sort(ORDER);
        List<RuleExplanation> out = new ArrayList<>(candidates.size());
        for (Entry e : candidates) out.add(explain(e, selected, a, at));
        return new RuleSelection(selected == null ? null : selected.rule, out, ordered.length - candidates.size());
    }

    private static RuleExplanation explain(Entry e, Entry selected, PaymentAttributes a, Instant at) {
        CommissionRule r = e.rule;
        RuleExplanation.Outcome outcome;
        String path = null;
        String reason;
        if (!e.effectiveAt(at)) {
            outcome = RuleExplanation.Outcome.NOT_EFFECTIVE;
            reason = at.isBefore(r.effectiveFrom()) ? "not effective yet at " + at + ": from " + r.effectiveFrom()
                    : "no longer effective at " + at + ": ended " + r.effectiveTo();
        } else {
            ConditionMatcher.Failure f = e.matcher.explain(a);
            if (f != null) {
                outcome = RuleExplanation.Outcome.CONDITION_FAILED;
                path = f.path();
                reason = f.reason();
            } else if (e == selected) {
                outcome = RuleExplanation.Outcome.SELECTED;
                reason = "effective and its condition matches; priority " + r.priority()
                        + " is the highest of the matching rules (version " + r.version() + ")";
            } else {
                outcome = RuleExplanation.Outcome.MATCHED_LOWER_PRIORITY;
                reason = "its condition matches too, but rule '" + selected.rule.ruleId() + "' v" + selected.rule.version()
                        + " has the higher priority " + selected.rule.priority() + " (this one: " + r.priority() + ")";
            }
        }
        return new RuleExplanation(r.ruleId(), r.version(), r.priority(), r.effectiveFrom(), r.effectiveTo(), outcome, path, reason);
    }

    private static Entry[] orNone(Entry[] e) {
        return e == null ? NONE : e;
    }

    // ----------------------------------------------------------------------------------------------
    // Build

    private static Entry entry(int i, CommissionRule r) {
        String p = "rules[" + i + "]";
        if (r == null) throw new FeeValidationException(p, "is required");
        String id = r.ruleId();
        if (id == null || id.isBlank() || id.length() > 128) throw new FeeValidationException(p + ".ruleId", "must be 1..128 characters, not blank");
        if (r.version() < 1 || r.version() > RuleLimits.MAX_VERSION) {
            throw new FeeValidationException(p + ".version", "must be 1.." + RuleLimits.MAX_VERSION + ", was " + r.version());
        }
        if (Math.abs((long) r.priority()) > RuleLimits.MAX_PRIORITY) {
            throw new FeeValidationException(p + ".priority", "must be -" + RuleLimits.MAX_PRIORITY + ".." + RuleLimits.MAX_PRIORITY + ", was " + r.priority());
        }
        if (r.effectiveFrom() == null) throw new FeeValidationException(p + ".effectiveFrom", "is required");
        if (r.effectiveTo() != null && !r.effectiveTo().isAfter(r.effectiveFrom())) {
            throw new FeeValidationException(p + ".effectiveTo", "must be after effectiveFrom (or null for open-ended)");
        }
        ConditionMatcher m;
        try {
            m = ConditionMatcher.compile(r.condition(), "condition"); // paths relative to the rule, as explanations show them
        } catch (FeeValidationException e) {
            throw new FeeValidationException(p + "." + e.field(), e.reason());
        }
        if (m.unsatisfiable()) {
            throw new FeeValidationException(p + ".condition", "can never match: its equalities or ranges contradict each other " + m.constraints());
        }
        CompiledFeeSchedule s = compileSchedule(r, p);
        SplitPlan roles = r.roles().isEmpty() ? null : new SplitPlan(r.roles(), p + ".roles");
        return new Entry(i, r, m, s, roles);
    }

    private static CompiledFeeSchedule compileSchedule(CommissionRule r, String p) {
        try {
            return FeeEngine.compile(r.schedule());
        } catch (FeeValidationException e) {
            // re-root "schedule..." under the rule
            throw new FeeValidationException(p + "." + e.field(), e.reason());
        }
    }

    private static void checkVersions(List<Entry> entries) {
        Map<String, List<Entry>> byId = new HashMap<>();
        for (Entry e : entries) byId.computeIfAbsent(CaseFold.fold(e.rule.ruleId()), k -> new ArrayList<>()).add(e);
        for (List<Entry> versions : byId.values()) {
            for (int a = 0; a < versions.size(); a++) {
                for (int b = a + 1; b < versions.size(); b++) {
                    Entry x = versions.get(a);
                    Entry y = versions.get(b);
                    String p = "rules[" + y.index + "]";
                    if (x.rule.version() == y.rule.version()) {
                        throw new FeeValidationException(p + ".version", "rule '" + y.rule.ruleId() + "' version " + y.rule.version()
                                + " also at rules[" + x.index + "]");
                    }
                    if (x.rule.overlaps(y.rule)) {
                        throw new FeeValidationException(p + ".effectiveFrom", "rule '" + y.rule.ruleId() + "' version " + y.rule.version()
                                + " is effective at the same time as version " + x.rule.version() + " (rules[" + x.index + "])");
                    }
                }
            }
        }
    }

    /** The tie rule (see the class comment); pairs are only compared within a priority and a community. */
    private static void checkTies(List<Entry> entries) {
        Map<Integer, List<Entry>> byPriority = new TreeMap<>();
        for (Entry e : entries) byPriority.computeIfAbsent(e.rule.priority(), k -> new ArrayList<>()).add(e);
        for (List<Entry> group : byPriority.values()) {
            if (group.size() < 2) continue;
            Map<String, List<Entry>> byCommunity = new LinkedHashMap<>();
            List<Entry> anyCommunity = new ArrayList<>();
            for (Entry e : group) {
                Set<String> ids = e.matcher.constraints().valuesOf(ConditionMatcher.COMMUNITY_ID);
                if (ids == null) anyCommunity.add(e);
                else for (String id : ids) byCommunity.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
            }
            java.util.Set<Entry> wildcard = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            wildcard.addAll(anyCommunity);
            for (Entry w : anyCommunity) {
                for (Entry e : group) if (e != w && (e.index > w.index || !wildcard.contains(e))) tie(w, e);
            }
            for (List<Entry> same : byCommunity.values()) {
                for (int a = 0; a < same.size(); a++) for (int b = a + 1; b < same.size(); b++) tie(same.get(a), same.get(b));
            }
        }
    }

    private static void tie(Entry x, Entry y) {
        if (!x.rule.overlaps(y.rule)) return;
        if (x.matcher.constraints().disjoint(y.matcher.constraints())) return;
        Entry first = x.index < y.index ? x : y;
        Entry second = first == x ? y : x;
        throw new FeeValidationException("rules[" + second.index + "].priority",
                "tie: rule '" + second.rule.ruleId() + "' v" + second.rule.version() + " and rules[" + first.index + "] '"
                        + first.rule.ruleId() + "' v" + first.rule.version() + " have the same priority " + first.rule.priority()
                        + ", overlapping effective windows, and conditions that are not provably disjoint; give one a higher priority");
    }

    private static RuleSet index(List<CommissionRule> rules, List<Entry> entries) {
        Map<String, Map<String, List<Entry>>> byCommunity = new LinkedHashMap<>(); // folded cid -> folded st (or "") -> entries
        Map<String, List<Entry>> any = new LinkedHashMap<>();
        for (Entry e : entries) {
            Set<String> cids = e.matcher.constraints().valuesOf(ConditionMatcher.COMMUNITY_ID);
            Set<String> sts = e.matcher.constraints().valuesOf(ConditionMatcher.SOURCE_TYPE);
            int fan = (cids == null ? 1 : cids.size()) * (sts == null ? 1 : sts.size());
            if (sts != null && fan > RuleLimits.MAX_INDEX_FANOUT) sts = null; // still correct: the condition is checked anyway
            List<String> stKeys = sts == null ? List.of("") : List.copyOf(sts);
            if (cids == null) {
                for (String st : stKeys) any.computeIfAbsent(st, k -> new ArrayList<>()).add(e);
            } else {
                for (String cid : cids) {
                    Map<String, List<Entry>> m = byCommunity.computeIfAbsent(cid, k -> new LinkedHashMap<>());
                    for (String st : stKeys) m.computeIfAbsent(st, k -> new ArrayList<>()).add(e);
                }
            }
        }
        CaseFold.Table.Builder<Bucket> b = CaseFold.Table.builder();
        byCommunity.forEach((cid, m) -> b.put(cid, bucket(m)));
        Entry[] ordered = entries.toArray(new Entry[0]);
        java.util.Arrays.sort(ordered, ORDER);
        return new RuleSet(rules, b.build(), bucket(any), ordered);
    }

    private static Bucket bucket(Map<String, List<Entry>> bySource) {
        CaseFold.Table.Builder<Entry[]> b = CaseFold.Table.builder();
        Entry[] anySource = NONE;
        for (Map.Entry<String, List<Entry>> e : bySource.entrySet()) {
            Entry[] sorted = e.getValue().toArray(new Entry[0]);
            java.util.Arrays.sort(sorted, ORDER);
            if (e.getKey().isEmpty()) anySource = sorted;
            else b.put(e.getKey(), sorted);
        }
        return new Bucket(b.build(), anySource);
    }
}
