package com.commdesk.dev.auth;

import com.commdesk.dev.auth.DevIdentities.DevUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.beans.factory.annotation.Value;

/**
 * The dev stack's OAuth2 / OpenID Connect provider: Spring Authorization Server (through Spring Boot's
 * starter) with the users and clients of {@link DevIdentities}. Spring Boot's defaults supply the
 * protocol endpoints (/oauth2/token, /oauth2/authorize, /oauth2/jwks, OIDC discovery), the login page and
 * a signing key generated at start (so tokens die with the process). Access tokens carry {@code roles}
 * and, for community owners, {@code communities}. Never deployed: production points OIDC_ISSUER_URI at
 * a real provider.
 */
@SpringBootApplication(excludeName = {
        // it shares the dev stack's classpath: no database, and it is not a resource server itself
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration"})
public class DevAuthServer {
    /** Settings ClientSettings carries for a client_credentials client: the roles its tokens get. */
    static final String CLIENT_ROLES_SETTING = "commdesk.roles";

    /** Starts the provider at {@code issuer} (http://host:port), listening on that host and port. */
    public static ConfigurableApplicationContext start(String host, int port, Duration accessTokenTtl) {
        return start(host, port, accessTokenTtl, List.of());
    }

    /**
     * As {@link #start(String, int, Duration)}; the dashboard client may also be sent back to
     * {@code postLogoutRedirectUris} after logging out here (OIDC RP-initiated logout compares them exactly,
     * port included, so the dev stack names its dashboard's).
     */
    public static ConfigurableApplicationContext start(String host, int port, Duration accessTokenTtl, List<String> postLogoutRedirectUris) {
        String issuer = "http://" + host + ":" + port;
        return new SpringApplicationBuilder(DevAuthServer.class)
                .properties("spring.config.name=commdesk-auth", "spring.application.name=commdesk-dev-auth",
                        "server.address=" + host, "server.port=" + port, "commdesk.auth.issuer=" + issuer,
                        "commdesk.auth.access-token-ttl=" + accessTokenTtl,
                        "commdesk.auth.post-logout-redirect-uris=" + String.join(",", postLogoutRedirectUris), "springdoc.api-docs.enabled=false",
                        "springdoc.swagger-ui.enabled=false", "management.endpoints.web.exposure.include=health",
                        "spring.main.banner-mode=off")
                .registerShutdownHook(false)
                .run();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(@Value("${commdesk.auth.issuer}") String issuer) {
        return AuthorizationServerSettings.builder().issuer(issuer).build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService users(PasswordEncoder encoder) {
        String hash = encoder.encode(DevIdentities.DEV_PASSWORD);
        List<org.springframework.security.core.userdetails.UserDetails> users = new ArrayList<>();
        for (DevUser u : DevIdentities.USERS) {
            users.add(User.withUsername(u.username()).password(hash).roles(u.roles().toArray(String[]::new)).build());
        }
        return new InMemoryUserDetailsManager(users);
    }

    /** A client_credentials client (a service, not a person) whose tokens carry exactly {@code roles}. */
    private static RegisteredClient machineClient(PasswordEncoder encoder, TokenSettings tokens, String clientId, String secret,
                                                  List<String> roles) {
        return RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(clientId)
                .clientSecret(encoder.encode(secret))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .clientSettings(ClientSettings.builder().setting(CLIENT_ROLES_SETTING, roles).build())
                .tokenSettings(tokens)
                .build();
    }

    @Bean
    RegisteredClientRepository clients(PasswordEncoder encoder, @Value("${commdesk.auth.access-token-ttl}") Duration ttl,
                                       @Value("${commdesk.auth.post-logout-redirect-uris:}") List<String> postLogout) {
        TokenSettings tokens = TokenSettings.builder().accessTokenTimeToLive(ttl).build();
        RegisteredClient app = machineClient(encoder, tokens, DevIdentities.APP_CLIENT_ID, DevIdentities.APP_CLIENT_SECRET,
                DevIdentities.APP_CLIENT_ROLES);
        RegisteredClient prometheus = machineClient(encoder, tokens, DevIdentities.PROMETHEUS_CLIENT_ID,
                DevIdentities.PROMETHEUS_CLIENT_SECRET, DevIdentities.PROMETHEUS_CLIENT_ROLES);
        // Loopback redirect URIs: the port may differ (RFC 8252), so the dashboard and Swagger UI work on any API port.
        RegisteredClient dashboard = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(DevIdentities.DASHBOARD_CLIENT_ID)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUri("http://127.0.0.1/login/oauth2/code/commdesk")
                .redirectUri("http://127.0.0.1/swagger-ui/oauth2-redirect.html")
                .postLogoutRedirectUris(uris -> uris.addAll(postLogout.stream().filter(u -> !u.isBlank()).toList()))
                .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE)
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .tokenSettings(tokens)
                .build();
        return new InMemoryRegisteredClientRepository(app, prometheus, dashboard);
    }

    /** Access tokens say who (sub), what roles, and which communities an owner owns. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> roleClaims() {
        return context -> {
            if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) return;
            if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
                Object roles = context.getRegisteredClient().getClientSettings().getSetting(CLIENT_ROLES_SETTING);
                context.getClaims().claim("roles", roles == null ? List.of() : roles);
                return;
            }
            DevIdentities.user(context.getPrincipal().getName()).ifPresent(u -> {
                context.getClaims().claim("roles", u.roles());
                if (!u.communities().isEmpty()) context.getClaims().claim("communities", u.communities());
            });
        };
    }
}
