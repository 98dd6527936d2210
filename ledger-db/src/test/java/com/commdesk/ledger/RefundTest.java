package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.ledger.WalletMovements.Movement;
import com.commdesk.ledger.RefundPosting.GatewayFee;
import com.commdesk.ledger.RefundPosting.Kind;
import com.commdesk.ledger.RefundPosting.PlatformFee;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** Refunds and chargebacks reverse a payment proportionally, to the paisa, and never lose track of money already paid out. */
class RefundTest extends LedgerFixture {
    long owner(String column) {
        return num("select " + column + " from member_wallet where user_id = 'u-owner'");
    }

    @Test
    void aFullRefundBeforeReleaseUndoesEveryPart() {
        PostedPayment p = pay("r1");

        var posted = refunds.postRefund(refund("rf-1", p, 1_000_000L));

        // The community gives back the net it received (720,700, still pending) plus Cashfree's fee,
        // which Cashfree keeps and the community bears (19,300): with nothing available, that is owed.
        assertThat(posted.fromPendingPaise()).isEqualTo(720_700L);
        assertThat(posted.fromAvailablePaise()).isZero();
        assertThat(posted.toReceivablePaise()).isEqualTo(19_300L);
        assertThat(owner("receivable_paise")).isEqualTo(9_650L); // the owner's half
        assertThat(owner("pending_paise")).isZero();
        assertThat(balance("gst_output_payable:CGST") + balance("gst_output_payable:SGST")).isZero();
        assertThat(balance("platform_fee_income") + balance("platform_gst_payable:CGST") + balance("platform_gst_payable:SGST")).isZero();
        assertThat(balance("cashfree_clearing")).as("Cashfree keeps only its fee").isEqualTo(1_000_000L - 19_300L - 1_000_000L);
        assertThat(holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100)).as("nothing left to release").isZero();
    }

    @Test
    void aPartialRefundIsProportionalToThePaisaAndCannotOverrun() {
        PostedPayment p = pay("r2");

        var first = refunds.postRefund(refund("rf-2a", p, 250_000L)); // a quarter
        // A quarter of each part: GST 45,000; gateway 4,825; platform 20,000; net 180,175 -> community 185,000.
        assertThat(first.fromPendingPaise()).isEqualTo(185_000L);
        assertThat(balance("gst_output_payable:CGST") + balance("gst_output_payable:SGST")).isEqualTo(-(180_000L - 45_000L));
        assertThat(owner("pending_paise")).isEqualTo(360_350L - 92_500L); // the owner's half of the community's 185,000

        assertThatThrownBy(() -> refunds.postRefund(refund("rf-2b", p, 750_001L)))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.code()).isEqualTo(LedgerException.Code.REFUND_EXCEEDS_PAYMENT));
        refunds.postRefund(refund("rf-2c", p, 750_000L));
        assertThat(owner("pending_paise")).isZero();
    }

    @Test
    void cancellingARefundWhoseHoldAnotherRefundClosedPutsItsMoneyBackOnHold() {
        // Review s12: R1 took a quarter of the owner's held share, R2 the rest (which closed the hold under R2's journal);
        // cancelling R1 then found the hold "not open" and made its 92,500 available at once, for the next settlement to pay
        // out before the hold period ended. Cancelling R2 first gave the right answer: the outcome depended on the order.
        PostedPayment p = pay("r-hold");
        long held = owner("pending_paise");
        refunds.reserve(refund("rf-h1", p, 250_000L));
        refunds.reserve(refund("rf-h2", p, 750_000L));
        assertThat(owner("pending_paise")).isZero();

        refunds.cancel("rf-h1", RefundLedger.Status.FAILED, "Cashfree failed it", null);
        assertThat(owner("available_paise")).as("never spendable before its hold period ends").isZero();
        assertThat(owner("pending_paise")).isEqualTo(92_500L);
        assertThat(openHold(p)).as("held again, released when due").isEqualTo(92_500L);
        assertThat(holds.releaseDueHolds(OffsetDateTime.now(), 100)).isZero();

        refunds.cancel("rf-h2", RefundLedger.Status.FAILED, "Cashfree failed it too", null);
        assertThat(owner("pending_paise")).isEqualTo(held);
        assertThat(openHold(p)).isEqualTo(held);
        assertThat(owner("available_paise")).isZero();
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100);
        assertThat(owner("available_paise")).isEqualTo(held);
    }

    /** The owner's open hold of payment {@code p}. */
    private long openHold(PostedPayment p) {
        return num("select coalesce(sum(amount_paise), 0) from wallet_hold where transaction_id = ?::uuid and user_id = 'u-owner'"
                + " and released_journal_id is null and cancelled_journal_id is null", p.transactionId().toString());
    }

    @Test
    void aRefundAfterPayoutBecomesAReceivableRecoveredFromTheNextEarnings() {
        PostedPayment p = pay("r3");
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100);
        movements.payoutMovement(Movement.PAYOUT_LOCK, "po-r3", member("owner", "u-owner"), 360_350L, "payout");
        movements.payoutMovement(Movement.PAYOUT_PAID, "po-r3", member("owner", "u-owner"), 360_350L, "paid");

        var posted = refunds.postRefund(new RefundPosting("cb-3", p.transactionId(), Kind.CHARGEBACK, 1_000_000L, "dispute lost",
                GatewayFee.BORNE_BY_COMMUNITY, PlatformFee.REFUNDED));

        // The community owes net + gateway fee = 740,000; the owner's half is 370,000, and they were paid out.
        assertThat(owner("receivable_paise")).as("the owner was paid out: they owe their share").isEqualTo(370_000L);
        assertThat(owner("available_paise")).isZero();
        // The others still had their released money available; only their share of the gateway fee is owed.
        assertThat(posted.fromAvailablePaise()).isEqualTo(360_350L);
        assertThat(posted.toReceivablePaise()).isEqualTo(370_000L + 9_650L);
        assertThat(posted.fromAvailablePaise() + posted.toReceivablePaise()).isEqualTo(740_000L);

        long owed = owner("receivable_paise");
        pay("r4"); // the owner earns 3,603.50 again: it pays the receivable first
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 100);
        assertThat(owner("receivable_paise")).isEqualTo(Math.max(0, owed - 360_350L));
        assertThat(owner("available_paise")).isEqualTo(Math.max(0, 360_350L - owed));
    }

    @Test
    void policiesDecideWhoBearsTheGatewayAndPlatformFees() {
        PostedPayment a = pay("r5");
        PostedPayment b = pay("r6");

        var platformBears = refunds.postRefund(new RefundPosting("rf-5", a.transactionId(), Kind.REFUND, 1_000_000L, "x",
                GatewayFee.BORNE_BY_PLATFORM, PlatformFee.REFUNDED));
        var communityBears = refunds.postRefund(new RefundPosting("rf-6", b.transactionId(), Kind.REFUND, 1_000_000L, "x",
                GatewayFee.BORNE_BY_COMMUNITY, PlatformFee.KEPT));

        assertThat(platformBears.fromPendingPaise()).isEqualTo(720_700L);
        assertThat(platformBears.toReceivablePaise()).isZero();
        // The community bears the kept platform fee and Cashfree's fee too: 99,300 more than it received.
        assertThat(communityBears.fromPendingPaise()).isEqualTo(720_700L);
        assertThat(communityBears.toReceivablePaise()).isEqualTo(19_300L + 80_000L);
        assertThat(balance("gateway_fee_recovery")).as("the platform gave up one recovery").isEqualTo(-19_300L);
    }

    @Test
    void theSameRefundIdIsOneRefund() {
        PostedPayment p = pay("r7");
        var first = refunds.postRefund(refund("rf-7", p, 100_000L));
        var again = refunds.postRefund(refund("rf-7", p, 100_000L));

        assertThat(again.newlyPosted()).isFalse();
        assertThat(again.journalId()).isEqualTo(first.journalId());
        assertThatThrownBy(() -> refunds.postRefund(refund("rf-7", p, 100_001L)))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.code()).isEqualTo(LedgerException.Code.IDEMPOTENCY_CONFLICT));
        assertThat(num("select count(*) from refund")).isEqualTo(1);
    }

    @Test
    void aRefundWaitingForFinanceIsNeverReservedInJavaOrInTheDatabase() {
        PostedPayment p = pay("r-appr");
        dsl.execute("insert into payment (payment_id, request_sha256, community_id, source_type, source_id, cashfree_order_id, "
                + "amount_paise, workflow_id) values ('r-appr-pay', repeat('0', 64), 'demo-community', 'EVENT', 'e', 'r_appr_order', 1000000, 'w')");
        RefundApprovals approvals = new RefundApprovals(core);
        approvals.accept(new RefundIntake.RefundRequestRecord("rf-appr", "r-appr-pay", "e".repeat(64), "REFUND", 600_000, "owner-1"),
                true, "demo-community", "seat not used", 500_000).orElseThrow();

        // Any start of its workflow (not only the API's) is refused before anything is written.
        assertThatThrownBy(() -> refunds.reserve(refund("rf-appr", p, 600_000L)))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.code()).isEqualTo(LedgerException.Code.WRONG_STATE))
                .hasMessageContaining("AWAITING_APPROVAL");
        // The database refuses it too, on the application's own connection (the trigger runs before the row's other checks).
        assertThatThrownBy(() -> dsl.execute("insert into refund (refund_id, transaction_id, kind, amount_paise, reason, gateway_fee_policy, "
                + "platform_fee_policy, journal_id, from_pending_paise, from_available_paise, to_receivable_paise) values ('rf-appr', ?::uuid, "
                + "'REFUND', 600000, 'x', 'BORNE_BY_COMMUNITY', 'REFUNDED', 1, 0, 0, 0)", p.transactionId().toString()))
                .hasMessageContaining("not APPROVED");
        assertThat(num("select count(*) from refund where refund_id = 'rf-appr'")).isZero();
        // Nor through a temporary refund_approval, which comes first on a session's search_path (review s12: this guard's
        // function was the one whose search_path was never pinned; an empty temp table made it see no approval at all).
        assertThatThrownBy(() -> dsl.transaction(cfg -> {
            var tx = cfg.dsl();
            tx.execute("create temp table refund_approval (refund_id text, status text) on commit drop");
            tx.execute("insert into refund (refund_id, transaction_id, kind, amount_paise, reason, gateway_fee_policy, "
                    + "platform_fee_policy, journal_id, from_pending_paise, from_available_paise, to_receivable_paise) values ('rf-appr', ?::uuid, "
                    + "'REFUND', 600000, 'x', 'BORNE_BY_COMMUNITY', 'REFUNDED', 1, 0, 0, 0)", p.transactionId().toString());
        })).hasMessageContaining("not APPROVED");
        assertThat(num("select count(*) from refund where refund_id = 'rf-appr'")).isZero();

        approvals.decide("rf-appr", true, "finance-2", null);
        assertThat(refunds.reserve(refund("rf-appr", p, 600_000L)).refundId()).isEqualTo("rf-appr");
        refunds.settle("rf-appr", null);
    }

    @Test
    void aRefundSettledOnFinancesResolutionRecordsItsDecidersAndCashfreesAnswerNobody() {
        // Review s7 round 2 LOW: finance's PAID resolution of a mismatch booked the outcome with decided_by null.
        PostedPayment p = pay("r-dec");
        refunds.reserve(refund("rf-dec-1", p, 100_000L));
        refunds.reserve(refund("rf-dec-2", p, 100_000L));
        refunds.settle("rf-dec-1", "cf-1", "fin-anita+fin-ravi");
        refunds.settle("rf-dec-2", "cf-2");
        assertThat(dsl.fetchValue("select decided_by from refund_outcome where refund_id = 'rf-dec-1'")).isEqualTo("fin-anita+fin-ravi");
        assertThat(dsl.fetchValue("select decided_by from refund_outcome where refund_id = 'rf-dec-2'")).isNull();
    }

    /**
     * The operators' list of refunds that wait is oldest first, as its callers say (the ops page, GET /api/v1/ops/refunds),
     * and continues after the last refund shown. Until s18 it was ordered by refund id, a client's key: a refund named
     * "a..." reserved today came before one named "z..." waiting for a week, and the cursor skipped every older refund whose
     * id sorted lower.
     */
    @Test
    void refundsThatWaitAreListedOldestFirstAndContinueAfterTheLastShown() {
        PostedPayment p = pay("r-wait");
        refunds.reserve(refund("rf-wait-z", p, 100_000L)); // reserved first, its id sorts last
        refunds.reserve(refund("rf-wait-a", p, 100_000L));
        refunds.reserve(refund("rf-wait-m", p, 100_000L));
        refunds.settle("rf-wait-m", "cf-m"); // booked: no longer waits
        OffsetDateTime now = OffsetDateTime.now().plusSeconds(1);

        assertThat(waiting(refunds.pending(now, null, RefundLedger.MAX_PAGE))).containsExactly("rf-wait-z", "rf-wait-a");
        assertThat(waiting(refunds.pending(now, null, 1))).containsExactly("rf-wait-z");
        assertThat(waiting(refunds.pending(now, "rf-wait-z", RefundLedger.MAX_PAGE))).containsExactly("rf-wait-a");
        assertThat(waiting(refunds.pending(now, "rf-wait-a", RefundLedger.MAX_PAGE))).isEmpty();
        // a cursor on a refund that no longer waits still says where the list continues (its reservation time never changes)
        assertThat(waiting(refunds.pending(now, "rf-wait-m", RefundLedger.MAX_PAGE))).isEmpty();
        assertThatThrownBy(() -> refunds.pending(now, "rf-no-such", 10))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.code()).isEqualTo(LedgerException.Code.NOT_FOUND))
                .hasMessageContaining("rf-no-such");
    }

    private static java.util.List<String> waiting(java.util.List<RefundLedger.Refund> page) {
        return page.stream().map(RefundLedger.Refund::refundId).filter(id -> id.startsWith("rf-wait-")).toList();
    }
}
