package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.payout.PayoutRepository;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bank's reference (UTR) of a payout (issue 12): stored once from whichever of the status fetch and the
 * webhook reports the success first, as the runtime role; never overwritten; a later different one is an event.
 */
class PayoutBankUtrTest extends LedgerFixture {
    PayoutRepository payouts;
    String payoutId;

    @BeforeEach
    void aSettlementWithOnePayout() {
        payouts = new PayoutRepository(dsl);
        payoutId = aSettlementWithOnePayout(payouts, "stl_utr");
    }

    @Test
    void theFirstReportedUtrOfASuccessIsKeptOnceAndADifferentOneIsRecordedForFinance() {
        payouts.recordCashfree(payoutId, "9001", "PENDING", "SENT_TO_BENEFICIARY", null);
        assertThat(payouts.payout(payoutId).orElseThrow().bankUtr()).isNull();
        payouts.recordCashfree(payoutId, "9001", "SUCCESS", "COMPLETED", "N351200478962883"); // the status fetch
        payouts.recordBankUtr(payoutId, "SUCCESS", "N351200478962883"); // the webhook, after: nothing more
        payouts.recordBankUtr(payoutId, "SUCCESS", "OTHER123"); // a different one: kept out, recorded
        assertThat(payouts.payout(payoutId).orElseThrow().bankUtr()).isEqualTo("N351200478962883");
        assertThat(statuses()).containsSubsequence("UTR", "UTR_MISMATCH").filteredOn("UTR"::equals).hasSize(1);
    }

    @Test
    void onlyASuccessOrItsReversalCarriesAUtrAndAMalformedOneIsNotStored() {
        payouts.recordBankUtr(payoutId, "FAILED", "N1");
        assertThat(payouts.payout(payoutId).orElseThrow().bankUtr()).isNull();
        payouts.recordBankUtr(payoutId, "SUCCESS", "N35 1200'; drop table payout;--");
        assertThat(payouts.payout(payoutId).orElseThrow().bankUtr()).isNull();
        assertThat(statuses()).containsExactly("UTR_REFUSED");
        payouts.recordBankUtr(payoutId, "REVERSED", "N351200478962883"); // the webhook of a reversal arrived first
        assertThat(payouts.payout(payoutId).orElseThrow().bankUtr()).isEqualTo("N351200478962883");
    }

    List<String> statuses() {
        return dsl.fetch("select status from payout_event where payout_id = ? and status like 'UTR%' order by payout_event_id", payoutId)
                .getValues(0, String.class);
    }
}
