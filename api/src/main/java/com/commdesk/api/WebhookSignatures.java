package com.commdesk.api;

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

    private final byte[] secret;
    private final Clock clock;

    public WebhookSignatures(String secret, Clock clock) {
        if (secret == null || secret.isBlank()) throw new IllegalArgumentException("the webhook secret is not configured");
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
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
