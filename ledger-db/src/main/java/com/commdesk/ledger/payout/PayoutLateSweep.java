package com.commdesk.ledger.payout;

import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backstop for Cashfree answers a payout's workflow accepted but never acted on (review P3): a PAID payout whose recorded
 * Cashfree status says the money came back ({@link PayoutRepository#unpostedReturns}) and whose workflow is no longer
 * running is posted through {@link PayoutRepository#lateAnswer}, exactly as the webhook's late path would (idempotent: a
 * payout already reversed is no longer PAID, and every journal is keyed by the payout). A running workflow is left to
 * decide. The worker runs it periodically ({@code commdesk.payouts.late-sweep-interval}).
 */
public final class PayoutLateSweep {
    private static final Logger log = LoggerFactory.getLogger(PayoutLateSweep.class);

    private final PayoutRepository payouts;
    private final Predicate<String> workflowRunning;

    /** {@code workflowRunning}: whether the payout's workflow (id = payout id) is still running. */
    public PayoutLateSweep(PayoutRepository payouts, Predicate<String> workflowRunning) {
        this.payouts = payouts;
        this.workflowRunning = workflowRunning;
    }

    /** What one sweep found: candidates, left to their running workflow, posted, and recorded for finance instead. */
    public record Result(int found, int running, int posted, int unposted) {}

    public Result sweep(int limit) {
        int running = 0, posted = 0, unposted = 0;
        var found = payouts.unpostedReturns(limit);
        for (PayoutRepository.Payout p : found) {
            if (workflowRunning.test(p.payoutId())) {
                running++;
                continue;
            }
            var done = payouts.lateAnswer(p.payoutId(), p.cashfreeStatus(), p.cashfreeStatus(), "recorded",
                    "sweep: Cashfree's recorded " + p.cashfreeStatus() + " was never posted");
            switch (done.action()) {
                case POSTED -> {
                    posted++;
                    log.warn("payout {}: Cashfree's {} was accepted but never acted on; posted by the sweep: {}", p.payoutId(),
                            p.cashfreeStatus(), done.detail());
                }
                case UNPOSTED -> {
                    unposted++;
                    log.error("payout {}: Cashfree's {} was never acted on and cannot be posted ({}): finance must look",
                            p.payoutId(), p.cashfreeStatus(), done.detail());
                }
                case RECORDED -> { }
            }
        }
        return new Result(found.size(), running, posted, unposted);
    }
}
