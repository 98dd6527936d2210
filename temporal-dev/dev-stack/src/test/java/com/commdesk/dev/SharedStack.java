package com.commdesk.dev;

import com.commdesk.dev.auth.DevIdentities;
import com.commdesk.ledger.testing.TestDatabases;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.ObjectMapper;

/**
 * One dev stack for all end-to-end tests in this JVM (starting one takes seconds): PostgreSQL from
 * TestDatabases (a fresh database of this test run), the in-process Temporal server, the Cashfree
 * simulator and the embedded authorization server on free ports. Everything is reached over HTTP, as
 * a client would, with real tokens from the embedded authorization server:
 *
 * <ul>
 *   <li>{@link #token(String)}: a token for a role (PAYMENT_SERVICE through client_credentials, any
 *       other through the login page: authorization code + PKCE as the dev user holding that role);</li>
 *   <li>{@link #userToken(String)}: a token for one dev user (e.g. "approver2" for four eyes);</li>
 *   <li>{@link #get(String)} / {@link #post(String, String, String)}: with the token of the role that
 *       normally calls that path ({@link #defaultRole}); {@link #send} with any token or none.</li>
 * </ul>
 */
final class SharedStack {
    private static DevStack stack;
    private static com.commdesk.ledger.LedgerDatabase db;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, CachedToken> TOKENS = new ConcurrentHashMap<>();
    /** Redirect URI registered for the dashboard client (loopback: any port is accepted, RFC 8252). */
    static final String REDIRECT_URI = "http://127.0.0.1/login/oauth2/code/commdesk";

    static final String RATE_LIMITED_CLIENT = "rate-limited-client";
    static final String ALLOWED_ORIGIN = "http://dashboard.commdesk.test";

    private record CachedToken(String value, Instant fetched) {}

    private SharedStack() {}

    static synchronized DevStack get() {
        if (stack == null) {
            // A payout whose transfer outcome stays unknown needs finance after 30 s here (24 h by default; polled every
            // 5 s, not every minute; "does not exist" believed after 10 s, not 10 minutes), so the dashboard's resolve
            // action can be driven (DashboardActionsBrowserTest). An order claimed before it is paid awaits its payment after
            // 5 s of the verify step's asking, not 10 minutes (WebhookAndOperationsTest).
            stack = startIsolated(Map.of("commdesk.payouts.attention-after", "PT30S", "commdesk.payouts.poll-interval", "PT5S",
                    "commdesk.payouts.resend-grace", "PT10S", "commdesk.payments.unpaid-order-wait", "PT5S"));
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
        }
        return stack;
    }

    /**
     * A stack of its own (its own fresh database, Temporal and simulator), for tests that must not share
     * state with the others, e.g. because they corrupt the books on purpose. {@code settings} are added to
     * the test defaults ("commdesk.*" pass through to the apps). The caller closes it.
     */
    static DevStack startIsolated(Map<String, String> settings) {
        // Every simulated payment has the same customer: raise the velocity limit so only the
        // fraud tests (which use the blocklist) are flagged.
        // COMMDESK_TEST_TEMPORAL=cli runs every end-to-end test on the real Temporal server (the CLI's dev
        // server, fresh state); the default is Temporal's Java test server, which needs nothing but a JDK.
        // The apps connect as the runtime role; migrations (already applied to the template) run as the owner.
        TestDatabases.Urls urls = TestDatabases.freshUrls();
        Map<String, String> env = new java.util.HashMap<>(Map.of("DATABASE_URL", urls.runtime(), "DATABASE_MIGRATION_URL", urls.owner(),
                "commdesk.fraud.max-per-customer", "100000",
                "COMMDESK_TEMPORAL", System.getenv().getOrDefault("COMMDESK_TEST_TEMPORAL", "test-server"),
                // RequestLimitsTest: one client with a tiny rate limit, one browser origin allowed.
                "commdesk.api.rate-limit.clients." + RATE_LIMITED_CLIENT, "5",
                "commdesk.security.cors.allowed-origins", ALLOWED_ORIGIN));
        System.getenv().forEach((k, v) -> {
            if (k.equals("PATH") || k.equals("COMMDESK_TEMPORAL_CLI")) env.put(k, v);
        });
        env.putAll(settings);
        DevStack started = DevStack.start(new DevStack.Options("127.0.0.1", 0, 0, DevStack.freePort(), DevStack.freePort(), 0, 0, env));
        OWNER_URLS.put(started, urls.owner());
        return started;
    }

