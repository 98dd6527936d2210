package com.commdesk.activities.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.activities.cashfree.CashfreeRefunds;
import com.commdesk.workflows.refund.CashfreeRefundState;
import com.commdesk.workflows.refund.RefundFailures;
import com.commdesk.workflows.refund.RefundRequest;
import com.commdesk.workflows.refund.RefundStatusEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Review R2-M2: an answer from Cashfree about our refund id is handed to the workflow only if Cashfree's record is our
 * refund — our refund id, our order, our amount to the paisa. A record of another amount or order is the mismatch: no
 * outcome (SUCCESS would book our amount as refunded although Cashfree refunded another), the refund goes to an operator.
 */
class RefundCashfreeAnswerTest {
    static final String ORDER = "order-42";
    final RefundRequest ours = new RefundRequest("rf-42", "pay-42", RefundRequest.Kind.REFUND, 250_000L, "seat cancelled", "support");
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    /** What Cashfree holds under our refund id (null: none). */
    CashfreeRefunds.CashfreeRefund atCashfree;

    final CashfreeRefunds cashfree = new CashfreeRefunds() {
        public CashfreeRefund createRefund(String orderId, String refundId, long amountPaise, String note) {
            return atCashfree;
        }

        public Optional<CashfreeRefund> refund(String orderId, String refundId) {
            return Optional.ofNullable(atCashfree);
        }
    };
    final RefundActivitiesImpl activities = new RefundActivitiesImpl(null, null, cashfree, null, null, metrics);

    static CashfreeRefunds.CashfreeRefund record(String orderId, long paise, String status) {
        return new CashfreeRefunds.CashfreeRefund("rf-42", "cf-77", orderId, paise, status);
    }

