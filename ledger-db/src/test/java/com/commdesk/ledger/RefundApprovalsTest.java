package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.ledger.testing.TestDatabases;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An owner's refund waiting for finance: recorded with its request, decided once, never by its requester (any case), even in SQL. */
class RefundApprovalsTest {
    static LedgerDatabase db;
    static RefundApprovals approvals;

    @BeforeAll
    static void open() {
        db = TestDatabases.fresh();
        approvals = new RefundApprovals(new Ledger(db.dsl()));
        for (String id : java.util.List.of("ra-pay", "ra-split", "ra-race")) {
            db.dsl().execute("insert into payment (payment_id, request_sha256, community_id, source_type, source_id, cashfree_order_id, "
                    + "amount_paise, workflow_id) values (?, repeat('0', 64), 'demo-community', 'EVENT', 'e', ?, 1000000, ?)", id, id + "_order", "w-" + id);
        }
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    static RefundIntake.RefundRequestRecord request(String id, String sha) {
        return new RefundIntake.RefundRequestRecord(id, "ra-pay", sha, "REFUND", 600_000, "Owner-1");
    }

    @Test
    void aRequestAboveTheThresholdWaitsAndARepeatFindsTheSameApproval() {
        var first = approvals.accept(request("ra-1", "a".repeat(64)), true, "demo-community", "seat not used", 500_000).orElseThrow();
        assertThat(first.status()).isEqualTo(RefundApprovals.Status.AWAITING_APPROVAL);
        assertThat(first.thresholdPaise()).isEqualTo(500_000);
        // The same key again, even if the caller would not need approval now, finds the waiting approval.
        assertThat(approvals.accept(request("ra-1", "a".repeat(64)), false, "demo-community", "seat not used", 500_000))
                .hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(RefundApprovals.Status.AWAITING_APPROVAL));
        assertThatThrownBy(() -> approvals.accept(request("ra-1", "b".repeat(64)), true, "demo-community", "other", 500_000))
                .isInstanceOf(LedgerException.class).hasMessageContaining("different refund request");
        assertThat(approvals.accept(request("ra-none", "c".repeat(64)), false, "demo-community", "small", 500_000)).isEmpty();
        assertThat(approvals.list(RefundApprovals.Status.AWAITING_APPROVAL, java.util.Set.of("other-community"), 10)).isEmpty();
        assertThat(approvals.list(RefundApprovals.Status.AWAITING_APPROVAL, null, 10)).extracting(RefundApprovals.Approval::refundId)
                .contains("ra-1").doesNotContain("ra-none");
    }

    @Test
    void theRequesterNeverDecidesInAnyLetterCaseAndADecisionIsFinal() {
        approvals.accept(request("ra-2", "d".repeat(64)), true, "demo-community", "seat not used", 500_000);
        assertThatThrownBy(() -> approvals.decide("ra-2", true, "owner-1", null)).hasMessageContaining("four eyes");
        // The database refuses it too, on the application's own connection.
        assertThatThrownBy(() -> db.dsl().execute("update refund_approval set status = 'APPROVED', decided_by = 'OWNER-1', "
                + "decided_at = now() where refund_id = 'ra-2'")).hasMessageContaining("refund_approval_four_eyes");

        var rejected = approvals.decide("ra-2", false, "finance-2", "not our policy");
        assertThat(rejected.status()).isEqualTo(RefundApprovals.Status.REJECTED);
        assertThat(approvals.decide("ra-2", false, "finance-2", "again").decisionNote()).as("a repeat answers as the first")
                .isEqualTo("not our policy");
        assertThatThrownBy(() -> approvals.decide("ra-2", true, "finance-3", null)).hasMessageContaining("already REJECTED");
        // Review s12: the same decision by someone else was answered as theirs, so the audit log credited finance-3 with a
        // rejection finance-2 made (and dropped finance-3's note). Only its decider's repeat is answered as it stands.
        assertThatThrownBy(() -> approvals.decide("ra-2", false, "finance-3", "me too")).hasMessageContaining("already REJECTED by finance-2");
        assertThat(approvals.decide("ra-2", false, "FINANCE-2", "again").status()).as("its decider, in any letter case")
                .isEqualTo(RefundApprovals.Status.REJECTED);
        assertThatThrownBy(() -> db.dsl().execute("update refund_approval set status = 'APPROVED', decided_by = 'finance-3' "
                + "where refund_id = 'ra-2'")).hasMessageContaining("already REJECTED");
        assertThatThrownBy(() -> db.dsl().execute("delete from refund_approval where refund_id = 'ra-2'"))
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> db.dsl().execute("update refund_approval set amount_paise = 1 where refund_id = 'ra-2'"))
                .hasMessageContaining("permission denied");
    }

    static RefundIntake.RefundRequestRecord part(String payment, String id, long amountPaise) {
        return new RefundIntake.RefundRequestRecord(id, payment, HexFormat.of().formatHex(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .concat("0".repeat(64)).substring(0, 64), "REFUND", amountPaise, "Owner-1");
    }

    @Test
    void anOwnersPartsAddUpAndTheOneThatPassesTheThresholdWaits() {
        assertThat(approvals.accept(part("ra-split", "rs-1", 300_000), true, "demo-community", "part one", 500_000)).isEmpty();
        var second = approvals.accept(part("ra-split", "rs-2", 300_000), true, "demo-community", "part two", 500_000).orElseThrow();
        assertThat(second.status()).isEqualTo(RefundApprovals.Status.AWAITING_APPROVAL);
        assertThat(second.amountPaise()).isEqualTo(300_000);
        assertThat(second.requestedTotalPaise()).isEqualTo(600_000);
        // A rejected part no longer counts: 300,000 + 200,000 is at the threshold, not above it.
        approvals.decide("rs-2", false, "finance-2", "split refund");
        assertThat(approvals.accept(part("ra-split", "rs-3", 200_000), true, "demo-community", "part three", 500_000)).isEmpty();
        // Finance's own refunds never wait; they count towards the total all the same.
        assertThat(approvals.accept(part("ra-split", "rs-4", 100_000), false, "demo-community", "finance", 500_000)).isEmpty();
        assertThat(approvals.accept(part("ra-split", "rs-5", 1), true, "demo-community", "one paisa", 500_000)).isPresent();
    }

    @Test
    void partsAskedForAtOnceAreTotalledOneAfterTheOther() throws Exception {
        int n = 8;
        var start = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<java.util.Optional<RefundApprovals.Approval>>>();
            for (int i = 0; i < n; i++) {
                String id = "rr-" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return approvals.accept(part("ra-race", id, 100_000), true, "demo-community", "a part", 250_000);
                }));
            }
            start.countDown();
            int waiting = 0;
            for (var f : results) if (f.get().isPresent()) waiting++;
            // 100,000 and 200,000 pass; the third part and every later one takes the total above 250,000.
            assertThat(waiting).isEqualTo(n - 2);
            assertThat(db.dsl().fetchValue("select sum(r.amount_paise) from refund_request r where r.payment_id = 'ra-race' "
                    + "and not exists (select 1 from refund_approval a where a.refund_id = r.refund_id)")).hasToString("200000");
        } finally {
            pool.shutdownNow();
        }
    }
}
