package com.commdesk.worker;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.payout.PayoutLateSweep;
import com.commdesk.ledger.payout.LateAnswers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs {@link PayoutLateSweep} periodically in every worker replica (safe concurrently: each post takes the payout's row
 * lock and is keyed by the payout): a PAID payout whose recorded Cashfree answer says the money came back, with no running
 * workflow, is posted, or only listed: {@code commdesk.payouts.late-sweep-mode} ({@code PAYOUTS_LATE_SWEEP_MODE}) is
 * {@code list} unless set to {@code post} (fail closed: a first deploy over old data lists before it moves money; ops and
 * finance read the list at {@code GET /api/v1/finance/payouts/late-returns}, docs/payouts.md).
 * {@code commdesk.payouts.late.unposted} (gauge): such payouts found by the last sweep and not posted (mode list: every
 * candidate, its workflow running or not; mode post: could not be posted; alert if it stays above 0); {@code commdesk.payouts.late.swept} counts the posts.
 */
@Component
public class PayoutLateSweeps {
    private static final Logger log = LoggerFactory.getLogger(PayoutLateSweeps.class);

    private final PayoutLateSweep sweep;
    private final int batch;
    private final AtomicInteger unposted = new AtomicInteger();
    private final Counter swept;

    public PayoutLateSweeps(LedgerDatabase db, WorkflowClient client, MeterRegistry metrics,
                            @Value("${commdesk.payouts.late-sweep-batch:500}") int batch,
                            @Value("${commdesk.payouts.late-sweep-mode:list}") String mode) {
        this.sweep = new PayoutLateSweep(new LateAnswers(db.dsl()), payoutId -> running(client, payoutId),
                PayoutLateSweep.Mode.of(mode));
        if (sweep.mode() == PayoutLateSweep.Mode.LIST) {
            log.warn("payout late-answer sweep lists only (commdesk.payouts.late-sweep-mode=list): candidates are at"
                    + " GET /api/v1/finance/payouts/late-returns; set it to post once finance has reviewed them");
        }
        this.batch = batch;
        Gauge.builder("commdesk.payouts.late.unposted", unposted, AtomicInteger::get)
                .description("PAID payouts whose recorded Cashfree answer (REVERSED, or FAILED after a confirm-paid) is not posted,"
                        + " found by the last sweep and not posted by it: every candidate in mode list (its workflow may still be"
                        + " running), or refused in mode post (alert if it stays above 0)")
                .register(metrics);
        this.swept = Counter.builder("commdesk.payouts.late.swept")
                .description("Cashfree answers accepted by a payout workflow that ended without acting on them, posted by the sweep")
                .register(metrics);
    }

    static boolean running(WorkflowClient client, String payoutId) {
        try {
            return client.newUntypedWorkflowStub(payoutId).describe().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        } catch (WorkflowNotFoundException gone) {
            return false;
        }
    }

    @Scheduled(fixedDelayString = "${commdesk.payouts.late-sweep-interval:PT10M}",
            initialDelayString = "${commdesk.payouts.late-sweep-initial-delay:PT1M}")
    public void sweep() {
        PayoutLateSweep.Result r;
        try {
            r = sweep.sweep(batch);
        } catch (LedgerException e) {
            if (!e.retryable()) throw e;
            log.warn("payout late-answer sweep interrupted, will retry: {}", e.getMessage());
            return;
        }
        swept.increment(r.posted());
        unposted.set(r.found() - r.running() - r.posted());
        if (r.found() > 0) log.info("payout late-answer sweep: {}", r);
    }
}
