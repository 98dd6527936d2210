package com.commdesk.workflows.client;

import java.util.Map;

/**
 * Where Temporal is and how to authenticate. Read from the environment:
 * {@code TEMPORAL_ADDRESS} (host:port), {@code TEMPORAL_NAMESPACE} (default "default"),
 * {@code TEMPORAL_API_KEY} (Temporal Cloud; implies TLS), {@code TEMPORAL_TLS} ("true" for TLS
 * without a key), {@code TEMPORAL_TLS_CERT} and {@code TEMPORAL_TLS_KEY} (mTLS, PEM/PKCS8 paths).
 * The API key is never part of {@link #toString()}.
 */
public record TemporalSettings(String address, String namespace, String apiKey, boolean tls, String tlsCertPath,
                               String tlsKeyPath) {

    public static TemporalSettings fromEnv(Map<String, String> env, String defaultAddress) {
        return fromLookup(env::get, defaultAddress);
    }

    /** The same, reading each variable through {@code lookup} (e.g. Spring's Environment::getProperty). */
    public static TemporalSettings fromLookup(java.util.function.Function<String, String> lookup, String defaultAddress) {
        String address = blankToNull(lookup.apply("TEMPORAL_ADDRESS"));
        String apiKey = blankToNull(lookup.apply("TEMPORAL_API_KEY"));
        String cert = blankToNull(lookup.apply("TEMPORAL_TLS_CERT"));
        String key = blankToNull(lookup.apply("TEMPORAL_TLS_KEY"));
        boolean tls = apiKey != null || cert != null || "true".equalsIgnoreCase(lookup.apply("TEMPORAL_TLS"));
        String namespace = blankToNull(lookup.apply("TEMPORAL_NAMESPACE"));
        return new TemporalSettings(address == null ? defaultAddress : address, namespace == null ? "default" : namespace,
                apiKey, tls, cert, key);
    }

    /** True when the environment names a Temporal server (as opposed to the embedded dev default). */
    public static boolean configured(Map<String, String> env) {
        return blankToNull(env.get("TEMPORAL_ADDRESS")) != null;
    }

    @Override
    public String toString() {
        return "TemporalSettings[address=" + address + ", namespace=" + namespace + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", tls=" + tls + ", mTLS=" + (tlsCertPath != null) + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
