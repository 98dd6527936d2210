package com.commdesk.activities.cashfree;

import com.cashfree.ApiException;
import com.cashfree.ApiResponse;
import com.cashfree.Cashfree;
import com.cashfree.model.OrderEntity;
import com.cashfree.model.PaymentEntity;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CashfreeGateway} on Cashfree's PG API: the two money-moving writes (create order, create refund) as our
 * own JSON over HTTP, the reads (fetch order, payments, refund, settlements, recon) and terminate order (no amount in
 * it) on the official {@code cashfree_pg} 4.0.7 SDK, whose response amounts are {@code BigDecimal}.
 *
 * <h2>Why the writes are not the SDK's</h2>
 * The SDK's request models carry amounts as {@code Double} ({@code CreateOrderRequest.orderAmount},
 * {@code OrderCreateRefundRequest.refundAmount}), which Gson writes with {@code Double.toString}
 * ("1.0000000000001E11", "50.0"), and which cannot carry every amount at all (2^53 + 1 paise becomes another
 * amount). Money is never floating point here: {@link #createOrder} and {@link #createRefund} write rupees as
 * {@code BigDecimal.valueOf(paise, 2)}, a JSON number with exactly two decimals ({@code "order_amount":100000000000.01}),
 * and read the answer with Jackson ({@code USE_BIG_DECIMAL_FOR_FLOATS}, exact decimal nodes). They send what the SDK
 * sent for these calls (read off the wire from 4.0.7, held by CashfreePgWireTest): the same host ({@code
 * https://sandbox.cashfree.com/pg} or {@code https://api.cashfree.com/pg}, rewritten by the same
 * {@link BaseUrlRewriteInterceptor} when overridden), paths ({@code POST /orders}, {@code POST /orders/{order_id}/refunds}),
 * JSON field names and order, and headers {@code x-client-id}, {@code x-client-secret}, {@code x-api-version},
 * {@code x-request-id}, {@code x-idempotency-key}, {@code Accept}, {@code Content-Type: application/json; charset=utf-8},
 * {@code x-sdk-platform} and {@code User-Agent} as the SDK's; not the SDK's three empty headers
 * ({@code x-client-signature}, {@code x-partner-apikey}, {@code x-partner-merchantid}: no value, nothing to say).
 * A write's outcome is never guessed (review F-H1, F-M2): any 4xx but 401/403 (e.g. a 409, or our key used
 * before with other bytes by the SDK build, whatever the status) is followed by a fetch of the refund / order by
 * id; one that exists is compared (same: the write goes on; different: refused), and only Cashfree's
 * {@code *_not_found} for it makes the 4xx a refusal; a 409 or {@code idempotency_error} with nothing to be seen,
 * or a fetch that cannot say, is unknown (retryable). A 2xx whose body cannot be read as the refund / order
 * (a missing field, an amount that is not a JSON number, fractional paise) is fetched and compared the same way,
 * else unknown, never a refusal: Cashfree accepted the write.
 * They go through the same OkHttpClient (timeouts, no redirects), and their failures are mapped by the same
 * rules as the SDK calls' ({@code translateStatus}, {@code translateIo}).
 *
 * <h2>How the SDK's quirks are handled (reads)</h2>
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
 *   <li><b>Amounts.</b> Response amounts (BigDecimal, from the SDK or our Jackson) become paise with
 *       {@code movePointRight(2).longValueExact()}; fractional paise are an error.</li>
 *   <li><b>Timeouts.</b> The OkHttpClient has explicit connect, read, write and whole-call timeouts, does not
 *       follow redirects (which would carry {@code x-client-secret} to another host).</li>
 * </ul>
 * Nothing here logs the secret or request headers; error messages are built from the status and Cashfree's
 * error body only, and scrubbed of the secret in case a body ever echoed it.
 */
public final class CashfreePgAdapter implements CashfreeGateway, CashfreeSettlements, CashfreeRefunds, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CashfreePgAdapter.class);
    /** Exact decimals both ways: floats read as BigDecimal (never double), BigDecimal written as plain text. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();
    private static final MediaType JSON_UTF8 = MediaType.get("application/json; charset=utf-8");
    /** Cashfree's PG hosts, as the SDK hard-codes them (an override rewrites them, {@link BaseUrlRewriteInterceptor}). */
    static final String SANDBOX_PG = "https://sandbox.cashfree.com/pg";
    static final String PRODUCTION_PG = "https://api.cashfree.com/pg";
    /** What cashfree_pg 4.0.7 sends as x-sdk-platform and User-Agent; the writes send the same as the reads. */
    static final String SDK_PLATFORM = "javasdk-4.0.7";
    static final String SDK_USER_AGENT = "OpenAPI-Generator/4.0.7/java";
    /** errorCode of a 4xx that says our x-idempotency-key was used before with another body. */
    static final String IDEMPOTENCY_CONFLICT = "idempotency_error";
    /**
     * Our error code: Cashfree has a refund with our refund id and another amount. Not a refusal (money may be leaving
     * at Cashfree): the refund activity hands it to an operator with the reservation kept.
     */
    public static final String REFUND_MISMATCH = "refund_mismatch";
    private static final String REFUND_IDEMPOTENCY_NAMESPACE = "commdesk/cashfree/create-refund/";
    /** The refund_status values the SDK's enum knows; the reads report any other as "UNKNOWN", so do the writes. */
    private static final java.util.Set<String> KNOWN_REFUND_STATUSES = java.util.Set.of("SUCCESS", "PENDING", "CANCELLED", "ONHOLD");
    /** SDK instances kept for reuse; more are created under higher concurrency and dropped afterwards. */
    static final int MAX_IDLE_SDK_INSTANCES = 16;
    private static final int MAX_ERROR_TEXT = 300;
    /** The PG API's documented 404 codes for an order or refund that does not exist. */
    private static final java.util.Set<String> DOCUMENTED_NOT_FOUND = java.util.Set.of("order_not_found", "refund_not_found");
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

    /**
     * {@code PATCH /orders/{order_id}} {@code {"order_status":"TERMINATED"}} through the SDK (no amount in it). No
     * idempotency key: terminating is idempotent by itself, and a key would have Cashfree answer a retry with its first
     * answer (say TERMINATION_REQUESTED) instead of the order as it is now.
     */
    @Override
    public CashfreeOrder terminateOrder(String orderId) {
        requireOrderId(orderId);
        com.cashfree.model.TerminateOrderRequest terminate = new com.cashfree.model.TerminateOrderRequest().orderStatus("TERMINATED");
        OrderEntity e = call("terminateOrder", orderId,
                (cf, requestId) -> cf.PGTerminateOrder(config.apiVersion(), orderId, terminate, requestId, null, httpClient));
        return toOrder("terminateOrder", orderId, e);
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
     * Rupees for {@code paise}, exactly: {@code BigDecimal.valueOf(paise, 2)}, written as a JSON number with two
     * decimals. A non-positive amount is refused before anything is sent.
     */
    private static BigDecimal rupees(String call, long paise) {
        if (paise <= 0) {
            throw new CashfreeRejectedException(call + " refused before sending: amount must be > 0 paise, was " + paise, 0, null);
        }
        return CashfreeAmounts.toRupees(paise);
    }

    @Override
    public CashfreeOrder createOrder(NewOrder order) {
        Objects.requireNonNull(order, "order");
        // Field names and order as the SDK's CreateOrderRequest wrote them; order_tags left out when empty.
        ObjectNode body = JSON.createObjectNode();
        body.put("order_id", order.orderId());
        body.put("order_amount", rupees("createOrder " + order.orderId(), order.amountPaise()));
        body.put("order_currency", order.currency());
        body.putObject("customer_details").put("customer_id", order.customerId()).put("customer_phone", order.customerPhone());
        if (!order.tags().isEmpty()) {
            ObjectNode tags = body.putObject("order_tags");
            new TreeMap<>(order.tags()).forEach(tags::put); // sorted: the same bytes on every attempt, in any JVM
        }
        // The same key for every attempt at this order id: a retry after a lost response is answered from
        // Cashfree's idempotency store instead of creating anything twice.
        UUID idempotencyKey = UUID.nameUUIDFromBytes((IDEMPOTENCY_NAMESPACE + order.orderId()).getBytes(StandardCharsets.UTF_8));
        CashfreeOrder created;
        String what = "order " + order.orderId();
        Supplier<Optional<CashfreeOrder>> fetch = () -> {
            try {
                return Optional.of(fetchOrder(order.orderId()));
            } catch (CashfreeNotFoundException notFound) {
                return Optional.empty();
            }
        };
        try {
            JsonNode answer = post("createOrder", order.orderId(), List.of("orders"), body, idempotencyKey);
            try {
                created = toOrder("createOrder", order.orderId(), answer);
            } catch (UnreadableAnswer u) {
                created = existingAfterUnreadable(u, what, fetch);
            }
        } catch (CashfreeRejectedException | CashfreeNotFoundException e) {
            // Only post's: existingAfterUnreadable throws nothing but CashfreeUnavailableException.
            created = existingAfterRefusal(e, what, fetch);
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
        ObjectNode body = JSON.createObjectNode(); // field names and order as the SDK's OrderCreateRefundRequest wrote them
        body.put("refund_amount", rupees("createRefund " + refundId, amountPaise));
        body.put("refund_id", refundId);
        if (note != null) {
            body.put("refund_note", note);
        }
        // The same key for every attempt at this refund: a retry is answered from Cashfree's idempotency store.
        UUID idempotencyKey = UUID.nameUUIDFromBytes((REFUND_IDEMPOTENCY_NAMESPACE + refundId).getBytes(StandardCharsets.UTF_8));
        String what = "refund " + refundId + " of order " + orderId;
        Supplier<Optional<CashfreeRefund>> fetch = () -> refund(orderId, refundId);
        CashfreeRefund refund;
        try {
            JsonNode answer = post("createRefund", orderId, List.of("orders", orderId, "refunds"), body, idempotencyKey);
            try {
                refund = refundOf("createRefund", orderId, answer);
            } catch (UnreadableAnswer u) {
                refund = existingAfterUnreadable(u, what, fetch);
            }
        } catch (CashfreeRejectedException | CashfreeNotFoundException e) {
            if (e.httpStatus() == 401 || e.httpStatus() == 403) {
                // Our credentials refused (rotated keys, an IP allow-list): this attempt created nothing, but an earlier one
                // that timed out may have, and a fetch would be refused the same way. Unknown, never a refusal that gives the
                // money back (review s6 R2-M3); retried, then the operator, as payouts treat a 401/403.
                throw new CashfreeUnavailableException(e.getMessage() + "; our credentials were refused, so whether an earlier"
                        + " attempt created " + what + " is unknown", e.httpStatus(), e.errorCode().orElse(null), e);
            }
            // Only post's: existingAfterUnreadable throws nothing but CashfreeUnavailableException.
            refund = existingAfterRefusal(e, what, fetch);
        }
        if (refund.amountPaise() != amountPaise || !refundId.equals(refund.refundId())) {
            throw new CashfreeRejectedException("createRefund " + refundId + ": Cashfree has this refund for " + refund.amountPaise()
                    + " paise, not " + amountPaise, 409, REFUND_MISMATCH);
        }
        return refund;
    }

    /**
     * Cashfree answered one of our creates with a 3xx or 4xx (review F-M2). 401/403 (our credentials were not accepted:
     * nothing was) are refusals as they stand for an order; createRefund makes them "outcome unknown" before calling this
     * (review s6 R2-M3: an earlier attempt may have created the refund). Any other 3xx/4xx is a refusal only if Cashfree definitively has no such
     * refund / order (its {@code *_not_found}); if it has one, that is returned to be compared by the caller (same:
     * the write goes on; different: refused). A 409 or {@code idempotency_error} (the id or our key was used) with
     * nothing to be seen yet, or a fetch that cannot say, is "outcome unknown": retryable, never a refusal, because a
     * refusal gives the money back while Cashfree may be paying it out.
     */
    private <T> T existingAfterRefusal(CashfreeException e, String what, Supplier<Optional<T>> fetch) {
        int status = e.httpStatus();
        // A 3xx (the client follows no redirect: a proxy's answer) is no more a "no" from Cashfree than a 4xx is.
        if (status < 300 || status > 499 || status == 401 || status == 403) {
            throw e;
        }
        boolean used = status == 409 || IDEMPOTENCY_CONFLICT.equals(e.errorCode().orElse(null));
        log.info("Cashfree answered HTTP {} to creating {}; fetching it before calling this a refusal", status, what);
        Optional<T> existing;
        try {
            existing = fetch.get();
        } catch (RuntimeException fetchFailed) {
            throw new CashfreeUnavailableException(e.getMessage() + "; and whether Cashfree has " + what
                    + " could not be seen (" + fetchFailed.getMessage() + "): outcome unknown", status, e.errorCode().orElse(null), fetchFailed);
        }
        if (existing.isPresent()) {
            return existing.get();
        }
        if (used) {
            throw new CashfreeUnavailableException(e.getMessage() + "; but Cashfree has no " + what + " (yet): outcome unknown",
                    status, e.errorCode().orElse(null), e);
        }
        throw e; // Cashfree has none: a refusal
    }

    /**
     * Cashfree answered one of our creates with a 2xx we cannot read as the refund / order (review F-H1: a missing
     * field, an amount that is not a JSON number, fractional paise). Cashfree accepted the write, so it is never a
     * refusal: the refund / order is fetched by id and returned to be compared; if it cannot be seen, the outcome is
     * unknown (retryable).
     */
    private <T> T existingAfterUnreadable(UnreadableAnswer u, String what, Supplier<Optional<T>> fetch) {
        log.warn("{}; fetching {} to compare", u.getMessage(), what);
        Optional<T> existing;
        try {
            existing = fetch.get();
        } catch (RuntimeException fetchFailed) {
            throw new CashfreeUnavailableException(u.getMessage() + "; and " + what + " could not be fetched ("
                    + fetchFailed.getMessage() + "): outcome unknown", 200, null, fetchFailed);
        }
        return existing.orElseThrow(() -> new CashfreeUnavailableException(u.getMessage() + "; and Cashfree shows no " + what
                + " (yet): outcome unknown", 200, null, u));
    }

    /** A 2xx answer to a create that does not read as the entity; never leaves this class (see existingAfterUnreadable). */
    private static final class UnreadableAnswer extends RuntimeException {
        UnreadableAnswer(String message) {
            super(message, null, false, false);
        }
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

    /**
     * One of our own writes: POSTs {@code body} to Cashfree's PG host + {@code segments} through the adapter's
     * OkHttpClient, with the headers the SDK sent, and returns the 2xx answer read with exact decimals. Failures are
     * mapped by the same rules as the SDK's calls ({@link #translateIo}, {@link #translateStatus}).
     */
    private JsonNode post(String operation, String orderId, List<String> segments, ObjectNode body, UUID idempotencyKey) {
        if (closed.get()) {
            throw new IllegalStateException("CashfreePgAdapter is closed");
        }
        String requestId = UUID.randomUUID().toString();
        HttpUrl.Builder url = HttpUrl.get(config.environment() == CashfreeConfig.Environment.PRODUCTION ? PRODUCTION_PG : SANDBOX_PG)
                .newBuilder();
        segments.forEach(url::addPathSegment);
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a Cashfree request body", e);
        }
        Request request = new Request.Builder()
                .url(url.build())
                .header("x-api-version", config.apiVersion())
                .header("x-request-id", requestId)
                .header("x-idempotency-key", idempotencyKey.toString())
                .header("x-client-secret", config.clientSecret())
                .header("x-client-id", config.clientId())
                .header("Accept", "application/json")
                .header("x-sdk-platform", SDK_PLATFORM)
                .header("User-Agent", SDK_USER_AGENT)
                .post(RequestBody.create(json, JSON_UTF8))
                .build();
        long t0 = System.nanoTime();
        try (Response response = httpClient.newCall(request).execute()) {
            int status = response.code();
            ResponseBody responseBody = response.body();
            String text = responseBody == null ? "" : responseBody.string();
            if (!response.isSuccessful()) {
                ErrorBody err = ErrorBody.parse(text);
                CashfreeException translated = err.isIdempotencyConflict()
                        // This key was used with other bytes (e.g. the SDK build's "50.0" before a deploy): not a refusal.
                        ? new CashfreeRejectedException(scrub(describe(operation, orderId) + ": HTTP " + status
                                + err.describe()), status, IDEMPOTENCY_CONFLICT)
                        : translateStatus(operation, orderId, status, text);
                log.debug("Cashfree {} {} failed in {} ms (x-request-id {}): {}", operation, orderId, elapsedMs(t0),
                        requestId, translated.getMessage());
                throw translated;
            }
            if (text.isBlank()) {
                throw new CashfreeUnavailableException(describe(operation, orderId)
                        + ": HTTP " + status + " with an empty body", status, null, null);
            }
            JsonNode answer;
            try {
                answer = JSON.readTree(text);
            } catch (IOException e) {
                answer = null;
            }
            if (answer == null || !answer.isObject()) {
                // e.g. an HTML page from a proxy: transient, and the text is not echoed (large and arbitrary).
                throw new CashfreeUnavailableException(describe(operation, orderId) + ": unreadable response body (not a JSON object)",
                        0, null, null);
            }
            log.debug("Cashfree {} {} ok in {} ms (x-request-id {})", operation, orderId, elapsedMs(t0), requestId);
            return answer;
        } catch (IOException e) {
            CashfreeException translated = translateIo(describe(operation, orderId), e);
            log.debug("Cashfree {} {} failed in {} ms (x-request-id {}): {}", operation, orderId, elapsedMs(t0),
                    requestId, translated.getMessage());
            throw translated;
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
        if (status == 0) {
            if (e.getCause() instanceof IOException io) {
                return translateIo(describe(operation, orderId), io);
            }
            // The SDK refused before sending (e.g. a missing parameter): our bug, not Cashfree's.
            return new CashfreeRejectedException(scrub(describe(operation, orderId) + ": refused by the SDK before sending: "
                    + e.getMessage()), 0, null);
        }
        return translateStatus(operation, orderId, status, e.getResponseBody());
    }

    /** No HTTP answer (a timeout, a refused or dropped connection): unknown, retryable. */
    private CashfreeException translateIo(String where, IOException io) {
        String kind = io instanceof InterruptedIOException ? "timed out or was interrupted" : "I/O error";
        return new CashfreeUnavailableException(scrub(where + ": " + kind + " (" + io.getClass().getSimpleName()
                + (io.getMessage() == null ? "" : ": " + io.getMessage()) + ")"), 0, null, io);
    }

    /** A non-2xx answer with Cashfree's error body (or none). */
    private CashfreeException translateStatus(String operation, String orderId, int status, String responseBody) {
        ErrorBody err = ErrorBody.parse(responseBody);
        String message = scrub(describe(operation, orderId) + ": HTTP " + status + err.describe());
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

        /** Cashfree's answer to a reused x-idempotency-key with another request body. */
        boolean isIdempotencyConflict() {
            return IDEMPOTENCY_CONFLICT.equals(type);
        }

        /**
         * Cashfree's documented "no such order / refund" ({@code order_not_found}, {@code refund_not_found}, type
         * {@code invalid_request_error}); not any code ending in "_not_found", which a gateway or proxy in front of it could
         * send too (review s12): a refund's reservation is given back on this answer.
         */
        boolean isEntityNotFound() {
            return DOCUMENTED_NOT_FOUND.contains(code) && "invalid_request_error".equals(type);
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

    /** Cashfree's order entity as our JSON read it (createOrder's answer): the same checks as {@link #toOrder(String, String, OrderEntity)}. */
    private static CashfreeOrder toOrder(String operation, String orderId, JsonNode n) {
        JsonNode amount = n.get("order_amount");
        if (text(n, "order_id") == null || amount == null || amount.isNull() || text(n, "order_currency") == null
                || text(n, "order_status") == null) {
            throw new UnreadableAnswer(describe(operation, orderId)
                    + ": Cashfree's 2xx order lacks order_id, order_amount, order_currency or order_status");
        }
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        JsonNode t = n.get("order_tags");
        if (t != null && t.isObject()) {
            t.fields().forEachRemaining(f -> { if (!f.getValue().isNull()) tags.put(f.getKey(), f.getValue().asText()); });
        }
        JsonNode customer = n.get("customer_details");
        return new CashfreeOrder(text(n, "order_id"), text(n, "cf_order_id"), paise(operation, orderId, "order_amount", amount),
                text(n, "order_currency"), text(n, "order_status"), tags, customer == null ? null : text(customer, "customer_id"));
    }

    /** Cashfree's refund entity as our JSON read it (createRefund's answer); statuses as the SDK's reads report them. */
    private static CashfreeRefund refundOf(String operation, String orderId, JsonNode n) {
        JsonNode amount = n.get("refund_amount");
        if (text(n, "refund_id") == null || amount == null || amount.isNull()) {
            throw new UnreadableAnswer(describe(operation, orderId) + ": Cashfree's 2xx refund lacks refund_id or refund_amount");
        }
        String status = text(n, "refund_status");
        return new CashfreeRefund(text(n, "refund_id"), text(n, "cf_refund_id"), text(n, "order_id"),
                paise(operation, orderId, "refund_amount", amount),
                status != null && KNOWN_REFUND_STATUSES.contains(status) ? status : "UNKNOWN");
    }

    /**
     * Paise from a JSON number of rupees in a create's 2xx answer (exact: the mapper reads floats as BigDecimal);
     * anything else (text, fractional paise) is an {@link UnreadableAnswer}, never a refusal.
     */
    private static long paise(String operation, String orderId, String field, JsonNode rupees) {
        if (!rupees.isNumber()) {
            throw new UnreadableAnswer(describe(operation, orderId) + ": " + field + " in Cashfree's 2xx is not a JSON number");
        }
        try {
            return CashfreeAmounts.toPaise(rupees.decimalValue());
        } catch (ArithmeticException e) {
            throw new UnreadableAnswer(describe(operation, orderId) + ": " + field + " " + rupees.decimalValue().toPlainString()
                    + " in Cashfree's 2xx is not a whole number of paise");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
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