    private static final Map<DevStack, String> OWNER_URLS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A pool on a stack's database as the migration owner, for what only a bug or someone with the owner's
     * password could do (a test that damages the books on purpose). The caller closes it.
     */
    static com.commdesk.ledger.LedgerDatabase owner(DevStack stack) {
        String url = OWNER_URLS.get(stack);
        if (url == null) throw new IllegalArgumentException("not a stack from SharedStack");
        return com.commdesk.ledger.LedgerDatabase.open(url, null, null, 1);
    }

    /** A small pool on the stack's database, for tests that check what was written. */
    static synchronized com.commdesk.ledger.LedgerDatabase db() {
        if (db == null) {
            db = com.commdesk.ledger.LedgerDatabase.open(get().databaseUrl(), null, null, 2);
            com.commdesk.ledger.LedgerDatabase pool = db;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pool.close();
                } catch (Exception ignored) {
                    // the JVM is ending
                }
            }));
        }
        return db;
    }

    /** A single number from SQL on the stack's database. */
    static long count(String sql, Object... binds) {
        return ((Number) db().dsl().fetchValue(sql, binds)).longValue();
    }

    static String api(String path) {
        return "http://127.0.0.1:" + get().apiPort() + path;
    }

    // ---- tokens from the embedded authorization server ------------------------------------------

    /** An access token carrying {@code role}: PAYMENT_SERVICE by client_credentials, a person's role by logging in. */
    static String token(String role) {
        if (DevIdentities.APP_CLIENT_ROLES.contains(role)) return cached("client:" + role, SharedStack::clientCredentialsToken);
        String user = DevIdentities.USERS.stream().filter(u -> u.roles().contains(role)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no dev user has role " + role)).username();
        return userToken(user);
    }

    /** An access token for dev user {@code username}, by the authorization code flow with PKCE through the login page. */
    static String userToken(String username) {
        return cached("user:" + username, () -> loginToken(username));
    }

    private static String cached(String key, java.util.function.Supplier<String> fetch) {
        CachedToken t = TOKENS.get(key);
        // Tokens live 15 minutes; take a fresh one well before that.
        if (t == null || t.fetched().isBefore(Instant.now().minus(Duration.ofMinutes(10)))) {
            t = new CachedToken(fetch.get(), Instant.now());
            TOKENS.put(key, t);
        }
        return t.value();
    }

    /**
     * A token signed by the embedded server's own key for any subject, roles and communities, valid from
     * {@code issuedAt} for {@code ttl}: for tests that need a named actor ("alice" vs "Alice"), an owner of
     * a community created in the test, or an expired token. Roles' real flows are {@link #token(String)}.
     */
    static String mintedToken(String subject, java.util.List<String> roles, java.util.List<String> communities, Instant issuedAt,
                              Duration ttl) {
        return mintedToken(get(), subject, roles, communities, issuedAt, ttl);
    }

    /** As {@link #mintedToken(String, java.util.List, java.util.List, Instant, Duration)}, by {@code stack}'s own server (an isolated stack). */
    static String mintedToken(DevStack stack, String subject, java.util.List<String> roles, java.util.List<String> communities,
                              Instant issuedAt, Duration ttl) {
        @SuppressWarnings("unchecked")
        com.nimbusds.jose.jwk.source.JWKSource<com.nimbusds.jose.proc.SecurityContext> keys =
                stack.authServer().getBean(com.nimbusds.jose.jwk.source.JWKSource.class);
        var claims = org.springframework.security.oauth2.jwt.JwtClaimsSet.builder().issuer(stack.issuer()).subject(subject)
                .issuedAt(issuedAt).notBefore(issuedAt).expiresAt(issuedAt.plus(ttl)).claim("roles", roles);
        if (!communities.isEmpty()) claims.claim("communities", communities);
        var header = org.springframework.security.oauth2.jwt.JwsHeader.with(
                org.springframework.security.oauth2.jose.jws.SignatureAlgorithm.RS256).build();
        return new org.springframework.security.oauth2.jwt.NimbusJwtEncoder(keys)
                .encode(org.springframework.security.oauth2.jwt.JwtEncoderParameters.from(header, claims.build())).getTokenValue();
    }

    /** A valid token for a named actor in the role that normally calls {@code path} (see {@link #defaultRole}). */
    static String actorToken(String actor, String method, String path) {
        return cached("actor:" + actor + ":" + defaultRole(method, path), () -> mintedToken(actor,
                java.util.List.of(defaultRole(method, path)), java.util.List.of(), Instant.now(), Duration.ofMinutes(15)));
    }

    private static String clientCredentialsToken() {
        String basic = Base64.getEncoder().encodeToString((DevIdentities.APP_CLIENT_ID + ":" + DevIdentities.APP_CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = send(HTTP, HttpRequest.newBuilder(URI.create(get().issuer() + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        return accessToken(r);
    }

    private static String loginToken(String username) {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String issuer = get().issuer();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge;
        try {
            challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String authorize = issuer + "/oauth2/authorize?" + form(Map.of("response_type", "code", "client_id",
                DevIdentities.DASHBOARD_CLIENT_ID, "redirect_uri", REDIRECT_URI, "scope", "openid", "state", "s1",
                "code_challenge", challenge, "code_challenge_method", "S256"));
        // 1. Not logged in: the authorization endpoint sends a browser to the login page.
        HttpResponse<String> r = send(browser, page(authorize).GET().build());
        String login = location(r, issuer);
        // 2. The login page carries the CSRF token its form must send back.
        r = send(browser, page(login).GET().build());
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(r.body());
        if (!csrf.find()) throw new IllegalStateException("no CSRF token on the login page: " + r.body());
        r = send(browser, page(login).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers
                .ofString(form(Map.of("username", username, "password", DevIdentities.DEV_PASSWORD, "_csrf", csrf.group(1))))).build());
        // 3. Logged in: back to the authorization endpoint, which redirects to the client with a code.
        String next = location(r, issuer);
        if (next.contains("error")) throw new IllegalStateException("login as " + username + " failed: " + next);
        r = send(browser, page(next).GET().build());
        String callback = location(r, issuer);
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(callback);
        if (!callback.startsWith(REDIRECT_URI) || !code.find()) throw new IllegalStateException("no code in " + callback);
        // 4. The code and the PKCE verifier buy the token.
        r = send(HTTP, HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code",
                        java.net.URLDecoder.decode(code.group(1), StandardCharsets.UTF_8), "redirect_uri", REDIRECT_URI, "client_id", DevIdentities.DASHBOARD_CLIENT_ID,
                        "code_verifier", verifier)))).build());
        return accessToken(r);
    }

    private static HttpRequest.Builder page(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).header("Accept", "text/html");
    }

    private static String location(HttpResponse<String> r, String base) {
        String to = r.headers().firstValue("Location").orElseThrow(() ->
                new IllegalStateException("expected a redirect, got " + r.statusCode() + ": " + r.body()));
        return to.startsWith("/") ? base + to : to;
    }

    private static String accessToken(HttpResponse<String> r) {
        if (r.statusCode() != 200) throw new IllegalStateException("token request answered " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    // ---- requests --------------------------------------------------------------------------------

    /**
     * The role that normally calls {@code path} with {@code method}, for tests that are about something
     * else than access (the access matrix tests every role explicitly).
     */
    static String defaultRole(String method, String path) {
        boolean read = "GET".equals(method);
        if (path.startsWith("/api/v1/payments") && !path.contains("/refunds")) return "PAYMENT_SERVICE";
        if (path.startsWith("/api/v1/payments")) return "FINANCE_APPROVER";
        if (path.startsWith("/api/v1/admin") || path.startsWith("/api/v1/fee-quotes") || path.startsWith("/api/v1/communities")
                || path.startsWith("/api/v1/ops/blocklist")) {
            return "PLATFORM_ADMIN";
        }
        if (path.startsWith("/api/v1/ops") || path.startsWith("/actuator")) return "OPS";
        if (path.startsWith("/api/v1/finance/beneficiaries")) return "COMMUNITY_OWNER";
        return read ? "FINANCE_VIEWER" : "FINANCE_APPROVER";
    }

    static HttpResponse<String> post(String path, String idempotencyKey, String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (idempotencyKey != null) headers.put("Idempotency-Key", idempotencyKey);
        return send(token(defaultRole("POST", path)), "POST", path, "application/json", json, headers);
    }

    static HttpResponse<String> get(String path) {
        return send(token(defaultRole("GET", path)), "GET", path, null, null, Map.of());
    }

    /** GET with this token (null: none). */
    static HttpResponse<String> get(String path, String token) {
        return send(token, "GET", path, null, null, Map.of());
    }

    /** Any request; {@code token} null sends none, {@code body} null sends no body. */
    static HttpResponse<String> send(String token, String method, String path, String contentType, String body,
                                     Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api(path))).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (contentType != null) b.header("Content-Type", contentType);
        headers.forEach(b::header);
        return send(HTTP, b.build());
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
