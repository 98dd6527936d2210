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
import com.commdesk.workflows.refund.RefundTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.util.UUID;

/** The I/O of a refund: the ledger's reservation and outcomes, and Cashfree's refund. */
public final class RefundActivitiesImpl implements RefundActivities {
    private final LedgerQueries queries;
    private final RefundLedger ledger;
    private final CashfreeRefunds cashfree;
    private final RefundPosting.GatewayFee gatewayFeePolicy;
    private final RefundPosting.PlatformFee platformFeePolicy;
    private final Counter receivables;

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
            CashfreeRefunds.CashfreeRefund r = cashfree.createRefund(cashfreeOrderId, request.refundId(), request.amountPaise(), request.reason());
            return new CashfreeRefundState(r.cfRefundId(), r.status() == null ? "UNKNOWN" : r.status());
        } catch (CashfreeUnavailableException e) {
            throw ApplicationFailure.newFailure("Cashfree unavailable: " + e.getMessage(), "CashfreeUnavailable");
        } catch (CashfreeRejectedException e) {
            if (e.errorCode().filter(CashfreePgAdapter.REFUND_MISMATCH::equals).isPresent()) {
                // Cashfree has this refund id for another amount: money may be leaving there, so this is no refusal. Not
                // retryable either (the answer will not change): the workflow keeps the reservation and asks an operator.
                throw ApplicationFailure.newNonRetryableFailure("Cashfree has this refund with another amount: " + e.getMessage(),
                        RefundFailures.CASHFREE_REFUND_MISMATCH);
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
                    .map(r -> new CashfreeRefundState(r.cfRefundId(), r.status() == null ? "UNKNOWN" : r.status()))
                    .orElse(new CashfreeRefundState(null, CashfreeRefundState.NOT_FOUND));
        } catch (CashfreeUnavailableException e) {
            throw ApplicationFailure.newFailure("Cashfree unavailable: " + e.getMessage(), "CashfreeUnavailable");
        } catch (CashfreeRejectedException e) {
            // Not an answer about the refund (auth, bad request): unknown, never "not found".
            throw ApplicationFailure.newFailure("Cashfree refused the status request: " + e.getMessage(), "CashfreeStatusUnknown");
        }
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
