package com.commdesk.dev;

import com.commdesk.dev.auth.DevIdentities;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person's browser session on the dashboard without a browser: cookies kept, redirects followed
 * (across the API and the identity provider, as a browser does), logged in through the pages' own OIDC
 * login — the dashboard sends it to the provider's login page, it posts the dev user's password there,
 * and comes back through the authorization code (with PKCE) to the page it asked for.
 */
final class DashboardSession {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

    final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();
    /** The last answer, after its redirects. */
    HttpResponse<String> last;

    /** A fresh session, logged in as {@code user}: the answer is the page the dashboard landed it on. */
    static DashboardSession login(String user) {
        DashboardSession s = new DashboardSession();
        HttpResponse<String> loginPage = s.get("/dashboard");
        if (!loginPage.uri().toString().startsWith(SharedStack.get().issuer())) {
            throw new IllegalStateException("the dashboard did not send a new session to the issuer's login: " + loginPage.uri());
        }
        s.last = s.send(HttpRequest.newBuilder(loginPage.uri()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(SharedStack.form(Map.of("username", user, "password", DevIdentities.DEV_PASSWORD,
                        "_csrf", csrf(loginPage.body()))))));
        return s;
    }

    /** The CSRF token a page's forms carry. */
    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) throw new IllegalStateException("no CSRF token on the page: " + html);
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    HttpResponse<String> get(String path) {
        last = send(HttpRequest.newBuilder(uri(path)).GET());
        return last;
    }

    /** A form post as the page's form sends it: with the CSRF token of the last page (or without, when {@code withCsrf} is false). */
    HttpResponse<String> post(String path, Map<String, String> fields, boolean withCsrf) {
        Map<String, String> all = new java.util.LinkedHashMap<>(fields);
        if (withCsrf) all.put("_csrf", csrf(last.body()));
        last = send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(SharedStack.form(all))));
        return last;
    }

    /** The path (and query) of where the last request ended up. */
    String at() {
        URI u = last.uri();
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private static URI uri(String path) {
        return URI.create(path.startsWith("http") ? path : SharedStack.api(path));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return client.send(b.timeout(Duration.ofSeconds(30)).header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
