package com.commdesk.api;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * The one place the admin APIs (commission rules, platform fee bounds) learn who makes a change; it is
 * stored in their audit trails. Today that is the {@code X-Actor} header, trusted as sent: there is no
 * authentication yet, so these APIs must only be reachable by operators. When authentication arrives,
 * this method returns the authenticated principal (and refuses callers without the platform-admin
 * role) and no controller changes.
 */
@Component
public class AdminActor {
    static final String HEADER = "X-Actor";

    /** Who makes this change: 1..128 characters, else a 400 naming the header. */
    public String require(HttpServletRequest request) {
        String actor = request.getHeader(HEADER);
        if (actor == null || actor.isBlank() || actor.length() > 128) {
            throw ApiProblem.invalid(HEADER, "the X-Actor header (who makes the change, 1-128 characters) is required on writes");
        }
        return actor.strip();
    }
}
