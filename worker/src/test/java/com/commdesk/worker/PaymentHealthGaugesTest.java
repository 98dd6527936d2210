package com.commdesk.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.workflows.payment.PaymentStage;
import org.junit.jupiter.api.Test;

/** Which recorded statuses the stuck gauge counts (its query is OperationalCounts', tested on PostgreSQL in ledger-db). */
class PaymentHealthGaugesTest {
    @Test
    void aPaymentAwaitingItsOrdersPaymentIsNeitherStuckNorParked() {
        // It waits for its customer, up to 30 days, looked at hourly then daily: counted as stuck, every abandoned claim
        // would page on-call after 15 minutes (review s12); it is not a person's to act on either.
        assertThat(PaymentHealthGauges.IN_PROGRESS).doesNotContain(PaymentStage.AWAITING_PAYMENT.name());
        assertThat(PaymentHealthGauges.PARKED).doesNotContain(PaymentStage.AWAITING_PAYMENT.name());
        assertThat(PaymentHealthGauges.IN_PROGRESS).contains("ACCEPTED", PaymentStage.VERIFYING.name(), PaymentStage.SCREENING.name(),
                PaymentStage.POSTING_LEDGER.name());
    }
}
