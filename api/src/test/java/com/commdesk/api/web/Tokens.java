package com.commdesk.api.web;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;

import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Bearer tokens for controller tests: the JWT the resource server would have decoded (subject, roles,
 * communities) and the authorities SecurityConfiguration derives from it. The controller tests import
 * the real SecurityConfiguration, so the access table and the controllers' tenancy checks both apply.
 */
public final class Tokens {
    /** Set on every @WebMvcTest: tokens here are never decoded, so the issuer is never contacted. */
    public static final String ISSUER = "commdesk.security.issuer-uri=http://issuer.test";

    private Tokens() {}

    public static RequestPostProcessor as(String subject, Role role, String... communities) {
        return jwt().jwt(j -> {
            j.subject(subject).claim("roles", List.of(role.name()));
            if (communities.length > 0) j.claim("communities", List.of(communities));
        }).authorities(new SimpleGrantedAuthority(role.authority()));
    }
}
