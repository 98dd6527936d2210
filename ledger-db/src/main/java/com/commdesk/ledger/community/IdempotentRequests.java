package com.commdesk.ledger.community;

import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Saved answers to idempotent API writes, per caller and Idempotency-Key. A write first reserves its
 * key (status 0 = in progress), so two concurrent requests with one key never both run; it then saves
 * its answer, or releases the key if it failed and wrote nothing. The same key with the same request
 * gets the saved answer; with another request, or while the first is still running, a conflict.
 */
public final class IdempotentRequests {
    public static final int IN_PROGRESS = 0;

    private final DSLContext dsl;

    public IdempotentRequests(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record Saved(String operation, String requestSha256, int httpStatus, String response) {}

    /** Empty if the key is now reserved for this request; else what is recorded under it already. */
    public Optional<Saved> reserve(String caller, String key, String operation, String requestSha256) {
        int n = dsl.execute("insert into api_idempotency (caller, idempotency_key, operation, request_sha256, http_status, response)"
                + " values (?, ?, ?, ?, ?, '') on conflict (caller, idempotency_key) do nothing", caller, key, operation, requestSha256, IN_PROGRESS);
        return n == 1 ? Optional.empty() : find(caller, key);
    }

    public void complete(String caller, String key, int httpStatus, String response) {
        dsl.execute("update api_idempotency set http_status = ?, response = ? where caller = ? and idempotency_key = ? and http_status = ?",
                httpStatus, response, caller, key, IN_PROGRESS);
    }

    /** The write failed and wrote nothing: the key is free again. */
    public void release(String caller, String key) {
        dsl.execute("delete from api_idempotency where caller = ? and idempotency_key = ? and http_status = ?", caller, key, IN_PROGRESS);
    }

    public Optional<Saved> find(String caller, String key) {
        return dsl.fetchOptional("select operation, request_sha256, http_status, response from api_idempotency"
                + " where caller = ? and idempotency_key = ?", caller, key)
                .map(r -> new Saved(r.get(0, String.class), r.get(1, String.class), r.get(2, Integer.class), r.get(3, String.class)));
    }
}
