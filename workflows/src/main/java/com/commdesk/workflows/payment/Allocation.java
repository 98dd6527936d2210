package com.commdesk.workflows.payment;

import com.commdesk.fees.RoleAllocation;
import java.util.List;

/** Net revenue split across roles, then members; sums exactly to the net. */
public record Allocation(List<RoleAllocation> shares) {
    public Allocation {
        shares = List.copyOf(shares);
    }
}
