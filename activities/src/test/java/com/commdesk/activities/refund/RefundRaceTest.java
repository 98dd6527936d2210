package com.commdesk.activities.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.activities.cashfree.CashfreeRefunds;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.LedgerQueries;
import com.commdesk.ledger.PaymentLedger;
import com.commdesk.ledger.PaymentPosting;
import com.commdesk.ledger.RefundLedger;
import com.commdesk.ledger.RefundPosting;
import com.commdesk.ledger.testing.TestDatabases;
import com.commdesk.workflows.refund.RefundFailures;
import com.commdesk.workflows.refund.RefundRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 3: a full REFUND and a full CHARGEBACK of one payment, at once. The refund is
 * reserved in the books before Cashfree is asked, under the payment's lock, so exactly one of the two
 * goes through and Cashfree is never asked for money the payment no longer has.
 */
class RefundRaceTest {
    LedgerDatabase db;
    RefundActivitiesImpl activities;
    final AtomicLong refundedAtCashfree = new AtomicLong();

    @BeforeEach
    void aPostedPayment() {
        db = TestDatabases.fresh();
        var dsl = db.dsl();
        var demo = new CommunityRepository(dsl).find("demo-community").orElseThrow();
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(1_000_000L, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
        Ledger core = new Ledger(dsl);
        new PaymentLedger(core).postPayment(new PaymentPosting("race", "demo-community", "EVENT", "e", "order-race", "cf-race", "CARD",
                b, SplitEngine.splitRevenueAcrossRoles(b.netPaise(), demo.roles()), null, null, Map.of()));
        CashfreeRefunds cashfree = new CashfreeRefunds() {
            public CashfreeRefund createRefund(String order, String id, long amount, String note) {
                refundedAtCashfree.addAndGet(amount);
                return new CashfreeRefund(id, "cf-" + id, order, amount, "PENDING");
            }

            public Optional<CashfreeRefund> refund(String order, String id) {
                return Optional.empty();
            }
        };
        activities = new RefundActivitiesImpl(new LedgerQueries(dsl), new RefundLedger(core), cashfree,
                RefundPosting.GatewayFee.BORNE_BY_COMMUNITY, RefundPosting.PlatformFee.REFUNDED, new SimpleMeterRegistry());
    }

    @AfterEach
    void booksAreWhole() throws Exception {
        assertThat(new LedgerInvariants(db.dsl()).check().violations()).isEmpty();
        db.close();
    }

    /** What each workflow does before Cashfree: reserve; then (a refund only) ask Cashfree. */
    String refundOrChargeback(RefundRequest r) {
        try {
            var reservation = activities.reserve(r);
            if (r.kind() == RefundRequest.Kind.REFUND) activities.askCashfree(r, reservation.cashfreeOrderId());
            return "reserved";
        } catch (ApplicationFailure e) {
            return e.getType();
        }
    }

    @Test
    void aFullRefundAndAFullChargebackAtOnceNeverTakeTheMoneyTwice() throws Exception {
        var refund = new RefundRequest("rf-race", "race", RefundRequest.Kind.REFUND, 1_000_000L, "cancelled", "support");
        var chargeback = new RefundRequest("cb-race", "race", RefundRequest.Kind.CHARGEBACK, 1_000_000L, "dispute lost", "support");
        List<String> outcomes = new ArrayList<>();
        try (ExecutorService both = Executors.newFixedThreadPool(2)) {
            List<Future<String>> f = both.invokeAll(List.<Callable<String>>of(() -> refundOrChargeback(refund), () -> refundOrChargeback(chargeback)));
            for (Future<String> x : f) outcomes.add(x.get());
        }
        assertThat(outcomes).containsExactlyInAnyOrder("reserved", RefundFailures.NOT_REFUNDABLE);
        boolean refundWon = outcomes.get(0).equals("reserved");
        assertThat(refundedAtCashfree.get()).as("Cashfree asked only if the refund won").isEqualTo(refundWon ? 1_000_000L : 0L);
        assertThat(((Number) db.dsl().fetchValue("select count(*) from refund")).longValue()).isEqualTo(1);
    }

    @Test
    void theSecondOfTwoFullRefundsIsRefusedBeforeCashfreeIsAsked() {
        activities.reserve(new RefundRequest("cb-first", "race", RefundRequest.Kind.CHARGEBACK, 1_000_000L, "dispute lost", "support"));
        var refund = new RefundRequest("rf-late", "race", RefundRequest.Kind.REFUND, 1_000_000L, "cancelled", "support");
        assertThatThrownBy(() -> activities.reserve(refund)).isInstanceOfSatisfying(ApplicationFailure.class,
                e -> assertThat(e.getType()).isEqualTo(RefundFailures.NOT_REFUNDABLE));
        assertThat(refundedAtCashfree.get()).isZero();
    }
}
