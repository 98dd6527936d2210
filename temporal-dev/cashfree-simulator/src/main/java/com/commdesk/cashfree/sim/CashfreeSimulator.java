package com.commdesk.cashfree.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Cashfree Payment Gateway (API version 2023-08-01) for tests and development.
 *
 * <pre>{@code
 * try (CashfreeSimulator sim = CashfreeSimulator.start(new SimulatorConfig("127.0.0.1", 0, "id", "secret"))) {
 *     sim.createPaidOrder("order_1", 10_000, "INR", Map.of("event", "e1"), PaymentMethod.UPI);
 *     // point the cashfree_pg SDK (or curl) at sim.baseUrl() + "/pg/..."
 * }
 * }</pre>
 *
 * <p>Cashfree API: {@code POST /pg/orders}, {@code GET /pg/orders/{order_id}},
 * {@code PATCH /pg/orders/{order_id}} {@code {"order_status":"TERMINATED"}} (Terminate Order),
 * {@code GET /pg/orders/{order_id}/payments}; every request needs {@code x-client-id},
 * {@code x-client-secret} (else 401) and {@code x-api-version} (else 400), as at Cashfree.
 *
 * <p>Control endpoints (no credentials, never faulted):
 * <ul>
 *   <li>{@code GET /__sim/health}</li>
 *   <li>{@code POST /__sim/reset}</li>
 *   <li>{@code POST /__sim/orders/{order_id}/pay} {@code {"payment_method":"UPI|CARD|NETBANKING|WALLET","amount_paise":123,"webhook":true}} ("webhook": false pays without delivering PAYMENT_SUCCESS)</li>
 *   <li>{@code POST /__sim/orders/{order_id}/webhook} re-sends the order's success webhook</li>
 *   <li>{@code POST /__sim/orders/{order_id}/attempt} begins a payment attempt that has not ended: a termination asked for
 *       meanwhile is {@code TERMINATION_REQUESTED} until the order is paid</li>
 *   <li>{@code GET|POST|DELETE /__sim/faults} {@code {"kind":"UNAVAILABLE|RATE_LIMITED|SLOW|HANG","path_prefix":"/pg/orders","times":2,"duration_ms":5000,"delay_ms":800}}</li>
 *   <li>{@code GET|PUT /__sim/webhook} {@code {"url":"http://127.0.0.1:8080/webhooks/cashfree"}} (null clears)</li>
 *   <li>{@code GET /__sim/requests?prefix=/pg/orders}</li>
 *   <li>{@code POST /__sim/refunds/{refund_id}/settle} {@code {"status":"SUCCESS|CANCELLED|FAILED"}} settles a PENDING refund
 *       and sends its REFUND_STATUS_WEBHOOK (scenarios: {@link RefundBook})</li>
 * </ul>
 *
 * <p>Thread-safe. Requests run on virtual threads, so a hanging fault never starves other requests.
 */
