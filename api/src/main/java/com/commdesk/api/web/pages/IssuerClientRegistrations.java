package com.commdesk.api.web.pages;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/**
 * The dashboard's one OIDC client registration ({@value #ID}), built from the issuer's discovery
 * document on first use rather than at start-up, so the API starts before its issuer answers (as the
 * resource server's JwtDecoder does). A public client (no secret: the dev stack's commdesk-dashboard) or a
 * confidential one (a secret from the provider); authorization code with PKCE either way.
 */
final class IssuerClientRegistrations implements ClientRegistrationRepository {
    static final String ID = "commdesk";

    private final String issuer;
    private final String clientId;
    private final String clientSecret;
    private volatile ClientRegistration registration;

    IssuerClientRegistrations(String issuer, String clientId, String clientSecret) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.clientSecret = clientSecret == null ? "" : clientSecret;
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        if (!ID.equals(registrationId)) return null;
        ClientRegistration r = registration;
        if (r == null) {
            synchronized (this) {
                if (registration == null) registration = discover();
                r = registration;
            }
        }
        return r;
    }

    private ClientRegistration discover() {
        boolean confidential = !clientSecret.isBlank();
        return ClientRegistrations.fromIssuerLocation(issuer)
                .registrationId(ID)
                .clientId(clientId)
                .clientSecret(confidential ? clientSecret : null)
                .clientAuthenticationMethod(confidential ? ClientAuthenticationMethod.CLIENT_SECRET_BASIC : ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .scope("openid")
                .clientSettings(ClientRegistration.ClientSettings.builder().requireProofKey(true).build())
                .build();
    }
}
