package com.commdesk.activities.cashfree;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * A small typed client of Cashfree Payouts v2 over java.net.http, with the Payouts keys (never the
 * PG ones), {@code x-api-version}, the 2FA {@code X-Cf-Signature} when configured, JSON with exact
 * decimals, a timeout on every call, and redirects never followed (an answer always comes from the
 * configured host). Reads (GET) are retried once here on a transient failure; writes never are: a
 * transfer whose request timed out may exist, and only asking for it ({@link #transfer}) can tell.
 * A 404 means "not found" only with Cashfree's documented body for that call
 * ({@code transfer_id_not_found}, {@code beneficiary_not_found}); any other 404 (a proxy, a wrong
 * path) is an unknown answer ({@link CashfreeUnavailableException}). Credentials and the signature
 * never appear in messages or {@link #toString()}.
 */
public final class CashfreePayoutsClient implements CashfreePayouts {
    public static final String API_VERSION = "2024-01-01";
    static final String SANDBOX = "https://sandbox.cashfree.com";
    static final String PRODUCTION = "https://api.cashfree.com";
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private final CashfreePayoutConfig config;
    private final String baseUrl;
    private final HttpClient http;
    private final Clock clock;

    public CashfreePayoutsClient(CashfreePayoutConfig config) {
        this(config, Clock.systemUTC());
    }

    public CashfreePayoutsClient(CashfreePayoutConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        String base = config.baseUrlOverride() != null ? config.baseUrlOverride()
                : config.environment() == CashfreeConfig.Environment.PRODUCTION ? PRODUCTION : SANDBOX;
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Optional<NewBeneficiary> beneficiary(String beneficiaryId) {
        try {
            return Optional.of(beneficiaryOf(get("/payout/beneficiary?beneficiary_id=" + enc(beneficiaryId), "get beneficiary " + beneficiaryId,
                    BENEFICIARY_NOT_FOUND)));
        } catch (CashfreeNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<NewBeneficiary> beneficiaryByAccount(String bankAccountNumber, String bankIfsc) {
        try {
            return Optional.of(beneficiaryOf(get("/payout/beneficiary?bank_account_number=" + enc(bankAccountNumber) + "&bank_ifsc="
                    + enc(bankIfsc), "get beneficiary by account", BENEFICIARY_NOT_FOUND)));
        } catch (CashfreeNotFoundException e) {
            return Optional.empty();
        }
    }

    private static NewBeneficiary beneficiaryOf(JsonNode n) {
        JsonNode inst = n.path("beneficiary_instrument_details");
        return new NewBeneficiary(text(n, "beneficiary_id"), text(n, "beneficiary_name"), text(inst, "bank_account_number"),
                text(inst, "bank_ifsc"), text(inst, "vpa"));
    }

    @Override
    public void createBeneficiary(NewBeneficiary b) {
        ObjectNode body = JSON.createObjectNode();
        body.put("beneficiary_id", b.beneficiaryId());
        body.put("beneficiary_name", b.name());
        ObjectNode inst = body.putObject("beneficiary_instrument_details");
        if (b.vpa() != null) inst.put("vpa", b.vpa());
        else inst.put("bank_account_number", b.bankAccountNumber()).put("bank_ifsc", b.bankIfsc());
        send(request("/payout/beneficiary").POST(HttpRequest.BodyPublishers.ofString(body.toString())), "create beneficiary " + b.beneficiaryId(),
                null);
    }

    @Override
    public Transfer createTransfer(NewTransfer t) {
        ObjectNode body = JSON.createObjectNode();
        body.put("transfer_id", t.transferId());
        body.put("transfer_amount", BigDecimal.valueOf(t.amountPaise(), 2)); // rupees, exactly
        body.put("transfer_currency", "INR");
        if (t.mode() != null) body.put("transfer_mode", t.mode());
        body.putObject("beneficiary_details").put("beneficiary_id", t.beneficiaryId());
        JsonNode n = send(request("/payout/transfers").POST(HttpRequest.BodyPublishers.ofString(body.toString())),
                "create transfer " + t.transferId(), null);
        return transferOf(n);
    }

    @Override
    public Optional<Transfer> transfer(String transferId) {
        try {
            return Optional.of(transferOf(get("/payout/transfers?transfer_id=" + enc(transferId), "get transfer " + transferId,
                    TRANSFER_NOT_FOUND)));
        } catch (CashfreeNotFoundException e) {
            return Optional.empty();
        }
    }

    /** GET, retried once after a short pause on a transient failure (reads are safe to repeat). */
    private JsonNode get(String path, String what, String notFoundCode) {
        try {
            return send(request(path).GET(), what, notFoundCode);
        } catch (CashfreeUnavailableException first) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw first;
            }
            return send(request(path).GET(), what, notFoundCode);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(config.timeout())
                .header("content-type", "application/json")
                .header("x-client-id", config.clientId())
                .header("x-client-secret", config.clientSecret())
                .header("x-api-version", API_VERSION)
                .header("x-request-id", UUID.randomUUID().toString());
        if (config.twoFactor() == CashfreePayoutConfig.TwoFactor.SIGNATURE) {
            b.header("X-Cf-Signature", CashfreePayoutConfig.PayoutSignature.sign(config.publicKey(), config.clientId(),
                    clock.instant().getEpochSecond()));
        }
        return b;
    }

    /**
     * @param notFoundCode Cashfree's documented error code that makes a 404 mean "does not exist" for this call, or
     *                     null if no 404 of this call means that (POST /transfers: 404 beneficiary_not_found is a refusal)
     */
    private JsonNode send(HttpRequest.Builder b, String what, String notFoundCode) {
        HttpResponse<String> resp;
        try {
            resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new CashfreeUnavailableException(what + ": timed out after " + config.timeout(), 0, null, e);
        } catch (IOException e) {
            throw new CashfreeUnavailableException(what + ": " + e.getClass().getSimpleName(), 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CashfreeUnavailableException(what + ": interrupted", 0, null, e);
        }
        int status = resp.statusCode();
        JsonNode n;
        try {
            n = resp.body() == null || resp.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(resp.body());
        } catch (IOException e) {
            if (status >= 200 && status < 300) throw new CashfreeUnavailableException(what + ": unreadable response", status, null, e);
            n = JSON.createObjectNode();
        }
        if (n == null || !n.isObject()) n = JSON.createObjectNode();
        if (status >= 200 && status < 300) return n;
        String code = text(n, "code");
        String message = what + ": HTTP " + status + (code == null ? "" : " " + code) + (text(n, "message") == null ? "" : ": " + text(n, "message"));
        if (status >= 500 || status == 429 || status == 408) throw new CashfreeUnavailableException(message, status, code, null);
        if (status == 404) {
            if (notFoundCode != null && notFoundCode.equals(code) && "invalid_request_error".equals(text(n, "type"))) {
                throw new CashfreeNotFoundException(message, status, code);
            }
            if (notFoundCode == null && BENEFICIARY_NOT_FOUND.equals(code) && "invalid_request_error".equals(text(n, "type"))) {
                throw new CashfreeRejectedException(message, status, code); // documented: the transfer's beneficiary is gone
            }
            // Not Cashfree's documented answer (a proxy, a wrong path, an unknown body): we do not know.
            throw new CashfreeUnavailableException(message + " (not Cashfree's documented not-found answer)", status, code, null);
        }
        throw new CashfreeRejectedException(message, status, code);
    }
    static Transfer transferOf(JsonNode n) {
        JsonNode amount = n.get("transfer_amount");
        long paise = amount == null || !amount.isNumber() ? 0 : amount.decimalValue().movePointRight(2).longValueExact();
        return new Transfer(text(n, "transfer_id"), text(n, "cf_transfer_id"), text(n, "status"), text(n, "status_code"),
                text(n, "status_description"), paise, utrOf(n));
    }

    /** Cashfree's {@code transfer_utr}: absent, null or "" until the bank has the money, then the bank's reference. */
    static String utrOf(JsonNode transfer) {
        String utr = text(transfer, "transfer_utr");
        return utr == null || utr.isBlank() ? null : utr.strip();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CashfreePayoutsClient[" + baseUrl + ", " + config + "]";
    }
}
