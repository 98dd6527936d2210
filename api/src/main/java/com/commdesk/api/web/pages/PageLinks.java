package com.commdesk.api.web.pages;

import org.springframework.stereotype.Component;

/**
 * Links from a page to the API's own documents (a figure's rows, a statement's CSV or PDF, a report),
 * through the pages' session: {@code /api/v1/x} becomes {@code /dashboard/api/v1/x}, which
 * {@link ApiPassThrough} answers with the viewer's own API call. Used in templates as {@code ${@links.api(href)}}.
 */
@Component("links")
public class PageLinks {
    public String api(String href) {
        if (href == null || !href.startsWith("/api/")) throw new IllegalArgumentException("not an API link: " + href);
        return "/dashboard" + href;
    }
}
