package com.commdesk.cashfree.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Cashfree Payouts v2, simulated, holding callers to Cashfree's rules (docs/cashfree.md): its own
 * API keys (the PG keys get 401), the production second factor (an {@code X-Cf-Signature} made with
 * {@link #publicKeyPem()}, or an allowlisted caller IP; else 403), beneficiary names of letters and
 * spaces only, one beneficiary per bank account + IFSC (409 {@code beneficiary_already_exists}),
 * {@code transfer_mode} defaulting to {@code banktransfer} (a VPA-only beneficiary then fails),
 * deleted beneficiaries (404 on transfer), APPROVAL_PENDING transfers.
 * Beneficiaries ({@code POST/GET/DELETE /payout/beneficiary}), transfers
 * ({@code POST /payout/transfers}, {@code GET /payout/transfers?transfer_id=}), signed payout
 * webhooks (TRANSFER_SUCCESS / FAILED / REJECTED / REVERSED, v2 shape {@code {type, event_time, data}})
 * and per-transfer fault scenarios. A transfer is created RECEIVED and reaches its final status
 * after {@link #completionDelay()}. A transfer_id is unique: a second POST with it is refused with
 * 409, so a duplicate can never create a second transfer — and {@link #transferRequests()} counts
 * every POST, so tests can assert none was even attempted.
 *
 * <p>Control: {@code PUT /__sim/payouts/webhook {"url":...}}, {@code PUT /__sim/payouts/scenario
 * {"transfer_id":"...","scenario":"INVALID_ACCOUNT"}} (transfer_id "*" = default),
 * {@code POST /__sim/payouts/transfers/{id}/reverse}, {@code GET /__sim/payouts/stats}.
 */
public final class PayoutsApi implements AutoCloseable {
    public static final String API_VERSION = "2024-01-01";
    static final Pattern TRANSFER_ID = Pattern.compile("[A-Za-z0-9_]{1,40}");
    static final Pattern BENEFICIARY_ID = Pattern.compile("[A-Za-z0-9_|-]{1,50}");
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_TRANSFERS = 100_000;

    /** What happens to a transfer after it is received. */
    public enum Scenario {
        /** RECEIVED, then SUCCESS with a webhook. */
        SUCCESS,
        /** REJECTED at once (status_code INSUFFICIENT_BALANCE): no money left the account. */
        INSUFFICIENT_BALANCE,
        /** RECEIVED, then FAILED (status_code INVALID_ACCOUNT_FAIL): the bank refused the account. */
        INVALID_ACCOUNT,
        /** The transfer is created, but the response never comes (the caller times out); then SUCCESS. */
        TIMEOUT_THEN_SUCCESS,
        /** The transfer is created, but the answer is a 502; then SUCCESS (Cashfree: never re-send on a 5xx). */
        SERVER_ERROR_THEN_SUCCESS,
        /** SUCCESS, and its webhook delivered twice. */
        DUPLICATE_WEBHOOKS,
        /** SUCCESS, then REVERSED after {@link #reversalDelay()} (or {@link #reverse(String)}). */
        LATE_REVERSED,
        /** SUCCESS without any webhook: only polling finds out. */
        SILENT_SUCCESS,
        /** Held by Cashfree's velocity/limit/anomaly checks: APPROVAL_PENDING until {@link #approve} or {@link #rejectPending}. */
        APPROVAL_PENDING,
        /** Every answer about the transfer is a 404 that is not Cashfree's (a proxy in the way): its fate stays unknown. */
        UNDOCUMENTED_404,
        /** The POST times out and no transfer was created: Cashfree's documented not-found answers every GET. */
        LOST_BEFORE_CREATED
    }

    /** The second factor production Payouts demand. */
    public enum TwoFactor {
        /** An X-Cf-Signature that decrypts to "clientId.epochSeconds" (within {@link #SIGNATURE_WINDOW}), or an allowlisted IP. */
        REQUIRED,
        /** None (Cashfree's sandbox). */
        OFF
    }

    /** How far the epoch seconds in an X-Cf-Signature may be from the simulator's clock (Cashfree documents no window). */
    public static final Duration SIGNATURE_WINDOW = Duration.ofMinutes(5);
    static final Pattern BENEFICIARY_NAME = Pattern.compile("[A-Za-z ]{1,100}");
    static final java.util.Set<String> MODES = java.util.Set.of("banktransfer", "imps", "neft", "rtgs", "upi", "paytm", "amazonpay",
            "card", "cardupi");
    static final java.util.Set<String> BANK_MODES = java.util.Set.of("banktransfer", "imps", "neft", "rtgs");

    /** One simulated transfer; amounts in paise. */
    public record Transfer(String transferId, String cfTransferId, String beneficiaryId, long amountPaise, String mode,
                           String status, String statusCode, String statusDescription, String addedOn, String updatedOn) {
        Transfer with(String newStatus, String code, String description, String now) {
            return new Transfer(transferId, cfTransferId, beneficiaryId, amountPaise, mode, newStatus, code, description, addedOn, now);
        }
    }

    public record BeneficiaryEntry(String beneficiaryId, String name, String bankAccountNumber, String bankIfsc, String vpa) {
        String account() {
            return bankAccountNumber == null ? null : bankAccountNumber + "|" + bankIfsc;
        }
    }

    private final byte[] clientId;
    private final byte[] clientSecret;
    private final String clientIdText;
    private final String secret;
    private final java.security.KeyPair twoFactorKeys;
    private final java.util.Set<String> allowlistedIps = ConcurrentHashMap.newKeySet();
    private volatile TwoFactor twoFactor = TwoFactor.REQUIRED;
    private volatile boolean webhookV1;
    private final Map<String, String> deleted = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
    private final Map<String, BeneficiaryEntry> beneficiaries = new ConcurrentHashMap<>();
    private final Map<String, Scenario> scenarios = new ConcurrentHashMap<>();
    private final AtomicReference<Scenario> defaultScenario = new AtomicReference<>(Scenario.SUCCESS);
    private final AtomicReference<URI> webhookUrl = new AtomicReference<>();
    private final AtomicLong transferRequests = new AtomicLong();
    private final AtomicLong statusRequests = new AtomicLong();
    private final AtomicLong cfIds = new AtomicLong(700_000);
    private final List<SignedWebhook> sentWebhooks = new CopyOnWriteArrayList<>();
    private final WebhookSender sender;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cashfree-sim-payouts");
        t.setDaemon(true);
        return t;
    });
    private volatile Duration completionDelay = Duration.ofMillis(200);
    private volatile Duration reversalDelay = Duration.ofMillis(500);
    private volatile Duration hang = Duration.ofSeconds(12);

    PayoutsApi(String clientId, String clientSecret, Clock clock) {
        this.clientId = clientId.getBytes(StandardCharsets.UTF_8);
        this.clientSecret = clientSecret.getBytes(StandardCharsets.UTF_8);
        this.clientIdText = clientId;
        this.secret = clientSecret;
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            this.twoFactorKeys = g.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.clock = clock;
        this.sender = new WebhookSender(clock);
    }

    // ---- Java API for tests --------------------------------------------------------------------

    /** The Payouts 2FA public key (PEM, X.509), as Cashfree's dashboard hands it out; the simulator keeps the private half. */
    public String publicKeyPem() {
        String b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(twoFactorKeys.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    public void twoFactor(TwoFactor mode) { twoFactor = mode; }

    /** Payout webhooks as the dashboard's version V2 (JSON, header-signed; the default) or V1 (form-encoded, body-signed). */
    public void webhookVersion(String version) {
        if (!"V1".equals(version) && !"V2".equals(version)) throw new IllegalArgumentException("webhook version must be V1 or V2");
        webhookV1 = "V1".equals(version);
    }

    void webhookRetrySchedule(List<Duration> waits) { sender.retrySchedule(waits); }

    /** Every payout webhook delivery attempt, oldest first. */
    public List<WebhookDelivery> webhookDeliveries() { return sender.recorded(); }

    /** Requests from this IP need no signature (Cashfree's IP whitelist). */
    public void allowlistIp(String ip) { allowlistedIps.add(ip); }

    /** A held (APPROVAL_PENDING) transfer is approved in Cashfree's dashboard: it proceeds to SUCCESS. */
    public Transfer approve(String transferId) {
        Transfer t = pending(transferId);
        Transfer r = t.with("RECEIVED", "RECEIVED", "Approved; received for processing", now());
        transfers.put(transferId, r);
        complete(transferId, Scenario.SUCCESS);
        return r;
    }

    /** A held transfer is rejected in Cashfree's dashboard: REJECTED and its webhook. */
    public Transfer rejectPending(String transferId) {
        Transfer r = pending(transferId).with("REJECTED", "REJECTED_BY_APPROVER", "The transfer was rejected by the approver", now());
        transfers.put(transferId, r);
        notify("TRANSFER_REJECTED", r, 1);
        return r;
    }

    private Transfer pending(String transferId) {
        Transfer t = transfers.get(transferId);
        if (t == null || !"APPROVAL_PENDING".equals(t.status())) throw new IllegalStateException("transfer " + transferId + " is not APPROVAL_PENDING");
        return t;
    }

    /** The merchant removes a beneficiary in Cashfree's dashboard: its transfers are refused from now on (404). */
    public void deleteBeneficiary(String beneficiaryId) {
        BeneficiaryEntry b = beneficiaries.remove(beneficiaryId);
        if (b == null) throw new IllegalArgumentException("no beneficiary " + beneficiaryId);
        deleted.put(beneficiaryId, b.name());
    }

    /** Registers a beneficiary directly (e.g. one made in the dashboard, or by another integration), bypassing the checks. */
    public void seedBeneficiary(BeneficiaryEntry b) { beneficiaries.put(b.beneficiaryId(), b); }

    /** Where payout webhooks go ({@code null}: nowhere). Cashfree configures them apart from PG webhooks. */
    public void setWebhookUrl(URI url) { webhookUrl.set(url); }

    public Optional<URI> webhookUrl() { return Optional.ofNullable(webhookUrl.get()); }

    /** The scenario of one transfer id (before it is sent). */
    public void scenario(String transferId, Scenario scenario) { scenarios.put(transferId, scenario); }

    /** The scenario of transfers without their own. */
    public void defaultScenario(Scenario scenario) { defaultScenario.set(scenario); }

    public Duration completionDelay() { return completionDelay; }

    public void completionDelay(Duration d) { completionDelay = d; }

    public Duration reversalDelay() { return reversalDelay; }

    public void reversalDelay(Duration d) { reversalDelay = d; }

    /** How long a TIMEOUT_THEN_SUCCESS response hangs before the connection is dropped. */
    public void hang(Duration d) { hang = d; }

    /** Every POST /payout/transfers received, accepted or not. */
    public long transferRequests() { return transferRequests.get(); }

    /** POST /payout/transfers for one transfer id (as sent in the body), accepted or not. */
    public long transferRequests(String transferId) { return requestsById.getOrDefault(transferId, new AtomicLong()).get(); }

    public long statusRequests() { return statusRequests.get(); }

    public Optional<Transfer> transfer(String transferId) { return Optional.ofNullable(transfers.get(transferId)); }

    /** Every transfer Cashfree created (one per transfer id), e.g. to check that no payout was sent twice. */
    public List<Transfer> transfers() { return List.copyOf(transfers.values()); }

    public Optional<BeneficiaryEntry> beneficiary(String id) { return Optional.ofNullable(beneficiaries.get(id)); }

    public List<SignedWebhook> sentWebhooks() { return List.copyOf(sentWebhooks); }

    /** The bank sends a successful transfer back: REVERSED and its webhook. */
    public Transfer reverse(String transferId) {
        Transfer t = transfers.get(transferId);
        if (t == null) throw new IllegalArgumentException("no transfer " + transferId);
        if (!"SUCCESS".equals(t.status())) throw new IllegalStateException("transfer " + transferId + " is " + t.status() + ", not SUCCESS");
        Transfer r = t.with("REVERSED", "REVERSED", "The transfer was reversed by the beneficiary bank", now());
        transfers.put(transferId, r);
        notify("TRANSFER_REVERSED", r, 1);
        return r;
    }

    /** Sends the transfer's webhook for its current status again (a duplicate delivery). */
    public void resendWebhook(String transferId) {
        Transfer t = transfers.get(transferId);
        if (t == null) throw new IllegalArgumentException("no transfer " + transferId);
        notify("TRANSFER_" + t.status(), t, 1);
    }

    public void reset() {
        transfers.clear();
        beneficiaries.clear();
        deleted.clear();
        allowlistedIps.clear();
        twoFactor = TwoFactor.REQUIRED;
        webhookV1 = false;
        sender.retrySchedule(WebhookSender.CASHFREE_DEFAULT_RETRIES);
        scenarios.clear();
        requestsById.clear();
        defaultScenario.set(Scenario.SUCCESS);
        webhookUrl.set(null);
        transferRequests.set(0);
        statusRequests.set(0);
        sentWebhooks.clear();
        sender.clear();
    }

    @Override
    public void close() {
        timers.shutdownNow();
        sender.close();
    }

    private final Map<String, AtomicLong> requestsById = new ConcurrentHashMap<>();

    // ---- HTTP ------------------------------------------------------------------------------------

    private static final class PayoutError extends RuntimeException {
        final int status;
        final String code;
        final String type;

        PayoutError(int status, String code, String type, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.type = type;
        }

        static PayoutError invalid(String code, String message) {
            return new PayoutError(400, code, "invalid_request_error", message);
        }
    }

    void handle(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod();
        try {
            authenticate(ex);
            if ("/payout/transfers".equals(path) && "POST".equals(method)) {
                transferRequests.incrementAndGet();
                createTransfer(ex);
            } else if ("/payout/transfers".equals(path) && "GET".equals(method)) {
                statusRequests.incrementAndGet();
                drain(ex);
                String id = query(ex.getRequestURI(), "transfer_id").orElseThrow(() ->
                        PayoutError.invalid("transfer_id_missing", "transfer_id or cf_transfer_id is required"));
                if (scenarios.get(id) == Scenario.UNDOCUMENTED_404) {
                    send(ex, 404, Json.NODES.objectNode().put("error", "Not Found").put("path", "/payout/transfers"));
                    return;
                }
                Transfer t = transfers.get(id);
                if (t == null) throw new PayoutError(404, "transfer_id_not_found", "invalid_request_error", "transfer_id does not exist");
                send(ex, 200, transferJson(t));
            } else if ("/payout/beneficiary".equals(path) && "POST".equals(method)) {
                createBeneficiary(ex);
            } else if ("/payout/beneficiary".equals(path) && "GET".equals(method)) {
                drain(ex);
                Optional<String> id = query(ex.getRequestURI(), "beneficiary_id");
                Optional<String> account = query(ex.getRequestURI(), "bank_account_number");
                Optional<String> ifsc = query(ex.getRequestURI(), "bank_ifsc");
                BeneficiaryEntry b;
                if (id.isPresent()) {
                    if (account.isPresent() || ifsc.isPresent()) {
                        throw PayoutError.invalid("too_many_parameters_in_request", "Please provide either bank_account_number and bank_ifsc"
                                + " together or beneficiary_id alone");
                    }
                    b = beneficiaries.get(id.get());
                } else if (account.isPresent() && ifsc.isPresent()) {
                    String key = account.get() + "|" + ifsc.get();
                    b = beneficiaries.values().stream().filter(e -> key.equals(e.account())).findFirst().orElse(null);
                } else {
                    throw PayoutError.invalid("beneficiary_identifiers_missing", "Either beneficiary_id or the combination of"
                            + " bank_account_number and bank_ifsc has to be provided with the request");
                }
                if (b == null) throw new PayoutError(404, "beneficiary_not_found", "invalid_request_error", "Beneficiary does not exist");
                send(ex, 200, beneficiaryJson(b));
            } else if ("/payout/beneficiary".equals(path) && "DELETE".equals(method)) {
                drain(ex);
                String id = query(ex.getRequestURI(), "beneficiary_id").orElseThrow(() ->
                        PayoutError.invalid("beneficiary_id_missing", "beneficiary_id is required"));
                BeneficiaryEntry b = beneficiaries.get(id);
                if (b == null) throw new PayoutError(404, "beneficiary_not_found", "invalid_request_error", "Beneficiary does not exist");
                deleteBeneficiary(id);
                send(ex, 200, beneficiaryJson(b).put("beneficiary_status", "DELETED"));
            } else {
                drain(ex);
                throw new PayoutError(404, "request_failed", "invalid_request_error", "bad URL, please check API documentation");
            }
        } catch (PayoutError e) {
            send(ex, e.status, error(e));
        }
    }

    private void authenticate(HttpExchange ex) {
        String id = ex.getRequestHeaders().getFirst("x-client-id");
        String sec = ex.getRequestHeaders().getFirst("x-client-secret");
        boolean idOk = id != null && MessageDigest.isEqual(id.getBytes(StandardCharsets.UTF_8), clientId);
        boolean secretOk = sec != null && MessageDigest.isEqual(sec.getBytes(StandardCharsets.UTF_8), clientSecret);
        // Cashfree documents no v2 body for bad keys; this one is ours (the PG keys land here too).
        if (!(idOk & secretOk)) throw new PayoutError(401, "authentication_failed", "authentication_error", "authentication failed");
        if (ex.getRequestHeaders().getFirst("x-api-version") == null) {
            throw PayoutError.invalid("version_invalid", "x-api-version : header missing in the request");
        }
        if (twoFactor == TwoFactor.REQUIRED && !allowlistedIps.contains(ex.getRemoteAddress().getAddress().getHostAddress())
                && !validSignature(ex.getRequestHeaders().getFirst("X-Cf-Signature"))) {
            throw new PayoutError(403, "ip_not_whitelisted", "authentication_error",
                    "IP not whitelisted and no valid X-Cf-Signature: set up Payouts 2FA");
        }
    }

    /** X-Cf-Signature = Base64(RSA-OAEP-SHA1(public key, "clientId.epochSeconds")), fresh. */
    private boolean validSignature(String signature) {
        if (signature == null || signature.isBlank()) return false;
        try {
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            c.init(javax.crypto.Cipher.DECRYPT_MODE, twoFactorKeys.getPrivate());
            String plain = new String(c.doFinal(java.util.Base64.getDecoder().decode(signature.trim())), StandardCharsets.UTF_8);
            int dot = plain.lastIndexOf('.');
            if (dot < 0 || !plain.substring(0, dot).equals(clientIdText)) return false;
            long seconds = Long.parseLong(plain.substring(dot + 1));
            return Math.abs(clock.instant().getEpochSecond() - seconds) <= SIGNATURE_WINDOW.toSeconds();
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private void createBeneficiary(HttpExchange ex) throws IOException {
        JsonNode body = readJson(ex);
        String id = text(body, "beneficiary_id");
        String name = text(body, "beneficiary_name");
        JsonNode inst = body.path("beneficiary_instrument_details");
        String account = text(inst, "bank_account_number"), ifsc = text(inst, "bank_ifsc"), vpa = text(inst, "vpa");
        if (id == null || !BENEFICIARY_ID.matcher(id).matches()) throw PayoutError.invalid("beneficiary_id_invalid", "beneficiary_id is invalid");
        if (name == null || name.isBlank()) throw PayoutError.invalid("beneficiary_name_missing", "beneficiary_name is required");
        if (!BENEFICIARY_NAME.matcher(name).matches()) {
            throw PayoutError.invalid("beneficiary_name_invalid", "beneficiary_name is invalid. only alphabets and whitespaces are allowed");
        }
        if ((account == null || ifsc == null) && vpa == null) {
            throw PayoutError.invalid("beneficiary_instrument_details_missing", "bank_account_number + bank_ifsc or vpa is required");
        }
        BeneficiaryEntry entry = new BeneficiaryEntry(id, name, account, ifsc, vpa);
        synchronized (beneficiaries) {
            if (beneficiaries.containsKey(id)) {
                throw new PayoutError(409, "beneficiary_id_already_exists", "invalid_request_error",
                        "Beneficiary already exists with the given beneficiary_id");
            }
            if (entry.account() != null && beneficiaries.values().stream().anyMatch(e -> entry.account().equals(e.account()))) {
                throw new PayoutError(409, "beneficiary_already_exists", "invalid_request_error",
                        "Beneficiary already exists with the given beneficiary_bank_account_number and beneficiary_ifsc");
            }
            beneficiaries.put(id, entry);
        }
        send(ex, 201, beneficiaryJson(entry));
    }

    private void createTransfer(HttpExchange ex) throws IOException {
        JsonNode body = readJson(ex);
        String id = text(body, "transfer_id");
        if (id == null || !TRANSFER_ID.matcher(id).matches()) {
            throw PayoutError.invalid("transfer_id_invalid", "transfer_id: alphanumeric and underscore, at most 40");
        }
        requestsById.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
        JsonNode amount = body.get("transfer_amount");
        long paise;
        try {
            paise = Json.paise(amount);
        } catch (IllegalArgumentException e) {
            throw PayoutError.invalid("transfer_amount_invalid", "transfer_amount: " + e.getMessage());
        }
        if (paise < 100) throw PayoutError.invalid("transfer_amount_invalid", "transfer_amount must be at least 1.00");
        String bene = text(body.path("beneficiary_details"), "beneficiary_id");
        BeneficiaryEntry beneficiary = bene == null ? null : beneficiaries.get(bene);
        if (beneficiary == null) {
            throw new PayoutError(404, "beneficiary_not_found", "invalid_request_error", "Beneficiary does not exist");
        }
        if (transfers.size() >= MAX_TRANSFERS) throw new PayoutError(503, "capacity", "api_error", "simulator full");
        // Cashfree's default transfer_mode is banktransfer, whatever the beneficiary has.
        String mode = Optional.ofNullable(text(body, "transfer_mode")).orElse("banktransfer");
        if (!MODES.contains(mode)) {
            throw PayoutError.invalid("transfer_mode_invalid", "transfer_mode is invalid allowed values are : bank, imps, neft, rtgs, upi,"
                    + " paytm, amazonpay, card and cardupi");
        }
        Scenario s = scenarios.getOrDefault(id, defaultScenario.get());
        if (s == Scenario.LOST_BEFORE_CREATED) {
            sleep(hang); // nothing is created; the caller times out
            return;
        }
        String now = now();
        Transfer t = new Transfer(id, Long.toString(cfIds.incrementAndGet()), bene, paise, mode, "RECEIVED", "RECEIVED",
                "The transfer has been received by Cashfree successfully for further processing.", now, now);
        if (transfers.putIfAbsent(id, t) != null) {
            // Cashfree refuses a second transfer with a transfer_id, but documents no code for it: this one is ours.
            throw new PayoutError(409, "transfer_id_already_exists", "invalid_request_error", "transfer_id already exists");
        }
        boolean modeFits = BANK_MODES.contains(mode) ? beneficiary.bankAccountNumber() != null
                : !"upi".equals(mode) || beneficiary.vpa() != null;
        if (!modeFits) {
            t = t.with("REJECTED", "INVALID_MODE_FOR_BENEFICIARY", "The beneficiary has no instrument for transfer_mode " + mode, now);
            transfers.put(id, t);
            send(ex, 200, transferJson(t));
            Transfer rejected = t;
            timers.schedule(() -> notify("TRANSFER_REJECTED", rejected, 1), completionDelay.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        switch (s) {
            case UNDOCUMENTED_404 -> {
                send(ex, 404, Json.NODES.objectNode().put("error", "Not Found").put("path", "/payout/transfers"));
                return;
            }
            case APPROVAL_PENDING -> {
                t = t.with("APPROVAL_PENDING", "APPROVAL_PENDING", "The transfer requires approval. You can approve or reject the"
                        + " transfer request from the Cashfree Merchant Dashboard.", now);
                transfers.put(id, t);
                send(ex, 200, transferJson(t));
                return;
            }
            case INSUFFICIENT_BALANCE -> {
                t = t.with("REJECTED", "INSUFFICIENT_BALANCE", "Insufficient balance in the payout account", now);
                transfers.put(id, t);
                send(ex, 200, transferJson(t));
                Transfer rejected = t;
                timers.schedule(() -> notify("TRANSFER_REJECTED", rejected, 1), completionDelay.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            case TIMEOUT_THEN_SUCCESS -> {
                complete(id, s);
                sleep(hang); // the caller gives up first; closing without a response drops the connection
                return;
            }
            case SERVER_ERROR_THEN_SUCCESS -> {
                complete(id, s);
                send(ex, 502, error(new PayoutError(502, "bad_gateway", "api_error", "upstream error (simulated)")));
                return;
            }
            default -> {
                send(ex, 200, transferJson(t));
                complete(id, s);
            }
        }
    }

    private void complete(String id, Scenario s) {
        timers.schedule(() -> {
            Transfer t = transfers.get(id);
            if (t == null || !"RECEIVED".equals(t.status())) return;
            if (s == Scenario.INVALID_ACCOUNT) {
                Transfer f = t.with("FAILED", "INVALID_ACCOUNT_FAIL", "Beneficiary bank account is invalid", now());
                transfers.put(id, f);
                notify("TRANSFER_FAILED", f, 1);
                return;
            }
            Transfer ok = t.with("SUCCESS", "COMPLETED", "The transfer has been completed", now());
            transfers.put(id, ok);
            if (s != Scenario.SILENT_SUCCESS) notify("TRANSFER_SUCCESS", ok, s == Scenario.DUPLICATE_WEBHOOKS ? 2 : 1);
            if (s == Scenario.LATE_REVERSED) {
                timers.schedule(() -> {
                    if ("SUCCESS".equals(transfers.get(id).status())) reverse(id);
                }, reversalDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }, completionDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void notify(String type, Transfer t, int times) {
        if (webhookV1) {
            notifyV1(type, t, times);
            return;
        }
        ObjectNode root = Json.NODES.objectNode();
        root.set("data", transferJson(t));
        root.put("event_time", now());
        root.put("type", type);
        String raw;
        try {
            raw = Json.MAPPER.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String ts = Long.toString(clock.millis());
        SignedWebhook w = new SignedWebhook(type, raw, ts, CashfreeSignatures.sign(secret, ts, raw), API_VERSION);
        for (int i = 0; i < times; i++) {
            sentWebhooks.add(w);
            URI target = webhookUrl.get();
            if (target != null) sender.deliver(target, w);
        }
    }

    /**
     * A V1 payout webhook: form parameters (event, transferId, referenceId, acknowledged, eventTime, utr) and
     * {@code signature} = Base64(HMAC-SHA256(secret, the other values concatenated in key order)).
     */
    private void notifyV1(String type, Transfer t, int times) {
        java.util.TreeMap<String, String> params = new java.util.TreeMap<>();
        params.put("event", type);
        params.put("transferId", t.transferId());
        params.put("referenceId", t.cfTransferId());
        params.put("acknowledged", "SUCCESS".equals(t.status()) ? "1" : "0");
        params.put("eventTime", now());
        params.put("utr", utrOf(t) == null ? "" : utrOf(t));
        String signature = CashfreeSignatures.sign(secret, "", String.join("", params.values()));
        StringBuilder form = new StringBuilder();
        params.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        form.append("&signature=").append(java.net.URLEncoder.encode(signature, StandardCharsets.UTF_8));
        SignedWebhook w = new SignedWebhook(type, form.toString(), "", signature, "v1");
        for (int i = 0; i < times; i++) {
            sentWebhooks.add(w);
            URI target = webhookUrl.get();
            if (target != null) sender.deliver(target, w);
        }
    }

    // ---- control -----------------------------------------------------------------------------------

    private static final Pattern REVERSE = Pattern.compile("/__sim/payouts/transfers/([A-Za-z0-9_]{1,40})/reverse");

    void handleControl(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod();
        try {
            var m = REVERSE.matcher(path);
            if ("/__sim/payouts/stats".equals(path) && "GET".equals(method)) {
                drain(ex);
                ObjectNode n = Json.NODES.objectNode();
                n.put("transfer_requests", transferRequests.get());
                n.put("status_requests", statusRequests.get());
                n.put("transfers", transfers.size());
                n.put("webhooks", sentWebhooks.size());
                send(ex, 200, n);
            } else if ("/__sim/payouts/webhook".equals(path) && "PUT".equals(method)) {
                String url = text(readJson(ex), "url");
                setWebhookUrl(url == null ? null : URI.create(url));
                send(ex, 200, Json.NODES.objectNode().put("url", url));
            } else if ("/__sim/payouts/scenario".equals(path) && "PUT".equals(method)) {
                JsonNode b = readJson(ex);
                Scenario s = Scenario.valueOf(String.valueOf(text(b, "scenario")));
                String id = text(b, "transfer_id");
                if (id == null || "*".equals(id)) defaultScenario(s);
                else scenario(id, s);
                send(ex, 200, Json.NODES.objectNode().put("transfer_id", id).put("scenario", s.name()));
            } else if (m.matches() && "POST".equals(method)) {
                drain(ex);
                send(ex, 200, transferJson(reverse(m.group(1))));
            } else {
                drain(ex);
                send(ex, 404, Json.NODES.objectNode().put("error", "unknown control endpoint " + method + " " + path));
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            send(ex, 409, Json.NODES.objectNode().put("error", String.valueOf(e.getMessage())));
        } catch (PayoutError e) {
            send(ex, e.status, error(e));
        }
    }

    // ---- JSON ------------------------------------------------------------------------------------

    static ObjectNode transferJson(Transfer t) {
        ObjectNode n = Json.NODES.objectNode();
        n.put("transfer_id", t.transferId());
        n.put("cf_transfer_id", t.cfTransferId());
        n.put("status", t.status());
        n.put("status_code", t.statusCode());
        n.put("status_description", t.statusDescription());
        n.putObject("beneficiary_details").put("beneficiary_id", t.beneficiaryId());
        n.put("currency", "INR");
        n.put("transfer_amount", Json.rupees(t.amountPaise()));
        n.put("transfer_service_charge", Json.rupees(0));
        n.put("transfer_service_tax", Json.rupees(0));
        n.put("transfer_mode", t.mode());
        // Cashfree gives the bank's reference (UTR) once the transfer reached the beneficiary's bank; until then none.
        if (utrOf(t) != null) n.put("transfer_utr", utrOf(t));
        n.put("fundsource_id", "CASHFREE_1");
        n.put("added_on", t.addedOn());
        n.put("updated_on", t.updatedOn());
        return n;
    }

    /**
     * The bank's reference (UTR) of a transfer that succeeded (and stays on it if the bank later reverses it), else
     * null: alphanumeric like a real NEFT/IMPS UTR, derived from Cashfree's id so a status fetch and the webhook agree.
     */
    static String utrOf(Transfer t) {
        return "SUCCESS".equals(t.status()) || "REVERSED".equals(t.status()) ? "SIMUTR" + t.cfTransferId() : null;
    }

    private static ObjectNode beneficiaryJson(BeneficiaryEntry b) {
        ObjectNode n = Json.NODES.objectNode();
        n.put("beneficiary_id", b.beneficiaryId());
        n.put("beneficiary_name", b.name());
        ObjectNode inst = n.putObject("beneficiary_instrument_details");
        inst.put("bank_account_number", b.bankAccountNumber());
        inst.put("bank_ifsc", b.bankIfsc());
        inst.put("vpa", b.vpa());
        n.put("beneficiary_status", "VERIFIED");
        return n;
    }

    private static ObjectNode error(PayoutError e) {
        ObjectNode n = Json.NODES.objectNode();
        n.put("type", e.type);
        n.put("code", e.code);
        n.put("message", e.getMessage());
        return n;
    }

    private static JsonNode readJson(HttpExchange ex) throws IOException {
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (raw.length > MAX_BODY_BYTES) throw new PayoutError(413, "request_invalid", "invalid_request_error", "request body too large");
        try {
            JsonNode n = Json.MAPPER.readTree(raw);
            if (n == null || !n.isObject()) throw PayoutError.invalid("request_invalid", "request body must be a JSON object");
            return n;
        } catch (IOException e) {
            throw PayoutError.invalid("request_invalid", "request body is not valid JSON");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.skip(MAX_BODY_BYTES);
        }
    }

    private static Optional<String> query(URI uri, String name) {
        String q = uri.getRawQuery();
        if (q == null) return Optional.empty();
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return Optional.of(URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("x-request-id", UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
