package com.commdesk.activities.refund;

import com.commdesk.activities.cashfree.CashfreeNotFoundException;
import com.commdesk.activities.cashfree.CashfreeRefunds;
import com.commdesk.activities.cashfree.CashfreeRejectedException;
import com.commdesk.activities.cashfree.CashfreeUnavailableException;
import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.LedgerQueries;
import com.commdesk.ledger.RefundLedger;
import com.commdesk.ledger.RefundPosting;
import com.commdesk.workflows.refund.RefundActivities;
import com.commdesk.workflows.refund.RefundFailures;
import com.commdesk.workflows.refund.RefundOutcome;
import com.commdesk.workflows.refund.RefundRequest;
import com.commdesk.workflows.refund.RefundTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.util.UUID;

/** The I/O of a refund: the ledger's view of the payment, Cashfree's refund, the REFUND journal. */
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

    @Override
    public RefundTarget check(RefundRequest request) {
        LedgerQueries.Refundable p = queries.refundable(request.paymentId()).orElseThrow(() ->
                ApplicationFailure.newNonRetryableFailure("payment " + request.paymentId() + " is not posted", RefundFailures.NOT_REFUNDABLE));
        if (p.reversed()) {
            throw ApplicationFailure.newNonRetryableFailure("payment " + request.paymentId() + " was reversed", RefundFailures.NOT_REFUNDABLE);
        }
        // A retry of this same refund after it was posted is fine: posting is idempotent by refund id.
        if (request.amountPaise() > p.remainingPaise() && !alreadyPosted(request)) {
            throw ApplicationFailure.newNonRetryableFailure("refunding " + request.amountPaise() + " paise exceeds the "
                    + p.remainingPaise() + " paise still refundable", RefundFailures.NOT_REFUNDABLE);
        }
        return new RefundTarget(p.transactionId().toString(), p.cashfreeOrderId(), p.remainingPaise());
    }

    private boolean alreadyPosted(RefundRequest request) {
        return queries.refundable(request.paymentId()).isPresent() && queries.refundExists(request.refundId());
    }

    @Override
    public String refundAtCashfree(RefundRequest request, String cashfreeOrderId) {
        try {
            return cashfree.createRefund(cashfreeOrderId, request.refundId(), request.amountPaise(), request.reason()).cfRefundId();
        } catch (CashfreeUnavailableException e) {
            throw ApplicationFailure.newFailure("Cashfree unavailable: " + e.getMessage(), "CashfreeUnavailable");
        } catch (CashfreeNotFoundException | CashfreeRejectedException e) {
            throw ApplicationFailure.newNonRetryableFailure("Cashfree refused the refund: " + e.getMessage(), RefundFailures.CASHFREE_REFUSED);
        }
    }

    @Override
    public RefundOutcome post(RefundRequest request, String transactionId) {
        try {
            RefundPosting.Posted posted = ledger.postRefund(new RefundPosting(request.refundId(), UUID.fromString(transactionId),
                    RefundPosting.Kind.valueOf(request.kind().name()), request.amountPaise(), request.reason(),
                    gatewayFeePolicy, platformFeePolicy));
            if (posted.newlyPosted() && posted.toReceivablePaise() > 0) receivables.increment(posted.toReceivablePaise());
            return new RefundOutcome(posted.journalId(), posted.fromPendingPaise(), posted.fromAvailablePaise(), posted.toReceivablePaise());
        } catch (LedgerException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "LedgerRefused");
        }
    }
}
