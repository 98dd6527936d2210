package com.commdesk.cashfree.sim;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cashfree's webhook signature: {@code Base64(HmacSHA256(key = client secret, data = x-webhook-timestamp + raw body))}.
 * Every string is taken as UTF-8 bytes (the SDK's own verifier uses the platform charset, which differs
 * for non-ASCII bodies on a non-UTF-8 platform; Cashfree signs UTF-8).
 */
public final class CashfreeSignatures {

    private CashfreeSignatures() {
    }

    /**
     * @param secret    the merchant's client secret (the HMAC key)
     * @param timestamp the exact {@code x-webhook-timestamp} header value (epoch millis as a string)
     * @param rawBody   the exact body bytes sent, as a string
     * @return the {@code x-webhook-signature} header value
     */
    public static String sign(String secret, String timestamp, String rawBody) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(rawBody, "rawBody");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + rawBody).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // HmacSHA256 is mandatory on every JDK; a non-empty key is always valid.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
