package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.api.analytics.IndianMoney;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's pages in headless Chromium (Debian's chromium and chromedriver; profile browser):
 * an owner's month overview whose figures equal the ledger's, a member's wallet history, the monthly
 * PDF and CSV downloads, the platform and operations pages, and the overview on a phone-sized screen.
 * Screenshots go to target/screenshots.
 */
class DashboardBrowserTest {
    static final YearMonth MONTH = YearMonth.now(ZoneId.of("Asia/Kolkata"));
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        AnalyticsApiTest.aCommunityWithTwoPayments();
        browser = HeadlessChromium.start("1280,1000");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
    }

    static void open(String path) {
        browser.get(SharedStack.api(path));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(By.tagName("main")).isEmpty());
    }

    static void screenshot(String name) throws Exception {
        Path out = Path.of("target", "screenshots", name);
        Files.createDirectories(out.getParent());
        Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    static long sql(String column) {
        return AnalyticsApiTest.sql(column);
    }

    @Test
    void theOwnersMonthOverviewEqualsTheLedger() throws Exception {
        open("/dashboard/communities/" + AnalyticsApiTest.C + "?month=" + MONTH);
        assertThat(browser.getTitle()).contains(AnalyticsApiTest.C);
        Map<String, String> columns = Map.of("gross", "gross_amount_paise", "gst", "gst_amount_paise", "cashfreeFee", "payment_gateway_fee_paise",
                "cashfreeFeeGst", "payment_gateway_gst_paise", "platformFee", "platform_fee_paise", "platformFeeGst", "platform_fee_gst_paise",
                "tcs", "tcs_paise", "tds", "tds_paise", "net", "net_revenue_paise");
        for (var e : columns.entrySet()) {
            WebElement card = browser.findElement(By.cssSelector("#figures [data-figure='" + e.getKey() + "']"));
            long ledger = sql(e.getValue());
            assertThat(Long.parseLong(card.getAttribute("data-paise"))).as(e.getKey()).isEqualTo(ledger);
            assertThat(card.findElement(By.tagName("dd")).getText()).as(e.getKey()).isEqualTo(IndianMoney.rupees(ledger));
        }
        assertThat(browser.findElement(By.cssSelector("#figures [data-figure='gross'] dd")).getText()).isEqualTo("\u20B933,456.78");
        // the split table names every member; the chart is there with an accessible name
        assertThat(browser.findElement(By.id("split")).getText()).contains("an-owner", "an-team-1", "an-team-2");
        assertThat(browser.findElement(By.cssSelector("figure.chart svg")).getAttribute("aria-label")).startsWith("Gross by day");
        screenshot("dashboard-overview.png");

        // the monthly report, as the page links it
        for (String id : List.of("statement-pdf", "statement-csv")) {
            String href = browser.findElement(By.id(id)).getAttribute("href");
            HttpResponse<byte[]> r = SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(href)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as(href).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo(id.endsWith("pdf") ? "application/pdf" : "text/csv;charset=UTF-8");
            if (id.endsWith("csv")) {
                assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("Payments,Gross received,Amount," + sql("gross_amount_paise") + ",");
            }
        }

        // on a phone: the figures stack, nothing needs horizontal scrolling but the tables
        browser.manage().window().setSize(new Dimension(390, 844));
        open("/dashboard/communities/" + AnalyticsApiTest.C + "?month=" + MONTH);
        Object overflow = ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1");
        assertThat(overflow).as("the page fits a phone's width").isEqualTo(false);
        screenshot("dashboard-overview-phone.png");
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    @Test
    void aMembersWalletHistoryShowsHoldsAndTheRunningBalance() throws Exception {
        open("/dashboard/communities/" + AnalyticsApiTest.C + "?month=" + MONTH);
        browser.findElement(By.linkText("an-owner")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getTitle().contains("an-owner"));
        long pending = SharedStack.count("select pending_paise from member_wallet where community_id = ? and user_id = 'an-owner'",
                AnalyticsApiTest.C);
        assertThat(browser.findElement(By.cssSelector("#balances [data-bucket='pending']")).getText()).isEqualTo(IndianMoney.rupees(pending));
        assertThat(browser.findElements(By.cssSelector("#holds tbody tr"))).hasSize(2);
        assertThat(browser.findElement(By.cssSelector("#holds tbody tr th")).getText()).endsWith("IST");
        List<WebElement> balances = browser.findElements(By.cssSelector("#history td.balance"));
        assertThat(balances).hasSize(2);
        assertThat(balances.get(1).getText()).isEqualTo(IndianMoney.rupees(pending));
        screenshot("dashboard-member-wallet.png");
    }

    @Test
    void thePlatformAndOperationsPagesShowTheLedgersState() throws Exception {
        open("/dashboard/platform?month=" + MONTH);
        long earnings = -SharedStack.count("select coalesce(sum(p.amount_paise), 0) from posting p join ledger_account a using (account_id)"
                + " where a.code = 'platform_fee_income'");
        assertThat(browser.findElement(By.cssSelector("#figures [data-figure='platformEarnings'] dd")).getText())
                .isEqualTo(IndianMoney.rupees(earnings));
        assertThat(browser.findElement(By.id("top")).getText()).contains("Analytics E2E");
        screenshot("dashboard-platform.png");
        open("/dashboard/finance");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Finance");
        screenshot("dashboard-finance.png");
        open("/dashboard/ops");
        assertThat(browser.findElement(By.id("invariants")).getText()).startsWith("The books are whole");
        screenshot("dashboard-ops.png");
    }

    @Test
    void aRefusalOfTheApiIsShownNotHidden() {
        open("/dashboard/communities/no-such-community?month=2026-13");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Cannot show this");
        assertThat(browser.findElement(By.cssSelector("pre.detail")).getText()).contains("month must be YYYY-MM");
    }
}
