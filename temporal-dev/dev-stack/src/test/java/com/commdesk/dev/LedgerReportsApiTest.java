package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import java.net.http.HttpResponse;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Finance's read side over HTTP: invariants, statements and monthly tax reports. */
class LedgerReportsApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MONTH = YearMonth.now(ZoneId.of("Asia/Kolkata")).toString();

    @BeforeAll
    static void aPostedPayment() throws Exception {
        SharedStack.get().simulator().createPaidOrder("rep_order_1", 1_000_000L, "INR",
                Map.of("community_id", "demo-community"), PaymentMethod.CARD);
        SharedStack.post("/api/v1/payments", "rep-pay-1",
                "{\"communityId\":\"demo-community\",\"sourceType\":\"SPONSOR\",\"cashfreeOrderId\":\"rep_order_1\",\"amountPaise\":1000000}");
        assertThat(EndToEndPaymentTest.awaitFinal("rep-pay-1").path("stage").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void theInvariantsHold() throws Exception {
        JsonNode report = JSON.readTree(SharedStack.get("/api/v1/ledger/invariants").body());
        assertThat(report.path("violations").size()).as(report.toString()).isZero();
        assertThat(report.path("holds").asBoolean()).isTrue();
        assertThat(report.path("journals").asLong()).isPositive();
    }

    @Test
    void aMemberStatementShowsTheCreditWithARunningBalance() throws Exception {
        JsonNode page = JSON.readTree(SharedStack.get("/api/v1/wallets/demo-community/members/u-owner/statement?limit=500").body());
        JsonNode lines = page.path("lines");
        assertThat(lines.size()).isPositive();
        long running = 0;
        for (JsonNode line : lines) {
            running += line.path("amountPaise").asLong();
            assertThat(line.path("balancePaise").asLong()).isEqualTo(running);
        }
    }

    @Test
    void theGstReportComesAsJsonAndCsv() throws Exception {
        JsonNode gst = JSON.readTree(SharedStack.get("/api/v1/reports/gst/" + MONTH).body());
        assertThat(gst.path("outputGst").path("igstPaise").asLong()).isPositive();
        assertThat(gst.path("paymentsPosted").asLong()).isPositive();

        HttpResponse<String> csv = SharedStack.get("/api/v1/reports/gst/" + MONTH + "?format=csv");
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/csv"));
        assertThat(csv.body()).startsWith("line,cgst_paise,sgst_paise,igst_paise,total_paise\n").contains("\noutput_gst,");

        HttpResponse<String> register = SharedStack.get("/api/v1/reports/withholding/" + MONTH + "?format=csv");
        assertThat(register.body()).startsWith("transaction_id,community_id,posted_at,gross_paise");
    }

    @Test
    void aBadMonthIsAProblem() throws Exception {
        HttpResponse<String> r = SharedStack.get("/api/v1/reports/gst/2026-13");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("field").asText()).isEqualTo("month");
    }
}
