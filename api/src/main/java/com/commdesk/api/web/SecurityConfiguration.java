package com.commdesk.api.web;

import static com.commdesk.api.web.Role.COMMUNITY_OWNER;
import static com.commdesk.api.web.Role.FINANCE_APPROVER;
import static com.commdesk.api.web.Role.FINANCE_VIEWER;
import static com.commdesk.api.web.Role.MEMBER;
import static com.commdesk.api.web.Role.OPS;
import static com.commdesk.api.web.Role.PAYMENT_SERVICE;
import static com.commdesk.api.web.Role.PLATFORM_ADMIN;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The API's front door: every endpoint needs a valid bearer token (JWT) from the configured OIDC
 * issuer, except health and the Cashfree webhooks (which are signature-authenticated). Which role may
 * call which endpoint is {@link #RULES}, one table; which community or member a caller may touch is
 * checked by the controller through {@link Caller}. docs/security.md explains both.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /** One line of the access table: method + path pattern → the roles that may call it. */
    public record Rule(HttpMethod method, String pattern, List<Role> roles) {
        static Rule of(HttpMethod method, String pattern, Role... roles) {
            return new Rule(method, pattern, List.of(roles));
        }
    }

    private static final HttpMethod GET = HttpMethod.GET;
    private static final HttpMethod POST = HttpMethod.POST;
    private static final HttpMethod PUT = HttpMethod.PUT;
    private static final Role[] FINANCE = {FINANCE_APPROVER, FINANCE_VIEWER};

    /** The access table, first match wins. Anything not listed is refused (403) to every role. */
    public static final List<Rule> RULES = List.of(
            // payments and refunds
            Rule.of(POST, "/api/v1/payments", PAYMENT_SERVICE),
            Rule.of(GET, "/api/v1/payments/{paymentId}", PAYMENT_SERVICE, OPS, FINANCE_APPROVER, FINANCE_VIEWER, PLATFORM_ADMIN,
                    COMMUNITY_OWNER),
            Rule.of(POST, "/api/v1/payments/{paymentId}/refunds", FINANCE_APPROVER, COMMUNITY_OWNER),
            Rule.of(GET, "/api/v1/refunds/{refundId}", FINANCE_APPROVER, FINANCE_VIEWER, OPS, PLATFORM_ADMIN),
            // commission rules and fee quotes
            Rule.of(GET, "/api/v1/admin/commission-rules/**", PLATFORM_ADMIN, FINANCE_APPROVER, FINANCE_VIEWER),
            Rule.of(GET, "/api/v1/admin/commission-rules", PLATFORM_ADMIN, FINANCE_APPROVER, FINANCE_VIEWER),
            Rule.of(GET, "/api/v1/admin/fee-bounds", PLATFORM_ADMIN, FINANCE_APPROVER, FINANCE_VIEWER),
            Rule.of(GET, "/api/v1/admin/fee-bounds/audit", PLATFORM_ADMIN, FINANCE_APPROVER, FINANCE_VIEWER),
            Rule.of(POST, "/api/v1/admin/**", PLATFORM_ADMIN),
            Rule.of(PUT, "/api/v1/admin/**", PLATFORM_ADMIN),
            Rule.of(POST, "/api/v1/fee-quotes", PLATFORM_ADMIN, FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER, PAYMENT_SERVICE),
            // finance: beneficiaries, payouts, settlements
            Rule.of(PUT, "/api/v1/finance/beneficiaries", COMMUNITY_OWNER, MEMBER),
            Rule.of(GET, "/api/v1/finance/beneficiaries", FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER, MEMBER),
            Rule.of(GET, "/api/v1/finance/payouts/pending", FINANCE),
            Rule.of(GET, "/api/v1/finance/payouts/attention", FINANCE),
            Rule.of(GET, "/api/v1/finance/payouts/late-returns", FINANCE_APPROVER, FINANCE_VIEWER, OPS),
            Rule.of(GET, "/api/v1/finance/distributions/review", FINANCE),
            Rule.of(GET, "/api/v1/finance/payouts/{payoutId}", FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER, MEMBER),
            Rule.of(POST, "/api/v1/finance/payouts/**", FINANCE_APPROVER),
            Rule.of(GET, "/api/v1/finance/refunds/pending", FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER),
            Rule.of(POST, "/api/v1/finance/refunds/{refundId}/approve", FINANCE_APPROVER),
            Rule.of(POST, "/api/v1/finance/refunds/{refundId}/reject", FINANCE_APPROVER),
            Rule.of(POST, "/api/v1/finance/refunds/{refundId}/resolve-mismatch", FINANCE_APPROVER),
            Rule.of(POST, "/api/v1/finance/refunds/{refundId}/resolve-mismatch/withdraw", FINANCE_APPROVER),
            Rule.of(POST, "/api/v1/finance/recipients/flag", FINANCE_APPROVER),
            // Finance's only (docs/security.md): an owner choosing when its members' money leaves was review s12's HIGH.
            Rule.of(POST, "/api/v1/finance/settlements", FINANCE_APPROVER),
            Rule.of(GET, "/api/v1/finance/settlements/{settlementId}", FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER),
            // operations
            Rule.of(GET, "/api/v1/ops/payments", OPS, FINANCE_APPROVER, FINANCE_VIEWER, PLATFORM_ADMIN, COMMUNITY_OWNER),
            Rule.of(POST, "/api/v1/ops/payments/{paymentId}/retry", OPS),
            Rule.of(POST, "/api/v1/ops/payments/{paymentId}/compensate", OPS),
            Rule.of(POST, "/api/v1/ops/payments/{paymentId}/cancel", OPS),
            Rule.of(POST, "/api/v1/ops/payments/{paymentId}/review", OPS),
            Rule.of(GET, "/api/v1/ops/refunds", OPS, FINANCE_APPROVER, FINANCE_VIEWER, PLATFORM_ADMIN),
            Rule.of(POST, "/api/v1/ops/refunds/{refundId}/retry", OPS),
            Rule.of(POST, "/api/v1/ops/refunds/{refundId}/compensate", OPS),
            Rule.of(POST, "/api/v1/ops/blocklist", PLATFORM_ADMIN),
            // reconciliation
            Rule.of(GET, "/api/v1/reconciliation/**", FINANCE),
            Rule.of(POST, "/api/v1/reconciliation/**", FINANCE_APPROVER),
            // ledger, statements, reports
            Rule.of(GET, "/api/v1/ledger/**", FINANCE_APPROVER, FINANCE_VIEWER, PLATFORM_ADMIN, OPS),
            Rule.of(GET, "/api/v1/wallets/{communityId}/members/{userId}/statement", FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER, MEMBER),
            Rule.of(GET, "/api/v1/wallets/{communityId}/statement", FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER),
            Rule.of(GET, "/api/v1/wallets/{communityId}/members/{userId}/distributions", FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER,
                    MEMBER),
            Rule.of(GET, "/api/v1/wallets/{communityId}/distributions", FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER),
            Rule.of(GET, "/api/v1/reports/commission-projections", FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER),
            Rule.of(GET, "/api/v1/reports/distributions", FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER),
            Rule.of(GET, "/api/v1/reports/rule-audit", FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER),
            Rule.of(GET, "/api/v1/reports/**", FINANCE),
            // the dashboard's figures (issue 12): which community or member is AnalyticsAccess's check
            Rule.of(GET, "/api/v1/analytics/me", PLATFORM_ADMIN, FINANCE_APPROVER, FINANCE_VIEWER, OPS, COMMUNITY_OWNER, MEMBER),
            Rule.of(GET, "/api/v1/me/notices", PLATFORM_ADMIN, FINANCE_APPROVER, FINANCE_VIEWER, OPS, COMMUNITY_OWNER, MEMBER),
            Rule.of(GET, "/api/v1/analytics/platform/**", FINANCE_APPROVER, FINANCE_VIEWER, PLATFORM_ADMIN),
            Rule.of(GET, "/api/v1/analytics/communities/{communityId}/members/{userId}/wallet", FINANCE_APPROVER, FINANCE_VIEWER,
                    PLATFORM_ADMIN, COMMUNITY_OWNER, MEMBER),
            Rule.of(GET, "/api/v1/analytics/communities/{communityId}/payouts", FINANCE_APPROVER, FINANCE_VIEWER, PLATFORM_ADMIN,
                    COMMUNITY_OWNER, MEMBER),
            Rule.of(GET, "/api/v1/analytics/communities/**", FINANCE_APPROVER, FINANCE_VIEWER, PLATFORM_ADMIN, COMMUNITY_OWNER),
            Rule.of(GET, "/api/v1/statements/platform/**", FINANCE_APPROVER, FINANCE_VIEWER, PLATFORM_ADMIN),
            Rule.of(GET, "/api/v1/statements/communities/**", FINANCE_APPROVER, FINANCE_VIEWER, COMMUNITY_OWNER),
            // communities (onboarding) and the audit log
            Rule.of(POST, "/api/v1/communities", PLATFORM_ADMIN),
            Rule.of(GET, "/api/v1/communities", PLATFORM_ADMIN, FINANCE_APPROVER, FINANCE_VIEWER, OPS, COMMUNITY_OWNER),
            Rule.of(GET, "/api/v1/communities/**", PLATFORM_ADMIN, FINANCE_APPROVER, FINANCE_VIEWER, OPS, COMMUNITY_OWNER),
            Rule.of(PUT, "/api/v1/communities/**", PLATFORM_ADMIN, COMMUNITY_OWNER),
            Rule.of(POST, "/api/v1/communities/**", PLATFORM_ADMIN, COMMUNITY_OWNER),
            Rule.of(GET, "/api/v1/audit", PLATFORM_ADMIN, FINANCE_APPROVER, FINANCE_VIEWER),
            // the running process
            Rule.of(GET, "/actuator/**", PLATFORM_ADMIN, OPS));

    /** Reachable without a token: health probes, the signed webhooks, the published contract and its UI, errors. */
    public static final List<String> PUBLIC = List.of("/actuator/health", "/actuator/health/**", "/webhooks/cashfree/pg",
            "/webhooks/cashfree/payouts", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui", "/swagger-ui.html", "/swagger-ui/**", "/error");

    @Bean
    SecurityFilterChain api(HttpSecurity http, ProblemResponses problems,
                            @Value("${commdesk.security.issuer-uri:}") String issuer) throws Exception {
        http.authorizeHttpRequests(a -> {
            a.requestMatchers(PUBLIC.toArray(String[]::new)).permitAll();
            for (Rule r : RULES) {
                AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizedUrl url = a.requestMatchers(r.method(), r.pattern());
                url.hasAnyRole(r.roles().stream().map(Role::name).toArray(String[]::new));
            }
            a.anyRequest().denyAll();
        });
        http.oauth2ResourceServer(rs -> rs
                .jwt(jwt -> jwt.jwtAuthenticationConverter(authentication()))
                .authenticationEntryPoint(problems)
                .accessDeniedHandler(problems));
        http.exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        // Bearer tokens, not cookies: no session, and CSRF (a cookie attack) does not apply.
        http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        http.csrf(c -> c.disable());
        http.cors(c -> { }); // the corsConfigurationSource bean below
        // Spring Security's default headers (nosniff, frame DENY, no-cache, HSTS on https) plus a CSP for
        // the pages (Swagger UI): only our own scripts, and token requests only to the issuer.
        headers(http, contentSecurityPolicy(issuer, ""));
        return http.build();
    }

    /**
     * A Content-Security-Policy for the pages this process serves: only our own scripts, token requests
     * only to the issuer, no framing; forms post to ourselves (and to {@code formTargets}, e.g. the
     * issuer's logout endpoint the dashboard's logout redirects to).
     */
    public static String contentSecurityPolicy(String issuer, String formTargets) {
        return "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self' "
                + origin(issuer) + "; frame-ancestors 'none'; form-action 'self'" + (formTargets.isBlank() ? "" : " " + formTargets)
                + "; base-uri 'self'";
    }

    /** Spring Security's default headers plus the policy and no referrer. */
    public static void headers(HttpSecurity http, String policy) throws Exception {
        http.headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(policy))
                .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)));
    }

    /** Roles from the token's {@code roles} claim become ROLE_* authorities; nothing else grants any. */
    static JwtAuthenticationConverter authentication() {
        JwtAuthenticationConverter c = new JwtAuthenticationConverter();
        c.setJwtGrantedAuthoritiesConverter(SecurityConfiguration::authorities);
        return c;
    }

    static Collection<GrantedAuthority> authorities(Jwt jwt) {
        List<GrantedAuthority> out = new ArrayList<>();
        for (Role r : Caller.of(jwt).roles()) out.add(new SimpleGrantedAuthority(r.authority()));
        return out;
    }

    /**
     * Tokens are verified against the issuer's published keys (found through its OIDC discovery document
     * on first use, so the API may start before the issuer answers), and must name that issuer and be
     * within their lifetime (allowing {@code commdesk.security.clock-skew}).
     */
    @Bean
    JwtDecoder jwtDecoder(@Value("${commdesk.security.issuer-uri:}") String issuer,
                          @Value("${commdesk.security.clock-skew:PT30S}") Duration skew) {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalStateException("OIDC_ISSUER_URI is not set: the API accepts only tokens from a configured OIDC issuer");
        }
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer).build();
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(skew), new JwtIssuerValidator(issuer)));
            return decoder;
        });
    }

    /** CORS for the browser origins in {@code commdesk.security.cors.allowed-origins} (comma-separated); none by default. */
    @Bean
    CorsConfigurationSource corsConfigurationSource(
            @Value("${commdesk.security.cors.allowed-origins:${CORS_ALLOWED_ORIGINS:}}") String origins) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        List<String> allowed = Arrays.stream(origins.split(",")).map(String::strip).filter(o -> !o.isEmpty()).toList();
        if (!allowed.isEmpty()) {
            CorsConfiguration c = new CorsConfiguration();
            c.setAllowedOrigins(allowed);
            c.setAllowedMethods(List.of("GET", "POST", "PUT"));
            c.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key"));
            c.setExposedHeaders(List.of("Location", "Retry-After"));
            c.setMaxAge(Duration.ofHours(1));
            source.registerCorsConfiguration("/api/**", c);
        }
        return source;
    }

    public static String origin(String issuer) {
        if (issuer == null || issuer.isBlank()) return "";
        java.net.URI u = java.net.URI.create(issuer);
        return u.getScheme() + "://" + u.getAuthority();
    }
}
