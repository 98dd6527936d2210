package com.commdesk.api.web;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cashfree's webhook signature: Base64(HMAC-SHA256(key = client secret, data = x-webhook-timestamp
 * + raw body)), compared in constant time, with the timestamp (epoch millis) no more than
 * {@link #MAX_SKEW} from our clock. The SDK's own verifier uses the platform charset, a plain
 * equals and no freshness check, so we do it ourselves (FACTS.md).
 */
public final class WebhookSignatures {
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    /** Largest webhook body read; Cashfree's are a few kilobytes. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WebhookSignatures.class);

    private final byte[] secret;
    private final Clock clock;
    private final io.micrometer.core.instrument.MeterRegistry metrics;

    public WebhookSignatures(String secret, Clock clock, io.micrometer.core.instrument.MeterRegistry metrics) {
        if (secret == null || secret.isBlank()) throw new IllegalArgumentException("the webhook secret is not configured");
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.metrics = metrics;
    }

    /** A delivery that is not authentic or not fresh: answered 401, nothing read or written. */
    public static final class Rejected extends RuntimeException {
        public Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The one way a webhook gets in, for every Cashfree endpoint: bounded size, signature and freshness
     * checked, then parsed. Refusals are counted in {@code commdesk.webhooks.rejected{source}} and logged
     * (reason only, never the secret or the body).
     */
    public tools.jackson.databind.JsonNode readVerified(String source, String signature, String timestamp, byte[] body,
                                                        tools.jackson.databind.ObjectMapper json) {
        byte[] raw = body == null ? new byte[0] : body;
        if (raw.length > MAX_BODY_BYTES) throw ApiProblem.invalid(null, "webhook body larger than " + MAX_BODY_BYTES + " bytes");
        String why = reject(signature, timestamp, raw);
        if (why != null) {
            metrics.counter("commdesk.webhooks.rejected", "source", source).increment();
            log.warn("rejected a Cashfree {} webhook: {}", source, why);
            throw new Rejected(why);
        }
        try {
            return json.readTree(raw);
        } catch (RuntimeException e) {
            throw ApiProblem.invalid(null, "webhook body is not JSON");
        }
    }

    /** A stable event id from the fields that identify an event, for deliveries that carry none. */
    public static String eventId(String... parts) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(String.join("|", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null if the delivery is authentic and fresh, else why not (never containing the secret). */
    public String reject(String signature, String timestamp, byte[] rawBody) {
        if (signature == null || signature.isBlank() || timestamp == null || timestamp.isBlank()) {
            return "missing x-webhook-signature or x-webhook-timestamp";
        }
        long sentMillis;
        try {
            sentMillis = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return "x-webhook-timestamp is not epoch milliseconds";
        }
        if (Math.abs(clock.millis() - sentMillis) > MAX_SKEW.toMillis()) {
            return "stale x-webhook-timestamp (more than " + MAX_SKEW.toMinutes() + " minutes from now)";
        }
        byte[] expected = Base64.getEncoder().encode(hmac(timestamp.trim().getBytes(StandardCharsets.UTF_8), rawBody));
        return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8)) ? null : "signature mismatch";
    }

    private byte[] hmac(byte[] timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(timestamp);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
