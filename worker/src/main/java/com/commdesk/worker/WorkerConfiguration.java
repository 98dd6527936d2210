package com.commdesk.worker;

import com.commdesk.activities.cashfree.CashfreeConfig;
import com.commdesk.activities.cashfree.CashfreeGateway;
import com.commdesk.activities.cashfree.CashfreePgAdapter;
import com.commdesk.activities.fraud.FraudScreen;
import com.commdesk.activities.payment.FeePolicy;
import com.commdesk.activities.refund.RefundActivitiesImpl;
import com.commdesk.ledger.RefundPosting;
import com.commdesk.workflows.refund.RefundWorkflowImpl;
import com.commdesk.activities.payment.PaymentActivitiesImpl;
import com.commdesk.activities.payment.RuleBasedFeePolicy;
import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.FraudRecords;
import com.commdesk.ledger.LedgerQueries;
import com.commdesk.ledger.PaymentOperations;
import com.commdesk.ledger.PaymentLedger;
import com.commdesk.ledger.RefundLedger;
import com.commdesk.ledger.PaymentGroupCommitter;
import com.commdesk.ledger.HoldQueue;
import com.commdesk.ledger.rules.CommissionRuleRepository;
import com.commdesk.workflows.client.TemporalConnections;
import com.commdesk.workflows.client.TemporalSettings;
import com.commdesk.workflows.payment.PaymentWorkflow;
import com.commdesk.workflows.payment.PaymentWorkflowImpl;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the activities to PostgreSQL and Cashfree and runs the Temporal workers. */
@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {
    private static final Logger log = LoggerFactory.getLogger(WorkerConfiguration.class);

    /** Settings are read by their environment-variable names, from the environment or Spring properties. */
    static Map<String, String> settings(Environment env, List<String> names) {
        Map<String, String> values = new HashMap<>();
        for (String name : names) {
            String v = env.getProperty(name);
            if (v != null) values.put(name, v);
        }
        return values;
    }

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

    /** The books' core: one journal writer and account cache for every use case of this worker. */
    @Bean
    com.commdesk.ledger.Ledger ledger(LedgerDatabase db) {
        return new com.commdesk.ledger.Ledger(db.dsl());
    }

    @Bean
    CashfreePgAdapter cashfreeGateway(Environment env) {
        CashfreeConfig config = CashfreeConfig.fromEnv(settings(env,
                List.of("CASHFREE_CLIENT_ID", "CASHFREE_CLIENT_SECRET", "CASHFREE_ENV", "CASHFREE_BASE_URL")));
        log.info("Cashfree: {}", config); // toString redacts the secret
        return new CashfreePgAdapter(config);
    }

    /**
     * Stored commission rules pick the schedule (docs/rules.md); a payment no rule matches gets the
     * {@code commdesk.fees.default-schedule} preset. {@code commdesk.fees.rules-recheck} is how often
     * the cached rule set checks the store's revision (default PT0S: on every payment, one index lookup).
     */
    @Bean
    FeePolicy feePolicy(@Value("${commdesk.fees.default-schedule:" + FeeSchedules.RECOMMENDED_DEFAULT + "}") String name,
                        @Value("${commdesk.fees.rules-recheck:PT0S}") Duration recheck, LedgerDatabase db) {
        FeeSchedule schedule = switch (name) {
            case FeeSchedules.RECOMMENDED_DEFAULT -> FeeSchedules.recommendedDefault();
            case FeeSchedules.SEED_EXAMPLES -> FeeSchedules.seedExamples();
            default -> throw new IllegalArgumentException("commdesk.fees.default-schedule: unknown preset '" + name + "'");
        };
        return new RuleBasedFeePolicy(new CommissionRuleRepository(db.dsl(), recheck), schedule, Clock.systemUTC());
    }

    /** Fraud thresholds; defaults in FraudScreen.Rules.defaults(), each overridable by a property. */
    @Bean
    FraudScreen.Rules fraudRules(Environment env) {
        FraudScreen.Rules d = FraudScreen.Rules.defaults();
        return new FraudScreen.Rules(
                env.getProperty("commdesk.fraud.max-payment-paise", Long.class, d.maxPaymentPaise()),
                env.getProperty("commdesk.fraud.max-per-customer", Integer.class, d.maxPerCustomer()),
                env.getProperty("commdesk.fraud.customer-window", Duration.class, d.customerWindow()),
                env.getProperty("commdesk.fraud.max-per-community", Integer.class, d.maxPerCommunity()),
                env.getProperty("commdesk.fraud.community-window", Duration.class, d.communityWindow()),
                env.getProperty("commdesk.fraud.community-velocity-multiplier", Integer.class, d.communityVelocityMultiplier()),
                env.getProperty("commdesk.fraud.community-baseline", Duration.class, d.communityBaseline()));
    }

    /**
     * Group commit for payment postings: the worker's concurrent postToLedger activities share
     * transactions (and their fsync) on {@code writers} connections, batches of up to
     * {@code max-batch} collected for at most {@code max-wait}. Each payment stays atomic and
     * idempotent (docs/ledger.md, "Throughput"). The writers come out of the datasource pool.
     */
    @Bean(destroyMethod = "close")
    PaymentGroupCommitter paymentGroupCommitter(com.commdesk.ledger.Ledger ledger,
            @Value("${commdesk.ledger.group-commit.max-batch:250}") int maxBatch,
            @Value("${commdesk.ledger.group-commit.max-wait:PT0.002S}") Duration maxWait,
            @Value("${commdesk.ledger.group-commit.writers:2}") int writers) {
        return new PaymentGroupCommitter(new PaymentLedger(ledger), maxBatch, maxWait, writers, 10_000);
    }

    @Bean
    PaymentActivitiesImpl paymentActivities(FraudScreen.Rules fraudRules, CashfreeGateway cashfree, LedgerDatabase db, FeePolicy feePolicy,
                                            com.commdesk.ledger.Ledger ledger, PaymentGroupCommitter committer, MeterRegistry metrics,
                                            @Value("${commdesk.payments.unpaid-order-wait:PT10M}") Duration unpaidOrderWait) {
        return new PaymentActivitiesImpl(cashfree, new CommunityRepository(db.dsl()), new PaymentLedger(ledger), committer,
                new HoldQueue(db.dsl()), feePolicy,
                new FraudScreen(new FraudRecords(db.dsl()), fraudRules, metrics),
                new PaymentOperations(db.dsl()), metrics).unpaidOrderWait(unpaidOrderWait);
    }

    /** The Temporal SDK's metrics (queue lag, task failures, pollers) on /actuator/prometheus; closed after the stubs. */
    @Bean(destroyMethod = "close")
    com.uber.m3.tally.Scope temporalMetricsScope(io.micrometer.core.instrument.MeterRegistry registry,
                                                 @Value(com.commdesk.workflows.client.TemporalMetrics.REPORT_INTERVAL) Duration every) {
        return com.commdesk.workflows.client.TemporalMetrics.micrometerScope(registry, every);
    }

    @Bean(destroyMethod = "shutdown")
    WorkflowServiceStubs workflowServiceStubs(Environment env, com.uber.m3.tally.Scope temporalMetricsScope) {
        TemporalSettings settings = TemporalSettings.fromLookup(env::getProperty, "127.0.0.1:7233");
        log.info("Temporal: {}", settings);
        return TemporalConnections.connect(settings, Duration.ofSeconds(10), temporalMetricsScope);
    }

    /** Temporal's own view of the task queue's backlog, as the API reports it too (TaskQueueBacklog, docs/operations.md). */
    @Bean(destroyMethod = "close")
    com.commdesk.workflows.client.TaskQueueBacklog taskQueueBacklog(WorkflowServiceStubs stubs, Environment env,
            io.micrometer.core.instrument.MeterRegistry registry,
            @Value(com.commdesk.workflows.client.TaskQueueBacklog.INTERVAL) Duration every) {
        return com.commdesk.workflows.client.TaskQueueBacklog.over(stubs,
                TemporalSettings.fromLookup(env::getProperty, "127.0.0.1:7233").namespace(), PaymentWorkflow.TASK_QUEUE, registry,
                Duration.ofSeconds(5)).start(every);
    }

    @Bean
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, Environment env) {
        return TemporalConnections.client(stubs, TemporalSettings.fromLookup(env::getProperty, "127.0.0.1:7233"));
    }

    /** Refund policy: who bears Cashfree's kept fee and whether the platform fee is refunded (docs/refunds.md). */
    @Bean
    RefundActivitiesImpl refundActivities(LedgerDatabase db, com.commdesk.ledger.Ledger ledger, CashfreePgAdapter cashfree, MeterRegistry metrics,
            @Value("${commdesk.refunds.gateway-fee:BORNE_BY_COMMUNITY}") RefundPosting.GatewayFee gatewayFee,
            @Value("${commdesk.refunds.platform-fee:REFUNDED}") RefundPosting.PlatformFee platformFee) {
        return new RefundActivitiesImpl(new LedgerQueries(db.dsl()), new RefundLedger(ledger), cashfree, gatewayFee, platformFee, metrics);
    }

    @Bean
    WorkerFactory workerFactory(WorkflowClient client, PaymentActivitiesImpl activities,
                                com.commdesk.activities.payout.PayoutActivitiesImpl payoutActivities, RefundActivitiesImpl refundActivities,
                                @Value("${commdesk.worker.max-concurrent-activities:64}") int maxActivities,
                                @Value("${commdesk.worker.max-concurrent-workflow-tasks:64}") int maxWorkflowTasks) {
        WorkerFactory factory = WorkerFactory.newInstance(client,
                io.temporal.worker.WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new LogContextInterceptor()).build());
        Worker worker = factory.newWorker(PaymentWorkflow.TASK_QUEUE, WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(maxActivities)
                .setMaxConcurrentWorkflowTaskExecutionSize(maxWorkflowTasks)
                .build());
        worker.registerWorkflowImplementationTypes(PaymentWorkflowImpl.class, RefundWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities, refundActivities);
        worker.registerWorkflowImplementationTypes(com.commdesk.workflows.payout.PayoutWorkflowImpl.class,
                com.commdesk.workflows.payout.SettlementWorkflowImpl.class, com.commdesk.workflows.payout.SettlementCycleWorkflowImpl.class);
        worker.registerActivitiesImplementations(payoutActivities);
        return factory;
    }

    /** Starts polling once the context is up; on shutdown stops polling and lets running tasks finish. */
    @Bean
    SmartLifecycle workerLifecycle(WorkerFactory factory) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                factory.start();
                running = true;
                log.info("Temporal worker polling task queue {}", PaymentWorkflow.TASK_QUEUE);
            }

            @Override
            public void stop() {
                factory.shutdown();
                factory.awaitTermination(30, TimeUnit.SECONDS);
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