public final class CashfreeSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CashfreeSimulator.class);

    /** The API version whose shapes the simulator answers with (the one cashfree_pg 4.0.7 sends). */
    public static final String API_VERSION = "2023-08-01";
    static final int MAX_BODY_BYTES = 1 << 20; // also the recorder's bound

    private static final Pattern ORDER_PATH = Pattern.compile("/pg/orders/([^/]+)");
    private static final Pattern PAYMENTS_PATH = Pattern.compile("/pg/orders/([^/]+)/payments");
    private static final Pattern REFUNDS_PATH = Pattern.compile("/pg/orders/([^/]+)/refunds");
    private static final Pattern REFUND_PATH = Pattern.compile("/pg/orders/([^/]+)/refunds/([^/]+)");
    private static final Pattern SIM_ATTEMPT_PATH = Pattern.compile("/__sim/orders/([^/]+)/attempt");
    private static final Pattern SIM_REFUND_SETTLE_PATH = Pattern.compile("/__sim/refunds/([^/]+)/settle");
    private final RefundBook refunds;
    private static final Pattern SIM_PAY_PATH = Pattern.compile("/__sim/orders/([^/]+)/pay");
    private static final Pattern SIM_WEBHOOK_PATH = Pattern.compile("/__sim/orders/([^/]+)/webhook");
    private static final Pattern VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern CUSTOMER_ID = Pattern.compile("[A-Za-z0-9_-]{1,50}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{10,15}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final OrderStore.Customer DEFAULT_CUSTOMER =
            new OrderStore.Customer("sim_customer", "9999999999", "Simulated Customer", "sim@example.com");

    private final SimulatorConfig config;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor;
    private final OrderStore store;
    private final Faults faults;
    private final RequestCounter counter = new RequestCounter();
    private final WebhookSender webhooks;
    private final AtomicReference<URI> webhookUrl;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SettlementDesk settlements;
    private final PayoutsApi payouts;
    private final ExchangeRecorder exchanges = new ExchangeRecorder();
    private final byte[] clientIdBytes;
    private final byte[] clientSecretBytes;

    private CashfreeSimulator(SimulatorConfig config, Clock clock) throws IOException {
        this.config = config;
        this.clock = clock;
        this.store = new OrderStore(config.maxOrders(), clock);
        this.settlements = new SettlementDesk(store, clock, config);
        this.faults = new Faults(clock);
        this.webhooks = new WebhookSender(clock);
        this.webhookUrl = new AtomicReference<>(config.webhookUrl());
        // REFUND_STATUS webhooks go where PG webhooks go, signed the same way.
        this.refunds = new RefundBook(clock, (type, body) -> {
            URI target = webhookUrl.get();
            if (target != null) webhooks.deliver(target, sign(type, body));
        });
        this.payouts = new PayoutsApi(config.payoutClientId(), config.payoutClientSecret(), clock);
        this.clientIdBytes = config.clientId().getBytes(StandardCharsets.UTF_8);
        this.clientSecretBytes = config.clientSecret().getBytes(StandardCharsets.UTF_8);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 256);
        this.server.setExecutor(executor);
        this.server.createContext("/", this::handle).getFilters().add(exchanges);
        this.server.start();
    }

    /** Starts a simulator; it listens until {@link #close()}. */
    public static CashfreeSimulator start(SimulatorConfig config) {
        Objects.requireNonNull(config, "config");
        try {
            CashfreeSimulator sim = new CashfreeSimulator(config, Clock.systemUTC());
            log.info("Cashfree simulator listening on {}", sim.baseUrl());
            return sim;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Cashfree simulator on " + config.host() + ":" + config.port(), e);
        }
    }

    // ============================================================================================
    // Java API
    // ============================================================================================

    /** E.g. {@code http://127.0.0.1:40123}; Cashfree's paths ({@code /pg/orders}) go under it. */
    public String baseUrl() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    /** The port it listens on (the real one when the config asked for 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public SimulatorConfig config() {
        return config;
    }

    /** Fault injection for the Cashfree API paths. */
    public Faults faults() {
        return faults;
    }

    /** How many requests (answered, faulted or rejected) had a path starting with {@code pathPrefix}. */
    public long requestCount(String pathPrefix) {
        return counter.count(pathPrefix);
    }

    /** Creates an ACTIVE order as {@code POST /pg/orders} would (bypassing Cashfree's minimum amount), for the simulated customer. */
    public SimOrder createOrder(String orderId, long amountPaise, String currency, Map<String, String> orderTags) {
        return createOrder(orderId, amountPaise, currency, orderTags, DEFAULT_CUSTOMER);
    }

    /**
     * Creates an ACTIVE order as {@code POST /pg/orders} would, for customer {@code customerId} (Cashfree's rule:
     * alphanumeric, '_' and '-', at most 50) with the simulated customer's phone.
     */
    public SimOrder createOrder(String orderId, long amountPaise, String currency, Map<String, String> orderTags, String customerId) {
        if (customerId == null || !CUSTOMER_ID.matcher(customerId).matches()) {
            throw new IllegalArgumentException("customerId must be 1-50 of [A-Za-z0-9_-], was " + customerId);
        }
        return createOrder(orderId, amountPaise, currency, orderTags,
                new OrderStore.Customer(customerId, DEFAULT_CUSTOMER.phone(), null, null));
    }

    private SimOrder createOrder(String orderId, long amountPaise, String currency, Map<String, String> orderTags,
                                 OrderStore.Customer customer) {
        requireValidOrderId(orderId);
        if (amountPaise < 1) {
            throw new IllegalArgumentException("amountPaise must be >= 1, was " + amountPaise);
        }
        Objects.requireNonNull(currency, "currency");
        try {
            return store.create(orderId, amountPaise, currency, orderTags == null ? Map.of() : orderTags, customer);
        } catch (OrderStore.DuplicateOrderException | OrderStore.CapacityExceededException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Creates an order and pays it in full with {@code method}; sends the success webhook if a webhook
     * URL is set. Returns the order as it is after payment (status PAID, one payment).
     */
    public SimOrder createPaidOrder(String orderId, long amountPaise, String currency, Map<String, String> orderTags,
                                    PaymentMethod method) {
        createOrder(orderId, amountPaise, currency, orderTags);
        pay(orderId, method);
        return order(orderId).orElseThrow();
    }

    /** {@link #createPaidOrder(String, long, String, Map, PaymentMethod)} for customer {@code customerId}. */
    public SimOrder createPaidOrder(String orderId, long amountPaise, String currency, Map<String, String> orderTags,
                                    PaymentMethod method, String customerId) {
        createOrder(orderId, amountPaise, currency, orderTags, customerId);
        pay(orderId, method);
        return order(orderId).orElseThrow();
    }

    /** Pays an ACTIVE order in full; see {@link #pay(String, PaymentMethod, long)}. */
    public SimPayment pay(String orderId, PaymentMethod method) {
        return payInternal(orderId, method, null, true).payment();
    }

    /**
     * Records a SUCCESS payment of {@code amountPaise} (a value other than the order amount simulates a
     * short or over payment), marks the order PAID and, if a webhook URL is set, sends
     * PAYMENT_SUCCESS_WEBHOOK before returning.
     *
     * @throws NoSuchElementException if there is no such order
     * @throws IllegalStateException  if the order is not ACTIVE
     */
    public SimPayment pay(String orderId, PaymentMethod method, long amountPaise) {
        return payInternal(orderId, method, amountPaise, true).payment();
    }

    /**
     * A payment attempt on an ACTIVE order that has not ended (a UPI collect the customer has not answered): a termination
     * asked for meanwhile leaves the order {@code TERMINATION_REQUESTED}, and {@link #pay} may still pay it.
     *
     * @throws NoSuchElementException if there is no such order
     * @throws IllegalStateException  if the order is not ACTIVE
     */
    public SimOrder beginAttempt(String orderId) {
        return store.beginAttempt(orderId);
    }

    /** The order as it is now. */
    public Optional<SimOrder> order(String orderId) {
        return store.find(orderId);
    }

    public int orderCount() {
        return store.size();
    }

    /** Where webhooks go from now on; {@code null} stops sending them. */
    public void setWebhookUrl(URI url) {
        if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("webhook URL must be http(s): " + url);
        }
        webhookUrl.set(url);
    }

    public Optional<URI> webhookUrl() {
        return Optional.ofNullable(webhookUrl.get());
    }

    /**
     * Builds (does not send) the PAYMENT_SUCCESS_WEBHOOK of the order's latest payment, signed now with
     * the client secret.
     *
     * @throws NoSuchElementException if there is no such order
     * @throws IllegalStateException  if the order has no payment
     */
    public SignedWebhook paymentSuccessWebhook(String orderId) {
        SimOrder o = store.find(orderId).orElseThrow(() -> new NoSuchElementException("no order " + orderId));
        if (o.payments().isEmpty()) {
            throw new IllegalStateException("order " + orderId + " has no payment to announce");
        }
        SimPayment p = o.payments().get(o.payments().size() - 1);
        OrderStore.Customer c = store.customer(orderId).orElse(DEFAULT_CUSTOMER);
        return sign("PAYMENT_SUCCESS_WEBHOOK", paymentSuccessBody(o, p, c));
    }

    /** Signs an arbitrary body now, as Cashfree would (for tests of a receiver). */
    public SignedWebhook sign(String type, String rawBody) {
        String ts = Long.toString(clock.millis());
        return new SignedWebhook(type, rawBody, ts, CashfreeSignatures.sign(config.clientSecret(), ts, rawBody), API_VERSION);
    }

    /**
     * Sends the order's PAYMENT_SUCCESS_WEBHOOK to the webhook URL now and records the outcome.
     *
     * @throws IllegalStateException if no webhook URL is set or the order has no payment
     */
    public WebhookDelivery sendWebhook(String orderId) {
        return deliver(paymentSuccessWebhook(orderId));
    }

    /** Sends any signed webhook (e.g. a replay, or a tampered one) to the webhook URL and records the outcome. */
    public WebhookDelivery deliver(SignedWebhook webhook) {
        URI target = webhookUrl.get();
        if (target == null) {
            throw new IllegalStateException("no webhook URL set: setWebhookUrl(...) or PUT /__sim/webhook");
        }
        return webhooks.deliver(target, webhook);
    }

    /**
     * How failed deliveries (PG and Payouts) are retried: the waits between attempts. Cashfree's default is
     * 2, 10 and 30 minutes; tests shorten it. A retry keeps the original timestamp and signature.
     */
    public void webhookRetrySchedule(List<Duration> waits) {
        webhooks.retrySchedule(waits);
        payouts.webhookRetrySchedule(waits);
    }

    /** Every recorded delivery attempt (the last {@value WebhookSender#MAX_RECORDED}), oldest first. */
    public List<WebhookDelivery> webhookDeliveries() {
        return webhooks.recorded();
    }

    /** The last Cashfree API requests and answers (control endpoints excluded), oldest first: for contract tests. */
    public List<ExchangeRecorder.Exchange> exchanges() {
        return exchanges.recorded();
    }

    /** Cashfree Payouts v2: transfers, beneficiaries, payout webhooks and their scenarios. */
    public PayoutsApi payouts() {
        return payouts;
    }

    /** Cashfree's settlements and recon data, where tests plant differences. */
    public SettlementDesk settlements() {
        return settlements;
    }

    /** Refunds made through {@code POST /pg/orders/{id}/refunds}. */
    public RefundBook refunds() {
        return refunds;
    }

    /** Forgets all orders, faults, counters and deliveries; the webhook URL goes back to the configured one. */
    public void reset() {
        payouts.reset();
        exchanges.clear();
        webhooks.retrySchedule(WebhookSender.CASHFREE_DEFAULT_RETRIES);
        store.clear();
        refunds.clear();
        settlements.clear();
        faults.clear();
        counter.clear();
        webhooks.clear();
        webhookUrl.set(config.webhookUrl());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        faults.clear(); // releases hanging requests
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        refunds.close();
        webhooks.close();
        payouts.close();
    }

    // ============================================================================================
    // HTTP
    // ============================================================================================

    /** Thrown inside a handler to answer with Cashfree's error shape. */
    private static final class CashfreeError extends RuntimeException {
        final int status;
        final String code;
        final String type;

        CashfreeError(int status, String message, String code, String type) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.type = type;
        }

        static CashfreeError invalid(String message, String code) {
            return new CashfreeError(400, message, code, "invalid_request_error");
        }
    }

    /** Thrown inside a control handler to answer {@code {"error": ...}}. */
    private static final class ControlError extends RuntimeException {
        final int status;

        ControlError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private record PayResult(SimOrder order, SimPayment payment, WebhookDelivery delivery) {
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path == null || path.isEmpty()) {
                path = "/";
            }
            counter.record(path);
            if (SettlementDesk.owns(path)) { // settlements and recon: SettlementDesk (faults apply to its API paths)
                Fault f = path.startsWith("/__sim/") ? null : faults.match(path);
                if (f == null || applyFault(ex, f)) settlements.handle(ex, path);
                return;
            }
            if (path.startsWith("/__sim/payouts/")) {
                payouts.handleControl(ex, path);
                return;
            }
            if (path.equals("/__sim") || path.startsWith("/__sim/")) {
                handleControl(ex, path);
                return;
            }
            Fault fault = faults.match(path);
            if (fault != null && !applyFault(ex, fault)) {
                return;
            }
            if (path.startsWith("/payout/")) {
                payouts.handle(ex, path);
                return;
            }
            handleApi(ex, path);
        } catch (IOException e) {
            log.debug("I/O error answering a request: {}", e.toString());
        } catch (RuntimeException e) {
            log.warn("simulator bug while answering {}", ex.getRequestURI(), e);
            try {
                sendError(ex, new CashfreeError(500, "internal error in cashfree-simulator", "internal_error", "api_error"));
            } catch (IOException ignored) {
                // the client went away
            }
        }
    }

    /** @return true if the request should still be answered normally */
    private boolean applyFault(HttpExchange ex, Fault fault) throws IOException {
        switch (fault.kind()) {
            case UNAVAILABLE -> {
                drain(ex);
                sendError(ex, new CashfreeError(503, "Service temporarily unavailable (simulated downtime)",
                        "service_unavailable", "api_error"));
                return false;
            }
            case RATE_LIMITED -> {
                drain(ex);
                ex.getResponseHeaders().set("x-ratelimit-limit", "30");
                ex.getResponseHeaders().set("x-ratelimit-remaining", "0");
                ex.getResponseHeaders().set("x-ratelimit-retry", "1");
                ex.getResponseHeaders().set("x-ratelimit-type", "app_id");
                sendError(ex, new CashfreeError(429, "Too many requests from this merchant. Check headers",
                        "request_failed", "rate_limit_error"));
                return false;
            }
            case SLOW -> {
                sleep(fault.delay());
                return true;
            }
            case HANG -> {
                CountDownLatch release = faults.releaseLatch();
                try {
                    release.await(fault.delay().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // Closing the exchange before any response headers drops the connection: the client sees
                // either its own timeout (usual) or an unexpected end of stream.
                return false;
            }
        }
        return true;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- Cashfree API ---------------------------------------------------------------------------

    private void handleApi(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod();
        try {
            Matcher m;
            if ("/pg/orders".equals(path) && "POST".equals(method)) {
                authenticate(ex);
                createOrderFromApi(ex);
            } else if ((m = PAYMENTS_PATH.matcher(path)).matches() && "GET".equals(method)) {
                authenticate(ex);
                SimOrder o = store.find(m.group(1)).orElseThrow(CashfreeSimulator::orderNotFound);
                ArrayNode arr = Json.NODES.arrayNode();
                OrderStore.Customer c = store.customer(o.orderId()).orElse(DEFAULT_CUSTOMER);
                for (SimPayment p : o.payments()) {
                    arr.add(paymentEntity(o, p, c));
                }
                sendJson(ex, 200, arr);
            } else if ((m = REFUNDS_PATH.matcher(path)).matches() && "POST".equals(method)) {
                authenticate(ex);
                refunds.create(ex, store.find(m.group(1)).orElseThrow(CashfreeSimulator::orderNotFound));
            } else if ((m = REFUND_PATH.matcher(path)).matches() && "GET".equals(method)) {
                authenticate(ex);
                refunds.fetch(ex, store.find(m.group(1)).orElseThrow(CashfreeSimulator::orderNotFound).orderId(), m.group(2));
            } else if ((m = ORDER_PATH.matcher(path)).matches() && "GET".equals(method)) {
                authenticate(ex);
                SimOrder o = store.find(m.group(1)).orElseThrow(CashfreeSimulator::orderNotFound);
                sendJson(ex, 200, orderEntity(o));
            } else if ((m = ORDER_PATH.matcher(path)).matches() && "PATCH".equals(method)) {
                authenticate(ex);
                terminateOrderFromApi(ex, m.group(1));
            } else {
                drain(ex);
                throw new CashfreeError(404, "bad URL, please check API documentation", "request_failed",
                        "invalid_request_error");
            }
        } catch (CashfreeError e) {
            sendError(ex, e);
        }
    }

    /** Terminate Order: the body must ask for {@code TERMINATED}; the answer is the order entity as it is afterwards. */
    private void terminateOrderFromApi(HttpExchange ex, String orderId) throws IOException {
        JsonNode body = apiJsonObject(readBody(ex));
        if (!"TERMINATED".equals(body.path("order_status").asText(null))) {
            throw CashfreeError.invalid("order_status : should be TERMINATED", "order_status_invalid");
        }
        SimOrder o;
        try {
            o = store.terminate(orderId);
        } catch (NoSuchElementException e) {
            throw orderNotFound();
        }
        sendJson(ex, 200, orderEntity(o));
    }

    private static CashfreeError orderNotFound() {
        return new CashfreeError(404, "order not found for this merchant", "order_not_found", "invalid_request_error");
    }

    private void authenticate(HttpExchange ex) {
        String id = ex.getRequestHeaders().getFirst("x-client-id");
        String secret = ex.getRequestHeaders().getFirst("x-client-secret");
        // Constant-time comparisons; both are always evaluated.
        boolean idOk = id != null && MessageDigest.isEqual(id.getBytes(StandardCharsets.UTF_8), clientIdBytes);
        boolean secretOk = secret != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), clientSecretBytes);
        if (!(idOk & secretOk)) {
            throw new CashfreeError(401, "authentication Failed", "request_failed", "authentication_error");
        }
        String version = ex.getRequestHeaders().getFirst("x-api-version");
        if (version == null || version.isBlank()) {
            throw CashfreeError.invalid("x-api-version : header missing in the request", "version_invalid");
        }
        if (!VERSION.matcher(version).matches()) {
            throw CashfreeError.invalid("x-api-version : invalid value, expected YYYY-MM-DD", "version_invalid");
        }
    }

    /** An API request's body as a JSON object, else Cashfree's 400. */
    private static JsonNode apiJsonObject(byte[] raw) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            throw CashfreeError.invalid("request body is not valid JSON", "request_invalid");
        }
        if (body == null || !body.isObject()) {
            throw CashfreeError.invalid("request body must be a JSON object", "request_invalid");
        }
        return body;
    }

    private void createOrderFromApi(HttpExchange ex) throws IOException {
        byte[] raw = readBody(ex);
        JsonNode body = apiJsonObject(raw);

        String idempotencyKey = ex.getRequestHeaders().getFirst("x-idempotency-key");
        String fingerprint = sha256(raw);
        if (idempotencyKey != null) {
            Optional<OrderStore.IdempotentCreate> seen = store.idempotencyKey(idempotencyKey);
            if (seen.isPresent()) {
                replayIdempotent(ex, seen.get(), fingerprint);
                return;
            }
        }

        JsonNode idNode = body.get("order_id");
        String orderId;
        if (idNode == null || idNode.isNull()) {
            orderId = store.newOrderId();
        } else if (!idNode.isTextual() || !OrderStore.ORDER_ID.matcher(idNode.asText()).matches()) {
            throw CashfreeError.invalid("order_id : should be 3 to 45 characters of alphanumerics, '_' and '-'",
                    "order_id_invalid");
        } else {
            orderId = idNode.asText();
        }

        long amountPaise;
        try {
            amountPaise = Json.paise(body.get("order_amount"));
        } catch (IllegalArgumentException e) {
            throw CashfreeError.invalid("order_amount : must be a number with at most two decimals", "order_amount_invalid");
        }
        if (amountPaise < config.minOrderAmountPaise()) {
            throw CashfreeError.invalid("order_amount : must be at least " + Json.rupees(config.minOrderAmountPaise()),
                    "order_amount_invalid");
        }

        JsonNode currencyNode = body.get("order_currency");
        if (currencyNode == null || !currencyNode.isTextual() || !CURRENCY.matcher(currencyNode.asText()).matches()) {
            throw CashfreeError.invalid("order_currency : is missing or invalid", "order_currency_invalid");
        }
        if (!"INR".equals(currencyNode.asText())) {
            throw CashfreeError.invalid("order_currency : " + currencyNode.asText() + " is not enabled for this merchant",
                    "order_currency_invalid");
        }

        OrderStore.Customer customer = parseCustomer(body.get("customer_details"));
        Map<String, String> tags = parseTags(body.get("order_tags"));

        SimOrder created;
        try {
            created = store.create(orderId, amountPaise, currencyNode.asText(), tags, customer);
        } catch (OrderStore.DuplicateOrderException e) {
            throw new CashfreeError(409, "order with same id is already present", "order_already_exists",
                    "invalid_request_error");
        } catch (OrderStore.CapacityExceededException e) {
            // Not Cashfree behaviour: a bounded simulator. 400 (not 5xx) so callers do not retry it.
            throw CashfreeError.invalid(e.getMessage(), "simulator_capacity_exceeded");
        }
        if (idempotencyKey != null) {
            OrderStore.IdempotentCreate raced = store.rememberIdempotencyKey(idempotencyKey, orderId, fingerprint);
            if (raced != null && !raced.orderId().equals(orderId)) {
                // Another request with the same key won the race; ours created a second order. Rare; report it.
                log.warn("two concurrent creates shared idempotency key {}", idempotencyKey);
            }
        }
        sendJson(ex, 200, orderEntity(created));
    }

    private void replayIdempotent(HttpExchange ex, OrderStore.IdempotentCreate seen, String fingerprint) throws IOException {
        if (!seen.fingerprint().equals(fingerprint)) {
            throw new CashfreeError(422, "request body differs from the original request with this idempotency key",
                    "request_invalid", "idempotency_error");
        }
        SimOrder o = store.find(seen.orderId()).orElseThrow(CashfreeSimulator::orderNotFound);
        ex.getResponseHeaders().set("x-idempotency-replayed", "true");
        sendJson(ex, 200, orderEntity(o));
    }

    private static OrderStore.Customer parseCustomer(JsonNode c) {
        if (c == null || c.isNull()) {
            throw CashfreeError.invalid("customer_details : is missing in the request", "customer_details_missing");
        }
        if (!c.isObject()) {
            throw CashfreeError.invalid("customer_details : must be an object", "customer_details_invalid");
        }
        String id = text(c, "customer_id");
        if (id == null || !CUSTOMER_ID.matcher(id).matches()) {
            throw CashfreeError.invalid("customer_details.customer_id : is missing or invalid (alphanumeric, '_' and '-', at most 50)",
                    "customer_id_invalid");
        }
        String phone = text(c, "customer_phone");
        if (phone == null || !PHONE.matcher(phone).matches()) {
            throw CashfreeError.invalid("customer_details.customer_phone : is missing or invalid", "customer_phone_invalid");
        }
        return new OrderStore.Customer(id, phone, text(c, "customer_name"), text(c, "customer_email"));
    }

    private static Map<String, String> parseTags(JsonNode t) {
        if (t == null || t.isNull()) {
            return Map.of();
        }
        if (!t.isObject()) {
            throw CashfreeError.invalid("order_tags : must be an object of string values", "order_tags_invalid");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : t.properties()) {
            if (!e.getValue().isTextual()) {
                throw CashfreeError.invalid("order_tags : value of '" + e.getKey() + "' must be a string", "order_tags_invalid");
            }
            tags.put(e.getKey(), e.getValue().asText());
        }
        return tags;
    }

    private static String text(JsonNode obj, String field) {
        JsonNode n = obj.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    // ---- JSON shapes (Cashfree 2023-08-01) ------------------------------------------------------

    private ObjectNode orderEntity(SimOrder o) {
        OrderStore.Customer c = store.customer(o.orderId()).orElse(DEFAULT_CUSTOMER);
        ObjectNode n = Json.NODES.objectNode();
        n.put("cf_order_id", o.cfOrderId());
        n.put("created_at", o.createdAt().toString());
        ObjectNode cd = n.putObject("customer_details");
        cd.put("customer_id", c.id());
        cd.put("customer_name", c.name());
        cd.put("customer_email", c.email());
        cd.put("customer_phone", c.phone());
        cd.putNull("customer_uid");
        n.put("entity", "order");
        n.put("order_amount", Json.rupees(o.amountPaise()));
        n.put("order_currency", o.currency());
        n.put("order_expiry_time", o.expiresAt().toString());
        n.put("order_id", o.orderId());
        ObjectNode meta = n.putObject("order_meta");
        meta.putNull("return_url");
        meta.putNull("notify_url");
        meta.putNull("payment_methods");
        n.putNull("order_note");
        n.putArray("order_splits");
        n.put("order_status", o.status());
        putTags(n, o.tags());
        n.put("payment_session_id", o.paymentSessionId());
        n.putNull("terminal_data");
        return n;
    }

    private static void putTags(ObjectNode n, Map<String, String> tags) {
        if (tags.isEmpty()) {
            n.putNull("order_tags");
        } else {
            ObjectNode t = n.putObject("order_tags");
            tags.forEach(t::put);
        }
    }

    private static ObjectNode paymentEntity(SimOrder o, SimPayment p, OrderStore.Customer c) {
        ObjectNode n = Json.NODES.objectNode();
        n.putNull("auth_id");
        n.putNull("authorization");
        n.put("bank_reference", p.bankReference());
        n.put("cf_payment_id", p.cfPaymentId());
        n.put("entity", "payment");
        n.putNull("error_details");
        n.put("is_captured", true);
        n.put("order_amount", Json.rupees(o.amountPaise()));
        n.put("order_id", o.orderId());
        n.put("payment_amount", Json.rupees(p.amountPaise()));
        n.put("payment_completion_time", p.paymentTime().toString());
        n.put("payment_currency", p.currency());
        n.set("payment_gateway_details", gatewayDetails(o, p));
        n.put("payment_group", p.method().paymentGroup());
        n.put("payment_message", "Simulated payment success");
        n.set("payment_method", p.method().paymentMethodJson(Json.NODES));
        n.putNull("payment_offers");
        n.put("payment_status", p.status());
        n.put("payment_time", p.paymentTime().toString());
        return n;
    }

    private static ObjectNode gatewayDetails(SimOrder o, SimPayment p) {
        ObjectNode g = Json.NODES.objectNode();
        g.put("gateway_name", "CASHFREE");
        g.put("gateway_order_id", o.cfOrderId());
        g.put("gateway_payment_id", p.cfPaymentId());
        g.putNull("gateway_status_code");
        g.put("gateway_settlement", "CASHFREE");
        return g;
    }

    private String paymentSuccessBody(SimOrder o, SimPayment p, OrderStore.Customer c) {
        ObjectNode root = Json.NODES.objectNode();
        ObjectNode data = root.putObject("data");
        ObjectNode order = data.putObject("order");
        order.put("order_id", o.orderId());
        order.put("order_amount", Json.rupees(o.amountPaise()));
        order.put("order_currency", o.currency());
        putTags(order, o.tags());
        ObjectNode pay = data.putObject("payment");
        pay.put("cf_payment_id", p.cfPaymentId());
        pay.put("payment_status", p.status());
        pay.put("payment_amount", Json.rupees(p.amountPaise()));
        pay.put("payment_currency", p.currency());
        pay.put("payment_message", "Simulated payment success");
        pay.put("payment_time", p.paymentTime().toString());
        pay.put("bank_reference", p.bankReference());
        pay.putNull("auth_id");
        pay.set("payment_method", p.method().paymentMethodJson(Json.NODES));
        pay.put("payment_group", p.method().paymentGroup());
        ObjectNode cd = data.putObject("customer_details");
        cd.put("customer_name", c.name());
        cd.put("customer_id", c.id());
        cd.put("customer_email", c.email());
        cd.put("customer_phone", c.phone());
        data.set("payment_gateway_details", gatewayDetails(o, p));
        data.putNull("payment_offers");
        root.put("event_time", store.nowIst().toString());
        root.put("type", "PAYMENT_SUCCESS_WEBHOOK");
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- control API ----------------------------------------------------------------------------

    private void handleControl(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod();
        try {
            Matcher m;
            if ("/__sim/health".equals(path) && "GET".equals(method)) {
                ObjectNode n = Json.NODES.objectNode();
                n.put("status", "UP");
                n.put("orders", store.size());
                n.put("max_orders", config.maxOrders());
                sendJson(ex, 200, n);
            } else if ("/__sim/reset".equals(path) && "POST".equals(method)) {
                drain(ex);
                reset();
                sendJson(ex, 200, Json.NODES.objectNode().put("status", "RESET"));
            } else if ((m = SIM_PAY_PATH.matcher(path)).matches() && "POST".equals(method)) {
                controlPay(ex, m.group(1));
            } else if ((m = SIM_ATTEMPT_PATH.matcher(path)).matches() && "POST".equals(method)) {
                drain(ex);
                String orderId = m.group(1);
                sendJson(ex, 200, orderEntity(onOrder(() -> beginAttempt(orderId))));
            } else if ((m = SIM_WEBHOOK_PATH.matcher(path)).matches() && "POST".equals(method)) {
                drain(ex);
                String orderId = m.group(1);
                sendJson(ex, 200, deliveryJson(onOrder(() -> sendWebhook(orderId))));
            } else if ((m = SIM_REFUND_SETTLE_PATH.matcher(path)).matches() && "POST".equals(method)) {
                JsonNode body;
                try (java.io.InputStream in = ex.getRequestBody()) {
                    body = Json.MAPPER.readTree(in.readNBytes(64 * 1024));
                }
                RefundBook.Outcome outcome;
                try {
                    outcome = RefundBook.Outcome.valueOf(body.path("status").asText(""));
                } catch (IllegalArgumentException e) {
                    throw new ControlError(400, "status must be SUCCESS, CANCELLED or FAILED");
                }
                if (outcome == RefundBook.Outcome.PENDING) throw new ControlError(400, "status must be SUCCESS, CANCELLED or FAILED");
                if (!refunds.settle(m.group(1), outcome)) throw new ControlError(409, "refund " + m.group(1) + " is not PENDING");
                sendJson(ex, 200, Json.NODES.objectNode().put("refund_id", m.group(1)).put("refund_status", outcome.name()));
            } else if ("/__sim/faults".equals(path)) {
                controlFaults(ex, method);
            } else if ("/__sim/webhook".equals(path)) {
                controlWebhook(ex, method);
            } else if ("/__sim/requests".equals(path) && "GET".equals(method)) {
                String prefix = queryParam(ex.getRequestURI(), "prefix").orElse("/");
                ObjectNode n = Json.NODES.objectNode();
                n.put("prefix", prefix);
                n.put("count", requestCount(prefix));
                sendJson(ex, 200, n);
            } else {
                drain(ex);
                throw new ControlError(404, "unknown control endpoint " + method + " " + path);
            }
        } catch (ControlError e) {
            sendJson(ex, e.status, Json.NODES.objectNode().put("error", e.getMessage()));
        } catch (CashfreeError e) { // e.g. an oversized body
            sendJson(ex, e.status, Json.NODES.objectNode().put("error", e.getMessage()));
        }
    }

    /** A control call on one order: no such order is a 404, an order in another state than the call needs a 409. */
    private static <T> T onOrder(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (NoSuchElementException e) {
            throw new ControlError(404, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ControlError(409, e.getMessage());
        }
    }

    private void controlPay(HttpExchange ex, String orderId) throws IOException {
        JsonNode body = readControlJson(ex);
        PaymentMethod method;
        try {
            method = PaymentMethod.parse(body.hasNonNull("payment_method") ? body.get("payment_method").asText() : null);
        } catch (IllegalArgumentException e) {
            throw new ControlError(400, e.getMessage());
        }
        Long amount = null;
        JsonNode a = body.get("amount_paise");
        if (a != null && !a.isNull()) {
            if (!a.isIntegralNumber() || !a.canConvertToLong()) {
                throw new ControlError(400, "amount_paise must be a whole number of paise");
            }
            amount = a.longValue();
        }
        JsonNode w = body.get("webhook");
        if (w != null && !w.isNull() && !w.isBoolean()) throw new ControlError(400, "webhook must be true or false");
        boolean deliverWebhook = w == null || w.isNull() || w.booleanValue();
        PayResult r;
        try {
            r = payInternal(orderId, method, amount, deliverWebhook);
        } catch (NoSuchElementException e) {
            throw new ControlError(404, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ControlError(409, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ControlError(400, e.getMessage());
        }
        ObjectNode n = Json.NODES.objectNode();
        n.set("order", orderEntity(r.order()));
        n.set("payment", paymentEntity(r.order(), r.payment(), store.customer(orderId).orElse(DEFAULT_CUSTOMER)));
        if (r.delivery() == null) {
            n.putNull("webhook");
        } else {
            n.set("webhook", deliveryJson(r.delivery()));
        }
        sendJson(ex, 200, n);
    }

    private PayResult payInternal(String orderId, PaymentMethod method, Long amountPaise, boolean deliverWebhook) {
        Objects.requireNonNull(method, "method");
        SimPayment p = store.pay(orderId, method, amountPaise);
        SimOrder o = store.find(orderId).orElseThrow();
        WebhookDelivery d = null;
        if (deliverWebhook && webhookUrl.get() != null) {
            d = deliver(paymentSuccessWebhook(orderId));
        }
        return new PayResult(o, p, d);
    }

    private void controlFaults(HttpExchange ex, String method) throws IOException {
        switch (method) {
            case "GET" -> {
                drain(ex);
                sendJson(ex, 200, faultsJson());
            }
            case "DELETE" -> {
                drain(ex);
                faults.clear();
                sendJson(ex, 200, faultsJson());
            }
            case "POST" -> {
                JsonNode b = readControlJson(ex);
                Fault f;
                try {
                    Fault.Kind kind = Fault.Kind.valueOf(b.path("kind").asText("").trim().toUpperCase(java.util.Locale.ROOT));
                    Duration delay = b.hasNonNull("delay_ms") ? Duration.ofMillis(b.get("delay_ms").asLong()) : null;
                    Duration duration = b.hasNonNull("duration_ms") ? Duration.ofMillis(b.get("duration_ms").asLong()) : null;
                    f = new Fault(kind, b.hasNonNull("path_prefix") ? b.get("path_prefix").asText() : "/",
                            b.path("times").asInt(0), duration, delay);
                    faults.add(f);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new ControlError(400, "bad fault (kind UNAVAILABLE|RATE_LIMITED|SLOW|HANG, path_prefix, times,"
                            + " duration_ms, delay_ms): " + e.getMessage());
                }
                sendJson(ex, 200, faultsJson());
            }
            default -> {
                drain(ex);
                throw new ControlError(405, "use GET, POST or DELETE on /__sim/faults");
            }
        }
    }

    private ObjectNode faultsJson() {
        ObjectNode n = Json.NODES.objectNode();
        ArrayNode arr = n.putArray("faults");
        for (Fault f : faults.active()) {
            ObjectNode o = arr.addObject();
            o.put("kind", f.kind().name());
            o.put("path_prefix", f.pathPrefix());
            o.put("times", f.times());
            if (f.duration() != null) {
                o.put("duration_ms", f.duration().toMillis());
            }
            if (f.delay() != null) {
                o.put("delay_ms", f.delay().toMillis());
            }
        }
        return n;
    }

    private void controlWebhook(HttpExchange ex, String method) throws IOException {
        switch (method) {
            case "GET" -> drain(ex);
            case "PUT", "POST" -> {
                JsonNode b = readControlJson(ex);
                JsonNode u = b.get("url");
                try {
                    setWebhookUrl(u == null || u.isNull() || u.asText().isBlank() ? null : URI.create(u.asText()));
                } catch (IllegalArgumentException e) {
                    throw new ControlError(400, "bad url: " + e.getMessage());
                }
            }
            default -> {
                drain(ex);
                throw new ControlError(405, "use GET or PUT on /__sim/webhook");
            }
        }
        ObjectNode n = Json.NODES.objectNode();
        URI u = webhookUrl.get();
        if (u == null) {
            n.putNull("url");
        } else {
            n.put("url", u.toString());
        }
        ArrayNode arr = n.putArray("recent_deliveries");
        List<WebhookDelivery> all = webhooks.recorded();
        for (WebhookDelivery d : all.subList(Math.max(0, all.size() - 20), all.size())) {
            arr.add(deliveryJson(d));
        }
        sendJson(ex, 200, n);
    }

    private static ObjectNode deliveryJson(WebhookDelivery d) {
        ObjectNode n = Json.NODES.objectNode();
        n.put("target", d.target().toString());
        n.put("type", d.webhook().type());
        n.put("attempted_at", d.attemptedAt().toString());
        n.put("elapsed_ms", d.elapsed().toMillis());
        n.put("status_code", d.statusCode());
        n.put("delivered", d.delivered());
        if (d.error() == null) {
            n.putNull("error");
        } else {
            n.put("error", d.error());
        }
        n.put("x_webhook_timestamp", d.webhook().timestamp());
        n.put("x_webhook_signature", d.webhook().signature());
        return n;
    }

    private static JsonNode readControlJson(HttpExchange ex) throws IOException {
        byte[] raw = readBody(ex);
        if (raw.length == 0) {
            return Json.NODES.objectNode();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(raw);
            if (n == null || !n.isObject()) {
                throw new ControlError(400, "body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ControlError(400, "body is not valid JSON");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void requireValidOrderId(String orderId) {
        if (orderId == null || !OrderStore.ORDER_ID.matcher(orderId).matches()) {
            throw new IllegalArgumentException("order id must be 3-45 characters of [A-Za-z0-9_-], was '" + orderId + "'");
        }
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
            if (b.length > MAX_BODY_BYTES) {
                throw new CashfreeError(413, "request body too large", "request_invalid", "invalid_request_error");
            }
            return b;
        }
    }

    private static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.skip(MAX_BODY_BYTES);
        }
    }

    private static Optional<String> queryParam(URI uri, String name) {
        String q = uri.getRawQuery();
        if (q == null) {
            return Optional.empty();
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return Optional.of(eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static void sendError(HttpExchange ex, CashfreeError e) throws IOException {
        ObjectNode n = Json.NODES.objectNode();
        n.put("message", e.getMessage());
        n.put("code", e.code);
        n.put("type", e.type);
        sendJson(ex, e.status, n);
    }

    private static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        var h = ex.getResponseHeaders();
        h.set("Content-Type", "application/json; charset=utf-8");
        h.set("x-api-version", API_VERSION);
        String requestId = ex.getRequestHeaders().getFirst("x-request-id");
        h.set("x-request-id", requestId != null ? requestId : UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ============================================================================================
    // Standalone
    // ============================================================================================

    /**
     * Runs a simulator until the process is stopped.
     * Port: first argument, else {@code CASHFREE_SIM_PORT}, else 8089 ({@code 0} = random).
     * Also read: {@code CASHFREE_SIM_HOST} (127.0.0.1), {@code CASHFREE_SIM_CLIENT_ID} (sim-client-id),
     * {@code CASHFREE_SIM_CLIENT_SECRET} (sim-client-secret), {@code CASHFREE_SIM_WEBHOOK_URL} (none).
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        String portText = args.length > 0 ? args[0] : env.getOrDefault("CASHFREE_SIM_PORT", "8089");
        int port;
        try {
            port = Integer.parseInt(portText.trim());
        } catch (NumberFormatException e) {
            System.err.println("usage: CashfreeSimulator [port]   (port must be a number, was '" + portText + "')");
            System.exit(2);
            return;
        }
        String webhook = env.get("CASHFREE_SIM_WEBHOOK_URL");
        SimulatorConfig cfg = new SimulatorConfig(
                env.getOrDefault("CASHFREE_SIM_HOST", "127.0.0.1"), port,
                env.getOrDefault("CASHFREE_SIM_CLIENT_ID", "sim-client-id"),
                env.getOrDefault("CASHFREE_SIM_CLIENT_SECRET", "sim-client-secret"))
                .withWebhookUrl(webhook == null || webhook.isBlank() ? null : URI.create(webhook));
        CashfreeSimulator sim = start(cfg);
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "cashfree-sim-shutdown"));
        String base = sim.baseUrl();
        System.out.println("Cashfree simulator listening on " + base + "  (client id " + cfg.clientId()
                + "; the secret is the one you configured, or sim-client-secret by default)");
        System.out.println("  Cashfree API : POST " + base + "/pg/orders, GET " + base + "/pg/orders/{order_id}[/payments],"
                + " PATCH " + base + "/pg/orders/{order_id} (terminate)");
        System.out.println("  control      : GET " + base + "/__sim/health, POST " + base + "/__sim/orders/{order_id}/pay|attempt,"
                + " POST " + base + "/__sim/reset, " + base + "/__sim/faults, " + base + "/__sim/webhook");
        System.out.println("  webhooks to  : " + sim.webhookUrl().map(URI::toString).orElse("(none; PUT /__sim/webhook {\"url\":...})"));
        Thread.currentThread().join();
    }
}
