package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.commdesk.cashfree.sim.PaymentMethod;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The log lines of a payment, in the JSON shape the standalone apps write (Spring Boot's structured
 * logging, ECS), carry its ids as fields: the API's access line has the request, payment and community
 * id; the worker's line about the payment's activity has the same ids, its workflow id, and the request
 * id that came through Temporal from the API. No line of the whole flow holds a secret or the
 * customer's phone number.
 */
class StructuredLogsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPaymentsLogLinesCarryItsIdsAsJsonFieldsAndNoSecret() throws Exception {
        DevStack stack = SharedStack.get();
        List<JsonNode> lines = captureJsonLogs(() -> {
            // Cashfree received ₹500 but the claim says ₹600: verification fails for good, and the worker logs it.
            stack.simulator().createPaidOrder("log_order_1", 50_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.UPI);
            HttpResponse<String> created = SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(SharedStack.api("/api/v1/payments")))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + SharedStack.token("PAYMENT_SERVICE"))
                    .header("Idempotency-Key", "log-pay-1").header("X-Request-Id", "req-log-1")
                    .POST(HttpRequest.BodyPublishers.ofString(EndToEndPaymentTest.body("log_order_1", 60_000L))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(202);
            assertThat(created.headers().firstValue("X-Request-Id")).hasValue("req-log-1");
            assertThat(EndToEndPaymentTest.awaitFinal("log-pay-1").path("stage").asText()).isEqualTo("FAILED");
        });

        JsonNode access = lines.stream().filter(l -> l.path("message").asText().startsWith("POST /api/v1/payments -> 202"))
                .findFirst().orElseThrow(() -> new AssertionError("no access line among " + lines));
        assertThat(access.path("requestId").asText()).isEqualTo("req-log-1");
        assertThat(access.path("paymentId").asText()).isEqualTo("log-pay-1");
        assertThat(access.path("communityId").asText()).isEqualTo("demo-community");
        assertThat(access.path("log").path("level").asText()).as(access.toString()).isEqualTo("INFO");
        assertThat(access.path("@timestamp").asText()).isNotBlank();

        JsonNode activity = lines.stream().filter(l -> "payment-log_order_1".equals(l.path("workflowId").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no worker line of workflow payment-log_order_1 among " + lines));
        assertThat(activity.path("paymentId").asText()).isEqualTo("log-pay-1");
        assertThat(activity.path("communityId").asText()).isEqualTo("demo-community");
        assertThat(activity.path("requestId").asText()).as("the API's request id, carried through Temporal").isEqualTo("req-log-1");

        for (JsonNode line : lines) {
            String text = line.toString();
            assertThat(text).doesNotContain(DevStack.SIM_CLIENT_SECRET).doesNotContain("9876543210").doesNotContainIgnoringCase("x-client-secret");
        }
    }

    @Test
    void theStandaloneAppsLogJsonUnlessToldOtherwise() throws Exception {
        for (String file : List.of("/commdesk-api.properties", "/commdesk-worker.properties")) {
            Properties p = new Properties();
            try (InputStream in = StructuredLogsTest.class.getResourceAsStream(file)) {
                p.load(in);
            }
            assertThat(p.getProperty("logging.structured.format.console")).as(file).isEqualTo("${LOG_FORMAT:ecs}");
        }
    }

    interface Scenario {
        void run() throws Exception;
    }

    /**
     * A write gets one request id, the same in its access line, its response and its audit entry: the caller's if it
     * is a safe id of at most 64 characters, else a new one. (The audit trail drew an id of its own and put it in the
     * response, so the audit entry and the response named another request id than the request's log lines and its
     * workflow's; and each filter had its own rule for the caller's id.)
     */
    @Test
    void aWriteHasOneRequestIdInItsLogItsResponseAndItsAuditEntry() throws Exception {
        SharedStack.get(); // started before the capture: starting it re-initialises logging
        String admin = SharedStack.token("PLATFORM_ADMIN");
        String tooLong = "r".repeat(100);
        java.util.List<String[]> cases = java.util.List.of(new String[] {null, null}, new String[] {"req|id@x", "req|id@x"},
                new String[] {tooLong, null});
        int n = 0;
        for (String[] c : cases) {
            String given = c[0], expected = c[1];
            String body = "{\"kind\":\"CUSTOMER\",\"value\":\"request-id-test-" + (n++) + "\",\"reason\":\"one request id\"}";
            HttpResponse<String>[] response = new HttpResponse[1];
            // The access line is written once the response has gone: the capture waits for it.
            List<JsonNode> lines = captureJsonLogs(() -> response[0] = SharedStack.send(admin, "POST", "/api/v1/ops/blocklist",
                    "application/json", body, given == null ? Map.of() : Map.of("X-Request-Id", given)), "POST /api/v1/ops/blocklist -> 201");
            assertThat(response[0].statusCode()).as(response[0].body()).isEqualTo(201);
            String requestId = response[0].headers().firstValue("X-Request-Id").orElseThrow();
            if (expected != null) assertThat(requestId).isEqualTo(expected);
            else assertThat(java.util.UUID.fromString(requestId).version()).as("a new id, not the caller's " + given).isEqualTo(4);
            JsonNode access = lines.stream().filter(l -> l.path("message").asText().startsWith("POST /api/v1/ops/blocklist -> 201"))
                    .findFirst().orElseThrow(() -> new AssertionError("no access line among " + lines));
            assertThat(access.path("requestId").asText()).as("the access line's request id, given " + given).isEqualTo(requestId);
            JsonNode entry = JSON.readTree(SharedStack.get("/api/v1/audit?actor=ADMIN&target=/api/v1/ops/blocklist",
                    SharedStack.token("FINANCE_VIEWER")).body()).get(0);
            assertThat(entry.path("requestDigest").asText()).as("the entry of this request").isEqualTo(AuditLogTest.sha256(body));
            assertThat(entry.path("requestId").asText()).as("the audit entry's request id, given " + given).isEqualTo(requestId);
        }
    }

    /**
     * Runs {@code scenario} with a second console-like appender on the root logger that encodes each event
     * exactly as Spring Boot does for {@code logging.structured.format.console=ecs} (its StructuredLogEncoder),
     * the access log at INFO, and returns the lines parsed as JSON.
     */
    static List<JsonNode> captureJsonLogs(Scenario scenario) throws Exception {
        return captureJsonLogs(scenario, null);
    }

    /** The same, capturing after the scenario until a line contains {@code awaited} (at most 10 s; null: none). */
    static List<JsonNode> captureJsonLogs(Scenario scenario, String awaited) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (context.getObject(Environment.class.getName()) == null) {
            context.putObject(Environment.class.getName(), new StandardEnvironment());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat("ecs");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("json-capture");
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger accessLog = context.getLogger("com.commdesk.api.access");
        Level accessLevel = accessLog.getLevel();
        accessLog.setLevel(Level.INFO);
        root.addAppender(appender);
        try {
            scenario.run();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (awaited != null && !out.toString(StandardCharsets.UTF_8).contains(awaited) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            root.detachAppender(appender);
            accessLog.setLevel(accessLevel);
            appender.stop();
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) lines.add(JSON.readTree(line));
        }
        return lines;
    }
}
