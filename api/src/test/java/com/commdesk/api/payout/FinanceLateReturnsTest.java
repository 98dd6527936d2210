package com.commdesk.api.payout;

import static com.commdesk.api.web.Tokens.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.HoldQueue;
import com.commdesk.ledger.HoldReleases;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.PaymentLedger;
import com.commdesk.ledger.PaymentPosting;
import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.ledger.payout.Settlements;
import com.jayway.jsonpath.JsonPath;
import io.temporal.client.WorkflowClient;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code GET /api/v1/finance/payouts/late-returns} on a real database (review M-5): the late-answer sweep's candidates can be
 * reviewed in full, page after page, with what each decision rests on, before anyone sets the sweep to {@code post}.
 */
@WebMvcTest(controllers = FinanceController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class, RealLedgerBeans.class})
class FinanceLateReturnsTest {
    @Autowired MockMvc mvc;
    @Autowired LedgerDatabase db;
    @MockitoBean WorkflowClient workflows;

    /** The demo owner paid ({@code payment}), holds released, a settlement opened, its payout paid on Cashfree's SUCCESS. */
    String aPaidPayout(String payment, String settlementId) {
        var dsl = db.dsl();
        var community = new CommunityRepository(dsl).find("demo-community").orElseThrow();
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(1_000_000L, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
        var posted = new PaymentLedger(new Ledger(dsl)).postPayment(new PaymentPosting(payment, "demo-community", "EVENT", "evt",
                "order-" + payment, "cf-" + payment, "CARD", b, SplitEngine.splitRevenueAcrossRoles(b.netPaise(), community.roles()),
                null, null, Map.of()));
        new HoldQueue(dsl).queueHolds(posted.transactionId());
        new HoldReleases(new Ledger(dsl)).releaseDueHolds(OffsetDateTime.now().plusDays(400), 1000);
        PayoutRepository payouts = new PayoutRepository(dsl);
        if (payouts.currentBeneficiary("demo-community", "owner", "u-owner").isEmpty()) {
            payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null, "u-owner");
        }
        payouts.open(settlementId, "demo-community", "MANUAL", OffsetDateTime.now(), "alice", Long.MAX_VALUE);
        String id = Settlements.payoutId(settlementId, "owner", "u-owner");
        payouts.lock(id);
        payouts.sendPermit(id);
        payouts.recordCashfree(id, "cf-" + id, "SUCCESS", "COMPLETED", "UTR" + payment.replace("-", ""));
        payouts.markPaid(id);
        return id;
    }

    @Test
    void everyCandidateCanBeReviewedPageAfterPageWithWhatItsReturnRestsOn() throws Exception {
        PayoutRepository payouts = new PayoutRepository(db.dsl());
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String id = aPaidPayout("p-late" + i, "stl_late" + i);
            payouts.recordCashfreeAnswer(id, "REVERSED", "ACCOUNT_CLOSED"); // accepted, never acted on: a sweep candidate
            ids.add(id);
        }
        aPaidPayout("p-late9", "stl_late9"); // paid and not returned: not a candidate

        List<String> seen = new ArrayList<>();
        String after = null;
        for (int page = 1; page <= 5; page++) {
            var res = mvc.perform(get("/api/v1/finance/payouts/late-returns").param("limit", "2")
                            .param("after", after == null ? "" : after).with(as("x", Role.FINANCE_VIEWER)))
                    .andExpect(status().isOk()).andExpect(jsonPath("$.total").value(5)).andReturn().getResponse().getContentAsString();
            List<String> got = JsonPath.read(res, "$.candidates[*].payout.payoutId");
            seen.addAll(got);
            List<Object> paidOnFinanceWord = JsonPath.read(res, "$.candidates[*].paidOnFinanceWord");
            List<Object> successAt = JsonPath.read(res, "$.candidates[*].cashfreeSuccessAt");
            List<Object> utr = JsonPath.read(res, "$.candidates[*].payout.bankUtr");
            assertThat(paidOnFinanceWord).allMatch(Boolean.FALSE::equals);
            assertThat(successAt).allMatch(t -> t != null);
            assertThat(utr).allMatch(u -> u != null);
            after = JsonPath.read(res, "$.next");
            if (after == null) break;
        }
        assertThat(seen).as("every candidate once, oldest change first, whatever the page size").containsExactlyElementsOf(ids);
        assertThat(after).as("the last page says there is no more").isNull();

        mvc.perform(get("/api/v1/finance/payouts/late-returns").param("after", "not-a-cursor").with(as("x", Role.OPS)))
                .andExpect(status().isBadRequest());
    }

    @Test
    void theTotalIsCountedOnceWithTheFirstPageAndCarriedToThePagesAfterIt() throws Exception {
        // Issue 10: every page counted the whole candidate set again (a count over every PAID payout per page). The total
        // of a listing is now the count taken with its first page: a candidate that appears meanwhile is not counted again.
        PayoutRepository payouts = new PayoutRepository(db.dsl());
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 4; i++) ids.add(aPaidPayout("p-once" + i, "stl_once" + i));
        for (String id : ids.subList(0, 3)) payouts.recordCashfreeAnswer(id, "REVERSED", "ACCOUNT_CLOSED");
        int before = Math.toIntExact(payouts.unpostedReturnsCount());
        var first = mvc.perform(get("/api/v1/finance/payouts/late-returns").param("limit", "1").with(as("x", Role.FINANCE_VIEWER)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.total").value(before)).andReturn().getResponse().getContentAsString();
        String after = JsonPath.read(first, "$.next");
        assertThat(after).isNotNull();

        payouts.recordCashfreeAnswer(ids.get(3), "REVERSED", "ACCOUNT_CLOSED"); // a new candidate
        assertThat(payouts.unpostedReturnsCount()).isEqualTo(before + 1);
        var second = mvc.perform(get("/api/v1/finance/payouts/late-returns").param("limit", "1").param("after", after)
                        .with(as("x", Role.FINANCE_VIEWER)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(((Number) JsonPath.read(second, "$.total")).longValue()).as("the first page's count, not counted again")
                .isEqualTo(before);

        // A new listing counts again.
        mvc.perform(get("/api/v1/finance/payouts/late-returns").param("limit", "1").with(as("x", Role.FINANCE_VIEWER)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.total").value(before + 1));
        // A forged negative total is no cursor of ours.
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                (OffsetDateTime.now() + " po_x -1").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        mvc.perform(get("/api/v1/finance/payouts/late-returns").param("after", forged).with(as("x", Role.OPS)))
                .andExpect(status().isBadRequest());

        // Posted, they are candidates no more (the other test of this class counts its own, on the same database).
        for (String id : ids) payouts.lateAnswer(id, "REVERSED", "ACCOUNT_CLOSED", "TRANSFER_REVERSED");
        assertThat(payouts.unpostedReturnsCount()).isEqualTo(before - 3);
    }
}
