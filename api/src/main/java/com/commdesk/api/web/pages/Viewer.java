package com.commdesk.api.web.pages;

import com.commdesk.api.web.Caller;
import com.commdesk.api.web.Role;
import java.util.List;

/**
 * The person viewing a page, as the templates need it: who (for four eyes), which roles (what the
 * navigation offers, which forms a page shows) and an owner's communities. Showing or hiding is only
 * convenience: every action is an API call the API authorises again.
 */
public record Viewer(String subject, boolean admin, boolean finance, boolean approver, boolean ops, boolean owner, boolean member,
                     List<String> communities) {
    static Viewer of(Caller c) {
        return new Viewer(c.subject(), c.has(Role.PLATFORM_ADMIN), c.has(Role.FINANCE_APPROVER) || c.has(Role.FINANCE_VIEWER),
                c.has(Role.FINANCE_APPROVER), c.has(Role.OPS), c.has(Role.COMMUNITY_OWNER), c.has(Role.MEMBER),
                c.communities().stream().sorted().toList());
    }

    /** Four eyes in the page: the same person regardless of letter case, as the API and the workflow compare. */
    public boolean isMe(String otherSubject) {
        return otherSubject != null && subject.equalsIgnoreCase(otherSubject);
    }

    /** Sees platform-wide analytics (the API allows finance and the platform admin). */
    public boolean platform() {
        return admin || finance;
    }
}
