package com.commdesk.api.analytics;

import com.commdesk.api.web.Caller;
import com.commdesk.api.web.Role;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;

/**
 * Who may read which figures, asked by every analytics, statement and report endpoint before it reads
 * or validates anything: a community's figures (its owner, or a platform-wide role the access table let
 * through), a member's own wallet and payouts (the member itself, an owner of its community, or a
 * platform-wide role), the platform's figures (finance and the platform admin). The answer comes from
 * the caller's verified token ({@link Caller}); a refusal is a 403 that names nothing of the other
 * tenant. Which roles reach an endpoint at all is SecurityConfiguration.RULES; this is the tenancy half.
 */
@Component
public class AnalyticsAccess {
    /** Roles that see platform-wide figures. */
    static final Set<Role> PLATFORM = EnumSet.of(Role.PLATFORM_ADMIN, Role.FINANCE_APPROVER, Role.FINANCE_VIEWER);

    /** Returns the community id, valid, when the caller may read that community's figures. */
    public String community(String communityId) {
        Caller.current().requireCommunity(communityId);
        return PeriodParams.id("communityId", communityId);
    }

    /** The member itself, an owner of its community, or a platform-wide role. */
    public void member(String communityId, String userId) {
        Caller.current().requireMemberOrCommunity(communityId, userId);
        PeriodParams.id("communityId", communityId);
        PeriodParams.id("userId", userId);
    }

    /** Platform-wide figures: finance and the platform admin only. */
    public void platform() {
        if (Caller.current().roles().stream().noneMatch(PLATFORM::contains)) {
            throw new AccessDeniedException("platform-wide figures are for finance and platform admins");
        }
    }
}
