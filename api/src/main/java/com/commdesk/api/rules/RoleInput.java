package com.commdesk.api.rules;

import com.commdesk.api.web.ApiProblem;

import com.commdesk.fees.MemberShare;
import com.commdesk.fees.MemberSplitMode;
import com.commdesk.fees.RoleSplit;
import java.util.ArrayList;
import java.util.List;

/**
 * A role of an inline or rule role split as clients send it: {@code mode} defaults to EQUAL, a
 * member's {@code weight} to 1 and {@code fixedPaise} to 0, so the common case is
 * {@code {"role":"owner","shareBps":5000,"members":[{"userId":"u1"}]}}. {@code shareBps} is required.
 * Everything else is validated by the fee engine (field paths "roles[i]…").
 */
public record RoleInput(String role, Integer shareBps, MemberSplitMode mode, List<MemberInput> members) {

    public record MemberInput(String userId, Long weight, Long fixedPaise) {}

    /** The fee engine's RoleSplits; null in, null out. */
    public static List<RoleSplit> toSplits(List<RoleInput> roles, String path) {
        if (roles == null) return null;
        List<RoleSplit> out = new ArrayList<>(roles.size());
        for (int i = 0; i < roles.size(); i++) {
            RoleInput r = roles.get(i);
            String p = path + "[" + i + "]";
            if (r == null) throw ApiProblem.invalid(p, p + " must be an object");
            if (r.shareBps() == null) throw ApiProblem.invalid(p + ".shareBps", p + ".shareBps is required (basis points, the shares total 10000)");
            List<MemberShare> members = null;
            if (r.members() != null) {
                members = new ArrayList<>(r.members().size());
                for (int j = 0; j < r.members().size(); j++) {
                    MemberInput m = r.members().get(j);
                    if (m == null) throw ApiProblem.invalid(p + ".members[" + j + "]", "a member must be an object with a userId");
                    members.add(new MemberShare(m.userId(), m.weight() == null ? 1 : m.weight(), m.fixedPaise() == null ? 0 : m.fixedPaise()));
                }
            }
            out.add(new RoleSplit(r.role(), r.shareBps(), r.mode() == null ? MemberSplitMode.EQUAL : r.mode(), members));
        }
        return out;
    }
}
