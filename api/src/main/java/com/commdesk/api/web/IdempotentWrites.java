package com.commdesk.api.web;

import com.commdesk.ledger.community.IdempotentRequests;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Idempotency-Key for writes that have no natural key (onboarding): per caller, the same key and the
 * same request get the saved answer (same status and body); the same key with another request, or while
 * the first is still running, is 409. A failed write saved nothing and frees its key.
 */
@Component
public class IdempotentWrites {
    public static final String HEADER = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final IdempotentRequests store;
    private final ObjectMapper json;

    public IdempotentWrites(IdempotentRequests store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    public ResponseEntity<Object> run(String key, String operation, Object request, Supplier<ResponseEntity<?>> write) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw ApiProblem.invalid(HEADER, "the Idempotency-Key header is required (1-64 of A-Z a-z 0-9 _ . : -)");
        }
        String caller = Caller.current().subject();
        String hash = AuditTrail.sha256(operation + "\n" + json.writeValueAsString(request));
        var existing = store.reserve(caller, key, operation, hash);
        if (existing.isPresent()) {
            var saved = existing.get();
            if (!saved.requestSha256().equals(hash)) {
                throw new ApiProblem(HttpStatus.CONFLICT, "Idempotency key reused", "this Idempotency-Key was used for another request", HEADER);
            }
            if (saved.httpStatus() == IdempotentRequests.IN_PROGRESS) {
                throw new ApiProblem(HttpStatus.CONFLICT, "In progress", "a request with this Idempotency-Key is still running; retry", HEADER);
            }
            return ResponseEntity.status(saved.httpStatus()).contentType(MediaType.APPLICATION_JSON).body(json.readTree(saved.response()));
        }
        ResponseEntity<?> answer;
        try {
            answer = write.get();
        } catch (RuntimeException e) {
            store.release(caller, key);
            throw e;
        }
        store.complete(caller, key, answer.getStatusCode().value(), json.writeValueAsString(answer.getBody()));
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).body(answer.getBody());
    }
}
