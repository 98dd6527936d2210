package com.commdesk.api.web;

import com.commdesk.ledger.audit.AuditLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one path by which the API appends to the audit log (docs/security.md, "Audit log"). An entry the database cannot
 * take now (it went away after the write committed, or the handler answered 503 for an outage and must not wait on it)
 * is kept on this replica's disk, one file per entry written and forced before it counts, and appended by
 * {@link #replay} once the database answers again, oldest first. Every entry carries a key the API makes
 * ({@link UUID#randomUUID()}, never from the request), so an append whose answer was lost and is replayed is stored once
 * (changeset 133). An entry the database refuses itself (a data or constraint error, SQLSTATE 22xxx or 23xxx) is not
 * kept: no wait changes it, so it is lost, counted ({@code commdesk.audit.failures}) and logged as an error, as every
 * entry was before this. Limits: at most {@code maxSpooled} entries on disk; past it an entry is lost the same way.
 */
public final class DurableAudit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DurableAudit.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Files still being written end so; {@link #replay} never reads them. */
    private static final String PARTIAL = ".partial";
    private static final String SPOOLED = ".json";
    /** A spooled file that cannot be read is renamed so, for a person: never deleted, never replayed again. */
    static final String UNREADABLE = ".unreadable";
    /** A spooled entry the database refuses itself (SQLSTATE 22xxx, 23xxx) is renamed so, for a person. */
    static final String REFUSED = ".refused";
    /** Entries appended per {@link #replay} call at most: one call never holds its thread for long. */
    static final int MAX_REPLAY_BATCH = 1_000;

    private final AuditLog audit;
    private final Path dir;
    private final int maxSpooled;
    private final Counter failures;
    private final Counter spooled;
    private final AtomicLong onDisk = new AtomicLong();
    /** Orders file names within one millisecond: names sort as entries were kept. */
    private final AtomicLong sequence = new AtomicLong();
    private java.util.concurrent.ScheduledExecutorService replayer;

    public DurableAudit(AuditLog audit, Path dir, int maxSpooled, MeterRegistry metrics) {
        if (maxSpooled < 1) throw new IllegalArgumentException("maxSpooled must be positive");
        this.audit = audit;
        this.dir = dir.toAbsolutePath().normalize();
        this.maxSpooled = maxSpooled;
        try {
            Files.createDirectories(this.dir);
            promotePartials();
            onDisk.set(spooledFiles(Integer.MAX_VALUE).size());
        } catch (IOException e) {
            // Refuse to start: without a place to keep them, entries would be lost at the first outage.
            throw new IllegalStateException("audit spool directory " + this.dir + " is not usable: " + e.getMessage(), e);
        }
        this.failures = Counter.builder("commdesk.audit.failures").description("Writes whose audit entry could not be stored")
                .register(metrics);
        this.spooled = Counter.builder("commdesk.audit.spooled")
                .description("Audit entries kept on disk because the database could not take them then").register(metrics);
        Gauge.builder("commdesk.audit.spool.entries", onDisk, AtomicLong::get)
                .description("Audit entries on this replica's disk, waiting for the database").register(metrics);
    }

    /** Appends now; if the database refuses, the entry is kept on disk for {@link #replay}. */
    public void append(AuditLog.Entry entry) {
        UUID key = UUID.randomUUID();
        try {
            audit.append(entry, key);
        } catch (RuntimeException e) {
            if (refusedForGood(e)) {
                lost(entry, "the database refuses the entry itself: " + e.getMessage());
                return;
            }
            log.warn("audit entry {} {} by {} (request {}) kept on disk: the database could not take it: {}", entry.action(),
                    entry.target(), entry.actor(), entry.requestId(), e.getMessage());
            keep(entry, key); // the same key: an insert that committed but whose answer was lost is stored once
        }
    }

    /**
     * Whether the database refused the entry itself (SQLSTATE class 22, data exception, or 23, a constraint: an actor
     * longer than the column allows, none at all), which no wait will change; anything else (no connection, a failover,
     * contention, a timeout) is the database being away, and the entry waits on disk.
     */
    static boolean refusedForGood(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23");
            }
        }
        return false;
    }

    /** Keeps the entry on disk without asking the database (it is away: a request must not wait on it twice). */
    public void spool(AuditLog.Entry entry) {
        keep(entry, UUID.randomUUID());
    }

    private void keep(AuditLog.Entry entry, UUID key) {
        AuditLog.Entry answered = entry.answeredAt() != null ? entry : withAnsweredAt(entry, OffsetDateTime.now(ZoneOffset.UTC));
        if (onDisk.get() >= maxSpooled) {
            lost(answered, "the spool holds " + maxSpooled + " entries already");
            return;
        }
        String name = String.format("%013d-%09d-%s", System.currentTimeMillis(), sequence.incrementAndGet() % 1_000_000_000L, key);
        Path partial = dir.resolve(name + PARTIAL);
        try {
            byte[] bytes = JSON.writeValueAsBytes(toJson(answered, key));
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) channel.write(buffer);
                channel.force(true);
            }
            publish(partial, dir.resolve(name + SPOOLED));
            onDisk.incrementAndGet();
            spooled.increment();
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // what is left ends .partial: replay never reads it
            }
            lost(answered, "it could not be kept on disk: " + e.getMessage());
        }
    }

    /** Renames a forced file into place and forces the directory, so the rename outlives a power loss too. */
    private void publish(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException notOnThisPlatform) {
            // some file systems cannot force a directory: the file itself was forced
        }
    }

    private void lost(AuditLog.Entry entry, String why) {
        failures.increment();
        log.error("could not audit {} {} by {} (request {}, status {}): {}", entry.action(), entry.target(), entry.actor(),
                entry.requestId(), entry.httpStatus(), why);
    }

    /**
     * Appends what is on disk, oldest first, and removes each file once the database has it; stops at the first entry the
     * database refuses (it is still away: the next call goes on from there). Returns how many were appended.
     */
    public int replay() {
        List<Path> files;
        try {
            files = spooledFiles(MAX_REPLAY_BATCH);
        } catch (IOException e) {
            log.error("audit spool {} cannot be read: {}", dir, e.getMessage());
            return 0;
        }
        int appended = 0;
        for (Path file : files) {
            Kept kept;
            try {
                kept = read(file);
            } catch (java.nio.file.NoSuchFileException taken) {
                continue; // another process sharing the directory appended and removed it
            } catch (IOException | RuntimeException e) {
                setAside(file, UNREADABLE, "cannot be read: " + e.getMessage());
                continue;
            }
            try {
                audit.append(kept.entry(), kept.key());
            } catch (RuntimeException e) {
                if (refusedForGood(e)) {
                    // No wait changes it, and it must not hold every entry behind it (review of the spool, H3).
                    setAside(file, REFUSED, "is refused by the database itself: " + e.getMessage());
                    continue;
                }
                log.warn("audit spool: the database still cannot take entries ({}); {} left on disk", e.getMessage(), onDisk.get());
                return appended;
            }
            try {
                Files.delete(file);
                onDisk.decrementAndGet();
            } catch (java.nio.file.NoSuchFileException e) {
                // another process sharing the directory removed it (its key: stored once)
            } catch (IOException e) {
                // Appended (a later replay finds the key stored and adds nothing), but a spool that cannot remove what it
                // appended is not replayed on: the next call would append the same files again.
                log.error("audit spool file {} appended but not removed, replay stops: {}", file, e.getMessage());
                return appended;
            }
            appended++;
        }
        if (appended > 0) log.info("audit spool: {} entries appended to the audit log, {} left", appended, onDisk.get());
        return appended;
    }

    /** Replays on a daemon thread of its own every {@code every} (and once at once); {@link #close} stops it. */
    public DurableAudit replayingEvery(java.time.Duration every) {
        if (replayer != null) throw new IllegalStateException("already replaying");
        replayer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-spool-replay");
            t.setDaemon(true);
            return t;
        });
        replayer.scheduleWithFixedDelay(() -> {
            try {
                // A full batch: more may wait; at most 100 batches a tick, so one tick never holds the thread for long.
                for (int round = 0; round < 100 && replay() == MAX_REPLAY_BATCH; round++) {
                    // next batch
                }
            } catch (RuntimeException e) {
                log.error("audit spool replay failed: {}", e.getMessage());
            }
        }, 0, every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return this;
    }

    /** Stops replaying; an empty directory is removed (a database's directory exists while something waits in it). */
    @Override
    public void close() {
        if (replayer != null) replayer.shutdownNow();
        try {
            Files.deleteIfExists(dir); // refused while it holds a file: kept
        } catch (IOException notEmpty) {
            // entries wait in it: kept for the next start
        }
    }

    /** Never dropped: renamed for a person (its name says when it was kept), out of the next replays' way; counted as lost. */
    private void setAside(Path file, String suffix, String why) {
        Path aside = file.resolveSibling(file.getFileName() + suffix);
        try {
            Files.move(file, aside);
            onDisk.decrementAndGet();
        } catch (java.nio.file.NoSuchFileException taken) {
            return; // another process took it
        } catch (IOException moveFailed) {
            log.error("audit spool file {} {}; it could not be set aside ({}), read again next time", file, why, moveFailed.getMessage());
            return;
        }
        failures.increment();
        log.error("audit spool file {} {}; set aside as {} for a person", file, why, aside.getFileName());
    }

    /**
     * A file forced but not renamed when the process stopped (its name ends {@code .partial}) is whole if it reads:
     * published now (its key keeps it from being stored twice); else it was never counted as kept and is set aside.
     */
    private void promotePartials() throws IOException {
        for (Path p : filesEnding(PARTIAL)) {
            String name = p.getFileName().toString();
            Path whole = dir.resolve(name.substring(0, name.length() - PARTIAL.length()) + SPOOLED);
            try {
                read(p); // whole if it reads
                publish(p, whole);
            } catch (IOException | RuntimeException e) {
                Files.move(p, p.resolveSibling(name + UNREADABLE));
                log.error("audit spool file {} was being written when the process stopped and cannot be read; set aside", p);
            }
        }
    }

    /** Entries on disk now. */
    public long spooledEntries() {
        return onDisk.get();
    }

    /** One kept entry and the key it is stored under. */
    private record Kept(UUID key, AuditLog.Entry entry) {}

    private static Kept read(Path file) throws IOException {
        JsonNode json = JSON.readTree(Files.readAllBytes(file));
        return new Kept(UUID.fromString(json.path("key").asText()), fromJson(json));
    }

    private List<Path> filesEnding(String suffix) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + suffix)) {
            for (Path p : stream) files.add(p);
        }
        return files;
    }

    private List<Path> spooledFiles(int limit) throws IOException {
        List<Path> files = filesEnding(SPOOLED);
        files.sort(null);
        return files.size() > limit ? files.subList(0, limit) : files;
    }

    private static AuditLog.Entry withAnsweredAt(AuditLog.Entry e, OffsetDateTime at) {
        return new AuditLog.Entry(e.auditId(), e.occurredAt(), e.actor(), e.actorRole(), e.action(), e.target(), e.httpStatus(),
                e.requestId(), e.beforeDigest(), e.requestDigest(), e.afterDigest(), at);
    }

    private static ObjectNode toJson(AuditLog.Entry e, UUID key) {
        ObjectNode json = JSON.createObjectNode();
        json.put("key", key.toString());
        json.put("answeredAt", e.answeredAt().toString());
        json.put("actor", e.actor());
        json.put("actorRole", e.actorRole());
        json.put("action", e.action());
        json.put("target", e.target());
        json.put("httpStatus", e.httpStatus());
        json.put("requestId", e.requestId());
        json.put("beforeDigest", e.beforeDigest());
        json.put("requestDigest", e.requestDigest());
        json.put("afterDigest", e.afterDigest());
        return json;
    }

    private static AuditLog.Entry fromJson(JsonNode json) {
        return new AuditLog.Entry(null, null, text(json, "actor"), text(json, "actorRole"), text(json, "action"), text(json, "target"),
                json.path("httpStatus").asInt(), text(json, "requestId"), text(json, "beforeDigest"), text(json, "requestDigest"),
                text(json, "afterDigest"), OffsetDateTime.parse(text(json, "answeredAt")));
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
