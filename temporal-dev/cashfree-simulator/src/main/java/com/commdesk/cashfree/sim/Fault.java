package com.commdesk.cashfree.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * One fault to inject into the simulated Cashfree API (never into {@code /__sim/} control endpoints).
 * Build with the factories and withers, e.g.
 * {@code Fault.unavailable().onPath("/pg/orders").times(2)} or
 * {@code Fault.slow(Duration.ofMillis(800)).lasting(Duration.ofSeconds(5))}.
 *
 * @param kind       what happens to a matching request
 * @param pathPrefix requests whose path starts with this are affected; {@code "/"} = every API request
 * @param times      how many matching requests it affects; {@code 0} = unlimited (until {@code duration}
 *                   passes or the faults are cleared)
 * @param duration   how long it stays active from when it is added; {@code null} = until used up/cleared
 * @param delay      {@link Kind#SLOW}: the added latency; {@link Kind#HANG}: the longest the server holds the
 *                   request before dropping the connection (the client normally times out first)
 */
public record Fault(Kind kind, String pathPrefix, int times, Duration duration, Duration delay) {

    /** The fault kinds. */
    public enum Kind {
        /** HTTP 503 with Cashfree's {@code api_error} shape (downtime). */
        UNAVAILABLE,
        /** HTTP 429 with Cashfree's {@code rate_limit_error} shape and {@code x-ratelimit-*} headers. */
        RATE_LIMITED,
        /** The request is answered normally after {@code delay}. */
        SLOW,
        /** No answer: the request is held until the client gives up, the faults are cleared, or {@code delay} passes; then the connection is dropped. */
        HANG
    }

    /** The longest a {@link Kind#HANG} holds a request unless told otherwise. */
    public static final Duration DEFAULT_MAX_HANG = Duration.ofSeconds(60);

    public Fault {
        Objects.requireNonNull(kind, "kind");
        pathPrefix = pathPrefix == null || pathPrefix.isEmpty() ? "/" : pathPrefix;
        if (!pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("pathPrefix must start with '/': " + pathPrefix);
        }
        if (pathPrefix.startsWith("/__sim")) {
            throw new IllegalArgumentException("faults never apply to the /__sim/ control endpoints");
        }
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0 (0 = unlimited), was " + times);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive");
        }
        if (kind == Kind.SLOW && (delay == null || delay.isNegative())) {
            throw new IllegalArgumentException("a SLOW fault needs a non-negative delay");
        }
        if (kind == Kind.HANG && delay == null) {
            delay = DEFAULT_MAX_HANG;
        }
    }

    public static Fault unavailable() {
        return new Fault(Kind.UNAVAILABLE, "/", 0, null, null);
    }

    public static Fault rateLimited() {
        return new Fault(Kind.RATE_LIMITED, "/", 0, null, null);
    }

    public static Fault slow(Duration delay) {
        return new Fault(Kind.SLOW, "/", 0, null, delay);
    }

    public static Fault hang() {
        return new Fault(Kind.HANG, "/", 0, null, DEFAULT_MAX_HANG);
    }

    /** Only requests whose path starts with {@code prefix} (e.g. {@code /pg/orders}). */
    public Fault onPath(String prefix) {
        return new Fault(kind, prefix, times, duration, delay);
    }

    /** Only the next {@code n} matching requests. */
    public Fault times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times(n) needs n >= 1");
        }
        return new Fault(kind, pathPrefix, n, duration, delay);
    }

    /** Active for {@code d} from when it is added. */
    public Fault lasting(Duration d) {
        return new Fault(kind, pathPrefix, times, d, delay);
    }

    /** For {@link Kind#HANG}: hold a request at most {@code d}. */
    public Fault maxHang(Duration d) {
        if (kind != Kind.HANG) {
            throw new IllegalStateException("maxHang applies to HANG faults only");
        }
        return new Fault(kind, pathPrefix, times, duration, d);
    }
}
