package com.commdesk.ledger.payout;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backstop for Cashfree answers a payout's workflow accepted but never acted on (review P3): a PAID payout whose recorded
 * Cashfree status says the money came back ({@link LateAnswers#unpostedReturns}) and whose workflow is no longer
 * running is posted through {@link LateAnswers#lateAnswer}, exactly as the webhook's late path would (idempotent: a
 * payout already reversed is no longer PAID, and every journal is keyed by the payout). A running workflow is left to
 * decide. In {@link Mode#LIST} nothing is posted and no workflow is asked about: the candidates are counted (ops read them
 * from the API). The
 * worker runs it periodically ({@code commdesk.payouts.late-sweep-interval}, {@code commdesk.payouts.late-sweep-mode}).
 */
public final class PayoutLateSweep {
    private static final Logger log = LoggerFactory.getLogger(PayoutLateSweep.class);

    /** What the sweep does with a candidate whose workflow has ended. */
    public enum Mode {
        /** Lists it only: nothing is posted and nothing is written (the worker's default, docs/payouts.md). */
        LIST,
        /** Posts it through {@link LateAnswers#lateAnswer}. */
        POST;

        /** {@code list} or {@code post}, any case; anything else is refused (a typo must not pick a mode). */
        public static Mode of(String setting) {
            if (setting != null) {
                switch (setting.strip().toLowerCase(Locale.ROOT)) {
                    case "list" -> { return LIST; }
                    case "post" -> { return POST; }
                    default -> { }
                }
            }
            throw new IllegalArgumentException("late-answer sweep mode must be list or post, not " + setting);
        }
    }

    private final LateAnswers payouts;
    private final Predicate<String> workflowRunning;
    private final Mode mode;

    /** {@code workflowRunning}: whether the payout's workflow (id = payout id) is still running. */
    public PayoutLateSweep(LateAnswers payouts, Predicate<String> workflowRunning, Mode mode) {
        this.payouts = payouts;
        this.workflowRunning = workflowRunning;
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
    }

    public Mode mode() {
        return mode;
    }

    /**
     * What one sweep found: candidates, left to their running workflow, listed only ({@link Mode#LIST}: every candidate,
     * whether or not its workflow still runs), posted, and recorded for finance instead.
     */
    public record Result(int found, int running, int listed, int posted, int unposted) {}

    /**
     * One pass over every candidate, {@code pageSize} at a time (keyset: a page full of candidates whose workflow still
     * runs does not hide the ones after it). A candidate seen twice in one pass (changed while the pass ran) counts once.
     */
    public Result sweep(int pageSize) {
        if (pageSize < 1) throw new IllegalArgumentException("pageSize must be at least 1");
        if (mode == Mode.LIST) {
            // Lists only: one count, and no question to Temporal about each candidate's workflow, nor a log line for each, every
            // pass, for a list that posts nothing (finance reads it at GET /api/v1/finance/payouts/late-returns, which lists a
            // candidate whose workflow still runs too). The worker logs the pass's count.
            int found = Math.toIntExact(payouts.unpostedReturnsCount());
            return new Result(found, 0, found, 0, 0);
        }
        int running = 0, posted = 0, unposted = 0;
        Set<String> seen = new HashSet<>();
        LateAnswers.LateCandidate after = null;
        List<LateAnswers.LateCandidate> page;
        do {
            page = payouts.unpostedReturns(after, pageSize);
            for (LateAnswers.LateCandidate c : page) {
                after = c;
                Payout p = c.payout();
                if (!seen.add(p.payoutId())) continue;
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
        } while (page.size() == pageSize);
        return new Result(seen.size(), running, 0, posted, unposted);
    }
}
