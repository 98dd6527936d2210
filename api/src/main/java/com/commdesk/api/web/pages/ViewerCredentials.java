package com.commdesk.api.web.pages;

import com.commdesk.api.web.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * What a page's API call carries for the person viewing it: the access token their OIDC login obtained
 * (kept in their session), as {@code Authorization: Bearer}. The API checks it like any other caller's,
 * so a page can show and do exactly what that person may. Who the viewer is (for the landing page, the
 * navigation and showing four eyes) is read from the same token, verified by the API's own JwtDecoder.
 */
@Component
public class ViewerCredentials {
    /** A token this close to its expiry is not sent: the person logs in again (silently, while the issuer's session lasts). */
    private static final Duration MARGIN = Duration.ofSeconds(30);

    private final OAuth2AuthorizedClientManager clients;
    private final JwtDecoder tokens;

    public ViewerCredentials(OAuth2AuthorizedClientManager clients, JwtDecoder tokens) {
        this.clients = clients;
        this.tokens = tokens;
    }

    /** The session has no usable access token (expired and not renewable): the page sends the person to log in again. */
    public static final class LoginAgain extends RuntimeException {
        LoginAgain() {
            super("the session's access token has expired");
        }
    }

    public void apply(HttpHeaders headers) {
        headers.setBearerAuth(accessToken().getTokenValue());
    }

    /** The person viewing, from their access token: subject, roles, an owner's communities. */
    public Caller viewer() {
        return Caller.of(tokens.decode(accessToken().getTokenValue()));
    }

    private OAuth2AccessToken accessToken() {
        Authentication person = SecurityContextHolder.getContext().getAuthentication();
        if (!(person instanceof OAuth2AuthenticationToken login)) throw new LoginAgain();
        ServletRequestAttributes attributes = (ServletRequestAttributes) RequestContextHolder.currentRequestAttributes();
        OAuth2AuthorizedClient client;
        try {
            client = clients.authorize(OAuth2AuthorizeRequest
                    .withClientRegistrationId(login.getAuthorizedClientRegistrationId()).principal(person)
                    .attribute(HttpServletRequest.class.getName(), attributes.getRequest())
                    .attribute(HttpServletResponse.class.getName(), attributes.getResponse()).build());
        } catch (OAuth2AuthorizationException e) {
            throw new LoginAgain(); // no tokens in this session any more, or the issuer refused to renew them
        }
        OAuth2AccessToken token = client == null ? null : client.getAccessToken();
        if (token == null || (token.getExpiresAt() != null && token.getExpiresAt().isBefore(Instant.now().plus(MARGIN)))) {
            throw new LoginAgain();
        }
        return token;
    }
}
