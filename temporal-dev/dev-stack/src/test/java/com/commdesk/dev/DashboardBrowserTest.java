package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.api.analytics.IndianMoney;
import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.dev.auth.DevIdentities;
import com.commdesk.ledger.HoldReleases;
import com.commdesk.ledger.Ledger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The dashboard in headless Chromium (Debian's chromium and chromedriver; profile browser), each
 * person logged in through the identity provider's own login page (OIDC authorization code + PKCE) as a
 * dev user: the owner's month overview whose figures equal the ledger's, a member's wallet history and
 * the monthly PDF and CSV; a finance approver approving a payout someone else requested and seeing it
 * paid, while the requester's own approval is refused in the page; ops retrying a parked payment until
 * it completes; the platform and operations pages; another owner refused. Screenshots go to
 * target/screenshots.
 */
class DashboardBrowserTest {
    static final YearMonth MONTH = YearMonth.now(ZoneId.of("Asia/Kolkata"));
    static final String DEMO = "demo-community";
    static final ObjectMapper JSON = new ObjectMapper();
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        AnalyticsApiTest.aCommunityWithTwoPayments();
        // the dev owner's community gets a payment of this month, whatever other tests did before
        AnalyticsApiTest.aCompletedPaymentTo(DEMO, 1_234_567L);
        browser = HeadlessChromium.start("1280,1000");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    /** A fresh browser session logged in as {@code user} at the provider's login page; returns where the dashboard landed it. */
    static String login(String user) {
        browser.get(SharedStack.api("/dashboard/signed-out"));
        browser.manage().deleteAllCookies(); // the API's and the provider's sessions: both on this host
        browser.get(SharedStack.api("/dashboard"));
        waiting().until(d -> d.getCurrentUrl().startsWith(SharedStack.get().issuer() + "/login"));
        browser.findElement(By.name("username")).sendKeys(user);
        browser.findElement(By.name("password")).sendKeys(DevIdentities.DEV_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waiting().until(d -> !d.findElements(By.id("viewer")).isEmpty());
        assertThat(browser.findElement(By.id("viewer")).getText()).isEqualTo(user);
        return URI.create(browser.getCurrentUrl()).getPath();
    }

    static void open(String path) {
        browser.get(SharedStack.api(path));
        waiting().until(d -> !d.findElements(By.tagName("main")).isEmpty());
    }

    static void screenshot(String name) throws Exception {
        Path out = Path.of("target", "screenshots", name);
        Files.createDirectories(out.getParent());
        Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** A link of the page fetched with the browser's session cookie, as the browser would download it. */
    static HttpResponse<byte[]> download(String href) throws Exception {
        Cookie session = browser.manage().getCookieNamed("COMMDESK_SESSION");
        return SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(href)).header("Cookie", "COMMDESK_SESSION=" + session.getValue())
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The month's figure of the dev owner's community from the raw rows (the rollups' own definition). */
    static long ledger(String column) {
        return SharedStack.count("select coalesce(sum(" + column + "), 0) from analytics_revenue_facts where community_id = ?"
                + " and day between ? and ?", DEMO, MONTH.atDay(1), MONTH.atEndOfMonth());
    }

    @Test
    void anOwnerLogsInSeesTheMonthAsTheLedgerHasItOpensAWalletAndDownloadsTheStatement() throws Exception {
        assertThat(login("owner")).isEqualTo("/dashboard/communities/" + DEMO);
        open("/dashboard/communities/" + DEMO + "?month=" + MONTH);
        Map<String, String> columns = Map.of("gross", "gross_paise", "gst", "gst_paise", "cashfreeFee", "gateway_fee_paise",
                "cashfreeFeeGst", "gateway_gst_paise", "platformFee", "platform_fee_paise", "platformFeeGst", "platform_gst_paise",
                "tcs", "tcs_paise", "tds", "tds_paise", "net", "net_paise");
        for (var e : columns.entrySet()) {
            WebElement card = browser.findElement(By.cssSelector("#figures [data-figure='" + e.getKey() + "']"));
            long ledger = ledger(e.getValue());
            assertThat(Long.parseLong(card.getAttribute("data-paise"))).as(e.getKey()).isEqualTo(ledger);
            assertThat(card.findElement(By.tagName("dd")).getText()).as(e.getKey()).isEqualTo(IndianMoney.rupees(ledger));
        }
        assertThat(ledger("gross_paise")).isGreaterThanOrEqualTo(1_234_567L);
        assertThat(browser.findElement(By.cssSelector("figure.chart svg")).getAttribute("aria-label")).startsWith("Gross by day");
        screenshot("dashboard-overview.png");

        // the monthly statement, as the page links it, through the owner's session
        for (String id : List.of("statement-pdf", "statement-csv")) {
            String href = browser.findElement(By.id(id)).getAttribute("href");
            HttpResponse<byte[]> r = download(href);
            assertThat(r.statusCode()).as(href).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo(id.endsWith("pdf") ? "application/pdf" : "text/csv;charset=UTF-8");
            if (id.endsWith("pdf")) assertThat(new String(r.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
            else assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("Payments,Gross received,Amount," + ledger("gross_paise") + ",");
        }

        // a member's wallet history, from the overview's member list
        browser.findElement(By.cssSelector("a[href$='/members/u-admin1']")).click();
        waiting().until(d -> d.getTitle().contains("u-admin1"));
        long pending = SharedStack.count("select coalesce(sum(pending_paise), 0) from member_wallet where community_id = ? and user_id = 'u-admin1'",
                DEMO);
        assertThat(browser.findElement(By.cssSelector("#balances [data-bucket='pending']")).getText()).isEqualTo(IndianMoney.rupees(pending));
        assertThat(browser.findElements(By.cssSelector("#history td.balance"))).isNotEmpty();
        screenshot("dashboard-member-wallet.png");

        // on a phone: the figures stack, nothing needs horizontal scrolling but the tables
        browser.manage().window().setSize(new Dimension(390, 844));
        open("/dashboard/communities/" + DEMO + "?month=" + MONTH);
        Object overflow = ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1");
        assertThat(overflow).as("the page fits a phone's width").isEqualTo(false);
        screenshot("dashboard-overview-phone.png");
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    @Test
    void anotherOwnerIsRefusedAndTheApisRefusalIsShownNotHidden() {
        assertThat(login("other-owner")).isEqualTo("/dashboard/communities/other-community");
        open("/dashboard/communities/" + DEMO + "?month=" + MONTH);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not yours to see");
        assertThat(browser.getPageSource()).doesNotContain("u-admin1");
        login("viewer");
        open("/dashboard/communities/no-such-community?month=2026-13");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Cannot show this");
        assertThat(browser.findElement(By.cssSelector("pre.detail")).getText()).contains("month must be YYYY-MM");
    }

    @Test
    void financeApprovesAPayoutSomeoneElseRequestedAndSeesItPaidTheRequesterCannot() throws Exception {
        String payoutId = aPayoutAwaitingApprovalRequestedBy("approver1");

        // the requester: the page shows four eyes and offers no approval; forcing the form, the platform refuses
        theRequestersApprovalIsRefusedInThePage("#pending tr[data-payout='" + payoutId + "']", "you requested this payout");
        assertThat(SharedStack.get().simulator().payouts().transferRequests(payoutId)).isZero();
        screenshot("dashboard-approvals-refused.png");

        // a second approver approves in the page and watches it paid
        assertThat(login("approver2")).isEqualTo("/dashboard/finance");
        WebElement mine = browser.findElement(By.cssSelector("#pending tr[data-payout='" + payoutId + "']"));
        assertThat(mine.getText()).doesNotContain("you requested this payout");
        // issue 15: the shares in that payout are listed for review, beside their agreement and rule version
        assertThat(browser.findElement(By.id("review")).getText()).contains(payoutId);
        screenshot("dashboard-approvals.png");
        mine.findElement(By.cssSelector("button[data-action='Approve']")).click();
        waiting().until(d -> URI.create(d.getCurrentUrl()).getPath().equals("/dashboard/payouts/" + payoutId));
        assertThat(browser.findElement(By.id("notice")).getText()).contains("Approved payout " + payoutId);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"PAID".equals(browser.findElement(By.id("status")).getText())) {
            assertThat(System.nanoTime()).as("payout " + payoutId + " paid within a minute").isLessThan(deadline);
            Thread.sleep(500);
            open("/dashboard/payouts/" + payoutId);
        }
        assertThat(browser.findElement(By.id("requested-by")).getText()).isEqualTo("approver1");
        assertThat(browser.findElement(By.id("decided-by")).getText()).isEqualTo("approver2");
        assertThat(SharedStack.get().simulator().payouts().transferRequests(payoutId)).isEqualTo(1);
        // the bank's reference Cashfree gave for the transfer, as stored on the payout
        String utr = JSON.readTree(SharedStack.get("/api/v1/finance/payouts/" + payoutId).body()).path("payout").path("bankUtr").asText();
        assertThat(utr).matches("[A-Za-z0-9]{1,40}");
        assertThat(browser.findElement(By.id("utr")).getText()).isEqualTo(utr);
        screenshot("dashboard-payout-paid.png");
    }

    @Test
    void financeApprovesAnOwnersRefundInThePageTheRequesterCannot() throws Exception {
        // approver1 also owns demo-community here and asks for a refund above the threshold (Rs 5,000)
        String paymentId = AnalyticsApiTest.aCompletedPaymentTo(DEMO, 1_000_000L);
        String refundId = "rfa-browser-" + Long.toString(System.nanoTime(), 36);
        HttpResponse<String> asked = SharedStack.send(FourEyesApiTest.minted("approver1", "COMMUNITY_OWNER", DEMO), "POST",
                "/api/v1/payments/" + paymentId + "/refunds", "application/json",
                "{\"kind\":\"REFUND\",\"amountPaise\":600000,\"reason\":\"event cancelled\"}", Map.of("Idempotency-Key", refundId));
        assertThat(JSON.readTree(asked.body()).path("stage").asText()).as(asked.body()).isEqualTo("AWAITING_APPROVAL");

        theRequestersApprovalIsRefusedInThePage("#refunds tr[data-refund='" + refundId + "']", "you requested this refund");
        assertThat(SharedStack.get().simulator().refunds().find(refundId)).isEmpty();

        assertThat(login("approver2")).isEqualTo("/dashboard/finance");
        WebElement theirs = browser.findElement(By.cssSelector("#refunds tr[data-refund='" + refundId + "']"));
        assertThat(theirs.getText()).doesNotContain("you requested this refund");
        screenshot("dashboard-refund-approvals.png");
        theirs.findElement(By.cssSelector("button[data-action='Approve']")).click();
        waiting().until(d -> !d.findElements(By.id("notice")).isEmpty());
        assertThat(browser.findElement(By.id("notice")).getText()).contains("Approved refund " + refundId);
        assertThat(browser.findElements(By.cssSelector("#refunds tr[data-refund='" + refundId + "']"))).isEmpty();
        assertThat(RefundsApiTest.awaitRefund(refundId).path("stage").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void opsRetriesAParkedPaymentInThePageAndItCompletes() throws Exception {
        var dsl = SharedStack.db().dsl();
        aParkedPayment("browser-broken", "u-bb", "browser_park_1");

        assertThat(login("ops")).isEqualTo("/dashboard/ops");
        assertThat(browser.findElement(By.id("invariants")).getText()).startsWith("The books are whole");
        WebElement row = browser.findElement(By.cssSelector("#parked tr[data-payment='browser-park-1']"));
        screenshot("dashboard-ops.png");
        dsl.execute("update community_role set share_bps = 10000 where community_id = 'browser-broken'");
        row.findElement(By.cssSelector("input[name='note']")).sendKeys("fixed the split");
        row.findElement(By.cssSelector("button[data-action='Retry']")).click();
        waiting().until(d -> !d.findElements(By.id("notice")).isEmpty());
        assertThat(browser.findElement(By.id("notice")).getText()).isEqualTo("Retrying payment browser-park-1.");
        assertThat(WebhookAndOperationsTest.awaitStage("browser-park-1", "COMPLETED").path("stage").asText()).isEqualTo("COMPLETED");
        open("/dashboard/ops");
        assertThat(browser.findElements(By.cssSelector("#parked tr[data-payment='browser-park-1']"))).isEmpty();
        assertThat(SharedStack.count("select count(*) from audit_log where actor = 'ops' and target like '%/browser-park-1/retry'")).isEqualTo(1);
    }

    @Test
    void thePlatformAdminSeesThePlatformsEarnings() throws Exception {
        assertThat(login("admin")).isEqualTo("/dashboard/platform");
        open("/dashboard/platform?month=" + MONTH);
        long earnings = -SharedStack.count("select coalesce(sum(p.amount_paise), 0) from posting p join ledger_account a using (account_id)"
                + " where a.code = 'platform_fee_income'");
        assertThat(browser.findElement(By.cssSelector("#figures [data-figure='platformEarnings'] dd")).getText())
                .isEqualTo(IndianMoney.rupees(earnings));
        assertThat(browser.findElement(By.id("top")).getText()).contains("Analytics E2E");
        screenshot("dashboard-platform.png");
        browser.findElement(By.id("logout")).click();
        waiting().until(d -> URI.create(d.getCurrentUrl()).getPath().equals("/dashboard/signed-out"));
    }

    /** Issues of one page: a control without an accessible name, a table without caption or headers, text under 4.5:1. */
    static final String ACCESSIBILITY_ISSUES = """
            const issues = [];
            const shown = el => el.getClientRects().length > 0;
            for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button')) {
              const named = [...(el.labels || [])].map(l => l.textContent).join(' ') || el.getAttribute('aria-label')
                  || (el.tagName === 'BUTTON' ? el.textContent : '');
              if (!named || !named.trim()) issues.push('no accessible name: ' + el.outerHTML.slice(0, 120));
            }
            for (const t of document.querySelectorAll('table')) {
              if (!t.querySelector('caption') || !t.querySelector('th')) issues.push('table without caption or headers: ' + t.id);
            }
            for (const svg of document.querySelectorAll('svg[role=img]')) if (!svg.getAttribute('aria-label')) issues.push('unlabelled chart');
            for (const el of document.querySelectorAll('[tabindex]')) if (el.tabIndex > 0) issues.push('tabindex > 0: ' + el.outerHTML.slice(0, 80));
            const rgb = c => (c.match(/[0-9.]+/g) || []).map(Number);
            const lum = c => { const v = rgb(c).slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
                               return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
            const background = el => { for (let e = el; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor; const a = rgb(c);
                                          if (a.length === 3 || (a.length === 4 && a[3] > 0)) return c; } return 'rgb(255, 255, 255)'; };
            for (const el of document.querySelectorAll('body *')) {
              if (el.closest('svg') || !shown(el) || el.disabled) continue;
              if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
              const fg = lum(getComputedStyle(el).color), bg = lum(background(el));
              const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
              if (ratio < 4.5) issues.push('contrast ' + ratio.toFixed(2) + ': ' + el.outerHTML.slice(0, 100));
            }
            return issues;
            """;

    /**
     * Issue 12: accessible pages. On each role's page every control has an accessible name, every table a caption and
     * headers, the chart a label, text at least 4.5:1 against its background (WCAG AA); and the keyboard alone gets
     * everywhere: the first Tab is "Skip to content", whose Enter goes to the main content, and Tab reaches every
     * link and enabled control of the page.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyRolesPageHasNamedControlsEnoughContrastAndWorksFromTheKeyboard() {
        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("owner", "/dashboard/communities/" + DEMO + "?month=" + MONTH);
        pages.put("u-admin1", "/dashboard/communities/" + DEMO + "/members/u-admin1");
        pages.put("approver2", "/dashboard/finance");
        pages.put("ops", "/dashboard/ops");
        pages.put("admin", "/dashboard/platform?month=" + MONTH);
        JavascriptExecutor js = (JavascriptExecutor) browser;
        // the check sees what it is for: an unlabelled field, grey-on-white text, a positive tabindex added to a page
        login("owner");
        open(pages.get("owner"));
        js.executeScript("document.querySelector('main').insertAdjacentHTML('beforeend', '<input name=x><span style=\"color:#aaa\">faint</span>"
                + "<a href=#x tabindex=2>jump</a>')");
        assertThat(String.join("\n", (List<String>) js.executeScript(ACCESSIBILITY_ISSUES)))
                .contains("no accessible name: <input name=\"x\">").contains("contrast 2.32: <span").contains("tabindex > 0: <a");
        pages.forEach((user, page) -> {
            login(user);
            open(page);
            assertThat((List<?>) js.executeScript(ACCESSIBILITY_ISSUES)).as(user + " " + page).isEmpty();

            open(page); // fresh: nothing focused yet
            new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.TAB).perform();
            WebElement first = browser.switchTo().activeElement();
            assertThat(first.getText()).as(user + ": the first Tab").isEqualTo("Skip to content");
            first.sendKeys(org.openqa.selenium.Keys.ENTER);
            assertThat(browser.getCurrentUrl()).as(user).endsWith("#main");

            open(page); // fresh again, its links and controls numbered; then Tab from the top
            long reachable = (Long) js.executeScript("""
                    let n = 0;
                    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
                      if (el.disabled || el.getClientRects().length === 0) continue;
                      el.dataset.tabCheck = n++;
                    }
                    return n;""");
            java.util.Set<String> reached = new java.util.HashSet<>();
            var keys = new org.openqa.selenium.interactions.Actions(browser);
            // Tab until every numbered element was focused (other stops, e.g. a scrollable table, are passed over)
            for (long i = 0; i < 3 * reachable + 20 && reached.size() < reachable; i++) {
                keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
                Object at = js.executeScript("return document.activeElement.dataset.tabCheck || null");
                if (at != null) reached.add(at.toString());
            }
            Object missed = js.executeScript("return [...document.querySelectorAll('[data-tab-check]')]"
                    + ".filter(e => !arguments[0].includes(e.dataset.tabCheck)).map(e => e.outerHTML.slice(0, 120))", List.copyOf(reached));
            assertThat((List<?>) missed).as(user + " " + page + ": never reached by Tab").isEmpty();
        });
    }

    /**
     * A payment of ₹1,000 to a new community whose role shares do not add up (90 %): allocation fails for good and
     * the payment parks (NEEDS_ATTENTION). Its id is the order id with dashes.
     */
    static void aParkedPayment(String community, String user, String order) throws Exception {
        var dsl = SharedStack.db().dsl();
        dsl.execute("insert into community (community_id, name) values (?, 'Browser broken split')", community);
        dsl.execute("insert into community_role (community_id, role, share_bps, position) values (?, 'owner', 9000, 0)", community);
        dsl.execute("insert into community_member (community_id, role, user_id, position) values (?, 'owner', ?, 0)", community, user);
        SharedStack.get().simulator().createPaidOrder(order, 100_000L, "INR", Map.of("community_id", community), PaymentMethod.UPI);
        String payment = order.replace('_', '-');
        SharedStack.post("/api/v1/payments", payment, "{\"communityId\":\"" + community + "\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\""
                + order + "\",\"amountPaise\":100000}");
        WebhookAndOperationsTest.awaitStage(payment, "NEEDS_ATTENTION");
    }

    /** A payout of a fresh community above the approval threshold, its settlement requested by {@code requester}. */
    /**
     * Logged in as approver1, who requested the item in {@code row}: the page says four eyes and offers a disabled
     * Approve; forcing the form, the platform refuses it (403) and the page shows the refusal.
     */
    static void theRequestersApprovalIsRefusedInThePage(String row, String fourEyesText) {
        assertThat(login("approver1")).isEqualTo("/dashboard/finance");
        WebElement mine = browser.findElement(By.cssSelector(row));
        assertThat(mine.getText()).contains(fourEyesText);
        WebElement approve = mine.findElement(By.cssSelector("button[data-action='Approve']"));
        assertThat(approve.isEnabled()).isFalse();
        ((JavascriptExecutor) browser).executeScript("arguments[0].disabled = false", approve);
        approve.click();
        waiting().until(d -> !d.findElements(By.id("refusal")).isEmpty());
        assertThat(browser.findElement(By.id("refusal")).getText()).startsWith("The platform answered 403");
    }

    static String aPayoutAwaitingApprovalRequestedBy(String requester) throws Exception {
        return aPayoutAwaitingApprovalRequestedBy(requester, "", "000111222555");
    }

    /** The same, in community {@code browser-payout<suffix>} whose member's bank account is {@code account} (one per community). */
    static String aPayoutAwaitingApprovalRequestedBy(String requester, String suffix, String account) throws Exception {
        String community = "browser-payout" + suffix;
        String order = "browser_payout_1" + suffix.replace('-', '_');
        String admin = SharedStack.token("PLATFORM_ADMIN");
        String owner = FourEyesApiTest.minted("bp-owner", "COMMUNITY_OWNER", community);
        assertThat(FourEyesApiTest.call(admin, "POST", "/api/v1/communities", """
                {"communityId":"%s","name":"Browser payout","supplierState":"KA","panStatus":"VERIFIED","holdDays":0,
                 "payoutCycle":"MANUAL","minPayoutPaise":100}""".formatted(community)).statusCode()).isEqualTo(201);
        assertThat(FourEyesApiTest.call(owner, "POST", "/api/v1/communities/" + community + "/split-agreements", """
                {"effectiveFrom":"%s","roles":[{"role":"owner","shareBps":10000,"members":[{"userId":"u-bp-owner"}]}]}"""
                .formatted(Instant.now().minusSeconds(30))).statusCode()).isEqualTo(201);
        assertThat(FourEyesApiTest.call(FourEyesApiTest.minted("u-bp-owner", "MEMBER"), "PUT", "/api/v1/finance/beneficiaries", """
                {"communityId":"%s","role":"owner","userId":"u-bp-owner","name":"Bp Owner","bankAccountNumber":"%s",
                 "ifsc":"HDFC0000001"}""".formatted(community, account)).statusCode()).isEqualTo(200);
        SharedStack.get().simulator().createPaidOrder(order, 10_000_000L, "INR", Map.of("community_id", community),
                PaymentMethod.UPI);
        String payment = order.replace('_', '-');
        assertThat(SharedStack.post("/api/v1/payments", payment, "{\"communityId\":\"" + community
                + "\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"" + order + "\",\"amountPaise\":10000000}").statusCode()).isEqualTo(202);
        assertThat(EndToEndPaymentTest.awaitFinal(payment).path("stage").asText()).isEqualTo("COMPLETED");
        new HoldReleases(new Ledger(SharedStack.db().dsl())).releaseDueHolds(OffsetDateTime.now(), 1000);
        HttpResponse<String> started = FourEyesApiTest.call(SharedStack.userToken(requester), "POST", "/api/v1/finance/settlements",
                "{\"communityId\":\"" + community + "\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String settlementId = JSON.readTree(started.body()).path("settlementId").asText();
        JsonNode pending = PayoutsApiTest.await("/api/v1/finance/settlements/" + settlementId, v -> v.path("payouts").size() == 1
                && "PENDING_APPROVAL".equals(v.path("payouts").get(0).path("status").asText()));
        return pending.path("payouts").get(0).path("payoutId").asText();
    }
}
