package com.commdesk.ledger.rules;

import static com.commdesk.ledger.jooq.Tables.PLATFORM_FEE_BOUNDS;
import static com.commdesk.ledger.jooq.Tables.PLATFORM_FEE_BOUNDS_AUDIT;

import com.commdesk.fees.FeeBounds;
import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeValidationException;
import com.commdesk.fees.rules.CommissionRule;
import com.commdesk.ledger.jooq.tables.records.PlatformFeeBoundsRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/**
 * The platform-wide fee bounds (docs/rules.md): one row, read by every rule save and every quote,
 * changed only by {@link #update} — which a platform admin reaches through the admin API — with an
 * audit row per change (who, when, before and after).
 *
 * <p>An update takes the same transaction-scoped lock as rule writes and refuses bounds that would
 * leave the current version of an active rule (or a schedule the caller names, such as the default
 * preset a quote falls back to) outside them: the active rules are always within the bounds, so a
 * payment priced by a rule is priced within the policy of the moment the rule was saved and still.
 */
public final class FeeBoundsRepository {

    /** The bounds with their revision (1 = as the changelog created them; +1 per change). */
    public record Stored(FeeBounds bounds, long revision, String updatedBy, Instant updatedAt) {}

    /** One change: who, when, the bounds before and after. */
    public record AuditEntry(long revision, String actor, Instant changedAt, FeeBounds before, FeeBounds after) {}

    /** An update would leave active rules (or a named schedule) outside the new bounds. */
    public static final class OutsideBoundsException extends RuntimeException {
        private final String field;
        private final List<String> ruleIds;

        OutsideBoundsException(String field, List<String> ruleIds, String message) {
            super(message);
            this.field = field;
            this.ruleIds = List.copyOf(ruleIds);
        }

        /** The bound that excludes them: minPlatformFeeBps, maxPlatformFeeBps or maxPlatformFixedPaise. */
        public String field() { return field; }

        /** The active rules outside the new bounds (and "default:<name>" for a named schedule). */
        public List<String> ruleIds() { return ruleIds; }
    }

    private final DSLContext dsl;

    public FeeBoundsRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Stored current() {
        return read(dsl);
    }

    static Stored read(DSLContext ctx) {
        PlatformFeeBoundsRecord r = ctx.selectFrom(PLATFORM_FEE_BOUNDS).fetchSingle();
        return new Stored(bounds(r), r.getRevision(), r.getUpdatedBy(), r.getUpdatedAt().toInstant());
    }

