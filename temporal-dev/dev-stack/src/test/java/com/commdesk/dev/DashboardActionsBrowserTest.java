package com.commdesk.dev;

import static com.commdesk.dev.DashboardBrowserTest.login;
import static com.commdesk.dev.DashboardBrowserTest.open;
import static com.commdesk.dev.DashboardBrowserTest.screenshot;
import static com.commdesk.dev.DashboardBrowserTest.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.cashfree.sim.PayoutsApi;
import com.commdesk.cashfree.sim.SettlementDesk;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The page actions {@link DashboardBrowserTest} does not drive, each through the page in headless Chromium
 * and checked by what the API then answers: finance resolving a payout that needs attention (FAILED
 * needs a second person: the requester's own confirmation is refused in the page), finance resolving
 * reconciliation exceptions with an explanation and with an adjustment, ops compensating a parked
 * payment, ops approving and rejecting fraud reviews. Screenshots go to target/screenshots.
 */
class DashboardActionsBrowserTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        DashboardBrowserTest.browser = HeadlessChromium.start("1280,1000");
    }

    @AfterAll
    static void stop() {
        if (DashboardBrowserTest.browser != null) DashboardBrowserTest.browser.quit();
        DashboardBrowserTest.browser = null;
    }

    static WebElement find(String css) {
        return DashboardBrowserTest.browser.findElement(By.cssSelector(css));
    }

    /** Fills the row's form whose button is {@code action} (its text field, if any) and submits it; returns the flash shown. */
    static String act(WebElement row, String action, String field, String text) {
        WebElement form = row.findElement(By.xpath(".//form[.//button[@data-action='" + action + "']]"));
        if (field != null) form.findElement(By.name(field)).sendKeys(text);
        // The click returns before the browser has the answer's page (CI at 6404b3a: the second of two actions read the first
        // one's notice, still on the page it was leaving): wait until the page acted on is gone, then read the new one's flash.
        WebElement page = DashboardBrowserTest.browser.findElement(By.tagName("html"));
        form.findElement(By.cssSelector("button[data-action='" + action + "']")).click();
        waiting().until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(page));
        // The page may be swapped again between finding the flash and reading it (CI at c5e095b, a loaded machine: a stale
        // element): read it in the wait, which tries again on a stale element.
        return waiting().ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            List<WebElement> notice = d.findElements(By.id("notice"));
            if (!notice.isEmpty()) return notice.get(0).getText();
            List<WebElement> refusal = d.findElements(By.id("refusal"));
            return refusal.isEmpty() ? null : refusal.get(0).getText();
        });
    }

    static JsonNode json(String path) throws Exception {
        return JSON.readTree(SharedStack.get(path).body());
    }

    static JsonNode await(String path, Duration within, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            JsonNode v = json(path);
            if (done.test(v)) return v;
            assertThat(System.nanoTime()).as(path + " within " + within + ": " + v).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    @Test
    void financeResolvesAPayoutNeedingAttentionAsFailedWithASecondPersonAndTheRequesterCannotConfirm() throws Exception {
        String payoutId = DashboardBrowserTest.aPayoutAwaitingApprovalRequestedBy("approver1", "-attn", "000111222666");
        // Held by Cashfree's own checks (APPROVAL_PENDING) and never decided there: the outcome stays unknown, the money locked.
        SharedStack.get().simulator().payouts().scenario(payoutId, PayoutsApi.Scenario.APPROVAL_PENDING);
        HttpResponse<String> approved = FourEyesApiTest.call(SharedStack.userToken("approver2"), "POST",
                "/api/v1/finance/payouts/" + payoutId + "/approve", "{\"note\":\"checked\"}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(202);
        // The shared stack gives an unknown outcome 30 s (commdesk.payouts.attention-after) before finance must look.
        await("/api/v1/finance/payouts/" + payoutId, Duration.ofSeconds(150),
                v -> "NEEDS_ATTENTION".equals(v.path("payout").path("status").asText()));
        long locked = SharedStack.count("select locked_paise from member_wallet where community_id = 'browser-payout-attn'");
        assertThat(locked).isPositive();

        // the settlement's requester may not take part in returning its money (review M-4): refused, nothing recorded
        assertThat(login("approver1")).isEqualTo("/dashboard/finance");
        WebElement row = find("#attention tr[data-payout='" + payoutId + "']");
        new Select(row.findElement(By.name("outcome"))).selectByValue("FAILED");
        assertThat(act(row, "Resolve", "note", "bank statement shows no credit"))
                .contains("you requested payout " + payoutId + "'s settlement");
        assertThat(SharedStack.count("select count(*) from payout where payout_id = '" + payoutId
                + "' and resolution_requested_by is not null")).isZero();

        // the approver says FAILED: recorded, nothing released until a second person confirms
        assertThat(login("approver2")).isEqualTo("/dashboard/finance");
        row = find("#attention tr[data-payout='" + payoutId + "']");
        new Select(row.findElement(By.name("outcome"))).selectByValue("FAILED");
        assertThat(act(row, "Resolve", "note", "bank statement shows no credit")).contains("FAILED recorded by approver2");
        JsonNode requested = json("/api/v1/finance/payouts/" + payoutId);
        assertThat(requested.path("payout").path("status").asText()).isEqualTo("NEEDS_ATTENTION");
        assertThat(SharedStack.count("select locked_paise from member_wallet where community_id = 'browser-payout-attn'")).isEqualTo(locked);

        // the same person again: not a confirmation; the request as it stands, still waiting for someone else (review P10)
        row = find("#attention tr[data-payout='" + payoutId + "']");
        new Select(row.findElement(By.name("outcome"))).selectByValue("FAILED");
        assertThat(act(row, "Resolve", "note", "confirming my own")).contains("FAILED recorded by approver2");
        screenshot("dashboard-resolve-refused.png");
        assertThat(SharedStack.count("select locked_paise from member_wallet where community_id = 'browser-payout-attn'")).isEqualTo(locked);

        // a third approver, neither requester nor first resolver, confirms: the workflow returns the money to the member
        assertThat(login("approver3")).isEqualTo("/dashboard/finance");
        row = find("#attention tr[data-payout='" + payoutId + "']");
        new Select(row.findElement(By.name("outcome"))).selectByValue("FAILED");
        assertThat(act(row, "Resolve", "note", "bank confirms no credit")).contains("confirmed by approver3");
        await("/api/v1/finance/payouts/" + payoutId, Duration.ofSeconds(60), v -> "FAILED".equals(v.path("payout").path("status").asText()));
        assertThat(SharedStack.count("select locked_paise from member_wallet where community_id = 'browser-payout-attn'")).isZero();
        assertThat(SharedStack.count("select available_paise from member_wallet where community_id = 'browser-payout-attn'")).isEqualTo(locked);
        open("/dashboard/finance");
        assertThat(DashboardBrowserTest.browser.findElements(By.cssSelector("#attention tr[data-payout='" + payoutId + "']"))).isEmpty();
        screenshot("dashboard-resolved.png");
    }

    @Test
    void financeResolvesReconciliationExceptionsWithAnExplanationAndAnAdjustment() throws Exception {
        OffsetDateTime from = OffsetDateTime.now().minusMinutes(2);
        for (String order : List.of("brc_explain", "brc_adjust")) {
            SharedStack.get().simulator().createPaidOrder(order, 150_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.UPI);
            assertThat(SharedStack.post("/api/v1/payments", "pay-" + order, "{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\","
                    + "\"cashfreeOrderId\":\"" + order + "\",\"amountPaise\":150000}").statusCode()).isEqualTo(202);
            WebhookAndOperationsTest.awaitStage("pay-" + order, "COMPLETED");
        }
        SharedStack.get().simulator().settlements().settle(List.of("brc_explain", "brc_adjust"), null,
                Map.of("brc_explain", new SettlementDesk.Plant("brc_explain", null, 149_900L, null, null),
                        "brc_adjust", new SettlementDesk.Plant("brc_adjust", null, null, 500L, 90L)), Set.of(), List.of());
        Thread.sleep(5);
        HttpResponse<String> run = ReconciliationApiTest.send("POST", "/api/v1/reconciliation/runs", "fin.lead", "application/json",
                "{\"from\":\"" + from + "\",\"to\":\"" + OffsetDateTime.now() + "\"}");
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        long explain = json("/api/v1/reconciliation/exceptions?orderId=brc_explain").get(0).path("exceptionId").asLong();
        long adjust = json("/api/v1/reconciliation/exceptions?orderId=brc_adjust").get(0).path("exceptionId").asLong();

        assertThat(login("approver1")).isEqualTo("/dashboard/finance");
        screenshot("dashboard-exceptions.png");
        assertThat(act(find("#exceptions tr[data-exception='" + explain + "']"), "Explain", "reason", "Cashfree settled the rest next day"))
                .isEqualTo("Exception " + explain + " resolved with an explanation.");
        assertThat(act(find("#exceptions tr[data-exception='" + adjust + "']"), "Adjust", "reason", "Cashfree's invoice shows the charge"))
                .isEqualTo("Exception " + adjust + " resolved with an adjustment.");

        JsonNode explained = json("/api/v1/reconciliation/exceptions/" + explain).path("exception");
        assertThat(explained.path("status").asText()).isEqualTo("EXPLAINED");
        assertThat(explained.path("resolvedBy").asText()).isEqualTo("approver1");
        assertThat(explained.path("resolutionNote").asText()).isEqualTo("Cashfree settled the rest next day");
        JsonNode adjusted = json("/api/v1/reconciliation/exceptions/" + adjust).path("exception");
        assertThat(adjusted.path("status").asText()).isEqualTo("ADJUSTED");
        assertThat(adjusted.path("adjustmentJournalId").asLong()).isPositive();
        assertThat(DashboardBrowserTest.browser.findElements(By.cssSelector("#exceptions tr[data-exception='" + explain + "']"))).isEmpty();
        assertThat(json("/api/v1/ledger/trial-balance").path("balanced").asBoolean()).isTrue();
        assertThat(SharedStack.count("select count(*) from audit_log where actor = 'approver1' and target like '%/exceptions/" + adjust + "/adjust'"))
                .isEqualTo(1);
    }

    @Test
    void opsCompensatesAParkedPaymentInThePage() throws Exception {
        DashboardBrowserTest.aParkedPayment("browser-comp", "u-bc", "browser_comp_1");

        assertThat(login("ops")).isEqualTo("/dashboard/ops");
        assertThat(act(find("#parked tr[data-payment='browser-comp-1']"), "Compensate", "note", "split cannot be fixed"))
                .isEqualTo("Compensating payment browser-comp-1.");
        // compensated: the payment ends FAILED, saying who compensated it, and nothing was posted
        assertThat(WebhookAndOperationsTest.awaitStage("browser-comp-1", "FAILED").path("error").asText()).endsWith("compensated by ops");
        open("/dashboard/ops");
        assertThat(DashboardBrowserTest.browser.findElements(By.cssSelector("#parked tr[data-payment='browser-comp-1']"))).isEmpty();
        assertThat(SharedStack.count("select count(*) from journal where idempotency_key like 'payment:%:browser-comp-1'")).isZero();
        assertThat(SharedStack.count("select count(*) from audit_log where actor = 'ops' and target like '%/browser-comp-1/compensate'"))
                .isEqualTo(1);
        screenshot("dashboard-ops-compensated.png");
    }

    @Test
    void opsApprovesOneFraudReviewAndRejectsAnotherInThePage() throws Exception {
        for (String order : List.of("browser_fraud_ok", "browser_fraud_no")) {
            assertThat(WebhookAndOperationsTest.ops("/api/v1/ops/blocklist", "risk-meera",
                    "{\"kind\":\"ORDER\",\"value\":\"" + order + "\",\"reason\":\"looks like a ring\"}").statusCode()).isEqualTo(201);
            SharedStack.get().simulator().createPaidOrder(order, 100_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.CARD);
            SharedStack.post("/api/v1/payments", order.replace('_', '-'), "{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\","
                    + "\"cashfreeOrderId\":\"" + order + "\",\"amountPaise\":100000}");
            WebhookAndOperationsTest.awaitStage(order.replace('_', '-'), "UNDER_REVIEW");
        }

        assertThat(login("ops")).isEqualTo("/dashboard/ops");
        screenshot("dashboard-ops-reviews.png");
        WebElement ok = find("#review tr[data-payment='browser-fraud-ok']");
        new Select(ok.findElement(By.name("outcome"))).selectByValue("APPROVE");
        assertThat(act(ok, "Review", "reason", "customer verified by phone")).isEqualTo("Review of payment browser-fraud-ok: APPROVE.");
        WebElement no = find("#review tr[data-payment='browser-fraud-no']");
        new Select(no.findElement(By.name("outcome"))).selectByValue("REJECT");
        assertThat(act(no, "Review", "reason", "stolen card confirmed")).isEqualTo("Review of payment browser-fraud-no: REJECT.");

        assertThat(WebhookAndOperationsTest.awaitStage("browser-fraud-ok", "COMPLETED").path("stage").asText()).isEqualTo("COMPLETED");
        JsonNode rejected = WebhookAndOperationsTest.awaitStage("browser-fraud-no", "REJECTED");
        assertThat(rejected.path("error").asText()).contains("ops");
        assertThat(SharedStack.count("select count(*) from journal where idempotency_key like 'payment:%:browser-fraud-ok'")).isPositive();
        assertThat(SharedStack.count("select count(*) from journal where idempotency_key like 'payment:%:browser-fraud-no'")).isZero();
        open("/dashboard/ops");
        assertThat(DashboardBrowserTest.browser.findElements(By.cssSelector("#review tr[data-payment^='browser-fraud-']"))).isEmpty();
    }
}
