package com.commdesk.ledger.rules;

import static com.commdesk.ledger.jooq.Tables.COMMISSION_RULE;
import static com.commdesk.ledger.jooq.Tables.COMMISSION_RULE_AUDIT;
import static com.commdesk.ledger.jooq.Tables.COMMISSION_RULE_VERSION;

import com.commdesk.fees.CaseFold;
import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeValidationException;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.rules.CommissionRule;
import com.commdesk.fees.rules.Condition;
import com.commdesk.fees.rules.RuleLimits;
import com.commdesk.fees.rules.RuleSet;
import com.commdesk.ledger.jooq.tables.records.CommissionRuleRecord;
import com.commdesk.ledger.jooq.tables.records.CommissionRuleVersionRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/**
 * Stored, versioned commission rules (docs/rules.md): create, update (= the next version),
 * deactivate, list, history with audit trail, the active {@link RuleSet} (cached), and marking a
 * version used.
 *
 * <p>Every write runs in one transaction that first takes a transaction-scoped advisory lock, so
 * writes are serialised: the tie check against the other active rules sees every committed rule, and
 * audit ids are assigned in commit order (which the cache relies on). Each write adds one audit row.
 *
 * <p><b>Cache.</b> {@link #activeRules()} keeps the last built RuleSet with the audit trail's highest
 * id at the time it was loaded (every change adds an audit row, so that id is a revision number).
 * At most once per {@code recheckInterval} (zero: on every call) it reads {@code max(audit_id)} — one
 * index-only lookup — and rebuilds the set only when it changed. A change made by any process is
 * therefore seen by every other process within one recheck interval.
 */
public final class CommissionRuleRepository {
    public static final String ACTIVE = "ACTIVE";
    public static final String INACTIVE = "INACTIVE";
    /** Rule ids: 1..128 of letters, digits and _ . : - starting with a letter or digit. */
    public static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    private static final long WRITE_LOCK = 0x636f6d6d72756c65L; // "commrule"

    /** The editable content of a rule; the id and version are assigned by the store. */
    public record Draft(int priority, Instant effectiveFrom, Instant effectiveTo, Condition condition,
                        FeeSchedule schedule, List<RoleSplit> roles) {
        public Draft {
            roles = roles == null ? List.of() : roles;
        }
    }

    /** A rule's header and its current version. */
    public record StoredRule(String ruleId, String status, CommissionRule current, Instant currentUsedAt,
                             String createdBy, Instant createdAt, String updatedBy, Instant updatedAt) {}

    /** One version as stored; {@code usedAt} null = no payment has used it (yet). */
    public record Version(CommissionRule rule, String createdBy, Instant createdAt, Instant usedAt) {}

    /** One audit row: the rule (as JSON-shaped maps) before and after the change. */
    public record AuditEntry(long auditId, String ruleId, Integer version, String action, String actor, Instant changedAt,
                             Map<String, Object> before, Map<String, Object> after) {}

    /** A rule with every version (oldest first) and its audit trail (oldest first). */
    public record History(StoredRule rule, List<Version> versions, List<AuditEntry> audit) {}

    private record Snapshot(long revision, RuleSet rules, long checkedAtNanos) {}

    private final DSLContext dsl;
    private final long recheckNanos;
    private volatile Snapshot snapshot;
    private final Set<String> knownUsed = ConcurrentHashMap.newKeySet();

    /** With the cache rechecked on every {@link #activeRules()} call. */
    public CommissionRuleRepository(DSLContext dsl) {
        this(dsl, Duration.ZERO);
    }

    public CommissionRuleRepository(DSLContext dsl, Duration recheckInterval) {
        if (recheckInterval == null || recheckInterval.isNegative()) throw new IllegalArgumentException("recheckInterval must be >= 0");
        this.dsl = dsl;
        this.recheckNanos = recheckInterval.toNanos();
    }

    // ----------------------------------------------------------------------------------------------
    // Writes

