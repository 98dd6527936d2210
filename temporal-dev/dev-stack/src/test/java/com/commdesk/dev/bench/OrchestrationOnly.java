package com.commdesk.dev.bench;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.CommunityConfig;
import com.commdesk.workflows.payment.Allocation;
import com.commdesk.workflows.payment.FeeCalculation;
import com.commdesk.workflows.payment.FraudVerdict;
import com.commdesk.workflows.payment.HoldsQueued;
import com.commdesk.workflows.payment.LedgerPosting;
import com.commdesk.workflows.payment.PaymentActivities;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.PayoutHandover;
import com.commdesk.workflows.payment.VerifiedPayment;
import com.commdesk.fees.RoleSplit;
import java.util.List;
import java.util.UUID;

/**
 * PaymentActivities that do no I/O, for {@link WorkflowShapeBenchmark}'s third shape: the real PaymentWorkflowImpl (its
 * options, search attributes, versions and payloads) with steps that answer at once. Each answer is what the real step
 * would give the demo community's payment, computed by the same pure engines (so the payloads are as large as the real
 * ones), never written anywhere. What this shape costs above the bare one is our orchestration; what ours costs above
 * this one is the steps' own work (Cashfree, PostgreSQL). A benchmark instrument only: the worker never registers it.
 */
final class OrchestrationOnly implements PaymentActivities {
    static final String TASK_QUEUE = "commdesk-bench-orchestration";

    private final CommunityConfig community;

    OrchestrationOnly(CommunityConfig community) {
        this.community = community;
    }

    @Override
    public VerifiedPayment verifyWithCashfree(PaymentRequest request) {
        return new VerifiedPayment(request.cashfreeOrderId(), "cf_" + request.cashfreeOrderId(), request.amountPaise(), "INR", "CARD",
                System.currentTimeMillis(), "bench-customer");
    }

    @Override
    public VerifiedPayment verifyLatePayment(PaymentRequest request) {
        return verifyWithCashfree(request);
    }

    @Override
    public VerifiedPayment terminateUnpaidOrder(PaymentRequest request) {
        return verifyWithCashfree(request);
    }

    @Override
    public FraudVerdict screenForFraud(PaymentRequest request, VerifiedPayment verified) {
        return new FraudVerdict(false, List.of());
    }

    @Override
    public void recordStatus(String paymentId, String stage, String detail) {
    }

    @Override
    public FeeCalculation calculateFees(PaymentRequest request, VerifiedPayment verified) {
        FeeBreakdown breakdown = FeeEngine.calculate(new PaymentFacts(verified.amountPaise(), request.sourceType(), verified.paymentMethod(),
                community.supplierState(), null, null), FeeSchedules.recommendedDefault());
        return new FeeCalculation(breakdown, null, null, community.roles());
    }

    @Override
    public Allocation allocateShares(String communityId, long netPaise, List<RoleSplit> ruleRoles) {
        return new Allocation(SplitEngine.splitRevenueAcrossRoles(netPaise, ruleRoles != null && !ruleRoles.isEmpty() ? ruleRoles : community.roles()));
    }

    @Override
    public LedgerPosting postToLedger(PaymentRequest request, VerifiedPayment verified, FeeCalculation fees, Allocation allocation) {
        return new LedgerPosting(UUID.nameUUIDFromBytes(request.paymentId().getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(),
                1L, true);
    }

    @Override
    public void reverseLedgerPosting(String paymentId, String reason) {
    }

    @Override
    public HoldsQueued queueSettlement(String transactionId) {
        return new HoldsQueued(System.currentTimeMillis());
    }

    @Override
    public PayoutHandover handOverToPayouts(String transactionId) {
        return new PayoutHandover(0, community.payoutPolicy());
    }
}
