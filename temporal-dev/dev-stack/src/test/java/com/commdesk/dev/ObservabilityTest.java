package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.Fault;
import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.cashfree.sim.PayoutsApi;
import com.commdesk.cashfree.sim.SignedWebhook;
import com.commdesk.dev.metrics.OpsFiles;
import com.commdesk.dev.metrics.PrometheusText;
import com.commdesk.ledger.HoldReleases;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerDatabase;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every metric the spec names, driven through the platform and read back from /actuator/prometheus as
 * Prometheus would scrape it: revenue throughput, settlement delay, failed payouts, fraud attempts,
 * wallet inconsistencies, queue lag (Temporal's schedule-to-start latency), task failures, and the
 * payment inconsistencies (parked, stuck, overdue holds). Each check takes the series before the
 * scenario and asserts it moved. A stack of its own, because the last scenario corrupts the books.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** MANUAL payouts, no hold, one owner taking everything: payouts here move only this community's money. */
    static final String COMMUNITY = "obs-payouts";
    static final String OWNER = "u-obs-owner";

    static DevStack stack;
    static LedgerDatabase db;

    @BeforeAll
    static void start() {
        stack = SharedStack.startIsolated(Map.of(
                "commdesk.metrics.temporal-report-interval", "PT0.5S",
                "commdesk.ledger.invariant-interval", "PT1S",
                "commdesk.ledger.invariant-initial-delay", "PT1S",
                "commdesk.payments.stuck-after", "PT3S",
                "commdesk.settlement.overdue-after", "PT1S",
                // The release job stays out of the way: the test releases holds itself, after seeing them overdue.
                "commdesk.settlement.release-initial-delay", "PT1H",
                "commdesk.settlement.release-interval", "PT1H"));
        db = LedgerDatabase.open(stack.databaseUrl(), null, null, 2);
        db.dsl().execute("insert into community (community_id, name, tier, supplier_state, hold_days, payout_policy, min_payout_paise)"
                + " values (?, 'Observability', 'STANDARD', 'KA', 0, 'MANUAL', 10000)", COMMUNITY);
        db.dsl().execute("insert into community_role (community_id, role, share_bps, split_mode, position) values (?, 'owner', 10000, 'EQUAL', 0)", COMMUNITY);
        db.dsl().execute("insert into community_member (community_id, role, user_id, position) values (?, 'owner', ?, 0)", COMMUNITY, OWNER);
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) db.close();
        if (stack != null) stack.close();
    }

    // ---- the scenarios -------------------------------------------------------------------------

    @Test
    @Order(1)
    void revenueThroughputAndQueueLagMoveWithAPostedPayment() throws Exception {
        PrometheusText before = worker();
        pay("obs_order_1", "obs-pay-1", "demo-community", 123_456L);
        assertThat(awaitStage("obs-pay-1", "COMPLETED", "FAILED").path("stage").asText()).isEqualTo("COMPLETED");

        PrometheusText after = awaitWorker(m -> m.sum("temporal_activity_schedule_to_start_latency_seconds_count")
                > before.sum("temporal_activity_schedule_to_start_latency_seconds_count"));
        assertThat(after.sum("commdesk_payments_posted_total") - before.sum("commdesk_payments_posted_total")).isEqualTo(1.0);
        assertThat(after.sum("commdesk_revenue_gross_paise_total") - before.sum("commdesk_revenue_gross_paise_total")).isEqualTo(123_456.0);
        // Queue lag: Temporal's schedule-to-start latency of workflow and activity tasks, as histograms.
        assertThat(after.sum("temporal_workflow_task_schedule_to_start_latency_seconds_count"))
                .isGreaterThan(before.sum("temporal_workflow_task_schedule_to_start_latency_seconds_count"));
        assertThat(after.sum("temporal_activity_schedule_to_start_latency_seconds_bucket", "le", "+Inf"))
                .isGreaterThan(before.sum("temporal_activity_schedule_to_start_latency_seconds_bucket", "le", "+Inf"));
        // Someone polls the payment task queue, for workflow and for activity tasks.
        assertThat(after.sum("temporal_num_pollers", l -> "commdesk-payments".equals(l.get("task_queue"))
                && "activity_task".equals(l.get("poller_type")))).isPositive();
        assertThat(after.sum("temporal_worker_task_slots_available", "worker_type", "ActivityWorker")).isPositive();
    }

    @Test
    @Order(2)
    void fraudAttemptsAreCountedAndAFlaggedPaymentShowsAsParked() throws Exception {
        PrometheusText before = worker();
        PrometheusText apiBefore = api();
        assertThat(send("POST", "/api/v1/ops/blocklist", "risk-obs",
                "{\"kind\":\"ORDER\",\"value\":\"obs_order_2\",\"reason\":\"test ring\"}").statusCode()).isEqualTo(201);
        pay("obs_order_2", "obs-pay-2", "demo-community", 50_000L);
        awaitStage("obs-pay-2", "UNDER_REVIEW");

        PrometheusText flagged = awaitWorker(m -> m.sum("commdesk_payments_parked", "status", "UNDER_REVIEW") == 1.0);
        assertThat(flagged.sum("commdesk_fraud_flagged_total") - before.sum("commdesk_fraud_flagged_total")).isEqualTo(1.0);

        // A forged webhook (a changed body under the genuine signature) is a fraud attempt too.
        stack.simulator().createPaidOrder("obs_order_3", 100_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.UPI);
        SignedWebhook genuine = stack.simulator().paymentSuccessWebhook("obs_order_3");
        assertThat(stack.simulator().deliver(genuine.withRawBody(genuine.rawBody().replace("1000.00", "1.00"))).statusCode()).isEqualTo(401);
        assertThat(api().sum("commdesk_webhooks_rejected_total", "source", "pg") - apiBefore.sum("commdesk_webhooks_rejected_total", "source", "pg"))
                .isEqualTo(1.0);

        assertThat(send("POST", "/api/v1/ops/payments/obs-pay-2/review", "risk-obs",
                "{\"outcome\":\"REJECT\",\"reason\":\"confirmed\"}").statusCode()).isEqualTo(202);
        awaitStage("obs-pay-2", "REJECTED");
        awaitWorker(m -> m.sum("commdesk_payments_parked", "status", "UNDER_REVIEW") == 0.0);
    }

    @Test
    @Order(3)
    void aPaymentCashfreeCannotConfirmIsStuckUntilCashfreeIsBack() throws Exception {
        PrometheusText before = worker();
        assertThat(before.sum("commdesk_payments_stuck")).isZero();
        stack.simulator().faults().add(Fault.unavailable().onPath("/pg/orders/obs_order_4"));
        try {
            pay("obs_order_4", "obs-pay-4", "demo-community", 70_000L);
            PrometheusText stuck = awaitWorker(m -> m.sum("commdesk_payments_stuck") == 1.0);
            // Each refused attempt is an activity failure in Temporal's own counters.
            assertThat(stuck.sum("temporal_activity_execution_failed_total"))
                    .isGreaterThan(before.sum("temporal_activity_execution_failed_total"));
        } finally {
            stack.simulator().faults().clear();
        }
        assertThat(awaitStage("obs-pay-4", "COMPLETED", "FAILED").path("stage").asText()).isEqualTo("COMPLETED");
        awaitWorker(m -> m.sum("commdesk_payments_stuck") == 0.0);
    }

    @Test
    @Order(4)
    void verificationFailuresAndAWorkflowTypeNoWorkerKnowsAreQueueFailures() throws Exception {
        PrometheusText before = worker();
        stack.simulator().createPaidOrder("obs_order_5", 50_000L, "INR", Map.of("community_id", "demo-community"), PaymentMethod.UPI);
        post("/api/v1/payments", "obs-pay-5", body("obs_order_5", "demo-community", 60_000L)); // Cashfree got 500.00
        assertThat(awaitStage("obs-pay-5", "COMPLETED", "FAILED").path("stage").asText()).isEqualTo("FAILED");
        assertThat(awaitWorker(m -> m.sum("commdesk_payments_verification_failures_total") > before.sum("commdesk_payments_verification_failures_total"))
                .sum("commdesk_payments_verification_failures_total") - before.sum("commdesk_payments_verification_failures_total")).isEqualTo(1.0);

        // A workflow type no worker has (e.g. a deploy that dropped one): every workflow task fails.
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
        try {
            WorkflowClient client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
            WorkflowStub unknown = client.newUntypedWorkflowStub("NoSuchWorkflowType",
                    WorkflowOptions.newBuilder().setTaskQueue("commdesk-payments").setWorkflowId("obs-unknown-type").build());
            unknown.start();
            awaitWorker(m -> m.sum("temporal_workflow_task_execution_failed_total") > before.sum("temporal_workflow_task_execution_failed_total"));
            unknown.terminate("observability test done");
        } finally {
            stubs.shutdownNow();
        }
    }

    @Test
    @Order(5)
    void overdueHoldsFailedPayoutsAndTheSettlementDelay() throws Exception {
        PrometheusText before = worker();
        pay("obs_order_6", "obs-pay-6", COMMUNITY, 200_000L);
        assertThat(awaitStage("obs-pay-6", "COMPLETED", "FAILED").path("stage").asText()).isEqualTo("COMPLETED");
        // hold_days 0: the hold is due at once, and the release job (turned off here) has not released it.
        awaitWorker(m -> m.sum("commdesk_settlement_holds_overdue") >= 1.0);
        assertThat(new HoldReleases(new Ledger(db.dsl())).releaseDueHolds(OffsetDateTime.now(), 1000)).isPositive();
        awaitWorker(m -> m.sum("commdesk_settlement_holds_overdue") == 0.0);

        assertThat(send("PUT", "/api/v1/finance/beneficiaries", OWNER, "{\"communityId\":\"" + COMMUNITY
                + "\",\"role\":\"owner\",\"userId\":\"" + OWNER + "\",\"name\":\"Obs Owner\",\"ifsc\":\"HDFC0000001\","
                + "\"bankAccountNumber\":\"000111222333\"}").statusCode()).isEqualTo(200);

        // The bank refuses the account: the payout fails and is counted.
        stack.simulator().payouts().defaultScenario(PayoutsApi.Scenario.INVALID_ACCOUNT);
        String failed = settleAndAwaitPayout("FAILED");
        assertThat(awaitWorker(m -> m.sum("commdesk_payouts_failed_total") > before.sum("commdesk_payouts_failed_total"))
                .sum("commdesk_payouts_failed_total") - before.sum("commdesk_payouts_failed_total")).isEqualTo(1.0);

        // Then it is paid, and the time from the settlement's cut-off to paid is recorded.
        stack.simulator().payouts().defaultScenario(PayoutsApi.Scenario.SUCCESS);
        String paid = settleAndAwaitPayout("PAID");
        assertThat(paid).isNotEqualTo(failed);
        PrometheusText after = awaitWorker(m -> m.sum("commdesk_settlement_delay_seconds_count") > before.sum("commdesk_settlement_delay_seconds_count"));
        assertThat(after.sum("commdesk_payouts_paid_total") - before.sum("commdesk_payouts_paid_total")).isEqualTo(1.0);
        assertThat(after.sum("commdesk_settlement_delay_seconds_bucket", "le", "3600.0"))
                .as("an hour bucket for the settlement-delay alert").isEqualTo(after.sum("commdesk_settlement_delay_seconds_count"));
    }

    @Test
    @Order(6)
    void aPaymentWhoseStepFailsForGoodIsParkedUntilAnOperatorRetriesIt() throws Exception {
        // A community whose role shares do not add up: allocation fails for good and the payment parks.
        db.dsl().execute("insert into community (community_id, name) values ('obs-broken', 'Broken split')");
        db.dsl().execute("insert into community_role (community_id, role, share_bps, position) values ('obs-broken', 'owner', 9000, 0)");
        db.dsl().execute("insert into community_member (community_id, role, user_id, position) values ('obs-broken', 'owner', 'u-b', 0)");
        PrometheusText before = worker();
        pay("obs_order_7", "obs-pay-7", "obs-broken", 100_000L);
        awaitStage("obs-pay-7", "NEEDS_ATTENTION");
        awaitWorker(m -> m.sum("commdesk_payments_parked", "status", "NEEDS_ATTENTION") == 1.0);
        // AllocateShares is a local activity: its failed attempt (one: the failure is final) is counted by the SDK's local
        // counter, not temporal_activity_execution_failed_total, and CommDeskActivityFailureRateHigh reads both.
        String local = "temporal_local_activity_execution_failed_total";
        assertThat(awaitWorker(m -> m.sum(local, "activity_type", "AllocateShares") > before.sum(local, "activity_type", "AllocateShares"))
                .sum(local, "activity_type", "AllocateShares") - before.sum(local, "activity_type", "AllocateShares")).isEqualTo(1.0);

        db.dsl().execute("update community_role set share_bps = 10000 where community_id = 'obs-broken'");
        assertThat(send("POST", "/api/v1/ops/payments/obs-pay-7/retry", "ops-obs", "{\"note\":\"fixed the split\"}").statusCode())
                .isEqualTo(202);
        awaitStage("obs-pay-7", "COMPLETED");
        awaitWorker(m -> m.sum("commdesk_payments_parked", "status", "NEEDS_ATTENTION") == 0.0);
    }

    @Test
    @Order(7)
    void aPaymentCashfreeNeverSettledIsAnOpenReconciliationException() throws Exception {
        OffsetDateTime from = OffsetDateTime.now().minusMinutes(1);
        pay("obs_order_8", "obs-pay-8", "demo-community", 100_000L);
        pay("obs_order_9", "obs-pay-9", "demo-community", 100_000L);
        awaitStage("obs-pay-8", "COMPLETED");
        awaitStage("obs-pay-9", "COMPLETED");
        assertThat(worker().sum("commdesk_reconciliation_exceptions_open", "kind", "MISSING_ON_THEIRS")).isZero();
        // Cashfree settles one of them and leaves the other out.
        stack.simulator().settlements().settle(List.of("obs_order_8", "obs_order_9"), null, Map.of(), java.util.Set.of("obs_order_9"), List.of());
        String period = "{\"from\":\"" + from + "\",\"to\":\"" + OffsetDateTime.now() + "\"}";
        HttpResponse<String> run = send(HttpRequest.newBuilder(URI.create(url(stack.apiPort(), "/api/v1/reconciliation/runs")))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(period)).build());
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);

        PrometheusText after = awaitWorker(m -> m.sum("commdesk_reconciliation_exceptions_open", "kind", "MISSING_ON_THEIRS") >= 1.0);
        assertThat(after.sum("commdesk_reconciliation_match_rate", "source", "API")).isLessThan(1.0);
    }

    @Test
    @Order(8)
    void aWalletInconsistencyMadeBehindTheApplicationsBackIsFoundAndCounted() throws Exception {
        PrometheusText before = awaitWorker(m -> m.sum("commdesk_ledger_invariant_last_check_timestamp_seconds") > 0);
        assertThat(before.sum("commdesk_ledger_invariant_violations")).isZero();
        assertThat(before.sum("commdesk_ledger_negative_balances")).isZero();

        // What no application path can do (the database refuses it, whoever asks, while its triggers are on): a member
        // account debited below zero. As the schema's owner, with the wallet projection switched off for this one
        // transaction (ALTER TABLE is transactional), as a bug in a migration or a person with the owner's password might.
        try (LedgerDatabase owner = SharedStack.owner(stack)) {
            owner.dsl().transaction(cfg -> {
                var tx = cfg.dsl();
                tx.execute("alter table posting disable trigger posting_projects_wallets");
                tx.execute("insert into ledger_account (code, kind, purpose, community_id, role, user_id)"
                        + " values ('member:obs-corrupt:owner:u-x:available', 'LIABILITY', 'MEMBER_AVAILABLE', 'obs-corrupt', 'owner', 'u-x')");
                tx.execute("insert into journal (idempotency_key, kind, description, content_sha256)"
                        + " values ('adjustment:test:obs-corruption', 'ADJUSTMENT', 'observability test', repeat('0', 64))");
                // one statement, balanced: the posting checks stay on and are satisfied
                tx.execute("insert into posting (journal_id, account_id, amount_paise)"
                        + " select j.journal_id, a.account_id, case when a.code = 'cashfree_clearing' then -500 else 500 end"
                        + " from journal j, ledger_account a where j.idempotency_key = 'adjustment:test:obs-corruption'"
                        + " and a.code in ('member:obs-corrupt:owner:u-x:available', 'cashfree_clearing')");
                tx.execute("alter table posting enable always trigger posting_projects_wallets");
            });
        }

        // Both gauges of the same check: a scrape reads one series after another, so a check finishing in between shows
        // the new negative balance beside the old violation count (seen in CI: 1 and 0). Wait for a scrape of one check.
        PrometheusText after = awaitWorker(m -> m.sum("commdesk_ledger_negative_balances") > 0
                && m.sum("commdesk_ledger_invariant_violations") >= m.sum("commdesk_ledger_negative_balances"));
        assertThat(after.sum("commdesk_ledger_negative_balances")).isEqualTo(1.0);
        assertThat(after.sum("commdesk_ledger_invariant_violations")).isGreaterThanOrEqualTo(1.0);
        assertThat(after.sum("commdesk_ledger_invariant_last_check_timestamp_seconds"))
                .isGreaterThan(before.sum("commdesk_ledger_invariant_last_check_timestamp_seconds"));
    }

    /**
     * Issue 14: the API's own retries. Recording a payment (PaymentIntake) runs its transaction again when PostgreSQL
     * aborts it for a deadlock; the API counts that as commdesk_ledger_transaction_retries_total{sqlstate="40P01"}, as
     * the worker does. The deadlock is PostgreSQL's own error, raised once by a trigger the schema's owner puts on
     * the payment table for this one payment: the first insert is aborted, the retry records it.
     */
    @Test
    @Order(9)
    void theApisRetryOfADeadlockedTransactionIsCounted() throws Exception {
        PrometheusText before = api();
        try (LedgerDatabase owner = SharedStack.owner(stack)) {
            owner.dsl().execute("create sequence obs_retry_trap");
            owner.dsl().execute("create function obs_retry_trap() returns trigger language plpgsql security definer as $$"
                    + " begin if new.payment_id = 'obs-pay-retry' and nextval('obs_retry_trap') = 1 then"
                    + " raise exception 'deadlock forced by ObservabilityTest' using errcode = 'deadlock_detected'; end if;"
                    + " return new; end $$");
            owner.dsl().execute("create trigger obs_retry_trap before insert on payment for each row execute function obs_retry_trap()");
            try {
                pay("obs_order_retry", "obs-pay-retry", "demo-community", 10_000L);
            } finally {
                owner.dsl().execute("drop trigger obs_retry_trap on payment");
                owner.dsl().execute("drop function obs_retry_trap()");
                owner.dsl().execute("drop sequence obs_retry_trap");
            }
        }
        assertThat(db.dsl().fetchCount(db.dsl().selectFrom("payment").where("payment_id = 'obs-pay-retry'")))
                .as("the retried transaction recorded the payment once").isEqualTo(1);
        PrometheusText after = api();
        assertThat(after.sum("commdesk_ledger_transaction_retries_total", "sqlstate", "40P01")
                - before.sum("commdesk_ledger_transaction_retries_total", "sqlstate", "40P01"))
                .as("the API's retry of the deadlocked transaction, on its /actuator/prometheus").isEqualTo(1.0);
        awaitStage("obs-pay-retry", "COMPLETED");
    }

    /**
     * After every scenario above, the scrapes hold every series the platform makes. They are written to
     * target/metrics-scrape/ for `promtool check metrics` (.ci/run), and every metric the alert rules and
     * the Grafana dashboard read must be among them: a rule over a misspelt name would never fire.
     */
    @Test
    @Order(100)
    void everyMetricTheAlertRulesAndTheDashboardReadIsExposed() throws Exception {
        // The Temporal client counts a failed request only once one has failed, and whether one already has
        // depends on timing (a test server answers some calls UNIMPLEMENTED, a real one does not). Provoke one
        // the alert is about: a refund status nobody asked for is a Temporal query that answers NOT_FOUND.
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(URI.create(url(stack.apiPort(), "/api/v1/refunds/obs-no-such-refund")))
                .timeout(Duration.ofSeconds(20)).GET().build());
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        awaitApi(m -> m.names().contains("temporal_request_failure_total"));

        // Micrometer holds a gauge's object weakly: a gauge over an object nothing else keeps reads NaN after a
        // collection, and an alert over it can never fire again. The worker runs in this JVM: collect, then scrape.
        System.gc();
        System.gc();
        java.nio.file.Path dir = java.nio.file.Path.of("target", "metrics-scrape");
        java.nio.file.Files.createDirectories(dir);
        PrometheusText worker = worker();
        for (String gauge : List.of("commdesk_payouts_needs_attention", "commdesk_payments_parked", "commdesk_payments_stuck",
                "commdesk_settlement_holds_overdue", "commdesk_payouts_late_unposted", "commdesk_ledger_invariant_violations")) {
            assertThat(worker.samples()).as("the worker's gauge %s after a garbage collection", gauge)
                    .filteredOn(sample -> sample.name().equals(gauge)).isNotEmpty()
                    .allSatisfy(sample -> assertThat(sample.value()).as(gauge).isNotNaN());
        }
        PrometheusText api = api();
        java.nio.file.Files.writeString(dir.resolve("worker.prom"), worker.raw());
        java.nio.file.Files.writeString(dir.resolve("api.prom"), api.raw());
        java.util.Set<String> exposed = new java.util.TreeSet<>(worker.names());
        exposed.addAll(api.names());
        java.nio.file.Files.write(dir.resolve("names.txt"), exposed);

        Map<String, java.util.Set<String>> read = new java.util.TreeMap<>();
        List<String> expressions = new java.util.ArrayList<>(OpsFiles.alertExpressions());
        expressions.addAll(OpsFiles.dashboardExpressions());
        for (String expr : expressions) {
            read.put(expr, com.commdesk.dev.metrics.PromQl.metricNames(expr));
        }
        assertThat(read).hasSizeGreaterThan(50);
        for (var e : read.entrySet()) {
            assertThat(e.getValue()).as("metrics read by %s", e.getKey()).isNotEmpty();
            assertThat(exposed).as("the platform exposes every metric %s reads", e.getKey()).containsAll(e.getValue());
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    static String url(int port, String path) {
        return "http://127.0.0.1:" + port + path;
    }

    static PrometheusText scrape(int port) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url(port, "/actuator/prometheus")))
                .header("Accept", "text/plain").timeout(Duration.ofSeconds(20)).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }

    static PrometheusText worker() {
        return scrape(stack.workerPort());
    }

    static PrometheusText api() {
        return scrape(stack.apiPort());
    }

    /** Scrapes the worker until {@code moved} holds (gauges are read per scrape; Temporal's metrics are reported every 0.5 s). */
    static PrometheusText awaitWorker(Predicate<PrometheusText> moved) throws InterruptedException {
        return await("worker", ObservabilityTest::worker, moved);
    }

    static PrometheusText awaitApi(Predicate<PrometheusText> moved) throws InterruptedException {
        return await("API", ObservabilityTest::api, moved);
    }

    private static PrometheusText await(String process, java.util.function.Supplier<PrometheusText> scrape,
                                        Predicate<PrometheusText> moved) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            PrometheusText m = scrape.get();
            if (moved.test(m)) return m;
            if (System.nanoTime() > deadline) throw new AssertionError("the " + process + "'s metrics never moved as expected:\n" + excerpt(m));
            Thread.sleep(250);
        }
    }

    private static String excerpt(PrometheusText m) {
        return String.join("\n", m.raw().lines().filter(l -> l.startsWith("commdesk_") || l.startsWith("temporal_num")).toList());
    }

    static String body(String orderId, String community, long amountPaise) {
        return "{\"communityId\":\"" + community + "\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"" + orderId
                + "\",\"amountPaise\":" + amountPaise + "}";
    }

    static void pay(String orderId, String paymentId, String community, long amountPaise) {
        stack.simulator().createPaidOrder(orderId, amountPaise, "INR", Map.of("community_id", community), PaymentMethod.UPI);
        assertThat(post("/api/v1/payments", paymentId, body(orderId, community, amountPaise)).statusCode()).isEqualTo(202);
    }

    static HttpResponse<String> post(String path, String idempotencyKey, String json) {
        return send(HttpRequest.newBuilder(URI.create(url(stack.apiPort(), path))).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static HttpResponse<String> send(String method, String path, String actor, String json) {
        return send(HttpRequest.newBuilder(URI.create(url(stack.apiPort(), path))).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("X-Actor", actor)
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(stack.apiPort(), path))).timeout(Duration.ofSeconds(20)).GET().build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        // The API needs a token from this isolated stack's own issuer: the actor named in the request (once
        // X-Actor) becomes its subject, with the roles this test's calls need.
        String actor = request.headers().firstValue("X-Actor").orElse("observability-test");
        request = HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("X-Actor"))
                .header("Authorization", "Bearer " + SharedStack.mintedToken(stack, actor,
                        List.of("PLATFORM_ADMIN", "OPS", "FINANCE_APPROVER", "FINANCE_VIEWER", "PAYMENT_SERVICE", "COMMUNITY_OWNER"),
                        List.of(COMMUNITY),
                        java.time.Instant.now(), Duration.ofMinutes(15))).build();
        try {
            return SharedStack.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(request.uri() + ": " + e.getMessage(), e);
        }
    }

    static JsonNode awaitStage(String paymentId, String... stages) throws InterruptedException {
        return await("/api/v1/payments/" + paymentId, v -> List.of(stages).contains(v.path("stage").asText()));
    }

    static JsonNode await(String path, Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            HttpResponse<String> r = get(path);
            JsonNode view = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
            if (view != null && done.test(view)) return view;
            if (System.nanoTime() > deadline) throw new AssertionError(path + " still " + r.statusCode() + " " + r.body());
            Thread.sleep(200);
        }
    }

    /** Requests a settlement of the community's available money and waits for its one payout to reach {@code status}. */
    static String settleAndAwaitPayout(String status) throws InterruptedException {
        // A manual settlement is named by its cut-off second: asked again within the second the previous one was
        // asked in, while that one is still finishing, it is the same settlement (409). Ask in the next second.
        HttpResponse<String> started = send("POST", "/api/v1/finance/settlements", "finance-obs", "{\"communityId\":\"" + COMMUNITY + "\"}");
        for (int tries = 0; started.statusCode() == 409 && tries < 5; tries++) {
            Thread.sleep(1100);
            started = send("POST", "/api/v1/finance/settlements", "finance-obs", "{\"communityId\":\"" + COMMUNITY + "\"}");
        }
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String settlementId = JSON.readTree(started.body()).path("settlementId").asText();
        JsonNode view = await("/api/v1/finance/settlements/" + settlementId, v -> v.path("payouts").size() == 1
                && status.equals(v.path("payouts").get(0).path("status").asText()));
        return view.path("payouts").get(0).path("payoutId").asText();
    }
}
