package com.commdesk.workflows.client;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.context.ContextPropagator;
import io.temporal.common.converter.DefaultDataConverter;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The ids our log lines carry (MDC keys, which Spring Boot's structured logging writes as JSON fields):
 * request, payment, workflow, community, payout and refund ids — ids only, never amounts, names, phone
 * numbers or secrets. The API sets them for a request, the worker for an activity, and the request id
 * travels from the API through Temporal to the workflow and its activities (docs/operations.md, "Logs").
 */
public final class LogContext {
    public static final String REQUEST_ID = "requestId";
    public static final String PAYMENT_ID = "paymentId";
    public static final String WORKFLOW_ID = "workflowId";
    public static final String COMMUNITY_ID = "communityId";
    public static final String PAYOUT_ID = "payoutId";
    public static final String REFUND_ID = "refundId";

    /** The id keys read from request bodies and activity arguments (record components of these names). */
    public static final List<String> ID_KEYS = List.of(PAYMENT_ID, COMMUNITY_ID, PAYOUT_ID, REFUND_ID);

    /** What an id may look like to be logged: short, and nothing that could forge a log line or a JSON field. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.:|@-]{1,128}");

    private LogContext() {}

    /** {@code value} if it is safe to log as an id, else null. */
    public static String safe(String value) {
        return value != null && SAFE.matcher(value).matches() ? value : null;
    }

    /**
     * The ids found in {@code values}: every String record component named like an {@link #ID_KEYS id key}
     * (e.g. a PaymentRequest's paymentId and communityId). The first value of each key wins.
     */
    public static Map<String, String> idsOf(Object... values) {
        Map<String, String> ids = new LinkedHashMap<>();
        if (values == null) return ids;
        for (Object value : values) {
            if (value == null || !value.getClass().isRecord()) continue;
            for (RecordComponent c : value.getClass().getRecordComponents()) {
                if (c.getType() != String.class || !ID_KEYS.contains(c.getName()) || ids.containsKey(c.getName())) continue;
                try {
                    String id = safe((String) c.getAccessor().invoke(value));
                    if (id != null) ids.put(c.getName(), id);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // not readable (e.g. a non-public record): it just is not logged
                }
            }
        }
        return ids;
    }

    /** Puts each id into the MDC, and removes the {@link #ID_KEYS id keys} it does not have (no stale ids). */
    public static void replaceIds(Map<String, String> ids) {
        for (String key : ID_KEYS) {
            String v = ids.get(key);
            if (v == null) MDC.remove(key);
            else MDC.put(key, v);
        }
    }

    /**
     * Carries the request id from the API's MDC through Temporal (a header on the workflow start, then on
     * every activity and signal) into the MDC of workflow and activity threads. Registered on every
     * WorkflowClient by {@link TemporalConnections#client}. A header is not a command, so it does not
     * touch determinism; histories recorded without it replay unchanged.
     */
    public static final class RequestIdPropagator implements ContextPropagator {
        @Override
        public String getName() {
            return "commdesk-request-id";
        }

        @Override
        public Map<String, Payload> serializeContext(Object context) {
            String id = context instanceof String s ? safe(s) : null;
            return id == null ? Map.of() : Map.of(REQUEST_ID, DefaultDataConverter.STANDARD_INSTANCE.toPayload(id).orElseThrow());
        }

        @Override
        public Object deserializeContext(Map<String, Payload> header) {
            Payload p = header.get(REQUEST_ID);
            return p == null ? null : safe(DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, String.class, String.class));
        }

        @Override
        public Object getCurrentContext() {
            return MDC.get(REQUEST_ID);
        }

        @Override
        public void setCurrentContext(Object context) {
            if (context instanceof String id) MDC.put(REQUEST_ID, id);
            else MDC.remove(REQUEST_ID);
        }
    }
}
