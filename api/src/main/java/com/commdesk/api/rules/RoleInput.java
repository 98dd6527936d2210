package com.commdesk.api.rules;

import com.commdesk.api.web.ApiProblem;

import com.commdesk.fees.FeeTier;
import com.commdesk.fees.MemberShare;
import com.commdesk.fees.MemberSplitMode;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.ShareMethod;
import com.commdesk.fees.TierMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A role of an inline or rule role split as clients send it (docs/rules.md). Defaults: {@code method}
 * PERCENT, {@code mode} EQUAL, {@code fixedPaise} 0, {@code tiers} none, a member's {@code weight} 1 and
 * {@code fixedPaise} 0, a tier's {@code fixedPaise} 0. {@code shareBps} is required for a PERCENT role and
 * defaults to 0 for FIXED and TIERED roles. So the common case is
 * {@code {"role":"owner","shareBps":5000,"members":[{"userId":"u1"}]}} and a tiered one
 * {@code {"role":"event_team","method":"TIERED","tierMode":"MARGINAL","tiers":[{"fromPaise":0,"rateBps":1000},
 * {"fromPaise":10000000,"rateBps":1500}],"members":[…]}}. Everything else is validated by the fee
 * engine (field paths "roles[i]…").
 */
public record RoleInput(String role, ShareMethod method, Integer shareBps, Long fixedPaise, TierMode tierMode,
                        List<TierInput> tiers, MemberSplitMode mode, List<MemberInput> members) {

    public record MemberInput(String userId, Long weight, Long fixedPaise) {}

    /** One band of a TIERED role: from {@code fromPaise} of the net (the first from 0), {@code rateBps}, plus {@code fixedPaise} (default 0). */
    public record TierInput(Long fromPaise, Integer rateBps, Long fixedPaise) {}

    /** The fee engine's RoleSplits; null in, null out. */
    public static List<RoleSplit> toSplits(List<RoleInput> roles, String path) {
        if (roles == null) return null;
        List<RoleSplit> out = new ArrayList<>(roles.size());
        for (int i = 0; i < roles.size(); i++) {
            RoleInput r = roles.get(i);
            String p = path + "[" + i + "]";
            if (r == null) throw ApiProblem.invalid(p, p + " must be an object");
            ShareMethod method = r.method() == null ? ShareMethod.PERCENT : r.method();
            if (method == ShareMethod.PERCENT && r.shareBps() == null) {
                throw ApiProblem.invalid(p + ".shareBps", p + ".shareBps is required for a PERCENT role (basis points, the PERCENT shares total 10000)");
            }
            List<MemberShare> members = null;
            if (r.members() != null) {
                members = new ArrayList<>(r.members().size());
                for (int j = 0; j < r.members().size(); j++) {
                    MemberInput m = r.members().get(j);
                    if (m == null) throw ApiProblem.invalid(p + ".members[" + j + "]", "a member must be an object with a userId");
                    members.add(new MemberShare(m.userId(), m.weight() == null ? 1 : m.weight(), m.fixedPaise() == null ? 0 : m.fixedPaise()));
                }
            }
            List<FeeTier> tiers = new ArrayList<>();
            if (r.tiers() != null) {
                for (int j = 0; j < r.tiers().size(); j++) {
                    TierInput t = r.tiers().get(j);
                    String tp = p + ".tiers[" + j + "]";
                    if (t == null) throw ApiProblem.invalid(tp, tp + " must be an object with fromPaise and rateBps");
                    if (t.fromPaise() == null) throw ApiProblem.invalid(tp + ".fromPaise", tp + ".fromPaise is required (the first band starts at 0)");
                    if (t.rateBps() == null) throw ApiProblem.invalid(tp + ".rateBps", tp + ".rateBps is required");
                    tiers.add(new FeeTier(t.fromPaise(), t.rateBps(), t.fixedPaise() == null ? 0 : t.fixedPaise()));
                }
            }
            out.add(new RoleSplit(r.role(), r.shareBps() == null ? 0 : r.shareBps(), r.mode() == null ? MemberSplitMode.EQUAL : r.mode(),
                    members, method, r.fixedPaise() == null ? 0 : r.fixedPaise(), tiers, r.tierMode()));
        }
        return out;
    }
}
