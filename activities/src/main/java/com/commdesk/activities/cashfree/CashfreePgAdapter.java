package com.commdesk.activities.cashfree;

import com.cashfree.ApiException;
import com.cashfree.ApiResponse;
import com.cashfree.Cashfree;
import com.cashfree.model.CreateOrderRequest;
import com.cashfree.model.CustomerDetails;
import com.cashfree.model.OrderEntity;
import com.cashfree.model.PaymentEntity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CashfreeGateway} on the official {@code cashfree_pg} 4.0.7 SDK.
 *
 * <h2>How the SDK's quirks are handled</h2>
 * <ul>
 *   <li><b>Static credentials.</b> The SDK reads {@code Cashfree.XClientId/XClientSecret/XEnvironment},
 *       public static fields, on every call. They are set once, under a lock, by the first adapter opened
 *       ({@link CashfreeSdkGlobals}); a second adapter with different credentials in the same JVM is
 *       refused, and each call checks that nobody changed them.</li>
 *   <li><b>Hard-coded base URLs.</b> {@code setBasePath} has no effect, so a configured
 *       {@link CashfreeConfig#baseUrlOverride()} is applied by an OkHttp interceptor that rewrites
 *       scheme/host/port and keeps Cashfree's {@code /pg/...} path ({@link BaseUrlRewriteInterceptor}).
 *       Without an override (production) no interceptor is installed.</li>
 *   <li><b>The OkHttpClient argument is stored in a shared field.</b> Each {@code Cashfree} instance keeps
 *       one {@code ApiClient} whose {@code httpClient} field, and whose API-key objects, every call
 *       <em>overwrites</em> before building its request. Two threads using one {@code Cashfree} instance
 *       race on those plain fields. So this adapter never shares a {@code Cashfree} instance between
 *       concurrent calls: each call borrows one from a small pool and returns it afterwards, and every
 *       instance is handed the adapter's single {@code OkHttpClient}. Calls therefore run in parallel
 *       (no global lock, so one slow call does not hold up the others) while each SDK instance is only ever
 *       touched by one thread at a time. The one OkHttpClient (thread-safe) gives all of them one
 *       connection pool and the explicit timeouts.</li>
 *   <li><b>{@code CreateOrderRequest.orderAmount} is a Double.</b> Paise are converted through
 *       {@link CashfreeAmounts#toRequestAmount(long)}, which refuses any amount whose double would not print
 *       as exactly that many paise. Response amounts (BigDecimal) become paise with
 *       {@code movePointRight(2).longValueExact()}; fractional paise are an error.</li>
 *   <li><b>Timeouts.</b> The OkHttpClient has explicit connect, read, write and whole-call timeouts, does not
 *       follow redirects (which would carry {@code x-client-secret} to another host).</li>
 * </ul>
 * Nothing here logs the secret or request headers; error messages are built from the status and Cashfree's
 * error body only, and scrubbed of the secret in case a body ever echoed it.
 */
public final class CashfreePgAdapter implements CashfreeGateway, CashfreeSettlements, CashfreeRefunds, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CashfreePgAdapter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** SDK instances kept for reuse; more are created under higher concurrency and dropped afterwards. */
    static final int MAX_IDLE_SDK_INSTANCES = 16;
    private static final int MAX_ERROR_TEXT = 300;
    private static final String IDEMPOTENCY_NAMESPACE = "commdesk/cashfree/create-order/";

    private final CashfreeConfig config;
    private final CashfreeSdkGlobals.Installation installation;
    private final OkHttpClient httpClient;
    private final ConcurrentLinkedDeque<Cashfree> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Opens an adapter. Installs the credentials into the SDK's static fields (see the class comment); throws
     * {@link IllegalStateException} if another open adapter in this JVM uses different credentials.
     */
    public CashfreePgAdapter(CashfreeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.httpClient = buildHttpClient(config);
        this.installation = CashfreeSdkGlobals.acquire(config);
        giveBack(new Cashfree()); // fail fast if the SDK cannot initialise
        log.info("Cashfree adapter open: {}", config);
    }

    static OkHttpClient buildHttpClient(CashfreeConfig config) {
        Duration t = config.timeout();
        Duration connect = t.compareTo(Duration.ofSeconds(5)) < 0 ? t : Duration.ofSeconds(5);
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(connect)
                .readTimeout(t)
                .writeTimeout(t)
                .callTimeout(t)
                .followRedirects(false)
                .followSslRedirects(false);
        if (config.baseUrlOverride() != null) {
            b.addInterceptor(new BaseUrlRewriteInterceptor(config.baseUrlOverride()));
        }
        return b.build();
    }

    public CashfreeConfig config() {
        return config;
    }

    // ============================================================================================
    // CashfreeGateway
    // ============================================================================================

    @Override
    public CashfreeOrder fetchOrder(String orderId) {
        requireOrderId(orderId);
        OrderEntity e = call("fetchOrder", orderId,
                (cf, requestId) -> cf.PGFetchOrder(config.apiVersion(), orderId, requestId, null, httpClient));
        return toOrder("fetchOrder", orderId, e);
    }

    @Override
    public List<CashfreePayment> fetchPayments(String orderId) {
        requireOrderId(orderId);
        List<PaymentEntity> list = call("fetchPayments", orderId,
                (cf, requestId) -> cf.PGOrderFetchPayments(config.apiVersion(), orderId, requestId, null, httpClient));
        List<CashfreePayment> out = new ArrayList<>(list.size());
        for (PaymentEntity p : list) {
            out.add(toPayment(orderId, p));
        }
        return List.copyOf(out);
    }

    /**
     * The SDK's {@code Double} for an amount in paise, only if it says exactly that amount
     * ({@link CashfreeAmounts#toRequestAmount}); otherwise nothing is sent and the call is refused.
     */
    private static Double requestAmount(String call, long paise) {
        try {
            return CashfreeAmounts.toRequestAmount(paise);
        } catch (IllegalArgumentException e) {
            throw new CashfreeRejectedException(call + " refused before sending: " + e.getMessage(), 0, null);
        }
    }

    @Override
    public CashfreeOrder createOrder(NewOrder order) {
        Objects.requireNonNull(order, "order");
        Double amount = requestAmount("createOrder " + order.orderId(), order.amountPaise());
        CreateOrderRequest request = new CreateOrderRequest()
                .orderId(order.orderId())
                .orderAmount(amount)
                .orderCurrency(order.currency())
                .customerDetails(new CustomerDetails().customerId(order.customerId()).customerPhone(order.customerPhone()))
                .orderTags(order.tags().isEmpty() ? null : new HashMap<>(order.tags()));
        // The same key for every attempt at this order id: a retry after a lost response is answered from
        // Cashfree's idempotency store instead of creating anything twice.
        UUID idempotencyKey = UUID.nameUUIDFromBytes((IDEMPOTENCY_NAMESPACE + order.orderId()).getBytes(StandardCharsets.UTF_8));
        CashfreeOrder created;
        try {
            created = toOrder("createOrder", order.orderId(), call("createOrder", order.orderId(),
                    (cf, requestId) -> cf.PGCreateOrder(config.apiVersion(), request, requestId, idempotencyKey, httpClient)));
        } catch (CashfreeRejectedException e) {
            if (e.httpStatus() != 409) {
                throw e;
            }
            // Already exists (e.g. created by an earlier attempt whose idempotency key expired): same order?
            log.info("Cashfree order {} already exists; fetching it to compare", order.orderId());
            created = fetchOrder(order.orderId());
        }
        if (created.amountPaise() != order.amountPaise() || !created.currency().equals(order.currency())
                || !created.orderId().equals(order.orderId())) {
            throw new CashfreeRejectedException("createOrder " + order.orderId() + ": Cashfree has this order id with "
                    + created.amountPaise() + " paise " + created.currency() + ", not the requested "
                    + order.amountPaise() + " paise " + order.currency(), 409, "order_already_exists");
        }
        return created;
    }

    // ============================================================================================
    // CashfreeSettlements (reconciliation)
    // ============================================================================================

    static final int MAX_RECON_PAGE = 1000;

    @Override
    public ReconPage fetchSettlementRecon(OffsetDateTime from, OffsetDateTime to, String cursor, int limit) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (limit < 1 || limit > MAX_RECON_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_RECON_PAGE);
        com.cashfree.model.SettlementFetchReconRequest request = new com.cashfree.model.SettlementFetchReconRequest()
                .filters(new com.cashfree.model.FetchSettlementsRequestFilters().startDate(reconDate(from)).endDate(reconDate(ceilToSecond(to))))
                .pagination(new com.cashfree.model.FetchSettlementsRequestPagination().limit(limit).cursor(cursor));
        String what = from + ".." + to;
        com.cashfree.model.SettlementReconEntity page = call("fetchSettlementRecon", what,
                (cf, requestId) -> cf.PGSettlementFetchRecon(config.apiVersion(), request, null, requestId, null, null, httpClient));
        List<ReconEvent> events = new ArrayList<>();
        if (page.getData() != null) {
            for (com.cashfree.model.SettlementReconEntityDataInner e : page.getData()) {
                // Events of no payment (OTHER_ADJUSTMENT, FUND_SWEEP_REVERSAL, ...) have neither order_id nor
                // cf_payment_id: kept, by event_id, for finance (an UNMATCHED_EVENT), never a reason to stop.
                if (e.getCfSettlementId() == null || e.getEventType() == null
                        || (e.getOrderId() == null && e.getCfPaymentId() == null && e.getEventId() == null)) {
                    throw new CashfreeRejectedException(describe("fetchSettlementRecon", what)
                            + ": an event lacks cf_settlement_id, event_type or any of order_id, cf_payment_id, event_id", 200, null);
                }
                BigDecimal amount = e.getEventAmount() != null ? e.getEventAmount() : e.getPaymentAmount();
                if (amount == null || e.getEventSettlementAmount() == null) {
                    throw new CashfreeRejectedException(describe("fetchSettlementRecon", what)
                            + ": event " + e.getEventId() + " lacks event_amount or event_settlement_amount", 200, null);
                }
                events.add(new ReconEvent(e.getCfSettlementId(), e.getSettlementUtr(), e.getEventType(), e.getOrderId(), e.getCfPaymentId(),
                        paise("fetchSettlementRecon", what, "event_amount", amount),
                        paise("fetchSettlementRecon", what, "payment_service_charge", orZero(e.getPaymentServiceCharge())),
                        paise("fetchSettlementRecon", what, "payment_service_tax", orZero(e.getPaymentServiceTax())),
                        paise("fetchSettlementRecon", what, "event_settlement_amount", e.getEventSettlementAmount()),
                        parseOffsetTime(e.getEventTime()), e.getEventId()));
            }
        }
        String next = page.getCursor() == null || page.getCursor().isBlank() || events.isEmpty() ? null : page.getCursor();
        return new ReconPage(events, next);
    }

    @Override
    public SettlementSummary fetchSettlement(String cfSettlementId) {
        if (cfSettlementId == null || cfSettlementId.isBlank()) throw new IllegalArgumentException("cfSettlementId is required");
        com.cashfree.model.FetchSettlementsRequest request = new com.cashfree.model.FetchSettlementsRequest()
                .filters(new com.cashfree.model.FetchSettlementsRequestFilters().cfSettlementIds(List.of(cfSettlementId)))
                .pagination(new com.cashfree.model.FetchSettlementsRequestPagination().limit(1));
        com.cashfree.model.SettlementEntity e = call("fetchSettlement", cfSettlementId,
                (cf, requestId) -> cf.PGFetchSettlements(config.apiVersion(), request, null, requestId, null, null, httpClient));
        if (e.getCfSettlementId() == null) {
            throw new CashfreeNotFoundException(describe("fetchSettlement", cfSettlementId) + ": no such settlement", 200, "settlement_not_found");
        }
        return new SettlementSummary(e.getCfSettlementId(), e.getTransferUtr(), e.getTransferTime(),
                paise("fetchSettlement", cfSettlementId, "order_amount", orZero(e.getOrderAmount())),
                paise("fetchSettlement", cfSettlementId, "service_charge", orZero(e.getServiceCharge())),
                paise("fetchSettlement", cfSettlementId, "service_tax", orZero(e.getServiceTax())),
                paise("fetchSettlement", cfSettlementId, "settlement_amount", orZero(e.getSettlementAmount())));
    }

    /** The end of a range in whole seconds, never before the instant given (the range's end is inclusive). */
    static OffsetDateTime ceilToSecond(OffsetDateTime t) {
        OffsetDateTime down = t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return down.equals(t) ? t : down.plusSeconds(1);
    }

    /** Cashfree's documented date form for recon filters: UTC with seconds, e.g. 2024-05-01T00:00:00Z. */
    static String reconDate(OffsetDateTime t) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").format(t.withOffsetSameInstant(java.time.ZoneOffset.UTC));
    }

    private static BigDecimal orZero(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    private static OffsetDateTime parseOffsetTime(String text) {
        Instant t = parseTime(text);
        return t == null ? null : t.atOffset(java.time.ZoneOffset.UTC);
    }

    /** Stops using the SDK: releases the static credentials (if this was the last adapter) and idle connections. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        CashfreeSdkGlobals.release(installation);
        idle.clear();
        httpClient.connectionPool().evictAll();
    }

    // ============================================================================================
    // Calls and errors
    // ============================================================================================

    @FunctionalInterface
    private interface SdkCall<T> {
        ApiResponse<T> apply(Cashfree cashfree, String requestId) throws ApiException;
    }

    @Override
    public CashfreeRefund createRefund(String orderId, String refundId, long amountPaise, String note) {
        requireOrderId(orderId);
        Objects.requireNonNull(refundId, "refundId");
        Double amount = requestAmount("createRefund " + refundId, amountPaise);
        com.cashfree.model.OrderCreateRefundRequest request = new com.cashfree.model.OrderCreateRefundRequest()
                .refundAmount(amount).refundId(refundId).refundNote(note);
        // The same key for every attempt at this refund: a retry is answered from Cashfree's idempotency store.
        UUID idempotencyKey = UUID.nameUUIDFromBytes(("commdesk/cashfree/create-refund/" + refundId).getBytes(StandardCharsets.UTF_8));
        CashfreeRefund refund;
        try {
            refund = toRefund("createRefund", orderId, call("createRefund", orderId,
                    (cf, requestId) -> cf.PGOrderCreateRefund(config.apiVersion(), orderId, request, requestId, idempotencyKey, httpClient)));
        } catch (CashfreeRejectedException e) {
            if (e.httpStatus() != 409) throw e;
            // Already exists (an earlier attempt reached Cashfree): that refund, if it is this one, goes on.
            log.info("Cashfree refund {} of order {} already exists; fetching it", refundId, orderId);
            refund = refund(orderId, refundId).orElseThrow(() -> e);
        }
        if (refund.amountPaise() != amountPaise || !refundId.equals(refund.refundId())) {
            throw new CashfreeRejectedException("createRefund " + refundId + ": Cashfree has this refund for " + refund.amountPaise()
                    + " paise, not " + amountPaise, 409, "refund_mismatch");
        }
        return refund;
    }

    @Override
    public Optional<CashfreeRefund> refund(String orderId, String refundId) {
        requireOrderId(orderId);
        Objects.requireNonNull(refundId, "refundId");
        try {
            return Optional.of(toRefund("fetchRefund", orderId, call("fetchRefund", orderId,
                    (cf, requestId) -> cf.PGOrderFetchRefund(config.apiVersion(), orderId, refundId, requestId, null, httpClient))));
        } catch (CashfreeNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * The SDK (4.0.7) knows SUCCESS, PENDING, CANCELLED and ONHOLD; any other refund_status (FAILED) decodes
     * as UNKNOWN_DEFAULT_OPEN_API and is reported as "UNKNOWN": not an outcome, so the refund keeps waiting
     * (the signed REFUND_STATUS webhook carries the real value).
     */
    private CashfreeRefund toRefund(String operation, String orderId, com.cashfree.model.RefundEntity e) {
        var status = e.getRefundStatus();
        return new CashfreeRefund(e.getRefundId(), e.getCfRefundId(), e.getOrderId(), paise(operation, orderId, "refund_amount",
                e.getRefundAmount()), status == null || status == com.cashfree.model.RefundEntity.RefundStatusEnum.UNKNOWN_DEFAULT_OPEN_API
                ? "UNKNOWN" : status.getValue());
    }

    private <T> T call(String operation, String orderId, SdkCall<T> sdkCall) {
        if (closed.get()) {
            throw new IllegalStateException("CashfreePgAdapter is closed");
        }
        CashfreeSdkGlobals.check(installation);
        String requestId = UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        Cashfree cashfree = borrow();
        try {
            ApiResponse<T> response = sdkCall.apply(cashfree, requestId);
            T data = response.getData();
            if (data == null) {
                throw new CashfreeUnavailableException(describe(operation, orderId)
                        + ": HTTP " + response.getStatusCode() + " with an empty body", response.getStatusCode(), null, null);
            }
            log.debug("Cashfree {} {} ok in {} ms (x-request-id {})", operation, orderId, elapsedMs(t0), requestId);
            return data;
        } catch (ApiException e) {
            CashfreeException translated = translate(operation, orderId, e);
            log.debug("Cashfree {} {} failed in {} ms (x-request-id {}): {}", operation, orderId, elapsedMs(t0),
                    requestId, translated.getMessage());
            throw translated;
        } catch (JsonParseException | IllegalArgumentException e) {
            // Gson could not read the body (or the SDK's schema check refused it): e.g. an HTML error page
            // from a proxy. Treated as transient; the text is not echoed (it may be large and arbitrary).
            throw new CashfreeUnavailableException(describe(operation, orderId) + ": unreadable response body ("
                    + e.getClass().getSimpleName() + ")", 0, null, null);
        } finally {
            giveBack(cashfree);
        }
    }

    private Cashfree borrow() {
        Cashfree c = idle.pollFirst();
        if (c == null) {
            return new Cashfree();
        }
        idleCount.decrementAndGet();
        return c;
    }

    private void giveBack(Cashfree c) {
        if (!closed.get() && idleCount.incrementAndGet() <= MAX_IDLE_SDK_INSTANCES) {
            idle.offerFirst(c);
        } else {
            idleCount.decrementAndGet();
        }
    }

    private CashfreeException translate(String operation, String orderId, ApiException e) {
        int status = e.getCode();
        String where = describe(operation, orderId);
        if (status == 0) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                String kind = io instanceof InterruptedIOException ? "timed out or was interrupted" : "I/O error";
                return new CashfreeUnavailableException(scrub(where + ": " + kind + " (" + io.getClass().getSimpleName()
                        + (io.getMessage() == null ? "" : ": " + io.getMessage()) + ")"), 0, null, io);
            }
            // The SDK refused before sending (e.g. a missing parameter): our bug, not Cashfree's.
            return new CashfreeRejectedException(scrub(where + ": refused by the SDK before sending: " + e.getMessage()), 0, null);
        }
        ErrorBody err = ErrorBody.parse(e.getResponseBody());
        String message = scrub(where + ": HTTP " + status + err.describe());
        if (status == 404) {
            // Only Cashfree's own "X not found" is NotFound; a 404 without it (e.g. "bad URL", or another server
            // behind a wrong base URL) is a misconfiguration and must not look like a missing order.
            if (err.isEntityNotFound()) {
                return new CashfreeNotFoundException(message, status, err.code());
            }
            return new CashfreeRejectedException(message, status, err.code());
        }
        if (status == 429 || status == 408 || status >= 500) {
            return new CashfreeUnavailableException(message, status, err.code(), null);
        }
        return new CashfreeRejectedException(message, status, err.code());
    }

    /** Cashfree's error body: {@code {"message":..., "code":..., "type":...}}. */
    private record ErrorBody(String message, String code, String type) {
        static ErrorBody parse(String body) {
            if (body == null || body.isBlank()) {
                return new ErrorBody(null, null, null);
            }
            try {
                JsonNode n = JSON.readTree(body);
                if (n != null && n.isObject()) {
                    return new ErrorBody(text(n, "message"), text(n, "code"), text(n, "type"));
                }
            } catch (IOException ignored) {
                // not JSON
            }
            return new ErrorBody(null, null, null);
        }

        private static String text(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            String s = v.asText();
            return s.length() > MAX_ERROR_TEXT ? s.substring(0, MAX_ERROR_TEXT) + "…" : s;
        }

        boolean isEntityNotFound() {
            return code != null && code.endsWith("_not_found");
        }

        String describe() {
            if (code == null && type == null && message == null) {
                return " (no Cashfree error body)";
            }
            return " " + type + "/" + code + ": " + message;
        }
    }

    private String scrub(String text) {
        String secret = config.clientSecret();
        return text.replace(secret, "<redacted>");
    }

    private static String describe(String operation, String orderId) {
        return "Cashfree " + operation + "(" + orderId + ")";
    }

    private static long elapsedMs(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static void requireOrderId(String orderId) {
        if (orderId == null || orderId.isBlank()) {
            throw new IllegalArgumentException("orderId is required");
        }
    }

    // ============================================================================================
    // Mapping
    // ============================================================================================

    private static CashfreeOrder toOrder(String operation, String orderId, OrderEntity e) {
        if (e.getOrderId() == null || e.getOrderAmount() == null || e.getOrderCurrency() == null || e.getOrderStatus() == null) {
            throw new CashfreeRejectedException(describe(operation, orderId)
                    + ": Cashfree's order lacks order_id, order_amount, order_currency or order_status", 200, null);
        }
        return new CashfreeOrder(e.getOrderId(), e.getCfOrderId(), paise(operation, orderId, "order_amount", e.getOrderAmount()),
                e.getOrderCurrency(), e.getOrderStatus(), e.getOrderTags() == null ? Map.of() : e.getOrderTags(),
                e.getCustomerDetails() == null ? null : e.getCustomerDetails().getCustomerId());
    }

    private static CashfreePayment toPayment(String orderId, PaymentEntity p) {
        if (p.getCfPaymentId() == null || p.getPaymentAmount() == null) {
            throw new CashfreeRejectedException(describe("fetchPayments", orderId)
                    + ": a payment lacks cf_payment_id or payment_amount", 200, null);
        }
        String status = p.getPaymentStatus() == null || p.getPaymentStatus() == PaymentEntity.PaymentStatusEnum.UNKNOWN_DEFAULT_OPEN_API
                ? "UNKNOWN" : p.getPaymentStatus().getValue();
        return new CashfreePayment(p.getCfPaymentId(), p.getOrderId() == null ? orderId : p.getOrderId(),
                paise("fetchPayments", orderId, "payment_amount", p.getPaymentAmount()),
                p.getPaymentCurrency(), status, p.getPaymentGroup(), normalisePaymentMethod(p.getPaymentGroup()),
                parseTime(p.getPaymentTime()));
    }

    private static long paise(String operation, String orderId, String field, BigDecimal rupees) {
        try {
            return CashfreeAmounts.toPaise(rupees);
        } catch (ArithmeticException e) {
            throw new CashfreeRejectedException(describe(operation, orderId) + ": " + field + " "
                    + rupees.toPlainString() + " is not a whole number of paise", 200, null);
        }
    }

    private static Instant parseTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            log.warn("unparseable Cashfree payment_time '{}'", text);
            return null;
        }
    }

    /**
     * Cashfree's {@code payment_group} to our method: {@code upi} → UPI; {@code credit_card},
     * {@code debit_card}, {@code prepaid_card} → CARD; {@code net_banking} → NETBANKING; {@code wallet} → WALLET;
     * anything else (card EMI, cardless EMI, pay later, bank transfer, unknown) → OTHER, so that a new or
     * differently-priced instrument is never silently priced as a plain card.
     */
    public static String normalisePaymentMethod(String paymentGroup) {
        if (paymentGroup == null) {
            return "OTHER";
        }
        return switch (paymentGroup.trim().toLowerCase(Locale.ROOT)) {
            case "upi" -> "UPI";
            case "credit_card", "debit_card", "prepaid_card" -> "CARD";
            case "net_banking" -> "NETBANKING";
            case "wallet" -> "WALLET";
            default -> "OTHER";
        };
    }
}
