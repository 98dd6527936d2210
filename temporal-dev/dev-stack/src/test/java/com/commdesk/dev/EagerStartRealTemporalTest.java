package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.workflows.client.EagerStartMetrics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Eager workflow start where the API and the worker share a process (the dev stack): the API starts a
 * payment's workflow through the worker's own WorkflowClient, asks for eager execution, and the real
 * server hands the first workflow task back with the start's reply — counted on the wire by
 * {@link EagerStartMetrics} and read back from the worker's /actuator/prometheus. Real server only: the
 * Java test server does not implement eager start.
 */
class EagerStartRealTemporalTest {

    @Test
    void aPaymentStartedByTheApiInTheWorkersProcessGetsItsFirstWorkflowTaskWithTheStart() throws Exception {
        DevStack stack = SharedStack.get();
        assertThat(stack.temporalUiUrl()).as("the real-Temporal tier runs the CLI's dev server").isNotNull();
        stack.simulator().createPaidOrder("eager_order_1", 150_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.UPI);
        assertThat(SharedStack.post("/api/v1/payments", "eager-pay-1", EndToEndPaymentTest.body("eager_order_1", 150_000L)).statusCode())
                .isEqualTo(202);
        assertThat(EndToEndPaymentTest.awaitFinal("eager-pay-1").path("stage").asText()).isEqualTo("COMPLETED");

        // The SDK's scope reports every commdesk.metrics.temporal-report-interval (10 s by default).
        double requested = 0, granted = 0;
        for (int i = 0; i < 60 && granted == 0; i++) {
            String metrics = SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.workerPort()
                    + "/actuator/prometheus")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            requested = total(metrics, EagerStartMetrics.REQUESTED);
            granted = total(metrics, EagerStartMetrics.GRANTED);
            if (granted == 0) Thread.sleep(500);
        }
        assertThat(requested).as("starts that asked for eager execution").isGreaterThanOrEqualTo(1);
        assertThat(granted).as("starts whose first workflow task came back with the reply").isGreaterThanOrEqualTo(1);
    }

    /** The sum of a counter's series in Prometheus text format (0 when absent). */
    static double total(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:_total)?(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
        double sum = 0;
        while (m.find()) sum += Double.parseDouble(m.group(1));
        return sum;
    }
}
