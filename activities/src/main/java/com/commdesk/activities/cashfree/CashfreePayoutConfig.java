package com.commdesk.activities.cashfree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach Cashfree Payouts. Cashfree issues Payouts its own API keys (Payouts dashboard >
 * Developers > API Keys), apart from the Payment Gateway's, and production Payouts calls need a
 * second factor: a whitelisted egress IP, or an {@code X-Cf-Signature} made with Cashfree's public
 * key ({@link PayoutSignature}). docs/cashfree.md.
 *
 * @param clientId        the Payouts {@code x-client-id}
 * @param clientSecret    the Payouts {@code x-client-secret}; never printed
 * @param environment     SANDBOX or PRODUCTION (selects Cashfree's host)
 * @param baseUrlOverride {@code null} in production; e.g. the simulator's base URL
 * @param timeout         the longest one call may take
 * @param twoFactor       how the second factor is given
 * @param publicKey       Cashfree's Payouts 2FA public key when {@code twoFactor} is SIGNATURE, else null; never printed
 */
public record CashfreePayoutConfig(String clientId, String clientSecret, CashfreeConfig.Environment environment,
                                   String baseUrlOverride, Duration timeout, TwoFactor twoFactor, PublicKey publicKey) {

    /** The second factor Cashfree requires of production Payouts calls. */
    public enum TwoFactor {
        /** Every request carries X-Cf-Signature (Cashfree's public key encrypts "clientId.epochSeconds"). */
        SIGNATURE,
        /** The worker's egress IP is whitelisted in the Payouts dashboard; no signature is sent. */
        IP_ALLOWLIST,
        /** No second factor (sandbox only). */
        NONE
    }

    public CashfreePayoutConfig {
        if (clientId == null || clientId.isBlank()) throw new IllegalArgumentException("CASHFREE_PAYOUT_CLIENT_ID is not set");
        if (clientSecret == null || clientSecret.isBlank()) throw new IllegalArgumentException("CASHFREE_PAYOUT_CLIENT_SECRET is not set");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(twoFactor, "twoFactor");
        timeout = timeout == null ? CashfreeConfig.DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(CashfreeConfig.MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("Cashfree Payouts timeout must be > 0 and <= " + CashfreeConfig.MAX_TIMEOUT);
        }
        if (twoFactor == TwoFactor.SIGNATURE && publicKey == null) {
            throw new IllegalArgumentException("CASHFREE_PAYOUT_PUBLIC_KEY is required for the SIGNATURE second factor");
        }
        if (twoFactor != TwoFactor.SIGNATURE) publicKey = null;
        if (twoFactor == TwoFactor.NONE && environment == CashfreeConfig.Environment.PRODUCTION) {
            throw new IllegalArgumentException("production Cashfree Payouts need a second factor: set CASHFREE_PAYOUT_PUBLIC_KEY"
                    + " (signature) or CASHFREE_PAYOUT_2FA=ip-allowlist");
        }
        baseUrlOverride = baseUrlOverride == null || baseUrlOverride.isBlank() ? null : baseUrlOverride.trim();
        if (baseUrlOverride != null) {
            // The same rules as the PG override (http(s), no credentials in the URL, no clear text off this machine).
            new CashfreeConfig(clientId, clientSecret, environment, baseUrlOverride, null, timeout);
        }
    }

    /**
     * Reads {@code CASHFREE_PAYOUT_CLIENT_ID} and {@code CASHFREE_PAYOUT_CLIENT_SECRET} (required; the
     * PG keys are never used for Payouts), {@code CASHFREE_PAYOUT_PUBLIC_KEY} (PEM text, or a path to a
     * PEM file), {@code CASHFREE_PAYOUT_2FA} ({@code signature}, {@code ip-allowlist}, {@code none};
     * default: signature when a public key is given, else none in sandbox), {@code CASHFREE_ENV},
     * {@code CASHFREE_PAYOUT_BASE_URL} (else {@code CASHFREE_BASE_URL}) and {@code CASHFREE_TIMEOUT_MS}.
     * Error messages name variables, never their values.
     */
    public static CashfreePayoutConfig fromEnv(Map<String, String> env) {
        CashfreeConfig.Environment environment = switch (env.getOrDefault("CASHFREE_ENV", "sandbox").trim().toLowerCase(Locale.ROOT)) {
            case "", "sandbox" -> CashfreeConfig.Environment.SANDBOX;
            case "production", "prod" -> CashfreeConfig.Environment.PRODUCTION;
            default -> throw new IllegalArgumentException("CASHFREE_ENV must be sandbox or production");
        };
        String keyText = env.get("CASHFREE_PAYOUT_PUBLIC_KEY");
        PublicKey key = keyText == null || keyText.isBlank() ? null : PayoutSignature.publicKey(readPem(keyText.trim()));
        String mode = env.get("CASHFREE_PAYOUT_2FA");
        TwoFactor twoFactor = mode == null || mode.isBlank() ? (key != null ? TwoFactor.SIGNATURE : TwoFactor.NONE)
                : switch (mode.trim().toLowerCase(Locale.ROOT)) {
                    case "signature" -> TwoFactor.SIGNATURE;
                    case "ip-allowlist", "ip_allowlist", "ip" -> TwoFactor.IP_ALLOWLIST;
                    case "none" -> TwoFactor.NONE;
                    default -> throw new IllegalArgumentException("CASHFREE_PAYOUT_2FA must be signature, ip-allowlist or none");
                };
        String timeoutMs = env.get("CASHFREE_TIMEOUT_MS");
        Duration timeout = timeoutMs == null || timeoutMs.isBlank() ? null : Duration.ofMillis(Long.parseLong(timeoutMs.trim()));
        String base = env.get("CASHFREE_PAYOUT_BASE_URL");
        if (base == null || base.isBlank()) base = env.get("CASHFREE_BASE_URL");
        String id = env.get("CASHFREE_PAYOUT_CLIENT_ID");
        String secret = env.get("CASHFREE_PAYOUT_CLIENT_SECRET");
        return new CashfreePayoutConfig(id == null ? null : id.trim(), secret == null ? null : secret.trim(), environment, base, timeout,
                twoFactor, key);
    }

    private static String readPem(String value) {
        if (value.startsWith("-----BEGIN")) return value;
        try {
            return Files.readString(Path.of(value), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("CASHFREE_PAYOUT_PUBLIC_KEY is neither PEM text nor a readable PEM file");
        }
    }

    /** Redacts the secret and the key. */
    @Override
    public String toString() {
        return "CashfreePayoutConfig[clientId=" + clientId + ", clientSecret=<redacted>, environment=" + environment
                + ", baseUrlOverride=" + baseUrlOverride + ", timeout=" + timeout + ", twoFactor=" + twoFactor + "]";
    }

    /**
     * Cashfree's Payouts 2FA signature: {@code Base64(RSA-OAEP(SHA-1, MGF1-SHA-1)(publicKey, clientId + "." + epochSeconds))},
     * sent as {@code X-Cf-Signature} (Cashfree's PHP sample uses OPENSSL_PKCS1_OAEP_PADDING, which is OAEP
     * with SHA-1 and MGF1-SHA-1; Java names it {@value #CIPHER}). A new one per request: OAEP is randomised
     * and the timestamp must be current.
     */
    public static final class PayoutSignature {
        public static final String CIPHER = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";

        private PayoutSignature() {}

        public static String sign(PublicKey key, String clientId, long epochSeconds) {
            try {
                javax.crypto.Cipher c = javax.crypto.Cipher.getInstance(CIPHER);
                c.init(javax.crypto.Cipher.ENCRYPT_MODE, key);
                return Base64.getEncoder().encodeToString(c.doFinal((clientId + "." + epochSeconds).getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make the Payouts 2FA signature: " + e.getClass().getSimpleName());
            }
        }

        /** An RSA public key from PEM: X.509 ("BEGIN PUBLIC KEY") or PKCS#1 ("BEGIN RSA PUBLIC KEY"). */
        public static PublicKey publicKey(String pem) {
            boolean pkcs1 = pem.contains("BEGIN RSA PUBLIC KEY");
            String b64 = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
            try {
                byte[] der = Base64.getDecoder().decode(b64);
                if (pkcs1) der = x509FromPkcs1(der);
                return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                throw new IllegalArgumentException("CASHFREE_PAYOUT_PUBLIC_KEY is not an RSA public key in PEM");
            }
        }

        /** Wraps a PKCS#1 RSAPublicKey in the X.509 SubjectPublicKeyInfo Java reads. */
        private static byte[] x509FromPkcs1(byte[] pkcs1) {
            byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
            byte[] bitString = der(0x03, concat(new byte[] {0}, pkcs1));
            return der(0x30, concat(algorithm, bitString));
        }

        private static byte[] der(int tag, byte[] content) {
            int n = content.length;
            byte[] len = n < 128 ? new byte[] {(byte) n}
                    : n < 256 ? new byte[] {(byte) 0x81, (byte) n}
                    : new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
            return concat(concat(new byte[] {(byte) tag}, len), content);
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = new byte[a.length + b.length];
            System.arraycopy(a, 0, out, 0, a.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
