package com.commdesk.api.refund;

import com.commdesk.workflows.refund.RefundStatus;
import com.commdesk.workflows.refund.RefundWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * The stages of a page of refunds, asked of their workflows (a {@code status()} query each) together and for at most
 * {@code wait} in all, so a list an operator opens while Temporal is slow or down still answers (s18: the list used to ask
 * each workflow in turn, as long as each query took, and call a query that failed "no workflow"). Limits on everything: at
 * most {@code perPage} queries of one page in flight, at most {@code inAll} across every page being listed, each waited
 * for only within the page's time (a query that gets no slot in time is not sent, and says so). Virtual threads (a query
 * is a blocking gRPC call that mostly waits), each with the request's log context.
 */
public final class RefundStages {
    /**
     * What a row's stage rests on: ANSWERED (the workflow's own); NO_WORKFLOW (none by the refund's id, e.g. an embedded
     * server restarted: the books still list the refund); NOT_ANSWERED (asked, and no answer in time, or an error);
     * NOT_ASKED (the page's time ran out before a query slot was free). The last two mean the stage is not known, which is
     * not the same as no workflow.
     */
    public enum Answer { ANSWERED, NO_WORKFLOW, NOT_ANSWERED, NOT_ASKED }

    record Stage(RefundStatus status, Answer answer) {}

    /** Thrown inside a task that got no slot: the row is NOT_ASKED. */
    private static final class NotAsked extends Exception {
        NotAsked() {
            super(null, null, false, false);
        }
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RefundStages.class);

    private final WorkflowClient workflows;
    private final int perPage;
    private final Semaphore inAll;
    private final Duration wait;
    private final ExecutorService queries = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("refund-stage-", 0).factory());

    RefundStages(WorkflowClient workflows, int perPage, int inAll, Duration wait) {
        if (perPage < 1 || inAll < perPage || wait.isNegative() || wait.isZero()) {
            throw new IllegalArgumentException("need 1 <= perPage <= inAll and a positive wait");
        }
        this.workflows = workflows;
        this.perPage = perPage;
        this.inAll = new Semaphore(inAll, true);
        this.wait = wait;
    }

    /** One stage per refund id, in order. */
    List<Stage> of(List<String> refundIds) {
        if (refundIds.isEmpty()) return List.of();
        long deadline = System.nanoTime() + wait.toNanos();
        Semaphore page = new Semaphore(perPage, true);
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        List<Callable<RefundStatus>> asks = new ArrayList<>(refundIds.size());
        // Which queries were sent (set just before the call): a task cancelled at the deadline before that was never asked.
        // The page is closed before its tasks are cancelled, so a task that gets a slot freed by a cancelled one does not
        // send its query afterwards.
        java.util.concurrent.atomic.AtomicIntegerArray sent = new java.util.concurrent.atomic.AtomicIntegerArray(refundIds.size());
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        for (int i = 0; i < refundIds.size(); i++) {
            String id = refundIds.get(i);
            int k = i;
            asks.add(() -> {
                if (logContext != null) MDC.setContextMap(logContext);
                try {
                    if (!page.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) throw new NotAsked();
                    try {
                        if (!inAll.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) throw new NotAsked();
                        try {
                            if (closed.get()) throw new NotAsked();
                            sent.set(k, 1);
                            return workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(id)).status();
                        } finally {
                            inAll.release();
                        }
                    } finally {
                        page.release();
                    }
                } finally {
                    MDC.clear();
                }
            });
        }
        List<Future<RefundStatus>> answers = new ArrayList<>(asks.size());
        try {
            for (Callable<RefundStatus> ask : asks) answers.add(queries.submit(ask));
            for (Future<RefundStatus> f : answers) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                try {
                    f.get(left, TimeUnit.NANOSECONDS);
                } catch (ExecutionException | java.util.concurrent.CancellationException done) {
                    // classified below
                }
            }
        } catch (java.util.concurrent.TimeoutException late) {
            // the page's time is up: what is not done by now is not known
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RejectedExecutionException stopping) {
            // closed: the rows not submitted are NOT_ASKED below
        }
        closed.set(true);
        for (Future<RefundStatus> f : answers) f.cancel(true); // no effect on those done
        List<Stage> out = new ArrayList<>(refundIds.size());
        int unknown = 0;
        String why = null;
        for (int i = 0; i < refundIds.size(); i++) {
            Future<RefundStatus> f = i < answers.size() ? answers.get(i) : null;
            Stage stage;
            if (f == null) {
                stage = new Stage(null, Answer.NOT_ASKED);
                why = "stopping";
            } else if (f.isCancelled()) {
                boolean asked = sent.get(i) == 1;
                stage = new Stage(null, asked ? Answer.NOT_ANSWERED : Answer.NOT_ASKED);
                why = asked ? "no answer within " + wait : "no query slot within " + wait;
            } else {
                try {
                    stage = new Stage(f.get(), Answer.ANSWERED);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    stage = new Stage(null, cause instanceof WorkflowNotFoundException ? Answer.NO_WORKFLOW
                            : cause instanceof NotAsked ? Answer.NOT_ASKED : Answer.NOT_ANSWERED);
                    if (stage.answer() == Answer.NOT_ANSWERED) {
                        why = cause.getClass().getSimpleName() + " " + com.commdesk.api.payment.PaymentStarter.codeOf(cause);
                    }
                    if (stage.answer() == Answer.NOT_ASKED) why = "no query slot within " + wait;
                } catch (InterruptedException | java.util.concurrent.CancellationException e) {
                    if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                    stage = new Stage(null, Answer.NOT_ASKED);
                }
            }
            if (stage.answer() == Answer.NOT_ANSWERED || stage.answer() == Answer.NOT_ASKED) unknown++;
            out.add(stage);
        }
        if (unknown > 0) log.warn("refund stages: {} of {} not known (last: {})", unknown, refundIds.size(), why);
        return out;
    }

    void close() {
        queries.shutdownNow();
    }
}
