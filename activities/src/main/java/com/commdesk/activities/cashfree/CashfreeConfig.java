package com.commdesk.activities.cashfree;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach Cashfree's Payment Gateway.
 *
 * @param clientId        {@code x-client-id}
 * @param clientSecret    {@code x-client-secret}; never printed ({@link #toString()} redacts it)
 * @param environment     SANDBOX or PRODUCTION (selects the SDK's hard-coded base URL)
 * @param baseUrlOverride {@code null} in production; otherwise an {@code http(s)://host:port[/prefix]} that
 *                        replaces Cashfree's scheme/host/port (e.g. the local simulator). Cashfree's
 *                        {@code /pg/...} path is kept, after the prefix.
 * @param apiVersion      {@code x-api-version}, default {@value #DEFAULT_API_VERSION}
 * @param timeout         the longest one call may take (also the read and write timeout)
 */
public record CashfreeConfig(String clientId, String clientSecret, Environment environment, String baseUrlOverride,
                             String apiVersion, Duration timeout) {

    /** Cashfree's two environments. */
    public enum Environment {
        SANDBOX,
        PRODUCTION
    }

    /** The version whose shapes cashfree_pg 4.0.7 models. */
    public static final String DEFAULT_API_VERSION = "2023-08-01";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    public CashfreeConfig {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("Cashfree client id is missing");
        }
        if (clientSecret == null || clientSecret.isBlank()) {
            throw new IllegalArgumentException("Cashfree client secret is missing");
        }
        Objects.requireNonNull(environment, "environment");
        apiVersion = apiVersion == null || apiVersion.isBlank() ? DEFAULT_API_VERSION : apiVersion.trim();
        if (!VERSION.matcher(apiVersion).matches()) {
            throw new IllegalArgumentException("Cashfree API version must look like YYYY-MM-DD, was '" + apiVersion + "'");
        }
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("Cashfree timeout must be > 0 and <= " + MAX_TIMEOUT + ", was " + timeout);
        }
        baseUrlOverride = baseUrlOverride == null || baseUrlOverride.isBlank() ? null : baseUrlOverride.trim();
        if (baseUrlOverride != null) {
            validateOverride(baseUrlOverride, environment);
        }
    }

    /** Sandbox, default API version and timeout, no override. */
    public static CashfreeConfig sandbox(String clientId, String clientSecret) {
        return new CashfreeConfig(clientId, clientSecret, Environment.SANDBOX, null, null, null);
    }

    /**
     * Reads {@code CASHFREE_CLIENT_ID}, {@code CASHFREE_CLIENT_SECRET} (both required),
     * {@code CASHFREE_ENV} ({@code sandbox}|{@code production}, default sandbox),
     * {@code CASHFREE_BASE_URL} (optional override), and optionally {@code CASHFREE_API_VERSION} and
     * {@code CASHFREE_TIMEOUT_MS}. Error messages name variables, never their secret values.
     */
    public static CashfreeConfig fromEnv(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        String id = env.get("CASHFREE_CLIENT_ID");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("CASHFREE_CLIENT_ID is not set");
        }
        String secret = env.get("CASHFREE_CLIENT_SECRET");
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("CASHFREE_CLIENT_SECRET is not set");
        }
        String envName = env.getOrDefault("CASHFREE_ENV", "sandbox").trim().toLowerCase(Locale.ROOT);
        Environment environment = switch (envName) {
            case "", "sandbox" -> Environment.SANDBOX;
            case "production", "prod" -> Environment.PRODUCTION;
            default -> throw new IllegalArgumentException("CASHFREE_ENV must be sandbox or production, was '" + envName + "'");
        };
        Duration timeout = null;
        String timeoutMs = env.get("CASHFREE_TIMEOUT_MS");
        if (timeoutMs != null && !timeoutMs.isBlank()) {
            try {
                timeout = Duration.ofMillis(Long.parseLong(timeoutMs.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CASHFREE_TIMEOUT_MS must be a number of milliseconds, was '" + timeoutMs + "'");
            }
        }
        return new CashfreeConfig(id.trim(), secret.trim(), environment, env.get("CASHFREE_BASE_URL"),
                env.get("CASHFREE_API_VERSION"), timeout);
    }

    /** The same configuration pointed at another base URL (e.g. a simulator). */
    public CashfreeConfig withBaseUrlOverride(String newBaseUrl) {
        return new CashfreeConfig(clientId, clientSecret, environment, newBaseUrl, apiVersion, timeout);
    }

    public CashfreeConfig withTimeout(Duration newTimeout) {
        return new CashfreeConfig(clientId, clientSecret, environment, baseUrlOverride, apiVersion, newTimeout);
    }

    private static void validateOverride(String url, Environment environment) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("CASHFREE_BASE_URL is not a URL: '" + url + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("Cashfree base URL override must be http(s), was '" + url + "'");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("Cashfree base URL override must be scheme://host[:port][/prefix], was '" + url + "'");
        }
        // Production credentials must not travel in clear text off this machine.
        if (environment == Environment.PRODUCTION && scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("refusing plain-http base URL override with PRODUCTION credentials: '" + url + "'");
        }
    }

    private static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
            return false; // a name: do not resolve it here
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Redacts the secret. */
    @Override
    public String toString() {
        return "CashfreeConfig[clientId=" + clientId + ", clientSecret=<redacted>, environment=" + environment
                + ", baseUrlOverride=" + baseUrlOverride + ", apiVersion=" + apiVersion + ", timeout=" + timeout + "]";
    }
}
