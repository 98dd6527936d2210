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

/** Reads communities with their roles and members, in listing order (which decides rounding ties). */
public final class CommunityRepository {
    private final DSLContext dsl;

    public CommunityRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public boolean exists(String communityId) {
        return dsl.fetchExists(COMMUNITY, COMMUNITY.COMMUNITY_ID.eq(communityId));
    }

    public Optional<CommunityConfig> find(String communityId) {
        var c = dsl.selectFrom(COMMUNITY).where(COMMUNITY.COMMUNITY_ID.eq(communityId)).fetchOptional();
        if (c.isEmpty()) return Optional.empty();
        var members = dsl.selectFrom(COMMUNITY_MEMBER).where(COMMUNITY_MEMBER.COMMUNITY_ID.eq(communityId))
                .orderBy(COMMUNITY_MEMBER.ROLE, COMMUNITY_MEMBER.POSITION).fetch();
        List<RoleSplit> roles = new ArrayList<>();
        for (var r : dsl.selectFrom(COMMUNITY_ROLE).where(COMMUNITY_ROLE.COMMUNITY_ID.eq(communityId))
                .orderBy(COMMUNITY_ROLE.POSITION).fetch()) {
            List<MemberShare> shares = members.stream().filter(m -> m.getRole().equals(r.getRole()))
                    .map(m -> new MemberShare(m.getUserId(), m.getWeight(), m.getFixedPaise())).toList();
            roles.add(new RoleSplit(r.getRole(), r.getShareBps(), MemberSplitMode.valueOf(r.getSplitMode()), shares));
        }
        var row = c.get();
        return Optional.of(new CommunityConfig(row.getCommunityId(), row.getName(), row.getTier(), row.getSupplierState(),
                row.getHoldDays(), row.getPayoutPolicy(), row.getMinPayoutPaise(), roles));
    }
}
