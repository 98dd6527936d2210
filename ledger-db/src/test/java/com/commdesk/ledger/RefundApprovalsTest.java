package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.ledger.testing.TestDatabases;
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
        db.dsl().execute("insert into payment (payment_id, request_sha256, community_id, source_type, source_id, cashfree_order_id, "
                + "amount_paise, workflow_id) values ('ra-pay', repeat('0', 64), 'demo-community', 'EVENT', 'e', 'ra_order', 1000000, 'w')");
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
        assertThatThrownBy(() -> db.dsl().execute("update refund_approval set status = 'APPROVED', decided_by = 'finance-3' "
                + "where refund_id = 'ra-2'")).hasMessageContaining("already REJECTED");
        assertThatThrownBy(() -> db.dsl().execute("delete from refund_approval where refund_id = 'ra-2'"))
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> db.dsl().execute("update refund_approval set amount_paise = 1 where refund_id = 'ra-2'"))
                .hasMessageContaining("permission denied");
    }
}
