package com.commdesk.cashfree.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cashfree's settlements for the simulator (API version 2023-08-01, the shapes cashfree_pg 4.0.7 reads):
 * {@code POST /pg/settlement/recon} (paginated settlement events, {@code SettlementReconEntity}) and
 * {@code POST /pg/settlements} (one {@code SettlementEntity}: that SDK version decodes a single object).
 *
 * <p>Tests settle paid orders with {@link #settle}, choosing what Cashfree "says": an order can be left out
 * (a missing settlement), a line for an order we never booked added (an extra one), an amount or a fee
 * changed. Charges default to a rate card ({@link #setRateBps}) with 18 % GST, rounded half-up to the paisa.
 * Control endpoint: {@code POST /__sim/settlements} with the same options as JSON (see {@link #handle}).
 */
public final class SettlementDesk {
    /**
     * A planted line or override: null fields keep the computed value. {@code eventType} null is PAYMENT; an
     * extra of another type with neither order nor payment is an event of no payment (OTHER_ADJUSTMENT, ...).
     */
    public record Plant(String orderId, String cfPaymentId, Long amountPaise, Long serviceChargePaise, Long serviceTaxPaise,
                        String eventType) {
        public Plant(String orderId, String cfPaymentId, Long amountPaise, Long serviceChargePaise, Long serviceTaxPaise) {
            this(orderId, cfPaymentId, amountPaise, serviceChargePaise, serviceTaxPaise, null);
        }
    }

    /** Cashfree's documented date form for recon filters: with seconds (2024-05-01T00:00:00Z or +05:30). */
    static final java.util.regex.Pattern DOCUMENTED_DATE =
            java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    /** One settled event, as Cashfree reports it. */
    public record Line(String cfSettlementId, String settlementUtr, OffsetDateTime settledAt, String orderId, String cfPaymentId,
                       long amountPaise, long serviceChargePaise, long serviceTaxPaise, OffsetDateTime paymentTime, String eventType) {
        public Line(String cfSettlementId, String settlementUtr, OffsetDateTime settledAt, String orderId, String cfPaymentId,
                    long amountPaise, long serviceChargePaise, long serviceTaxPaise, OffsetDateTime paymentTime) {
            this(cfSettlementId, settlementUtr, settledAt, orderId, cfPaymentId, amountPaise, serviceChargePaise, serviceTaxPaise,
                    paymentTime, "PAYMENT");
        }

        public long settlementAmountPaise() {
            return amountPaise - serviceChargePaise - serviceTaxPaise;
        }
    }

    /** A settlement: its id, UTR, time and events. */
    public record Settlement(String cfSettlementId, String utr, OffsetDateTime settledAt, List<Line> lines) {
        public long amountPaise() { return lines.stream().mapToLong(Line::settlementAmountPaise).sum(); }
    }

    static final int MAX_SETTLEMENTS = 10_000;
    private static final ZoneOffset IST = ZoneOffset.ofHoursMinutes(5, 30);

    private final OrderStore store;
    private final Clock clock;
    private final byte[] clientId;
    private final byte[] clientSecret;
    private final List<Settlement> settlements = new ArrayList<>();
    private final Map<PaymentMethod, Integer> rateBps = new EnumMap<>(PaymentMethod.class);
    private final AtomicLong nextId = new AtomicLong(400_001);

    SettlementDesk(OrderStore store, Clock clock, SimulatorConfig config) {
        this.store = store;
        this.clock = clock;
        this.clientId = config.clientId().getBytes(StandardCharsets.UTF_8);
        this.clientSecret = config.clientSecret().getBytes(StandardCharsets.UTF_8);
        resetRates();
    }

    private void resetRates() {
        // CommDesk's recommended-default rate card (docs/fees.md): illustrative, on the gross amount.
        rateBps.put(PaymentMethod.UPI, 0);
        rateBps.put(PaymentMethod.CARD, 200);
        rateBps.put(PaymentMethod.NETBANKING, 190);
        rateBps.put(PaymentMethod.WALLET, 190);
    }

    public synchronized void setRateBps(PaymentMethod method, int bps) {
        if (bps < 0 || bps > 10_000) throw new IllegalArgumentException("rate must be 0..10000 bps");
        rateBps.put(method, bps);
    }

    synchronized void clear() {
        settlements.clear();
        resetRates();
    }

    public synchronized List<Settlement> settlements() {
        return List.copyOf(settlements);
    }

    /**
     * Settles the SUCCESS payments of {@code orderIds} as one settlement at {@code settledAt} (now if null).
     * {@code overrides} (by order id) change what Cashfree reports for an order; {@code omit} leaves orders
     * out; {@code extras} add lines for payments we never booked.
     */
    public synchronized Settlement settle(List<String> orderIds, OffsetDateTime settledAt, Map<String, Plant> overrides,
                                          Set<String> omit, List<Plant> extras) {
        if (settlements.size() >= MAX_SETTLEMENTS) throw new IllegalStateException("simulator holds " + MAX_SETTLEMENTS + " settlements");
        OffsetDateTime at = settledAt != null ? settledAt : OffsetDateTime.now(clock).withOffsetSameInstant(IST);
        String id = Long.toString(nextId.getAndIncrement());
        String utr = "SIMUTR" + id;
        List<Line> lines = new ArrayList<>();
        for (String orderId : orderIds) {
            if (omit.contains(orderId)) continue;
            SimOrder o = store.find(orderId).orElseThrow(() -> new IllegalArgumentException("no order " + orderId));
            for (SimPayment p : o.payments()) {
                if (!"SUCCESS".equals(p.status())) continue;
                long charge = BigDecimal.valueOf(p.amountPaise()).multiply(BigDecimal.valueOf(rateBps.get(p.method())))
                        .divide(BigDecimal.valueOf(10_000), 0, RoundingMode.HALF_UP).longValueExact();
                Plant change = overrides.get(orderId);
                long amount = change != null && change.amountPaise() != null ? change.amountPaise() : p.amountPaise();
                if (change != null && change.serviceChargePaise() != null) charge = change.serviceChargePaise();
                long tax = change != null && change.serviceTaxPaise() != null ? change.serviceTaxPaise() : gst(charge);
                lines.add(new Line(id, utr, at, orderId, p.cfPaymentId(), amount, charge, tax, p.paymentTime()));
            }
        }
        for (Plant x : extras) {
            long charge = x.serviceChargePaise() == null ? 0 : x.serviceChargePaise();
            lines.add(new Line(id, utr, at, x.orderId(), x.cfPaymentId(), Objects.requireNonNull(x.amountPaise(), "amountPaise"), charge,
                    x.serviceTaxPaise() == null ? gst(charge) : x.serviceTaxPaise(), at.minusHours(1),
                    x.eventType() == null ? "PAYMENT" : x.eventType()));
        }
        Settlement s = new Settlement(id, utr, at, List.copyOf(lines));
        settlements.add(s);
        return s;
    }

    private static long gst(long charge) {
        return BigDecimal.valueOf(charge).multiply(BigDecimal.valueOf(18)).divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP).longValueExact();
    }

    // ---- HTTP --------------------------------------------------------------------------------------

    static boolean owns(String path) {
        return path.equals("/pg/settlements") || path.equals("/pg/settlement/recon") || path.equals("/__sim/settlements");
    }

    /** Answers one of the paths {@link #owns} claims. */
    void handle(HttpExchange ex, String path) throws IOException {
        try {
            if (!"POST".equals(ex.getRequestMethod())) {
                drain(ex);
                send(ex, 405, error("method not allowed", "request_failed", "invalid_request_error"));
                return;
            }
            JsonNode body = readJson(ex);
            if (path.equals("/__sim/settlements")) {
                control(ex, body);
                return;
            }
            if (!authenticated(ex)) {
                send(ex, 401, error("authentication Failed", "request_failed", "authentication_error"));
                return;
            }
            String version = ex.getRequestHeaders().getFirst("x-api-version");
            if (version == null || version.isBlank()) {
                send(ex, 400, error("x-api-version : header missing in the request", "version_invalid", "invalid_request_error"));
                return;
            }
            JsonNode filters = body.path("filters");
            Set<String> ids = new HashSet<>();
            filters.path("cf_settlement_ids").forEach(n -> ids.add(n.asText()));
            OffsetDateTime start = documentedTime(filters.path("start_date"), "start_date");
            OffsetDateTime end = documentedTime(filters.path("end_date"), "end_date");
            if (ids.isEmpty() && (start == null || end == null)) {
                send(ex, 400, error("filters : either cf_settlement_ids or start_date and end_date are required", "filters_invalid",
                        "invalid_request_error"));
                return;
            }
            List<Line> selected = new ArrayList<>();
            synchronized (this) {
                for (Settlement s : settlements) {
                    boolean in = ids.isEmpty() ? !s.settledAt().isBefore(start) && !s.settledAt().isAfter(end) : ids.contains(s.cfSettlementId());
                    if (in) selected.addAll(s.lines());
                }
            }
            if (path.equals("/pg/settlements")) {
                send(ex, 200, settlementEntity(selected));
            } else {
                int limit = Math.max(1, Math.min(body.path("pagination").path("limit").asInt(10), 1000));
                String cursor = body.path("pagination").path("cursor").asText(null);
                int offset = cursor == null || cursor.isEmpty() || "null".equals(cursor) ? 0
                        : Integer.parseInt(new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8));
                ObjectNode page = Json.NODES.objectNode();
                int endIdx = Math.min(selected.size(), offset + limit);
                if (endIdx < selected.size()) {
                    page.put("cursor", Base64.getEncoder().encodeToString(Integer.toString(endIdx).getBytes(StandardCharsets.UTF_8)));
                } else {
                    page.putNull("cursor");
                }
                page.put("limit", limit);
                ArrayNode data = page.putArray("data");
                for (int i = offset; i < endIdx; i++) data.add(reconEvent(selected.get(i), i));
                send(ex, 200, page);
            }
        } catch (IllegalArgumentException e) {
            send(ex, 400, error(e.getMessage(), "request_invalid", "invalid_request_error"));
        }
    }

    /** {@code {"order_ids":[...], "settled_at":"...", "omit":[...], "overrides":{"o":{"amount_paise":1,"service_charge_paise":2,"service_tax_paise":3}}, "extras":[{"order_id":"x","cf_payment_id":"9","amount_paise":100}]}} */
    private void control(HttpExchange ex, JsonNode body) throws IOException {
        List<String> orders = new ArrayList<>();
        body.path("order_ids").forEach(n -> orders.add(n.asText()));
        Set<String> omit = new HashSet<>();
        body.path("omit").forEach(n -> omit.add(n.asText()));
        Map<String, Plant> overrides = new java.util.HashMap<>();
        body.path("overrides").fields().forEachRemaining(e -> overrides.put(e.getKey(), plant(e.getKey(), e.getValue())));
        List<Plant> extras = new ArrayList<>();
        body.path("extras").forEach(n -> extras.add(new Plant(n.path("order_id").asText(null), n.path("cf_payment_id").asText(null),
                longOrNull(n.get("amount_paise")), longOrNull(n.get("service_charge_paise")), longOrNull(n.get("service_tax_paise")),
                n.path("event_type").asText(null))));
        Settlement s = settle(orders, time(body.path("settled_at")), overrides, omit, extras);
        ObjectNode n = Json.NODES.objectNode();
        n.put("cf_settlement_id", s.cfSettlementId());
        n.put("settlement_utr", s.utr());
        n.put("settled_at", s.settledAt().toString());
        n.put("lines", s.lines().size());
        n.put("settlement_amount_paise", s.amountPaise());
        send(ex, 200, n);
    }

    private static Plant plant(String orderId, JsonNode n) {
        return new Plant(orderId, n.path("cf_payment_id").asText(null), longOrNull(n.get("amount_paise")),
                longOrNull(n.get("service_charge_paise")), longOrNull(n.get("service_tax_paise")));
    }

    private static Long longOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }

    /** A filter date in Cashfree's documented form, with seconds; anything else is refused as Cashfree may. */
    private static OffsetDateTime documentedTime(JsonNode n, String field) {
        if (n == null || n.isMissingNode() || n.isNull()) return null;
        if (!DOCUMENTED_DATE.matcher(n.asText()).matches()) {
            throw new IllegalArgumentException(field + " : '" + n.asText() + "' is not in the documented form 2024-05-01T00:00:00Z");
        }
        return time(n);
    }

    private static OffsetDateTime time(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return null;
        try {
            return OffsetDateTime.parse(n.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + n.asText() + "' is not an ISO-8601 date-time with offset");
        }
    }

    /** The 2023-08-01 {@code SettlementEntity}: one object, here the totals of the selected events. */
    private static ObjectNode settlementEntity(List<Line> lines) {
        ObjectNode n = Json.NODES.objectNode();
        n.put("entity", "settlement");
        if (lines.isEmpty()) return n;
        Line first = lines.get(0);
        long amount = 0, charge = 0, tax = 0;
        for (Line l : lines) {
            amount += l.amountPaise();
            charge += l.serviceChargePaise();
            tax += l.serviceTaxPaise();
        }
        n.put("cf_settlement_id", first.cfSettlementId());
        n.put("order_amount", Json.rupees(amount));
        n.put("service_charge", Json.rupees(charge));
        n.put("service_tax", Json.rupees(tax));
        n.put("settlement_amount", Json.rupees(amount - charge - tax));
        n.put("settlement_currency", "INR");
        n.put("transfer_utr", first.settlementUtr());
        n.put("transfer_time", first.settledAt().toString());
        return n;
    }

    /** One event of the 2023-08-01 {@code SettlementReconEntity.data}. */
    private static ObjectNode reconEvent(Line l, int index) {
        ObjectNode n = Json.NODES.objectNode();
        n.put("event_id", l.cfSettlementId() + "-" + index);
        n.put("event_type", l.eventType());
        n.put("event_settlement_amount", Json.rupees(l.settlementAmountPaise()));
        n.put("event_amount", Json.rupees(l.amountPaise()));
        n.put("sale_type", "CREDIT");
        n.put("event_status", "SUCCESS");
        n.put("entity", "recon");
        n.put("event_time", l.paymentTime() == null ? null : l.paymentTime().toString());
        n.put("event_currency", "INR");
        n.put("order_id", l.orderId());
        n.put("order_amount", l.orderId() == null ? null : Json.rupees(l.amountPaise()));
        n.put("payment_amount", l.cfPaymentId() == null ? null : Json.rupees(l.amountPaise()));
        n.put("payment_time", l.paymentTime() == null ? null : l.paymentTime().toString());
        n.put("payment_service_charge", Json.rupees(l.serviceChargePaise()));
        n.put("payment_service_tax", Json.rupees(l.serviceTaxPaise()));
        n.put("cf_payment_id", l.cfPaymentId());
        n.put("cf_settlement_id", l.cfSettlementId());
        n.put("settlement_date", l.settledAt().toString());
        n.put("settlement_utr", l.settlementUtr());
        n.put("split_service_charge", BigDecimal.ZERO);
        n.put("split_service_tax", BigDecimal.ZERO);
        n.put("vendor_commission", BigDecimal.ZERO);
        return n;
    }

    private boolean authenticated(HttpExchange ex) {
        String id = ex.getRequestHeaders().getFirst("x-client-id");
        String secret = ex.getRequestHeaders().getFirst("x-client-secret");
        boolean idOk = id != null && MessageDigest.isEqual(id.getBytes(StandardCharsets.UTF_8), clientId);
        boolean secretOk = secret != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), clientSecret);
        return idOk & secretOk;
    }

    private static JsonNode readJson(HttpExchange ex) throws IOException {
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readNBytes(CashfreeSimulator.MAX_BODY_BYTES + 1);
        }
        if (raw.length > CashfreeSimulator.MAX_BODY_BYTES) throw new IllegalArgumentException("request body too large");
        if (raw.length == 0) return Json.NODES.objectNode();
        try {
            JsonNode n = Json.MAPPER.readTree(raw);
            if (n == null || !n.isObject()) throw new IllegalArgumentException("request body must be a JSON object");
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("request body is not valid JSON");
        }
    }

    private static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.skip(CashfreeSimulator.MAX_BODY_BYTES);
        }
    }

    private static ObjectNode error(String message, String code, String type) {
        return Json.NODES.objectNode().put("message", message).put("code", code).put("type", type);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
