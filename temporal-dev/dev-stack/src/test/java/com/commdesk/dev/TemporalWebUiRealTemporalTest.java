package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What ops do in the Temporal Web UI (docs/operations.md), on the real server only (the Java test server
 * has neither the UI nor query visibility): payments are found by community, order and stage, parked
 * ones included, through the visibility API and in the UI itself, in headless Chromium.
 */
class TemporalWebUiRealTemporalTest {
    static DevStack stack;
    static WorkflowServiceStubs service;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        stack = SharedStack.get();
        assertThat(stack.temporalUiUrl()).as("the real-Temporal tier runs the CLI's dev server with its Web UI").isNotNull();
        service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
        browser = HeadlessChromium.start("1400,900");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (service != null) service.shutdownNow();
    }

    private static List<String> workflowIds(String query) throws InterruptedException {
        // Visibility is eventually consistent: give the dev server's index a few seconds.
        List<String> ids = List.of();
        for (int i = 0; i < 50 && ids.isEmpty(); i++) {
            ids = service.blockingStub().listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                            .setNamespace("default").setQuery(query).build())
                    .getExecutionsList().stream().map(WorkflowExecutionInfo::getExecution).map(e -> e.getWorkflowId()).toList();
            if (ids.isEmpty()) Thread.sleep(200);
        }
        return ids;
    }

    private static void openAndAwait(String query, String expectedText, String screenshot) throws Exception {
        String url = stack.temporalUiUrl() + "/namespaces/default/workflows?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20");
        browser.get(url);
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getPageSource().contains(expectedText));
        Path out = Path.of("target", "screenshots", screenshot);
        Files.createDirectories(out.getParent());
        Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void aCompletedPaymentIsFoundByCommunityOrderAndStage() throws Exception {
        stack.simulator().createPaidOrder("webui_order_1", 250_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.UPI);
        assertThat(SharedStack.post("/api/v1/payments", "webui-pay-1",
                EndToEndPaymentTest.body("webui_order_1", 250_000L)).statusCode()).isEqualTo(202);
        assertThat(EndToEndPaymentTest.awaitFinal("webui-pay-1").path("stage").asText()).isEqualTo("COMPLETED");

        String query = "CommunityId = 'demo-community' AND CashfreeOrderId = 'webui_order_1' AND PaymentStage = 'COMPLETED'"
                + " AND PaymentAmountPaise = 250000";
        assertThat(workflowIds(query)).containsExactly("payment-webui_order_1");
        openAndAwait(query, "payment-webui_order_1", "temporal-web-ui-completed.png");
    }

    @Test
    void aPaymentWaitingForReviewIsListedAmongTheCommunitysParkedPayments() throws Exception {
        // Set up as risk would: this order is on the blocklist, so the fraud screen holds it for review.
        SharedStack.db().dsl().execute("insert into fraud_blocklist (kind, value, reason, created_by) values ('ORDER', ?, 'test', 'risk-test')",
                "webui_order_2");
        stack.simulator().createPaidOrder("webui_order_2", 120_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.CARD);
        assertThat(SharedStack.post("/api/v1/payments", "webui-pay-2",
                EndToEndPaymentTest.body("webui_order_2", 120_000L)).statusCode()).isEqualTo(202);

        String parked = "CommunityId = 'demo-community' AND PaymentStage IN ('UNDER_REVIEW', 'NEEDS_ATTENTION')";
        assertThat(workflowIds(parked)).contains("payment-webui_order_2");
        openAndAwait(parked, "payment-webui_order_2", "temporal-web-ui-parked.png");
    }
}
