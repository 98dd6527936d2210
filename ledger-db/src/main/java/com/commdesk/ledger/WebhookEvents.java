package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.WEBHOOK_EVENT;

import org.jooq.DSLContext;
import org.jooq.JSONB;

/** Webhook deliveries by event id: the first delivery is recorded, every repeat is recognised. */
public final class WebhookEvents {
    private final DSLContext dsl;

    public WebhookEvents(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Whether a delivery with this event id was recorded. */
    public boolean seen(String eventId) {
        return dsl.fetchExists(dsl.selectOne().from(WEBHOOK_EVENT).where(WEBHOOK_EVENT.EVENT_ID.eq(eventId)));
    }

    /** True for the first delivery of this event id (concurrent repeats: exactly one gets true). */
    public boolean recordOnce(String eventId, String type, String orderId, String payloadJson) {
        return dsl.insertInto(WEBHOOK_EVENT).set(WEBHOOK_EVENT.EVENT_ID, eventId).set(WEBHOOK_EVENT.EVENT_TYPE, type)
                .set(WEBHOOK_EVENT.ORDER_ID, orderId).set(WEBHOOK_EVENT.PAYLOAD, JSONB.valueOf(payloadJson))
                .onConflictDoNothing().execute() == 1;
    }
}
