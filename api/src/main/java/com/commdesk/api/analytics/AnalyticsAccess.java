package com.commdesk.api.analytics;

/**
 * Who may read which figures, asked by every analytics, statement and report endpoint before it
 * reads anything: a community's figures, a member's own wallet, the platform's figures. Each method
 * returns normally or throws (403). The implementation is the API's authentication (issue 11);
 * {@link com.commdesk.api.analytics.OpenAnalyticsAccess} is what the API had before it: every caller may read.
 */
public interface AnalyticsAccess {
    /** Returns the community id when the caller may read that community's figures. */
    String community(String communityId);

    /** The member itself, an owner of its community, or a platform-wide role. */
    void member(String communityId, String userId);

    /** Platform-wide figures: finance and platform roles only. */
    void platform();
}
