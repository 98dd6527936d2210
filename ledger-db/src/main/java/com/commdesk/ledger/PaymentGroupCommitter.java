package com.commdesk.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for payment postings: callers on many threads each post one payment and wait; a
 * few writer threads collect what is waiting (up to {@code maxBatch}, or whatever arrived within
 * {@code maxWait}) and post it as one transaction with {@link PaymentLedger#postPayments}.
 * Every payment is still atomic and idempotent on its own; the commit (the fsync) is shared.
 * The queue is bounded: when it is full, callers block, which is the backpressure.
 */
public final class PaymentGroupCommitter implements PaymentPoster, AutoCloseable {
    private record Pending(PaymentPosting posting, CompletableFuture<PostedPayment> result) {}

    static final long WAIT_LIMIT_SECONDS = 120;

    private final PaymentLedger ledger;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closed;

    public PaymentGroupCommitter(PaymentLedger ledger, int maxBatch, Duration maxWait, int writerThreads, int queueCapacity) {
        if (maxBatch < 1 || maxBatch > PaymentLedger.MAX_BATCH) throw new IllegalArgumentException("maxBatch 1.." + PaymentLedger.MAX_BATCH);
        if (writerThreads < 1 || writerThreads > 64) throw new IllegalArgumentException("writerThreads 1..64");
        if (maxWait.isNegative() || maxWait.toMillis() > 1000) throw new IllegalArgumentException("maxWait 0..1s");
        this.ledger = ledger;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        for (int i = 0; i < writerThreads; i++) {
            Thread t = Thread.ofPlatform().name("ledger-group-commit-" + i).daemon().start(this::writeLoop);
            writers.add(t);
        }
    }

    /** Posts one payment in the next group commit and waits for it. Throws {@link LedgerException} if it is refused. */
    @Override
    public PostedPayment post(PaymentPosting posting) throws InterruptedException {
        if (closed) throw new IllegalStateException("group committer is closed");
        CompletableFuture<PostedPayment> result = new CompletableFuture<>();
        queue.put(new Pending(posting, result));
        if (closed) result.completeExceptionally(new IllegalStateException("group committer closed before this posting was taken"));
        try {
            // Bounded: a stuck database shows as a timeout here, not a caller waiting forever.
            return result.get(WAIT_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("posting " + posting.idempotencyKey() + " not committed within " + WAIT_LIMIT_SECONDS
                    + " s; it may still commit: retry with the same key", e);
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Pending next = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) break;
                    batch.add(next);
                }
                commit(batch);
            } catch (InterruptedException e) {
                for (Pending pending : batch) pending.result().completeExceptionally(e);
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        try {
            List<PaymentLedger.BatchItem> items = ledger.postPayments(batch.stream().map(Pending::posting).toList());
            for (int i = 0; i < batch.size(); i++) {
                PaymentLedger.BatchItem item = items.get(i);
                if (item.refused() != null) batch.get(i).result().completeExceptionally(item.refused());
                else batch.get(i).result().complete(item.posted());
            }
        } catch (RuntimeException | Error e) {
            // Nothing of this batch is known to be committed: each caller sees the failure and retries
            // (its posting is idempotent, so a retry after an unseen commit is harmless).
            for (Pending p : batch) p.result().completeExceptionally(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (Thread t : writers) t.join(TimeUnit.SECONDS.toMillis(30));
        // Anything still queued will never be taken: tell its callers.
        for (Pending p; (p = queue.poll()) != null; ) p.result().completeExceptionally(new IllegalStateException("group committer closed"));
    }
}
