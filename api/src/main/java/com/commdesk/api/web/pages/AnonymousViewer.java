package com.commdesk.api.web.pages;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Before the API authenticates callers (issue 11 is not on this branch yet) a page's call carries no
 * credentials, exactly like every other client of this API today; replaced by the session's token.
 */
@Component
class AnonymousViewer implements ViewerCredentials {
    @Override
    public void apply(HttpHeaders headers) {
        // nothing to add until identity comes from a token
    }
}
