package com.commdesk.activities.refund;

import com.commdesk.activities.cashfree.CashfreeNotFoundException;
import com.commdesk.activities.cashfree.CashfreeRefunds;
import com.commdesk.activities.cashfree.CashfreePgAdapter;
import com.commdesk.activities.cashfree.CashfreeRejectedException;
import com.commdesk.activities.cashfree.CashfreeUnavailableException;
import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.LedgerQueries;
import com.commdesk.ledger.RefundLedger;
import com.commdesk.ledger.RefundPosting;
import com.commdesk.workflows.refund.CashfreeRefundState;
import com.commdesk.workflows.refund.RefundActivities;
import com.commdesk.workflows.refund.RefundFailures;
import com.commdesk.workflows.refund.RefundOutcome;
import com.commdesk.workflows.refund.RefundRequest;
import com.commdesk.workflows.refund.RefundReservation;
import com.commdesk.workflows.refund.RefundStatusEvent;
import com.commdesk.workflows.refund.RefundTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The I/O of a refund: the ledger's reservation and outcomes, and Cashfree's refund. */
public final class RefundActivitiesImpl implements RefundActivities {
    private static final Logger log = LoggerFactory.getLogger(RefundActivitiesImpl.class);
    /** Refund ids whose mismatch this process has counted and logged (bounded; after a restart one is reported once more). */
    private static final int REPORTED = 10_000;
    private final LedgerQueries queries;
    private final RefundLedger ledger;
    private final CashfreeRefunds cashfree;
    private final RefundPosting.GatewayFee gatewayFeePolicy;
    private final RefundPosting.PlatformFee platformFeePolicy;
    private final Counter receivables;
    private final Counter mismatches;
    private final Set<String> mismatchReported = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REPORTED;
        }
    }));

    public RefundActivitiesImpl(LedgerQueries queries, RefundLedger ledger, CashfreeRefunds cashfree,
                                RefundPosting.GatewayFee gatewayFeePolicy, RefundPosting.PlatformFee platformFeePolicy,
                                MeterRegistry metrics) {
        this.queries = queries;
        this.ledger = ledger;
        this.cashfree = cashfree;
        this.gatewayFeePolicy = gatewayFeePolicy;
        this.platformFeePolicy = platformFeePolicy;
        this.receivables = Counter.builder("commdesk.refunds.receivable").baseUnit("paise")
                .description("Refund amounts members owe because they were already paid out (alert on growth)").register(metrics);
        this.mismatches = Counter.builder("commdesk.refunds.cashfree.mismatch")
                .description("Refunds held for an operator because Cashfree's record of our refund id has another amount or order"
                        + " (counted once per refund and process; the money stays reserved)").register(metrics);
    }

    // ---- v1 ----------------------------------------------------------------------------------------

    @Override
    public RefundReservation reserve(RefundRequest request) {
        LedgerQueries.Refundable p = queries.refundable(request.paymentId()).orElseThrow(() ->
                ApplicationFailure.newNonRetryableFailure("payment " + request.paymentId() + " is not posted", RefundFailures.NOT_REFUNDABLE));
        try {
            RefundPosting.Posted posted = ledger.reserve(posting(request, p.transactionId()));
            if (posted.newlyPosted() && posted.toReceivablePaise() > 0) receivables.increment(posted.toReceivablePaise());
            return new RefundReservation(p.transactionId().toString(), p.cashfreeOrderId(), posted.journalId(), posted.fromPendingPaise(),
                    posted.fromAvailablePaise(), posted.toReceivablePaise());
        } catch (LedgerException e) {
            throw ledgerFailure(e, RefundFailures.NOT_REFUNDABLE);
        }
    }

    @Override
    public CashfreeRefundState askCashfree(RefundRequest request, String cashfreeOrderId) {
        try {
            return ours(request, cashfreeOrderId, "answer to our create",
                    cashfree.createRefund(cashfreeOrderId, request.refundId(), request.amountPaise(), request.reason()));
        } catch (CashfreeUnavailableException e) {
            throw ApplicationFailure.newFailure("Cashfree unavailable: " + e.getMessage(), "CashfreeUnavailable");
        } catch (CashfreeRejectedException e) {
            if (e.errorCode().filter(CashfreePgAdapter.REFUND_MISMATCH::equals).isPresent()) {
                // Cashfree has this refund id for another amount: money may be leaving there, so this is no refusal. Not
                // retryable either (the answer will not change): the workflow keeps the reservation and asks an operator.
                throw mismatch(request, "Cashfree has this refund with another amount: " + e.getMessage());
            }
            throw ApplicationFailure.newNonRetryableFailure("Cashfree refused the refund: " + e.getMessage(), RefundFailures.CASHFREE_REFUSED);
        } catch (CashfreeNotFoundException e) {
            throw ApplicationFailure.newNonRetryableFailure("Cashfree refused the refund: " + e.getMessage(), RefundFailures.CASHFREE_REFUSED);
        }
    }


    @Override
    public CashfreeRefundState cashfreeStatus(RefundRequest request, String cashfreeOrderId) {
        try {
            return cashfree.refund(cashfreeOrderId, request.refundId())
                    .map(r -> ours(request, cashfreeOrderId, "record", r))
                    .orElse(new CashfreeRefundState(null, CashfreeRefundState.NOT_FOUND));
        } catch (CashfreeUnavailableException e) {
            throw ApplicationFailure.newFailure("Cashfree unavailable: " + e.getMessage(), "CashfreeUnavailable");
        } catch (CashfreeRejectedException e) {
            // Not an answer about the refund (auth, bad request): unknown, never "not found".
            throw ApplicationFailure.newFailure("Cashfree refused the status request: " + e.getMessage(), "CashfreeStatusUnknown");
        }
    }

    /**
     * A REFUND_STATUS webhook is only a trigger: the outcome handed to the workflow is Cashfree's record as fetched now,
     * checked by {@link #ours} like every other answer. The webhook's own status is used only where the fetch cannot read
     * it (the SDK reads FAILED as UNKNOWN), the record is ours, and the webhook says FAILED: the SDK reads SUCCESS and
     * CANCELLED itself, so a webhook saying either against a record it cannot read is a contradiction (review s12), and
     * the status stays UNKNOWN (the workflow keeps asking, then an operator).
     */
    @Override
    public CashfreeRefundState confirmOutcome(RefundRequest request, String cashfreeOrderId, RefundStatusEvent event) {
        CashfreeRefundState now = cashfreeStatus(request, cashfreeOrderId);
        if ("UNKNOWN".equals(now.status()) && event != null && "FAILED".equals(event.status())) {
            return new CashfreeRefundState(now.cfRefundId(), event.status());
        }
        return now;
    }

    /**
     * The one place that decides "this Cashfree answer is about our refund": Cashfree's record must carry our refund id,
     * the order we refund and our amount, to the paisa (its rupees were read as BigDecimal and converted exactly by the
     * adapter; a fraction of a paisa never gets here). Anything else is the mismatch: no status of that record reaches
     * the workflow, which keeps the money reserved and hands the refund to an operator.
     */
    private CashfreeRefundState ours(RefundRequest request, String cashfreeOrderId, String what, CashfreeRefunds.CashfreeRefund r) {
        if (!request.refundId().equals(r.refundId()) || !cashfreeOrderId.equals(r.orderId()) || r.amountPaise() != request.amountPaise()) {
            throw mismatch(request, "Cashfree's " + what + " of refund " + request.refundId() + " is refund " + r.refundId() + " of order "
                    + r.orderId() + " for " + r.amountPaise() + " paise (" + r.status() + "); ours is of order " + cashfreeOrderId
                    + " for " + request.amountPaise() + " paise: held for an operator, the money stays reserved");
        }
        return new CashfreeRefundState(r.cfRefundId(), r.status() == null ? "UNKNOWN" : r.status());
    }

    /** Non-retryable (the record will not change by asking again); counted and logged once per refund and process. */
    private ApplicationFailure mismatch(RefundRequest request, String reason) {
        if (mismatchReported.add(request.refundId())) {
            mismatches.increment();
            log.warn("refund {}: {}", request.refundId(), reason);
        }
        return ApplicationFailure.newNonRetryableFailure(reason, RefundFailures.CASHFREE_REFUND_MISMATCH);
    }

    @Override
    public RefundOutcome settle(RefundRequest request, String cashfreeRefundId) {
        try {
            return outcome(ledger.settle(request.refundId(), cashfreeRefundId));
        } catch (LedgerException e) {
            throw ledgerFailure(e, RefundFailures.LEDGER_REFUSED);
        }
    }

    @Override
    public RefundOutcome settleResolved(RefundRequest request, String cashfreeRefundId, String decidedBy) {
        try {
            return outcome(ledger.settle(request.refundId(), cashfreeRefundId, decidedBy));
        } catch (LedgerException e) {
            throw ledgerFailure(e, RefundFailures.LEDGER_REFUSED);
        }
    }

    @Override
    public RefundOutcome cancel(RefundRequest request, String outcome, String detail, String decidedBy) {
        try {
            return outcome(ledger.cancel(request.refundId(), RefundLedger.Status.valueOf(outcome), detail, decidedBy));
        } catch (LedgerException e) {
            throw ledgerFailure(e, RefundFailures.LEDGER_REFUSED);
        }
    }

    private static RefundOutcome outcome(RefundLedger.Refund r) {
        return new RefundOutcome(r.outcomeJournalId() == null ? r.journalId() : r.outcomeJournalId(), r.fromPendingPaise(),
                r.fromAvailablePaise(), r.toReceivablePaise());
    }

    private RefundPosting posting(RefundRequest request, UUID transactionId) {
        return new RefundPosting(request.refundId(), transactionId, RefundPosting.Kind.valueOf(request.kind().name()), request.amountPaise(),
                request.reason(), gatewayFeePolicy, platformFeePolicy);
    }

    /** A database that is away or busy is retried; anything else the books refuse is final for this input. */
    private static ApplicationFailure ledgerFailure(LedgerException e, String type) {
        if (e.retryable()) return ApplicationFailure.newFailure(e.getMessage(), "LedgerUnavailable");
        return ApplicationFailure.newNonRetryableFailure(e.code() + ": " + e.getMessage(), type);
    }

    // ---- v0 (histories started before v1) ------------------------------------------------------------

    @Override
    public RefundTarget check(RefundRequest request) {
        LedgerQueries.Refundable p = queries.refundable(request.paymentId()).orElseThrow(() ->
                ApplicationFailure.newNonRetryableFailure("payment " + request.paymentId() + " is not posted", RefundFailures.NOT_REFUNDABLE));
        if (p.reversed()) {
            throw ApplicationFailure.newNonRetryableFailure("payment " + request.paymentId() + " was reversed", RefundFailures.NOT_REFUNDABLE);
        }
        // A retry of this same refund after it was posted is fine: posting is idempotent by refund id.
        if (request.amountPaise() > p.remainingPaise() && !queries.refundExists(request.refundId())) {
            throw ApplicationFailure.newNonRetryableFailure("refunding " + request.amountPaise() + " paise exceeds the "
                    + p.remainingPaise() + " paise still refundable", RefundFailures.NOT_REFUNDABLE);
        }
        return new RefundTarget(p.transactionId().toString(), p.cashfreeOrderId(), p.remainingPaise());
    }

    @Override
    public String refundAtCashfree(RefundRequest request, String cashfreeOrderId) {
        return askCashfree(request, cashfreeOrderId).cfRefundId();
    }

    @Override
    public RefundOutcome post(RefundRequest request, String transactionId) {
        try {
            RefundPosting.Posted posted = ledger.postRefund(posting(request, UUID.fromString(transactionId)));
            if (posted.newlyPosted() && posted.toReceivablePaise() > 0) receivables.increment(posted.toReceivablePaise());
            return new RefundOutcome(posted.journalId(), posted.fromPendingPaise(), posted.fromAvailablePaise(), posted.toReceivablePaise());
        } catch (LedgerException e) {
            throw ledgerFailure(e, "LedgerRefused");
        }
    }
}
