package com.commdesk.api.analytics;

import org.springframework.stereotype.Component;

/**
 * The API's access rule before authentication exists on this branch: like every other endpoint of
 * the API today, analytics are readable by anyone who reaches it. Replaced when the OAuth2 resource
 * server (issue 11) lands: the same three questions answered from the caller's token.
 */
@Component
class OpenAnalyticsAccess implements AnalyticsAccess {
    @Override
    public String community(String communityId) {
        return communityId;
    }

    @Override
    public void member(String communityId, String userId) {
        // everyone may, until identity comes from a token
    }

    @Override
    public void platform() {
        // everyone may, until identity comes from a token
    }
}
