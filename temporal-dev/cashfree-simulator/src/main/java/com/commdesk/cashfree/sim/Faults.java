package com.commdesk.cashfree.sim;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fault-injection controller of one simulator ({@link CashfreeSimulator#faults()}). Thread-safe.
 * Faults are checked in the order they were added; the first active one whose path prefix matches a
 * request applies to it (and, if limited by {@link Fault#times(int)}, is used up by one).
 */
public final class Faults {

    /** Bound on simultaneously configured faults (each is tiny, but the list must not grow without end). */
    static final int MAX_FAULTS = 1_000;

    private final Clock clock;
    private final CopyOnWriteArrayList<Active> active = new CopyOnWriteArrayList<>();
    /** Released by {@link #clear()} so hanging requests end at once. */
    private final AtomicReference<CountDownLatch> release = new AtomicReference<>(new CountDownLatch(1));

    static final class Active {
        final Fault fault;
        final AtomicInteger remaining;
        final Instant expiresAt;

        Active(Fault fault, Instant now) {
            this.fault = fault;
            this.remaining = new AtomicInteger(fault.times());
            this.expiresAt = fault.duration() == null ? null : now.plus(fault.duration());
        }

        boolean expired(Instant now) {
            return (expiresAt != null && !now.isBefore(expiresAt))
                    || (fault.times() > 0 && remaining.get() <= 0);
        }

        /** Claims one use; false if it was used up meanwhile. */
        boolean claim() {
            if (fault.times() == 0) {
                return true;
            }
            int r;
            do {
                r = remaining.get();
                if (r <= 0) {
                    return false;
                }
            } while (!remaining.compareAndSet(r, r - 1));
            return true;
        }
    }

    Faults(Clock clock) {
        this.clock = clock;
    }

    /** Adds a fault; it is active at once. */
    public void add(Fault fault) {
        if (active.size() >= MAX_FAULTS) {
            throw new IllegalStateException("at most " + MAX_FAULTS + " faults at once; clear() first");
        }
        active.add(new Active(fault, clock.instant()));
    }

    /** Removes every fault and ends every request that is hanging now. */
    public void clear() {
        active.clear();
        release.getAndSet(new CountDownLatch(1)).countDown();
    }

    /** The faults still active (not used up, not expired), oldest first. */
    public List<Fault> active() {
        Instant now = clock.instant();
        List<Fault> out = new ArrayList<>();
        for (Active a : active) {
            if (!a.expired(now)) {
                out.add(a.fault);
            }
        }
        return out;
    }

    // ---- conveniences -------------------------------------------------------------------------

    /** The next {@code n} API requests (any path) get a 503. */
    public void unavailableNext(int n) {
        add(Fault.unavailable().times(n));
    }

    /** The next {@code n} API requests (any path) get a 429. */
    public void rateLimitNext(int n) {
        add(Fault.rateLimited().times(n));
    }

    // ---- used by the server -------------------------------------------------------------------

    /** The fault that applies to a request for {@code path}, claiming one use of it; null if none. */
    Fault match(String path) {
        Instant now = clock.instant();
        for (Active a : active) {
            if (a.expired(now)) {
                active.remove(a);
                continue;
            }
            if (path.startsWith(a.fault.pathPrefix()) && a.claim()) {
                return a.fault;
            }
        }
        return null;
    }

    /** What a hanging request waits on. */
    CountDownLatch releaseLatch() {
        return release.get();
    }
}
