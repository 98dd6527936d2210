package com.commdesk.cashfree.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Refunds as Cashfree handles them (API 2023-08-01), by our refund_id:
 * <ul>
 *   <li>{@code POST /pg/orders/{order_id}/refunds}: refund_id at most 40 of letters, digits, {@code _} and
 *       {@code -}; refund_note, when given, 3 to 100 characters (else 400); refunds never exceed what was
 *       paid. A new refund is PENDING; the same refund_id again is 409 {@code refund_already_exists}
 *       whatever the details (the caller fetches it).</li>
 *   <li>{@code GET /pg/orders/{order_id}/refunds/{refund_id}}: the refund as it is now (404 if unknown).</li>
 *   <li>A PENDING refund settles by its scenario — SUCCESS (default), CANCELLED or FAILED after
 *       {@link #settleAfter}, or PENDING until told ({@link #settle}) — and each settlement sends a signed
 *       {@code REFUND_STATUS_WEBHOOK}.</li>
 * </ul>
 * Amounts are paise inside.
 */
public final class RefundBook implements AutoCloseable {
    /** What a refund becomes after PENDING. */
    public enum Outcome { SUCCESS, CANCELLED, FAILED, PENDING }

    /** One refund as recorded. */
    public record SimRefund(String refundId, String cfRefundId, String orderId, String cfPaymentId, long amountPaise, String note,
                            String status) {
        SimRefund withStatus(String s) {
            return new SimRefund(refundId, cfRefundId, orderId, cfPaymentId, amountPaise, note, s);
        }
    }

    static final Pattern REFUND_ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    private final Map<String, SimRefund> byRefundId = new ConcurrentHashMap<>();
    private final Map<String, Outcome> scenarios = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(7_000_000);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sim-refund-settlement");
        t.setDaemon(true);
        return t;
    });
    private final Clock clock;
    /** Sends a signed webhook (type, raw body) to the configured URL, if any. */
    private final BiConsumer<String, String> webhooks;
    private volatile Outcome defaultOutcome = Outcome.SUCCESS;
    private volatile Duration settleAfter = Duration.ofMillis(200);

    RefundBook(Clock clock, BiConsumer<String, String> webhooks) {
        this.clock = clock;
        this.webhooks = webhooks;
    }

    /** How the next refund with this id ends (set before it is created). */
    public void scenario(String refundId, Outcome outcome) {
        scenarios.put(refundId, outcome);
    }

    /** How refunds without a scenario end (SUCCESS unless changed). */
    public void defaultOutcome(Outcome outcome) {
        this.defaultOutcome = outcome;
    }

    /** How long a refund stays PENDING before its scenario's outcome (200 ms unless changed). */
    public void settleAfter(Duration delay) {
        this.settleAfter = delay;
    }

    /** Settles a PENDING refund now (SUCCESS, CANCELLED or FAILED) and sends its webhook. False if not PENDING. */
    public boolean settle(String refundId, Outcome outcome) {
        if (outcome == Outcome.PENDING) throw new IllegalArgumentException("settle to SUCCESS, CANCELLED or FAILED");
        SimRefund r = byRefundId.computeIfPresent(refundId, (k, v) -> v.status().equals("PENDING") ? v.withStatus(outcome.name()) : v);
        if (r == null || !r.status().equals(outcome.name())) return false;
        webhooks.accept("REFUND_STATUS_WEBHOOK", webhookBody(r));
        return true;
    }

    /**
     * A refund Cashfree already holds under {@code refundId} for {@code amountPaise} of the order (an earlier request with
     * another amount, another client of the same account): PENDING until {@link #settle}. For tests of what we do when
     * Cashfree's record of our refund id is not our refund.
     */
    public SimRefund existing(String refundId, String orderId, long amountPaise) {
        SimRefund r = new SimRefund(refundId, Long.toString(ids.incrementAndGet()), orderId, "sim-existing", amountPaise, null, "PENDING");
        if (byRefundId.putIfAbsent(refundId, r) != null) throw new IllegalStateException("refund " + refundId + " exists");
        return r;
    }

    public Optional<SimRefund> find(String refundId) {
        return Optional.ofNullable(byRefundId.get(refundId));
    }

    /** Refunded (or still pending) for an order: what Cashfree pays or will pay back; cancelled and failed ones do not count. */
    public long refundedPaise(String orderId) {
        return byRefundId.values().stream().filter(r -> r.orderId().equals(orderId))
                .filter(r -> !r.status().equals("CANCELLED") && !r.status().equals("FAILED")).mapToLong(SimRefund::amountPaise).sum();
    }

    public int count() {
        return byRefundId.size();
    }

    void clear() {
        byRefundId.clear();
        scenarios.clear();
        defaultOutcome = Outcome.SUCCESS;
        settleAfter = Duration.ofMillis(200);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** Handles an authenticated create-refund call for an existing order. */
    synchronized void create(HttpExchange ex, SimOrder order) throws IOException {
        JsonNode body;
        try (InputStream in = ex.getRequestBody()) {
            body = Json.MAPPER.readTree(in.readNBytes(64 * 1024));
        }
        String refundId = body.path("refund_id").asText("");
        if (!REFUND_ID.matcher(refundId).matches()) {
            error(ex, 400, "refund_id : should be at most 40 characters of letters, digits, _ and -", "refund_id_invalid");
            return;
        }
        String note = body.path("refund_note").isMissingNode() || body.path("refund_note").isNull() ? null : body.path("refund_note").asText();
        if (note != null && (note.length() < 3 || note.length() > 100)) {
            error(ex, 400, "refund_note : should be 3 to 100 characters", "refund_note_invalid");
            return;
        }
        long paise;
        try {
            // A JSON number of rupees, read as BigDecimal (never a double); a string or a missing amount is refused.
            paise = Json.paise(body.get("refund_amount"));
        } catch (IllegalArgumentException e) {
            error(ex, 400, "refund_amount : must be a number of rupees with at most 2 decimals", "refund_amount_invalid");
            return;
        }
        if (byRefundId.containsKey(refundId)) {
            error(ex, 409, "refund with refund_id " + refundId + " already exists", "refund_already_exists");
            return;
        }
        SimPayment paid = order.payments().stream().filter(p -> "SUCCESS".equals(p.status())).findFirst().orElse(null);
        if (paid == null) {
            error(ex, 400, "order is not paid", "order_not_paid");
            return;
        }
        if (paise <= 0 || refundedPaise(order.orderId()) + paise > paid.amountPaise()) {
            error(ex, 400, "refund_amount : exceeds the refundable amount", "refund_amount_invalid");
            return;
        }
        SimRefund r = new SimRefund(refundId, Long.toString(ids.incrementAndGet()), order.orderId(), paid.cfPaymentId(), paise, note,
                "PENDING");
        byRefundId.put(refundId, r);
        Outcome outcome = scenarios.getOrDefault(refundId, defaultOutcome);
        if (outcome != Outcome.PENDING) {
            timer.schedule(() -> settle(refundId, outcome), settleAfter.toMillis(), TimeUnit.MILLISECONDS);
        }
        send(ex, 200, entity(r));
    }

    /** {@code GET /pg/orders/{order_id}/refunds/{refund_id}}. */
    void fetch(HttpExchange ex, String orderId, String refundId) throws IOException {
        SimRefund r = byRefundId.get(refundId);
        if (r == null || !r.orderId().equals(orderId)) {
            error(ex, 404, "refund not found", "refund_not_found");
            return;
        }
        send(ex, 200, entity(r));
    }

    private static ObjectNode entity(SimRefund r) {
        ObjectNode n = Json.NODES.objectNode();
        n.put("cf_payment_id", r.cfPaymentId());
        n.put("cf_refund_id", r.cfRefundId());
        n.put("order_id", r.orderId());
        n.put("refund_id", r.refundId());
        n.put("entity", "refund");
        n.put("refund_amount", Json.rupees(r.amountPaise()));
        n.put("refund_currency", "INR");
        n.put("refund_note", r.note());
        n.put("refund_status", r.status());
        n.put("refund_type", "MERCHANT_INITIATED");
        n.put("status_description", switch (r.status()) {
            case "SUCCESS" -> "Refund processed successfully";
            case "CANCELLED" -> "Refund cancelled";
            case "FAILED" -> "Refund failed at the bank";
            default -> "Refund is being processed";
        });
        return n;
    }

    private String webhookBody(SimRefund r) {
        ObjectNode root = Json.NODES.objectNode();
        root.putObject("data").set("refund", entity(r));
        root.put("event_time", clock.instant().toString());
        root.put("type", "REFUND_STATUS_WEBHOOK");
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(HttpExchange ex, int status, String message, String code) throws IOException {
        ObjectNode n = Json.NODES.objectNode();
        n.put("message", message);
        n.put("code", code);
        n.put("type", "invalid_request_error");
        send(ex, status, n);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
