package com.commdesk.api.refund;

import com.commdesk.api.web.OffRequestThread;
import io.micrometer.core.instrument.Counter;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals to a refund's workflow that must arrive, whose content the caller has recorded in the ledger first (a webhook
 * answer, finance's resolution): tried at once off the request thread; one that fails (Temporal away) stays pending in
 * memory and is tried again every {@link #SWEEP_EVERY}; every {@link #RECOVER_EVERY} (first at start) what the ledger holds
 * and this process has neither pending nor delivered is signalled again (a signal lost with a process that died).
 * Signalling twice is harmless to the workflow; a workflow that has ended needs nothing more. One mechanism for
 * {@link RefundSignals} and {@link RefundResolutionSignals}.
 */
final class RefundSignalOutbox<T> {
    static final Duration SWEEP_EVERY = Duration.ofSeconds(5);
    /** The ledger is read this often. */
    static final Duration RECOVER_EVERY = Duration.ofMinutes(5);
    /** Keys this process delivered (or found the workflow ended for), remembered so the ledger sweep skips them. */
    private static final int REMEMBERED = 20_000;
    /** Signals not yet delivered, kept in memory; beyond it one waits for the ledger sweep (bounded memory in a long outage). */
    private static final int MAX_PENDING = 10_000;
    private static final Logger log = LoggerFactory.getLogger(RefundSignalOutbox.class);

    /** One signal: its key (unique per content), the refund, what is sent. */
    record Item<T>(String key, String refundId, T payload) {}

    /** Signals one refund's workflow, or throws ({@link WorkflowNotFoundException}: it has ended). */
    interface Send<T> {
        void send(String refundId, T payload);
    }

    private final String what;
    private final Send<T> send;
    private final Function<OffsetDateTime, List<Item<T>>> recorded;
    private final Counter failed;
    private final OffRequestThread offThread;
    private final Map<String, Item<T>> pending = new ConcurrentHashMap<>();
    private final Set<String> delivered = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    }));
    private volatile OffsetDateTime recoveredAt;

    /**
     * {@code what}: for the log ("Cashfree's answer"); {@code recorded}: what the ledger holds as of a time, not yet booked;
     * {@code sweeping}: run the sweep on its own (tests call {@link #sweep} themselves).
     */
    RefundSignalOutbox(String what, String threadName, int maxInFlight, Send<T> send, Function<OffsetDateTime, List<Item<T>>> recorded,
                       Counter failed, boolean sweeping) {
        this.what = what;
        this.send = send;
        this.recorded = recorded;
        this.failed = failed;
        this.offThread = new OffRequestThread(threadName, maxInFlight);
        if (sweeping) offThread.sweepEvery(SWEEP_EVERY, this::sweep);
    }

    /** Signals soon, off the request thread; never throws. The content must already be recorded. */
    void submit(Item<T> item) {
        if (pending.size() < MAX_PENDING) pending.put(item.key(), item);
        offThread.submit(item.key(), () -> deliver(item)); // not run now (full, stopping): the sweep tries
    }

    private void deliver(Item<T> item) {
        try {
            send.send(item.refundId(), item.payload());
            log.info("refund {}: {} signalled to its workflow ({})", item.refundId(), what, item.key());
        } catch (WorkflowNotFoundException ended) {
            log.info("refund {}: {} not signalled: no running workflow (its outcome is booked or an operator decides)", item.refundId(), what);
        } catch (RuntimeException e) {
            failed.increment();
            log.warn("refund {}: signalling {} failed, the sweep retries it: {}", item.refundId(), what, e.getMessage());
            return;
        }
        delivered.add(item.key());
        pending.remove(item.key(), item);
    }

    /** Tries again what failed here; every RECOVER_EVERY, also what the ledger holds and this process never delivered. */
    void sweep() {
        pending.values().forEach(p -> offThread.submit(p.key(), () -> deliver(p))); // one already in flight is left to run
        OffsetDateTime now = OffsetDateTime.now();
        if (recoveredAt != null && recoveredAt.plus(RECOVER_EVERY).isAfter(now)) return;
        recoveredAt = now;
        try {
            for (Item<T> item : recorded.apply(now)) {
                if (!delivered.contains(item.key()) && !pending.containsKey(item.key())) submit(item);
            }
        } catch (RuntimeException e) {
            recoveredAt = null; // read again at the next sweep
            log.warn("recovery of {} could not read the database, next sweep in {}: {}", what, SWEEP_EVERY, e.getMessage());
        }
    }

    int pending() {
        return pending.size();
    }

    /** Waits until no signal is in flight (tests; and shutdown, bounded). */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return offThread.awaitIdle(timeout);
    }

    void stop() throws InterruptedException {
        offThread.stop();
    }
}
