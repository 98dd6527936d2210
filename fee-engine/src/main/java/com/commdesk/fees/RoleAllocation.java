package com.commdesk.fees;

import java.util.List;

/** What one role receives, in paise, and how it was divided among its members (summing exactly to it). */
public record RoleAllocation(String role, int shareBps, long amountPaise, List<MemberAllocation> members) {
    public RoleAllocation {
        members = members == null ? null : List.copyOf(members);
    }
}
