package com.commdesk.worker;

import com.commdesk.activities.cashfree.CashfreeGateway;
import com.commdesk.activities.cashfree.CashfreeSettlements;
import com.commdesk.activities.recon.ReconciliationActivitiesImpl;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.recon.ReconException;
import com.commdesk.ledger.recon.ReconciliationRepository;
import com.commdesk.workflows.recon.ReconSchedule;
import com.commdesk.workflows.recon.ReconciliationWorkflow;
import com.commdesk.workflows.recon.ReconciliationWorkflowImpl;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reconciliation in the worker (docs/reconciliation.md): its task queue on the shared WorkerFactory
 * (registered before the factory starts), the one scheduled {@link ReconciliationWorkflow}, and the
 * metrics finance alerts on: open exceptions by kind and the last run's match rate.
 */
@Configuration(proxyBeanMethods = false)
public class ReconciliationWorkerConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ReconciliationWorkerConfiguration.class);

    @Bean
    ReconciliationRepository reconciliationRepository(LedgerDatabase db) {
        return new ReconciliationRepository(db.dsl());
    }

    @Bean
    Worker reconciliationWorker(WorkerFactory factory, CashfreeGateway cashfree, ReconciliationRepository recon) {
        if (!(cashfree instanceof CashfreeSettlements settlements)) {
            throw new IllegalStateException("the Cashfree gateway " + cashfree.getClass().getName() + " cannot fetch settlements");
        }
        Worker worker = factory.newWorker(ReconciliationWorkflow.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(ReconciliationWorkflowImpl.class);
        worker.registerActivitiesImplementations(new ReconciliationActivitiesImpl(settlements, recon));
        return worker;
    }

    /**
     * Starts the scheduled reconciliation once per Temporal namespace (a fixed workflow id: every replica may
     * try, one wins). Periods of {@code commdesk.reconciliation.period} (default a day, from 00:00 UTC),
     * reconciled {@code lag} after they end, counting settlements made up to {@code grace} after.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> reconciliationScheduleStarter(
            WorkflowClient client,
            @Value("${commdesk.reconciliation.enabled:true}") boolean enabled,
            @Value("${commdesk.reconciliation.period:P1D}") Duration period,
            @Value("${commdesk.reconciliation.lag:PT6H}") Duration lag,
            @Value("${commdesk.reconciliation.grace:PT3H}") Duration grace) {
        return event -> {
            if (!enabled) return;
            long start = Instant.now().truncatedTo(ChronoUnit.DAYS).toEpochMilli();
            ReconSchedule schedule = new ReconSchedule(start, period.toMillis(), lag.toMillis(), grace.toMillis(), 0, 30);
            ReconciliationWorkflow wf = client.newWorkflowStub(ReconciliationWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(ReconciliationWorkflow.TASK_QUEUE).setWorkflowId(ReconciliationWorkflow.SCHEDULED_ID).build());
            try {
                WorkflowClient.start(wf::run, schedule);
                log.info("reconciliation scheduled: every {} from {}, {} after each period", period, Instant.ofEpochMilli(start), lag);
            } catch (WorkflowExecutionAlreadyStarted e) {
                log.info("reconciliation already scheduled ({})", ReconciliationWorkflow.SCHEDULED_ID);
            }
        };
    }

    /** Gauges read the database when scraped: one grouped count and one row. */
    /** Marker bean: the gauges are registered when it is created. */
    record ReconciliationGauges(int count) {}

    @Bean
    ReconciliationGauges reconciliationMetrics(ReconciliationRepository recon, MeterRegistry metrics) {
        for (ReconException.Kind kind : ReconException.Kind.values()) {
            Gauge.builder("commdesk.reconciliation.exceptions.open", recon, r -> r.openCounts().get(kind))
                    .tag("kind", kind.name()).description("Open reconciliation exceptions").register(metrics);
        }
        for (String source : new String[] {"API", "CSV"}) {
            Gauge.builder("commdesk.reconciliation.match.rate", recon, r -> r.lastMatchRateBps(source).map(b -> b / 10_000.0).orElse(Double.NaN))
                    .tag("source", source).description("Share of Cashfree's payment lines (and our unsettled payments) that matched, last run")
                    .register(metrics);
        }
        return new ReconciliationGauges(ReconException.Kind.values().length + 2);
    }
}
