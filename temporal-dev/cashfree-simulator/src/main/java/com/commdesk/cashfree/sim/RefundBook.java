package com.commdesk.cashfree.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /pg/orders/{order_id}/refunds}: refunds of a paid order, by our refund_id. The same
 * refund_id again returns the same refund (409 if the amount differs); refunds never exceed what was
 * paid. Refunds settle at once (Cashfree's would be PENDING first). Amounts are paise inside.
 */
public final class RefundBook {
    /** One refund as recorded. */
    public record SimRefund(String refundId, String cfRefundId, String orderId, String cfPaymentId, long amountPaise, String note) {}

    private final Map<String, SimRefund> byRefundId = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(7_000_000);

    /** Refunds recorded for an order (for tests). */
    public long refundedPaise(String orderId) {
        return byRefundId.values().stream().filter(r -> r.orderId().equals(orderId)).mapToLong(SimRefund::amountPaise).sum();
    }

    public int count() {
        return byRefundId.size();
    }

    void clear() {
        byRefundId.clear();
    }

    /** Handles an authenticated create-refund call for an existing order. */
    synchronized void create(HttpExchange ex, SimOrder order) throws IOException {
        JsonNode body;
        try (InputStream in = ex.getRequestBody()) {
            body = Json.MAPPER.readTree(in.readNBytes(64 * 1024));
        }
        String refundId = body.path("refund_id").asText("");
        if (!refundId.matches("[A-Za-z0-9_.:-]{3,64}")) {
            error(ex, 400, "refund_id : is missing or invalid", "refund_id_invalid");
            return;
        }
        long paise;
        try {
            paise = new BigDecimal(body.path("refund_amount").asText("0")).movePointRight(2).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            error(ex, 400, "refund_amount : must be rupees with at most 2 decimals", "refund_amount_invalid");
            return;
        }
        SimRefund existing = byRefundId.get(refundId);
        if (existing != null) {
            if (existing.amountPaise() != paise || !existing.orderId().equals(order.orderId())) {
                error(ex, 409, "refund with this refund_id already exists with other details", "refund_already_exists");
            } else {
                send(ex, 200, entity(existing));
            }
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
        SimRefund r = new SimRefund(refundId, Long.toString(ids.incrementAndGet()), order.orderId(), paid.cfPaymentId(), paise,
                body.path("refund_note").asText(null));
        byRefundId.put(refundId, r);
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
        n.put("refund_status", "SUCCESS");
        n.put("refund_type", "MERCHANT_INITIATED");
        return n;
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
