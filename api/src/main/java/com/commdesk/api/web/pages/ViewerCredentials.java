package com.commdesk.api.web.pages;

import org.springframework.http.HttpHeaders;

/**
 * What a page's API call carries for the person viewing it. With OIDC login (issue 11) this is the
 * viewer's access token from their session ({@code Authorization: Bearer …}); the API checks it like
 * any other caller's.
 */
public interface ViewerCredentials {
    void apply(HttpHeaders headers);
}
