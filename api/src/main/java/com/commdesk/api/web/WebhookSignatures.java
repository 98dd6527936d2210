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
 * Cashfree's webhook signature: Base64(HMAC-SHA256(key = the product's secret, data =
 * x-webhook-timestamp + raw body)), compared in constant time. The SDK's own verifier uses the
 * platform charset, a plain equals and no freshness check, so we do it ourselves (FACTS.md).
 *
 * <p>Freshness: Cashfree retries a failed delivery (PG's default policy after 2, 10 and 30 minutes;
 * Payouts on a schedule it does not publish) and does not document whether a retry carries a new
 * {@code x-webhook-timestamp} (its reference calls it the time the webhook was generated). So a
 * signed timestamp up to {@link #MAX_AGE} old is accepted, and at most {@link #MAX_SKEW} in the
 * future. Replaying an authentic delivery gains nothing: every event is recorded once by its event id
 * (docs/cashfree.md, "Webhook retries").
 */
public final class WebhookSignatures {
    /** How far in the future a signed timestamp may be (clock skew). */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /** How old a signed timestamp may be: covers every retry policy Cashfree offers (up to 10 retries). */
    public static final Duration MAX_AGE = Duration.ofHours(24);

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
            io.micrometer.core.instrument.Counter.builder("commdesk.webhooks.rejected").tag("source", source)
                    .description("Webhook deliveries refused: unsigned, forged or stale").register(metrics).increment();
            log.warn("rejected a Cashfree {} webhook: {}", source, why);
            throw new Rejected(why);
        }
        try {
            return json.readTree(raw);
        } catch (RuntimeException e) {
            throw ApiProblem.invalid(null, "webhook body is not JSON");
        }
    }

    /**
     * The event id of a delivery that carries no {@code x-idempotency-key} (PG webhooks at API version
     * 2023-08-01, and Payouts): the event's own entity id and status by type, never null parts; a type we
     * do not know is identified by its whole body. A retry of the same event gets the same id; two
     * different events never share one.
     */
    public static String eventIdOf(tools.jackson.databind.JsonNode root, byte[] rawBody) {
        String type = root.path("type").asText("");
        tools.jackson.databind.JsonNode d = root.path("data");
        String[] entity = switch (type.startsWith("TRANSFER_") ? "TRANSFER" : type.split("_")[0]) {
            case "PAYMENT" -> new String[] {d.path("payment").path("cf_payment_id").asText(""), d.path("payment").path("payment_status").asText("")};
            case "REFUND" -> new String[] {d.path("refund").path("cf_refund_id").asText(d.path("refund").path("refund_id").asText("")),
                    d.path("refund").path("refund_status").asText("")};
            case "SETTLEMENT" -> new String[] {d.path("settlement").path("cf_settlement_id").asText(""), d.path("settlement").path("status").asText("")};
            case "DISPUTE" -> new String[] {d.path("dispute").path("dispute_id").asText(""), d.path("dispute").path("dispute_status").asText(""),
                    d.path("dispute").path("updated_at").asText("")};
            case "TRANSFER" -> new String[] {d.path("transfer_id").asText(""), d.path("status").asText(""), d.path("status_code").asText("")};
            default -> new String[] {""};
        };
        if (entity[0].isEmpty()) return eventId(type, "body", HexFormatHolder.sha256(rawBody));
        String[] parts = new String[entity.length + 1];
        parts[0] = type;
        System.arraycopy(entity, 0, parts, 1, entity.length);
        return eventId(parts);
    }

    private static final class HexFormatHolder {
        static String sha256(byte[] raw) {
            try {
                return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A stable event id from the fields that identify an event. */
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
        long age = clock.millis() - sentMillis;
        if (age > MAX_AGE.toMillis()) return "stale x-webhook-timestamp (more than " + MAX_AGE.toHours() + " hours old)";
        if (-age > MAX_SKEW.toMillis()) return "x-webhook-timestamp more than " + MAX_SKEW.toMinutes() + " minutes in the future";
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
