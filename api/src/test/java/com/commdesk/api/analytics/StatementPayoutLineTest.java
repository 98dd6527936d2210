package com.commdesk.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.analytics.PayoutAnalytics.PayoutMovement;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** What a monthly statement's payout line says happened (review s6 R2-L3). */
class StatementPayoutLineTest {
    static PayoutMovement movement(String kind, boolean heldForFinance) {
        return new PayoutMovement(42, kind, OffsetDateTime.parse("2026-12-02T10:00:00Z"), 360_350, "po_1", "owner", "u-owner",
                "NEEDS_ATTENTION", "cf_1", null, heldForFinance);
    }

    @Test
    void aRelockHoldsReturnIsNotShownAsABankReversal() {
        var row = Statements.payoutLine(movement("PAYOUT_REVERSED", true));
        assertThat(row.detail()).startsWith("returned and locked again for finance's review").contains("not a bank reversal")
                .doesNotContain("reversed by the bank");
        assertThat(row.amountsPaise()).containsExactly(360_350L);
    }

    @Test
    void aBankReversalAndAPaymentSayWhatTheyAre() {
        assertThat(Statements.payoutLine(movement("PAYOUT_REVERSED", false)).detail()).startsWith("reversed by the bank ");
        var paid = Statements.payoutLine(movement("PAYOUT_PAID", false));
        assertThat(paid.detail()).startsWith("paid ");
        assertThat(paid.amountsPaise()).containsExactly(-360_350L);
    }
}
