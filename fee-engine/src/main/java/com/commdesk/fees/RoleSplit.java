package com.commdesk.fees;

import java.util.List;

/** One role's share of the net in basis points, and how it is divided among its members. */
public record RoleSplit(String role, int shareBps, MemberSplitMode mode, List<MemberShare> members) {
    public RoleSplit {
        members = Copies.list(members);
    }
}
