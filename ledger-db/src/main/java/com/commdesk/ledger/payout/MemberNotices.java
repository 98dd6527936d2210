package com.commdesk.ledger.payout;

import static com.commdesk.ledger.jooq.Tables.MEMBER_NOTICE;

import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.DSLContext;

/**
 * What the platform tells a member about its own money: today, each account that became its current payout account
 * (changeset 129: the database writes them, from payout_beneficiary's own trigger; this only reads them).
 */
public final class MemberNotices {
    /** Bound on one page. */
    public static final int MAX_PAGE = 200;

    private final DSLContext dsl;

    public MemberNotices(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * @param kind         {@code PAYOUT_ACCOUNT_SET} (its first) or {@code PAYOUT_ACCOUNT_CHANGED}
     * @param accountHint  the account by a hint only (last 4 digits and IFSC; a UPI id's first 2 characters and handle)
     * @param setBy        who set it (the member itself, or its community's owner)
     * @param payableFrom  when payouts may go to it (null: at once, the member's own first account)
     */
    public record Notice(long noticeId, OffsetDateTime createdAt, String communityId, String role, String kind,
                         String beneficiaryId, String accountHint, String setBy, OffsetDateTime payableFrom) {}

    /** {@code userId}'s notices, newest first; those older than {@code beforeNoticeId} when given. */
    public List<Notice> of(String userId, Long beforeNoticeId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        var n = MEMBER_NOTICE;
        return dsl.selectFrom(n)
                .where(n.USER_ID.eq(userId), beforeNoticeId == null ? org.jooq.impl.DSL.noCondition() : n.NOTICE_ID.lt(beforeNoticeId))
                .orderBy(n.NOTICE_ID.desc()).limit(limit)
                .fetch(r -> new Notice(r.getNoticeId(), r.getCreatedAt(), r.getCommunityId(), r.getRole(), r.getKind(),
                        r.getBeneficiaryId(), r.getAccountHint(), r.getSetBy(), r.getPayableFrom()));
    }
}
