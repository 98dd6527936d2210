package com.commdesk.ledger.audit;

import static com.commdesk.ledger.jooq.Tables.AUDIT_LOG;

import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The append-only audit log of writes made through the API (changeset 050; the database refuses
 * UPDATE, DELETE and TRUNCATE). Entries are read newest first.
 */
public final class AuditLog {
    public static final int MAX_PAGE = 500;

    private final DSLContext dsl;

    public AuditLog(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * One write: who, in which role, what, on what, with what outcome, and digests of before / request / after.
     * {@code answeredAt}: when the API answered, for an entry it kept on disk while the database was away and stored later
     * (changeset 133); null otherwise.
     */
    public record Entry(Long auditId, OffsetDateTime occurredAt, String actor, String actorRole, String action, String target,
                        int httpStatus, String requestId, String beforeDigest, String requestDigest, String afterDigest,
                        OffsetDateTime answeredAt) {}

    /**
     * Appends {@code e} under {@code key} (the API's, never a caller's): once, however often it is asked (an append whose
     * answer was lost, then replayed from disk). Returns whether it was stored now.
     */
    public boolean append(Entry e, java.util.UUID key) {
        return dsl.insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.ENTRY_KEY, java.util.Objects.requireNonNull(key, "key"))
                .set(AUDIT_LOG.ANSWERED_AT, e.answeredAt())
                .set(AUDIT_LOG.ACTOR, e.actor())
                .set(AUDIT_LOG.ACTOR_ROLE, e.actorRole())
                .set(AUDIT_LOG.ACTION, cut(e.action(), 300))
                .set(AUDIT_LOG.TARGET, cut(e.target(), 2000))
                .set(AUDIT_LOG.HTTP_STATUS, e.httpStatus())
                .set(AUDIT_LOG.REQUEST_ID, e.requestId())
                .set(AUDIT_LOG.BEFORE_DIGEST, e.beforeDigest())
                .set(AUDIT_LOG.REQUEST_DIGEST, e.requestDigest())
                .set(AUDIT_LOG.AFTER_DIGEST, e.afterDigest())
                .onConflict(AUDIT_LOG.ENTRY_KEY).where(AUDIT_LOG.ENTRY_KEY.isNotNull()).doNothing()
                .execute() == 1;
    }

    /**
     * Newest first; {@code actor} matches case-insensitively, {@code targetPrefix} the start of the target
     * path, {@code beforeId} pages (entries older than that id). Null filters match everything.
     */
    public List<Entry> list(String actor, String targetPrefix, Long beforeId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        Condition where = DSL.noCondition();
        if (actor != null) where = where.and(DSL.lower(AUDIT_LOG.ACTOR).eq(actor.toLowerCase(java.util.Locale.ROOT)));
        if (targetPrefix != null) where = where.and(AUDIT_LOG.TARGET.startsWith(targetPrefix));
        if (beforeId != null) where = where.and(AUDIT_LOG.AUDIT_ID.lt(beforeId));
        return dsl.selectFrom(AUDIT_LOG).where(where).orderBy(AUDIT_LOG.AUDIT_ID.desc()).limit(limit)
                .fetch(r -> new Entry(r.getAuditId(), r.getOccurredAt(), r.getActor(), r.getActorRole(), r.getAction(), r.getTarget(),
                        r.getHttpStatus(), r.getRequestId(), r.getBeforeDigest(), r.getRequestDigest(), r.getAfterDigest(),
                        r.getAnsweredAt()));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
