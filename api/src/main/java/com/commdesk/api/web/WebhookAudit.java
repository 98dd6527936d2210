package com.commdesk.api.web;

import com.commdesk.ledger.audit.AuditLog;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Cashfree's webhook deliveries in the audit log (docs/security.md, "Audit log"). The actor is the
 * signature-verified source ({@link #PG} or {@link #PAYOUTS}: which secret verified the delivery), the
 * role {@link #ROLE}, the action {@code WEBHOOK <type> <status>}, the target what the delivery acted on
 * (the refund's, payment's or payout's API path), the request id and the SHA-256 of the body as received.
 * Only a delivery that changed something is an entry, once: the controllers call this when the event
 * was recorded for the first time and acted on a payment, refund or payout of ours. A refused signature
 * changed nothing and is not an entry: {@link WebhookSignatures} counts and logs it (a security log line).
 */
public final class WebhookAudit {
    public static final String PG = "cashfree-pg";
    public static final String PAYOUTS = "cashfree-payouts";
    public static final String ROLE = "CASHFREE_WEBHOOK";

    private final DurableAudit audit;

    public WebhookAudit(DurableAudit audit) {
        this.audit = audit;
    }

    /** One delivery that changed {@code target}; {@code status} is the HTTP status it was answered with. */
    public void changed(String source, String type, String eventStatus, String target, int status, HttpServletRequest request,
                        byte[] body) {
        String id = com.commdesk.api.RequestLogFilter.requestId(request);
        // The delivery has been acted on: its entry is appended now or kept on disk until the database takes it, never a
        // reason to make Cashfree retry it.
        audit.append(new AuditLog.Entry(null, null, source, ROLE,
                "WEBHOOK " + type + (eventStatus == null ? "" : " " + eventStatus), target, status, id, null, AuditTrail.sha256(body),
                null, null));
    }
}
