package com.commdesk.ledger.analytics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Revenue split analytics: what each role and member of a community was credited in a period, from
 * the rollup of {@code revenue_distribution} ({@code analytics_share_delta}, changelog 070), net of
 * reversed payments. Refunds are not member shares: they are in {@link RevenueFigures#refundMembersPaise()}.
 */
public final class ShareAnalytics {
    private final DSLContext dsl;

    public ShareAnalytics(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record MemberShare(String userId, long shares, long amountPaise) {}

    public record RoleShare(String role, long amountPaise, List<MemberShare> members) {}

    /** Roles by amount (largest first), each with its members by amount. */
    public List<RoleShare> split(String communityId, Period period) {
        Map<String, List<MemberShare>> byRole = new LinkedHashMap<>();
        Map<String, Long> roleTotals = new LinkedHashMap<>();
        dsl.fetch("""
                select role, user_id, coalesce(sum(shares), 0)::bigint, coalesce(sum(amount_paise), 0)::bigint,
                       sum(sum(amount_paise)) over (partition by role) as role_total
                  from analytics_share_delta where community_id = ? and day between ? and ?
                 group by role, user_id
                 order by role_total desc, role, 4 desc, user_id
                """, communityId, period.from(), period.to())
                .forEach(r -> {
                    String role = r.get(0, String.class);
                    long amount = r.get(3, Long.class);
                    byRole.computeIfAbsent(role, k -> new ArrayList<>()).add(new MemberShare(r.get(1, String.class), r.get(2, Long.class), amount));
                    roleTotals.merge(role, amount, Math::addExact);
                });
        List<RoleShare> out = new ArrayList<>();
        byRole.forEach((role, members) -> out.add(new RoleShare(role, roleTotals.get(role), List.copyOf(members))));
        return out;
    }
}
