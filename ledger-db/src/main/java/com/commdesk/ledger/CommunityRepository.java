package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.COMMUNITY;
import static com.commdesk.ledger.jooq.Tables.COMMUNITY_MEMBER;
import static com.commdesk.ledger.jooq.Tables.COMMUNITY_ROLE;

import com.commdesk.fees.MemberShare;
import com.commdesk.fees.MemberSplitMode;
import com.commdesk.fees.RoleSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Reads communities with their roles and members, in listing order (which decides rounding ties). The
 * roles are those of the split agreement in force at the given time (docs/communities.md); a community
 * without any agreement falls back to the legacy role tables (changeset 001).
 */
public final class CommunityRepository {
    private final DSLContext dsl;

    public CommunityRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The onboarding store on the same connection pool (split agreements, payment ↔ agreement version). */
    public com.commdesk.ledger.community.CommunityOnboarding onboarding() {
        return new com.commdesk.ledger.community.CommunityOnboarding(dsl);
    }

    public boolean exists(String communityId) {
        return dsl.fetchExists(COMMUNITY, COMMUNITY.COMMUNITY_ID.eq(communityId));
    }

    /** As in force now. */
    public Optional<CommunityConfig> find(String communityId) {
        return find(communityId, java.time.Instant.now());
    }

    /** With the split agreement in force at {@code at} (a payment's time). */
    public Optional<CommunityConfig> find(String communityId, java.time.Instant at) {
        var c = dsl.selectFrom(COMMUNITY).where(COMMUNITY.COMMUNITY_ID.eq(communityId)).fetchOptional();
        if (c.isEmpty()) return Optional.empty();
        var row = c.get();
        var agreement = onboarding().agreementAt(communityId, at);
        if (agreement.isPresent()) {
            return Optional.of(config(row, agreement.get().roles(), agreement.get().version()));
        }
        var members = dsl.selectFrom(COMMUNITY_MEMBER).where(COMMUNITY_MEMBER.COMMUNITY_ID.eq(communityId))
                .orderBy(COMMUNITY_MEMBER.ROLE, COMMUNITY_MEMBER.POSITION).fetch();
        List<RoleSplit> roles = new ArrayList<>();
        for (var r : dsl.selectFrom(COMMUNITY_ROLE).where(COMMUNITY_ROLE.COMMUNITY_ID.eq(communityId))
                .orderBy(COMMUNITY_ROLE.POSITION).fetch()) {
            List<MemberShare> shares = members.stream().filter(m -> m.getRole().equals(r.getRole()))
                    .map(m -> new MemberShare(m.getUserId(), m.getWeight(), m.getFixedPaise())).toList();
            roles.add(new RoleSplit(r.getRole(), r.getShareBps(), MemberSplitMode.valueOf(r.getSplitMode()), shares));
        }
        return Optional.of(config(row, roles, null));
    }

    private static CommunityConfig config(com.commdesk.ledger.jooq.tables.records.CommunityRecord row, List<RoleSplit> roles, Integer version) {
        return new CommunityConfig(row.getCommunityId(), row.getName(), row.getTier(), row.getSupplierState(), row.getHoldDays(),
                row.getPayoutPolicy(), row.getMinPayoutPaise(), roles, version, row.getPanStatus(), row.getFraudMaxPaymentPaise(),
                row.getFraudVelocityFloor(), row.getFraudVelocityMultiplier());
    }
}
