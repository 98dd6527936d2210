package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.testing.TestDatabases;
import java.util.List;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ops list's cursor (s17, review of the ops page's paging). Resolved by payment id alone, the cursor moved with the
 * payment: once the last payment of a page changed status (an unpaid order paid, a parked one retried), the next page
 * began after its new time and every payment between was skipped. With the time the caller was shown, nothing is.
 */
class PaymentOperationsCursorTest {
    LedgerDatabase db;
    DSLContext dsl;
    PaymentOperations operations;

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        dsl = db.dsl();
        operations = new PaymentOperations(dsl);
        for (int i = 1; i <= 4; i++) {
            dsl.execute("insert into payment (payment_id, request_sha256, community_id, source_type, source_id, cashfree_order_id, "
                    + "amount_paise, workflow_id, status, updated_at) values (?, repeat('0', 64), 'demo-community', 'EVENT', 'evt-1', ?,"
                    + " 1000000, ?, 'AWAITING_PAYMENT', timestamptz '2026-12-01 10:00:00+00' + ? * interval '1 minute')",
                    "cur-" + i, "order-cur-" + i, "w-cur-" + i, i);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    private static List<String> ids(List<PaymentOperations.PaymentRow> rows) {
        return rows.stream().map(PaymentOperations.PaymentRow::paymentId).toList();
    }

    @Test
    void aPageAfterTheTimeItWasShownSkipsNothingWhenTheLastRowChanges() {
        var first = operations.list("AWAITING_PAYMENT", null, 2, null);
        assertThat(ids(first)).containsExactly("cur-1", "cur-2");
        var shown = first.get(1).updatedAt();
        operations.recordStatus("cur-2", "AWAITING_PAYMENT", "looked again"); // its updated_at is now, after cur-3 and cur-4

        assertThat(ids(operations.list("AWAITING_PAYMENT", "cur-2", 2, null))).as("by id alone: cur-3 and cur-4 skipped")
                .doesNotContain("cur-3", "cur-4");
        assertThat(ids(operations.list("AWAITING_PAYMENT", "cur-2", shown, 2, null))).containsExactly("cur-3", "cur-4");
    }

    @Test
    void rowsAMicrosecondApartPageOnceEachThroughTheTimeAsText() {
        // The time a page shows goes out as text (JSON, then the dashboard's link) and back: microseconds must survive, and
        // the row at the cursor is not listed again.
        dsl.execute("update payment set updated_at = timestamptz '2026-12-01 10:00:00.000001+00' where payment_id = 'cur-3'");
        dsl.execute("update payment set updated_at = timestamptz '2026-12-01 10:00:00.000002+00' where payment_id = 'cur-4'");
        dsl.execute("update payment set updated_at = timestamptz '2026-12-01 10:00:00.000001+00' where payment_id = 'cur-1'");
        java.util.List<String> seen = new java.util.ArrayList<>();
        String after = null;
        java.time.OffsetDateTime time = null;
        for (int page = 0; page < 10; page++) {
            var rows = operations.list("AWAITING_PAYMENT", after, time, 1, null);
            if (rows.isEmpty()) break;
            seen.addAll(ids(rows));
            after = rows.get(0).paymentId();
            time = java.time.OffsetDateTime.parse(java.time.Instant.parse(rows.get(0).updatedAt().toInstant().toString()).toString());
        }
        assertThat(seen).containsExactly("cur-1", "cur-3", "cur-4", "cur-2");
    }

    @Test
    void aCursorInAnotherTenantsCommunityTellsThatTenantNothing() {
        // The owner of another community names demo-community's payment as its cursor. Looked up unscoped, its time filtered
        // the owner's own list, so what the owner saw depended on when the other tenant's payment last changed.
        dsl.execute("insert into community (community_id, name, supplier_state) values ('cur-other', 'Other', 'KA')");
        dsl.execute("insert into payment (payment_id, request_sha256, community_id, source_type, source_id, cashfree_order_id, "
                + "amount_paise, workflow_id, status, updated_at) values ('cur-o', repeat('0', 64), 'cur-other', 'EVENT', 'evt-1',"
                + " 'order-cur-o', 1000000, 'w-cur-o', 'AWAITING_PAYMENT', timestamptz '2026-12-01 10:02:30+00')");
        assertThat(ids(operations.list("AWAITING_PAYMENT", "cur-4", 10, java.util.Set.of("cur-other"))))
                .as("as for a payment id that does not exist: from the oldest").containsExactly("cur-o");
    }
}
