package com.commdesk.ledger.payout;

import static com.commdesk.ledger.jooq.Tables.PAYOUT_EVENT;
import static com.commdesk.ledger.payout.PayoutRows.event;

import com.commdesk.ledger.Ledger;
import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.DSLContext;

/** A payout's audit trail (payout_event). */
public final class PayoutEvents {
    private final Ledger ledger;

    public PayoutEvents(Ledger ledger) {
        this.ledger = ledger;
    }

    public PayoutEvents(DSLContext dsl) {
        this(new Ledger(dsl));
    }

    public void recordEvent(String payoutId, String status, String actor, String detail) {
        ledger.once(tx -> {
            event(tx, payoutId, status, actor, detail);
            return null;
        });
    }

    public record PayoutEvent(String status, String actor, String detail, OffsetDateTime at) {}

    public List<PayoutEvent> events(String payoutId) {
        var e = PAYOUT_EVENT;
        return ledger.once(tx -> tx.select(e.STATUS, e.ACTOR, e.DETAIL, e.CREATED_AT).from(e).where(e.PAYOUT_ID.eq(payoutId))
                .orderBy(e.PAYOUT_EVENT_ID).fetch(r -> new PayoutEvent(r.value1(), r.value2(), r.value3(), r.value4())));
    }
}
