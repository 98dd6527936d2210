package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.PAYMENT;

import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The operators' view of payments: the last notable stage each workflow recorded, listable by status. */
public final class PaymentOperations {
    public static final int MAX_PAGE = 500;
    private static final int MAX_DETAIL = 2_000;

    private final DSLContext dsl;

    public PaymentOperations(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record PaymentRow(String paymentId, String communityId, String cashfreeOrderId, long amountPaise, String status,
                             String statusDetail, String workflowId, OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

    /** Idempotent; a detail longer than 2,000 characters is cut (it is an operator hint, not a record). */
    public void recordStatus(String paymentId, String status, String detail) {
        String d = detail == null ? null : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        dsl.update(PAYMENT).set(PAYMENT.STATUS, status).set(PAYMENT.STATUS_DETAIL, d).set(PAYMENT.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(PAYMENT.PAYMENT_ID.eq(paymentId)).execute();
    }

    /** Oldest change first, keyset-paginated by (updated_at, payment_id); {@code status} null = every status. */
    public List<PaymentRow> list(String status, String afterPaymentId, int limit) {
        return list(status, afterPaymentId, limit, null);
    }

    /** As {@link #list(String, String, int)}, limited to {@code communities} unless that is null (a tenant sees only its own). */
    public List<PaymentRow> list(String status, String afterPaymentId, int limit, java.util.Collection<String> communities) {
        return list(status, afterPaymentId, null, limit, communities);
    }

    /**
     * As {@link #list(String, String, int, java.util.Collection)}, after the row ({@code afterUpdatedAt}, {@code afterPaymentId})
     * when the caller has the time of the last row it was shown (a stable cursor: s17). Without it the payment's current
     * {@code updated_at} is looked up, and a payment whose status changed since it was listed moves the cursor to its new
     * time, so the rows between were skipped. The lookup is limited to {@code communities} too: a tenant learns nothing of
     * another's payment from it.
     */
    public List<PaymentRow> list(String status, String afterPaymentId, java.time.OffsetDateTime afterUpdatedAt, int limit,
                                 java.util.Collection<String> communities) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        if (afterUpdatedAt != null && afterPaymentId == null) throw new IllegalArgumentException("afterUpdatedAt needs afterPaymentId");
        var p = PAYMENT;
        var where = status == null ? DSL.noCondition() : p.STATUS.eq(status);
        if (communities != null) where = where.and(p.COMMUNITY_ID.in(communities));
        if (afterPaymentId != null) {
            var after = afterUpdatedAt != null ? afterUpdatedAt : dsl.select(p.UPDATED_AT).from(p)
                    .where(p.PAYMENT_ID.eq(afterPaymentId).and(communities == null ? DSL.noCondition() : p.COMMUNITY_ID.in(communities)))
                    .fetchOptional(p.UPDATED_AT).orElse(null);
            if (after != null) where = where.and(DSL.row(p.UPDATED_AT, p.PAYMENT_ID).gt(DSL.row(DSL.val(after), DSL.val(afterPaymentId))));
        }
        return dsl.selectFrom(p).where(where).orderBy(p.UPDATED_AT, p.PAYMENT_ID).limit(limit)
                .fetch(r -> new PaymentRow(r.getPaymentId(), r.getCommunityId(), r.getCashfreeOrderId(), r.getAmountPaise(),
                        r.getStatus(), r.getStatusDetail(), r.getWorkflowId(), r.getCreatedAt(), r.getUpdatedAt()));
    }
}