    /**
     * Replaces the bounds.
     *
     * @param otherSchedules schedules that must stay within the bounds besides the active rules, by name
     *                       (the API passes its default preset: a quote falls back to it)
     * @throws FeeValidationException naming "minPlatformFeeBps", "maxPlatformFeeBps", "maxPlatformFixedPaise" or "actor"
     * @throws OutsideBoundsException when an active rule or a named schedule would be outside the new bounds
     */
    public Stored update(FeeBounds next, String actor, Map<String, FeeSchedule> otherSchedules) {
        if (next == null) throw new FeeValidationException("bounds", "is required");
        next.validate();
        if (actor == null || actor.isBlank() || actor.length() > 128) {
            throw new FeeValidationException("actor", "who makes the change is required (1..128 characters)");
        }
        return dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            CommissionRuleRepository.lock(tx);
            Stored before = read(tx);
            List<String> outside = new ArrayList<>();
            String field = null;
            for (CommissionRule r : CommissionRuleRepository.activeCurrentVersions(tx)) {
                String f = violation(next, r.schedule());
                if (f != null) {
                    outside.add(r.ruleId());
                    if (field == null) field = f;
                }
            }
            for (Map.Entry<String, FeeSchedule> e : (otherSchedules == null ? Map.<String, FeeSchedule>of() : otherSchedules).entrySet()) {
                String f = violation(next, e.getValue());
                if (f != null) {
                    outside.add("default:" + e.getKey());
                    if (field == null) field = f;
                }
            }
            if (!outside.isEmpty()) {
                throw new OutsideBoundsException(field, outside, "the bounds " + next.minPlatformFeeBps() + ".." + next.maxPlatformFeeBps()
                        + " bps (fixed at most " + next.maxPlatformFixedPaise() + " paise) would leave " + outside
                        + " outside them; change or deactivate those rules first");
            }
            long revision = before.revision() + 1;
            OffsetDateTime now = tx.select(DSL.currentOffsetDateTime()).fetchOne(0, OffsetDateTime.class);
            // the audit row first: the database accepts the new row only with it (042)
            tx.insertInto(PLATFORM_FEE_BOUNDS_AUDIT)
                    .set(PLATFORM_FEE_BOUNDS_AUDIT.REVISION, revision)
                    .set(PLATFORM_FEE_BOUNDS_AUDIT.ACTOR, actor)
                    .set(PLATFORM_FEE_BOUNDS_AUDIT.CHANGED_AT, now)
                    .set(PLATFORM_FEE_BOUNDS_AUDIT.BEFORE, JSONB.valueOf(RuleJson.write(tree(before.bounds()))))
                    .set(PLATFORM_FEE_BOUNDS_AUDIT.AFTER, JSONB.valueOf(RuleJson.write(tree(next))))
                    .execute();
            tx.update(PLATFORM_FEE_BOUNDS)
                    .set(PLATFORM_FEE_BOUNDS.MIN_PLATFORM_FEE_BPS, next.minPlatformFeeBps())
                    .set(PLATFORM_FEE_BOUNDS.MAX_PLATFORM_FEE_BPS, next.maxPlatformFeeBps())
                    .set(PLATFORM_FEE_BOUNDS.MAX_PLATFORM_FIXED_PAISE, next.maxPlatformFixedPaise())
                    .set(PLATFORM_FEE_BOUNDS.REVISION, revision)
                    .set(PLATFORM_FEE_BOUNDS.UPDATED_BY, actor)
                    .set(PLATFORM_FEE_BOUNDS.UPDATED_AT, now)
                    .execute();
            return read(tx);
        });
    }

    /** Every change, oldest first. */
    public List<AuditEntry> history() {
        List<AuditEntry> out = new ArrayList<>();
        for (var a : dsl.selectFrom(PLATFORM_FEE_BOUNDS_AUDIT).orderBy(PLATFORM_FEE_BOUNDS_AUDIT.REVISION).fetch()) {
            out.add(new AuditEntry(a.getRevision(), a.getActor(), a.getChangedAt().toInstant(),
                    fromTree(RuleJson.readTree(a.getBefore().data())), fromTree(RuleJson.readTree(a.getAfter().data()))));
        }
        return out;
    }

    /** The bound a schedule violates ("minPlatformFeeBps", "maxPlatformFeeBps", "maxPlatformFixedPaise"), or null. */
    private static String violation(FeeBounds b, FeeSchedule s) {
        if (b.admits(s)) return null;
        if (new FeeBounds(0, b.maxPlatformFeeBps(), b.maxPlatformFixedPaise()).admits(s)) return "minPlatformFeeBps";
        if (new FeeBounds(0, 10_000, b.maxPlatformFixedPaise()).admits(s)) return "maxPlatformFeeBps";
        return "maxPlatformFixedPaise";
    }

    private static FeeBounds bounds(PlatformFeeBoundsRecord r) {
        return new FeeBounds(r.getMinPlatformFeeBps(), r.getMaxPlatformFeeBps(), r.getMaxPlatformFixedPaise());
    }

    private static Map<String, Object> tree(FeeBounds b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("minPlatformFeeBps", b.minPlatformFeeBps());
        m.put("maxPlatformFeeBps", b.maxPlatformFeeBps());
        m.put("maxPlatformFixedPaise", b.maxPlatformFixedPaise());
        return m;
    }

    private static FeeBounds fromTree(Map<String, Object> m) {
        return new FeeBounds(((Number) m.get("minPlatformFeeBps")).intValue(), ((Number) m.get("maxPlatformFeeBps")).intValue(),
                ((Number) m.get("maxPlatformFixedPaise")).longValue());
    }
}