    static void isTheMismatch(Throwable e) {
        assertThat(e).isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.getType()).isEqualTo(RefundFailures.CASHFREE_REFUND_MISMATCH);
            assertThat(f.isNonRetryable()).as("no retry changes Cashfree's record").isTrue();
        });
    }

    double mismatchesCounted() {
        var c = metrics.find("commdesk.refunds.cashfree.mismatch").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aStatusOfSuccessForAnotherAmountIsNoOutcomeButTheMismatch() {
        atCashfree = record(ORDER, 260_000L, "SUCCESS");
        assertThatThrownBy(() -> activities.cashfreeStatus(ours, ORDER)).satisfies(RefundCashfreeAnswerTest::isTheMismatch)
                .hasMessageContaining("260000").hasMessageContaining("250000");
    }

    @Test
    void aStatusOfSuccessOnePaisaShortIsTheMismatchToo() {
        atCashfree = record(ORDER, 249_999L, "SUCCESS");
        assertThatThrownBy(() -> activities.cashfreeStatus(ours, ORDER)).satisfies(RefundCashfreeAnswerTest::isTheMismatch);
    }

    @Test
    void aStatusOfSuccessOnAnotherOrderIsTheMismatch() {
        atCashfree = record("order-other", 250_000L, "SUCCESS");
        assertThatThrownBy(() -> activities.cashfreeStatus(ours, ORDER)).satisfies(RefundCashfreeAnswerTest::isTheMismatch)
                .hasMessageContaining("order-other");
    }

    @Test
    void cancelledAndFailedForAnotherAmountAreNoOutcomesEither() {
        for (String status : new String[] {"CANCELLED", "FAILED", "PENDING"}) {
            atCashfree = record(ORDER, 1L, status);
            assertThatThrownBy(() -> activities.cashfreeStatus(ours, ORDER)).as(status).satisfies(RefundCashfreeAnswerTest::isTheMismatch);
        }
    }

    @Test
    void ourOwnRefundStillAnswersItsStatus() {
        atCashfree = record(ORDER, 250_000L, "SUCCESS");
        assertThat(activities.cashfreeStatus(ours, ORDER)).isEqualTo(new CashfreeRefundState("cf-77", "SUCCESS"));
        atCashfree = null;
        assertThat(activities.cashfreeStatus(ours, ORDER).status()).isEqualTo(CashfreeRefundState.NOT_FOUND);
        assertThat(mismatchesCounted()).isZero();
    }

    @Test
    void aCreateAnsweredWithAnotherOrdersRefundIsTheMismatch() {
        atCashfree = record("order-other", 250_000L, "PENDING");
        assertThatThrownBy(() -> activities.askCashfree(ours, ORDER)).satisfies(RefundCashfreeAnswerTest::isTheMismatch);
        atCashfree = record(ORDER, 250_000L, "PENDING");
        assertThat(activities.askCashfree(ours, ORDER)).isEqualTo(new CashfreeRefundState("cf-77", "PENDING"));
    }

    @Test
    void aMismatchIsCountedOncePerRefundHoweverOftenCashfreeIsAsked() {
        atCashfree = record(ORDER, 260_000L, "SUCCESS");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> activities.cashfreeStatus(ours, ORDER)).satisfies(RefundCashfreeAnswerTest::isTheMismatch);
        }
        assertThat(mismatchesCounted()).isEqualTo(1);
        RefundRequest another = new RefundRequest("rf-43", "pay-42", RefundRequest.Kind.REFUND, 250_000L, "seat cancelled", "support");
        atCashfree = new CashfreeRefunds.CashfreeRefund("rf-43", "cf-78", ORDER, 1L, "SUCCESS");
        assertThatThrownBy(() -> activities.cashfreeStatus(another, ORDER)).satisfies(RefundCashfreeAnswerTest::isTheMismatch);
        assertThat(mismatchesCounted()).isEqualTo(2);
    }

    // ---- a REFUND_STATUS webhook is a trigger: Cashfree's record, checked the same way, is the answer ----------------------

    static RefundStatusEvent webhook(String status) {
        return new RefundStatusEvent("evt-1", "cf-77", status);
    }

    @Test
    void aSuccessWebhookForARefundCashfreeHoldsForAnotherAmountIsTheMismatch() {
        atCashfree = record(ORDER, 260_000L, "SUCCESS");
        assertThatThrownBy(() -> activities.confirmOutcome(ours, ORDER, webhook("SUCCESS")))
                .satisfies(RefundCashfreeAnswerTest::isTheMismatch);
    }

    @Test
    void aSuccessWebhookIsAnsweredWithWhatCashfreesRecordSaysNow() {
        atCashfree = record(ORDER, 250_000L, "SUCCESS");
        assertThat(activities.confirmOutcome(ours, ORDER, webhook("SUCCESS"))).isEqualTo(new CashfreeRefundState("cf-77", "SUCCESS"));
        atCashfree = record(ORDER, 250_000L, "PENDING"); // the record does not say so (yet): no outcome
        assertThat(activities.confirmOutcome(ours, ORDER, webhook("SUCCESS")).status()).isEqualTo("PENDING");
        atCashfree = null; // Cashfree has no such refund: no outcome either
        assertThat(activities.confirmOutcome(ours, ORDER, webhook("SUCCESS")).status()).isEqualTo(CashfreeRefundState.NOT_FOUND);
    }

    @Test
    void aFailedWebhookIsTakenWhereTheRecordIsOursButItsStatusCannotBeRead() {
        // The SDK reads FAILED as UNKNOWN; the record is ours (order and amount), so the signed webhook's FAILED stands.
        atCashfree = record(ORDER, 250_000L, "UNKNOWN");
        assertThat(activities.confirmOutcome(ours, ORDER, webhook("FAILED"))).isEqualTo(new CashfreeRefundState("cf-77", "FAILED"));
        atCashfree = record(ORDER, 250_001L, "UNKNOWN");
        assertThatThrownBy(() -> activities.confirmOutcome(ours, ORDER, webhook("FAILED")))
                .satisfies(RefundCashfreeAnswerTest::isTheMismatch);
    }

    @Test
    void aSuccessOrCancelledWebhookIsNotTakenWhereTheRecordsStatusCannotBeRead() {
        // Review s12: the SDK reads SUCCESS and CANCELLED itself, so a record it cannot read is not one of them: a signed
        // SUCCESS webhook against it is a contradiction, not the outcome (the money would be booked as paid to the customer).
        atCashfree = record(ORDER, 250_000L, "UNKNOWN");
        assertThat(activities.confirmOutcome(ours, ORDER, webhook("SUCCESS")).status()).isEqualTo("UNKNOWN");
        assertThat(activities.confirmOutcome(ours, ORDER, webhook("CANCELLED")).status()).isEqualTo("UNKNOWN");
    }
}
