package com.commdesk.api.web;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * Calls to Temporal made after a request has answered, so no request thread waits on Temporal (under load, or while it
 * is unreachable, a call waits seconds at a time): at most {@code maxInFlight} at once, on virtual threads (a call is a
 * blocking gRPC call that mostly waits), one per key at a time, each with the request's log context (request id), and a
 * sweep on its own thread that hands again whatever its owner finds not done. Used by
 * {@link com.commdesk.api.refund.RefundSignals} (refund webhooks): what a call must achieve is recorded first by its
 * owner, so a call lost to a crash, a full queue or an outage is made again by the owner's sweep. Payment starts do not
 * use it: {@link com.commdesk.api.payment.PaymentStarter} paces its own queue (oldest first, backing off while Temporal is
 * overloaded; issue 13), which refund signals, a few per refund, do not need.
 */
public final class OffRequestThread {
    private final int maxInFlight;
    private final Semaphore slots;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService calls;
    private final ScheduledExecutorService sweeper;

    public OffRequestThread(String name, int maxInFlight) {
        this.maxInFlight = maxInFlight;
        this.slots = new Semaphore(maxInFlight);
        this.calls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-sweep");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code sweep} every {@code every}, first after one {@code every}; a sweep that throws does not stop the next. */
    public void sweepEvery(Duration every, Runnable sweep) {
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                sweep.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(OffRequestThread.class).warn("sweep failed, next one in {}: {}", every, e.getMessage());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code call} for {@code key} off the caller's thread now, unless too many are in flight, that key is, or this is
     * stopping (then the owner's sweep hands it again); never throws.
     */
    public void submit(String key, Runnable call) {
        if (!slots.tryAcquire()) return;
        if (!inFlight.add(key)) {
            slots.release();
            return;
        }
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        try {
            calls.execute(() -> {
                if (logContext != null) MDC.setContextMap(logContext);
                try {
                    call.run();
                } finally {
                    MDC.clear();
                    inFlight.remove(key);
                    slots.release();
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            inFlight.remove(key);
            slots.release();
        }
    }

    /** Waits until no call is in flight (tests; and shutdown, bounded). */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (!slots.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) return false;
        slots.release(maxInFlight);
        return true;
    }

    /** Stops the sweep and waits (bounded) for the calls in flight. */
    public void stop() throws InterruptedException {
        sweeper.shutdownNow();
        calls.shutdown();
        calls.awaitTermination(10, TimeUnit.SECONDS);
    }
}
