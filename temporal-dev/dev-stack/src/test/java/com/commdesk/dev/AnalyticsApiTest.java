package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.api.analytics.IndianMoney;
import com.commdesk.cashfree.sim.PaymentMethod;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openpdf.text.pdf.PdfReader;
import org.openpdf.text.pdf.parser.PdfTextExtractor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The dashboard's analytics, statements and reports over HTTP on the whole platform: a community of
 * its own, two payments through Cashfree (the simulator), the worker and the ledger; every figure is
 * compared with sums over the ledger's raw rows, and the monthly statement's CSV and PDF with its JSON.
 */
class AnalyticsApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String C = "analytics-e2e";
    static final YearMonth MONTH = YearMonth.now(ZoneId.of("Asia/Kolkata"));

    @BeforeAll
    static void aCommunityWithTwoPayments() throws Exception {
        DSLContext dsl = SharedStack.db().dsl();
        if (dsl.fetchExists(dsl.selectOne().from("community").where("community_id = ?", C))) return;
        dsl.execute("insert into community (community_id, name, supplier_state, hold_days) values (?, 'Analytics E2E', 'KA', 7)", C);
        dsl.execute("insert into community_role (community_id, role, share_bps, position) values (?, 'owner', 6000, 0), (?, 'team', 4000, 1)", C, C);
        dsl.execute("insert into community_member (community_id, role, user_id, position) values (?, 'owner', 'an-owner', 0),"
                + " (?, 'team', 'an-team-1', 0), (?, 'team', 'an-team-2', 1)", C, C, C);
        long[] amounts = {1_000_000L, 2_345_678L};
        for (int i = 0; i < amounts.length; i++) {
            String order = "an_order_" + i;
            SharedStack.get().simulator().createPaidOrder(order, amounts[i], "INR", Map.of("community_id", C), PaymentMethod.CARD);
            HttpResponse<String> r = SharedStack.post("/api/v1/payments", "an-pay-" + i, "{\"communityId\":\"" + C
                    + "\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"" + order + "\",\"amountPaise\":" + amounts[i] + "}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
        for (int i = 0; i < amounts.length; i++) {
            assertThat(EndToEndPaymentTest.awaitFinal("an-pay-" + i).path("stage").asText()).isEqualTo("COMPLETED");
        }
    }

    /** One completed payment of this month to {@code community} (its members get wallets and history), whatever ran before. */
    /** A completed payment of {@code amountPaise} to {@code community}; returns its payment id. */
    static String aCompletedPaymentTo(String community, long amountPaise) throws Exception {
        String order = "pay_" + community.replace('-', '_') + "_" + System.nanoTime();
        SharedStack.get().simulator().createPaidOrder(order, amountPaise, "INR", Map.of("community_id", community), PaymentMethod.CARD);
        HttpResponse<String> r = SharedStack.post("/api/v1/payments", order, "{\"communityId\":\"" + community
                + "\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"" + order + "\",\"amountPaise\":" + amountPaise + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(EndToEndPaymentTest.awaitFinal(order).path("stage").asText()).isEqualTo("COMPLETED");
        return order;
    }

    static JsonNode json(String path) throws Exception {
        HttpResponse<String> r = SharedStack.get(path);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static long sql(String column) {
        return SharedStack.count("select coalesce(sum(" + column + "), 0) from revenue_transaction where community_id = ?", C);
    }

    @Test
    void theCommunityOverviewEqualsTheLedgersRows() throws Exception {
        JsonNode o = json("/api/v1/analytics/communities/" + C + "/overview?month=" + MONTH);
        JsonNode f = o.path("figures");
        assertThat(o.path("counts").path("payments").asLong()).isEqualTo(2);
        assertThat(f.path("gross").path("paise").asLong()).isEqualTo(sql("gross_amount_paise")).isEqualTo(3_345_678L);
        assertThat(f.path("gst").path("paise").asLong()).isEqualTo(sql("gst_amount_paise"));
        assertThat(f.path("gstCgst").path("paise").asLong() + f.path("gstSgst").path("paise").asLong()
                + f.path("gstIgst").path("paise").asLong()).isEqualTo(sql("gst_amount_paise"));
        assertThat(f.path("cashfreeFee").path("paise").asLong()).isEqualTo(sql("payment_gateway_fee_paise"));
        assertThat(f.path("cashfreeFeeGst").path("paise").asLong()).isEqualTo(sql("payment_gateway_gst_paise"));
        assertThat(f.path("platformFee").path("paise").asLong()).isEqualTo(sql("platform_fee_paise"));
        assertThat(f.path("platformFeeGst").path("paise").asLong()).isEqualTo(sql("platform_fee_gst_paise"));
        assertThat(f.path("tcs").path("paise").asLong()).isEqualTo(sql("tcs_paise"));
        assertThat(f.path("tds").path("paise").asLong()).isEqualTo(sql("tds_paise"));
        assertThat(f.path("net").path("paise").asLong()).isEqualTo(sql("net_revenue_paise"));
        assertThat(f.path("refunds").path("paise").asLong()).isZero();
        // Every figure links to the rows it sums, and those rows add up to it.
        for (Iterator<Map.Entry<String, JsonNode>> it = f.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertThat(e.getValue().path("href").asText()).as(e.getKey()).startsWith("/api/v1/");
        }
        JsonNode register = json(f.path("gross").path("href").asText());
        long gross = 0;
        for (JsonNode line : register.path("lines")) gross += line.path("grossPaise").asLong();
        assertThat(gross).isEqualTo(f.path("gross").path("paise").asLong());
        assertThat(o.path("series").size()).isEqualTo(MONTH.lengthOfMonth());
        long seriesNet = 0;
        for (JsonNode p : o.path("series")) seriesNet += p.path("netPaise").asLong();
        assertThat(seriesNet).isEqualTo(sql("net_revenue_paise"));
        assertThat(o.path("links").path("statementPdf").asText()).isEqualTo("/api/v1/statements/communities/" + C + "/" + MONTH + "?format=pdf");
    }

    @Test
    void theSplitEqualsTheDistributions() throws Exception {
        JsonNode split = json("/api/v1/analytics/communities/" + C + "/split?month=" + MONTH);
        assertThat(split.path("totalPaise").asLong()).isEqualTo(sql("net_revenue_paise"));
        for (JsonNode role : split.path("roles")) {
            for (JsonNode m : role.path("members")) {
                assertThat(m.path("amountPaise").asLong()).as(m.toString()).isEqualTo(SharedStack.count(
                        "select coalesce(sum(amount_paise), 0) from revenue_distribution where community_id = ? and role_name = ? and user_id = ?",
                        C, role.path("role").asText(), m.path("userId").asText()));
            }
        }
        JsonNode wallet = json("/api/v1/analytics/communities/" + C + "/members/an-owner/wallet");
        assertThat(wallet.path("openHolds").size()).isEqualTo(2);
        assertThat(wallet.path("wallets").get(0).path("pendingPaise").asLong()).isEqualTo(SharedStack.count(
                "select coalesce(sum(amount_paise), 0) from revenue_distribution where community_id = ? and user_id = 'an-owner'", C));
        assertThat(wallet.path("history").path("lines").size()).isEqualTo(2);
    }

    @Test
    void theMonthlyStatementIsTheSameInJsonCsvAndPdf() throws Exception {
        String path = "/api/v1/statements/communities/" + C + "/" + MONTH;
        JsonNode s = json(path);
        long owedNow = SharedStack.count("select coalesce(sum(pending_paise + available_paise + locked_paise - receivable_paise), 0)"
                + " from member_wallet where community_id = ?", C);
        assertThat(s.path("closingOwedPaise").asLong()).as("closing balance = member wallets now").isEqualTo(owedNow)
                .isEqualTo(sql("net_revenue_paise"));
        assertThat(s.path("figures").path("grossPaise").asLong()).isEqualTo(sql("gross_amount_paise"));

        HttpResponse<String> csv = SharedStack.get(path + "?format=csv");
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/csv"));
        assertThat(csv.headers().firstValue("Content-Disposition")).hasValueSatisfying(cd -> assertThat(cd).contains(".csv"));
        Map<String, Long> lines = new HashMap<>();
        List<String> rows = csv.body().lines().toList();
        assertThat(rows.get(0)).isEqualTo("section,item,measure,amount_paise,amount_inr,detail");
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",", 6);
            lines.put(c[0] + "|" + c[1], Long.parseLong(c[3]));
            assertThat(c[4]).isEqualTo(IndianMoney.plain(Long.parseLong(c[3])));
        }
        assertThat(lines.get("Balance owed to members|Closing balance")).isEqualTo(owedNow);
        assertThat(lines.get("Balance owed to members|Opening balance")).isEqualTo(s.path("openingOwedPaise").asLong());
        assertThat(lines.get("Payments|Gross received")).isEqualTo(sql("gross_amount_paise"));
        assertThat(lines.get("Payments|GST on sales - total")).isEqualTo(sql("gst_amount_paise"));
        assertThat(lines.get("Payments|TCS (CGST s.52)")).isEqualTo(sql("tcs_paise"));
        assertThat(lines.get("Payments|TDS (s.194-O)")).isEqualTo(sql("tds_paise"));
        assertThat(lines.get("Payments|Net to the community")).isEqualTo(sql("net_revenue_paise"));

        HttpResponse<byte[]> pdf = SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(SharedStack.api(path + "?format=pdf")))
                .header("Authorization", "Bearer " + SharedStack.token("FINANCE_VIEWER")).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(new String(pdf.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        java.nio.file.Path kept = java.nio.file.Path.of("target", "statements", "statement-" + C + "-" + MONTH + ".pdf");
        java.nio.file.Files.createDirectories(kept.getParent());
        java.nio.file.Files.write(kept, pdf.body()); // kept as test output, to look at
        StringBuilder text = new StringBuilder();
        PdfReader reader = new PdfReader(pdf.body());
        PdfTextExtractor extractor = new PdfTextExtractor(reader);
        for (int p = 1; p <= reader.getNumberOfPages(); p++) text.append(extractor.getTextFromPage(p)).append('\n');
        // every amount of the CSV is in the PDF, on the line of its item
        List<String> pdfLines = text.toString().lines().toList();
        for (var e : lines.entrySet()) {
            String item = e.getKey().substring(e.getKey().indexOf('|') + 1);
            String amount = IndianMoney.amount(e.getValue());
            assertThat(pdfLines).as(item + " " + amount).anyMatch(l -> l.contains(item) && l.contains(amount));
        }
    }

    @Test
    void thePlatformSeesTopCommunitiesAndItsOwnAccounts() throws Exception {
        JsonNode o = json("/api/v1/analytics/platform/overview?month=" + MONTH + "&top=100");
        assertThat(o.path("figures").path("gross").path("paise").asLong())
                .isEqualTo(SharedStack.count("select coalesce(sum(gross_amount_paise), 0) from revenue_transaction"
                        + " where not exists (select 1 from journal j where j.reverses_journal_id = revenue_transaction.journal_id)"));
        boolean listed = false;
        for (JsonNode c : o.path("topCommunities")) listed |= c.path("communityId").asText().equals(C);
        assertThat(listed).isTrue();
        assertThat(o.path("platform").path("platformEarnings").path("paise").asLong())
                .isEqualTo(-SharedStack.count("select coalesce(sum(p.amount_paise), 0) from posting p join ledger_account a using (account_id)"
                        + " where a.code = 'platform_fee_income'"));
        JsonNode statement = json("/api/v1/statements/platform/" + MONTH);
        assertThat(statement.path("accounts").size()).isPositive();
        HttpResponse<String> csv = SharedStack.get("/api/v1/statements/platform/" + MONTH + "?format=csv");
        assertThat(csv.body()).contains("\nPlatform accounts,cashfree_clearing,Closing,");
    }

    @Test
    void seed002ReportsAnswer() throws Exception {
        JsonNode p = json("/api/v1/reports/commission-projections?communityId=" + C + "&months=3&ahead=2");
        assertThat(p.path("method").asText()).contains("Least-squares");
        assertThat(p.path("totalProjection").size()).isEqualTo(2);
        JsonNode rules = json("/api/v1/reports/rule-effectiveness?month=" + MONTH);
        long coverage = 0;
        for (JsonNode r : rules) coverage += r.path("coverageBps").asLong();
        assertThat(coverage).isBetween(10_000L - rules.size(), 10_000L);
        JsonNode d = json("/api/v1/reports/distributions?communityId=" + C + "&month=" + MONTH);
        assertThat(d.path("earnedInPeriodPaise").asLong()).isEqualTo(sql("net_revenue_paise"));
        JsonNode audit = json("/api/v1/reports/rule-audit?communityId=" + C + "&month=" + MONTH);
        assertThat(audit.path("lines").size()).isEqualTo(2);
        assertThat(audit.path("lines").get(0).path("roleShares").path("owner").asInt()).isEqualTo(6000);
        assertThat(json("/api/v1/reports/reconciliation-exceptions?month=" + MONTH).has("openNow")).isTrue();
    }

    static String minted(String subject, String role, String... communities) {
        return SharedStack.mintedToken(subject, List.of(role), List.of(communities), java.time.Instant.now(), Duration.ofMinutes(15));
    }

    @Test
    void anOwnerSeesItsCommunityAMemberItsOwnWalletAndNeitherAnyoneElses() throws Exception {
        String owner = minted("an-owner-person", "COMMUNITY_OWNER", C);
        String stranger = SharedStack.userToken("owner"); // owns demo-community, not this one
        String member = minted("an-team-1", "MEMBER");
        String overview = "/api/v1/analytics/communities/" + C + "/overview?month=" + MONTH;
        HttpResponse<String> own = SharedStack.get(overview, owner);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(JSON.readTree(own.body()).path("figures").path("gross").path("paise").asLong()).isEqualTo(sql("gross_amount_paise"));
        assertThat(SharedStack.get("/api/v1/statements/communities/" + C + "/" + MONTH + "?format=csv", owner).statusCode()).isEqualTo(200);
        for (String path : List.of(overview, "/api/v1/statements/communities/" + C + "/" + MONTH,
                "/api/v1/analytics/communities/" + C + "/members/an-team-1/wallet")) {
            HttpResponse<String> r = SharedStack.get(path, stranger);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.body()).doesNotContain("an-team-1\"").doesNotContain("Analytics E2E");
        }
        JsonNode wallet = JSON.readTree(SharedStack.get("/api/v1/analytics/communities/" + C + "/members/an-team-1/wallet", member).body());
        assertThat(wallet.path("wallets").get(0).path("pendingPaise").asLong()).isEqualTo(SharedStack.count(
                "select pending_paise from member_wallet where community_id = ? and user_id = 'an-team-1'", C));
        assertThat(SharedStack.get("/api/v1/analytics/communities/" + C + "/members/an-team-2/wallet", member).statusCode()).isEqualTo(403);
        assertThat(SharedStack.get(overview, member).statusCode()).isEqualTo(403);
        JsonNode me = JSON.readTree(SharedStack.get("/api/v1/analytics/me", member).body());
        assertThat(me.path("wallets").findValuesAsString("communityId")).containsExactly(C);
        assertThat(SharedStack.get("/api/v1/analytics/platform/overview?month=" + MONTH, owner).statusCode()).isEqualTo(403);
    }

    @Test
    void badInputIsAProblemNamingTheField() throws Exception {
        Map<String, String> cases = Map.of(
                "/api/v1/analytics/communities/" + C + "/overview?month=2026-13", "month",
                "/api/v1/analytics/communities/" + C + "/overview?from=2026-01-01", "to",
                "/api/v1/analytics/communities/" + C + "/overview?by=week", "by",
                "/api/v1/analytics/communities/" + C + "/overview?from=2026-02-01&to=2026-01-01", "to",
                "/api/v1/statements/communities/" + C + "/" + MONTH + "?format=xml", "format",
                "/api/v1/analytics/communities/bad%20id/overview", "communityId",
                "/api/v1/analytics/platform/transactions?after=nonsense", "after");
        for (var e : cases.entrySet()) {
            HttpResponse<String> r = SharedStack.get(e.getKey());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).contains("problem+json"));
            assertThat(JSON.readTree(r.body()).path("field").asText()).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(SharedStack.get("/api/v1/statements/communities/no-such-community/" + MONTH).statusCode()).isEqualTo(404);
    }
}
