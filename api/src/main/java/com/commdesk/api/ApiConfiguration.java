package com.commdesk.api;

import com.commdesk.api.web.WebhookSignatures;

import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.FraudRecords;
import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.PaymentOperations;
import com.commdesk.ledger.PaymentProjection;
import com.commdesk.ledger.WebhookEvents;
import com.commdesk.ledger.TaxReports;
import com.commdesk.ledger.WalletStatements;
import com.commdesk.ledger.LedgerQueries;
import com.commdesk.ledger.PaymentIntake;
import com.commdesk.workflows.client.TemporalConnections;
import com.commdesk.workflows.client.TemporalSettings;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    /**
     * The runtime pool (DATABASE_URL, a login role in commdesk_runtime); migrations run first as the owner
     * when DATABASE_MIGRATION_URL is set. Refuses a connection that could rewrite the books (docs/ledger.md).
     */
    @Bean(destroyMethod = "")
    LedgerDatabase ledgerDatabase(DataSource dataSource, Environment env,
                                  @Value("${commdesk.db.migrate:true}") boolean migrate,
                                  @Value("${commdesk.db.demo-data:false}") boolean demoData) {
        return LedgerDatabase.forRuntime(dataSource, LedgerDatabase.MigrationOwner.from(env::getProperty), migrate, demoData);
    }

    /** The books' core for the API's writes (refund intake, operators' hold retries). */
    @Bean
    com.commdesk.ledger.Ledger ledger(LedgerDatabase db) {
        return new com.commdesk.ledger.Ledger(db.dsl());
    }

    /** Seed 002's distribution lifecycle, read side. */
    @Bean
    com.commdesk.ledger.payout.Distributions distributions(com.commdesk.ledger.Ledger ledger) {
        return new com.commdesk.ledger.payout.Distributions(ledger);
    }

    /** Owners' refunds above the approval threshold, waiting for finance (docs/payments.md, "Refund approvals"). */
    @Bean
    com.commdesk.ledger.RefundApprovals refundApprovals(com.commdesk.ledger.Ledger ledger) {
        return new com.commdesk.ledger.RefundApprovals(ledger);
    }

    /** Finance's two-person resolution of refunds Cashfree holds with another amount or order (changeset 113). */
    @Bean
    com.commdesk.ledger.RefundMismatchVotes refundMismatchVotes(com.commdesk.ledger.Ledger ledger) {
        return new com.commdesk.ledger.RefundMismatchVotes(ledger);
    }

    @Bean
    com.commdesk.ledger.RefundLedger refundLedger(com.commdesk.ledger.Ledger ledger) {
        return new com.commdesk.ledger.RefundLedger(ledger);
    }

    @Bean
    com.commdesk.ledger.HoldReleases holdReleases(com.commdesk.ledger.Ledger ledger) {
        return new com.commdesk.ledger.HoldReleases(ledger);
    }

    @Bean
    PaymentIntake paymentIntake(LedgerDatabase db) {
        return new PaymentIntake(db.dsl());
    }

    /**
     * The ledger's retries of a transaction PostgreSQL aborted for a deadlock or a serialization failure (recording a
     * payment retries them, PaymentIntake) as commdesk_ledger_transaction_retries_total{sqlstate}, as the worker has them.
     */
    @Bean
    com.commdesk.ledger.LedgerContentionMeters ledgerContentionMeters() {
        return new com.commdesk.ledger.LedgerContentionMeters();
    }

    @Bean
    LedgerQueries ledgerQueries(LedgerDatabase db) {
        return new LedgerQueries(db.dsl());
    }

    @Bean
    PaymentOperations paymentOperations(LedgerDatabase db) {
        return new PaymentOperations(db.dsl());
    }

    @Bean
    PaymentProjection paymentProjection(LedgerDatabase db) {
        return new PaymentProjection(db.dsl());
    }

    @Bean
    FraudRecords fraudRecords(LedgerDatabase db) {
        return new FraudRecords(db.dsl());
    }

    @Bean
    WebhookEvents webhookEvents(LedgerDatabase db) {
        return new WebhookEvents(db.dsl());
    }

    /** PG webhooks are signed with the PG client secret (never logged). */
    @Bean
    WebhookSignatures webhookSignatures(Environment env, io.micrometer.core.instrument.MeterRegistry metrics) {
        return new WebhookSignatures(env.getProperty("CASHFREE_CLIENT_SECRET"), java.time.Clock.systemUTC(), metrics);
    }

    /**
     * Payouts webhooks are signed with a Payouts secret (Cashfree: the oldest active Payouts key's):
     * {@code CASHFREE_PAYOUT_WEBHOOK_SECRET}, else {@code CASHFREE_PAYOUT_CLIENT_SECRET}. Never the PG secret.
     */
    @Bean
    WebhookSignatures payoutWebhookSignatures(Environment env, io.micrometer.core.instrument.MeterRegistry metrics) {
        String secret = env.getProperty("CASHFREE_PAYOUT_WEBHOOK_SECRET");
        if (secret == null || secret.isBlank()) secret = env.getProperty("CASHFREE_PAYOUT_CLIENT_SECRET");
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("CASHFREE_PAYOUT_WEBHOOK_SECRET (or CASHFREE_PAYOUT_CLIENT_SECRET) is not set");
        }
        return new WebhookSignatures(secret, java.time.Clock.systemUTC(), metrics);
    }

    @Bean
    LedgerInvariants ledgerInvariants(LedgerDatabase db) {
        return new LedgerInvariants(db.dsl());
    }

    @Bean
    WalletStatements walletStatements(LedgerDatabase db) {
        return new WalletStatements(db.dsl());
    }

    @Bean
    TaxReports taxReports(LedgerDatabase db) {
        return new TaxReports(db.dsl());
    }

    @Bean
    CommunityRepository communityRepository(LedgerDatabase db) {
        return new CommunityRepository(db.dsl());
    }

    @Bean
    com.commdesk.ledger.community.CommunityOnboarding communityOnboarding(LedgerDatabase db) {
        return new com.commdesk.ledger.community.CommunityOnboarding(db.dsl());
    }

    @Bean
    com.commdesk.ledger.community.IdempotentRequests idempotentRequests(LedgerDatabase db) {
        return new com.commdesk.ledger.community.IdempotentRequests(db.dsl());
    }

    @Bean
    com.commdesk.ledger.audit.AuditLog auditLog(LedgerDatabase db) {
        return new com.commdesk.ledger.audit.AuditLog(db.dsl());
    }

    /**
     * The one path to the audit log: an entry the database cannot take now is kept on disk and appended when it answers
     * again (docs/security.md, "Audit log"). The directory is per database: the books' own id (changeset 133: the same
     * after a failover or a restore) and the database's name (copies made from one template, as tests make them, share
     * the id but not the name), so entries kept for one are never appended to another.
     */
    @Bean(destroyMethod = "close")
    com.commdesk.api.web.DurableAudit durableAudit(com.commdesk.ledger.audit.AuditLog audit, LedgerDatabase db,
            io.micrometer.core.instrument.MeterRegistry metrics,
            @Value("${commdesk.audit.spool-dir:${user.home}/.commdesk/audit-spool}") String spoolDir,
            @Value("${commdesk.audit.spool-max-entries:100000}") int maxSpooled,
            @Value("${commdesk.audit.spool-replay-every:PT15S}") java.time.Duration replayEvery) {
        java.util.UUID books = db.dsl().fetchSingle(com.commdesk.ledger.jooq.Tables.DATABASE_IDENTITY).getDatabaseId();
        String name = db.dsl().fetchValue(org.jooq.impl.DSL.field("current_database()", String.class));
        String directory = books + "-" + com.commdesk.api.web.AuditTrail.sha256(name).substring(0, 12);
        return new com.commdesk.api.web.DurableAudit(audit, java.nio.file.Path.of(spoolDir, directory), maxSpooled, metrics)
                .replayingEvery(replayEvery);
    }

    /** Cashfree's webhook deliveries that changed something, in the same audit log (docs/security.md). */
    @Bean
    com.commdesk.api.web.WebhookAudit webhookAudit(com.commdesk.api.web.DurableAudit audit) {
        return new com.commdesk.api.web.WebhookAudit(audit);
    }

    /** Every successful write is audited (docs/security.md); runs after Spring Security's filters. */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<com.commdesk.api.web.AuditTrail> auditTrail(
            com.commdesk.api.web.DurableAudit audit, @Value("${commdesk.api.max-upload-bytes:10485760}") int maxBody) {
        var r = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new com.commdesk.api.web.AuditTrail(audit, maxBody));
        r.setOrder(org.springframework.core.Ordered.LOWEST_PRECEDENCE - 100);
        return r;
    }

    /** Body limits and repeated parameters, checked before anything reads the request (and before security). */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<com.commdesk.api.web.RequestGuards> requestGuards(
            com.commdesk.api.web.ProblemResponses problems,
            @Value("${commdesk.api.max-body-bytes:1048576}") long maxBody,
            @Value("${commdesk.api.max-upload-bytes:10485760}") long maxUpload) {
        var r = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new com.commdesk.api.web.RequestGuards(problems, maxBody, maxUpload));
        r.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 10);
        return r;
    }

    /**
     * Per-client rate limits, after authentication (so a client is its token's subject). The buckets are in
     * PostgreSQL, shared by every replica, unless {@code commdesk.api.rate-limit.store=memory} (docs/security.md).
     */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<com.commdesk.api.web.RateLimits> rateLimits(
            com.commdesk.api.web.ProblemResponses problems, Environment env, LedgerDatabase db,
            io.micrometer.core.instrument.MeterRegistry metrics,
            @Value("${commdesk.api.rate-limit.per-minute:60000}") long perMinute,
            @Value("${commdesk.api.rate-limit.store:postgresql}") String store) {
        com.commdesk.api.web.RateLimitBuckets buckets = switch (store) {
            case "postgresql" -> com.commdesk.api.web.RateLimitBuckets.postgres(db.dataSource());
            case "memory" -> com.commdesk.api.web.RateLimitBuckets.inMemory();
            default -> throw new IllegalArgumentException("commdesk.api.rate-limit.store must be postgresql or memory, not '" + store + "'");
        };
        java.util.Map<String, Long> overrides = org.springframework.boot.context.properties.bind.Binder.get(env)
                .bind("commdesk.api.rate-limit.clients", org.springframework.boot.context.properties.bind.Bindable.mapOf(String.class, Long.class))
                .orElse(java.util.Map.of());
        var r = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new com.commdesk.api.web.RateLimits(problems, perMinute, overrides, buckets, metrics));
        r.setOrder(org.springframework.core.Ordered.LOWEST_PRECEDENCE - 200);
        return r;
    }

    /** Stored commission rules; the cached rule set rechecks the store's revision every commdesk.fees.rules-recheck (docs/rules.md). */
    @Bean
    com.commdesk.ledger.rules.CommissionRuleRepository commissionRuleRepository(LedgerDatabase db,
            @Value("${commdesk.fees.rules-recheck:PT0S}") Duration recheck) {
        return new com.commdesk.ledger.rules.CommissionRuleRepository(db.dsl(), recheck);
    }

    /** The platform-wide fee bounds (docs/rules.md): checked by every rule save and every quote. */
    @Bean
    com.commdesk.ledger.rules.FeeBoundsRepository feeBoundsRepository(LedgerDatabase db) {
        return new com.commdesk.ledger.rules.FeeBoundsRepository(db.dsl());
    }

    /** The schedule a fee quote uses when no stored rule matches: the same preset property as the worker's. */
    @Bean
    com.commdesk.fees.FeeSchedule defaultFeeSchedule(
            @Value("${commdesk.fees.default-schedule:" + com.commdesk.fees.FeeSchedules.RECOMMENDED_DEFAULT + "}") String name) {
        return switch (name) {
            case com.commdesk.fees.FeeSchedules.RECOMMENDED_DEFAULT -> com.commdesk.fees.FeeSchedules.recommendedDefault();
            case com.commdesk.fees.FeeSchedules.SEED_EXAMPLES -> com.commdesk.fees.FeeSchedules.seedExamples();
            default -> throw new IllegalArgumentException("commdesk.fees.default-schedule: unknown preset '" + name + "'");
        };
    }

    static TemporalSettings temporalSettings(Environment env) {
        return TemporalSettings.fromLookup(env::getProperty, "127.0.0.1:7233");
    }

    /** The Temporal SDK's metrics (queue lag, task failures, pollers) on /actuator/prometheus; closed after the stubs. */
    @Bean(destroyMethod = "close")
    com.uber.m3.tally.Scope temporalMetricsScope(io.micrometer.core.instrument.MeterRegistry registry,
                                                 @Value(com.commdesk.workflows.client.TemporalMetrics.REPORT_INTERVAL) Duration every) {
        return com.commdesk.workflows.client.TemporalMetrics.micrometerScope(registry, every);
    }

    @Bean(destroyMethod = "shutdown")
    WorkflowServiceStubs workflowServiceStubs(Environment env, com.uber.m3.tally.Scope temporalMetricsScope) {
        return TemporalConnections.connect(temporalSettings(env), Duration.ofSeconds(10), temporalMetricsScope);
    }

    /**
     * Temporal's own view of the payments task queue's backlog (how long the oldest task has waited for a worker), from
     * outside the workers: a stalled worker fleet reports no queue lag of its own (TaskQueueBacklog, docs/operations.md).
     */
    @Bean(destroyMethod = "close")
    com.commdesk.workflows.client.TaskQueueBacklog taskQueueBacklog(WorkflowServiceStubs stubs, Environment env,
            io.micrometer.core.instrument.MeterRegistry registry,
            @Value(com.commdesk.workflows.client.TaskQueueBacklog.INTERVAL) Duration every) {
        return com.commdesk.workflows.client.TaskQueueBacklog.over(stubs, temporalSettings(env).namespace(),
                com.commdesk.workflows.payment.PaymentWorkflow.TASK_QUEUE, registry, Duration.ofSeconds(5)).start(every);
    }

    /**
     * A WorkflowClient that a worker in the same process is registered on (the dev stack puts the worker's
     * here): PaymentStarter starts payments through it, so those starts can be eager
     * ({@link com.commdesk.api.payment.PaymentsController#startOptions}); every other call keeps the API's own client.
     */
    public record SharedWorkflowClient(WorkflowClient client) {}

    @Bean
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, Environment env) {
        return TemporalConnections.client(stubs, temporalSettings(env));
    }

    /** /actuator/health includes Temporal: the API is useless if it cannot start workflows. */
    @Bean
    HealthIndicator temporal(WorkflowServiceStubs stubs) {
        return () -> {
            try {
                stubs.healthCheck();
                return Health.up().build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("error", String.valueOf(e.getMessage())).build();
            }
        };
    }
}
