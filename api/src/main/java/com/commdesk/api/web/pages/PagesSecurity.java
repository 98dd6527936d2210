package com.commdesk.api.web.pages;

import com.commdesk.api.web.SecurityConfiguration;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

/**
 * The dashboard's pages are for people, so they log in: an OAuth2 / OIDC login (authorization code +
 * PKCE) at the same issuer whose tokens the API accepts — the dev stack's embedded authorization server,
 * or any OIDC provider in production — with a session (cookie {@code COMMDESK_SESSION}) that holds the
 * person's tokens, CSRF on every form, and logout (here and at the issuer). The pages hold no rights of
 * their own: every figure and every action is an API call with the person's access token
 * ({@link ViewerCredentials}), and the API's access table and tenancy checks decide. The API itself
 * stays stateless with bearer tokens (SecurityConfiguration); this chain only covers the pages, their
 * assets and the login endpoints. docs/security.md, "The dashboard's login".
 */
@Configuration(proxyBeanMethods = false)
public class PagesSecurity {
    /** Where a browser starts the login at the issuer. */
    static final String LOGIN = "/oauth2/authorization/" + IssuerClientRegistrations.ID;
    static final String SIGNED_OUT = "/dashboard/signed-out";

    @Bean
    @Order(1)
    SecurityFilterChain pages(HttpSecurity http, ClientRegistrationRepository registrations, OAuth2AuthorizedClientRepository clients,
                              @Value("${commdesk.security.issuer-uri:}") String issuer) throws Exception {
        http.securityMatcher("/dashboard", "/dashboard/**", "/webjars/**", "/oauth2/authorization/**", "/login/oauth2/code/**");
        http.authorizeHttpRequests(a -> a
                .requestMatchers("/dashboard/dashboard.css", "/webjars/**", SIGNED_OUT).permitAll()
                .anyRequest().authenticated());
        http.oauth2Login(o -> o
                .clientRegistrationRepository(registrations)
                .authorizedClientRepository(clients)
                .failureUrl(SIGNED_OUT + "?error"));
        http.exceptionHandling(e -> e.authenticationEntryPoint(entryPoint()));
        OidcClientInitiatedLogoutSuccessHandler atIssuer = new OidcClientInitiatedLogoutSuccessHandler(registrations);
        atIssuer.setPostLogoutRedirectUri("{baseUrl}" + SIGNED_OUT);
        atIssuer.setDefaultTargetUrl(SIGNED_OUT); // an issuer without RP-initiated logout
        http.logout(l -> l.logoutUrl("/dashboard/logout").logoutSuccessHandler(atIssuer).deleteCookies(SESSION_COOKIE));
        // CSRF stays on (Spring Security's default, session-held token): every form of the pages carries it.
        // The logout redirects to the issuer's end-session endpoint, so forms may lead there too.
        SecurityConfiguration.headers(http, SecurityConfiguration.contentSecurityPolicy(issuer, SecurityConfiguration.origin(issuer)));
        return http.build();
    }

    static final String SESSION_COOKIE = "COMMDESK_SESSION";

    /**
     * Not logged in: a page goes to the issuer's login; an htmx request (which cannot follow a redirect to
     * another origin) is told to reload the whole page instead.
     */
    private static AuthenticationEntryPoint entryPoint() {
        LoginUrlAuthenticationEntryPoint login = new LoginUrlAuthenticationEntryPoint(LOGIN);
        return (request, response, e) -> {
            if (request.getHeader("HX-Request") != null) {
                response.setHeader("HX-Refresh", "true");
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                return;
            }
            login.commence(request, response, e);
        };
    }

    @Bean
    ClientRegistrationRepository dashboardClientRegistration(@Value("${commdesk.security.issuer-uri:}") String issuer,
                                                             @Value("${commdesk.dashboard.oidc.client-id:commdesk-dashboard}") String clientId,
                                                             @Value("${commdesk.dashboard.oidc.client-secret:}") String clientSecret) {
        return new IssuerClientRegistrations(issuer, clientId, clientSecret);
    }

    /** A person's tokens live in their session only: they end with it (logout, expiry), and no other process holds them. */
    @Bean
    OAuth2AuthorizedClientRepository dashboardAuthorizedClients() {
        return new HttpSessionOAuth2AuthorizedClientRepository();
    }

    @Bean
    OAuth2AuthorizedClientManager dashboardClientManager(ClientRegistrationRepository registrations, OAuth2AuthorizedClientRepository clients) {
        DefaultOAuth2AuthorizedClientManager m = new DefaultOAuth2AuthorizedClientManager(registrations, clients);
        // A refresh token, when the issuer gives one (to confidential clients), renews an expired access token.
        m.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder().authorizationCode().refreshToken().build());
        return m;
    }
}
