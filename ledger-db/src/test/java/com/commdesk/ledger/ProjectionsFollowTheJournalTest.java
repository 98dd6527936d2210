package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 11: refunds and chargebacks (and their cancellation, and reversals) reach the
 * community's totals and the platform's revenue; the invariant checker (run after every test by the
 * fixture) proves every projection against the postings.
 */
class ProjectionsFollowTheJournalTest extends LedgerFixture {
    long community(String column) {
        return num("select " + column + " from community_wallet where community_id = 'demo-community'");
    }

    @Test
    void aFullRefundTakesThePaymentOutOfTheTotalsAndThePlatformRevenue() {
        PostedPayment p = pay("tot");
        assertThat(community("total_gross_revenue_paise")).isEqualTo(1_000_000L);
        assertThat(num("select sum(amount_paise) from platform_revenue")).isEqualTo(80_000L);

        refunds.postRefund(refund("rf-tot", p, 1_000_000L));

        assertThat(community("total_gross_revenue_paise")).isZero();
        assertThat(community("total_gst_collected_paise")).isZero();
        assertThat(community("total_platform_fees_paise")).isZero();
        // The members gave back their 7,207.00 and Cashfree's kept fee of 193.00 (borne by the community):
        // the community's result of a fully refunded payment is minus the fee it bore, still a fee it paid.
        assertThat(community("total_net_revenue_paise")).isEqualTo(720_700L - 740_000L);
        assertThat(community("total_gateway_fees_paise")).isEqualTo(19_300L);
        assertThat(num("select coalesce(sum(amount_paise), 0) from platform_revenue")).isZero();
        assertThat(num("select count(*) from platform_revenue where kind = 'REFUND'")).isEqualTo(1);
    }

    @Test
    void aCancelledRefundPutsEverythingBack() {
        PostedPayment p = pay("back");
        String before = dsl.fetch("select * from community_wallet").formatCSV() + dsl.fetch("select * from member_wallet order by 1, 2, 3").formatCSV();

        refunds.reserve(refund("rf-back", p, 400_000L));
        assertThat(community("total_gross_revenue_paise")).isEqualTo(600_000L);
        refunds.cancel("rf-back", RefundLedger.Status.CANCELLED, "Cashfree cancelled it", null);

        String after = dsl.fetch("select * from community_wallet").formatCSV() + dsl.fetch("select * from member_wallet order by 1, 2, 3").formatCSV();
        assertThat(after.replaceAll("\\d{4}-\\d\\d-\\d\\d[ T][^,]*", "")).isEqualTo(before.replaceAll("\\d{4}-\\d\\d-\\d\\d[ T][^,]*", ""));
        assertThat(num("select coalesce(sum(amount_paise), 0) from platform_revenue")).isEqualTo(80_000L);
        assertThat(num("select count(*) from wallet_hold where cancelled_journal_id is not null")).isZero();
    }

    @Test
    void aReversedPaymentLeavesTheTotals() {
        pay("gone");
        payments.reversePayment("gone", "compensated");
        assertThat(community("total_gross_revenue_paise")).isZero();
        assertThat(community("total_net_revenue_paise")).isZero();
        assertThat(num("select coalesce(sum(amount_paise), 0) from platform_revenue")).isZero();
    }
}
