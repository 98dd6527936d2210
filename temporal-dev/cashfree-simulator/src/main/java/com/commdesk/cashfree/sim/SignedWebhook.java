package com.commdesk.cashfree.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A webhook ready to send: the exact body and the headers Cashfree would put on it.
 *
 * @param type      the event type, e.g. {@code PAYMENT_SUCCESS_WEBHOOK}
 * @param rawBody   the exact JSON body (signed as UTF-8 bytes)
 * @param timestamp {@code x-webhook-timestamp}: epoch millis as a string
 * @param signature {@code x-webhook-signature}: {@link CashfreeSignatures#sign(String, String, String)}
 * @param version   {@code x-webhook-version}, e.g. {@code 2023-08-01}
 */
public record SignedWebhook(String type, String rawBody, String timestamp, String signature, String version) {

    public SignedWebhook {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(rawBody, "rawBody");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(version, "version");
    }

    /** The headers as sent on the first attempt (besides Content-Length). */
    public Map<String, String> headers() {
        return headers(1);
    }

    /**
     * The headers of delivery attempt {@code attempt}: a retry keeps the original timestamp and signature
     * (Cashfree does not document that it re-signs a retry; the simulator assumes it does not) and counts up
     * {@code x-webhook-attempt}. A Payouts V1 webhook ({@code version} "v1") is form-encoded and carries its
     * signature in the body instead.
     */
    public Map<String, String> headers(int attempt) {
        Map<String, String> h = new LinkedHashMap<>();
        if ("v1".equals(version)) {
            h.put("content-type", "application/x-www-form-urlencoded");
            return h;
        }
        h.put("content-type", "application/json");
        h.put("x-webhook-signature", signature);
        h.put("x-webhook-timestamp", timestamp);
        h.put("x-webhook-version", version);
        h.put("x-webhook-attempt", Integer.toString(attempt));
        return h;
    }

    /** The same webhook with another body but the old signature (for tamper tests). */
    public SignedWebhook withRawBody(String tamperedBody) {
        return new SignedWebhook(type, tamperedBody, timestamp, signature, version);
    }
}
