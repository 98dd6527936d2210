package com.commdesk.cashfree.sim;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The simulator's orders and payments. Thread-safe: the map is concurrent, creation is serialised on
 * {@code this} (to enforce the cap and order-id uniqueness together), and each order's mutable part is
 * guarded by its own monitor.
 */
final class OrderStore {

    /** Cashfree's rule for {@code order_id}: 3–45 characters, alphanumeric, '_' and '-' only. */
    static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9_-]{3,45}");
    static final ZoneOffset IST = ZoneOffset.ofHoursMinutes(5, 30);
    private static final Duration ORDER_VALIDITY = Duration.ofDays(30);

    private final int maxOrders;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Entry> orders = new ConcurrentHashMap<>();
    /** Idempotency keys seen on create: key -> (orderId, fingerprint of the request body). */
    private final ConcurrentHashMap<String, IdempotentCreate> idempotency = new ConcurrentHashMap<>();
    private final AtomicLong cfOrderIds = new AtomicLong(2_149_460_000L);
    private final AtomicLong cfPaymentIds = new AtomicLong(5_114_910_000L);

    record IdempotentCreate(String orderId, String fingerprint) {
    }

    /** Thrown when the cap is reached. */
    static final class CapacityExceededException extends RuntimeException {
        CapacityExceededException(int max) {
            super("cashfree-simulator keeps at most " + max + " orders; POST /__sim/reset (or CashfreeSimulator.reset())"
                    + " or start it with a larger SimulatorConfig.maxOrders");
        }
    }

    /** Thrown when an order id is taken. */
    static final class DuplicateOrderException extends RuntimeException {
        DuplicateOrderException(String orderId) {
            super("order with same id is already present: " + orderId);
        }
    }

    private static final class Entry {
        final String orderId;
        final String cfOrderId;
        final long amountPaise;
        final String currency;
        final Map<String, String> tags;
        final String customerId;
        final String customerPhone;
        final String customerName;
        final String customerEmail;
        final String paymentSessionId;
        final OffsetDateTime createdAt;
        final OffsetDateTime expiresAt;
        // guarded by this
        String status = "ACTIVE";
        /** A payment attempt in flight (a UPI collect awaiting the customer): a termination asked for now waits for it. */
        boolean attemptInFlight;
        final List<SimPayment> payments = new ArrayList<>();

        Entry(String orderId, String cfOrderId, long amountPaise, String currency, Map<String, String> tags,
              String customerId, String customerPhone, String customerName, String customerEmail,
              String paymentSessionId, OffsetDateTime createdAt, OffsetDateTime expiresAt) {
            this.orderId = orderId;
            this.cfOrderId = cfOrderId;
            this.amountPaise = amountPaise;
            this.currency = currency;
            this.tags = tags;
            this.customerId = customerId;
            this.customerPhone = customerPhone;
            this.customerName = customerName;
            this.customerEmail = customerEmail;
            this.paymentSessionId = paymentSessionId;
            this.createdAt = createdAt;
            this.expiresAt = expiresAt;
        }

        synchronized SimOrder snapshot() {
            return new SimOrder(orderId, cfOrderId, amountPaise, currency, status, tags, customerId, customerPhone,
                    paymentSessionId, createdAt, expiresAt, payments);
        }
    }

    /** Customer details as sent on create. */
    record Customer(String id, String phone, String name, String email) {
    }

    OrderStore(int maxOrders, Clock clock) {
        this.maxOrders = maxOrders;
        this.clock = clock;
    }

    OffsetDateTime nowIst() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(IST).truncatedTo(ChronoUnit.SECONDS);
    }

    String newOrderId() {
        return "order_" + HexFormat.of().formatHex(randomBytes(12));
    }

    /**
     * Creates an order; {@code orderId} must already be valid.
     *
     * @throws DuplicateOrderException   if the id is taken
     * @throws CapacityExceededException if the cap is reached
     */
    synchronized SimOrder create(String orderId, long amountPaise, String currency, Map<String, String> tags,
                                 Customer customer) {
        if (orders.containsKey(orderId)) {
            throw new DuplicateOrderException(orderId);
        }
        if (orders.size() >= maxOrders) {
            throw new CapacityExceededException(maxOrders);
        }
        OffsetDateTime now = nowIst();
        Entry e = new Entry(orderId, Long.toString(cfOrderIds.incrementAndGet()), amountPaise, currency,
                Map.copyOf(new LinkedHashMap<>(tags)), customer.id(), customer.phone(), customer.name(),
                customer.email(), "session_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(48)),
                now, now.plus(ORDER_VALIDITY));
        orders.put(orderId, e);
        return e.snapshot();
    }

    /** Idempotent create: remembers {@code key} for the order just created (first writer wins). */
    IdempotentCreate rememberIdempotencyKey(String key, String orderId, String fingerprint) {
        return idempotency.putIfAbsent(key, new IdempotentCreate(orderId, fingerprint));
    }

    Optional<IdempotentCreate> idempotencyKey(String key) {
        return Optional.ofNullable(idempotency.get(key));
    }

    Optional<SimOrder> find(String orderId) {
        Entry e = orders.get(orderId);
        return e == null ? Optional.empty() : Optional.of(e.snapshot());
    }

    Optional<Customer> customer(String orderId) {
        Entry e = orders.get(orderId);
        return e == null ? Optional.empty()
                : Optional.of(new Customer(e.customerId, e.customerPhone, e.customerName, e.customerEmail));
    }

    /**
     * Records a SUCCESS payment and marks the order PAID.
     *
     * @throws java.util.NoSuchElementException if there is no such order
     * @throws IllegalStateException            if the order is not ACTIVE
     */
    SimPayment pay(String orderId, PaymentMethod method, Long amountPaise) {
        Entry e = entry(orderId);
        synchronized (e) {
            // An attempt in flight may still succeed after a termination was asked for (Cashfree: TERMINATION_REQUESTED can
            // go to PAID); no new attempt can be made on a TERMINATED, EXPIRED or PAID order.
            boolean payable = "ACTIVE".equals(e.status) || ("TERMINATION_REQUESTED".equals(e.status) && e.attemptInFlight);
            if (!payable) {
                throw new IllegalStateException("order " + orderId + " is " + e.status + ", only an ACTIVE order can be paid");
            }
            e.attemptInFlight = false;
            long paid = amountPaise == null ? e.amountPaise : amountPaise;
            if (paid < 1) {
                throw new IllegalArgumentException("amount_paise must be >= 1, was " + paid);
            }
            SimPayment p = new SimPayment(Long.toString(cfPaymentIds.incrementAndGet()), orderId, paid, e.currency,
                    "SUCCESS", method, nowIst(), Long.toString(100_000_000_000L + random.nextLong(899_999_999_999L)));
            e.payments.add(p);
            e.status = "PAID";
            return p;
        }
    }

    /**
     * A payment attempt begins on an ACTIVE order and has not ended (the customer's UPI app has not answered): a
     * termination asked for meanwhile is {@code TERMINATION_REQUESTED} until the attempt succeeds ({@link #pay}).
     *
     * @throws java.util.NoSuchElementException if there is no such order
     * @throws IllegalStateException            if the order is not ACTIVE
     */
    SimOrder beginAttempt(String orderId) {
        Entry e = entry(orderId);
        synchronized (e) {
            if (!"ACTIVE".equals(e.status)) throw new IllegalStateException("order " + orderId + " is " + e.status + ", not ACTIVE");
            e.attemptInFlight = true;
            return e.snapshot();
        }
    }

    /**
     * Cashfree's Terminate Order: an ACTIVE order becomes TERMINATED (no payment can be made on it), or
     * TERMINATION_REQUESTED while a payment attempt is in flight; any other order is answered as it is (a PAID order stays
     * PAID: "order might not be terminated - confirm with the order_status in response"). Asking again changes nothing.
     *
     * @throws java.util.NoSuchElementException if there is no such order
     */
    SimOrder terminate(String orderId) {
        Entry e = entry(orderId);
        synchronized (e) {
            if ("ACTIVE".equals(e.status)) e.status = e.attemptInFlight ? "TERMINATION_REQUESTED" : "TERMINATED";
            return e.snapshot();
        }
    }

    private Entry entry(String orderId) {
        Entry e = orders.get(orderId);
        if (e == null) throw new java.util.NoSuchElementException("no order " + orderId);
        return e;
    }

    int size() {
        return orders.size();
    }

    synchronized void clear() {
        orders.clear();
        idempotency.clear();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
