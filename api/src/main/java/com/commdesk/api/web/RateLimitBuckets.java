package com.commdesk.api.web;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Where {@link RateLimits} keeps its token buckets, one per client key.
 * {@link #postgres} (the default, {@code commdesk.api.rate-limit.store=postgresql}): Bucket4j's PostgreSQL
 * backend on the ledger database (table {@code rate_limit_bucket}, changeset 095), so every API replica
 * draws on the same budget. {@link #inMemory} ({@code =memory}): buckets in this process only, so N
 * replicas allow N times the rate; for a single process without a database round trip per request.
 */
public interface RateLimitBuckets {
    /** Takes one token from the client's bucket (created with {@code configuration} on first use). */
    ConsumptionProbe consumeOne(String clientKey, BucketConfiguration configuration);

    /** At most this many clients' buckets are kept in memory; the least recently used is dropped. */
    int MAX_IN_MEMORY_CLIENTS = 100_000;

    static RateLimitBuckets inMemory() {
        Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > MAX_IN_MEMORY_CLIENTS;
            }
        };
        return (key, configuration) -> {
            Bucket bucket;
            synchronized (buckets) {
                bucket = buckets.computeIfAbsent(key, k -> {
                    var builder = Bucket.builder();
                    for (Bandwidth limit : configuration.getBandwidths()) builder.addLimit(limit);
                    return builder.build();
                });
            }
            return bucket.tryConsumeAndReturnRemaining(1);
        };
    }

    /** Every this many bucket look-ups one of them also deletes up to {@link #PURGE_BATCH} idle (full again) buckets. */
    long PURGE_EVERY = 1_000;
    int PURGE_BATCH = 500;

    /**
     * Buckets in PostgreSQL, each round trip one short transaction ({@code SELECT ... FOR UPDATE} of the client's
     * row, then its new state), so concurrent replicas never both spend the last token. A bucket's row
     * expires when it would be full again, and idle rows are deleted in batches as requests come.
     * One proxy per client is kept (the least recently used beyond {@link #MAX_IN_MEMORY_CLIENTS} dropped)
     * with Bucket4j's batching: requests of one client that arrive while its round trip is in flight
     * go together in the next one, instead of each taking a connection and queueing on the row lock
     * (one client — the payment service — makes most requests). Tokens are still spent exactly. A batch
     * that finds no row (a client's first requests arriving together, or a row purged while idle) fails
     * with BucketNotFoundException instead of creating it: such requests are then made one at a time without
     * batching. A client's first request in this process also goes alone, so its row is created once.
     */
    static RateLimitBuckets postgres(DataSource dataSource) {
        PostgreSQLSelectForUpdateBasedProxyManager<String> store = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
        AtomicLong lookups = new AtomicLong();
        Map<String, Bucket> proxies = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > MAX_IN_MEMORY_CLIENTS;
            }
        };
        Object[] stripes = new Object[64];
        for (int i = 0; i < stripes.length; i++) stripes[i] = new Object();
        return (key, configuration) -> {
            if (lookups.incrementAndGet() % PURGE_EVERY == 0) store.removeExpired(PURGE_BATCH);
            Object stripe = stripes[Math.floorMod(key.hashCode(), stripes.length)];
            Bucket batched;
            synchronized (proxies) {
                batched = proxies.get(key);
            }
            if (batched == null) {
                // A client's first request in this process goes alone and creates its row: concurrent creations
                // of one row race in Bucket4j's store (each writes a full bucket) and would let extra requests through.
                synchronized (stripe) {
                    synchronized (proxies) {
                        batched = proxies.get(key);
                    }
                    if (batched == null) {
                        ConsumptionProbe first = store.builder().build(key, () -> configuration).tryConsumeAndReturnRemaining(1);
                        Bucket proxy = store.builder().withOptimization(Optimizations.batching()).build(key, () -> configuration);
                        synchronized (proxies) {
                            proxies.put(key, proxy);
                        }
                        return first;
                    }
                }
            }
            try {
                return batched.tryConsumeAndReturnRemaining(1);
            } catch (RuntimeException e) {
                // The batching executor hands the waiting requests the batch's failure wrapped.
                if (!(e instanceof BucketNotFoundException) && !(e.getCause() instanceof BucketNotFoundException)) throw e;
                synchronized (stripe) {
                    return store.builder().build(key, () -> configuration).tryConsumeAndReturnRemaining(1);
                }
            }
        };
    }
}