    /**
     * Creates rule {@code ruleId} at version 1, active. Its platform rates must lie within the
     * platform-wide fee bounds ({@link FeeBoundsRepository}), checked under the write lock.
     *
     * @throws FeeValidationException    naming the field ("ruleId", "actor", "priority", "schedule.…", "roles[1].shareBps", …)
     * @throws CommissionRuleException   ALREADY_EXISTS, or TIE with another active rule
     */
    public StoredRule create(String ruleId, Draft draft, String actor) {
        checkRuleId(ruleId);
        checkActor(actor);
        CommissionRule candidate = validate(ruleId, 1, draft);
        return dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            lock(tx);
            if (tx.fetchExists(COMMISSION_RULE, DSL.lower(COMMISSION_RULE.RULE_ID).eq(ruleId.toLowerCase(java.util.Locale.ROOT)))) {
                throw new CommissionRuleException(CommissionRuleException.Code.ALREADY_EXISTS, "ruleId", null,
                        "a rule with id '" + ruleId + "' exists already (ids ignore case); PUT it to change it");
            }
            FeeBoundsRepository.read(tx).bounds().check(candidate.schedule(), "schedule");
            checkTies(tx, candidate);
            OffsetDateTime now = now(tx);
            tx.insertInto(COMMISSION_RULE)
                    .set(COMMISSION_RULE.RULE_ID, ruleId).set(COMMISSION_RULE.STATUS, ACTIVE).set(COMMISSION_RULE.CURRENT_VERSION, 1)
                    .set(COMMISSION_RULE.CREATED_BY, actor).set(COMMISSION_RULE.CREATED_AT, now)
                    .set(COMMISSION_RULE.UPDATED_BY, actor).set(COMMISSION_RULE.UPDATED_AT, now).execute();
            insertVersion(tx, candidate, actor, now);
            audit(tx, ruleId, 1, "CREATE", actor, null, RuleJson.tree(candidate, ACTIVE));
            return find(tx, ruleId).orElseThrow();
        });
    }

    /**
     * Adds the next version of {@code ruleId} with the new content and makes it current; the rule is
     * active afterwards (an update of an inactive rule reactivates it). Earlier versions are kept
     * unchanged, whether or not they were used.
     */
    public StoredRule update(String ruleId, Draft draft, String actor) {
        checkActor(actor);
        validate(ruleId == null ? "x" : ruleId, 1, draft); // input errors before touching the database
        return dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            lock(tx);
            CommissionRuleRecord header = header(tx, ruleId);
            String id = header.getRuleId();
            int next = header.getCurrentVersion() + 1;
            if (next > RuleLimits.MAX_VERSION) {
                throw new FeeValidationException("version", "rule '" + id + "' has reached the last version " + RuleLimits.MAX_VERSION);
            }
            CommissionRule before = toRule(currentVersion(tx, header));
            CommissionRule candidate = validate(id, next, draft);
            FeeBoundsRepository.read(tx).bounds().check(candidate.schedule(), "schedule");
            checkTies(tx, candidate);
            OffsetDateTime now = now(tx);
            insertVersion(tx, candidate, actor, now);
            tx.update(COMMISSION_RULE).set(COMMISSION_RULE.CURRENT_VERSION, next).set(COMMISSION_RULE.STATUS, ACTIVE)
                    .set(COMMISSION_RULE.UPDATED_BY, actor).set(COMMISSION_RULE.UPDATED_AT, now)
                    .where(COMMISSION_RULE.RULE_ID.eq(id)).execute();
            audit(tx, id, next, "UPDATE", actor, RuleJson.tree(before, header.getStatus()), RuleJson.tree(candidate, ACTIVE));
            return find(tx, id).orElseThrow();
        });
    }

    /** Takes the rule out of the active set (its versions stay, for the audit trail and history). */
    public StoredRule deactivate(String ruleId, String actor) {
        checkActor(actor);
        return dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            lock(tx);
            CommissionRuleRecord header = header(tx, ruleId);
            String id = header.getRuleId();
            if (INACTIVE.equals(header.getStatus())) {
                throw new CommissionRuleException(CommissionRuleException.Code.ALREADY_INACTIVE, "ruleId", null,
                        "rule '" + id + "' is already inactive");
            }
            CommissionRule current = toRule(currentVersion(tx, header));
            OffsetDateTime now = now(tx);
            tx.update(COMMISSION_RULE).set(COMMISSION_RULE.STATUS, INACTIVE)
                    .set(COMMISSION_RULE.UPDATED_BY, actor).set(COMMISSION_RULE.UPDATED_AT, now)
                    .where(COMMISSION_RULE.RULE_ID.eq(id)).execute();
            audit(tx, id, current.version(), "DEACTIVATE", actor, RuleJson.tree(current, ACTIVE), RuleJson.tree(current, INACTIVE));
            return find(tx, id).orElseThrow();
        });
    }

    /**
     * Records that a payment's fee calculation chose this version: from then on the row is frozen
     * by the database. Idempotent and cheap (a version known to be used is not written again).
     *
     * @return true when this call marked it, false when it was marked already
     */
    public boolean markUsed(String ruleId, int version) {
        String key = ruleId + "#" + version;
        if (knownUsed.contains(key)) return false;
        int n = dsl.update(COMMISSION_RULE_VERSION).set(COMMISSION_RULE_VERSION.USED_AT, DSL.currentOffsetDateTime())
                .where(COMMISSION_RULE_VERSION.RULE_ID.eq(ruleId), COMMISSION_RULE_VERSION.VERSION.eq(version),
                        COMMISSION_RULE_VERSION.USED_AT.isNull())
                .execute();
        if (n == 0 && !dsl.fetchExists(COMMISSION_RULE_VERSION, COMMISSION_RULE_VERSION.RULE_ID.eq(ruleId),
                COMMISSION_RULE_VERSION.VERSION.eq(version))) {
            throw new CommissionRuleException(CommissionRuleException.Code.NOT_FOUND, "ruleId", null,
                    "no version " + version + " of rule '" + ruleId + "'");
        }
        knownUsed.add(key);
        return n == 1;
    }

    // ----------------------------------------------------------------------------------------------
    // Reads

    /** Every rule (active and inactive) with its current version, by rule id. */
    public List<StoredRule> list() {
        List<StoredRule> out = new ArrayList<>();
        var rows = dsl.select().from(COMMISSION_RULE).join(COMMISSION_RULE_VERSION)
                .on(COMMISSION_RULE_VERSION.RULE_ID.eq(COMMISSION_RULE.RULE_ID), COMMISSION_RULE_VERSION.VERSION.eq(COMMISSION_RULE.CURRENT_VERSION))
                .orderBy(COMMISSION_RULE.RULE_ID).fetch();
        for (var r : rows) out.add(stored(r.into(COMMISSION_RULE), r.into(COMMISSION_RULE_VERSION)));
        return out;
    }

    /** The rule (looked up ignoring case), all its versions and its audit trail. */
    public Optional<History> history(String ruleId) {
        Optional<StoredRule> rule = find(dsl, ruleId);
        if (rule.isEmpty()) return Optional.empty();
        String id = rule.get().ruleId();
        List<Version> versions = new ArrayList<>();
        for (var v : dsl.selectFrom(COMMISSION_RULE_VERSION).where(COMMISSION_RULE_VERSION.RULE_ID.eq(id))
                .orderBy(COMMISSION_RULE_VERSION.VERSION).fetch()) {
            versions.add(new Version(toRule(v), v.getCreatedBy(), instant(v.getCreatedAt()), instant(v.getUsedAt())));
        }
        List<AuditEntry> audit = new ArrayList<>();
        for (var a : dsl.selectFrom(COMMISSION_RULE_AUDIT).where(COMMISSION_RULE_AUDIT.RULE_ID.eq(id))
                .orderBy(COMMISSION_RULE_AUDIT.AUDIT_ID).fetch()) {
            audit.add(new AuditEntry(a.getAuditId(), a.getRuleId(), a.getVersion(), a.getAction(), a.getActor(),
                    instant(a.getChangedAt()), a.getBefore() == null ? null : RuleJson.readTree(a.getBefore().data()),
                    a.getAfter() == null ? null : RuleJson.readTree(a.getAfter().data())));
        }
        return Optional.of(new History(rule.get(), versions, audit));
    }

    public Optional<StoredRule> find(String ruleId) {
        return find(dsl, ruleId);
    }

    /** The revision of the rule store: the audit trail's highest id (0 when no rule was ever saved). */
    public long revision() {
        Long max = dsl.select(DSL.max(COMMISSION_RULE_AUDIT.AUDIT_ID)).from(COMMISSION_RULE_AUDIT).fetchOne(0, Long.class);
        return max == null ? 0 : max;
    }

    /** The current version of every active rule as a validated RuleSet; cached, see the class comment. */
    public RuleSet activeRules() {
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (s != null && now - s.checkedAtNanos < recheckNanos) return s.rules;
        long revision = revision();
        if (s != null && s.revision == revision) {
            snapshot = new Snapshot(revision, s.rules, now);
            return s.rules;
        }
        RuleSet rules = RuleSet.of(activeCurrentVersions(dsl, null));
        snapshot = new Snapshot(revision, rules, now);
        return rules;
    }

    /** Forgets the cached RuleSet; the next {@link #activeRules()} reloads. */
    public void invalidate() {
        snapshot = null;
    }

    // ----------------------------------------------------------------------------------------------

    /** The lock every rule and bounds write takes first (transaction-scoped): rule checks and bounds checks see each other. */
    static void lock(DSLContext tx) {
        tx.select(DSL.field("pg_advisory_xact_lock({0})", Object.class, DSL.val(WRITE_LOCK))).fetch();
    }

    private static OffsetDateTime now(DSLContext tx) {
        return tx.select(DSL.currentOffsetDateTime()).fetchOne(0, OffsetDateTime.class);
    }

    private static void checkRuleId(String ruleId) {
        if (ruleId == null || !RULE_ID.matcher(ruleId).matches()) {
            throw new FeeValidationException("ruleId", "must be 1..128 of A-Z a-z 0-9 _ . : - starting with a letter or digit");
        }
    }

    private static void checkActor(String actor) {
        if (actor == null || actor.isBlank() || actor.length() > 128) {
            throw new FeeValidationException("actor", "who makes the change is required (1..128 characters)");
        }
    }

    /** Everything RuleSet checks on one rule, with field paths relative to the rule ("schedule.…"). */
    private static CommissionRule validate(String ruleId, int version, Draft d) {
        if (d == null) throw new FeeValidationException("rule", "is required");
        if (d.condition() == null) throw new FeeValidationException("condition", "is required (use {\"op\":\"always\"} for a catch-all)");
        if (d.schedule() == null) throw new FeeValidationException("schedule", "is required");
        CommissionRule r = new CommissionRule(ruleId, version, d.priority(), d.effectiveFrom(), d.effectiveTo(), d.condition(),
                d.schedule(), d.roles());
        try {
            RuleSet.of(List.of(r));
        } catch (FeeValidationException e) {
            throw new FeeValidationException(relative(e.field()), e.reason());
        }
        return r;
    }

    private static String relative(String field) {
        return field.startsWith("rules[0].") ? field.substring("rules[0].".length()) : field;
    }

    /** The tie rule against every other active rule's current version. */
    private static void checkTies(DSLContext tx, CommissionRule candidate) {
        List<CommissionRule> others = activeCurrentVersions(tx, candidate.ruleId());
        List<CommissionRule> all = new ArrayList<>(others);
        all.add(candidate);
        try {
            RuleSet.of(all);
        } catch (FeeValidationException e) {
            String mine = "rules[" + others.size() + "]";
            if (e.reason().startsWith("tie")) {
                String other = null;
                for (CommissionRule o : others) {
                    try {
                        RuleSet.of(List.of(o, candidate));
                    } catch (FeeValidationException pair) {
                        other = o.ruleId();
                        break;
                    }
                }
                throw new CommissionRuleException(CommissionRuleException.Code.TIE, "priority", other,
                        "rule '" + candidate.ruleId() + "' would tie with active rule '" + other + "': same priority "
                                + candidate.priority() + ", overlapping effective windows and conditions that are not provably "
                                + "disjoint; give one a different priority or make the conditions exclusive");
            }
            if (e.field().startsWith(mine + ".")) throw new FeeValidationException(e.field().substring(mine.length() + 1), e.reason());
            throw e;
        }
    }

    /** The current version of every active rule. */
    static List<CommissionRule> activeCurrentVersions(DSLContext ctx) {
        return activeCurrentVersions(ctx, null);
    }

    private static List<CommissionRule> activeCurrentVersions(DSLContext ctx, String exceptRuleId) {
        var q = ctx.select(COMMISSION_RULE_VERSION.fields()).from(COMMISSION_RULE).join(COMMISSION_RULE_VERSION)
                .on(COMMISSION_RULE_VERSION.RULE_ID.eq(COMMISSION_RULE.RULE_ID), COMMISSION_RULE_VERSION.VERSION.eq(COMMISSION_RULE.CURRENT_VERSION))
                .where(COMMISSION_RULE.STATUS.eq(ACTIVE))
                .orderBy(COMMISSION_RULE.RULE_ID);
        List<CommissionRule> out = new ArrayList<>();
        for (var r : q.fetchInto(COMMISSION_RULE_VERSION)) {
            if (exceptRuleId != null && CaseFold.equal(r.getRuleId(), exceptRuleId)) continue;
            out.add(toRule(r));
        }
        return out;
    }

    private static CommissionRuleRecord header(DSLContext tx, String ruleId) {
        if (ruleId == null) throw new FeeValidationException("ruleId", "is required");
        CommissionRuleRecord h = tx.selectFrom(COMMISSION_RULE)
                .where(DSL.lower(COMMISSION_RULE.RULE_ID).eq(ruleId.toLowerCase(java.util.Locale.ROOT))).forUpdate().fetchOne();
        if (h == null) throw new CommissionRuleException(CommissionRuleException.Code.NOT_FOUND, "ruleId", null, "no rule '" + ruleId + "'");
        return h;
    }

    private static CommissionRuleVersionRecord currentVersion(DSLContext tx, CommissionRuleRecord h) {
        return tx.selectFrom(COMMISSION_RULE_VERSION)
                .where(COMMISSION_RULE_VERSION.RULE_ID.eq(h.getRuleId()), COMMISSION_RULE_VERSION.VERSION.eq(h.getCurrentVersion())).fetchSingle();
    }

    private static Optional<StoredRule> find(DSLContext ctx, String ruleId) {
        if (ruleId == null) return Optional.empty();
        var r = ctx.select().from(COMMISSION_RULE).join(COMMISSION_RULE_VERSION)
                .on(COMMISSION_RULE_VERSION.RULE_ID.eq(COMMISSION_RULE.RULE_ID), COMMISSION_RULE_VERSION.VERSION.eq(COMMISSION_RULE.CURRENT_VERSION))
                .where(DSL.lower(COMMISSION_RULE.RULE_ID).eq(ruleId.toLowerCase(java.util.Locale.ROOT))).fetchOne();
        return r == null ? Optional.empty() : Optional.of(stored(r.into(COMMISSION_RULE), r.into(COMMISSION_RULE_VERSION)));
    }

    private static StoredRule stored(CommissionRuleRecord h, CommissionRuleVersionRecord v) {
        return new StoredRule(h.getRuleId(), h.getStatus(), toRule(v), instant(v.getUsedAt()), h.getCreatedBy(), instant(h.getCreatedAt()),
                h.getUpdatedBy(), instant(h.getUpdatedAt()));
    }

    private static void insertVersion(DSLContext tx, CommissionRule r, String actor, OffsetDateTime now) {
        tx.insertInto(COMMISSION_RULE_VERSION)
                .set(COMMISSION_RULE_VERSION.RULE_ID, r.ruleId())
                .set(COMMISSION_RULE_VERSION.VERSION, r.version())
                .set(COMMISSION_RULE_VERSION.PRIORITY, r.priority())
                .set(COMMISSION_RULE_VERSION.EFFECTIVE_FROM, r.effectiveFrom().atOffset(ZoneOffset.UTC))
                .set(COMMISSION_RULE_VERSION.EFFECTIVE_TO, r.effectiveTo() == null ? null : r.effectiveTo().atOffset(ZoneOffset.UTC))
                .set(COMMISSION_RULE_VERSION.CONDITION, JSONB.valueOf(RuleJson.condition(r.condition())))
                .set(COMMISSION_RULE_VERSION.SCHEDULE, JSONB.valueOf(RuleJson.schedule(r.schedule())))
                .set(COMMISSION_RULE_VERSION.ROLES, JSONB.valueOf(RuleJson.roles(r.roles())))
                .set(COMMISSION_RULE_VERSION.CREATED_BY, actor)
                .set(COMMISSION_RULE_VERSION.CREATED_AT, now)
                .execute();
    }

    private static void audit(DSLContext tx, String ruleId, Integer version, String action, String actor,
                              Map<String, Object> before, Map<String, Object> after) {
        tx.insertInto(COMMISSION_RULE_AUDIT)
                .set(COMMISSION_RULE_AUDIT.RULE_ID, ruleId)
                .set(COMMISSION_RULE_AUDIT.VERSION, version)
                .set(COMMISSION_RULE_AUDIT.ACTION, action)
                .set(COMMISSION_RULE_AUDIT.ACTOR, actor)
                .set(COMMISSION_RULE_AUDIT.BEFORE, before == null ? null : JSONB.valueOf(RuleJson.write(before)))
                .set(COMMISSION_RULE_AUDIT.AFTER, after == null ? null : JSONB.valueOf(RuleJson.write(after)))
                .execute();
    }

    static CommissionRule toRule(CommissionRuleVersionRecord v) {
        return new CommissionRule(v.getRuleId(), v.getVersion(), v.getPriority(), instant(v.getEffectiveFrom()),
                instant(v.getEffectiveTo()), RuleJson.condition(v.getCondition().data()), RuleJson.schedule(v.getSchedule().data()),
                RuleJson.roles(v.getRoles().data()));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
